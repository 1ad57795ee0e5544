"""Readers of the benchmarks' public file formats and the synthetic generator.

Each reader is checked on small files written in the exact public layout;
nothing here needs the shared benchmark data, except the last test, which
is skipped without it.
"""

from pathlib import Path

import numpy as np
import pytest

from skddmt.datasets import (
    ANOMALY_TYPES,
    EXTRA_ANOMALY_TYPES,
    list_smd_machines,
    load_nasa,
    load_npz,
    load_psm,
    load_smd,
    load_swat,
    make_synthetic,
)

SHARED_DATA = Path(__file__).parents[2] / "shared" / "data"


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


# --------------------------------------------------------------------- SMD


def smd_matrix(n, d, seed):
    return np.round(np.random.default_rng(seed).uniform(size=(n, d)), 6)


def matrix_text(X):
    return "".join(",".join(repr(float(v)) for v in row) + "\n" for row in X)


@pytest.fixture
def smd_root(tmp_path):
    """A 30 x 4 machine (plus a second one) in OmniAnomaly's layout."""
    base = tmp_path / "ServerMachineDataset"
    train, test = smd_matrix(30, 4, 0), smd_matrix(30, 4, 1)
    label = np.zeros(30, dtype=int)
    label[5:9] = 1
    label[20:22] = 1
    for name in ("machine-1-1", "machine-1-10", "machine-1-2"):
        write(base / "train" / f"{name}.txt", matrix_text(train))
        write(base / "test" / f"{name}.txt", matrix_text(test))
        write(base / "test_label" / f"{name}.txt", "".join(f"{v}\n" for v in label))
    write(base / "interpretation_label" / "machine-1-1.txt", "5-9:1,3\n20-22:4\n")
    return tmp_path, train, test, label


def test_load_smd(smd_root):
    root, train, test, label = smd_root
    data = load_smd(root, "machine-1-1")
    assert data.train.shape == (30, 4) and data.test.shape == (30, 4)
    assert data.train.dtype == np.float64 and data.test_label.dtype == np.int64
    np.testing.assert_array_equal(data.train, train)
    np.testing.assert_array_equal(data.test, test)
    np.testing.assert_array_equal(data.test_label, label)
    assert data.name == "machine-1-1"
    assert data.interpretation == [(5, 9, [0, 2]), (20, 22, [3])]
    # the ServerMachineDataset folder itself, a .txt suffix, no interpretation file
    other = load_smd(root / "ServerMachineDataset", "machine-1-2.txt")
    np.testing.assert_array_equal(other.test, test)
    assert "interpretation" not in other


def test_list_smd_machines(smd_root):
    root = smd_root[0]
    expected = ["machine-1-1", "machine-1-2", "machine-1-10"]
    assert list_smd_machines(root) == expected
    assert list_smd_machines(root / "ServerMachineDataset") == expected
    with pytest.raises(FileNotFoundError, match="ServerMachineDataset"):
        list_smd_machines(root / "nowhere")


def test_load_smd_errors(smd_root):
    root = smd_root[0]
    base = root / "ServerMachineDataset"
    with pytest.raises(ValueError, match="machine-1-10"):   # lists the valid names
        load_smd(root, "machine-9-9")
    (base / "test" / "machine-1-2.txt").unlink()
    with pytest.raises(FileNotFoundError, match="machine-1-2.txt"):
        load_smd(root, "machine-1-2")

    def broken(sub, text, name="machine-1-1"):
        write(base / sub / f"{name}.txt", text)
        return name

    broken("train", "0.1,0.2,0.3,0.4\n0.1,0.2,0.3\n", "machine-1-10")
    with pytest.raises(ValueError, match=r"line 2: expected 4 .*found 3"):
        load_smd(root, "machine-1-10")
    broken("train", "0.1,0.2,0.3,0.4\n0.1,abc,0.3,0.4\n", "machine-1-10")
    with pytest.raises(ValueError, match=r"line 2, column 2: cannot read 'abc'"):
        load_smd(root, "machine-1-10")
    broken("train", "0.1,0.2,0.3\n" * 3, "machine-1-10")
    with pytest.raises(ValueError, match="3 columns but .* has 4"):
        load_smd(root, "machine-1-10")

    broken("test_label", "0\n" * 29)
    with pytest.raises(ValueError, match="29 labels but .* 30 rows"):
        load_smd(root, "machine-1-1")
    broken("test_label", "0\n" * 29 + "2\n")
    with pytest.raises(ValueError, match="0 or 1"):
        load_smd(root, "machine-1-1")
    broken("test_label", "0\n" * 30)
    broken("interpretation_label", "5-9:1,3\n20-40:4\n")
    with pytest.raises(ValueError, match="outside the test series"):
        load_smd(root, "machine-1-1")
    broken("interpretation_label", "5-9;1,3\n")
    with pytest.raises(ValueError, match="start-stop:i,j,k"):
        load_smd(root, "machine-1-1")


