"""Read a table's target columns as batches and fold them into one summary.

In memory, the whole column is one batch and the summary keeps its values (exact order
statistics); streamed, the file is read in bounded-memory batches and folded batch by batch.
Both are the same fold (:mod:`advisor.summary`); this module only decides how the rows arrive.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from advisor.io import TableSource, TypeWidened
from advisor.summary import TableSummary

if TYPE_CHECKING:
    import pyarrow as pa


def summarise(source: TableSource, names: list[str], stream: bool,
              on_batch: Callable[[], None] | None = None) -> TableSummary:
    """The summary of the target columns ``names`` of one table."""
    if not stream:
        return summarise_with(source, names, [])[0]
    while True:
        try:
            return _one_pass(source, names, on_batch)
        except TypeWidened:
            continue  # a later value needed a wider type: start again with it


def summarise_with(source: TableSource, names: list[str], extra: list[str]
                   ) -> tuple[TableSummary, dict[str, pa.ChunkedArray]]:
    """In memory, with ``extra`` columns (context columns) read beside the target and returned
    as Arrow columns, with the target's (row-aligned with them); without extra columns each
    target column is released once its numbers are copied."""
    extra = [name for name in extra if name not in names]
    dataset = source.read(names + extra)
    table = TableSummary(names, keep_values=True, decimal=source.decimal)
    beside = {name: dataset.data[name] for name in (names + extra if extra else [])}
    for name in extra:
        dataset.data.pop(name)
    table.fold(dataset.data, dataset.rows, source.path)
    table.notes.extend(source.notes)
    return table, beside


def _one_pass(source: TableSource, names: list[str],
              on_batch: Callable[[], None] | None) -> TableSummary:
    table = TableSummary(names, decimal=source.decimal)
    for batch in source.batches(names):
        # Columns by position: CSV batches name them by their place in the file.
        table.fold({name: batch.column(i) for i, name in enumerate(names)}, batch.num_rows,
                   source.path)
        if on_batch is not None:
            on_batch()
    return table
