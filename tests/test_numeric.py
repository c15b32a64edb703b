"""The fast statistics against straightforward references on random data (hypothesis)."""

from __future__ import annotations

import math

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy import stats as sps

from advisor import numeric

finite = st.floats(-1e9, 1e9, allow_nan=False, allow_infinity=False, width=64)
rounded = st.integers(-50, 50).map(float)
values = arrays(np.float64, st.integers(1, 400), elements=st.one_of(finite, rounded))


def close(a: float, b: float, scale: float = 1.0) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9 * max(scale, 1.0))


@settings(max_examples=300, deadline=None)
@given(values)
def test_order_statistics_match_numpy(data):
    ordered = np.sort(data)
    scale = float(np.max(np.abs(data)))
    for q in (0.0, 0.01, 0.25, 0.5, 0.75, 0.99, 1.0):
        assert close(numeric.quantile(ordered, q), float(np.quantile(data, q)), scale)
    median = float(np.median(data))
    reference = float(np.median(np.abs(data - median)))
    assert close(numeric.median_abs_deviation_sorted(ordered, median), reference, scale)
    assert numeric.count_distinct_sorted(ordered) == len(np.unique(data))
    levels, counts = numeric.levels_counts_sorted(ordered)
    ref_levels, ref_counts = np.unique(data, return_counts=True)
    assert np.array_equal(levels, ref_levels) and np.array_equal(counts, ref_counts)
    low, high = np.quantile(data, [0.2, 0.8])
    assert numeric.count_between(ordered, low, high) == int(((data >= low) & (data <= high)).sum())
    edges = np.linspace(ordered[0], ordered[-1] + (ordered[-1] == ordered[0]), 7)
    assert np.array_equal(numeric.histogram_sorted(ordered, edges), np.histogram(data, edges)[0])


@settings(max_examples=200, deadline=None)
@given(arrays(np.float64, st.integers(3, 400), elements=st.floats(-1e6, 1e6)))
def test_moments_match_scipy(data):
    """Central sums in power-of-two units give scipy's moments (through the summary)."""
    if np.ptp(data) == 0:
        return
    from advisor.summary import summarise_column

    mean, variance, skew, kurtosis = summarise_column("y", pa.array(data), "x").moments()
    assert math.isclose(mean, data.mean(), rel_tol=1e-9, abs_tol=1e-6)
    assert math.isclose(variance, data.var(), rel_tol=1e-7, abs_tol=1e-6)
    if data.var() > 1e-6 * max(1.0, float(np.abs(data).max())) ** 2:
        assert math.isclose(skew, sps.skew(data), rel_tol=1e-6, abs_tol=1e-6)
        assert math.isclose(kurtosis, sps.kurtosis(data), rel_tol=1e-6, abs_tol=1e-6)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.integers(-1000, 1000)), min_size=1, max_size=300),
       st.integers(1, 50), st.sampled_from([pa.int64(), pa.int32(), pa.float64(), pa.uint16()]))
def test_arrow_buffers_read_like_to_pylist(items, chunk, kind):
    if kind == pa.uint16():
        items = [None if v is None else abs(v) for v in items]
    array = pa.array(items, type=kind)
    chunks = [array.slice(i, chunk) for i in range(0, len(array), chunk)]
    column = pa.chunked_array(chunks, type=kind)
    expected = [float(v) for v in items if v is not None]
    assert numeric.float64_from_arrow(column).tolist() == expected


def test_monotonic_runs_and_integral_in_blocks(monkeypatch):
    monkeypatch.setattr(numeric, "BLOCK", 7)
    assert numeric.monotonic_runs(np.arange(100.0)) == (True, False)
    assert numeric.monotonic_runs(np.arange(100.0)[::-1].copy()) == (False, True)
    broken = np.arange(100.0)
    broken[50] = 49
    assert numeric.monotonic_runs(broken) == (False, False)
    assert numeric.all_integral(np.arange(100.0))
    half = np.arange(100.0)
    half[93] = 0.5
    assert not numeric.all_integral(half)