# -------------------------------------------------------------- SMAP / MSL

LABELED_ANOMALIES = """\
chan_id,spacecraft,anomaly_sequences,class,num_values
P-1,SMAP,"[[2, 4], [10, 11]]","[contextual, contextual]",15
P-2,SMAP,"[[3, 5]]",[point],12
M-1,MSL,"[[0, 1]]",[point],8
S-1,SMAP,"[[7, 7]]",[point],9
P-2,SMAP,"[[8, 9]]",[point],12
"""


def nasa_channel(root, chan, n_train, n_test, d, seed):
    rng = np.random.default_rng(seed)
    train, test = rng.uniform(-1, 1, (n_train, d)), rng.uniform(-1, 1, (n_test, d))
    for sub, X in (("train", train), ("test", test)):
        (root / sub).mkdir(parents=True, exist_ok=True)
        np.save(root / sub / f"{chan}.npy", X)
    return train, test


@pytest.fixture
def nasa_root(tmp_path):
    write(tmp_path / "labeled_anomalies.csv", LABELED_ANOMALIES)
    arrays = {"P-1": nasa_channel(tmp_path, "P-1", 20, 15, 3, 0),
              "P-2": nasa_channel(tmp_path, "P-2", 11, 12, 3, 1),
              "S-1": nasa_channel(tmp_path, "S-1", 6, 9, 3, 2),
              "M-1": nasa_channel(tmp_path, "M-1", 10, 8, 5, 3)}
    return tmp_path, arrays


def test_load_nasa_channel(nasa_root):
    root, arrays = nasa_root
    data = load_nasa(root, "SMAP", "P-1")
    np.testing.assert_array_equal(data.train, arrays["P-1"][0])
    np.testing.assert_array_equal(data.test, arrays["P-1"][1])
    expected = np.zeros(15, dtype=np.int64)
    expected[[2, 3, 4, 10, 11]] = 1            # pairs are inclusive
    np.testing.assert_array_equal(data.test_label, expected)
    assert data.test_label.dtype == np.int64 and data.name == "P-1"
    # P-2, listed twice, asked for by name: the union of its intervals
    p2 = load_nasa(root, "smap", "P-2")
    np.testing.assert_array_equal(np.flatnonzero(p2.test_label), [3, 4, 5, 8, 9])


def test_load_nasa_concatenation(nasa_root):
    root, arrays = nasa_root
    smap = load_nasa(root, "SMAP")
    assert smap.channels == ["P-1", "S-1"]    # CSV order, P-2 left out
    assert smap.train.shape == (26, 3) and smap.test.shape == (24, 3)
    np.testing.assert_array_equal(smap.train, np.vstack([arrays["P-1"][0], arrays["S-1"][0]]))
    np.testing.assert_array_equal(smap.test, np.vstack([arrays["P-1"][1], arrays["S-1"][1]]))
    np.testing.assert_array_equal(np.flatnonzero(smap.test_label), [2, 3, 4, 10, 11, 15 + 7])
    msl = load_nasa(root, "MSL")
    assert msl.name == "MSL" and msl.channels == ["M-1"] and msl.train.shape == (10, 5)
    np.testing.assert_array_equal(msl.test_label, [1, 1, 0, 0, 0, 0, 0, 0])


