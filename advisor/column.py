"""Turn a parsed column into the clean values the task inference and profiler need.

Missing and infinite values are counted here and dropped, never fatal; numeric text ("3.5") becomes
numbers, because how a CSV happened to quote a number says nothing about the task.

Numbers are read straight from the Arrow buffers into one float64 array (no pandas, no copies
per chunk beyond the one output array). The column then sorts that array in place, once, and
every order statistic, distinct count and class count is derived from the sorted array; the
only file-order facts (is the column a monotonic sequence?) are taken before the sort. Text is
never materialised as Python strings: its distinct labels and counts come from Arrow.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from advisor import numeric
from advisor.errors import InputError

if TYPE_CHECKING:
    import pyarrow as pa

BOOLEAN_WORDS = {"true", "false", "yes", "no", "y", "n", "t", "f"}
"""Text that spells a boolean; case differences in these are not different classes."""

MANY_TEXT_LEVELS = 100_000
"""Beyond this many distinct text labels only their number is kept (IDs, free text)."""

FEW_LEVELS = 4096
"""Class levels and counts are materialised only for columns with at most this many values."""


@dataclass
class TargetColumn:
    """One target column: clean values, what was dropped, and statistics computed once."""

    name: str
    kind: str
    """'numeric', 'boolean' or 'text'."""
    values: np.ndarray
    """Finite float64 values (numeric, boolean as 0/1); sorted in place after ``freeze``.
    Empty for text."""
    n_total: int
    n_missing: int
    n_infinite: int = 0
    text_levels: list[str] = field(default_factory=list)
    text_counts: np.ndarray | None = None
    text_n: int | None = None
    """Labelled rows of a text column whose labels were not materialised."""
    monotonic: bool = False
    """Strictly increasing or decreasing in file order (an ID-like sequence)."""
    _sorted: bool = False
    _cache: dict = field(default_factory=dict)

    @property
    def n(self) -> int:
        if self.kind == "text":
            if self.text_counts is None:
                return self.text_n or 0
            return int(self.text_counts.sum())
        return int(self.values.shape[0])

    # -- order-free statistics ---------------------------------------------------------------
    def ordered(self) -> np.ndarray:
        """The values sorted (in place, once). File order is gone after the first call."""
        if not self._sorted:
            self.values.sort(kind="quicksort")
            self._sorted = True
        return self.values

    def n_distinct(self) -> int:
        if self.kind == "text":
            return self._cache.get("distinct", len(self.text_levels))
        if "distinct" not in self._cache:
            self._cache["distinct"] = numeric.count_distinct_sorted(self.ordered())
        return self._cache["distinct"]

    def levels(self) -> tuple[list, np.ndarray]:
        """Distinct values (numbers or labels) and their counts, in sorted order."""
        if self.kind == "text":
            return list(self.text_levels), np.asarray(self.text_counts)
        if "levels" not in self._cache:
            values, counts = numeric.levels_counts_sorted(self.ordered())
            self._cache["levels"] = (values.tolist(), counts)
        return self._cache["levels"]

    def all_distinct(self) -> bool:
        """Every value occurs once (an identifier, unless they are continuous floats)."""
        return self.n_distinct() == self.n

    def integral(self) -> bool:
        if "integral" not in self._cache:
            if self.kind == "text":
                self._cache["integral"] = False
            elif self.n_distinct() <= FEW_LEVELS:
                levels = np.asarray(self.levels()[0])
                self._cache["integral"] = bool(np.array_equal(np.floor(levels), levels))
            else:
                self._cache["integral"] = numeric.all_integral(self.values)
        return self._cache["integral"]

    def moments(self) -> tuple[float, float, float, float]:
        """Mean, population variance, skewness, excess kurtosis (cached)."""
        if "moments" not in self._cache:
            ordered = self.ordered()
            self._cache["moments"] = numeric.moments(
                ordered, float(ordered[0]), float(ordered[-1])
            ) if ordered.shape[0] else (0.0, 0.0, 0.0, 0.0)
        return self._cache["moments"]

    def minimum(self) -> float:
        return float(self.ordered()[0])

    def maximum(self) -> float:
        return float(self.ordered()[-1])

    # -- the distribution, as the profiler reads it ------------------------------------------
    approximate: bool = False
    """True when order statistics come from a sample (streamed continuous targets)."""

    def total(self) -> float:
        """Sum of the values (positives of a 0/1 column)."""
        return float(self.values.sum())

    def count_between(self, low: float, high: float) -> int:
        """Values in [low, high]."""
        return numeric.count_between(self.ordered(), low, high)

    def count_below(self, value: float) -> int:
        """Values strictly below ``value``."""
        return int(np.searchsorted(self.ordered(), value, side="left"))

    def count_above(self, value: float) -> int:
        """Values strictly above ``value``."""
        return self.n - int(np.searchsorted(self.ordered(), value, side="right"))

    def quantile(self, q: float) -> float:
        return numeric.quantile(self.ordered(), q)

    def mad(self, median: float) -> float:
        return numeric.median_abs_deviation_sorted(self.ordered(), median)

    def histogram(self, edges: np.ndarray) -> np.ndarray:
        return numeric.histogram_sorted(self.ordered(), edges)

    def zero_one(self) -> bool:
        """Only the values 0 and 1 (or booleans)."""
        if self.kind == "text" or self.n == 0:
            return False
        if self._sorted:
            return self.minimum() in (0.0, 1.0) and self.maximum() in (0.0, 1.0)
        # Without sorting: callers may still need the file order (one-hot row sums).
        for start in range(0, self.values.shape[0], numeric.BLOCK):
            part = self.values[start : start + numeric.BLOCK]
            if not np.all((part == 0) | (part == 1)):
                return False
        return True


def to_target_column(name: str, column: pa.ChunkedArray, where: str) -> TargetColumn:
    """Convert an Arrow column; raises :class:`InputError` for types no target can have."""
    import pyarrow as pa

    kind_type = column.type
    total = len(column)
    if pa.types.is_null(kind_type):
        return TargetColumn(name, "numeric", np.empty(0), total, total)
    if pa.types.is_dictionary(kind_type):
        column = column.cast(kind_type.value_type)
        kind_type = column.type
    if pa.types.is_temporal(kind_type):
        raise InputError(
            f"column '{name}' holds dates or times ({kind_type}), which are not a target",
            where,
            "name another column with --target",
        )
    if pa.types.is_boolean(kind_type):
        return _numeric(name, column, total, "boolean")
    if pa.types.is_string(kind_type) or pa.types.is_large_string(kind_type):
        return _text(name, column, total)
    if pa.types.is_integer(kind_type) or pa.types.is_floating(kind_type) or pa.types.is_decimal(
        kind_type
    ):
        return _numeric(name, column, total, "numeric")
    raise InputError(
        f"column '{name}' has type {kind_type}, which lossadvisor cannot profile",
        where,
        "name a numeric, boolean or text column with --target",
    )


def _text(name: str, column: pa.ChunkedArray, total: int) -> TargetColumn:
    """Labels and counts via Arrow; numeric text becomes numbers, boolean words one case.

    Nothing here converts through pandas (some pyarrow ``to_numpy`` paths import it, which
    alone costs 0.2 s), and a column of millions of distinct strings is never turned into
    Python objects: beyond MANY_TEXT_LEVELS only the number of distinct labels is kept.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    counted = pc.value_counts(column)
    trimmed = pc.utf8_trim_whitespace(counted.field("values"))
    keep = _non_blank(trimmed)  # null and blank labels are missing values
    labels = pc.filter(trimmed, keep)
    counts_array = pc.filter(counted.field("counts"), keep)
    kept = _int64_values(counts_array)
    present = int(kept.sum())
    if len(labels):
        try:
            pc.cast(labels, pa.float64())
            is_number = True
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            is_number = False
        if is_number:
            # Every label is a number: read the column itself as numbers.
            values = pc.utf8_trim_whitespace(column)
            numbers = pc.cast(pc.filter(values, _non_blank(values)), pa.float64())
            return _numeric(name, numbers, total, "numeric", missing=total - len(numbers))
    if len(labels) > MANY_TEXT_LEVELS:
        result = TargetColumn(name, "text", np.empty(0), total, total - present)
        result.text_n = present
        result._cache["distinct"] = len(labels)
        return result
    merged: dict[str, int] = {}
    for label, count in zip(labels.to_pylist(), kept.tolist(), strict=True):
        merged[label] = merged.get(label, 0) + count  # " a" and "a" are one label
    lowered: dict[str, int] = {}
    for label, count in merged.items():
        lowered[label.lower()] = lowered.get(label.lower(), 0) + count
    if len(lowered) <= 2 and set(lowered) <= BOOLEAN_WORDS:
        merged = lowered  # "Yes"/"yes" or "True"/"true" are one label
    levels = sorted(merged)
    return TargetColumn(
        name, "text", np.empty(0), total, total - present,
        text_levels=levels,
        text_counts=np.array([merged[label] for label in levels], dtype=np.int64),
    )


