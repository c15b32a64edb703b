"""Profile a target too large for memory in one streamed pass.

Each target column is folded batch by batch into running aggregates: counts of missing,
infinite, zero and negative values, extremes, the sum, central moments (merged with Pébay's
formulas), whether the values are whole and in a monotonic sequence, and the exact count of every
distinct value while there are at most LEVEL_CAP of them. Targets with few distinct values (classes,
counts, ratings, binary) are therefore profiled exactly. A continuous target keeps a uniform
reservoir sample for its order statistics, which the report lists under ``approximate``.
Memory is bounded by the batch size, LEVEL_CAP and RESERVOIR, whatever the file's size.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from advisor import numeric
from advisor.column import BOOLEAN_WORDS, TargetColumn
from advisor.io import TableSource, TypeWidened

LEVEL_CAP = 100_000
"""Distinct values counted exactly; beyond it a numeric target keeps a sample instead."""
RESERVOIR = 1_000_000
"""Size of the uniform sample kept for the order statistics of continuous targets (8 MB)."""


class _Weighted:
    """Sorted distinct values with counts: exact order statistics without the raw values."""

    def __init__(self, values: np.ndarray, counts: np.ndarray, scale: float = 1.0):
        self.values = values
        self.counts = counts
        self.cumulative = np.cumsum(counts)
        self.size = int(self.cumulative[-1]) if len(counts) else 0
        self.scale = scale

    def at_rank(self, rank: int) -> float:
        return float(self.values[int(np.searchsorted(self.cumulative, rank, side="right"))])

    def quantile(self, q: float) -> float:
        position = q * (self.size - 1)
        lower = int(position)
        low = self.at_rank(lower)
        high = self.at_rank(min(lower + 1, self.size - 1))
        fraction = position - lower
        if fraction == 0 or low == high:
            return low
        return low * (1 - fraction) + high * fraction

    def _upto(self, index: int) -> int:
        return int(self.cumulative[index - 1]) if index > 0 else 0

    def count_below(self, value: float) -> int:
        return self._scaled(self._upto(int(np.searchsorted(self.values, value, side="left"))))

    def count_above(self, value: float) -> int:
        kept = self._upto(int(np.searchsorted(self.values, value, side="right")))
        return self._scaled(self.size - kept)

    def count_between(self, low: float, high: float) -> int:
        i = int(np.searchsorted(self.values, low, side="left"))
        j = int(np.searchsorted(self.values, high, side="right"))
        return self._scaled(self._upto(j) - self._upto(i))

    def histogram(self, edges: np.ndarray) -> np.ndarray:
        starts = [self._upto(int(i)) for i in np.searchsorted(self.values, edges[:-1], "left")]
        end = self._upto(int(np.searchsorted(self.values, edges[-1], side="right")))
        return np.array([self._scaled(c) for c in np.diff(starts + [end])], dtype=np.int64)

    def mad(self, median: float) -> float:
        deviations = np.abs(self.values - median)
        order = np.argsort(deviations, kind="stable")
        ranked = _Weighted(deviations[order], self.counts[order])
        if self.size % 2:
            return ranked.at_rank(self.size // 2)
        return (ranked.at_rank(self.size // 2 - 1) + ranked.at_rank(self.size // 2)) / 2

    def _scaled(self, count: int) -> int:
        return int(round(count * self.scale))


class StreamedColumn(TargetColumn):
    """A target column folded from batches; answers the profiler like an in-memory column."""

    def __init__(self, name: str, kind: str, seed: int):
        super().__init__(name, kind, np.empty(0), 0, 0)
        self._n = 0
        self._min = np.inf
        self._max = -np.inf
        self._sum = 0.0
        self._moments = (0, 0.0, 0.0, 0.0, 0.0)  # n, mean, M2, M3, M4
        self._integral = True
        self._zeros = 0
        self._negatives = 0
        self._levels: tuple[np.ndarray, np.ndarray] | None = (np.empty(0), np.empty(0, np.int64))
        self._text: dict[str, int] | None = {}
        self._text_many = 0
        self._pending: list[tuple[np.ndarray, np.ndarray]] = []
        self._pending_size = 0
        self._sample = np.empty(RESERVOIR)
        self._sample_n = 0
        self._rng = np.random.default_rng(seed)
        self._last: float | None = None
        self._increasing = True
        self._decreasing = True
        self.row_one_hot: bool | None = None
        self._weighted: _Weighted | None = None

    # -- folding ----------------------------------------------------------------------------
    def add_numbers(self, values: np.ndarray, missing: int, total: int) -> None:
        self.n_total += total
        finite = np.isfinite(values)
        if not finite.all():
            nan = int(np.isnan(values).sum())
            self.n_missing += nan
            self.n_infinite += int(values.shape[0] - finite.sum()) - nan
            values = values[finite]
        self.n_missing += missing
        if values.shape[0] == 0:
            return
        self._track_order(values)
        self._n += values.shape[0]
        self._min = min(self._min, float(values.min()))
        self._max = max(self._max, float(values.max()))
        self._sum += float(values.sum())
        self._zeros += int(np.count_nonzero(values == 0))
        self._negatives += int(np.count_nonzero(values < 0))
        self._integral = self._integral and bool(np.array_equal(np.floor(values), values))
        self._moments = _merge(self._moments, _batch_moments(values))
        if self._levels is not None:
            levels, counts = np.unique(values, return_counts=True)
            self._pending.append((levels, counts))
            self._pending_size += levels.shape[0]
            if self._pending_size > 4 * LEVEL_CAP:
                self._merge_levels()
        self._reservoir(values)

    def _merge_levels(self) -> None:
        """Fold the batches' distinct values into the running counts, in groups: merging
        every batch into a large table would dominate the pass."""
        if self._levels is None or not self._pending:
            self._pending, self._pending_size = [], 0
            return
        merged = np.concatenate([self._levels[0], *(lv for lv, _ in self._pending)])
        weights = np.concatenate([self._levels[1], *(c for _, c in self._pending)])
        self._pending, self._pending_size = [], 0
        unique, inverse = np.unique(merged, return_inverse=True)
        if unique.shape[0] > LEVEL_CAP:
            self._levels = None
        else:
            self._levels = (unique, np.bincount(inverse, weights=weights).astype(np.int64))

    def _track_order(self, values: np.ndarray) -> None:
        if not (self._increasing or self._decreasing):
            return
        first = self._last if self._last is not None else None
        chained = values if first is None else np.concatenate([[first], values])
        if chained.shape[0] > 1:
            steps = np.diff(chained)
            self._increasing = self._increasing and bool(np.all(steps > 0))
            self._decreasing = self._decreasing and bool(np.all(steps < 0))
        self._last = float(values[-1])

    def _reservoir(self, values: np.ndarray) -> None:
        """Uniform sample of everything seen (Vitter's algorithm R, vectorised per batch)."""
        free = RESERVOIR - min(self._sample_n, RESERVOIR)
        take = min(free, values.shape[0])
        if take:
            self._sample[self._sample_n : self._sample_n + take] = values[:take]
        rest = values[take:]
        seen = self._sample_n + take
        if rest.shape[0]:
            index = seen + np.arange(1, rest.shape[0] + 1)
            accept = self._rng.random(rest.shape[0]) < RESERVOIR / index
            slots = self._rng.integers(0, RESERVOIR, int(accept.sum()))
            self._sample[slots] = rest[accept]
        self._sample_n = seen + rest.shape[0]

    def add_text(self, labels: list[str | None], counts: list[int], total: int) -> None:
        self.n_total += total
        for label, count in zip(labels, counts, strict=True):
            text = label.strip() if label is not None else ""
            if not text:
                self.n_missing += count
                continue
            self._text_many += count
            if self._text is not None:
                self._text[text] = self._text.get(text, 0) + count
                if len(self._text) > LEVEL_CAP:
                    self._text = None

    def finish(self, decimal: str = ".") -> None:
        """Settle the representation the profiler reads."""
        if self.kind == "text" and self._text:
            self._text_as_numbers(decimal)
        if self.kind == "text":
            merged = self._text or {}
            lowered: dict[str, int] = {}
            for label, count in merged.items():
                lowered[label.lower()] = lowered.get(label.lower(), 0) + count
            if len(lowered) <= 2 and set(lowered) <= BOOLEAN_WORDS:
                merged = lowered
            if self._text is None:
                self.text_n = self._text_many
                self._cache["distinct"] = LEVEL_CAP + 1
            else:
                self.text_levels = sorted(merged)
                self.text_counts = np.array([merged[k] for k in self.text_levels], np.int64)
            return
        self.monotonic = self._n > 1 and (self._increasing or self._decreasing)
        self._merge_levels()
        if self._levels is not None:
            self._weighted = _Weighted(self._levels[0], self._levels[1])
        else:
            kept = min(self._sample_n, RESERVOIR)
            sample = np.sort(self._sample[:kept])
            self._weighted = _Weighted(sample, np.ones(kept, dtype=np.int64), self._n / kept)
            self.approximate = True
        self._sample = np.empty(0)

    def _text_as_numbers(self, decimal: str) -> None:
        """A text column that is numbers with stray tokens ("?", "None") or thousands
        separators becomes numeric, from its exact label counts (file order is lost, so it
        is not taken for a monotonic sequence)."""
        import pyarrow as pa
        import pyarrow.compute as pc

        from advisor.column import label_numbers, normalise_numbers

        labels = pa.array(list(self._text or {}), type=pa.string())
        counts = np.array(list((self._text or {}).values()), dtype=np.int64)
        reading = label_numbers(labels, counts, decimal)
        if reading is None:
            return
        grouped, self.strays = reading
        strings, is_number = normalise_numbers(labels, grouped, decimal)
        keep = np.asarray(pc.fill_null(is_number, False).to_pylist(), dtype=bool)
        values = np.asarray(pc.cast(pc.filter(strings, is_number), pa.float64()).to_pylist(),
                            dtype=float)
        weights = counts[keep]
        self.kind = "numeric"
        self.n_missing += int(counts[~keep].sum())
        self._text = {}
        finite = np.isfinite(values)
        self.n_infinite += int(weights[~finite].sum())
        values, weights = values[finite], weights[finite]
        if values.shape[0] == 0:
            return
        unique, inverse = np.unique(values, return_inverse=True)
        tally = np.bincount(inverse, weights=weights).astype(np.int64)
        n = int(tally.sum())
        mean = float((unique * tally).sum() / n)
        d = unique - mean
        self._n, self._min, self._max = n, float(unique[0]), float(unique[-1])
        self._sum = float((unique * tally).sum())
        self._moments = (n, mean, float((tally * d**2).sum()), float((tally * d**3).sum()),
                         float((tally * d**4).sum()))
        self._integral = bool(np.array_equal(np.floor(unique), unique))
        self._zeros = int(tally[unique == 0].sum())
        self._negatives = int(tally[unique < 0].sum())
        self._levels, self._pending = (unique, tally), []
        self._increasing = self._decreasing = False

    # -- the profiler's view -----------------------------------------------------------------
    @property
    def n(self) -> int:
        if self.kind == "text":
            return super().n
        return self._n

    def ordered(self) -> np.ndarray:  # pragma: no cover - a streamed column keeps no rows
        raise RuntimeError("a streamed column keeps no rows")

    def n_distinct(self) -> int:
        if self.kind == "text":
            return super().n_distinct()
        if self._levels is None:
            return LEVEL_CAP + 1  # at least; exact counts stopped there
        return int(self._levels[0].shape[0])

    def levels(self) -> tuple[list, np.ndarray]:
        if self.kind == "text":
            return super().levels()
        assert self._levels is not None, "levels of a continuous streamed column"
        return self._levels[0].tolist(), self._levels[1]

    def integral(self) -> bool:
        return self.kind != "text" and self._integral

    def all_distinct(self) -> bool:
        if self.kind != "text" and self._levels is None:
            return self.monotonic  # a strictly monotonic sequence never repeats a value
        return super().all_distinct()

    def moments(self) -> tuple[float, float, float, float]:
        n, mean, m2, m3, m4 = self._moments
        if n == 0 or m2 <= 0:
            return mean, 0.0, 0.0, 0.0
        variance = m2 / n
        return mean, variance, (m3 / n) / variance**1.5, (m4 / n) / variance**2 - 3.0

    def minimum(self) -> float:
        return float(self._min)

    def maximum(self) -> float:
        return float(self._max)

    def zero_one(self) -> bool:
        return self.kind != "text" and self._n > 0 and self._min in (0.0, 1.0) and (
            self._max in (0.0, 1.0)) and self._integral

    def total(self) -> float:
        return self._sum

    def count_between(self, low: float, high: float) -> int:
        if low == 0 and high == 0:
            return self._zeros
        return self._weighted.count_between(low, high)

    def count_below(self, value: float) -> int:
        if value == 0:
            return self._negatives
        return self._weighted.count_below(value)

    def count_above(self, value: float) -> int:
        return self._weighted.count_above(value)

    def quantile(self, q: float) -> float:
        return self._weighted.quantile(q)

    def mad(self, median: float) -> float:
        return self._weighted.mad(median)

    def histogram(self, edges: np.ndarray) -> np.ndarray:
        return self._weighted.histogram(edges)


def _batch_moments(values: np.ndarray) -> tuple[int, float, float, float, float]:
    n = values.shape[0]
    mean = float(values.mean())
    d = values - mean
    d2 = d * d
    return n, mean, float(d2.sum()), float((d2 * d).sum()), float((d2 * d2).sum())


def _merge(a: tuple, b: tuple) -> tuple:
    """Combine central moment sums of two parts (Pébay 2008), exact up to rounding."""
    na, ma, m2a, m3a, m4a = a
    nb, mb, m2b, m3b, m4b = b
    if na == 0:
        return b
    n = na + nb
    delta = mb - ma
    d_n = delta / n
    mean = ma + nb * d_n
    m2 = m2a + m2b + delta * d_n * na * nb
    m3 = (m3a + m3b + delta * d_n * d_n * na * nb * (na - nb)
          + 3 * d_n * (na * m2b - nb * m2a))
    m4 = (m4a + m4b + delta * d_n**3 * na * nb * (na * na - na * nb + nb * nb)
          + 6 * d_n * d_n * (na * na * m2b + nb * nb * m2a) + 4 * d_n * (na * m3b - nb * m3a))
    return n, mean, m2, m3, m4


def stream_target(source: TableSource, names: list[str],
                  on_batch: Callable[[], None] | None = None) -> tuple[int, list[TargetColumn]]:
    """One pass over the file; returns the row count and the folded target columns."""
    while True:
        try:
            return _one_pass(source, names, on_batch)
        except TypeWidened:
            continue  # a later value needed a wider type: start again with it


def _one_pass(source: TableSource, names: list[str],
              on_batch: Callable[[], None] | None) -> tuple[int, list]:
    import pyarrow as pa
    import pyarrow.compute as pc

    columns: dict[str, StreamedColumn] = {}
    rows = 0
    one_hot: bool | None = True if len(names) > 1 else None
    for batch in source.batches(names):
        rows += batch.num_rows
        row_sum = None
        for index, name in enumerate(names):
            array = batch.column(index)
            kind = _kind(array.type, name, source.path)
            column = columns.setdefault(name, StreamedColumn(name, kind, seed=index))
            if kind == "text":
                counted = pc.value_counts(array)
                column.add_text(counted.field("values").to_pylist(),
                                counted.field("counts").to_pylist(), len(array))
                if one_hot is not None:
                    one_hot = False  # text labels are never one-hot indicator columns
                continue
            if pa.types.is_null(array.type):  # nothing but missing values so far
                column.add_numbers(np.empty(0), len(array), len(array))
                continue
            chunked = pa.chunked_array([array])
            values = numeric.float64_from_arrow(chunked)
            if one_hot and array.null_count == 0:
                row_sum = values.copy() if row_sum is None else row_sum + values
            elif one_hot:
                one_hot = False
            column.add_numbers(values, array.null_count, len(array))
        if one_hot and row_sum is not None:
            one_hot = bool(np.all(row_sum == 1))
        if on_batch is not None:
            on_batch()
    result = [columns.get(name) or StreamedColumn(name, "numeric", 0) for name in names]
    for column in result:
        column.row_one_hot = one_hot
        column.finish(source.decimal)
    return rows, result


def _kind(kind: Any, name: str, where: str) -> str:
    import pyarrow as pa

    from advisor.errors import InputError

    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return "text"
    if pa.types.is_boolean(kind):
        return "boolean"
    if pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_null(kind):
        return "numeric"
    raise InputError(f"column '{name}' has type {kind}, which lossadvisor cannot profile",
                     where, "name a numeric, boolean or text column with --target")
