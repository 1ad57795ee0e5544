"""The benchmark runner (python -m skddmt.benchmark)."""

import json

import joblib
import numpy as np
import pytest
from scipy.stats import rankdata

from skddmt import DDMTDetector, benchmark, metrics
from skddmt.baselines import HistogramDetector

from .conftest import periodic_series, with_anomalies


def _write_entity(path, seed):
    X, y = with_anomalies(periodic_series(300, seed=seed + 1), seed=seed)
    np.savez(path, train=periodic_series(400, seed=seed).astype(np.float32),
             test=X.astype(np.float32), test_label=y.astype(np.int8))


@pytest.fixture
def data_dir(tmp_path):
    for name, seeds in (("SMD", (0, 1)), ("MSL", (2,))):
        (tmp_path / name).mkdir()
        for s in seeds:
            _write_entity(tmp_path / name / f"e{s}.npz", s)
    return tmp_path


def test_evaluate_perfect_scores():
    y = np.zeros(500, int)
    y[100:120] = 1
    y[300:305] = 1
    score = y + np.random.default_rng(0).uniform(0, 0.5, size=500)  # anomalies rank first
    res = benchmark.evaluate(y, score, y, ratio=5.0)  # 5 % = the 25 anomalous points
    for key in ("vus_pr", "vus_roc", "auc_pr", "auc_roc", "pa_k_auc", "point_f1",
                "affiliation_f1", "pa_f1"):
        assert res[key] == pytest.approx(1.0), key


def test_runner_writes_tables_and_resumes_from_cache(data_dir, tmp_path, capsys):
    out = tmp_path / "out"
    args = [str(data_dir / "SMD"), str(data_dir / "MSL" / "e2.npz"),
            "--detectors", "meansq", "random", "ddmt", "--seeds", "0", "1",
            "--ddmt-params", json.dumps({"window_size": 16, "d_model": 8, "n_heads": 2,
                                         "n_layers": 1, "max_epochs": 1}),
            "--out", str(out)]
    benchmark.main(args)
    table = (out / "results.md").read_text()
    assert "### SMD (2 entities)" in table and "### MSL (1 entities)" in table
    assert "| ddmt |" in table and "| meansq |" in table and "PA F1" in table
    result = json.loads((out / "results.json").read_text())
    smd = result["summary"]["SMD"]
    assert set(smd) == {"meansq", "random", "ddmt"}
    mean, std, n_seeds = smd["random"]["vus_pr"]
    assert n_seeds == 2 and 0 <= mean <= 1
    assert smd["meansq"]["vus_pr"][1] == 0.0  # seed-free: identical over seeds
    cached = sorted((out / "cache").rglob("*.json"))
    # meansq runs once per entity; random and ddmt once per entity and seed
    assert len(cached) == 3 + 2 * 3 + 2 * 3

    # resume: a cached record is reused, not recomputed
    target = next(p for p in cached if p.parent.name.startswith("meansq") and "e0" in p.name)
    record = json.loads(target.read_text())
    record["vus_pr"] = 0.123
    target.write_text(json.dumps(record))
    capsys.readouterr()
    benchmark.main(args)
    again = json.loads((out / "results.json").read_text())["summary"]["SMD"]["meansq"]["vus_pr"]
    other = json.loads(next(p for p in cached if p.parent.name.startswith("meansq")
                            and "e1" in p.name).read_text())["vus_pr"]
    assert again[0] == pytest.approx((0.123 + other) / 2)


