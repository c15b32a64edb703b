"""The trial's decision rule: Nadeau-Bengio standard errors, Holm, and the verdicts."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from advisor.trial_stats import ALPHA, Difference, Verdict, decide, holm


def test_corrected_standard_error_is_the_nadeau_bengio_formula():
    values = [1.0, 2.0, 3.0, 4.0, 5.0]
    d = Difference("mse", values, ratio=0.25)
    variance = 2.5  # sample variance of 1..5
    assert d.mean == 3.0
    assert d.se == pytest.approx(math.sqrt((1 / 5 + 0.25) * variance))
    naive = math.sqrt(variance / 5)
    assert d.se > naive  # overlapping training sets: the naive SE is too small
    assert d.low < d.mean < d.high and d.wins == 5


def test_holm_matches_a_hand_computed_example():
    # sorted p: 0.01*3=0.03, 0.02*2=0.04, 0.04*1=0.04 (monotone)
    assert holm([0.04, 0.01, 0.02]) == pytest.approx([0.04, 0.03, 0.04])


@given(st.lists(st.floats(min_value=0, max_value=1), min_size=1, max_size=8))
def test_holm_never_lowers_a_p_value_and_caps_at_one(pvalues):
    adjusted = holm(pvalues)
    assert all(a >= p - 1e-12 and a <= 1.0 for a, p in zip(adjusted, pvalues, strict=True))


def _verdict(values, threshold=0.01, secondary=()):
    v = Verdict("other", Difference("mse", list(values), 0.25), threshold,
                secondary=[Difference(m, list(vals), 0.25) for m, vals in secondary])
    decide([v])
    return v


def test_consistent_large_differences_win_and_negative_ones_lose():
    assert _verdict([1.0, 1.1, 0.9, 1.05, 0.95, 1.0]).verdict == "wins"
    assert _verdict([-1.0, -1.1, -0.9, -1.05, -0.95, -1.0]).verdict == "loses"


def test_a_significant_but_negligible_difference_is_a_tie_not_a_win():
    v = _verdict([0.001, 0.0011, 0.0009, 0.001, 0.001, 0.00105], threshold=0.01)
    assert v.verdict == "tie"


def test_noisy_differences_are_no_evidence_not_equal():
    assert _verdict([1.0, -2.0, 3.0, -1.5, 0.5]).verdict == "no evidence"


def test_too_few_folds_are_no_evidence():
    assert _verdict([5.0, 5.1]).verdict == "no evidence"


def test_a_secondary_metric_that_disagrees_makes_a_trade_off():
    v = _verdict([1.0, 1.1, 0.9, 1.05, 0.95, 1.0],
                 secondary=[("mae", [-1.0, -1.1, -0.9, -1.05, -0.95, -1.0])])
    assert v.verdict == "trade-off" and v.against == ["mae"]


def test_holm_is_applied_across_comparisons():
    borderline = [0.3, 0.5, 0.2, 0.6, 0.4, 0.1, 0.5, 0.35]
    alone = Verdict("a", Difference("mse", borderline, 0.25), 0.0)
    decide([alone])
    assert alone.primary.p < ALPHA
    crowd = [Verdict(x, Difference("mse", borderline, 0.25), 0.0) for x in "abcdefgh"]
    decide(crowd)
    assert all(v.p_holm > v.primary.p for v in crowd)