def test_load_nasa_errors(nasa_root):
    root, _ = nasa_root
    with pytest.raises(ValueError, match=r"\['SMAP', 'MSL'\]"):
        load_nasa(root, "SWAT")
    with pytest.raises(ValueError, match=r"\['P-1', 'P-2', 'S-1'\]"):
        load_nasa(root, "SMAP", "M-1")
    with pytest.raises(FileNotFoundError, match="labeled_anomalies.csv"):
        load_nasa(root / "nowhere", "MSL")
    (root / "test" / "S-1.npy").unlink()
    with pytest.raises(FileNotFoundError, match="S-1.npy"):
        load_nasa(root, "SMAP")

    def csv_with(row):
        write(root / "labeled_anomalies.csv",
              "chan_id,spacecraft,anomaly_sequences,class,num_values\n" + row)

    csv_with('M-1,MSL,"[[0, 8]]",[point],8\n')       # end 8 is past the 8 rows
    with pytest.raises(ValueError, match="outside"):
        load_nasa(root, "MSL")
    csv_with('M-1,MSL,"[[0, 1]]",[point],9\n')
    with pytest.raises(ValueError, match="num_values"):
        load_nasa(root, "MSL")
    csv_with('M-1,MSL,"__import__(\'os\')",[point],8\n')
    with pytest.raises(ValueError, match="not a list of"):
        load_nasa(root, "MSL")
    csv_with("M-1,MSL,[[0, 1]],[point],8\n")           # unquoted: too many fields
    with pytest.raises(ValueError, match="line 2"):
        load_nasa(root, "MSL")
    write(root / "labeled_anomalies.csv", "chan_id,anomaly_sequences\nM-1,\"[]\"\n")
    with pytest.raises(ValueError, match="spacecraft"):
        load_nasa(root, "MSL")
    csv_with('M-1,MSL,"[[0, 1]]",[point],8\n')
    np.save(root / "test" / "M-1.npy", np.zeros(8))
    with pytest.raises(ValueError, match="2-D"):
        load_nasa(root, "MSL")


# --------------------------------------------------------------------- PSM

PSM_TRAIN = """\
timestamp_(min),feature_0,feature_1,feature_2
0.0,,0.5,1.0
1.0,0.2,,1.5
2.0,0.3,0.7,
3.0,0.4,0.8,2.5
"""
PSM_TEST = """\
timestamp_(min),feature_0,feature_1,feature_2
4.0,0.5,0.9,3.0
5.0,0.6,1.0,3.5
6.0,0.7,1.1,4.0
"""
PSM_LABEL = """\
timestamp_(min),label
4.0,0
5.0,1
6.0,0
"""


@pytest.fixture
def psm_root(tmp_path):
    for name, text in (("train", PSM_TRAIN), ("test", PSM_TEST), ("test_label", PSM_LABEL)):
        write(tmp_path / f"{name}.csv", text)
    return tmp_path


def test_load_psm(psm_root):
    data = load_psm(psm_root)
    np.testing.assert_array_equal(data.train, [[0.0, 0.5, 1.0], [0.2, 0.5, 1.5],
                                               [0.3, 0.7, 1.5], [0.4, 0.8, 2.5]])
    np.testing.assert_array_equal(data.test, [[0.5, 0.9, 3.0], [0.6, 1.0, 3.5],
                                              [0.7, 1.1, 4.0]])
    np.testing.assert_array_equal(data.test_label, [0, 1, 0])
    assert data.test_label.dtype == np.int64 and data.train.dtype == np.float64
    assert data.feature_names == ["feature_0", "feature_1", "feature_2"]
    assert data.n_filled == {"train": 3, "test": 0} and data.name == "PSM"
    assert np.isfinite(data.train).all()


def test_load_psm_errors(psm_root):
    (psm_root / "test_label.csv").rename(psm_root / "labels.csv")
    with pytest.raises(FileNotFoundError, match="test_label.csv"):
        load_psm(psm_root)
    write(psm_root / "test_label.csv", PSM_LABEL + "7.0,1\n")
    with pytest.raises(ValueError, match="4 labels but .* 3 rows"):
        load_psm(psm_root)
    write(psm_root / "test_label.csv", PSM_LABEL.replace("5.0,1", "5.0,3"))
    with pytest.raises(ValueError, match="0 or 1"):
        load_psm(psm_root)
    write(psm_root / "test_label.csv", PSM_LABEL.replace("label", "attack"))
    with pytest.raises(ValueError, match="no 'label' column"):
        load_psm(psm_root)
    write(psm_root / "test_label.csv", PSM_LABEL.replace("5.0,1", "9.0,1"))
    with pytest.raises(ValueError, match="timestamps .* differ, first at row 1"):
        load_psm(psm_root)
    write(psm_root / "test_label.csv", PSM_LABEL)
    write(psm_root / "test.csv", PSM_TEST.replace("5.0,0.6,1.0,3.5", "5.0,0.6,1.0"))
    with pytest.raises(ValueError, match=r"test.csv, line 3: expected 4 .*found 3"):
        load_psm(psm_root)
    write(psm_root / "test.csv", PSM_TEST.replace("1.0,3.5", "x,3.5"))
    with pytest.raises(ValueError, match=r"line 3, column 3 \('feature_1'\): cannot read 'x'"):
        load_psm(psm_root)
    write(psm_root / "test.csv", PSM_TEST.replace("feature_2", "feature_9"))
    with pytest.raises(ValueError, match="different columns"):
        load_psm(psm_root)


