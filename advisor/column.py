"""Turn a parsed column into the clean values the task inference and profiler need.

Missing and infinite values are counted here and dropped, never fatal; numeric text ("3.5") becomes
numbers, because how a CSV happened to quote a number says nothing about the task.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from advisor.errors import InputError

if TYPE_CHECKING:
    import pyarrow as pa


BOOLEAN_WORDS = {"true", "false", "yes", "no", "y", "n", "t", "f"}
"""Text that spells a boolean; case differences in these are not different classes."""


@dataclass
class TargetColumn:
    """One target column: its clean values in file order and what was dropped."""

    name: str
    kind: str
    """'numeric', 'boolean' or 'text'."""
    values: np.ndarray
    """Finite float64 values (numeric, boolean as 0/1) or str objects (text), file order."""
    n_total: int
    n_missing: int
    n_infinite: int = 0

    @property
    def n(self) -> int:
        return int(self.values.shape[0])


def to_target_column(name: str, column: pa.ChunkedArray, where: str) -> TargetColumn:
    """Convert an Arrow column; raises :class:`InputError` for types no target can have."""
    import pyarrow as pa
    import pyarrow.compute as pc

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
        present = column.drop_null()
        values = np.asarray(present.cast(pa.float64()).to_numpy(), dtype=np.float64)
        return TargetColumn(name, "boolean", values, total, total - len(present))
    if pa.types.is_string(kind_type) or pa.types.is_large_string(kind_type):
        trimmed = pc.utf8_trim_whitespace(column)
        trimmed = pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, trimmed.type), trimmed)
        present = trimmed.drop_null()
        try:
            numbers = pc.cast(present, pa.float64())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            lowered = pc.utf8_lower(present)
            distinct = set(pc.unique(lowered).to_pylist())
            if len(distinct) <= 2 and distinct <= BOOLEAN_WORDS:
                present = lowered  # "Yes"/"yes" or "True"/"true" are one label
            values = np.asarray(present.to_numpy(zero_copy_only=False), dtype=object)
            return TargetColumn(name, "text", values, total, total - len(present))
        return _numeric(name, numbers, total, total - len(present))
    if pa.types.is_integer(kind_type) or pa.types.is_floating(kind_type) or pa.types.is_decimal(
        kind_type
    ):
        present = column.drop_null()
        return _numeric(name, present.cast(pa.float64()), total, total - len(present))
    raise InputError(
        f"column '{name}' has type {kind_type}, which lossadvisor cannot profile",
        where,
        "name a numeric, boolean or text column with --target",
    )


def _numeric(name: str, present: pa.ChunkedArray, total: int, missing: int) -> TargetColumn:
    values = np.asarray(present.to_numpy(), dtype=np.float64)
    finite = np.isfinite(values)
    n_nan = int(np.isnan(values).sum())  # "NaN" in data that pyarrow did not treat as null
    n_inf = int((~finite).sum()) - n_nan
    if not finite.all():
        values = values[finite]
    return TargetColumn(name, "numeric", values, total, missing + n_nan, n_inf)
