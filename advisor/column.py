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

MISSING_WORDS = frozenset({
    "na", "n/a", "n.a.", "nan", "-nan", "null", "none", "nil", "missing", "#n/a", "#na", "<na>",
    "?", "-", "--", ".",
})
"""Spellings of "no value" (compared case-insensitively) that may sit among numbers: pandas'
default missing-value strings plus the placeholders hand-made files use. Among numbers they are
missing values; a column made only of them has no values."""

NA_SPELLINGS = frozenset({
    "#n/a", "#n/a n/a", "#na", "-1.#ind", "-1.#qnan", "-nan", "1.#ind", "1.#qnan", "n/a", "na",
    "nan", "null",
})
"""pyarrow's own missing-value strings, lower-cased: missing in a text target in any case
("Null", "NAN"), where pyarrow recognises only some spellings. Other MISSING_WORDS ("none", "?")
can be real class labels and stay labels there."""

STRAY_MAX_SHARE = 0.01
"""A numeric column may hold at most this share of labelled rows that are neither numbers nor
missing words; they are read as missing and named. More makes it a text column."""
STRAY_MAX_DISTINCT = 10
"""...and at most this many distinct such tokens."""

_PLAIN = {
    ".": r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$",
    ",": r"^[-+]?(\d+,?\d*|,\d+)([eE][-+]?\d+)?$",
}
_GROUPED = {".": r"^[-+]?\d{1,3}(,\d{3})+(\.\d*)?$", ",": r"^[-+]?\d{1,3}(\.\d{3})+(,\d*)?$"}
_INFINITY = r"^[-+]?(?i:inf|infinity)$"


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
    strays: dict[str, int] = field(default_factory=dict)
    """Tokens that are not numbers in a column read as numbers, with their counts (missing)."""
    first_stray_row: int | None = None
    """Data row (0-based) of the first stray token, for the note that names it."""
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


def to_target_column(name: str, column: pa.ChunkedArray, where: str,
                     decimal: str = ".") -> TargetColumn:
    """Convert an Arrow column; raises :class:`InputError` for types no target can have.

    ``decimal`` is the file's decimal mark, which tells a thousands separator in numeric text
    ("1,234" or "1.398,07") from a decimal one.
    """
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
        return _text(name, column, total, decimal)
    if pa.types.is_integer(kind_type) or pa.types.is_floating(kind_type) or pa.types.is_decimal(
        kind_type
    ):
        return _numeric(name, column, total, "numeric")
    raise InputError(
        f"column '{name}' has type {kind_type}, which lossadvisor cannot profile",
        where,
        "name a numeric, boolean or text column with --target",
    )


def _text(name: str, column: pa.ChunkedArray, total: int, decimal: str = ".") -> TargetColumn:
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
    if len(labels):
        # "nan" would cast to a number; as a missing word it is counted and named instead.
        is_number = not _mask(pc.is_in(pc.utf8_lower(labels),
                                       value_set=pa.array(sorted(MISSING_WORDS)))).any()
        try:
            if is_number:
                pc.cast(labels, pa.float64())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            is_number = False
        if is_number:
            # Every label is a number: read the column itself as numbers.
            values = pc.utf8_trim_whitespace(column)
            numbers = pc.cast(pc.filter(values, _non_blank(values)), pa.float64())
            return _numeric(name, numbers, total, "numeric", missing=total - len(numbers))
        numbers = _numbers_with_strays(name, column, labels, kept, total, decimal)
        if numbers is not None:
            return numbers
        # Spellings of "missing" that pyarrow only knows in one case ("Null", "NAN").
        keep = ~_mask(pc.is_in(pc.utf8_lower(labels), value_set=pa.array(sorted(NA_SPELLINGS))))
        labels, kept = pc.filter(labels, pa.array(keep)), kept[keep]
    present = int(kept.sum())
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


