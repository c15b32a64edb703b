"""The one Arrow-type dispatch and the one label normaliser, used by every read path.

Missing and infinite values are counted and dropped, never fatal; numeric text ("3.5") becomes
numbers, because how a CSV happened to quote a number says nothing about the task. Text is never
materialised as Python strings row by row: labels and their counts come from Arrow, so a batch
costs one ``value_counts``, and only the distinct labels become Python strings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from advisor.errors import InputError

if TYPE_CHECKING:
    import pyarrow as pa

BOOLEAN_WORDS = {"true", "false", "yes", "no", "y", "n", "t", "f"}
"""Text that spells a boolean; case differences in these are not different classes."""

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


def decode(array: pa.ChunkedArray) -> pa.ChunkedArray:
    """Dictionary-encoded (Parquet categorical) columns read as their values."""
    import pyarrow as pa

    if pa.types.is_dictionary(array.type):
        return array.cast(array.type.value_type)
    return array


def arrow_kind(kind: pa.DataType, name: str, where: str) -> str:
    """'null', 'boolean', 'text' or 'numeric'; raises :class:`InputError` for types no target
    can have."""
    import pyarrow as pa

    if pa.types.is_null(kind):
        return "null"
    if pa.types.is_temporal(kind):
        raise InputError(
            f"column '{name}' holds dates or times ({kind}), which are not a target",
            where,
            "name another column with --target",
        )
    if pa.types.is_boolean(kind):
        return "boolean"
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return "text"
    if pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_decimal(kind):
        return "numeric"
    raise InputError(
        f"column '{name}' has type {kind}, which lossadvisor cannot profile",
        where,
        "name a numeric, boolean or text column with --target",
    )


def label_counts(column: pa.ChunkedArray) -> tuple[pa.Array, np.ndarray, int]:
    """Distinct normalised labels (an Arrow array), their counts, and the number of missing
    rows (null or blank).

    Labels are trimmed, so " a" and "a" are one label. Everything stays in Arrow: a column of
    millions of distinct strings is never turned into Python objects here.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    counted = pc.value_counts(column)
    trimmed = pc.utf8_trim_whitespace(counted.field("values"))
    keep = non_blank(trimmed)
    labels = pc.filter(trimmed, keep)
    counts = pc.filter(counted.field("counts"), keep)
    missing = int(int_values(counted.field("counts")).sum() - int_values(counts).sum())
    if len(pc.unique(labels)) < len(labels):  # trimming made two labels one
        grouped = pa.table({"label": labels, "count": counts}).group_by("label").aggregate(
            [("count", "sum")])
        labels, counts = grouped.column("label").combine_chunks(), grouped.column("count_sum")
    return labels, int_values(counts), missing


def text_numbers(column: pa.ChunkedArray, grouped: bool, decimal: str) -> pa.ChunkedArray:
    """The cells of a text column that are numbers in the file's convention (see
    :func:`label_numbers`), as float64, in row order."""
    import pyarrow as pa
    import pyarrow.compute as pc

    values, is_number = normalise_numbers(pc.utf8_trim_whitespace(column), grouped, decimal)
    return pc.cast(pc.filter(values, is_number), pa.float64())


def na_spelled(labels: pa.Array) -> np.ndarray:
    """Which labels spell a missing value pyarrow knows (NA_SPELLINGS), in any case."""
    import pyarrow as pa
    import pyarrow.compute as pc

    return _mask(pc.is_in(pc.utf8_lower(labels), value_set=pa.array(sorted(NA_SPELLINGS))))


def first_row_of(column: pa.ChunkedArray, tokens: list[str]) -> int | None:
    """The first row (0-based) whose trimmed cell is one of ``tokens``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not tokens:
        return None
    # One pass whatever the number of spellings (a file may hold hundreds of case variants).
    is_token = pc.is_in(pc.utf8_trim_whitespace(column), value_set=pa.array(tokens, pa.string()))
    row = pc.index(pc.fill_null(is_token, False), True).as_py()
    return row if row >= 0 else None


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


def fold_boolean_case(labels: dict[str, int]) -> dict[str, int]:
    """"Yes"/"yes" or "True"/"true" are one label when the labels spell a boolean."""
    lowered: dict[str, int] = {}
    for label, count in labels.items():
        lowered[label.lower()] = lowered.get(label.lower(), 0) + count
    if len(lowered) <= 2 and set(lowered) <= BOOLEAN_WORDS:
        return lowered
    return dict(labels)


def non_blank(strings):
    """True where a string has characters, null where it is null.

    Built from array-to-array kernels only: comparing with a Python literal makes pyarrow
    convert it through pa.scalar, which imports pandas (0.2 s).
    """
    import pyarrow.compute as pc

    lengths = pc.utf8_length(strings)
    return pc.greater(lengths, pc.subtract(lengths, lengths))


def int_values(array) -> np.ndarray:
    """A null-free int64 Arrow array as numpy, without pandas."""
    import pyarrow as pa

    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    return np.frombuffer(array.buffers()[1], dtype=np.int64,
                         count=array.offset + len(array))[array.offset:]


def rows_one_hot(columns: list) -> bool:
    """Every row has exactly one 1 across the columns (one-hot classes, not multilabel); the
    fold establishes it row by row (:class:`advisor.summary.TableSummary`)."""
    return all(c.row_one_hot for c in columns)
