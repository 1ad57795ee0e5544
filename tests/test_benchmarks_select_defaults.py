"""benchmarks/select_defaults.py (a maintained script, loaded by path)."""

import json

import pytest

from skddmt import DDMTDetector, metrics

from .benchmark_helpers import TINY, script


def test_select_defaults_levels_variant_and_baselines(capsys):
    """benchmarks/select_defaults.py: the 'levels' series hold long level
    shifts only, and --baselines adds one row per simple detector."""
    select = script("select_defaults")
    data = select.synthetic(0, "levels", n=1200, n_features=3)
    kinds = {k for _, _, k in data.anomaly_segments}
    assert kinds == {"level"} and min(b - a for a, b, _ in data.anomaly_segments) >= 20
    select.main(["--variants", "levels", "--seeds", "0", "--compare", "max_epochs", "1",
                 "--params", json.dumps({**TINY, "windows_per_epoch": 64}), "--baselines"])
    rows = [line.split("|")[1:-1] for line in capsys.readouterr().out.splitlines()
            if line.startswith("| levels")]
    assert [r[1].strip() for r in rows] == ["1", *select.BASELINES]
    for r in rows:
        vus, ap = (float(c.split("±")[0]) for c in r[2:4])
        assert 0 < vus <= 1 and 0 < ap <= 1

def test_select_defaults_rescores_a_scoring_parameter(capsys, monkeypatch):
    """A scoring parameter is compared on one fit per seed, re-scored per
    value; each row is what a fresh fit with that value gives."""
    select = script("select_defaults")
    fits = []
    real_fit = DDMTDetector.fit
    monkeypatch.setattr(DDMTDetector, "fit",
                        lambda self, X, y=None: fits.append(1) or real_fit(self, X, y))
    params = {**TINY, "windows_per_epoch": 64}
    monkeypatch.setattr(select, "synthetic", lambda seed, variant: _small_synthetic(seed))
    select.main(["--variants", "clean", "--seeds", "0", "--compare", "score_smoothing", "1",
                 "9", "--params", json.dumps(params), "--rescore", '{"rarity": "none"}',
                 "--rescore", '{"score_smoothing": 5}'])
    assert len(fits) == 1
    rows = [line.split("|")[1:-1] for line in capsys.readouterr().out.splitlines()
            if line.startswith("| clean")]
    assert [r[1].strip() for r in rows] == ["1", "9", '{"rarity": "none"}',
                                           '{"score_smoothing": 5}']
    data = _small_synthetic(0)
    # each re-scored row starts from the first value's scoring (smoothing 1), not the last row's
    settings = [{"score_smoothing": 1}, {"score_smoothing": 9},
                {"score_smoothing": 1, "rarity": "none"}, {"score_smoothing": 5}]
    for r, setting in zip(rows, settings):
        fresh = DDMTDetector(random_state=0, **setting, **params)
        score = -real_fit(fresh, data.train).score_samples(data.test)
        assert float(r[2].split("±")[0]) == pytest.approx(
            metrics.vus_pr(data.test_label, score), abs=5e-4)

def test_select_defaults_rescore_takes_scoring_parameters_only():
    select = script("select_defaults")
    with pytest.raises(SystemExit):
        select.main(["--compare", "rarity", "none", "--rescore", '{"d_model": 8}'])


def _small_synthetic(seed):
    from skddmt.datasets import make_synthetic
    return make_synthetic(n_train=600, n_test=600, n_features=3, n_anomalies=4,
                          random_state=seed)


@pytest.mark.parametrize("variant", ["correlation", "rare_level", "flags", "low_variance", "stuck",
                                     "rare_step"])
def test_select_defaults_shaped_variants_hold_their_type(variant):
    select = script("select_defaults")
    data = select.synthetic(0, variant, n=1200, n_features=6)
    assert {k for _, _, k in data.anomaly_segments} == {variant}
    assert data.train.shape == (1200, 6) and data.test_label.sum() > 0
