"""skddmt._rarity: the centroids of the training latents."""

import numpy as np

from skddmt._rarity import MAX_FIT_TOKENS, fit_centroids

N_CENTROIDS = 10


def test_centroids_find_the_clusters_of_the_latents():
    rng = np.random.default_rng(0)
    centres = 10.0 * rng.normal(size=(N_CENTROIDS, 4))
    latents = (centres[rng.integers(N_CENTROIDS, size=3000)]
               + 0.01 * rng.normal(size=(3000, 4))).astype(np.float32)
    got = fit_centroids(latents, seed=0, n_centroids=N_CENTROIDS)
    assert got.shape == (N_CENTROIDS, 4) and got.dtype == np.float32
    nearest = np.sqrt(((got[:, None, :] - centres[None]) ** 2).sum(-1)).min(axis=0)
    assert nearest.max() < 0.1  # every true centre has a centroid on it
    np.testing.assert_array_equal(got, fit_centroids(latents, seed=0, n_centroids=N_CENTROIDS))


def test_fewer_distinct_latents_than_centroids():
    latents = np.repeat(np.eye(3, dtype=np.float32), 5, axis=0)
    got = fit_centroids(latents, seed=0, n_centroids=N_CENTROIDS)
    assert got.shape == (3, 3)
    np.testing.assert_allclose(np.sort(got, axis=0), np.sort(np.eye(3), axis=0), atol=1e-6)


def test_a_subsample_of_many_latents_is_used():
    rng = np.random.default_rng(1)
    latents = rng.normal(size=(MAX_FIT_TOKENS + 500, 2)).astype(np.float32)
    latents[-500:] += 1000.0  # the subsample keeps some of these, by chance only
    got = fit_centroids(latents, seed=0, n_centroids=N_CENTROIDS)
    assert got.shape == (N_CENTROIDS, 2) and np.all(np.isfinite(got))
