"""Reconstruction errors of windows: masked reconstruction and ADNM.

Torch only. The estimator streams batches of windows through
:func:`node_errors` and aggregates the per-timestamp errors.
"""

from dataclasses import dataclass

import numpy as np
import torch

from ._diffusion import reverse_timesteps
from ._masks import adnm_mask, interleaved_mask
from ._windows import coverage_counts, window_index


@dataclass(frozen=True)
class MaskingConfig:
    """How windows are masked and rebuilt, shared by training and scoring.

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
    t_start : int
        0-based diffusion step the hidden nodes start from.
    n_reverse_steps : int
        Number of deterministic reverse steps.
    n_samples : int
        Number of noise draws averaged at scoring time.
    timestep_sampling : {'uniform', 'scoring'}
        Diffusion steps of the training loss: all of them, or only those
        the reverse process visits at scoring time.
    """

    n_mask_groups: int
    adnm: bool
    adnm_ratio: float
    adnm_max_radius: int
    t_start: int
    n_reverse_steps: int
    n_samples: int = 1
    timestep_sampling: str = "uniform"

    @property
    def timesteps(self):
        return reverse_timesteps(self.t_start, self.n_reverse_steps)


def training_mask(denoiser, diffusion, x0, cfg, generator, group_masks):
    """Mask for one training batch: a randomly chosen interleaved mask per
    window, then (with ADNM) the neighbourhoods of its worst-rebuilt nodes.

    The ADNM part comes from the model's own errors: a no-grad one-step
    reconstruction of the interleaved-masked batch. ``group_masks`` are the
    stacked interleaved masks of :func:`build_group_masks`, built once per
    fit rather than per batch.
    """
    b, length, n_features = x0.shape
    k = cfg.n_mask_groups
    phase = torch.randint(0, k, (b,), generator=generator, device=x0.device)
    mask = group_masks[(k - phase) % k].view(b, length, 1).expand(b, length, n_features)
    if not cfg.adnm:
        return mask
    with torch.no_grad():
        rec = diffusion.reconstruct(denoiser, x0, mask, cfg.t_start, [cfg.t_start], generator)
        err = (rec - x0).square()
        dyn = adnm_mask(err, cfg.adnm_ratio, cfg.adnm_max_radius, valid=mask.bool())
    return torch.maximum(mask, dyn)


def _masked_errors(denoiser, diffusion, windows, masks, cfg, generator):
    """Squared errors of ``windows`` rebuilt under each of ``masks``.

    ``masks`` has shape (n_masks, batch or 1, length, features or 1); all
    masks and noise draws run as one stacked batch. Returns the mean over
    noise draws of the masked squared errors, summed over masks.
    """
    n_masks = masks.shape[0]
    b, length, n_features = windows.shape
    reps = n_masks * cfg.n_samples
    x = windows.unsqueeze(0).expand(reps, b, length, n_features).reshape(-1, length, n_features)
    m = masks.expand(n_masks, b, length, n_features)
    m = m.unsqueeze(0).expand(cfg.n_samples, *m.shape).reshape(-1, length, n_features)
    rec = diffusion.reconstruct(denoiser, x, m, cfg.t_start, cfg.timesteps, generator)
    err = ((rec - x).square() * m).view(cfg.n_samples, n_masks, b, length, n_features)
    return err.mean(dim=0).sum(dim=0)


def node_errors(denoiser, diffusion, windows, cfg, generator, group_masks):
    """Squared reconstruction error of every node of every window.

    Pass 1 rebuilds each timestamp with itself hidden (the interleaved
    masks). With ADNM, pass 2 hides the suspects of pass 1 with their
    neighbourhoods and rebuilds them from the remaining context; their error
    is the one of pass 2.

    Parameters
    ----------
    denoiser, diffusion : nn.Module
    windows : Tensor of shape (batch, length, features)
    cfg : MaskingConfig
    generator : torch.Generator
    group_masks : Tensor of shape (n_mask_groups, 1, length, 1)
        The interleaved masks, built once per scoring call.

    Returns
    -------
    err : Tensor of shape (batch, length, features)
    """
    err = _masked_errors(denoiser, diffusion, windows, group_masks, cfg, generator)
    if cfg.adnm:
        dyn = adnm_mask(err, cfg.adnm_ratio, cfg.adnm_max_radius)
        err2 = _masked_errors(denoiser, diffusion, windows, dyn.unsqueeze(0), cfg, generator)
        err = torch.where(dyn.bool(), err2, err)
    return err


