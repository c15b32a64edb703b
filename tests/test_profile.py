"""The profiler: statistics against straightforward references, traits, and properties."""

from __future__ import annotations

import math

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from scipy import stats as sps

from advisor.errors import InputError
from advisor.profile import profile_target
from advisor.summary import summarise_column
from advisor.task import infer_task
from advisor.thresholds import Thresholds
from advisor.vocabulary import STATISTICS

TH = Thresholds()


def profile_of(values, name="y", thresholds=TH):
    column = summarise_column(name, pa.chunked_array([pa.array(values)]), "data.csv")
    decision = infer_task([column], thresholds, "data.csv")
    return profile_target([column], decision, thresholds, len(values))


def test_numeric_statistics_match_reference_implementations():
    rng = np.random.default_rng(3)
    values = np.concatenate([rng.lognormal(0, 1, 5000), [np.nan] * 50])
    p = profile_of(values.tolist())
    clean = values[~np.isnan(values)]
    s = p.stats
    assert s["n"] == 5000 and s["n_missing"] == 50
    assert math.isclose(s["mean"], clean.mean(), rel_tol=1e-12)
    assert math.isclose(s["std"], clean.std(ddof=1), rel_tol=1e-12)
    assert math.isclose(s["skewness"], sps.skew(clean), rel_tol=1e-9)
    assert math.isclose(s["excess_kurtosis"], sps.kurtosis(clean), rel_tol=1e-9)
    for key, q in (("q01", 0.01), ("q25", 0.25), ("median", 0.5), ("q99", 0.99)):
        assert math.isclose(s[key], np.quantile(clean, q), rel_tol=1e-12)
    assert math.isclose(s["mad"], np.median(np.abs(clean - np.median(clean))), rel_tol=1e-12)
    q1, q3 = np.quantile(clean, [0.25, 0.75])
    far = (clean < q1 - 3 * (q3 - q1)) | (clean > q3 + 3 * (q3 - q1))
    assert math.isclose(s["outlier_fraction_iqr"], far.mean())
    assert s["n_distinct"] == len(np.unique(clean))
    assert set(s) <= set(STATISTICS)


@pytest.mark.parametrize(
    "positives,total,expected",
    [
        (20, 10_000, {"imbalanced", "severe_imbalance", "few_minority_examples"}),  # 0.2%
        (370, 1000, set()),  # a 37/63 split is neither
        (200, 1000, {"imbalanced"}),  # 20/80
        (45, 1000, {"imbalanced", "severe_imbalance", "few_minority_examples"}),  # 4.5%
        (3, 12, {"small_sample"}),  # too few rows to grade imbalance
    ],
)
def test_imbalance_grading(positives, total, expected):
    values = [1] * positives + [0] * (total - positives)
    traits = profile_of(values).trait_names() - {"small_sample"}
    assert traits == expected - {"small_sample"}


def test_binary_statistics():
    p = profile_of([1] * 20 + [0] * 9980)
    s = p.stats
    assert s["positive_label"] == "1" and s["positive_count"] == 20
    assert s["pos_weight"] == 499.0
    assert s["minority_fraction"] == 0.002
    assert "499.0:1" in next(t.evidence for t in p.traits if t.name == "severe_imbalance")


def test_multiclass_entropy_flags_imbalance_without_a_big_pair_ratio():
    # One class holds 60%, four share the rest: ratio 6 stays under a raised imbalance_ratio
    # of 10, but the normalized entropy (0.76) is under imbalance_entropy (0.80).
    values = ["a"] * 600 + ["b"] * 100 + ["c"] * 100 + ["d"] * 100 + ["e"] * 100
    counts = np.array([600, 100, 100, 100, 100]) / 1000
    expected = sps.entropy(counts) / math.log(5)
    lenient = TH.with_overrides({"imbalance_ratio": 10}, "lossadvisor.toml")
    p = profile_of(values, thresholds=lenient)
    assert p.stats["n_classes"] == 5 and p.stats["imbalance_ratio"] == 6.0
    assert math.isclose(p.stats["normalized_entropy"], expected, rel_tol=1e-6)
    evidence = next(t.evidence for t in p.traits if t.name == "imbalanced")
    assert f"normalized entropy {expected:.2f}" in evidence
    strict_entropy = lenient.with_overrides({"imbalance_entropy": 0.7}, "lossadvisor.toml")
    assert "imbalanced" not in profile_of(values, thresholds=strict_entropy).trait_names()


def test_count_traits_zero_inflation_and_overdispersion():
    rng = np.random.default_rng(5)
    counts = rng.negative_binomial(1, 0.2, 4000)
    counts[rng.random(4000) < 0.4] = 0
    p = profile_of(counts.tolist())
    assert p.task == "count"
    assert {"zero_inflated", "overdispersed", "has_zeros", "non_negative"} <= p.trait_names()
    assert math.isclose(p.stats["poisson_zero_fraction"], math.exp(-counts.mean()))
    assert math.isclose(p.stats["dispersion_index"], counts.var(ddof=1) / counts.mean())


