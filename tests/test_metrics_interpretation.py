"""skddmt.metrics.interpretation_scores on hand-made cases."""

import numpy as np
import pytest

from skddmt.metrics import interpretation_scores


def test_perfect_and_wrong_rankings():
    S = np.array([[0.9, 0.8, 0.1, 0.0],    # true {0, 1}: both on top
                  [0.0, 0.1, 0.8, 0.9]])   # true {0, 1}: both at the bottom
    good = interpretation_scores(S[:1], [(0, 1, [0, 1])])
    assert good["hitrate@100%"] == good["ndcg@100%"] == good["hitrate@150%"] == 1.0
    bad = interpretation_scores(S[1:], [(0, 1, [0, 1])])
    assert bad["hitrate@100%"] == 0.0 and bad["ndcg@100%"] == 0.0
    # at 150 %, k = 3: one of the two true features is third
    assert bad["hitrate@150%"] == 0.5
    assert bad["ndcg@150%"] == pytest.approx((1 / np.log2(4)) / (1 + 1 / np.log2(3)))


def test_hit_rate_counts_the_share_of_true_features_in_the_top_k():
    # true {0, 2, 3}; ranking 0, 1, 2, 3, 4: top 3 holds 0 and 2
    S = np.array([[5.0, 4.0, 3.0, 2.0, 1.0]])
    got = interpretation_scores(S, [(0, 1, [0, 2, 3])], percents=(100, 150))
    assert got["hitrate@100%"] == pytest.approx(2 / 3)
    # 150 % of 3 is 4.5, rounded up to 5: every feature, every hit
    assert got["hitrate@150%"] == 1.0
    dcg = 1 + 1 / np.log2(4)
    assert got["ndcg@100%"] == pytest.approx(dcg / (1 + 1 / np.log2(3) + 1 / np.log2(4)))


def test_averaged_over_every_labelled_timestamp():
    S = np.zeros((10, 3))
    S[2:4, 1] = 1.0   # segment 2:4 blames feature 1: right
    S[6:8, 0] = 1.0   # segment 6:10 blames 2; rows 6-7 point at 0, rows 8-9 tie
    got = interpretation_scores(S, [(2, 4, [1]), (6, 10, [2])], percents=(100,))
    # rows 2, 3 hit; rows 6, 7 miss; rows 8, 9 tie at 0 and rank column 0 first: miss
    assert got["hitrate@100%"] == pytest.approx(2 / 6)
    assert got["n_timestamps"] == 6


@pytest.mark.parametrize("S, segments, match", [
    (np.zeros(5), [(0, 1, [0])], "2-D"),
    (np.full((5, 2), np.nan), [(0, 1, [0])], "NaN"),
    (np.zeros((5, 2)), [(3, 9, [0])], "outside"),
    (np.zeros((5, 2)), [(0, 1, [2])], "features"),
    (np.zeros((5, 2)), [(0, 1, [])], "features"),
])
def test_errors_name_the_problem(S, segments, match):
    with pytest.raises(ValueError, match=match):
        interpretation_scores(S, segments)
