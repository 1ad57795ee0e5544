"""benchmarks/attribution.py (a maintained script, loaded by path)."""

import json

from skddmt import DDMTDetector, benchmark
from skddmt.datasets import load_npz

from .benchmark_helpers import TINY, script


def test_attribution_script_table(bench_data, tmp_path, monkeypatch):
    """Machines with an interpretation file get one row per detector, means
    over seeds; a kept model is loaded instead of fitted."""
    attribution = script("attribution")
    smd = bench_data / "SMD"
    (smd / "interpretation_label").mkdir()
    for entity in ("e0", "e1"):
        label = load_npz(smd / f"{entity}.npz").test_label
        start = int(label.argmax())
        (smd / "interpretation_label" / f"{entity}.txt").write_text(f"{start}-{start + 2}:1,2\n")
    models = tmp_path / "models"
    kept = benchmark.model_file(models, TINY, smd / "e0.npz", 0)
    kept.parent.mkdir(parents=True)
    DDMTDetector(random_state=0, **TINY).fit(load_npz(smd / "e0.npz").train).save(kept)
    fits = []
    real_fit = DDMTDetector.fit

    def counted_fit(self, X, y=None):
        fits.append(len(X))
        return real_fit(self, X, y)

    monkeypatch.setattr(DDMTDetector, "fit", counted_fit)
    text = attribution.main(["--data", str(smd), "--seeds", "0", "--models", str(models),
                             "--ddmt-params", json.dumps(TINY)])
    assert fits == [len(load_npz(smd / "e1.npz").train)]  # e0's model was kept
    lines = text.splitlines()
    assert lines[0].startswith("2 machines, 4 labelled timestamps")
    rows = {line.split("|")[1].strip(): line.split("|")[2:-1] for line in lines[4:]}
    assert set(rows) == {"ddmt", "zscore", "pca"}
    for cells in rows.values():
        values = [float(c.split("±")[0]) for c in cells]
        assert len(values) == 4 and all(0 <= v <= 1 for v in values)
