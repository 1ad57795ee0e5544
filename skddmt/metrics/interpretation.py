"""Attribution: how well per-feature scores point at the features that
caused each labelled anomaly (HitRate@P% and NDCG@P%, as OmniAnomaly, KDD
2019, and InterFusion, KDD 2021, measure it on SMD's interpretation labels)."""

import numpy as np


def _top_k(n_true, percent):
    """round(percent / 100 * n_true), halves rounded up, at least 1."""
    return max(1, int(np.floor(percent / 100.0 * n_true + 0.5)))


def interpretation_scores(feature_scores, segments, percents=(100, 150)):
    """HitRate@P% and NDCG@P% of per-feature scores against labelled causes.

    At each timestamp of a labelled segment, the features are ranked by
    their score (highest first; ties by column order) and the top
    ``k = round(P / 100 * |G|)`` are kept, ``G`` being the segment's true
    features. HitRate@P% is the share of ``G`` among them; NDCG@P% weighs
    each hit by ``1 / log2(rank + 1)`` and divides by the best possible
    value. Both are averaged over every labelled timestamp.

    Parameters
    ----------
    feature_scores : array-like of shape (n_timestamps, n_features)
        Higher = more responsible (e.g. ``DDMTDetector.feature_scores``).
    segments : list of (start, stop, features)
        Rows ``start:stop`` (0-based, stop excluded) and the 0-based indices
        of their true features, as ``skddmt.datasets.read_interpretation``
        and ``load_smd`` give them.
    percents : sequence of float, default=(100, 150)

    Returns
    -------
    dict
        ``"hitrate@P%"`` and ``"ndcg@P%"`` for each P, floats in [0, 1], and
        ``"n_timestamps"``, the number of labelled timestamps averaged over.

    Raises
    ------
    ValueError
        If ``feature_scores`` is not 2-D or holds NaN, or a segment lies
        outside it, names no feature or a feature it does not have.
    """
    S = np.asarray(feature_scores, dtype=np.float64)
    if S.ndim != 2:
        raise ValueError(f"feature_scores must be 2-D (n_timestamps, n_features), "
                         f"got shape {S.shape}.")
    if not np.all(np.isfinite(S)):
        raise ValueError("feature_scores holds NaN or infinite values.")
    n, n_features = S.shape
    hits = {p: [] for p in percents}
    gains = {p: [] for p in percents}
    for start, stop, features in segments:
        true = np.unique(np.asarray(features, dtype=np.int64))
        if not 0 <= start < stop <= n:
            raise ValueError(f"segment {start}:{stop} lies outside the {n} timestamps.")
        if true.size == 0 or true.min() < 0 or true.max() >= n_features:
            raise ValueError(f"segment {start}:{stop} names features {list(features)}, "
                             f"not a non-empty subset of 0..{n_features - 1}.")
        order = np.argsort(-S[start:stop], axis=1, kind="stable")
        for p in percents:
            k = min(_top_k(true.size, p), n_features)
            hit = np.isin(order[:, :k], true)                      # (rows, k)
            discount = 1.0 / np.log2(np.arange(2, k + 2))
            ideal = discount[:min(k, true.size)].sum()
            hits[p].append(hit.sum(axis=1) / true.size)
            gains[p].append(hit @ discount / ideal)
    out = {}
    for p in percents:
        label = f"{p:g}%"
        out[f"hitrate@{label}"] = float(np.mean(np.concatenate(hits[p]))) if segments else np.nan
        out[f"ndcg@{label}"] = float(np.mean(np.concatenate(gains[p]))) if segments else np.nan
    out["n_timestamps"] = int(sum(stop - start for start, stop, _ in segments))
    return out