def _non_blank(strings):
    """True where a string has characters, null where it is null.

    Built from array-to-array kernels only: comparing with a Python literal makes pyarrow
    convert it through pa.scalar, which imports pandas (0.2 s).
    """
    import pyarrow.compute as pc

    lengths = pc.utf8_length(strings)
    return pc.greater(lengths, pc.subtract(lengths, lengths))


def _int64_values(array) -> np.ndarray:
    """A null-free int64 Arrow array as numpy, without pandas."""
    import pyarrow as pa

    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    return np.frombuffer(array.buffers()[1], dtype=np.int64,
                         count=array.offset + len(array))[array.offset:]


def _numeric(name: str, column: pa.ChunkedArray, total: int, kind: str,
             missing: int | None = None) -> TargetColumn:
    import pyarrow as pa

    if isinstance(column, pa.Array):
        column = pa.chunked_array([column])
    values = numeric.float64_from_arrow(column)
    missing = column.null_count if missing is None else missing
    del column
    finite = np.isfinite(values)
    n_nan = n_inf = 0
    if not finite.all():
        n_nan = int(np.isnan(values).sum())  # "NaN" text pyarrow did not treat as null
        n_inf = int(values.shape[0] - finite.sum()) - n_nan
        values = values[finite]
    del finite
    result = TargetColumn(name, kind, values, total, missing + n_nan, n_inf)
    result.monotonic = numeric.strictly_monotonic(values)
    return result


def rows_one_hot(columns: list[TargetColumn]) -> bool:
    """Every row has exactly one 1 across the columns (one-hot classes, not multilabel).

    Needs the file order, so it runs before anything sorts the columns; streamed columns
    carry the answer from their single pass.
    """
    flags = {getattr(c, "row_one_hot", None) for c in columns}
    if flags != {None}:
        return flags == {True}
    if not all(c.kind != "text" and c.n_missing == 0 and c.n_infinite == 0 for c in columns):
        return False
    if len({c.n for c in columns}) != 1 or any(c._sorted for c in columns):
        return False
    total = np.zeros(columns[0].n)
    for c in columns:
        total += c.values
    return bool(np.all(total == 1))