# -------------------------------------------------------------------- SWaT

SWAT_NORMAL = """\
 Timestamp,FIT101,LIT101, MV101,P101,Normal/Attack
 22/12/2015 4:00:00 PM,0,124.3135,1,1,Normal
 22/12/2015 4:00:01 PM,0,124.392,1,1,Normal
 22/12/2015 4:00:02 PM,0.5,124.4705,2,1,Normal
"""
SWAT_ATTACK = """\
 Timestamp,FIT101,LIT101, MV101,P101,Normal/Attack
 28/12/2015 10:00:00 AM,2.427057,522.8467,2,2,Normal
 28/12/2015 10:00:01 AM,2.446274,522.886,2,2,Attack
 28/12/2015 10:00:02 AM,2.489191,522.8467,2,2,A ttack
 28/12/2015 10:00:03 AM,2.53435,522.9645,2,2,Normal
"""


@pytest.fixture
def swat_files(tmp_path):
    return (write(tmp_path / "SWaT_Dataset_Normal_v1.csv", SWAT_NORMAL),
            write(tmp_path / "SWaT_Dataset_Attack_v0.csv", SWAT_ATTACK))


def test_load_swat(swat_files):
    data = load_swat(*swat_files)
    assert data.feature_names == ["FIT101", "LIT101", "MV101", "P101"]
    assert data.train.shape == (3, 4) and data.test.shape == (4, 4)
    np.testing.assert_array_equal(data.train[2], [0.5, 124.4705, 2, 1])
    np.testing.assert_array_equal(data.test[:, 0], [2.427057, 2.446274, 2.489191, 2.53435])
    np.testing.assert_array_equal(data.test_label, [0, 1, 1, 0])
    np.testing.assert_array_equal(data.train_label, [0, 0, 0])
    assert data.test_label.dtype == np.int64 and data.test.dtype == np.float64


def test_load_swat_variants(tmp_path, swat_files):
    # a title row above the header, ';' separators, decimal commas, other column order
    lines = SWAT_ATTACK.splitlines()
    header = "Timestamp;LIT101;FIT101;MV101;P101;Normal/Attack"
    rows = []
    for line in lines[1:]:
        stamp, fit, lit, mv, p, lab = line.split(",")
        rows.append(";".join([stamp, lit.replace(".", ","), fit.replace(".", ","), mv, p, lab]))
    attack = write(tmp_path / "attack.csv", "\n".join([";;;;;", header] + rows) + "\n")
    data = load_swat(swat_files[0], attack)
    reference = load_swat(*swat_files)
    np.testing.assert_array_equal(data.test, reference.test)
    np.testing.assert_array_equal(data.test_label, reference.test_label)


def test_load_swat_errors(tmp_path, swat_files):
    normal, attack = swat_files
    with pytest.raises(FileNotFoundError, match="missing.csv"):
        load_swat(normal, tmp_path / "missing.csv")
    write(attack, SWAT_ATTACK.replace(",A ttack", ",Intrusion"))
    with pytest.raises(ValueError, match=r"line 4: Normal/Attack value 'Intrusion'"):
        load_swat(normal, attack)
    write(attack, SWAT_ATTACK.replace("522.886,", "522.886,2,"))
    with pytest.raises(ValueError, match="line 3: expected 6 cells .* found 7"):
        load_swat(normal, attack)
    write(attack, SWAT_ATTACK.replace("522.886", "n/a"))
    with pytest.raises(ValueError, match=r"line 3, column 3 \('LIT101'\): cannot read 'n/a'"):
        load_swat(normal, attack)
    write(attack, SWAT_ATTACK.replace("522.886", "522,886"))   # ',' separators: no decimal comma
    with pytest.raises(ValueError, match="line 3: expected 6 cells"):
        load_swat(normal, attack)
    write(attack, SWAT_ATTACK.replace("P101", "P102"))
    with pytest.raises(ValueError, match=r"different columns: only in the first \['P101'\]"):
        load_swat(normal, attack)
    write(attack, SWAT_ATTACK.replace("Normal/Attack", "Label"))
    with pytest.raises(ValueError, match="no 'Normal/Attack' column header"):
        load_swat(normal, attack)


