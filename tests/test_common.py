"""scikit-learn's estimator checks."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from skddmt import DDMTDetector

EXPECTED_FAILED = {
    "check_methods_sample_order_invariance": (
        "rows are timestamps: the score of a row depends on its neighbours in time, "
        "so reordering rows changes scores"
    ),
    "check_methods_subset_invariance": (
        "rows are timestamps: scoring a subset removes context from the windows, "
        "so scores change"
    ),
}


@parametrize_with_checks(
    [DDMTDetector(window_size=8, d_model=8, n_layers=1, n_heads=2, max_epochs=2,
                  batch_size=16, adnm_max_radius=2, random_state=0)],
    expected_failed_checks=lambda est: EXPECTED_FAILED,
)
def test_sklearn_compatible(estimator, check):
    check(estimator)
