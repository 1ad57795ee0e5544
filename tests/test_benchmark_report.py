"""skddmt.benchmark.report: summaries over seeds and the markdown tables."""

import pytest

from skddmt import benchmark


def _run(dataset, detector, entity, seed, value):
    keys = benchmark.SOUND + benchmark.PAPER + benchmark.COST
    return {"dataset": dataset, "detector": detector, "entity": entity, "seed": seed,
            **{k: value for k in keys}}


def test_summary_is_mean_and_std_over_seeds_of_the_entity_means():
    runs = [_run("SMD", "ddmt", "a", 0, 0.2), _run("SMD", "ddmt", "b", 0, 0.4),   # seed 0: 0.3
            _run("SMD", "ddmt", "a", 1, 0.5), _run("SMD", "ddmt", "b", 1, 0.7),   # seed 1: 0.6
            _run("SMD", "pca", "a", 0, 0.1)]
    summary = benchmark.summarise(runs)
    mean, std, n = summary["SMD"]["ddmt"]["vus_pr"]
    assert mean == pytest.approx(0.45) and std == pytest.approx(0.2121320, rel=1e-6) and n == 2
    assert summary["SMD"]["pca"]["auc_pr"] == (pytest.approx(0.1), 0.0, 1)


def test_markdown_has_one_row_per_detector_and_both_protocols():
    runs = [_run("MSL", "ddmt", "a", 0, 0.25), _run("MSL", "meansq", "a", 0, 0.125)]
    text = benchmark.markdown(benchmark.summarise(runs), {"MSL": 1})
    assert text.startswith("### MSL (1 entities)")
    assert "Sound protocol" in text and "Paper protocol" in text
    rows = [line for line in text.splitlines() if line.startswith("| ddmt |")]
    assert len(rows) == 2 and "| 0.250 ± 0.000 |" in text


def test_variant_label():
    assert (benchmark.variant_label("ddmt", {"n_samples": 4, "adnm": False})
            == "ddmt[adnm=False,n_samples=4]")


def test_entity_spread_is_the_seed_std_of_each_entity_then_mean_and_max():
    runs = [_run("SMD", "ddmt", "a", 0, 0.2), _run("SMD", "ddmt", "a", 1, 0.4),  # std 0.1414
            _run("SMD", "ddmt", "b", 0, 0.5), _run("SMD", "ddmt", "b", 1, 0.5),  # std 0
            _run("SMD", "ddmt", "c", 0, 0.9),                                    # one seed
            _run("SMD", "pca", "a", 0, 0.1)]
    spread = benchmark.entity_spread(runs)
    mean, worst, n = spread["SMD"]["ddmt"]["vus_pr"]
    assert mean == pytest.approx(0.0707107, rel=1e-5) and worst == pytest.approx(0.1414214,
                                                                                 rel=1e-5)
    assert n == 2 and "pca" not in spread["SMD"]
    text = benchmark.markdown(benchmark.summarise(runs), {"SMD": 3}, spread)
    assert "### Seed spread per entity" in text
    assert "| SMD | ddmt | 2 | 0.071 (0.141) | 0.071 (0.141) |" in text


def test_ratio_table_is_ddmt_over_the_best_targeted_baseline_raw_and_smoothed():
    runs = [_run("SMD", "ddmt", "a", 0, 0.3), _run("SMD", "pca", "a", 0, 0.2),
            _run("SMD", "knn", "a", 0, 0.25), _run("SMD", "pca[smoothing=11]", "a", 0, 0.28),
            _run("SMD", "knn[smoothing=11]", "a", 0, 0.24),
            _run("SMD", "kmeans", "a", 0, 0.5),             # outside the target
            _run("SMD", "kmeans[smoothing=11]", "a", 0, 0.6),
            _run("MSL", "ddmt", "a", 0, 0.1)]               # no baseline: no row
    summary = benchmark.summarise(runs)
    text = benchmark.ratio_markdown(summary)
    assert text.splitlines()[2:] == [
        "| SMD | ddmt | 0.300 | 0.250 (knn) | 1.20 | 0.280 (pca[smoothing=11]) | 1.07 |"]
    assert "### Quality target" in benchmark.markdown(summary, {"SMD": 1, "MSL": 1})
    plain = benchmark.summarise([r for r in runs if "smoothing" not in r["detector"]])
    assert benchmark.ratio_markdown(plain).splitlines()[2] == (
        "| SMD | ddmt | 0.300 | 0.250 (knn) | 1.20 |  |  |")
    assert benchmark.ratio_markdown(benchmark.summarise(runs[-1:])) == ""