def test_plain_poisson_counts_are_neither_zero_inflated_nor_overdispersed():
    counts = np.random.default_rng(9).poisson(3.0, 5000)
    traits = profile_of(counts.tolist()).trait_names()
    assert "zero_inflated" not in traits and "overdispersed" not in traits


def test_regression_traits():
    rng = np.random.default_rng(11)
    normal = profile_of(rng.normal(50, 5, 4000).tolist()).trait_names()
    assert normal & {"outliers", "heavy_tailed", "skewed"} == set()
    heavy = profile_of(rng.standard_t(2, 4000).tolist()).trait_names()
    assert {"outliers", "heavy_tailed", "has_negatives"} <= heavy
    prices = profile_of(rng.lognormal(10, 1, 4000).tolist()).trait_names()
    assert {"skewed", "strictly_positive", "non_negative"} <= prices
    rates = profile_of(rng.beta(2, 5, 4000).tolist()).trait_names()
    assert "bounded_unit_interval" in rates


def test_missing_and_infinite_values_are_counted_and_dropped():
    values = [1.5, 2.5, None, float("inf"), 3.5, float("nan")] * 100
    p = profile_of(values)
    assert p.stats["n"] == 300
    assert p.stats["n_missing"] == 200 and p.stats["n_infinite"] == 100
    evidence = next(t.evidence for t in p.traits if t.name == "missing_target")
    assert "infinite" in evidence


def test_threshold_override_changes_the_trait():
    values = [1] * 150 + [0] * 850  # 15%: ratio 5.7
    assert "imbalanced" in profile_of(values).trait_names()
    strict = TH.with_overrides({"imbalance_ratio": 10}, "lossadvisor.toml")
    assert "imbalanced" not in profile_of(values, thresholds=strict).trait_names()
    with pytest.raises(InputError, match="did you mean 'imbalance_ratio'"):
        TH.with_overrides({"imbalance_ration": 10}, "lossadvisor.toml")


numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True, width=64),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.none(),
)
texts = st.one_of(st.text(max_size=8), st.sampled_from(["yes", "no", "NA", "", " 1 "]), st.none())


def _robust_profile(values):
    try:
        return profile_of(values)
    except InputError as exc:
        assert str(exc)  # refused targets are a clean outcome with a message
        return None


def _check_invariants(profile, values):
    """What every profile must satisfy, whatever the input: counts add up, statistics are
    ordered, and each value trait agrees with the statistic it reports."""
    s, traits = profile.stats, profile.trait_names()
    assert s["rows"] == len(values)
    assert 0 < s["n"] <= s["rows"]
    assert s["n"] + s["n_missing"] + s["n_infinite"] == s["rows"]
    assert ("missing_target" in traits) == (s["n_missing"] + s["n_infinite"] > 0)
    if "class_counts" in s:
        assert sum(s["class_counts"].values()) == s["n"]
        assert s["n_classes"] == len(s["class_counts"]) >= 2
        assert s["minority_fraction"] <= s["majority_fraction"]
    if "median" in s:
        assert s["min"] <= s["q25"] <= s["median"] <= s["q75"] <= s["max"]
        assert ("has_zeros" in traits) == (s["zero_fraction"] > 0)
        assert ("has_negatives" in traits) == (s["negative_fraction"] > 0)
        assert ("non_negative" in traits) == (s["min"] >= 0)
        assert ("strictly_positive" in traits) == (s["min"] > 0)
    if "severe_imbalance" in traits:
        assert "imbalanced" in traits


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(numbers, min_size=1, max_size=300))
@example([0.0, 1e308, -1e308])  # overflow in the moments
@example([1e-300, 2e-300, 3e-300, 1e-300])
@example([float("inf"), 1.0, 2.0])
@example([0, 0, 0, 1, 5])
def test_profiles_of_any_numbers_are_consistent_or_refused_cleanly(values):
    profile = _robust_profile(values)
    if profile is not None:
        _check_invariants(profile, values)


@settings(max_examples=200, deadline=None)
@given(st.lists(texts, min_size=1, max_size=200))
@example(["Yes", "yes", "NO"])
@example(["1", "2", " 3 "])
def test_profiles_of_any_text_are_consistent_or_refused_cleanly(values):
    profile = _robust_profile(values)
    if profile is not None:
        _check_invariants(profile, values)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.integers(0, 30), st.floats(-1e6, 1e6)), min_size=5, max_size=200),
       st.randoms(use_true_random=False))
def test_row_order_does_not_change_the_traits(values, random):
    shuffled = list(values)
    random.shuffle(shuffled)
    first, second = _robust_profile(values), _robust_profile(shuffled)
    if first is None or second is None:
        return  # an ID-like monotonic sequence may only be refused in one order
    assert first.task == second.task
    assert first.trait_names() == second.trait_names()
