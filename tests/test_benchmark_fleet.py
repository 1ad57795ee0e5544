"""skddmt.benchmark: fleets (one DDMT model for a folder's entities, each
scored alone) and the folder rule that leaves a concatenation out."""

import json
import shutil

import numpy as np
import pytest

from skddmt import DDMTDetector, benchmark

from .benchmark_helpers import TINY


def test_a_folder_leaves_its_concatenation_out(bench_data):
    msl = bench_data / "MSL"
    shutil.copy(msl / "e2.npz", msl / "ALL_concat.npz")
    assert [p.name for p in benchmark.entity_paths([msl])] == ["e2.npz"]
    # ... but it runs when named
    given = benchmark.entity_paths([msl / "ALL_concat.npz"])
    assert [p.name for p in given] == ["ALL_concat.npz"]
    (msl / "e2.npz").unlink()
    with pytest.raises(ValueError, match="no .npz file"):
        benchmark.entity_paths([msl])


def test_run_fleet_is_one_fit_on_the_list_then_each_entity_alone(bench_data):
    paths = benchmark.entity_paths([bench_data / "SMD"])
    variants = benchmark.run_fleet(TINY, paths, 0, ratio=1.0, rescore=[{"score_smoothing": 1}])
    assert len(variants) == 2 and all(len(records) == 2 for records in variants)

    data = [np.load(p) for p in paths]
    est = DDMTDetector(random_state=0, **TINY).fit([d["train"] for d in data])
    for record, d, path in zip(variants[0], data, paths):
        decision = est.decision_function(d["test"])
        expected = benchmark.evaluate(d["test_label"], -decision, (decision < 0).astype(int),
                                      1.0, 100)
        assert record["entity"] == path.stem
        for key in benchmark.SOUND + benchmark.PAPER + ["flagged"]:
            assert record[key] == pytest.approx(expected[key], abs=1e-12), key
    # fit seconds are the share of one entity
    assert variants[0][0]["fit_seconds"] == pytest.approx(variants[0][1]["fit_seconds"])

    # the fleet model is not the per-entity one
    alone = benchmark.run_one("ddmt", TINY, paths[0], 0, ratio=1.0)[0]
    assert any(alone[key] != variants[0][0][key] for key in benchmark.SOUND)

    # a re-scored variant equals that fleet model refitted with the extra
    fresh = benchmark.run_fleet({**TINY, "score_smoothing": 1}, paths, 0, ratio=1.0)[0]
    for got, want in zip(variants[1], fresh):
        for key in benchmark.SOUND + ["flagged"]:
            assert got[key] == pytest.approx(want[key], abs=1e-12), key


def test_cli_fleet_fits_ddmt_once_and_the_baselines_per_entity(bench_data, tmp_path,
                                                               monkeypatch):
    fits = []
    original = DDMTDetector.fit

    def counting_fit(self, X, y=None):
        fits.append(len(X) if isinstance(X, list) else 1)
        return original(self, X, y)

    monkeypatch.setattr(DDMTDetector, "fit", counting_fit)
    out = tmp_path / "out"
    args = [str(bench_data / "MSL" / "e2.npz"), "--fleet", str(bench_data / "SMD"),
            "--detectors", "ddmt", "meansq", "--seeds", "0", "1",
            "--ddmt-params", json.dumps(TINY), "--out", str(out)]
    benchmark.main(args)
    assert sorted(fits) == [1, 1, 2, 2]  # MSL e2 and the SMD fleet, per seed
    result = json.loads((out / "results.json").read_text())
    assert set(result["summary"]) == {"MSL", "SMD channels"}
    assert list(result["config"]["fleets"]) == ["SMD channels"]
    table = (out / "results.md").read_text()
    assert "### SMD channels (2 entities)" in table

    fleet_runs = [r for r in result["runs"] if r["dataset"] == "SMD channels"]
    assert sorted((r["detector"], r["entity"], r["seed"]) for r in fleet_runs) == sorted(
        (d, e, s) for d in ("ddmt", "meansq") for e in ("e0", "e1") for s in (0, 1))
    # the baseline is fitted per entity: the same record as a plain run
    meansq = benchmark.run_one("meansq", {}, bench_data / "SMD" / "e0.npz", 0, 1.0)[0]
    got = next(r for r in fleet_runs if r["detector"] == "meansq" and r["entity"] == "e0")
    assert got["vus_pr"] == pytest.approx(meansq["vus_pr"])
    # the summary is the mean over the fleet's entities
    seed0 = [r["vus_pr"] for r in fleet_runs if r["detector"] == "ddmt" and r["seed"] == 0]
    seed1 = [r["vus_pr"] for r in fleet_runs if r["detector"] == "ddmt" and r["seed"] == 1]
    mean, _, n_seeds = result["summary"]["SMD channels"]["ddmt"]["vus_pr"]
    assert n_seeds == 2 and mean == pytest.approx((np.mean(seed0) + np.mean(seed1)) / 2)

    # resume: the fleet's records come from the cache, with no fit
    fits.clear()
    benchmark.main(args)
    assert fits == []
    again = json.loads((out / "results.json").read_text())
    assert again["summary"] == result["summary"]


def test_the_fleet_key_holds_its_members(bench_data, tmp_path):
    smd = sorted((bench_data / "SMD").glob("*.npz"))
    both = benchmark.run_file(tmp_path, "ddmt", TINY, smd, 0)
    assert benchmark.run_file(tmp_path, "ddmt", TINY, smd[::-1], 0) == both  # order-free
    assert benchmark.run_file(tmp_path, "ddmt", TINY, smd[:1], 0) != both
    assert benchmark.run_file(tmp_path, "ddmt", TINY, smd[0], 0) != benchmark.run_file(
        tmp_path, "ddmt", TINY, smd[:1], 0)  # one entity alone is not a fleet of one
    assert benchmark.model_file(tmp_path, TINY, smd, 0) != benchmark.model_file(
        tmp_path, TINY, smd[:1], 0)


def test_a_kept_fleet_model_is_reused(bench_data, tmp_path, monkeypatch):
    paths = benchmark.entity_paths([bench_data / "SMD"])
    models = tmp_path / "models"
    first = benchmark.run_fleet(TINY, paths, 0, ratio=1.0, models=models)[0]
    assert benchmark.model_file(models, TINY, paths, 0).is_file()

    def no_training(self, X, y=None):
        raise AssertionError("trained although a kept model fits")

    monkeypatch.setattr(DDMTDetector, "fit", no_training)
    again = benchmark.run_fleet(TINY, paths, 0, ratio=1.0, models=models)[0]
    for got, want in zip(again, first):
        for key in benchmark.SOUND + ["flagged"]:
            assert got[key] == pytest.approx(want[key], abs=1e-12), key


def test_cli_fleet_needs_a_folder(bench_data, tmp_path, capsys):
    with pytest.raises(SystemExit):
        benchmark.main(["--fleet", str(bench_data / "MSL" / "e2.npz"), "--out", str(tmp_path)])
    assert "--fleet takes folders" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        benchmark.main(["--out", str(tmp_path)])
    assert "give entity files or folders" in capsys.readouterr().err