def device_copy(X, device):
    """``X`` as a tensor on ``device`` (for scoring on an accelerator, where
    the transfer is a copy anyway).

    ``torch.as_tensor`` rejects negative strides (``X[::-1]``) and warns on
    read-only arrays (memory maps); those are first copied to a contiguous
    host array, the others go to the device directly.
    """
    if not (X.flags.c_contiguous and X.flags.writeable):
        X = np.array(X, order="C", copy=True)
    return torch.as_tensor(X, device=device)


def build_group_masks(length, n_groups, device):
    """The stacked interleaved masks, shape (n_groups, 1, length, 1)."""
    return torch.stack(
        [interleaved_mask(length, n_groups, g, device=device) for g in range(n_groups)]
    )


def stream_scores(denoiser, diffusion, X, starts, window_size, standardise, cfg, *,
                  batch_size, seed, device, feature_weights=None, per_feature=False):
    """Anomaly score of every timestamp of a series, streamed in batches.

    Windows are gathered, standardised and scored batch by batch; their
    per-timestamp errors (mean over features) are added on the device into
    one array of sums, so memory does not grow with the number of windows.

    Parameters
    ----------
    denoiser, diffusion : nn.Module
        On ``device``, in eval mode.
    X : ndarray of shape (n_timestamps, n_features)
        The raw series (read, never written).
    starts : ndarray of int
        Window starts covering every timestamp (see ``window_starts``).
    window_size : int
    standardise : callable
        Maps a raw tensor of windows to standardised float32 windows.
    cfg : MaskingConfig
    batch_size : int
        Windows per batch.
    seed : int
        Seeds the scoring noise: the same seed gives the same scores.
    device : torch.device
    feature_weights : ndarray of shape (n_features,), optional
        Weights of the node errors in the mean over features (default 1).
    per_feature : bool
        Return the mean over covering windows of each feature's node error
        instead of their (weighted) mean over features. Memory grows to
        ``n_timestamps * n_features`` (the size of the input); used once in
        ``fit`` on the training series.

    Returns
    -------
    scores : ndarray of shape (n_timestamps,)
        Mean over covering windows of the (weighted) node errors averaged
        over features.
        With ``per_feature``, shape (n_timestamps, n_features) instead.
    """
    n = X.shape[0]
    generator = torch.Generator(device=device).manual_seed(seed)
    group_masks = build_group_masks(window_size, cfg.n_mask_groups, device)
    shape = (n, X.shape[1]) if per_feature else (n,)
    sums = torch.zeros(shape, dtype=torch.float64, device=device)
    weights = (None if feature_weights is None
               else torch.as_tensor(feature_weights, dtype=torch.float32, device=device))
    if device.type == "cpu":
        # Gather each batch with numpy: no copy of the whole series, and a
        # read-only caller array is never handed to torch.
        source = None
    else:
        # One transfer of the series and of the starts; batches are then
        # gathered on the device with no host round-trip.
        source = device_copy(X, device)
        starts_t = torch.as_tensor(starts, device=device)
        offsets = torch.arange(window_size, device=device)
    with torch.inference_mode():
        for i in range(0, len(starts), batch_size):
            if source is None:
                idx = window_index(starts[i:i + batch_size], window_size)
                idx_t, raw = torch.from_numpy(idx), torch.from_numpy(X[idx])
            else:
                idx_t = starts_t[i:i + batch_size, None] + offsets
                raw = source[idx_t]
            windows = standardise(raw)
            err = node_errors(denoiser, diffusion, windows, cfg, generator, group_masks)
            if per_feature:
                node = err.reshape(-1, err.shape[-1])
            else:
                node = (err if weights is None else err * weights).mean(dim=-1).reshape(-1)
            sums.index_add_(0, idx_t.reshape(-1), node.to(torch.float64))
    counts = coverage_counts(n, starts, window_size)
    sums = sums.cpu().numpy()
    return sums / (counts[:, None] if per_feature else counts)
