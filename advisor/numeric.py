"""Numerically careful building blocks shared by task inference and the profiler."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pyarrow as pa


BLOCK = 1 << 20
"""Elements per block for passes that would otherwise allocate full-size temporaries."""


def central_sums(
    values: np.ndarray, lo: float, hi: float
) -> tuple[int, float, float, float, float, float]:
    """Count, mean, a power-of-two scale and the central sums sum(((x - mean) / scale)**k),
    k = 2, 3, 4, in blocks.

    Working in units of a power of two keeps targets near the float limit (1e308) finite and
    makes rescaling when two parts merge exact.
    """
    n = values.shape[0]
    if n == 0:
        return 0, 0.0, 1.0, 0.0, 0.0, 0.0
    magnitude = max(abs(lo), abs(hi)) or 1.0
    total = 0.0
    for start in range(0, n, BLOCK):
        total += float(np.sum(values[start : start + BLOCK] / magnitude))
    mean = min(max(total / n * magnitude, lo), hi)
    spread = max(mean - lo, hi - mean)
    exponent = math.frexp(spread)[1] if math.isfinite(spread) else 1024
    scale = math.ldexp(1.0, min(exponent, 1023)) if spread > 0 else 1.0
    shift = mean / scale
    s2 = s3 = s4 = 0.0
    for start in range(0, n, BLOCK):
        d = values[start : start + BLOCK] / scale - shift
        d2 = d * d
        s2 += float(d2.sum())
        s3 += float((d2 * d).sum())
        s4 += float((d2 * d2).sum())
    return n, mean, scale, s2, s3, s4


def quantile(ordered: np.ndarray, q: float) -> float:
    """Linear interpolation between order statistics (numpy's default 'linear' method)."""
    position = q * (ordered.shape[0] - 1)
    lower = math.floor(position)
    upper = min(lower + 1, ordered.shape[0] - 1)
    fraction = position - lower
    low, high = float(ordered[lower]), float(ordered[upper])
    if fraction == 0 or low == high:
        return low
    return low * (1 - fraction) + high * fraction  # no overflow near the float limits


def count_distinct_sorted(ordered: np.ndarray) -> int:
    """Distinct values of a sorted array, in blocks (no n-sized temporary)."""
    n = ordered.shape[0]
    if n == 0:
        return 0
    changes = 0
    for start in range(0, n - 1, BLOCK):
        stop = min(start + BLOCK, n - 1)
        changes += int(np.count_nonzero(ordered[start + 1 : stop + 1] != ordered[start:stop]))
    return changes + 1


def levels_counts_sorted(ordered: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct values and their counts from a sorted array (for few distinct values)."""
    n = ordered.shape[0]
    if n == 0:
        return ordered[:0], np.zeros(0, dtype=np.int64)
    starts = [0]
    for start in range(0, n - 1, BLOCK):
        stop = min(start + BLOCK, n - 1)
        starts.extend((np.flatnonzero(ordered[start + 1 : stop + 1] != ordered[start:stop])
                       + start + 1).tolist())
    bounds = np.array(starts + [n], dtype=np.int64)
    return ordered[bounds[:-1]].copy(), np.diff(bounds)


def count_where(values: np.ndarray, test) -> int:
    """How many values pass ``test`` (an elementwise predicate), in blocks."""
    return sum(int(np.count_nonzero(test(values[start : start + BLOCK])))
               for start in range(0, values.shape[0], BLOCK))


def monotonic_runs(values: np.ndarray) -> tuple[bool, bool]:
    """Whether the values strictly increase and whether they strictly decrease, in order."""
    n = values.shape[0]
    increasing = decreasing = True
    for start in range(0, n - 1, BLOCK):
        stop = min(start + BLOCK, n - 1)
        a, b = values[start:stop], values[start + 1 : stop + 1]
        increasing = increasing and bool(np.all(b > a))
        decreasing = decreasing and bool(np.all(b < a))
        if not (increasing or decreasing):
            break
    return increasing, decreasing


def all_integral(values: np.ndarray) -> bool:
    """True when every value is a whole number, checked in blocks."""
    for start in range(0, values.shape[0], BLOCK):
        part = values[start : start + BLOCK]
        if not np.array_equal(np.floor(part), part):
            return False
    return True


def count_between(ordered: np.ndarray, low: float, high: float) -> int:
    """How many sorted values lie in [low, high]."""
    return int(np.searchsorted(ordered, high, side="right") - np.searchsorted(ordered, low,
                                                                               side="left"))


def median_abs_deviation_sorted(ordered: np.ndarray, median: float) -> float:
    """The median of |x - median| from sorted data, exactly, without an n-sized temporary.

    Deviations left of the median, read right to left, and right of it, read left to right,
    are two sorted sequences; the order statistics needed are found by bisection on the value
    with counts from searchsorted, then pinned to actual deviations.
    """
    n = ordered.shape[0]
    if n == 0:
        return 0.0

    def kth(k: int) -> float:
        # smallest deviation d such that at least k+1 values lie within [median-d, median+d]
        lo, hi = 0.0, max(median - float(ordered[0]), float(ordered[-1]) - median)
        for _ in range(200):
            if hi - lo <= 0:
                break
            mid = lo + (hi - lo) / 2
            if mid == lo or mid == hi:
                break
            if count_between(ordered, median - mid, median + mid) >= k + 1:
                hi = mid
            else:
                lo = mid
        # the answer is an actual deviation: the nearest one at or below hi that still counts
        left = int(np.searchsorted(ordered, median - hi, side="left"))
        right = int(np.searchsorted(ordered, median + hi, side="right")) - 1
        candidates = []
        if left < n:
            candidates.append(abs(median - float(ordered[left])))
        if right >= 0:
            candidates.append(abs(float(ordered[right]) - median))
        best = max(candidates) if candidates else hi
        return best if count_between(ordered, median - best, median + best) >= k + 1 else hi

    if n % 2:
        return kth(n // 2)
    return (kth(n // 2 - 1) + kth(n // 2)) / 2


def histogram_sorted(ordered: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """np.histogram counts for sorted data, by searchsorted (last bin closed on the right)."""
    positions = np.searchsorted(ordered, edges[:-1], side="left")
    end = np.searchsorted(ordered, edges[-1], side="right")
    return np.diff(np.append(positions, end))


def float64_from_arrow(column: pa.ChunkedArray) -> np.ndarray:
    """The non-null values of a numeric Arrow column as one float64 numpy array.

    Reads the Arrow buffers directly and converts integers while copying into the one output
    array: ``to_numpy`` on chunks with nulls imports pandas (as much time as profiling a
    million rows), and a cast to float64 first would hold a third full-size copy at the peak.
    """
    import pyarrow as pa

    n_valid = len(column) - column.null_count
    out = np.empty(n_valid, dtype=np.float64)
    position = 0
    for chunk in column.chunks:
        length = len(chunk)
        if length == 0:
            continue
        kind = chunk.type
        if pa.types.is_boolean(kind) or pa.types.is_decimal(kind) or kind == pa.float16():
            chunk = chunk.cast(pa.float64())
            kind = chunk.type
        buffers = chunk.buffers()
        dtype = _NUMPY_TYPES[str(kind)]
        data = np.frombuffer(buffers[1], dtype=dtype, count=chunk.offset + length)
        data = data[chunk.offset :]
        if chunk.null_count:
            bits = np.frombuffer(buffers[0], dtype=np.uint8)
            valid = np.unpackbits(bits, bitorder="little", count=chunk.offset + length)
            valid = valid[chunk.offset :].view(bool)
            kept = length - chunk.null_count
            out[position : position + kept] = data[valid]
            position += kept
        else:
            out[position : position + length] = data
            position += length
    return out


_NUMPY_TYPES = {
    "double": np.float64, "float": np.float32, "int8": np.int8, "int16": np.int16,
    "int32": np.int32, "int64": np.int64, "uint8": np.uint8, "uint16": np.uint16,
    "uint32": np.uint32, "uint64": np.uint64,
}