def test_load_swat_excel(tmp_path, swat_files, monkeypatch):
    pd = pytest.importorskip("pandas")
    xlsx = tmp_path / "SWaT_Dataset_Attack_v0.xlsx"
    xlsx.write_bytes(b"not really a workbook")
    try:
        import openpyxl  # noqa: F401
    except ImportError:
        with pytest.raises(ImportError, match="openpyxl.*CSV"):
            load_swat(swat_files[0], xlsx)
    # the sheet as pandas gives it (header=None): a title row, then the header
    cells = [line.split(",") for line in SWAT_ATTACK.splitlines()]
    sheet = pd.DataFrame([[np.nan] * 5 + ["Normal/Attack (title)"], cells[0]]
                         + [[c[0]] + [float(v) for v in c[1:5]] + [c[5]] for c in cells[1:]])
    monkeypatch.setattr(pd, "read_excel", lambda path, **kwargs: sheet)
    data = load_swat(swat_files[0], xlsx)
    reference = load_swat(*swat_files)
    np.testing.assert_array_equal(data.test, reference.test)
    np.testing.assert_array_equal(data.test_label, [0, 1, 1, 0])


# --------------------------------------------------------------- synthetic


def test_make_synthetic_shapes_and_labels():
    data = make_synthetic(n_train=500, n_test=600, n_features=4, n_anomalies=10,
                          random_state=0)
    assert data.train.shape == (500, 4) and data.test.shape == (600, 4)
    assert data.test_label.shape == (600,) and data.test_label.dtype == np.int64
    assert data.train.dtype == np.float64 and np.isfinite(data.test).all()
    assert len(data.anomaly_segments) == 10
    assert sorted(k for _, _, k in data.anomaly_segments) == sorted(ANOMALY_TYPES * 2)
    expected = np.zeros(600, dtype=np.int64)
    previous_stop = 0
    for start, stop, _ in data.anomaly_segments:
        assert previous_stop < start < stop <= 600   # sorted, apart from each other
        expected[start:stop] = 1
        previous_stop = stop
    np.testing.assert_array_equal(data.test_label, expected)
    # anomalies only in the test series: outside the segments, test is clean
    outside = expected == 0
    np.testing.assert_array_equal(data.test[outside], data.test_clean[outside])


def test_make_synthetic_types_at_their_segments():
    data = make_synthetic(n_train=1000, n_test=1000, n_features=3, n_anomalies=5,
                          random_state=3)
    lo = np.minimum(data.train.min(0), data.test_clean.min(0))
    hi = np.maximum(data.train.max(0), data.test_clean.max(0))
    span = hi - lo
    kinds = set()
    for (start, stop, kind), feats in zip(data.anomaly_segments, data.anomaly_features):
        kinds.add(kind)
        diff = np.abs(data.test[start:stop] - data.test_clean[start:stop])
        others = [f for f in range(3) if f not in feats]
        assert (diff[:, others] == 0).all()                # only the listed features
        assert (diff[:, feats].max(axis=0) > 0.25 * span[feats]).all()
        if kind in ("global", "contextual"):
            assert stop == start + 1
            value = data.test[start, feats]
            if kind == "global":
                assert ((value > hi[feats]) | (value < lo[feats])).all()
            else:
                assert ((value > lo[feats]) & (value < hi[feats])).all()
        else:
            assert stop - start >= 10
            if kind == "trend":                            # a ramp: grows along the segment
                assert (diff[-1, feats] > diff[0, feats]).all()
    assert kinds == set(ANOMALY_TYPES)


