"""The attention band, the interleaved masks and the dynamic ADNM mask."""

import numpy as np
import pytest
import torch

from skddmt import DDMTDetector
from skddmt._masks import (ADNM_FULL_RATIO, adnm_mask, adnm_radius, dilate, interleaved_mask,
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
