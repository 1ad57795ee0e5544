"""skddmt._scoring: the streamed anomaly score of one series."""

import numpy as np
import torch

from skddmt._diffusion import GaussianDiffusion, ReverseConfig
from skddmt._masks import MaskingConfig, build_group_masks
from skddmt._model import DDTDenoiser
from skddmt._preprocessing import standardise
from skddmt._reconstruction import node_errors
from skddmt._scoring import nearest_distance, stream_latents, stream_scores
from skddmt._windows import aggregate_windows, window_index, window_starts

from .conftest import periodic_series

W = 16
MASKING = MaskingConfig(n_mask_groups=4, adnm=True, adnm_ratio=0.1, adnm_max_radius=2)
REVERSE = ReverseConfig(t_start=99, n_reverse_steps=1)
CPU = torch.device("cpu")


def _model():
    torch.manual_seed(0)
    return (DDTDenoiser(3, d_model=8, n_layers=1, n_heads=2).eval(),
            GaussianDiffusion(100, clip=10.0))


def _scores(X, batch_size, **kwargs):
    denoiser, diffusion = _model()
    starts = window_starts(len(X), W, W // 2)
    return stream_scores(denoiser, diffusion, X, starts, W, X.mean(axis=0), X.std(axis=0),
                         MASKING, REVERSE, batch_size=batch_size, seed=3, device=CPU, **kwargs)


def test_stream_equals_the_reference_over_all_windows_at_once():
    """One batch: the streamed sums equal aggregate_windows over the node
    errors of every window, computed in one piece."""
    X = periodic_series(90, seed=1)
    got = _scores(X, batch_size=1000, per_feature=True)
    denoiser, diffusion = _model()
    starts = window_starts(len(X), W, W // 2)
    z = standardise(X, X.mean(axis=0), X.std(axis=0))
    windows = torch.from_numpy(z[window_index(starts, np.arange(W))])
    with torch.inference_mode():
        err = node_errors(denoiser, diffusion, windows, MASKING, REVERSE,
                          torch.Generator().manual_seed(3), build_group_masks(W, 4, CPU))
    for j in range(3):
        np.testing.assert_allclose(got[:, j], aggregate_windows(len(X), starts,
                                                                err[..., j].numpy()),
                                   rtol=1e-5)


def test_weighted_score_is_the_weighted_mean_of_the_feature_errors():
    X = periodic_series(90, seed=1)
    weights = np.array([0.0, 1.5, 1.5])
    per_feature = _scores(X, batch_size=4, per_feature=True)
    weighted = _scores(X, batch_size=4, feature_weights=weights)
    np.testing.assert_allclose(weighted, (per_feature * weights).mean(axis=1), rtol=1e-5)
    assert weighted.shape == (90,) and per_feature.shape == (90, 3)


def test_stream_reads_a_read_only_series_and_never_writes_it():
    X = periodic_series(60, seed=2)
    frozen = X.copy()
    frozen.flags.writeable = False
    np.testing.assert_array_equal(_scores(frozen, batch_size=3), _scores(X, batch_size=3))
    np.testing.assert_array_equal(frozen, X)


def test_batches_are_standardised_as_the_training_series_is(monkeypatch):
    """The windows reaching the denoiser are the training standardisation of
    the series (float64, then float32), bit for bit: a column of timestamps
    (1.7e9 + seconds, whose steps float32 arithmetic would round to 128)
    keeps its steps."""
    X = np.c_[periodic_series(64, 2), 1.7e9 + np.arange(64.0)]
    mean, scale = X.mean(axis=0), X.std(axis=0)
    seen = []

    def record(denoiser, diffusion, windows, *args):
        seen.append(windows.clone())
        return torch.zeros_like(windows)

    monkeypatch.setattr("skddmt._scoring.node_errors", record)
    denoiser, diffusion = _model()
    starts = window_starts(len(X), W, W // 2)
    stream_scores(denoiser, diffusion, X, starts, W, mean, scale, MASKING, REVERSE,
                  batch_size=4, seed=0, device=CPU)
    want = standardise(X, mean, scale)[window_index(starts, np.arange(W))]
    np.testing.assert_array_equal(torch.cat(seen).numpy(), want)


def test_nearest_distance_is_the_squared_distance_to_the_nearest_centroid():
    rng = np.random.default_rng(0)
    latents = torch.as_tensor(rng.normal(size=(3, 5, 4)), dtype=torch.float32)
    centroids = torch.as_tensor(rng.normal(size=(6, 4)), dtype=torch.float32)
    got = nearest_distance(latents, centroids)
    brute = ((latents[:, :, None, :] - centroids) ** 2).sum(-1).min(dim=-1).values
    assert got.shape == (3, 5)
    torch.testing.assert_close(got, brute, rtol=1e-5, atol=1e-5)


def test_rarity_stream_is_the_mean_distance_of_the_covering_windows():
    """With centroids the stream also returns each timestamp's latent
    distance averaged over its windows; the errors are unchanged."""
    X = periodic_series(90, seed=1)
    denoiser, diffusion = _model()
    centroids = torch.as_tensor(np.random.default_rng(0).normal(size=(4, 8)),
                                dtype=torch.float32)
    errors, rarity = _scores(X, batch_size=5, centroids=centroids)
    np.testing.assert_array_equal(errors, _scores(X, batch_size=5))
    starts = window_starts(len(X), W, W // 2)
    z = standardise(X, X.mean(axis=0), X.std(axis=0))
    windows = torch.from_numpy(z[window_index(starts, np.arange(W))])
    with torch.inference_mode():
        dist = nearest_distance(diffusion.latents(denoiser, windows), centroids)
    np.testing.assert_allclose(rarity, aggregate_windows(len(X), starts, dist.numpy()),
                               rtol=1e-5)
    latents = stream_latents(denoiser, diffusion, X, starts, W, X.mean(axis=0), X.std(axis=0),
                             batch_size=7, device=CPU)
    assert latents.shape == (len(starts) * W, 8)
