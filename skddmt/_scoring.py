"""The scoring stream: the anomaly score of every timestamp of one series
(and, with the rarity term, the distance of its latent to the training
centroids), computed batch by batch so that memory does not grow with its
length; and the latents the centroids are fitted on.

Torch and numpy only.
"""

import numpy as np
import torch

from ._device import device_copy
from ._preprocessing import zscore
from ._reconstruction import node_errors
from ._windows import coverage_counts, gather_windows


def nearest_distance(latents, centroids):
    """Squared Euclidean distance of every token to its nearest centroid.

    Parameters
    ----------
    latents : Tensor of shape (batch, length, d_model)
    centroids : Tensor of shape (n_centroids, d_model)

    Returns
    -------
    Tensor of shape (batch, length)
    """
    b, length, d = latents.shape
    flat = latents.reshape(-1, d)
    sq = ((flat.square().sum(1, keepdim=True) - 2.0 * flat @ centroids.T)
          + centroids.square().sum(1)[None, :])
    return sq.min(dim=1).values.clamp_min(0.0).view(b, length)


def standardised_batches(X, starts, window_size, mean, scale, *, batch_size, device):
    """Windows of the raw series ``X`` at ``starts``, standardised, batch by batch.

    Each batch is gathered (with numpy on the CPU, on the device otherwise,
    after one transfer of the series), standardised in float64 as the
    training series is (float32 on MPS), then cast to float32.

    Yields
    ------
    idx : LongTensor of shape (batch, window_size)
        Row of ``X`` of every node.
    windows : Tensor of shape (batch, window_size, n_features), float32
    """
    # Standardised in float64, as the training series is, then cast (MPS has
    # no float64): a timestamp-like column (1.7e9 + seconds) keeps its steps.
    exact = torch.float32 if device.type == "mps" else torch.float64
    mean = torch.as_tensor(mean, dtype=exact, device=device)
    scale = torch.as_tensor(scale, dtype=exact, device=device)
    on_host = device.type == "cpu"
    if on_host:
        # Gather each batch with numpy: no copy of the whole series, and a
        # read-only caller array is never handed to torch.
        source, starts_src, offsets = X, starts, np.arange(window_size, dtype=np.int64)
    else:
        # One transfer of the series and of the starts; batches are then
        # gathered on the device with no host round-trip.
        source, starts_src = device_copy(X, device), torch.as_tensor(starts, device=device)
        offsets = torch.arange(window_size, device=device)
    for i in range(0, len(starts), batch_size):
        idx, raw = gather_windows(source, starts_src[i:i + batch_size], offsets)
        if on_host:
            idx, raw = torch.from_numpy(idx), torch.from_numpy(raw)
        yield idx, zscore(raw.to(exact), mean, scale).to(torch.float32)


def split_missing(windows, missing):
    """``(windows, hidden)``: with ``missing``, the windows with their NaN set
    to 0 and where they were (None when there are none); else as given."""
    if not missing:
        return windows, None
    hidden = torch.isnan(windows)
    if not hidden.any():
        return windows, None
    return windows.masked_fill(hidden, 0.0), hidden


def given_nodes(idx):
    """Which nodes of a batch of windows give their errors in the causal
    mode: the last node of each window, and every node of the window that
    starts at row 0. Bool Tensor of the shape of ``idx``."""
    given = torch.zeros(idx.shape, dtype=torch.bool, device=idx.device)
    given[:, -1] = True
    given[idx[:, 0] == 0] = True
    return given


def _nodes(idx, values, given):
    """Rows and float64 values of the nodes to add up: all of them, or the
    ``given`` ones. ``values`` has shape (batch, length) or (batch, length,
    features)."""
    if given is None:
        return idx.reshape(-1), values.reshape(-1, *values.shape[2:]).to(torch.float64)
    return idx[given], values[given].to(torch.float64)