def test_make_synthetic_level_shift():
    """A level shift moves the listed features by one constant over a long
    segment; shape and noise are kept, and it is only made on request."""
    assert "level" in EXTRA_ANOMALY_TYPES and "level" not in ANOMALY_TYPES
    data = make_synthetic(n_train=1000, n_test=3000, n_features=4, n_anomalies=6,
                          anomaly_types=ANOMALY_TYPES + ("level",), random_state=5)
    lo = np.minimum(data.train.min(0), data.test_clean.min(0))
    span = np.maximum(data.train.max(0), data.test_clean.max(0)) - lo
    levels = [(seg, feats) for seg, feats in zip(data.anomaly_segments, data.anomaly_features)
              if seg[2] == "level"]
    assert len(levels) == 1
    (start, stop, _), feats = levels[0]
    longest_other = max(b - a for a, b, k in data.anomaly_segments if k != "level")
    assert stop - start >= longest_other and stop - start <= 3000 // (2 * 6)
    shift = data.test[start:stop] - data.test_clean[start:stop]
    others = [f for f in range(4) if f not in feats]
    assert (shift[:, others] == 0).all()
    np.testing.assert_allclose(shift[:, feats], shift[:1, feats].repeat(stop - start, 0))
    size = np.abs(shift[0, feats]) / span[feats]
    assert ((size >= 0.25) & (size <= 0.5)).all()
    assert data.test_label[start:stop].all()
    # the default rotation has no level shift
    default = make_synthetic(n_train=300, n_test=600, n_anomalies=12, random_state=5)
    assert {k for _, _, k in default.anomaly_segments} == set(ANOMALY_TYPES)
    with pytest.raises(ValueError, match="'level'"):
        make_synthetic(anomaly_types=["plateau"])


def test_make_synthetic_determinism():
    a = make_synthetic(n_train=300, n_test=300, random_state=7)
    b = make_synthetic(n_train=300, n_test=300, random_state=7)
    c = make_synthetic(n_train=300, n_test=300, random_state=8)
    for key in ("train", "test", "test_label"):
        np.testing.assert_array_equal(a[key], b[key])
    assert a.anomaly_segments == b.anomaly_segments
    assert not np.array_equal(a.train, c.train)
    assert a.anomaly_segments != c.anomaly_segments
    state = np.random.get_state()
    make_synthetic(n_train=50, n_test=50, n_anomalies=2, random_state=None)
    after = np.random.get_state()
    assert state[0] == after[0] and np.array_equal(state[1], after[1])  # global RNG untouched


def test_make_synthetic_options_and_errors():
    only = make_synthetic(n_train=100, n_test=200, n_features=1, anomaly_types="trend",
                          n_anomalies=3, random_state=0)
    assert [k for _, _, k in only.anomaly_segments] == ["trend"] * 3
    assert only.anomaly_features == [[0], [0], [0]]
    none = make_synthetic(n_train=100, n_test=100, n_anomalies=0, random_state=0)
    assert none.test_label.sum() == 0 and none.anomaly_segments == []
    with pytest.raises(ValueError, match="unknown anomaly type.*'global'"):
        make_synthetic(anomaly_types=("global", "spike"))
    with pytest.raises(ValueError, match="n_features"):
        make_synthetic(n_features=0)
    with pytest.raises(ValueError, match="n_anomalies"):
        make_synthetic(n_anomalies=2.5)
    with pytest.raises(ValueError, match="empty"):
        make_synthetic(anomaly_types=())
    with pytest.raises(ValueError, match="too short"):
        make_synthetic(n_test=10, n_anomalies=10)
    with pytest.raises(ValueError, match="random_state"):
        make_synthetic(random_state="seed")


# ------------------------------------------------------------- shared data


@pytest.mark.skipif(not SHARED_DATA.is_dir(), reason="no shared benchmark data")
def test_load_npz_shared_data():
    smd = load_npz(SHARED_DATA / "SMD" / "machine-1-2.npz")
    assert smd.train.shape == (23694, 38) and smd.test.shape == (23694, 38)
    assert smd.test_label.shape == (23694,) and smd.name == "machine-1-2"
    msl = load_npz(SHARED_DATA / "MSL" / "ALL_concat.npz")
    assert msl.train.shape == (58317, 55) and msl.test.shape == (73729, 55)
    assert msl.test_label.shape == (73729,)
    assert set(np.unique(msl.test_label)) == {0, 1}
