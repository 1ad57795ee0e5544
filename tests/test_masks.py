"""The attention band, the interleaved masks and the dynamic ADNM mask."""

import numpy as np
import pytest
import torch

from skddmt import DDMTDetector
from skddmt._masks import (ADNM_FULL_RATIO, GAP_MAX_RADIUS, MaskingConfig, adnm_mask,
                           adnm_radius, build_group_masks, dilate, gap_mask, interleaved_mask,
                           neighbour_band)


def test_band_values():
    """Token i may attend to j only when |i - j| > width; width 0 means no band."""
    allowed = neighbour_band(7, 2)
    i, j = np.meshgrid(np.arange(7), np.arange(7), indexing="ij")
    assert np.array_equal(allowed.numpy(), np.abs(i - j) > 2)
    assert neighbour_band(7, 0) is None


def test_band_never_leaves_a_row_empty():
    """A band wider than the window keeps the farthest tokens visible."""
    allowed = neighbour_band(4, 5)
    assert allowed.any(dim=1).all()
    assert allowed[0, 3] and allowed[3, 0] and not allowed[1, 1]


@pytest.mark.parametrize("length, groups", [(10, 4), (7, 3), (5, 1)])
def test_interleaved_masks_hide_each_timestamp_once(length, groups):
    total = sum(interleaved_mask(length, groups, g) for g in range(groups))
    assert torch.all(total == 1)


def test_interleaved_mask_phase():
    m = interleaved_mask(6, 3, 0, phase=torch.tensor([0, 1]))
    assert m[0, :, 0].tolist() == [1, 0, 0, 1, 0, 0]
    assert m[1, :, 0].tolist() == [0, 0, 1, 0, 0, 1]


def test_radius_grows_with_error_and_is_bounded():
    """The ADNM radius is 0 at the reference error, monotone, and capped."""
    ref = torch.tensor(1.0)
    err = torch.tensor([0.5, 1.0, 2.0, 10.0, ADNM_FULL_RATIO, 1e6])
    r = adnm_radius(err, ref, 8)
    assert r[0] == 0 and r[1] == 0
    assert torch.all(torch.diff(r) >= 0)
    assert r[-2] == 8 and r[-1] == 8 and 0 < r[3] < 8


def test_dilate_covers_exact_neighbourhoods():
    """Each centre covers exactly the timestamps within its radius."""
    radius = torch.full((1, 15, 1), float("-inf"))
    radius[0, 3, 0] = 1
    radius[0, 10, 0] = 3
    covered = dilate(radius, 3)[0, :, 0].numpy()
    expected = np.zeros(15, bool)
    expected[2:5] = True
    expected[7:14] = True
    assert np.array_equal(covered, expected)


def test_adnm_mask_widths_grow_with_error():
    """Larger errors get wider masked neighbourhoods; small ones none."""
    err = torch.full((1, 60, 2), 0.01)
    err[0, 15, 0] = 0.01 * 5       # moderate suspect
    err[0, 45, 0] = 0.01 * 1000    # severe suspect
    err[0, 30, 1] = 0.01 * 1000    # feature 1 only
    mask = adnm_mask(err, ratio=2 / 60, max_radius=8)
    m0 = mask[0, :, 0].numpy().astype(bool)
    left = np.flatnonzero(m0[:30])
    right = np.flatnonzero(m0[30:]) + 30
    assert 15 in left and 45 in right
    assert len(right) == 17 and len(left) < len(right)   # radius 8 -> 17 nodes
    assert mask[0, :, 1].sum() == 17 and mask[0, 30, 1] == 1
    assert mask[0, :10].sum() == 0


def test_adnm_mask_is_per_window_and_feature():
    """Batched computation equals window-by-window computation."""
    gen = torch.Generator().manual_seed(0)
    err = torch.rand(5, 40, 3, generator=gen) ** 4
    full = adnm_mask(err, 0.1, 5)
    for b in range(5):
        for d in range(3):
            one = adnm_mask(err[b:b + 1, :, d:d + 1], 0.1, 5)
            assert torch.equal(one[0, :, 0], full[b, :, d])


