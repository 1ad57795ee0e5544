"""Masks: the static neighbour band of the attention, the interleaved masks
that hide every timestamp (or every element) once, the random-gap training
masks, and the dynamic ADNM mask.

All functions are vectorised tensor operations: no Python loop over windows
or channels (the only loop, in :func:`dilate`, runs over radius values).
"""

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F

#: Largest half-length of a random training gap (:func:`gap_mask`): gaps
#: are 1, 3, 5 or 7 timestamps long.
GAP_MAX_RADIUS = 3

#: Error ratio (node error over the window's median error, squared units) at
#: which an ADNM neighbourhood reaches its maximum radius.
ADNM_FULL_RATIO = 100.0


@dataclass(frozen=True)
class MaskingConfig:
    """Which nodes of a window are hidden, in training and scoring alike.

    Attributes
    ----------
    n_mask_groups : int
        Number of interleaved masks; together they hide every timestamp once.
    adnm : bool
        Whether the dynamic neighbour mask is used.
    adnm_ratio : float
        Share of suspect nodes per window and feature.
    adnm_max_radius : int
        Largest ADNM neighbourhood radius.
    mode : {'timestamp', 'element'}
        What an interleaved mask hides: whole timestamps, or the elements
        ``(t, j)`` with ``(t + j) % n_mask_groups == group`` (so at every
        instant the other features stay visible).
    training : {'interleaved', 'gaps'}
        Training masks: an interleaved mask with a random phase, or random
        gaps of 1 to ``2 * GAP_MAX_RADIUS + 1`` timestamps (per feature in
        the element mode) hiding about ``1 / n_mask_groups`` of the window.
    """

    n_mask_groups: int
    adnm: bool
    adnm_ratio: float
    adnm_max_radius: int
    mode: str = "timestamp"
    training: str = "interleaved"

    def group_masks(self, length, n_features, device):
        """The interleaved masks of this mode (:func:`build_group_masks`),
        shape (n_mask_groups, 1, length, 1 or n_features)."""
        element = n_features if self.mode == "element" else None
        return build_group_masks(length, self.n_mask_groups, device, element)


def neighbour_band(length, width, device=None):
    """Attention mask that keeps each token from seeing its neighbours.

    Parameters
    ----------
    length : int
        Number of tokens.
    width : int
        Tokens ``j`` with ``|i - j| <= width`` are hidden from token ``i``
        (itself included). ``0`` disables the band.
    device : torch.device, optional

    Returns
    -------
    allowed : bool Tensor of shape (length, length) or None
        ``True`` where token ``i`` (row) may attend to token ``j`` (column),
        as ``torch.nn.functional.scaled_dot_product_attention`` expects;
        ``None`` when ``width == 0``. A row with nothing left to attend to
        (windows shorter than ``2 * width + 2``) keeps its farthest tokens.
    """
    if width <= 0:
        return None
    pos = torch.arange(length, device=device)
    dist = (pos[:, None] - pos[None, :]).abs()
    allowed = dist > width
    # Keep rows non-empty: where the band covers the whole window, allow the
    # tokens at the largest distance from i.
    empty = ~allowed.any(dim=1, keepdim=True)
    farthest = dist == dist.max(dim=1, keepdim=True).values
    return torch.where(empty, farthest, allowed)


def interleaved_mask(length, n_groups, group, phase=None, device=None, n_features=None):
    """Hide every ``n_groups``-th timestamp, or, with ``n_features``, every
    ``n_groups``-th element along each diagonal.

    Parameters
    ----------
    length : int
        Window length.
    n_groups : int
        Number of complementary groups; the masks of groups
        ``0 .. n_groups - 1`` hide every timestamp exactly once.
    group : int
        Which group to hide.
    phase : Tensor of shape (batch,), optional
        Per-window shift of the pattern (used in training). Without it the
        result has shape (1, length, F), else (batch, length, F).
    n_features : int, optional
        Element masks: element ``(t, j)`` belongs to group ``(t + j) %
        n_groups``, so ``F = n_features``. Without it whole timestamps are
        hidden and ``F = 1`` (broadcast over features).

    Returns
    -------
    mask : float Tensor
        1.0 at hidden timestamps or elements.
    """
    pos = torch.arange(length, device=device).view(1, length, 1)
    if n_features is not None:
        pos = pos + torch.arange(n_features, device=device).view(1, 1, n_features)
    if phase is not None:
        pos = pos + phase.view(-1, 1, 1)
    return ((pos % n_groups) == group).to(torch.float32)


