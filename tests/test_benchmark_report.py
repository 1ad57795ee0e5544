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
    assert text.count("| ddmt |") == 2 and "| 0.250 ± 0.000 |" in text


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
