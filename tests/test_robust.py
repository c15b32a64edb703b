"""Skew-aware outliers: the medcouple against statsmodels, and the outlier trait on shapes
whose answer is known (natural skewed tails are not outliers; gross errors are)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.profile import profile_target
from advisor.robust import adjusted_fences, medcouple, quantile_grid
from advisor.summary import summarise_column
from advisor.task import infer_task
from advisor.thresholds import Thresholds

stattools = pytest.importorskip("statsmodels.stats.stattools")
TH = Thresholds()


def profile_of(values):
    column = summarise_column("y", pa.chunked_array([pa.array(values)]), "data.csv")
    return profile_target([column], infer_task([column], TH, "data.csv"), TH, len(values))


@settings(max_examples=80, deadline=None)
@given(st.lists(st.integers(-20, 20) | st.floats(-1e3, 1e3, allow_subnormal=False),
                min_size=3, max_size=60))
def test_medcouple_matches_statsmodels_including_ties(values):
    x = np.sort(np.array(values, dtype=float))
    expected = float(stattools.medcouple(x, use_fast=False))  # the O(n²) reference
    assert medcouple(x) == pytest.approx(expected, abs=1e-9)


def test_medcouple_from_the_quantile_grid_approximates_the_exact_value():
    x = np.sort(np.random.default_rng(2).lognormal(0, 1, 8_000))
    grid = quantile_grid(lambda q: float(np.quantile(x, q)), len(x))
    exact = float(stattools.medcouple(x[::4], use_fast=False))
    assert len(grid) == 1001 and medcouple(grid) == pytest.approx(exact, abs=0.01)


def test_adjusted_fences_stretch_the_long_side():
    low, high = adjusted_fences(1.0, 3.0, 0.0, 3.0)
    assert (low, high) == (-5.0, 9.0)  # Tukey's far-out fences when symmetric
    low, high = adjusted_fences(1.0, 3.0, 0.3, 3.0)
    assert high == pytest.approx(3 + 6 * np.exp(0.9)) and low == pytest.approx(1 - 6 * np.exp(-1.2))
    mirrored = adjusted_fences(-3.0, -1.0, -0.3, 3.0)
    assert mirrored == pytest.approx((-high, -low))


RNG = np.random.default_rng(7)
N = 5000
SHAPES = {
    # shape: (values, outliers expected)
    "normal": (RNG.normal(50, 5, N), False),
    "lognormal(0, 1) prices": (RNG.lognormal(0, 1, N), False),
    "gamma(2) amounts": (RNG.gamma(2, 1, N), False),
    "exponential durations": (RNG.exponential(1, N), False),
    "weibull(0.7) times": (RNG.weibull(0.7, N) + 0.01, False),
    "30% pile-up at a bound": (np.concatenate([np.zeros(1500), RNG.normal(1000, 200, N - 1500)]),
                               False),
    "1% gross errors": (np.concatenate([RNG.normal(50, 5, N - 50), RNG.normal(150, 5, 50)]),
                        True),
    "student t(3)": (RNG.standard_t(3, N), True),
}


@pytest.mark.parametrize("shape", SHAPES)
def test_outliers_are_rare_values_not_the_natural_tail(shape):
    values, expected = SHAPES[shape]
    profile = profile_of(values.tolist())
    assert profile.has("outliers") is expected, profile.stats["outlier_fraction"]


def test_skewed_tail_flagged_by_the_old_rules_is_not_outliers_now():
    values = RNG.lognormal(0, 1, N)
    stats = profile_of(values.tolist()).stats
    assert stats["outlier_fraction_mad"] > 0.05  # the robust z flags the tail
    assert stats["outlier_fraction"] < TH.outlier_fraction
    exact = float(stattools.medcouple(np.sort(values)[::5], use_fast=False))
    assert stats["medcouple"] == pytest.approx(exact, abs=0.01)
