"""Affiliation precision and recall (Huet, Navarro & Rossi, KDD 2022)."""


import numpy as np

from ._checks import _check_labels_pred, _runs


def _pl_integral(func, u, v, kinks):
    """Exact integral over [u, v] of a function that is linear between kinks.

    ``func`` maps an array of points of shape (k, N) to values of the same
    shape; ``kinks`` (shape (m, N)) holds every point where it may bend.
    """
    pts = np.vstack([u[None, :], v[None, :], np.clip(kinks, u, v)])
    pts.sort(axis=0)
    vals = func(pts)
    return (np.diff(pts, axis=0) * (vals[1:] + vals[:-1]) / 2).sum(axis=0)


def affiliation_prf(y_true, y_pred):
    """Affiliation precision, recall and F1 (Huet, Navarro & Rossi, KDD 2022).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Ground truth, 1 = anomaly, 0 = normal; must contain an anomaly.
    y_pred : array-like of shape (n_samples,)
        Predictions, 1 = anomaly, 0 = normal.

    Returns
    -------
    precision : float
        Mean individual precision over the affiliation zones that contain a
        prediction; **NaN when nothing is predicted** (undefined, as in the
        reference package).
    recall : float
        Mean individual recall over all affiliation zones.
    f1 : float
        ``2 P R / (P + R)``; 0.0 when precision is NaN or ``P + R = 0``.

    Notes
    -----
    Definitions of the authors' reference package ``affiliation-metrics``
    (``affiliation.metrics.pr_from_events`` and its helpers), on a discrete
    series:

    * each 1 at index ``i`` is the interval ``[i, i + 1)`` and consecutive
      ones merge into one event (``convert_vector_to_events``); the time
      range is ``[0, n_samples)``;
    * the ground-truth events ``J_1, ..., J_m`` split the time range into
      zones of affiliation ``E_j`` at the midpoints of the gaps between
      consecutive events; predicted events are cut along these zones;
    * individual precision of zone ``j``: the mean, over the predicted time
      in ``E_j``, of ``P(d(X, J_j) >= d(x, J_j))`` for ``X`` uniform on
      ``E_j``, i.e. ``1 - (|J_j| + d + min(d, m_j)) / |E_j|`` outside
      ``J_j`` (``m_j`` the smaller margin between ``J_j`` and the zone's
      borders) and 1 inside; undefined (skipped) without prediction in
      ``E_j``;
    * individual recall of zone ``j``: the mean, over ``y in J_j``, of
      ``P(|X - y| >= d(y, pred))`` for ``X`` uniform on ``E_j``, where
      ``pred`` is the predicted time inside ``E_j``; 0 without prediction
      in ``E_j``;
    * precision is averaged over zones with predictions, recall over all
      zones, and F1 is computed from the two averages.

    All integrals are computed in closed form (the integrands are piecewise
    linear), vectorised over events and zones.

    References
    ----------
    .. [1] A. Huet, J. M. Navarro and D. Rossi, "Local Evaluation of Time
       Series Anomaly Detection Algorithms", KDD 2022.
    """
    y_true, y_pred = _check_labels_pred(y_true, y_pred)
    n = y_true.size
    gs, ge = _runs(y_true)
    if gs.size == 0:
        raise ValueError(
            "y_true contains no anomaly; affiliation metrics need at least one "
            "ground-truth event."
        )
    ps, pe = _runs(y_pred)
    m = gs.size
    gs = gs.astype(float)
    ge = ge.astype(float)
    zb = np.empty(m + 1)
    zb[0], zb[-1] = 0.0, float(n)
    zb[1:-1] = (ge[:-1] + gs[1:]) / 2
    zl, zr = zb[:-1], zb[1:]
    zlen = zr - zl
    jlen = ge - gs
    margin = np.minimum(gs - zl, zr - ge)

    if ps.size == 0:
        return float("nan"), 0.0, 0.0

    # Predicted events cut along the zones: pieces [pu, pv) in zone pz,
    # ordered by time.
    ps = ps.astype(float)
    pe = pe.astype(float)
    za = np.clip(np.searchsorted(zb, ps, side="right") - 1, 0, m - 1)
    zz = np.clip(np.searchsorted(zb, pe, side="left") - 1, 0, m - 1)
    count = zz - za + 1
    ev = np.repeat(np.arange(ps.size), count)
    offset = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    pz = np.repeat(za, count) + offset
    pu = np.maximum(ps[ev], zl[pz])
    pv = np.minimum(pe[ev], zr[pz])
    keep = pv > pu
    pu, pv, pz = pu[keep], pv[keep], pz[keep]

    # ---- precision: integrate over the pieces, split before / in / after J.
    s, e = gs[pz], ge[pz]
    mg, el, jl = margin[pz], zlen[pz], jlen[pz]

    def g(x):  # d + min(d, m) with d = distance to J (x outside J)
        d = np.maximum(np.maximum(s - x, x - e), 0.0)
        return d + np.minimum(d, mg)

    kinks = np.vstack([s - mg, e + mg])
    bu, bv = pu, np.minimum(pv, s)                      # part before J
    au, av = np.maximum(pu, e), pv                      # part after J
    blen = np.maximum(bv - bu, 0.0)
    alen = np.maximum(av - au, 0.0)
    inside = np.maximum(np.minimum(pv, e) - np.maximum(pu, s), 0.0)
    b_int = np.where(blen > 0, _pl_integral(g, bu, np.maximum(bv, bu), kinks), 0.0)
    a_int = np.where(alen > 0, _pl_integral(g, np.minimum(au, av), av, kinks), 0.0)
    outside_len = blen + alen
    prec_num = inside + outside_len - (jl * outside_len + b_int + a_int) / el
    num = np.bincount(pz, weights=prec_num, minlength=m)
    den = np.bincount(pz, weights=pv - pu, minlength=m)
    has_pred = den > 0
    precision = float(np.mean(num[has_pred] / den[has_pred]))

    # ---- recall: integrate over each J, split at piece borders and at the
    # midpoints between consecutive pieces of the same zone.
    same = pz[:-1] == pz[1:]
    mids = (pv[:-1] + pu[1:])[same] / 2
    cand_val = np.concatenate([gs, ge, pu, pv, mids])
    cand_zone = np.concatenate([np.arange(m), np.arange(m), pz, pz, pz[:-1][same]])
    cand_val = np.clip(cand_val, gs[cand_zone], ge[cand_zone])
    order = np.lexsort((cand_val, cand_zone))
    cand_val, cand_zone = cand_val[order], cand_zone[order]
    ok = (cand_zone[:-1] == cand_zone[1:]) & (cand_val[1:] > cand_val[:-1])
    su, sv, sz = cand_val[:-1][ok], cand_val[1:][ok], cand_zone[:-1][ok]
    mid = (su + sv) / 2
    npc = pu.size
    left = np.searchsorted(pu, mid, side="right") - 1
    lc = np.clip(left, 0, npc - 1)
    rc = np.clip(left + 1, 0, npc - 1)
    left_ok = (left >= 0) & (pz[lc] == sz)
    right_ok = (left + 1 < npc) & (pz[rc] == sz)
    in_pred = left_ok & (mid < pv[lc])
    take_left = left_ok & (~right_ok | (mid < (pv[lc] + pu[rc]) / 2))
    pivot = np.where(take_left, pv[lc], pu[rc])
    lo, hi = zl[sz], zr[sz]

    def f(y):  # d + min(d, distance to the nearer zone border)
        d = np.abs(y - pivot)
        return d + np.minimum(d, np.minimum(y - lo, hi - y))

    kinks = np.vstack([(lo + hi) / 2, (pivot + lo) / 2, (pivot + hi) / 2])
    seg_len = sv - su
    val = seg_len - np.where(in_pred, 0.0, _pl_integral(f, su, sv, kinks) / zlen[sz])
    val = np.where(left_ok | right_ok, val, 0.0)        # zone without prediction
    rec_zone = np.bincount(sz, weights=val, minlength=m) / jlen
    recall = float(np.mean(rec_zone))

    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
    return precision, recall, float(f1)
