"""Model search on a Dask cluster: GridSearchCV under joblib's Dask backend."""

import numpy as np
import pytest
from joblib import parallel_config
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

from skddmt.metrics import auc_pr_scorer

from .conftest import periodic_series, tiny_detector

distributed = pytest.importorskip("distributed")

#: A grid whose best point wins by a wide margin on the data below (about
#: 30 % in AUC-PR), far beyond float differences between thread counts.
GRID = {"window_size": [4, 16], "d_model": [4, 16]}


def _noisy_series_with_spikes():
    X = periodic_series(900, seed=11, noise=0.3)
    rng = np.random.default_rng(12)
    y = np.zeros(len(X), dtype=int)
    for i in rng.choice(np.arange(20, 880), size=15, replace=False):
        X[i, rng.integers(X.shape[1])] += rng.choice([-1, 1]) * 1.8
        y[i] = 1
    return X, y


def _executed(dask_worker):
    return dask_worker.state.executed_count


def _worker_threads():
    import torch

    return torch.get_num_threads()


@pytest.mark.slow
def test_grid_search_on_a_local_cluster_matches_the_local_run():
    X, y = _noisy_series_with_spikes()
    det = tiny_detector(max_epochs=2, n_heads=1)

    def search(n_jobs):
        return GridSearchCV(det, GRID, scoring=auc_pr_scorer,
                            cv=TimeSeriesSplit(n_splits=2), n_jobs=n_jobs)

    local = search(None).fit(X, y)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        # One task at a time per worker, and one torch thread in each: the
        # nanny's environment (OMP_NUM_THREADS=1) keeps 2 workers on 2 cores.
        threads = client.run(_worker_threads)
        assert len(threads) == 2 and set(threads.values()) == {1}
        with parallel_config(backend="dask"):
            remote = search(-1).fit(X, y)
        # The fits really ran on the cluster, on both workers.
        executed = client.run(_executed)
        assert all(count > 0 for count in executed.values())
    assert remote.best_params_ == local.best_params_
    np.testing.assert_allclose(remote.cv_results_["mean_test_score"],
                               local.cv_results_["mean_test_score"], rtol=1e-3)
    # The grid is not degenerate: the parameters change the score.
    assert np.ptp(local.cv_results_["mean_test_score"]) > 1e-3


@pytest.mark.slow
def test_fleet_scoring_on_a_local_cluster_equals_the_serial_scores():
    fleet = [periodic_series(300, seed=i) + i for i in range(4)]
    det = tiny_detector().fit(fleet)
    # the workers run torch on one thread, the serial reference on the caller's
    serial = det.score_samples(fleet)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        assert set(client.run(_worker_threads).values()) == {1}
        with parallel_config(backend="dask"):
            remote = det.score_samples(fleet)
        executed = client.run(_executed)
        assert all(count > 0 for count in executed.values())
    assert all(np.array_equal(a, b) for a, b in zip(remote, serial))
