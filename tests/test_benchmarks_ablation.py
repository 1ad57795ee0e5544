"""benchmarks/ablation.py (a maintained script, loaded by path)."""

import json

import pytest

from skddmt import DDMTDetector, benchmark

from .benchmark_helpers import TINY, script


def _ablation_script():
    return script("ablation")

@pytest.mark.slow
def test_ablation_script_table(bench_data, tmp_path):
    """benchmarks/ablation.py runs every variant (tiny models) and prints one
    row each, compared with the full model on the same seeds."""
    ablation = _ablation_script()
    text = ablation.main(["--inputs", str(bench_data / "SMD"), str(bench_data / "MSL"),
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
    assert len(cached) == 1 + len(ablation.RESCORED) == 8

def test_ablation_script_keeps_models_for_rescored_variants(bench_data, tmp_path, monkeypatch):
    """With --models, the ablation keeps the full model and each trained
    variant's model; a later re-scored variant loads the full model instead
    of training it again."""
    ablation = _ablation_script()
    models = tmp_path / "models"
    common = ["--inputs", str(bench_data / "MSL"), "--seeds", "0",
              "--base-params", json.dumps(TINY), "--models", str(models),
              "--full-out", str(tmp_path / "full"), "--out", str(tmp_path / "abl")]
    ablation.main(common + ["--variants", "adnm=False"])
    entity = bench_data / "MSL" / "e2.npz"
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

def test_ablation_script_runs_a_fleet(bench_data, tmp_path):
    """--fleet with no --inputs: the variants run on the fleet only, reported
    as '<folder> channels' after the three datasets (n/a there)."""
    ablation = _ablation_script()
    text = ablation.main(["--inputs", "--fleet", str(bench_data / "SMD"), "--seeds", "0",
                          "--variants", "adnm=False", "--base-params", json.dumps(TINY),
                          "--full-out", str(tmp_path / "full"), "--out", str(tmp_path / "abl")])
    lines = text.splitlines()
    head = [c.strip() for c in lines[0].split("|")[1:-1]]
    assert head[8] == "SMD channels VUS-PR (Δ)"
    row = [c.strip() for c in lines[3].split("|")[1:-1]]
    assert row[0] == "adnm=False" and row[2] == "n/a"
    assert "(+" in row[8] or "(-" in row[8]


def test_ablation_table_adds_the_fleets_after_the_three_datasets():
    ablation = _ablation_script()
    full = {"SMD": {"vus_pr": 0.5, "auc_pr": 0.4, "fit_seconds": 1.0, "score_seconds": 1.0},
            "MSL channels": {"vus_pr": 0.3, "auc_pr": 0.2, "fit_seconds": 2.0,
                             "score_seconds": 1.0}}
    text = ablation.table([("full", [0], full, full)])
    head = [c.strip() for c in text.splitlines()[0].split("|")[1:-1]]
    assert head[2:10] == ["SMD VUS-PR (Δ)", "SMD AUC-PR (Δ)", "MSL VUS-PR (Δ)", "MSL AUC-PR (Δ)",
                          "SMAP VUS-PR (Δ)", "SMAP AUC-PR (Δ)", "MSL channels VUS-PR (Δ)",
                          "MSL channels AUC-PR (Δ)"]
    row = [c.strip() for c in text.splitlines()[2].split("|")[1:-1]]
    assert row[2] == "0.500" and row[4] == "n/a" and row[8] == "0.300"


def test_ablation_script_cost_mode(bench_data):
    ablation = _ablation_script()
    text = ablation.main(["--cost", str(bench_data / "MSL" / "e2.npz"),
                          "--variants", "adnm=False", "n_reverse_steps=5",
                          "--base-params", json.dumps(TINY)])
    rows = [line.split("|")[1:-1] for line in text.splitlines()[2:]]
    assert [r[0].strip() for r in rows] == ["full", "adnm=False", "n_reverse_steps=5"]
    for r in rows:
        fit_s, epochs, per_epoch, score_s = (float(c) for c in r[1:])
        assert fit_s > 0 and epochs >= 1 and per_epoch > 0 and score_s >= 0
