"""The target summary: everything the task inference and the profiler read, folded from batches.

One :class:`TargetSummary` per target column is built by folding Arrow arrays into it: rows,
missing and infinite values, count, mean and central moment sums (merged with Pébay's formulas),
sum and extremes, zeros, negatives, whether every value is whole, first/last value and
monotonicity (identifier detection), the exact count of every distinct value up to
:data:`LEVEL_CAP`, text label counts up to the same cap, beyond the cap a t-digest quantile sketch
(Apache DataSketches). Summaries of parts of the data :meth:`~TargetSummary.merge` into the
summary of the whole, and :meth:`~TargetSummary.to_bytes` carries one between processes or
cluster workers.

The in-memory path is this fold over one batch that also keeps the values (``keep_values``), so
its order statistics are exact; the streamed, multi-file and cluster paths are the same fold over
many batches. Every statistic is computed here once, so adding one is a change in this file:
a field, its update in :meth:`~TargetSummary._fold_numbers` (or the text fold), its merge and
its serialisation.
"""

from __future__ import annotations

import json
import math
import struct
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from advisor import column as dispatch
from advisor import numeric
from advisor.errors import InputError

if TYPE_CHECKING:
    import pyarrow as pa

LEVEL_CAP = 100_000
"""Distinct values (or text labels) counted exactly; beyond it a numeric target is sketched."""

SKETCH_K = 3000
"""Compression of the t-digest (Apache DataSketches ``tdigest_double``): about 62 KB per sketch.
A t-digest is deterministic (the same batches in the same order give the same bytes), which keeps
the JSON byte-identical from run to run; DataSketches' KLL sketch compacts at random, seeded from
the clock, and cannot be seeded from Python, so two runs over the same file differed in their
approximate fields."""

SKETCH_RANK_ERROR = 0.005
"""The normalised rank error approximate fields are stated to be within. Measured at p01..p99 on
heavy-tailed targets (lognormal with sigma 1.5-2.5 times Pareto(1.5)) merged from 40 parts: at
most 0.07% (k = 3000; 0.19% at k = 2000, where the MAD missed by 1%); the bound keeps a margin
for merges in another order."""

COUNTED: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "zeros": lambda values: values == 0,
    "negatives": lambda values: values < 0,
}
"""Exact counts kept for every numeric target. A new one is one entry here: it is folded,
merged and serialised with the others, and read with :meth:`TargetSummary.counted`."""

FORMAT = b"LATS"
VERSION = 2
"""Version of :meth:`TargetSummary.to_bytes`; bump it when a field changes meaning. Version 2:
the quantile sketch is a t-digest (version 1 held a KLL sketch)."""


def sketch_rank_error() -> float:
    """The sketch's stated normalised rank error (the bound approximate fields are within)."""
    return SKETCH_RANK_ERROR


def _new_sketch() -> Any:
    from datasketches import tdigest_double

    return tdigest_double(SKETCH_K)


def _load_sketch(data: bytes) -> Any:
    from datasketches import tdigest_double

    return tdigest_double.deserialize(data)


def _sketch_from_kll(data: bytes) -> Any:
    """A t-digest with the distribution of a KLL sketch made elsewhere (Spark's
    ``kll_sketch_agg_double``): the KLL's quantiles on a fine, even grid of ranks. The summary
    keeps the exact count; the digest only answers ranks and quantiles."""
    from datasketches import kll_doubles_sketch

    kll = kll_doubles_sketch.deserialize(data)
    grid = (np.arange(20_000) + 0.5) / 20_000
    sketch = _new_sketch()
    if not kll.is_empty():
        sketch.update(np.asarray(kll.get_quantiles(grid), dtype=np.float64))
    return sketch


