"""The target summary: folding in parts and merging gives the summary of the whole; bytes
round-trip; the sketch meets its stated accuracy on a heavy-tailed target."""

from __future__ import annotations

import math

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import advisor.summary
from advisor.summary import TableSummary, TargetSummary, sketch_rank_error, summarise_column

EXACT = ("n", "n_missing", "n_infinite", "n_total", "kind", "monotonic")


def folded(parts: list[list], keep_values: bool = False) -> TargetSummary:
    summary = TargetSummary("y", keep_values=keep_values)
    for part in parts:
        summary.fold(pa.array(part, pa.float64()), "x")
    summary.finish()
    return summary


def merged(parts: list[list]) -> TargetSummary:
    """Each part summarised on its own (as another process would), then merged in order."""
    result = TargetSummary("y")
    for part in parts:
        piece = TargetSummary("y")
        piece.fold(pa.array(part, pa.float64()), "x")
        result.merge(TargetSummary.from_bytes(piece.to_bytes()))
    result.finish()
    return result


def assert_same(a: TargetSummary, b: TargetSummary) -> None:
    for name in EXACT:
        assert getattr(a, name) == getattr(b, name), name
    if a.n == 0:
        return
    assert (a.minimum(), a.maximum(), a.integral(), a.n_distinct()) == (
        b.minimum(), b.maximum(), b.integral(), b.n_distinct())
    assert a.count_between(0, 0) == b.count_between(0, 0)
    assert a.count_below(0) == b.count_below(0)
    assert a.levels()[0] == b.levels()[0] and list(a.levels()[1]) == list(b.levels()[1])
    for x, y in zip(a.moments(), b.moments(), strict=True):
        assert math.isclose(x, y, rel_tol=1e-7, abs_tol=1e-9), (a.moments(), b.moments())
    for q in (0.01, 0.25, 0.5, 0.99):
        assert a.quantile(q) == b.quantile(q)
    assert a.mad(a.quantile(0.5)) == b.mad(b.quantile(0.5))


values = st.lists(st.one_of(st.integers(-5, 30).map(float), st.just(math.nan),
                            st.just(math.inf), st.none()), min_size=1, max_size=300)


