"""skddmt.benchmark.cli: python -m skddmt.benchmark end to end."""

import json

import pytest

from skddmt import DDMTDetector, benchmark, metrics
from skddmt.baselines import MeanSquareDetector, SmoothedDetector
from skddmt.datasets import load_npz

from .benchmark_helpers import TINY


def test_runner_writes_tables_and_resumes_from_cache(bench_data, tmp_path, capsys):
    out = tmp_path / "out"
    args = [str(bench_data / "SMD"), str(bench_data / "MSL" / "e2.npz"),
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

def test_runner_rescore_rows_and_cache(bench_data, tmp_path):
    out = tmp_path / "out"
    args = [str(bench_data / "MSL"), "--detectors", "ddmt", "meansq", "--seeds", "0",
            "--ddmt-params", json.dumps(TINY),
            "--ddmt-rescore", json.dumps({"n_reverse_steps": 3}), "--out", str(out)]
    benchmark.main(args)
    summary = json.loads((out / "results.json").read_text())["summary"]["MSL"]
    assert set(summary) == {"ddmt", "ddmt[n_reverse_steps=3]", "meansq"}
    assert "| ddmt[n_reverse_steps=3] |" in (out / "results.md").read_text()
    # The variant is cached under its own full parameter set, so a plain run
    # with those parameters reuses it.
    variant_file = benchmark.run_file(out / "cache", "ddmt", {**TINY, "n_reverse_steps": 3},
                                         bench_data / "MSL" / "e2.npz", 0)
    assert variant_file.is_file()
    record = json.loads(variant_file.read_text())
    assert record["vus_pr"] == pytest.approx(summary["ddmt[n_reverse_steps=3]"]["vus_pr"][0])

@pytest.mark.parametrize("args, match", [
    (["--ddmt-rescore", '{"adnm": false}'], "takes only"),
    (["--ddmt-rescore", '{"n_samples": 2}', "--ddmt-params", '{"timestep_sampling": "scoring"}'],
     "timestep_sampling='uniform'"),
])
def test_runner_rejects_rescore_of_training_parameters(bench_data, tmp_path, capsys, args, match):
    with pytest.raises(SystemExit):
        benchmark.main([str(bench_data / "MSL"), "--detectors", "ddmt", "--out", str(tmp_path),
                        *args])
    assert match in capsys.readouterr().err

def test_runner_models_reused_for_scoring_changes(bench_data, tmp_path, monkeypatch):
    """With --models, a run that changes only scoring-time parameters loads
    the kept model instead of training, and gives exactly a fresh fit's
    figures; a run that changes a training parameter trains again."""
    models = tmp_path / "models"
    entity = bench_data / "MSL" / "e2.npz"
    changed = {**TINY, "n_samples": 2, "contamination": 0.05}
    fresh = benchmark.run_one("ddmt", changed, entity, 0, ratio=1.0)[0]
    benchmark.main([str(entity), "--detectors", "ddmt", "--seeds", "0",
                    "--ddmt-params", json.dumps(TINY), "--models", str(models),
                    "--out", str(tmp_path / "first")])
    kept = benchmark.model_file(models, TINY, entity, 0)
    assert kept.is_file() and not list(models.rglob("*.partial"))
    fit_time = DDMTDetector.load(kept).fit_time_

    def no_training(self, X, y=None):
        raise AssertionError("trained although a kept model fits")

    monkeypatch.setattr(DDMTDetector, "fit", no_training)
    benchmark.main([str(entity), "--detectors", "ddmt", "--seeds", "0",
                    "--ddmt-params", json.dumps(changed), "--models", str(models),
                    "--out", str(tmp_path / "second")])
    record = json.loads(benchmark.run_file(tmp_path / "second" / "cache", "ddmt", changed,
                                              entity, 0).read_text())
    for key in benchmark.SOUND + benchmark.PAPER + ["flagged"]:
        assert record[key] == pytest.approx(fresh[key], abs=1e-9), key
    assert record["fit_seconds"] >= fit_time  # the original fit plus the calibration
    first = json.loads(benchmark.run_file(tmp_path / "first" / "cache", "ddmt", TINY,
                                             entity, 0).read_text())
    assert first["flagged"] != record["flagged"]  # the scoring change took effect
    with pytest.raises(AssertionError, match="trained although"):
        benchmark.run_one("ddmt", {**TINY, "max_epochs": 1}, entity, 0, ratio=1.0,
                          models=models)


def test_runner_baseline_smoothing_rows(bench_data, tmp_path, capsys):
    out = tmp_path / "out"
    path = bench_data / "MSL" / "e2.npz"
    benchmark.main([str(path), "--detectors", "ddmt", "meansq", "--seeds", "0",
                    "--ddmt-params", json.dumps(TINY), "--baseline-smoothing", "7",
                    "--out", str(out)])
    summary = json.loads((out / "results.json").read_text())["summary"]["MSL"]
    assert set(summary) == {"ddmt", "meansq", "meansq[smoothing=7]"}  # DDMT is smoothed already
    data = load_npz(path)
    det = SmoothedDetector(MeanSquareDetector(), width=7).fit(data.train)
    expected = metrics.vus_pr(data.test_label, -det.score_samples(data.test), window=100)
    assert summary["meansq[smoothing=7]"]["vus_pr"][0] == pytest.approx(expected)
    ratio = summary["ddmt"]["vus_pr"][0] / max(summary["meansq"]["vus_pr"][0], 1e-12)
    table = (out / "results.md").read_text()
    assert f"| MSL | ddmt | {summary['ddmt']['vus_pr'][0]:.3f} |" in table
    assert f"| {ratio:.2f} |" in table
    with pytest.raises(SystemExit):
        benchmark.main([str(path), "--detectors", "meansq", "--baseline-smoothing", "0",
                        "--out", str(out)])
    assert "at least 1 row" in capsys.readouterr().err
