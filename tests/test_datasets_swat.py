"""Tests of skddmt.datasets.swat: load_swat on small CSV files in the public
layout, its variants (title row, ';', decimal commas) and the Excel path."""

import numpy as np
import pytest

from skddmt.datasets import load_swat

from .datasets_helpers import write

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