def _numbers_with_strays(name: str, column: pa.ChunkedArray, labels: pa.Array,
                         counts: np.ndarray, total: int, decimal: str) -> TargetColumn | None:
    """Read a text column as numbers when numbers dominate it (see :func:`label_numbers`)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    reading = label_numbers(labels, counts, decimal)
    if reading is None:
        return None
    grouped, strays = reading
    if len(strays) == len(labels):  # nothing but missing words
        result = TargetColumn(name, "numeric", np.empty(0), total, total)
    else:
        values, is_number = normalise_numbers(pc.utf8_trim_whitespace(column), grouped, decimal)
        numbers = pc.cast(pc.filter(values, is_number), pa.float64())
        result = _numeric(name, numbers, total, "numeric", missing=total - len(numbers))
    result.strays = strays
    trimmed = pc.utf8_trim_whitespace(column)
    rows = [pc.index(trimmed, token).as_py() for token in strays]
    result.first_stray_row = min((row for row in rows if row >= 0), default=None)
    return result


def label_numbers(labels: pa.Array, counts: np.ndarray,
                  decimal: str) -> tuple[bool, dict[str, int]] | None:
    """Decide whether distinct trimmed labels (with their counts) are numbers with strays.

    Returns None for text, else whether thousands separators are read, and the labels that
    are not numbers (read as missing) with their counts. Words that spell "missing"
    (MISSING_WORDS) are missing values in any amount; other non-numbers are stray tokens only
    while they are rare (STRAY_MAX_SHARE of the labelled rows, STRAY_MAX_DISTINCT spellings).
    Thousands separators ("1,234" where the decimal mark is '.', "1.398,07" where it is ',') are
    read only when no value in the column uses the separator any other way: a "3,14" next to
    "1,234" leaves the convention unclear. A column made only of missing words has no values.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    separator = "," if decimal == "." else "."
    missing = _mask(pc.is_in(pc.utf8_lower(labels), value_set=pa.array(sorted(MISSING_WORDS))))
    plain = _mask(pc.match_substring_regex(labels, _PLAIN[decimal])) | _mask(
        pc.match_substring_regex(labels, _INFINITY))
    grouped = _mask(pc.match_substring_regex(labels, _GROUPED[decimal])) & ~plain
    uses_separator = _mask(pc.match_substring(labels, separator)) & ~missing
    if (uses_separator & ~grouped).any():
        grouped[:] = False  # the separator means something else here: convention unclear
    number = plain | grouped
    other = ~number & ~missing
    n_number, n_other = int(counts[number].sum()), int(counts[other].sum())
    if n_other and (n_number == 0 or n_other > STRAY_MAX_SHARE * int(counts.sum())
                    or int(other.sum()) > STRAY_MAX_DISTINCT):
        return None
    stray = np.flatnonzero(~number)
    names = labels.take(pa.array(stray, type=pa.int64())).to_pylist()
    return bool(grouped.any()), dict(zip(names, counts[stray].tolist(), strict=True))


def normalise_numbers(strings, grouped: bool, decimal: str):
    """Numeric text in the file's convention -> text pyarrow casts, and where it is a number."""
    import pyarrow.compute as pc

    if grouped:
        strings = pc.replace_substring(strings, "," if decimal == "." else ".", "")
    if decimal == ",":
        strings = pc.replace_substring(strings, ",", ".")
    is_number = pc.or_(pc.match_substring_regex(strings, _PLAIN["."]),
                       pc.match_substring_regex(strings, _INFINITY))
    return strings, is_number


def _mask(flags) -> np.ndarray:
    """A boolean Arrow array (nulls as False) as a numpy bool array, without pandas."""
    import pyarrow as pa
    import pyarrow.compute as pc

    as_bytes = pc.cast(pc.fill_null(flags, False), pa.uint8())
    if isinstance(as_bytes, pa.ChunkedArray):
        as_bytes = as_bytes.combine_chunks()
    data = np.frombuffer(as_bytes.buffers()[1], dtype=np.uint8,
                         count=as_bytes.offset + len(as_bytes))[as_bytes.offset:]
    return data.astype(bool)


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