def test_adnm_mask_respects_valid_nodes():
    """Nodes whose error is unknown are never suspects."""
    err = torch.zeros(1, 20, 1)
    err[0, 4, 0] = 100.0
    err[0, 12, 0] = 1.0
    valid = torch.ones_like(err, dtype=torch.bool)
    valid[0, 4, 0] = False
    mask = adnm_mask(err + 1e-3, ratio=0.05, max_radius=2, valid=valid)
    assert mask[0, 12, 0] == 1 and mask[0, 4, 0] == 0


def test_default_ratio_picks_one_suspect_per_window():
    """With the default ``adnm_ratio`` a window of 100 has one suspect per
    feature (the worst node); twice the ratio picks the second one too."""
    ratio = DDMTDetector().adnm_ratio
    err = torch.ones(1, 100, 1)
    err[0, 20, 0] = 50.0
    err[0, 70, 0] = 40.0
    mask = adnm_mask(err, ratio, 10)
    assert mask[0, 20, 0] == 1 and mask[0, 70, 0] == 0
    assert mask[0, 70, 0] < adnm_mask(err, 2 * ratio, 10)[0, 70, 0]


@pytest.mark.parametrize("length, groups, features", [(10, 4, 3), (7, 3, 5), (6, 4, 1)])
def test_element_masks_hide_each_element_once(length, groups, features):
    """Element masks: every (timestamp, feature) hidden by exactly one group,
    and with at least as many features as groups no group hides a whole row."""
    masks = build_group_masks(length, groups, "cpu", n_features=features)
    assert masks.shape == (groups, 1, length, features)
    assert torch.all(masks.sum(dim=0) == 1)
    if features >= groups > 1:
        assert torch.all(masks.sum(dim=-1) < features)


def test_element_mask_is_a_diagonal_pattern_and_takes_a_phase():
    m = interleaved_mask(4, 2, 0, n_features=3)[0]
    assert m.tolist() == [[1, 0, 1], [0, 1, 0], [1, 0, 1], [0, 1, 0]]
    shifted = interleaved_mask(4, 2, 0, phase=torch.tensor([1]), n_features=3)[0]
    assert torch.equal(shifted, 1 - m)


def test_masking_config_builds_the_masks_of_its_mode():
    base = dict(n_mask_groups=4, adnm=False, adnm_ratio=0.1, adnm_max_radius=2)
    assert MaskingConfig(**base).group_masks(8, 5, "cpu").shape == (4, 1, 8, 1)
    assert MaskingConfig(**base, mode="element").group_masks(8, 5, "cpu").shape == (4, 1, 8, 5)


def _runs(row):
    """Lengths of the runs of ones of a 0/1 sequence."""
    padded = np.r_[0, row, 0]
    edges = np.flatnonzero(np.diff(padded))
    return edges[1::2] - edges[::2]


def test_gap_masks_hide_runs_of_a_quarter_of_the_window():
    """Random gaps cover about 1 / n_groups of the nodes (a bit less where
    gaps overlap), in runs of several timestamps, drawn per feature."""
    gen = torch.Generator().manual_seed(0)
    m = gap_mask((400, 100, 3), 4, gen)
    assert set(torch.unique(m).tolist()) == {0.0, 1.0}
    assert 0.18 < float(m.mean()) < 0.25
    runs = np.concatenate([_runs(row) for row in m[:50, :, 0].numpy()])
    assert runs.mean() > 2.5 and (runs > 1).mean() > 0.5  # gaps, not isolated points
    assert not torch.equal(m[..., 0], m[..., 1])
    again = gap_mask((400, 100, 3), 4, torch.Generator().manual_seed(0))
    assert torch.equal(m, again)


def test_a_lone_gap_is_1_3_5_or_7_long():
    """Sparse gaps (they rarely touch) are runs of 2 r + 1 with r in 0 .. 3
    (even runs: gaps that touch, or cut by a window's edge)."""
    gen = torch.Generator().manual_seed(1)
    m = gap_mask((2000, 60, 1), 16, gen)
    runs = np.concatenate([_runs(row) for row in m[..., 0].numpy()])
    lone = np.arange(1, 2 * GAP_MAX_RADIUS + 2, 2)
    assert set(lone) <= set(runs)
    assert np.isin(runs, lone).mean() > 0.85