class TargetSummary:
    """The mergeable summary of one target column."""

    def __init__(self, name: str, keep_values: bool = False, decimal: str = "."):
        self.name = name
        self.decimal = decimal
        """The file's decimal mark, which tells thousands separators in numeric text."""
        self.kind: str | None = None
        """'numeric', 'boolean' or 'text'; None until a typed value is seen."""
        self.n_total = 0
        self._missing = 0  # null, blank and NaN; see n_missing
        self.n_infinite = 0
        # numbers
        self._n = 0
        self._mean = 0.0
        self._scale = 1.0  # central sums are kept divided by scale**k (a power of two)
        self._s2 = self._s3 = self._s4 = 0.0
        self._sum = 0.0
        self._min = math.inf
        self._max = -math.inf
        self._counted = dict.fromkeys(COUNTED, 0)
        self._integral = True
        self._first: float | None = None
        self._last: float | None = None
        self._increasing = True
        self._decreasing = True
        self._levels: tuple[np.ndarray, np.ndarray] | None = (
            np.empty(0), np.empty(0, np.int64))
        self._pending: list[tuple[np.ndarray, np.ndarray]] = []
        self._pending_size = 0
        self._sketch: Any = None
        self._keep_values = keep_values
        self._parts: list[np.ndarray] = []
        self._values: np.ndarray | None = None  # exact values, sorted on first use
        # text
        self._labels: dict[str, int] | None = {}
        self._labelled = 0
        self._na_labelled = 0  # labels that spell pyarrow's missing values ("Null", "NAN")
        self.strays: dict[str, int] = {}
        """Tokens that are not numbers in a column read as numbers, with their counts."""
        self.first_stray_row: int | None = None
        """Row (0-based, in the data folded so far) of the first stray token."""
        self._label_distinct = 0  # exact while _labels is kept, else a lower bound
        self._label_exact = True
        self._numeric_text = True  # every label so far is a number
        self.row_one_hot: bool | None = None
        self._cache: dict[str, Any] = {}

    # -- folding ---------------------------------------------------------------------------
    def fold(self, array: pa.Array | pa.ChunkedArray, where: str) -> np.ndarray | None:
        """Fold one batch of the column; returns its numbers in row order (nulls dropped) when
        it is numeric, for row-wise checks across columns."""
        import pyarrow as pa

        if isinstance(array, pa.Array):
            array = pa.chunked_array([array], type=array.type)
        array = dispatch.decode(array)
        kind = dispatch.arrow_kind(array.type, self.name, where)
        self.n_total += len(array)
        self._cache.clear()
        if kind == "null":
            self._missing += len(array)
            return None
        if kind == "text":
            return self._fold_text(array, where)
        self._set_kind(kind, where)
        values = numeric.float64_from_arrow(array)
        self._missing += array.null_count
        del array
        self._fold_numbers(values)
        return values

    def _set_kind(self, kind: str, where: str) -> None:
        if self.kind is None or self.kind == kind:
            self.kind = kind
            return
        if {self.kind, kind} == {"numeric", "text"} and self._numeric_text:
            self.kind = "numeric"  # numbers written as text in one part, as numbers in another
            return
        raise InputError(
            f"column '{self.name}' holds {kind} values here but {self.kind} values in the "
            "data before", where, "give files whose target column has one type")

    def _fold_text(self, array: pa.ChunkedArray, where: str) -> np.ndarray | None:
        """Labels are counted; while they read as numbers (with rare stray tokens, missing
        words and thousands separators: :func:`advisor.column.label_numbers`) the numbers are
        folded too, in row order."""
        import pyarrow as pa

        offset = self.n_total - len(array)
        labels, counts, missing = dispatch.label_counts(array)
        self._missing += missing
        self._labelled += int(counts.sum())
        na = dispatch.na_spelled(labels)
        self._na_labelled += int(counts[na].sum())
        self._add_labels(labels.filter(pa.array(~na)), counts[~na])
        reading = (dispatch.label_numbers(labels, counts, self.decimal)
                   if self._numeric_text else None)
        if reading is None:
            self._numeric_text = False
            self._set_kind("text", where)
            return None
        grouped, strays = reading
        for token, count in strays.items():
            self.strays[token] = self.strays.get(token, 0) + count
        if strays and self.first_stray_row is None:
            row = dispatch.first_row_of(array, list(strays))
            self.first_stray_row = None if row is None else offset + row
        if self.kind is None:
            self.kind = "text"  # settled as numeric when read, while every label is a number
        values = numeric.float64_from_arrow(dispatch.text_numbers(array, grouped,
                                                                  self.decimal))
        self._fold_numbers(values)
        return values

    def _add_labels(self, labels: pa.Array | list[str], counts: np.ndarray) -> None:
        if self._labels is not None and len(labels) + len(self._labels) <= LEVEL_CAP:
            names = labels if isinstance(labels, list) else labels.to_pylist()
            for label, count in zip(names, counts.tolist(), strict=True):
                self._labels[label] = self._labels.get(label, 0) + count
            self._label_distinct = len(self._labels)
            return
        # Exact only when these are the first labels seen (one batch: the in-memory path).
        self._label_exact = self._labels is not None and not self._labels
        self._label_distinct = max(self._label_distinct, len(labels),
                                   len(self._labels) if self._labels else 0)
        self._labels = None  # past the cap only a lower bound of the distinct labels is kept

    def _fold_numbers(self, values: np.ndarray) -> None:
        finite = np.isfinite(values)
        if not finite.all():
            nan = int(np.isnan(values).sum())  # "NaN" that the reader did not treat as null
            self._missing += nan
            self.n_infinite += int(values.shape[0] - finite.sum()) - nan
            values = values[finite]
        del finite
        if values.shape[0] == 0:
            return
        lo, hi = float(values.min()), float(values.max())
        self._track_order(values)
        self._merge_moments(numeric.central_sums(values, lo, hi))
        with np.errstate(over="ignore"):
            self._sum += float(values.sum())
        self._min, self._max = min(self._min, lo), max(self._max, hi)
        for name, test in COUNTED.items():
            self._counted[name] += numeric.count_where(values, test)
        if self._integral:
            self._integral = numeric.all_integral(values)
        if self._keep_values:
            self._parts.append(values)
            return
        if self._levels is not None:
            levels, counts = np.unique(values, return_counts=True)
            self._pending.append((levels, counts))
            self._pending_size += levels.shape[0]
            if self._pending_size > 4 * LEVEL_CAP:
                self._settle_levels()
        if self._levels is None:
            self._sketched().update(values)

    def _track_order(self, values: np.ndarray) -> None:
        if self._first is None:
            self._first = float(values[0])
        if self._increasing or self._decreasing:
            if self._last is not None:
                self._increasing = self._increasing and values[0] > self._last
                self._decreasing = self._decreasing and values[0] < self._last
            up, down = numeric.monotonic_runs(values)
            self._increasing = self._increasing and up
            self._decreasing = self._decreasing and down
        self._last = float(values[-1])

    def _merge_moments(self, other: tuple[int, float, float, float, float, float]) -> None:
        """Combine central moment sums of two parts (Pébay 2008), in units of a common
        power-of-two scale so sums of values near 1e300 neither overflow nor lose bits when
        rescaled."""
        nb, mb, scale_b, s2b, s3b, s4b = other
        na = self._n
        if nb == 0:
            return
        if na == 0:
            self._n, self._mean, self._scale = nb, mb, scale_b
            self._s2, self._s3, self._s4 = s2b, s3b, s4b
            return
        scale = max(self._scale, scale_b)
        ra, rb = self._scale / scale, scale_b / scale
        s2a, s3a, s4a = self._s2 * ra**2, self._s3 * ra**3, self._s4 * ra**4
        s2b, s3b, s4b = s2b * rb**2, s3b * rb**3, s4b * rb**4
        n = na + nb
        delta = mb / scale - self._mean / scale
        d_n = delta / n
        self._mean = self._mean + nb * (d_n * scale)
        s2 = s2a + s2b + delta * d_n * na * nb
        s3 = (s3a + s3b + delta * d_n * d_n * na * nb * (na - nb)
              + 3 * d_n * (na * s2b - nb * s2a))
        s4 = (s4a + s4b + delta * d_n**3 * na * nb * (na * na - na * nb + nb * nb)
              + 6 * d_n * d_n * (na * na * s2b + nb * nb * s2a) + 4 * d_n * (na * s3b - nb * s3a))
        self._n, self._scale, self._s2, self._s3, self._s4 = n, scale, s2, s3, s4

    def _settle_levels(self) -> None:
        """Fold the batches' distinct values into the running counts, in groups (merging each
        batch into a large table would dominate the pass); past the cap, switch to the sketch."""
        if self._levels is None or not self._pending:
            self._pending, self._pending_size = [], 0
            return
        merged = np.concatenate([self._levels[0], *(lv for lv, _ in self._pending)])
        weights = np.concatenate([self._levels[1], *(c for _, c in self._pending)])
        self._pending, self._pending_size = [], 0
        unique, inverse = np.unique(merged, return_inverse=True)
        counts = np.bincount(inverse, weights=weights).astype(np.int64)
        if unique.shape[0] <= LEVEL_CAP:
            self._levels = (unique, counts)
            return
        self._levels = None
        self._sketch_levels(unique, counts)

    def _sketch_levels(self, values: np.ndarray, counts: np.ndarray) -> None:
        """Feed exact level counts into the sketch (once, when the levels pass the cap)."""
        sketch = self._sketched()
        for value, count in _weighted_chunks(values, counts):
            sketch.update(np.repeat(value, count))

    def _sketched(self) -> Any:
        if self._sketch is None:
            self._sketch = _new_sketch()
        return self._sketch

    def _settle_values(self) -> None:
        """Exact values: one array, sorted in place once."""
        if self._parts:
            parts = ([self._values] if self._values is not None else []) + self._parts
            self._parts = []
            self._values = parts[0] if len(parts) == 1 else np.concatenate(parts)
            self._values.sort(kind="quicksort")
        elif self._values is None and self._keep_values:
            self._values = np.empty(0)

    def _drop_values(self) -> None:
        """Trade the exact values for levels (few distinct) or the sketch (many)."""
        if not self._keep_values:
            return
        self._settle_values()
        values = self._values
        self._values, self._keep_values = None, False
        if values is None or values.shape[0] == 0:
            return
        if numeric.count_distinct_sorted(values) <= LEVEL_CAP:
            self._levels = numeric.levels_counts_sorted(values)
        else:
            self._levels = None
            self._sketched().update(values)

    # -- merging and bytes -----------------------------------------------------------------
    def merge(self, other: TargetSummary, where: str = "") -> TargetSummary:
        """Fold ``other`` (the summary of the rows after this one's) into this summary."""
        if other.kind is not None:
            if self.kind == "text" and other.kind == "text":
                self._numeric_text = self._numeric_text and other._numeric_text
            elif other.kind == "text" and not other._numeric_text:
                self._numeric_text = False
            self._set_kind(other.kind, where)
        self._cache.clear()
        offset = self.n_total
        self.n_total += other.n_total
        self._missing += other._missing
        self._na_labelled += other._na_labelled
        if other.first_stray_row is not None and self.first_stray_row is None:
            self.first_stray_row = offset + other.first_stray_row
        for token, count in other.strays.items():
            self.strays[token] = self.strays.get(token, 0) + count
        self.n_infinite += other.n_infinite
        self._labelled += other._labelled
        if other._labels is None or self._labels is None:
            self._label_distinct = max(self._label_distinct, other._label_distinct)
            self._label_exact = (self._labels is not None and not self._labels
                                 and other._label_exact) or (
                other._labelled == 0 and self._label_exact)
            self._labels = None
        else:
            self._add_labels(list(other._labels), np.array(list(other._labels.values())))
        if other._n == 0:
            return self
        if self._n and (self._increasing or self._decreasing):
            self._increasing = self._increasing and other._increasing and (
                other._first > self._last)
            self._decreasing = self._decreasing and other._decreasing and (
                other._first < self._last)
        elif not self._n:
            self._first = other._first
            self._increasing, self._decreasing = other._increasing, other._decreasing
        self._last = other._last
        self._merge_moments((other._n, other._mean, other._scale, other._s2, other._s3,
                             other._s4))
        self._sum += other._sum
        self._min, self._max = min(self._min, other._min), max(self._max, other._max)
        for name in COUNTED:
            self._counted[name] += other._counted[name]
        self._integral = self._integral and other._integral
        if self._keep_values and other._keep_values:  # both exact: stay exact, sort once
            self._parts.extend(([other._values] if other._values is not None else [])
                               + other._parts)
            other._values, other._parts = None, []
            return self
        self._drop_values()
        other._drop_values()
        self._settle_levels()
        other._settle_levels()
        if self._levels is not None and other._levels is not None:
            self._pending.append(other._levels)
            self._pending_size += other._levels[0].shape[0]
            self._settle_levels()
            return self
        if self._levels is not None:
            levels, self._levels = self._levels, None
            self._sketch_levels(*levels)
        if other._levels is not None:
            self._sketch_levels(*other._levels)
        else:
            self._sketched().merge(other._sketch)
        return self

    def to_bytes(self) -> bytes:
        """A versioned, code-free encoding (JSON header + raw arrays), for other processes."""
        self._drop_values()
        self._settle_levels()
        head = {
            "name": self.name, "kind": self.kind, "n_total": self.n_total,
            "missing": self._missing, "na_labelled": self._na_labelled,
            "strays": self.strays, "first_stray_row": self.first_stray_row,
            "decimal": self.decimal, "n_infinite": self.n_infinite, "n": self._n,
            "mean": self._mean, "scale": self._scale, "s2": self._s2, "s3": self._s3,
            "s4": self._s4, "sum": self._sum, "min": _finite_or_none(self._min),
            "max": _finite_or_none(self._max), "counted": self._counted,
            "integral": self._integral, "first": self._first,
            "last": self._last, "increasing": self._increasing,
            "decreasing": self._decreasing, "labels": self._labels,
            "labelled": self._labelled, "label_distinct": self._label_distinct,
            "label_exact": self._label_exact,
            "numeric_text": self._numeric_text, "row_one_hot": self.row_one_hot,
        }
        blobs = [b"", b"", b""]
        if self._levels is not None:
            blobs[0] = self._levels[0].astype("<f8").tobytes()
            blobs[1] = self._levels[1].astype("<i8").tobytes()
        if self._sketch is not None:
            blobs[2] = bytes(self._sketch.serialize())
        header = json.dumps(head, allow_nan=False, sort_keys=True).encode()
        sizes = struct.pack("<BIIII", VERSION, len(header), *(len(b) for b in blobs))
        return FORMAT + sizes + header + b"".join(blobs)

    @classmethod
    def from_bytes(cls, data: bytes) -> TargetSummary:
        if data[:4] != FORMAT:
            raise ValueError("not a lossadvisor target summary")
        version, n_head, n_levels, n_counts, n_sketch = struct.unpack_from("<BIIII", data, 4)
        if version != VERSION:
            raise ValueError(f"target summary version {version}; this lossadvisor reads "
                             f"version {VERSION}")
        at = 4 + struct.calcsize("<BIIII")
        head = json.loads(data[at:at + n_head])
        at += n_head
        summary = cls(head["name"])
        summary.kind = head["kind"]
        for key in ("n_total", "n_infinite", "row_one_hot", "strays", "first_stray_row",
                    "decimal"):
            setattr(summary, key, head[key])
        for key in ("n", "mean", "scale", "s2", "s3", "s4", "sum", "counted", "integral",
                    "first", "last", "increasing", "decreasing", "labels",
                    "labelled", "label_distinct", "label_exact", "numeric_text", "missing",
                    "na_labelled"):
            setattr(summary, "_" + key, head[key])
        summary._min = math.inf if head["min"] is None else head["min"]
        summary._max = -math.inf if head["max"] is None else head["max"]
        levels = np.frombuffer(data, "<f8", n_levels // 8, at).copy()
        counts = np.frombuffer(data, "<i8", n_counts // 8, at + n_levels).copy()
        at += n_levels + n_counts
        summary._levels = None if n_sketch else (levels, counts)
        if n_sketch:
            summary._sketch = _load_sketch(data[at:at + n_sketch])
        return summary

    @classmethod
    def from_aggregates(cls, name: str, *, rows: int, missing: int, infinite: int, n: int,
                        mean: float, variance: float, skewness: float, excess_kurtosis: float,
                        total: float, minimum: float, maximum: float, zeros: int,
                        negatives: int, integral: bool, sketch: bytes | None = None,
                        levels: dict[float, int] | None = None) -> TargetSummary:
        """A numeric summary from aggregates computed elsewhere (one Spark aggregation, see
        README "Spark"): population variance, skewness and excess kurtosis as Spark's
        ``var_pop``, ``skewness`` and ``kurtosis`` give them, and a KllDoublesSketch's bytes
        (``kll_sketch_agg_double``) or the exact value counts. Row order is unknown, so
        identifier sequences are not detected."""
        summary = cls(name)
        summary.kind = "numeric"
        summary.n_total, summary._missing, summary.n_infinite = rows, missing, infinite
        summary._n, summary._mean, summary._sum = n, mean, total
        summary._min, summary._max = (minimum, maximum) if n else (math.inf, -math.inf)
        summary._counted = {**summary._counted, "zeros": zeros, "negatives": negatives}
        summary._integral = integral
        summary._increasing = summary._decreasing = False
        spread = max(mean - minimum, maximum - mean, 0.0)
        scale = math.ldexp(1.0, min(math.frexp(spread)[1], 1023)) if spread > 0 else 1.0
        unit = variance / scale / scale  # the variance in units of the scale
        summary._scale = scale
        summary._s2 = n * unit
        summary._s3 = n * skewness * unit**1.5
        summary._s4 = n * (excess_kurtosis + 3.0) * unit * unit
        if levels is not None:
            keys = sorted(levels)
            summary._levels = (np.array(keys, dtype=np.float64),
                               np.array([levels[k] for k in keys], dtype=np.int64))
        elif sketch is not None:
            summary._levels = None
            summary._sketch = _sketch_from_kll(sketch)
        return summary

    # -- what the task inference and the profiler read -------------------------------------
    def _numbers_view(self) -> str:
        """Where order statistics come from: 'values' (exact), 'levels' (exact) or 'sketch'."""
        if self._keep_values:
            self._settle_values()
            return "values"
        self._settle_levels()
        return "levels" if self._levels is not None else "sketch"

    def finish(self) -> None:
        """Settle the column's kind once every batch is folded (numbers written as text are
        numbers)."""
        if self.kind == "text" and self._numeric_text and self._labels:
            # Stray tokens must be rare in the whole column, not only in each batch.
            import pyarrow as pa

            names = list(self._labels)
            counts = np.array([self._labels[k] for k in names], dtype=np.int64)
            if dispatch.label_numbers(pa.array(names, pa.string()), counts,
                                      self.decimal) is None:
                self._numeric_text = False
        if self.kind == "text" and self._numeric_text:
            self.kind = "numeric"
        if self.kind == "text":
            self.strays, self.first_stray_row = {}, None
        if self.kind is None:
            self.kind = "numeric"

    @property
    def n(self) -> int:
        return self._labelled - self._na_labelled if self.kind == "text" else self._n

    @property
    def n_missing(self) -> int:
        """Null, blank and NaN cells; in a text target also pyarrow's missing-value spellings
        in any case; in numbers written as text also the stray tokens and missing words."""
        if self.kind == "text":
            return self._missing + self._na_labelled
        return self._missing + sum(self.strays.values())

    def ordered(self) -> np.ndarray:
        """The exact values, sorted (in-memory summaries keep them)."""
        if self._numbers_view() != "values":
            raise ValueError("this summary keeps no values")
        return self._values

    @property
    def approximate(self) -> bool:
        """True when order statistics come from the sketch (labelled so in JSON)."""
        return self.kind != "text" and self._n > 0 and self._numbers_view() == "sketch"

    @property
    def monotonic(self) -> bool:
        """Strictly increasing or decreasing in row order (an ID-like sequence)."""
        return self._n > 1 and (self._increasing or self._decreasing)

    def text_distinct(self) -> tuple[int, bool]:
        """Distinct text labels and whether that number is exact (else a lower bound)."""
        return self._label_distinct, self._labels is not None or self._label_exact

    def n_distinct(self) -> int:
        if self.kind == "text":
            return self._label_distinct
        view = self._numbers_view()
        if view == "values":
            if "distinct" not in self._cache:
                self._cache["distinct"] = numeric.count_distinct_sorted(self._values)
            return self._cache["distinct"]
        if view == "levels":
            return int(self._levels[0].shape[0])
        return LEVEL_CAP + 1  # at least: exact counting stopped there

    def levels(self) -> tuple[list, np.ndarray]:
        """Distinct values (numbers or labels) and their counts, in sorted order."""
        if self.kind == "text":
            merged = dispatch.fold_boolean_case(self._labels or {})
            names = sorted(merged)
            return names, np.array([merged[k] for k in names], dtype=np.int64)
        if "levels" not in self._cache:
            view = self._numbers_view()
            if view == "values":
                values, counts = numeric.levels_counts_sorted(self._values)
            elif view == "levels":
                values, counts = self._levels
            else:
                raise ValueError("levels of a sketched column")
            self._cache["levels"] = (values.tolist(), counts)
        return self._cache["levels"]

    def all_distinct(self) -> bool:
        """Every value occurs once (an identifier, unless they are continuous floats)."""
        if self.kind != "text" and self._numbers_view() == "sketch":
            return self.monotonic  # a strictly monotonic sequence never repeats a value
        if self.kind == "text" and not self.text_distinct()[1]:
            return False
        return self.n_distinct() == self.n

    def integral(self) -> bool:
        return self.kind != "text" and self._integral

    def moments(self) -> tuple[float, float, float, float]:
        """Mean, population variance, skewness, excess kurtosis."""
        n = self._n
        if n == 0 or self._s2 <= 0:
            return self._mean, 0.0, 0.0, 0.0
        m2 = self._s2 / n
        with np.errstate(over="ignore"):
            variance = m2 * self._scale * self._scale
        return (self._mean, float(variance), (self._s3 / n) / m2**1.5,
                (self._s4 / n) / (m2 * m2) - 3.0)

    def counted(self, name: str) -> int:
        """An exact count from :data:`COUNTED` (values equal to zero, below zero, ...)."""
        return self._counted[name]

    def minimum(self) -> float:
        return float(self._min)

    def maximum(self) -> float:
        return float(self._max)

    def total(self) -> float:
        """Sum of the values (positives of a 0/1 column)."""
        return self._sum

    def zero_one(self) -> bool:
        """Only the values 0 and 1 (or booleans)."""
        return (self.kind in ("numeric", "boolean") and self._n > 0 and self._integral
                and self._min in (0.0, 1.0) and self._max in (0.0, 1.0))

    def count_between(self, low: float, high: float) -> int:
        """Values in [low, high]."""
        if low == 0 and high == 0:
            return self._counted["zeros"]
        return self.n - self.count_below(low) - self.count_above(high)

    def count_below(self, value: float) -> int:
        """Values strictly below ``value``."""
        if value == 0:
            return self._counted["negatives"]
        view = self._numbers_view()
        if view == "values":
            return int(np.searchsorted(self._values, value, side="left"))
        if view == "levels":
            at = int(np.searchsorted(self._levels[0], value, side="left"))
            return int(self._levels[1][:at].sum())
        if value <= self._min:
            return 0
        return int(round(self._sketch.get_rank(value) * self._n))

    def count_above(self, value: float) -> int:
        """Values strictly above ``value``."""
        view = self._numbers_view()
        if view == "values":
            return self._n - int(np.searchsorted(self._values, value, side="right"))
        if view == "levels":
            at = int(np.searchsorted(self._levels[0], value, side="right"))
            return int(self._levels[1][at:].sum())
        if value >= self._max:
            return 0
        return self._n - int(round(self._sketch.get_rank(value) * self._n))

    def quantile(self, q: float) -> float:
        view = self._numbers_view()
        if view == "values":
            return numeric.quantile(self._values, q)
        if view == "levels":
            if "cumulative" not in self._cache:  # the profiler asks for ~1000 quantiles
                self._cache["cumulative"] = np.cumsum(self._levels[1])
            return _weighted_quantile(self._levels[0], self._cache["cumulative"], q)
        return float(self._sketch.get_quantile(q))

    def mad(self, median: float) -> float:
        """Median absolute deviation; from the sketch by bisecting d with
        F(median + d) - F(median - d) = 1/2."""
        view = self._numbers_view()
        if view == "values":
            return numeric.median_abs_deviation_sorted(self._values, median)
        if view == "levels":
            return _weighted_mad(*self._levels, median)
        lo, hi = 0.0, max(median - self._min, self._max - median)
        for _ in range(100):
            mid = lo + (hi - lo) / 2
            if mid in (lo, hi):
                break
            inside = self._sketch.get_rank(median + mid) - self._sketch.get_rank(median - mid)
            lo, hi = (lo, mid) if inside >= 0.5 else (mid, hi)
        return hi

    def histogram(self, edges: np.ndarray) -> np.ndarray:
        """Counts per bin [e_i, e_i+1), the last bin closed (like numpy)."""
        view = self._numbers_view()
        if view == "values":
            return numeric.histogram_sorted(self._values, edges)
        below = [self.count_below(float(e)) for e in edges[:-1]]
        below.append(self._n - self.count_above(float(edges[-1])))
        return np.diff(np.array(below, dtype=np.int64))


class TableSummary:
    """The summaries of a table's target columns, with the row-wise facts across them."""

    def __init__(self, names: list[str], keep_values: bool = False, decimal: str = "."):
        self.names = list(names)
        self.rows = 0
        self.columns = {name: TargetSummary(name, keep_values, decimal) for name in names}
        self.one_hot: bool | None = True if len(names) > 1 else None
        """Every row has exactly one 1 across the columns (one-hot classes)."""
        self.notes: list[str] = []
        """What the reader noted on the way (an encoding fallback), carried with the summary."""

    def fold(self, columns: dict[str, pa.Array | pa.ChunkedArray], rows: int,
             where: str) -> None:
        """Fold one batch (or a whole table) of the target columns, given by name.

        The arrays are popped from ``columns`` as they are folded, so an in-memory column is
        released as soon as its numbers are copied.
        """
        self.rows += rows
        row_sum = None
        for name in self.names:
            nulls = columns[name].null_count
            values = self.columns[name].fold(columns.pop(name), where)
            if not self.one_hot:
                continue
            if values is None or nulls or values.shape[0] != rows:
                self.one_hot = False
            elif row_sum is None:
                row_sum = values.copy()
            else:
                row_sum += values
        if self.one_hot and row_sum is not None:
            self.one_hot = bool(np.all(row_sum == 1))

    def merge(self, other: TableSummary, where: str = "") -> TableSummary:
        """Fold ``other`` (the summary of the rows after this one's) into this summary."""
        self.rows += other.rows
        self.notes.extend(other.notes)
        for name in self.names:
            self.columns[name].merge(other.columns[name], where)
        if self.one_hot is not None:
            self.one_hot = bool(self.one_hot and other.one_hot)
        return self

    def finish(self) -> list[TargetSummary]:
        """The column summaries, settled for reading, in target order."""
        result = [self.columns[name] for name in self.names]
        for summary in result:
            summary.row_one_hot = self.one_hot
            summary.finish()
        return result

    def to_bytes(self) -> bytes:
        parts = [self.columns[name].to_bytes() for name in self.names]
        head = json.dumps({"names": self.names, "rows": self.rows, "one_hot": self.one_hot,
                           "notes": self.notes, "sizes": [len(p) for p in parts]}).encode()
        return FORMAT + struct.pack("<BI", VERSION, len(head)) + head + b"".join(parts)

    @classmethod
    def from_bytes(cls, data: bytes) -> TableSummary:
        if data[:4] != FORMAT:
            raise ValueError("not a lossadvisor table summary")
        version, n_head = struct.unpack_from("<BI", data, 4)
        if version != VERSION:
            raise ValueError(f"summary version {version}; this lossadvisor reads {VERSION}")
        at = 4 + struct.calcsize("<BI")
        head = json.loads(data[at:at + n_head])
        at += n_head
        table = cls(head["names"])
        table.rows, table.one_hot, table.notes = head["rows"], head["one_hot"], head["notes"]
        for name, size in zip(head["names"], head["sizes"], strict=True):
            table.columns[name] = TargetSummary.from_bytes(data[at:at + size])
            at += size
        return table


def _finite_or_none(value: float) -> float | None:
    return value if math.isfinite(value) else None


def _weighted_chunks(values: np.ndarray, counts: np.ndarray, chunk: int = 1 << 20):
    """(values, counts) slices whose expanded size stays near ``chunk`` (bounded memory)."""
    start = 0
    cumulative = np.cumsum(counts)
    while start < values.shape[0]:
        base = int(cumulative[start - 1]) if start else 0
        stop = int(np.searchsorted(cumulative, base + chunk, side="right"))
        stop = max(stop, start + 1)
        yield values[start:stop], counts[start:stop]
        start = stop


def _at_rank(values: np.ndarray, cumulative: np.ndarray, rank: int) -> float:
    return float(values[int(np.searchsorted(cumulative, rank, side="right"))])


def _weighted_quantile(values: np.ndarray, cumulative: np.ndarray, q: float) -> float:
    """numpy's 'linear' quantile of the values repeated by their (cumulative) counts."""
    size = int(cumulative[-1])
    position = q * (size - 1)
    lower = math.floor(position)
    low = _at_rank(values, cumulative, lower)
    high = _at_rank(values, cumulative, min(lower + 1, size - 1))
    fraction = position - lower
    if fraction == 0 or low == high:
        return low
    return low * (1 - fraction) + high * fraction


def _weighted_mad(values: np.ndarray, counts: np.ndarray, median: float) -> float:
    deviations = np.abs(values - median)
    order = np.argsort(deviations, kind="stable")
    ranked, weights = deviations[order], np.cumsum(counts[order])
    size = int(weights[-1])
    if size % 2:
        return _at_rank(ranked, weights, size // 2)
    return (_at_rank(ranked, weights, size // 2 - 1) + _at_rank(ranked, weights, size // 2)) / 2


def summarise_column(name: str, array: pa.Array | pa.ChunkedArray, where: str,
                     decimal: str = ".") -> TargetSummary:
    """The in-memory summary of one column (exact order statistics)."""
    table = TableSummary([name], keep_values=True, decimal=decimal)
    table.fold({name: array}, len(array), where)
    return table.finish()[0]
