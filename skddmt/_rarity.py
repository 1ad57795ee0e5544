"""The rarity term: how far the denoiser's latent of each timestamp, seen in
its clean and fully visible window, lies from the nearest of a few centroids
of the training latents.

An imputation error cannot see a value that is rare in training without
being hard to rebuild from its context; the distance in the model's own
latent space can. This module fits the centroids (numpy and scikit-learn's
k-means); the scoring stream measures the distances
(:func:`~skddmt._scoring.nearest_distance`).
"""

import numpy as np
from sklearn.cluster import KMeans

#: Training tokens the centroids are fitted on, at most (drawn at random).
MAX_FIT_TOKENS = 20_000


def fit_centroids(latents, seed, n_centroids):
    """Centroids of the rows of ``latents`` (k-means, at most
    ``n_centroids``, fewer with fewer distinct rows).

    Parameters
    ----------
    latents : ndarray of shape (n_tokens, d_model)
        Token latents of the training series; a random :data:`MAX_FIT_TOKENS`
        of them are used when there are more.
    seed : int
    n_centroids : int

    Returns
    -------
    ndarray of shape (n_centroids, d_model), float32
    """
    rng = np.random.default_rng(seed)
    if len(latents) > MAX_FIT_TOKENS:
        latents = latents[np.sort(rng.choice(len(latents), MAX_FIT_TOKENS, replace=False))]
    latents = latents.astype(np.float64)
    k = min(n_centroids, len(np.unique(latents.round(6), axis=0)))
    km = KMeans(n_clusters=k, n_init=1, random_state=int(rng.integers(2**31 - 1)))
    return km.fit(latents).cluster_centers_.astype(np.float32)