def build_group_masks(length, n_groups, device, n_features=None):
    """The interleaved masks of groups ``0 .. n_groups - 1`` stacked, shape
    (n_groups, 1, length, 1), or (n_groups, 1, length, n_features) for
    element masks; built once per fit or scoring call."""
    return torch.stack(
        [interleaved_mask(length, n_groups, g, device=device, n_features=n_features)
         for g in range(n_groups)]
    )


def gap_mask(shape, n_groups, generator, device=None, max_radius=GAP_MAX_RADIUS):
    """Random gaps: runs of hidden timestamps, 1 to ``2 * max_radius + 1``
    long, covering about ``1 / n_groups`` of each window (less where gaps
    overlap).

    Gap centres are drawn independently at each node with probability
    ``1 / (n_groups * (max_radius + 1))`` and their half-lengths uniformly
    in ``0 .. max_radius`` (mean length ``max_radius + 1``).

    Parameters
    ----------
    shape : tuple (batch, length, F)
        ``F = 1`` hides whole timestamps, ``F = n_features`` draws the gaps
        of each feature apart.
    n_groups : int
    generator : torch.Generator
    device : torch.device, optional
    max_radius : int

    Returns
    -------
    mask : float Tensor of shape ``shape``
        1.0 at hidden nodes.
    """
    p = 1.0 / (n_groups * (max_radius + 1))
    centres = torch.rand(shape, generator=generator, device=device) < p
    radius = torch.randint(0, max_radius + 1, shape, generator=generator, device=device)
    radius = radius.to(torch.float32).masked_fill(~centres, float("-inf"))
    return dilate(radius, max_radius).to(torch.float32)


def dilate(radius, max_radius):
    """Grow each node into a neighbourhood along time.

    Parameters
    ----------
    radius : Tensor of shape (batch, length, features)
        Radius of each node's neighbourhood, ``-inf`` for nodes that are not
        centres.
    max_radius : int
        Largest radius in ``radius``.

    Returns
    -------
    covered : bool Tensor of the same shape
        True at every node within its own radius of some centre
        (``max_i (radius_i - |i - j|) >= 0``).
    """
    f = radius.transpose(1, 2)  # (batch, features, length)
    for _ in range(int(max_radius)):
        f = torch.maximum(f, F.max_pool1d(f, kernel_size=3, stride=1, padding=1) - 1.0)
    return (f >= 0).transpose(1, 2)


def adnm_radius(err, ref, max_radius):
    """Neighbourhood radius of a suspect node, growing with its error.

    ``floor(max_radius * log(err / ref) / log(ADNM_FULL_RATIO))`` clipped to
    ``[0, max_radius]``: 0 at the reference error, ``max_radius`` from
    ``ADNM_FULL_RATIO`` times the reference on, monotone in between.
    """
    ratio = (err / ref.clamp_min(1e-12)).clamp_min(1.0)
    r = torch.floor(max_radius * torch.log(ratio) / math.log(ADNM_FULL_RATIO))
    return r.clamp(0, max_radius)


def adnm_mask(err, ratio, max_radius, valid=None):
    """Adaptive Dynamic Neighbour Mask from reconstruction errors.

    In each window and feature, the ``ceil(ratio * length)`` nodes with the
    largest error, if above the median error of that window and feature, are
    suspects; each suspect is widened into a neighbourhood
    along time whose radius grows with its error relative to the median
    error of that window and feature (:func:`adnm_radius`).

    Parameters
    ----------
    err : Tensor of shape (batch, length, features)
        Non-negative node errors.
    ratio : float
        Share of nodes per window and feature picked as suspects, in (0, 1].
    max_radius : int
        Largest neighbourhood radius.
    valid : bool Tensor of the same shape, optional
        Nodes whose error is known; others are never suspects and do not
        enter the median. Default: all.

    Returns
    -------
    mask : float Tensor of the same shape
        1.0 at nodes to hide.
    """
    length = err.shape[1]
    if valid is None:
        valid = torch.ones_like(err, dtype=torch.bool)
    k = max(1, min(length, math.ceil(ratio * length)))
    scored = err.masked_fill(~valid, float("-inf"))
    thr = torch.topk(scored, k, dim=1).values[:, -1:, :]
    ref = torch.nanmedian(
        torch.where(valid, err, torch.full_like(err, float("nan"))), dim=1, keepdim=True
    ).values
    ref = torch.nan_to_num(ref, nan=1.0)
    suspects = valid & (scored >= thr) & (err > ref)
    r = adnm_radius(err, ref, max_radius)
    r = r.masked_fill(~suspects, float("-inf"))
    return dilate(r, max_radius).to(err.dtype)