def test_runner_rejects_missing_input(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such file"):
        benchmark.main([str(tmp_path / "nope.npz"), "--out", str(tmp_path)])


def test_cache_key_is_the_full_parameter_set(tmp_path, monkeypatch):
    """Spelling out a default gives the same cached run; changing a value, or
    a default of the estimator, gives another."""
    path = tmp_path / "SMD" / "e0.npz"
    key = benchmark._cache_file
    assert key(tmp_path, "ddmt", {}, path, 0) == key(tmp_path, "ddmt", {"max_epochs": 20}, path, 0)
    assert key(tmp_path, "ddmt", {}, path, 0) != key(tmp_path, "ddmt", {"max_epochs": 3}, path, 0)
    assert key(tmp_path, "ddmt", {}, path, 0) != key(tmp_path, "ddmt", {}, path, 1)
    assert key(tmp_path, "ddmt", {}, path, 0).parent.name.startswith("ddmt-")
    before = key(tmp_path, "ddmt", {}, path, 0)
    # A new default (here simulated by the factory) must not reuse old runs.
    monkeypatch.setitem(benchmark.DETECTORS, "ddmt", (
        lambda seed, params: benchmark.DDMTDetector(random_state=seed,
                                                    **{"max_epochs": 7, **params}), True))
    assert key(tmp_path, "ddmt", {}, path, 0) != before


TINY = {"window_size": 16, "d_model": 8, "n_heads": 2, "n_layers": 1, "max_epochs": 2}


@pytest.mark.parametrize("extra", [{"n_reverse_steps": 3}, {"n_samples": 2},
                                   {"score_stride": 4}, {"score_features": [0, 2]},
                                   {"contamination": 0.05}])
def test_rescored_variant_equals_a_fresh_fit(data_dir, extra):
    """Re-scoring a trained model with scoring-time parameters gives exactly
    what fitting with them gives (training does not depend on them)."""
    path = data_dir / "SMD" / "e0.npz"
    base, variant = benchmark.run_one("ddmt", TINY, path, 0, ratio=1.0, rescore=[extra])
    fresh = benchmark.run_one("ddmt", {**TINY, **extra}, path, 0, ratio=1.0)[0]
    for key in benchmark.SOUND + benchmark.PAPER + ["flagged"]:
        assert variant[key] == pytest.approx(fresh[key], abs=1e-9), key
    # ... and the variant is a different scorer, so the check above is not vacuous.
    assert any(variant[key] != base[key] for key in benchmark.SOUND), extra


def test_rescored_variants_do_not_accumulate(data_dir):
    """Several re-scored variants in one run: each is the base parameters
    plus its own extra only, not the extras before it."""
    path = data_dir / "SMD" / "e0.npz"
    extras = [{"score_smoothing": 1}, {"n_samples": 2}]
    _, first, second = benchmark.run_one("ddmt", TINY, path, 0, ratio=1.0, rescore=extras)
    alone = benchmark.run_one("ddmt", TINY, path, 0, ratio=1.0, rescore=extras[1:])[1]
    for key in benchmark.SOUND + ["flagged"]:
        assert second[key] == pytest.approx(alone[key], abs=1e-9), key
    assert any(first[key] != second[key] for key in benchmark.SOUND)


def test_runner_rescore_rows_and_cache(data_dir, tmp_path):
    out = tmp_path / "out"
    args = [str(data_dir / "MSL"), "--detectors", "ddmt", "meansq", "--seeds", "0",
            "--ddmt-params", json.dumps(TINY),
            "--ddmt-rescore", json.dumps({"n_reverse_steps": 3}), "--out", str(out)]
    benchmark.main(args)
    summary = json.loads((out / "results.json").read_text())["summary"]["MSL"]
    assert set(summary) == {"ddmt", "ddmt[n_reverse_steps=3]", "meansq"}
    assert "| ddmt[n_reverse_steps=3] |" in (out / "results.md").read_text()
    # The variant is cached under its own full parameter set, so a plain run
    # with those parameters reuses it.
    variant_file = benchmark._cache_file(out / "cache", "ddmt", {**TINY, "n_reverse_steps": 3},
                                         data_dir / "MSL" / "e2.npz", 0)
    assert variant_file.is_file()
    record = json.loads(variant_file.read_text())
    assert record["vus_pr"] == pytest.approx(summary["ddmt[n_reverse_steps=3]"]["vus_pr"][0])


@pytest.mark.parametrize("args, match", [
    (["--ddmt-rescore", '{"adnm": false}'], "takes only"),
    (["--ddmt-rescore", '{"n_samples": 2}', "--ddmt-params", '{"timestep_sampling": "scoring"}'],
     "timestep_sampling='uniform'"),
])
def test_runner_rejects_rescore_of_training_parameters(data_dir, tmp_path, capsys, args, match):
    with pytest.raises(SystemExit):
        benchmark.main([str(data_dir / "MSL"), "--detectors", "ddmt", "--out", str(tmp_path),
                        *args])
    assert match in capsys.readouterr().err


def _script(name):
    """benchmarks/<name>.py as a module (a script, not part of the package)."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "benchmarks" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _ablation_script():
    return _script("ablation")


@pytest.mark.slow
def test_ablation_script_table(data_dir, tmp_path):
    """benchmarks/ablation.py runs every variant (tiny models) and prints one
    row each, compared with the full model on the same seeds."""
    ablation = _ablation_script()
    text = ablation.main(["--inputs", str(data_dir / "SMD"), str(data_dir / "MSL"),
                          "--seeds", "0", "--base-params", json.dumps(TINY),
                          "--full-out", str(tmp_path / "full"), "--out", str(tmp_path / "abl")])
    lines = text.splitlines()
    labels = [line.split("|")[1].strip() for line in lines[2:]]
    assert labels == ["full", *ablation.TRAINED, *ablation.RESCORED]
    full = lines[2].split("|")
    assert full[2].strip() == "0" and "(" not in full[3]
    for line in lines[3:]:
        cells = [c.strip() for c in line.split("|")[1:-1]]
        assert "(+" in cells[2] or "(-" in cells[2]  # SMD VUS-PR with its delta
        assert cells[6] == "n/a"  # no SMAP in these inputs
    # Each trained variant got its own cache; the re-scored ones share the full model's
    # folder (one cache key each beside the full model's).
    assert {p.name for p in (tmp_path / "abl").iterdir()} == {
        name for _, name in ablation.TRAINED.values()}
    cached = {p.parent.name for p in (tmp_path / "full" / "cache").rglob("*.json")}
    assert len(cached) == 1 + len(ablation.RESCORED) == 4


def test_ablation_script_keeps_models_for_rescored_variants(data_dir, tmp_path, monkeypatch):
    """With --models, the ablation keeps the full model and each trained
    variant's model; a later re-scored variant loads the full model instead
    of training it again."""
    ablation = _ablation_script()
    models = tmp_path / "models"
    common = ["--inputs", str(data_dir / "MSL"), "--seeds", "0",
              "--base-params", json.dumps(TINY), "--models", str(models),
              "--full-out", str(tmp_path / "full"), "--out", str(tmp_path / "abl")]
    ablation.main(common + ["--variants", "adnm=False"])
    entity = data_dir / "MSL" / "e2.npz"
    for params in (TINY, {**TINY, "adnm": False}):
        assert benchmark.model_file(models, params, entity, 0).is_file()

    def no_training(self, X, y=None):
        raise AssertionError("trained although the full model is kept")

    monkeypatch.setattr(DDMTDetector, "fit", no_training)
    text = ablation.main(common + ["--variants", "n_reverse_steps=5"])
    row = text.splitlines()[3].split("|")
    assert row[1].strip() == "n_reverse_steps=5"
    assert "(+" in row[5] or "(-" in row[5]  # MSL VUS-PR with its delta


def test_ablation_seed_table_gives_each_seeds_difference():
    ablation = _ablation_script()
    variant = [{"SMD": {"vus_pr": 0.50}}, {"SMD": {"vus_pr": 0.40}}]
    full = [{"SMD": {"vus_pr": 0.45}}, {"SMD": {"vus_pr": 0.45}}]
    lines = ablation.seed_table([("adnm=False", [0, 1], variant, full)]).splitlines()
    assert lines[0].startswith("| variant | seeds | SMD VUS-PR Δ per seed")
    cells = [c.strip() for c in lines[2].split("|")[1:-1]]
    assert cells == ["adnm=False", "0 1", "+0.050 / -0.050", "n/a", "n/a"]


def test_ablation_script_cost_mode(data_dir):
    ablation = _ablation_script()
    text = ablation.main(["--cost", str(data_dir / "MSL" / "e2.npz"),
                          "--variants", "adnm=False", "n_reverse_steps=5",
                          "--base-params", json.dumps(TINY)])
    rows = [line.split("|")[1:-1] for line in text.splitlines()[2:]]
    assert [r[0].strip() for r in rows] == ["full", "adnm=False", "n_reverse_steps=5"]
    for r in rows:
        fit_s, epochs, per_epoch, score_s = (float(c) for c in r[1:])
        assert fit_s > 0 and epochs >= 1 and per_epoch > 0 and score_s >= 0


def test_tail_scores_are_empirical_p_values():
    agg = _script("score_aggregation")
    train = np.arange(1, 100, dtype=float)[:, None] * np.ones((1, 2))  # 1..99
    test = np.array([[0.5, 99.0], [50.0, 1000.0]])
    tail = agg.tail_scores(train, test)
    # n = 99: below every training error p = 1; 50 of them >= 50; at the
    # maximum 2/100; beyond it 1/100
    np.testing.assert_allclose(tail[:, 0], -np.log([100 / 100, 51 / 100]))
    np.testing.assert_allclose(tail[:, 1], -np.log([2 / 100, 1 / 100]))


def test_score_aggregation_default_row_is_the_detector_score(data_dir, tmp_path):
    """The script's 'default' aggregation is DDMTDetector's own score, and its
    'watch' row is the score with score_features."""
    agg = _script("score_aggregation")
    path = data_dir / "SMD" / "e0.npz"
    train, test, label = agg.feature_errors(path, 0, tmp_path, TINY)
    data = np.load(path)
    assert train.shape == data["train"].shape and test.shape == data["test"].shape
    est = benchmark.DDMTDetector(random_state=0, **TINY).fit(data["train"])
    scores = agg.aggregations(train, test, watch=[1], smoothing=est.score_smoothing)
    np.testing.assert_allclose(scores["default"], -est.score_samples(data["test"]), rtol=1e-5)
    watched = benchmark.DDMTDetector(random_state=0, score_features=[1], **TINY)
    np.testing.assert_allclose(scores["watch 1"],
                               -watched.fit(data["train"]).score_samples(data["test"]),
                               rtol=1e-5)
    assert set(scores) >= {"none", "median", "q99", "tail mean", "tail max", "local median"}
    assert all(s.shape == (len(label),) and np.all(np.isfinite(s)) for s in scores.values())
    # the errors are cached: a second call reads them back
    again = agg.feature_errors(path, 0, tmp_path, TINY)
    np.testing.assert_array_equal(again[1], test)
    text = agg.main([str(data_dir / "SMD"), "--params", json.dumps(TINY),
                     "--out", str(tmp_path)])
    assert text.splitlines()[0].startswith("| aggregation | SMD VUS-PR | SMD AUC-PR |")
    assert len(text.splitlines()) == 2 + 7


def test_runner_columns_give_detectors_only_those_columns(data_dir, tmp_path):
    """--columns restricts every detector to the given columns, and such runs
    are cached apart from runs on every column."""
    path = data_dir / "MSL" / "e2.npz"
    out = tmp_path / "out"
    benchmark.main([str(path), "--detectors", "pca", "meansq", "--seeds", "0",
                    "--columns", "0", "2", "--out", str(out)])
    result = json.loads((out / "results.json").read_text())
    assert result["config"]["columns"] == [0, 2]
    got = {r["detector"]: r for r in result["runs"]}
    data = np.load(path)
    subset = benchmark.MeanSquareDetector().fit(data["train"][:, [0, 2]])
    decision = subset.decision_function(data["test"][:, [0, 2]])
    expected = benchmark.evaluate(data["test_label"], -decision, (decision < 0).astype(int),
                                  1.0, 100)
    assert got["meansq"]["vus_pr"] == pytest.approx(expected["vus_pr"])
    every = benchmark.run_one("meansq", {}, path, 0, 1.0)[0]
    assert every["vus_pr"] != pytest.approx(expected["vus_pr"])
    assert (benchmark._cache_file(out / "cache", "meansq", {}, path, 0, [0, 2])
            != benchmark._cache_file(out / "cache", "meansq", {}, path, 0))
    assert benchmark._cache_file(out / "cache", "meansq", {}, path, 0, [0, 2]).is_file()
    with pytest.raises(ValueError, match=r"--columns \[3\] out of range .*3 columns"):
        benchmark.run_one("meansq", {}, path, 0, 1.0, columns=[0, 3])


def test_window_denoising_script_wraps_and_restores_the_package(data_dir, tmp_path):
    """benchmarks/window_denoising.py: whole windows hidden at the given share
    in training, a denoising term beside the imputation error, results that
    resume from its file, and the package's functions back afterwards."""
    import torch

    from skddmt import _scoring, _training

    script = _script("window_denoising")
    originals = (_training.training_mask, _scoring.node_errors)
    out = tmp_path / "runs.jsonl"
    args = [str(data_dir / "MSL"), "--steps", "3", "--params", json.dumps(TINY),
            "--out", str(out)]
    text = script.main(args)
    assert (_training.training_mask, _scoring.node_errors) == originals
    rows = {line.split("|")[1].strip(): line for line in text.splitlines()[2:]}
    assert list(rows) == ["impute", "denoise t=3", "sum t=3"]
    (record,) = [json.loads(line) for line in out.read_text().splitlines()]
    assert all(0 <= s["vus_pr"] <= 1 and 0 <= s["auc_pr"] <= 1
               for s in record["scores"].values())
    assert script.main(args) == text  # resumed from the file, nothing refitted
    assert len(out.read_text().splitlines()) == 1

    # The wrapped training mask: all hidden with p_full=1, the package's with 0.
    det = DDMTDetector(**TINY, random_state=0).fit(np.random.default_rng(0).normal(size=(80, 3)))
    cfg = det._masking_config()
    x0 = torch.zeros(6, det.window_size_, 3)
    masks = _scoring.build_group_masks(det.window_size_, cfg.n_mask_groups, x0.device)
    wrapped = {}
    for share in (0.0, 1.0):
        script._SETTINGS["p_full"] = share
        wrapped[share] = script.training_mask_with_full(
            det.denoiser_, det.diffusion_, x0, cfg, torch.Generator().manual_seed(0), masks)
    assert torch.equal(wrapped[1.0], torch.ones_like(x0))
    package = _scoring.training_mask(det.denoiser_, det.diffusion_, x0, cfg,
                                     torch.Generator().manual_seed(0), masks)
    assert torch.equal(wrapped[0.0], package)

    # The scoring terms: the package's imputation errors, or whole-window denoising.
    windows = torch.randn(4, det.window_size_, 3, generator=torch.Generator().manual_seed(1))
    terms = {}
    for term in ("impute", "denoise"):
        script._SETTINGS.update(term=term, step=3)
        terms[term] = script.node_errors_or_denoising(
            det.denoiser_, det.diffusion_, windows, cfg, torch.Generator().manual_seed(0), masks)
    assert torch.equal(terms["impute"], _scoring.node_errors(
        det.denoiser_, det.diffusion_, windows, cfg, torch.Generator().manual_seed(0), masks))
    rebuilt = det.diffusion_.reconstruct(det.denoiser_, windows, torch.ones_like(windows), 3, [3],
                                         torch.Generator().manual_seed(0))
    torch.testing.assert_close(terms["denoise"], (rebuilt - windows).square())
    assert not torch.allclose(terms["denoise"], terms["impute"])


def test_model_key_ignores_scoring_parameters_only(tmp_path):
    path = tmp_path / "SMD" / "e0.npz"
    key = benchmark.model_file
    same = key(tmp_path, TINY, path, 0)
    for extra in ({"n_samples": 2}, {"contamination": 0.05}, {"score_features": [0]},
                  {"verbose": True}):
        assert key(tmp_path, {**TINY, **extra}, path, 0) == same, extra
    for other in (key(tmp_path, {**TINY, "max_epochs": 1}, path, 0),
                  key(tmp_path, {**TINY, "adnm": False}, path, 0),
                  key(tmp_path, TINY, path, 1),
                  key(tmp_path, TINY, path, 0, columns=[0])):
        assert other != same


def test_runner_models_reused_for_scoring_changes(data_dir, tmp_path, monkeypatch):
    """With --models, a run that changes only scoring-time parameters loads
    the kept model instead of training, and gives exactly a fresh fit's
    figures; a run that changes a training parameter trains again."""
    models = tmp_path / "models"
    entity = data_dir / "MSL" / "e2.npz"
    changed = {**TINY, "n_samples": 2, "contamination": 0.05}
    fresh = benchmark.run_one("ddmt", changed, entity, 0, ratio=1.0)[0]
    benchmark.main([str(entity), "--detectors", "ddmt", "--seeds", "0",
                    "--ddmt-params", json.dumps(TINY), "--models", str(models),
                    "--out", str(tmp_path / "first")])
    kept = benchmark.model_file(models, TINY, entity, 0)
    assert kept.is_file() and not list(models.rglob("*.partial"))
    fit_time = joblib.load(kept).fit_time_

    def no_training(self, X, y=None):
        raise AssertionError("trained although a kept model fits")

    monkeypatch.setattr(DDMTDetector, "fit", no_training)
    benchmark.main([str(entity), "--detectors", "ddmt", "--seeds", "0",
                    "--ddmt-params", json.dumps(changed), "--models", str(models),
                    "--out", str(tmp_path / "second")])
    record = json.loads(benchmark._cache_file(tmp_path / "second" / "cache", "ddmt", changed,
                                              entity, 0).read_text())
    for key in benchmark.SOUND + benchmark.PAPER + ["flagged"]:
        assert record[key] == pytest.approx(fresh[key], abs=1e-9), key
    assert record["fit_seconds"] >= fit_time  # the original fit plus the calibration
    first = json.loads(benchmark._cache_file(tmp_path / "first" / "cache", "ddmt", TINY,
                                             entity, 0).read_text())
    assert first["flagged"] != record["flagged"]  # the scoring change took effect
    with pytest.raises(AssertionError, match="trained although"):
        benchmark.run_one("ddmt", {**TINY, "max_epochs": 1}, entity, 0, ratio=1.0,
                          models=models)


def test_runner_refuses_a_kept_model_of_other_parameters(data_dir, tmp_path):
    models = tmp_path / "models"
    entity = data_dir / "MSL" / "e2.npz"
    benchmark.run_one("ddmt", TINY, entity, 0, ratio=1.0, models=models)
    other = benchmark.model_file(models, {**TINY, "max_epochs": 1}, entity, 0)
    other.parent.mkdir(parents=True)
    benchmark.model_file(models, TINY, entity, 0).rename(other)  # a stale or misplaced file
    with pytest.raises(ValueError, match="trained with other parameters"):
        benchmark.run_one("ddmt", {**TINY, "max_epochs": 1}, entity, 0, ratio=1.0,
                          models=models)


def test_select_defaults_levels_variant_and_baselines(capsys):
    """benchmarks/select_defaults.py: the 'levels' series hold long level
    shifts only, and --baselines adds one row per simple detector."""
    select = _script("select_defaults")
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
    select = _script("select_defaults")
    fits = []
    real_fit = benchmark.DDMTDetector.fit
    monkeypatch.setattr(benchmark.DDMTDetector, "fit",
                        lambda self, X, y=None: fits.append(1) or real_fit(self, X, y))
    params = {**TINY, "windows_per_epoch": 64}
    monkeypatch.setattr(select, "synthetic", lambda seed, variant: _small_synthetic(seed))
    select.main(["--variants", "clean", "--seeds", "0", "--compare", "score_smoothing", "1",
                 "9", "--params", json.dumps(params)])
    assert len(fits) == 1
    rows = [line.split("|")[1:-1] for line in capsys.readouterr().out.splitlines()
            if line.startswith("| clean")]
    assert [r[1].strip() for r in rows] == ["1", "9"]
    data = _small_synthetic(0)
    for r, width in zip(rows, (1, 9)):
        fresh = benchmark.DDMTDetector(random_state=0, score_smoothing=width, **params)
        score = -real_fit(fresh, data.train).score_samples(data.test)
        assert float(r[2].split("±")[0]) == pytest.approx(
            metrics.vus_pr(data.test_label, score), abs=5e-4)


def test_score_smoothing_script_smooths_every_detector_alike(data_dir, tmp_path, monkeypatch):
    """benchmarks/score_smoothing.py: width 1 is each detector's unsmoothed
    score, a wider row its moving average; DDMT reuses a kept model, whose
    own (default-smoothed) score is the row of its width."""
    from skddmt._preprocessing import moving_average

    smooth = _script("score_smoothing")
    monkeypatch.setitem(benchmark.DETECTORS, "ddmt", (
        lambda seed, params: DDMTDetector(random_state=seed, **{**TINY, **params}), True))
    path = data_dir / "SMD" / "e0.npz"
    data = benchmark.load_npz(path)
    kept = benchmark.model_file(tmp_path / "models", {}, path, 0)
    kept.parent.mkdir(parents=True)
    model = benchmark.DETECTORS["ddmt"][0](0, {}).fit(data.train)
    joblib.dump(model, kept)
    width = model.score_smoothing
    own = -model.score_samples(data.test)
    raw = -model.set_params(score_smoothing=1).score_samples(data.test)
    summary = smooth.main([str(path), "--seeds", "0", "--widths", "1", "3", str(width),
                           "--detectors", "ddmt", "meansq", "--models", str(tmp_path / "models"),
                           "--out", str(tmp_path / "out")])
    y = data.test_label
    for w, score in ((1, raw), (3, moving_average(raw, 3)), (width, own)):
        assert summary["ddmt"][str(w)]["SMD"] == pytest.approx(
            [metrics.vus_pr(y, score), metrics.auc_pr(y, score)])
    meansq = -benchmark.DETECTORS["meansq"][0](0, {}).fit(data.train).score_samples(data.test)
    assert summary["meansq"]["3"]["SMD"] == pytest.approx(
        [metrics.vus_pr(y, moving_average(meansq, 3)), metrics.auc_pr(y, moving_average(meansq, 3))])
    assert (tmp_path / "out" / "results.md").read_text().count("| ddmt |") == 3


def _small_synthetic(seed):
    from skddmt.datasets import make_synthetic
    return make_synthetic(n_train=600, n_test=600, n_features=3, n_anomalies=4,
                          random_state=seed)


def _nasa_folder(root, name="SMAP"):
    """A NASA-like folder: three channels (one listed twice in the CSV, so left
    out of ALL_concat, as SMAP's P-2), their files and their concatenation."""
    folder = root / name
    folder.mkdir()
    (folder / "labeled_anomalies.csv").write_text(
        "chan_id,spacecraft,anomaly_sequences,class,num_values\n"
        f'A-1,{name},"[[10, 20]]",[point],60\n'
        f'B-1,{name},"[[5, 9]]",[point],60\n'
        f'B-1,{name},"[[30, 40]]",[point],60\n'
        f'C-1,{name},"[[40, 59]]",[point],80\n'
        'X-1,OTHER,"[[0, 1]]",[point],60\n')
    parts = {}
    for i, (chan, n) in enumerate([("A-1", 60), ("B-1", 60), ("C-1", 80)]):
        rng = np.random.default_rng(i)
        label = np.zeros(n, np.int8)
        label[{"A-1": slice(10, 21), "B-1": slice(5, 10), "C-1": slice(40, 60)}[chan]] = 1
        parts[chan] = dict(train=rng.normal(size=(100, 3)).astype(np.float32),
                           test=rng.normal(size=(n, 3)).astype(np.float32), test_label=label)
        np.savez(folder / f"{chan}.npz", **parts[chan])
    np.savez(folder / "ALL_concat.npz", **{
        key: np.concatenate([parts[c][key] for c in ("A-1", "C-1")])
        for key in ("train", "test", "test_label")})
    return folder


def test_channel_diagnosis_segments_and_figures(tmp_path):
    """benchmarks/channel_diagnosis.py: the concatenated test series is cut back
    into its channels (checked against their files), and the between- and
    within-channel figures separate the two ways a score can rank."""
    script = _script("channel_diagnosis")
    folder = _nasa_folder(tmp_path)
    names, bounds, data = script.channel_segments(folder)
    assert names == ["A-1", "C-1"] and bounds == [(0, 60), (60, 140)]

    y = data.test_label.astype(int)
    offset = np.repeat([0.0, 10.0], [60, 80])
    score = y + offset + np.random.default_rng(0).uniform(0, 0.5, size=140)
    # Inside each channel the anomalies rank first; channel C-1 sits higher.
    res = script.diagnose(score, y, bounds, window=5)
    assert res["within_pairs_auc_roc"] == pytest.approx(1.0)
    assert res["channel_auc_roc"] == pytest.approx(1.0) and res["n_channels"] == 2
    pos = [int(y[a:b].sum()) for a, b in bounds]
    within = sum(p * (b - a - p) for p, (a, b) in zip(pos, bounds))
    assert res["within_share"] == pytest.approx(within / (y.sum() * (140 - y.sum())))
    # Cross pairs: an anomaly of C-1 beats every normal point of A-1; an
    # anomaly of A-1 (about 1.25) loses to every normal point of C-1 (10+).
    cross = pos[1] * (60 - pos[0]) / (pos[1] * (60 - pos[0]) + pos[0] * (80 - pos[1]))
    assert res["cross_pairs_auc_roc"] == pytest.approx(cross)
    percentile = np.concatenate([(rankdata(score[a:b]) - 0.5) / (b - a) for a, b in bounds])
    assert res["ranked_auc_pr"] == pytest.approx(metrics.auc_pr(y, percentile))
    assert res["ranked_vus_pr"] == pytest.approx(metrics.vus_pr(y, percentile, 5))
    # A channel-level score only: ties inside the channels, all in the cross pairs.
    res = script.diagnose(offset, y, bounds, window=5)
    assert res["within_pairs_auc_roc"] == pytest.approx(0.5)
    assert res["cross_pairs_auc_roc"] == pytest.approx(cross)

    # A channel file that does not match its place in the concatenation.
    c1 = dict(np.load(folder / "C-1.npz"))
    c1["test"] = c1["test"][::-1].copy()
    np.savez(folder / "C-1.npz", **c1)
    with pytest.raises(ValueError, match="C-1: its test series is not rows 60:140"):
        script.channel_segments(folder)


def test_channel_diagnosis_main(tmp_path, capsys):
    script = _script("channel_diagnosis")
    folder = _nasa_folder(tmp_path, "MSL")
    text = script.main([str(folder), "--detectors", "ddmt", "meansq",
                        "--ddmt-params", json.dumps({**TINY, "windows_per_epoch": 32})])
    rows = [line.split("|")[1:-1] for line in text.splitlines()[2:]]
    assert [r[0].strip() for r in rows] == ["ddmt", "meansq"]
    for r in rows:
        assert all(0 <= float(c) <= 1 for c in r[1:10])
    assert "MSL: 2 channels, 140 test rows, 2 channels with anomalies" in capsys.readouterr().out


def test_channel_diagnosis_sets_scoring_parameters_on_a_kept_model(tmp_path):
    """With --model, --ddmt-params sets scoring parameters (here: no smoothing)
    on the loaded model, and refuses training parameters."""
    script = _script("channel_diagnosis")
    folder = _nasa_folder(tmp_path, "MSL")
    data = benchmark.load_npz(folder / "ALL_concat.npz")
    model = DDMTDetector(random_state=0, **TINY, windows_per_epoch=32).fit(data.train)
    joblib.dump(model, tmp_path / "model.joblib")
    raw = -model.set_params(score_smoothing=1).score_samples(data.test)
    text = script.main([str(folder), "--detectors", "ddmt", "--model",
                        str(tmp_path / "model.joblib"),
                        "--ddmt-params", json.dumps({"score_smoothing": 1})])
    pooled = float(text.splitlines()[2].split("|")[2])
    assert pooled == pytest.approx(metrics.auc_roc(data.test_label, raw), abs=5e-4)
    with pytest.raises(SystemExit):
        script.main([str(folder), "--detectors", "ddmt", "--model",
                     str(tmp_path / "model.joblib"), "--ddmt-params", '{"d_model": 8}'])


def test_channel_diagnosis_level_scores(tmp_path):
    """level_rarity is HBOS on column 0 alone, high between the training modes;
    level_tail is the two-sided tail share, high only beyond the bulk."""
    script = _script("channel_diagnosis")
    rng = np.random.default_rng(0)
    train = np.c_[np.r_[rng.normal(-1, 0.05, 500), rng.normal(1, 0.05, 500)],
                  rng.integers(0, 2, 1000)]
    test = np.array([[1.0, 0], [0.0, 0], [3.0, 1]])
    got = script.level_scores(train, test, n_bins=20)
    assert got["level_rarity"][1] > got["level_rarity"][0] + 3  # between the modes
    expected = -HistogramDetector(n_bins=20).fit(train[:, [0]]).score_samples(test[:, [0]])
    np.testing.assert_allclose(got["level_rarity"], expected)
    # the middle value has half the training values on each side: no tail at all
    assert got["level_tail"][1] == pytest.approx(-np.log(0.5), abs=0.01)
    assert got["level_tail"][2] == pytest.approx(np.log(1000))  # beyond every value
    assert got["level_tail"][0] < got["level_tail"][2]

    folder = _nasa_folder(tmp_path, "MSL")
    text = script.main([str(folder), "--detectors", "level_rarity", "level_tail", "hbos",
                        "--level-bins", "5"])
    assert [line.split("|")[1].strip() for line in text.splitlines()[2:]] == [
        "level_rarity", "level_tail", "hbos"]