def stream_scores(denoiser, diffusion, X, starts, window_size, mean, scale, masking, reverse, *,
                  batch_size, seed, device, feature_weights=None, per_feature=False,
                  centroids=None, missing=False, causal=False):
    """Anomaly score of every timestamp of a series, streamed in batches.

    Windows are gathered, standardised and scored batch by batch
    (:func:`standardised_batches`); their per-timestamp errors (mean over
    features) are added on the device into one array of sums, so memory
    does not grow with the number of windows.

    Parameters
    ----------
    denoiser, diffusion : nn.Module
        On ``device``, in eval mode.
    X : ndarray of shape (n_timestamps, n_features)
        The raw series (read, never written).
    starts : ndarray of int
        Window starts covering every timestamp (see ``window_starts``).
    window_size : int
    mean, scale : ndarray of shape (n_features,)
        The standardisation (:func:`~skddmt._preprocessing.zscore`).
    masking : MaskingConfig
    reverse : ReverseConfig
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
    centroids : Tensor of shape (n_centroids, d_model), optional
        Also return the rarity of every timestamp: the squared distance of
        its latent to the nearest centroid
        (:func:`nearest_distance`), averaged over the
        windows that cover it.
    missing : bool
        ``X`` may hold NaN (missing values): they are hidden from the
        denoiser in every pass (and from the latents), and their errors are
        NaN in the ``per_feature`` output (without ``per_feature``, a
        timestamp with a missing value gets NaN).
    causal : bool
        Each window gives the errors of its last node only (the window at
        start 0 gives all its nodes): with ``starts`` every start from 0 to
        ``n_timestamps - window_size``, each timestamp from ``window_size - 1``
        on is then scored from the window that ends at it, i.e. from its
        past, and the earlier ones from the first window.

    Returns
    -------
    scores : ndarray of shape (n_timestamps,)
        Mean over covering windows (with ``causal``: over the windows that
        give it) of the (weighted) node errors averaged over features.
        With ``per_feature``, shape (n_timestamps, n_features) instead.
    rarity : ndarray of shape (n_timestamps,)
        Only with ``centroids``: ``(scores, rarity)`` is returned.
    """
    n = X.shape[0]
    generator = torch.Generator(device=device).manual_seed(seed)
    group_masks = masking.group_masks(window_size, X.shape[1], device)
    shape = (n, X.shape[1]) if per_feature else (n,)
    sums = torch.zeros(shape, dtype=torch.float64, device=device)
    rare = None if centroids is None else torch.zeros(n, dtype=torch.float64, device=device)
    weights = (None if feature_weights is None
               else torch.as_tensor(feature_weights, dtype=torch.float32, device=device))
    with torch.inference_mode():
        for idx, windows in standardised_batches(X, starts, window_size, mean, scale,
                                                 batch_size=batch_size, device=device):
            windows, hidden = split_missing(windows, missing)
            err = node_errors(denoiser, diffusion, windows, masking, reverse, generator,
                              group_masks, hidden)
            if hidden is not None:
                err = err.masked_fill(hidden, float("nan"))
            if not per_feature:
                err = (err if weights is None else err * weights).mean(dim=-1)
            given = given_nodes(idx) if causal else None
            sums.index_add_(0, *_nodes(idx, err, given))
            if rare is not None:
                dist = nearest_distance(diffusion.latents(denoiser, windows, hidden), centroids)
                rare.index_add_(0, *_nodes(idx, dist, given))
    counts = (np.ones(n, dtype=np.int32) if causal
              else coverage_counts(n, starts, window_size))
    sums = sums.cpu().numpy()  # the same memory on the CPU
    scores = np.divide(sums, counts[:, None] if per_feature else counts, out=sums)
    if rare is None:
        return scores
    rare = rare.cpu().numpy()
    return scores, np.divide(rare, counts, out=rare)


def stream_latents(denoiser, diffusion, X, starts, window_size, mean, scale, *, batch_size,
                   device, missing=False):
    """The denoiser's latent of every node of the windows of ``X`` at
    ``starts``, each window clean and fully visible but for its missing
    values, with ``missing``
    (:meth:`~skddmt._diffusion.GaussianDiffusion.latents`).

    Returns
    -------
    ndarray of shape (len(starts) * window_size, d_model), float32
    """
    out = []
    with torch.inference_mode():
        for _, windows in standardised_batches(X, starts, window_size, mean, scale,
                                               batch_size=batch_size, device=device):
            lat = diffusion.latents(denoiser, *split_missing(windows, missing))
            out.append(lat.reshape(-1, lat.shape[-1]).cpu().numpy())
    return np.concatenate(out)