@settings(max_examples=60, deadline=None)
@given(values, st.lists(st.integers(0, 300), max_size=4))
def test_parts_merge_into_the_summary_of_the_whole(data, cuts):
    bounds = sorted({0, len(data), *(c for c in cuts if c < len(data))})
    parts = [data[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
    whole = folded([data], keep_values=True)
    assert_same(whole, folded(parts))
    assert_same(whole, merged(parts))
    assert_same(whole, folded(parts, keep_values=True))


def test_monotonic_sequence_across_parts_and_broken_at_a_seam():
    assert merged([[1, 2, 3], [4, 5], [9]]).monotonic
    assert not merged([[1, 2, 3], [3, 5]]).monotonic
    assert merged([[9, 7], [5, 1]]).monotonic


def test_huge_magnitudes_keep_finite_moments_when_merged():
    rng = np.random.default_rng(5)
    data = (rng.standard_t(3, 5000) * 1e300).tolist()
    whole, parts = folded([data], keep_values=True), merged([data[:1234], data[1234:]])
    skew, kurtosis = whole.moments()[2:], parts.moments()[2:]
    assert all(math.isfinite(v) for v in skew + kurtosis)
    for x, y in zip(skew, kurtosis, strict=True):
        assert math.isclose(x, y, rel_tol=1e-9)


def test_bytes_round_trip_and_version_check():
    table = TableSummary(["a", "b"])
    table.fold({"a": pa.array(["x", "y", None, " x"]), "b": pa.array([1.5, 2.0, 3.0, None])},
               4, "here")
    back = TableSummary.from_bytes(table.to_bytes())
    a, b = back.finish()
    assert a.levels() == (["x", "y"], pytest.approx(np.array([2, 1])))
    assert a.n_missing == 1 and b.n == 3 and b.total() == 6.5 and back.rows == 4
    data = bytearray(TargetSummary("y").to_bytes())
    data[4] = 99
    with pytest.raises(ValueError, match="version 99"):
        TargetSummary.from_bytes(bytes(data))


def test_sketch_accuracy_on_a_heavy_tailed_target_merged_from_many_parts(monkeypatch):
    """Order statistics of a heavy-tailed target, sketched in 40 parts and merged, are within
    the sketch's stated rank error; the MAD from the sketch is within a fraction of a percent."""
    monkeypatch.setattr(advisor.summary, "LEVEL_CAP", 1000)
    rng = np.random.default_rng(11)
    data = rng.lognormal(0, 2.5, 400_000)
    parts = np.array_split(data, 40)
    result = TargetSummary("y")
    for part in parts:
        piece = TargetSummary("y")
        piece.fold(pa.array(part), "x")
        result.merge(TargetSummary.from_bytes(piece.to_bytes()))
    result.finish()
    assert result.approximate
    ordered = np.sort(data)
    bound = sketch_rank_error()
    for q in (0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99):
        rank = np.searchsorted(ordered, result.quantile(q)) / data.size
        assert abs(rank - q) <= bound, q
    median = float(np.median(data))
    mad = float(np.median(np.abs(data - median)))
    assert abs(result.mad(result.quantile(0.5)) - mad) / mad < 0.01
    assert abs(result.count_above(ordered[-4000]) - 4000) <= bound * data.size
    assert result.n == data.size and result.maximum() == ordered[-1]


def test_sketched_summaries_are_byte_identical_from_run_to_run(monkeypatch):
    """The same batches in the same order give the same bytes, so approximate fields in the JSON
    do not change between runs (a KLL sketch, which compacts at random, failed this)."""
    monkeypatch.setattr(advisor.summary, "LEVEL_CAP", 1000)
    data = np.random.default_rng(5).lognormal(0, 2.0, 200_000)

    def sketched() -> bytes:
        summary = TargetSummary("y")
        for part in np.array_split(data, 20):
            summary.fold(pa.array(part), "x")
        summary.finish()
        assert summary.approximate
        return summary.to_bytes()

    assert sketched() == sketched()


def test_text_numbers_dictionaries_and_decimals_read_as_their_values():
    numbers = summarise_column("y", pa.array([" 1.5", "2", "", None]), "x")
    assert numbers.kind == "numeric" and numbers.n == 2 and numbers.n_missing == 2
    codes = pa.array(["a", "b", "a"]).dictionary_encode()
    assert summarise_column("y", codes, "x").levels()[0] == ["a", "b"]
    from decimal import Decimal

    decimals = summarise_column("y", pa.array([Decimal("1.25"), Decimal("2.50")]), "x")
    assert decimals.total() == 3.75
    yes = summarise_column("y", pa.array(["Yes", "yes", "no"]), "x")
    assert yes.levels()[0] == ["no", "yes"]


def test_aggregates_made_elsewhere_profile_like_the_file(tmp_path, monkeypatch):
    """The Spark recipe in README: one aggregation (Spark's var_pop, skewness, kurtosis and
    kll_sketch_agg_double, whose bytes are a DataSketches KllDoublesSketch) fills the summary."""
    import pyarrow.parquet as pq
    from datasketches import kll_doubles_sketch
    from scipy import stats as sps

    from advisor.analyze import analyze, profile_summary
    from advisor.thresholds import Thresholds

    monkeypatch.setattr(advisor.summary, "LEVEL_CAP", 1000)
    rng = np.random.default_rng(2)
    y = np.round(rng.lognormal(2, 1.3, 50_000), 3)
    sketch = kll_doubles_sketch(2000)
    sketch.update(y)
    summary = TargetSummary.from_aggregates(
        "y", rows=50_000, missing=0, infinite=0, n=y.size, mean=float(y.mean()),
        variance=float(y.var()), skewness=float(sps.skew(y)),
        excess_kurtosis=float(sps.kurtosis(y)), total=float(y.sum()), minimum=float(y.min()),
        maximum=float(y.max()), zeros=int((y == 0).sum()), negatives=int((y < 0).sum()),
        integral=False, sketch=bytes(sketch.serialize()))
    table = TableSummary(["y"])
    table.columns["y"], table.rows = summary, 50_000
    spark, _ = profile_summary(table, Thresholds())
    pq.write_table(pa.table({"y": y}), tmp_path / "y.parquet")
    exact = analyze(str(tmp_path / "y.parquet"), "y", Thresholds(), stream=False).profile
    assert spark.task == exact.task == "regression"
    for key in ("mean", "std", "skewness", "excess_kurtosis"):
        assert math.isclose(spark.stats[key], exact.stats[key], rel_tol=1e-6), key
    for key in ("min", "max", "zero_fraction", "negative_fraction", "n"):
        assert spark.stats[key] == exact.stats[key], key
    ordered = np.sort(y)
    for key, q in (("median", 0.5), ("q99", 0.99)):
        rank = np.searchsorted(ordered, spark.stats[key]) / y.size
        assert abs(rank - q) <= 2 * sketch_rank_error(), key
