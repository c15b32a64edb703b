"""The data half of the pipeline: read a table, pick the target, infer the task, profile it.

Kept apart from the CLI so tests, ``lint`` and other callers get the same profile the user sees.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import BinaryIO

from advisor.column import TargetColumn, to_target_column
from advisor.context import (
    ContextRequest,
    apply_context,
    check_request,
    hint_candidates,
    hints,
    profile_context,
)
from advisor.errors import InputError
from advisor.io import Dataset, TableSource, open_table
from advisor.profile import Profile, Trait, profile_target
from advisor.target import choose_target
from advisor.task import TaskDecision, check_task, infer_task
from advisor.thresholds import Thresholds


@dataclass
class Analysis:
    profile: Profile
    notes: list[str] = field(default_factory=list)
    columns: list[Profile] = field(default_factory=list)
    """One profile per target column when several numeric columns are targets (multi-output):
    each column gets its own statistics, traits and advice; ``profile`` then holds only what
    they share (rows, the column count)."""


MEMORY_SHARE = 0.5
"""Stream when the in-memory read would need more than this share of available memory."""
BYTES_PER_VALUE = 32
"""Peak bytes per row and target column of the in-memory path (measured: Arrow column, its
float64 copy, parser buffers); used to decide when to stream."""


def available_memory() -> int:
    """MemAvailable from /proc/meminfo (Linux), else a conservative 4 GiB."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 4 << 30


def should_stream(source: TableSource, targets: int) -> bool:
    if source._buffer is not None:
        return False  # stdin is already in memory
    need = source.estimated_rows() * targets * BYTES_PER_VALUE
    return need > MEMORY_SHARE * available_memory()


def analyze(
    path: str,
    target: str | None,
    thresholds: Thresholds,
    task: str | None = None,
    stdin: BinaryIO | None = None,
    stream: bool | None = None,
    progress: Callable[[TableSource | None], Callable[[int], None] | None] | None = None,
    context: ContextRequest | None = None,
    notice_context: bool = False,
) -> Analysis:
    """Profile the target of the table at ``path`` (``-`` for stdin).

    ``stream`` None decides from the file's estimated size and the available memory;
    ``progress`` may attach a byte counter to the opened source (the CLI's progress bar;
    called with None for stdin, whose bytes are counted as they arrive);
    ``context`` names a group, exposure or event-indicator column read beside the target;
    ``notice_context`` adds a note for a column that looks like one when none was named.
    """
    on_stdin = progress(None) if progress is not None and path == "-" else None
    source = open_table(path, stdin=stdin, progress=on_stdin)
    if progress is not None:
        source.progress = progress(source)
    choice = choose_target(source.columns, target, source.path)
    wanted = check_request(context or ContextRequest(), source.columns, choice.columns, task,
                           source.path)
    if wanted and stream:
        raise InputError("--stream cannot be combined with --group, --exposure or --censor",
                         None, "drop --stream: context columns are profiled in memory")
    if stream is None:
        stream = wanted is None and should_stream(source, len(choice.columns))
    result = None
    hint_notes: list[str] = []
    if stream:
        from advisor.stream import stream_target

        rows, columns = stream_target(source, choice.columns)
        dataset = Dataset(path=source.path, format=source.format, rows=rows,
                          columns=source.columns, data={}, delimiter=source.delimiter,
                          encoding=source.encoding, decimal=source.decimal,
                          compression=source.compression, notes=source.notes)
    else:
        candidates = {} if wanted or not notice_context else hint_candidates(
            source.columns, choice.columns)
        extra = [wanted[1]] if wanted else list(candidates)
        dataset = source.read(choice.columns + extra)
        if wanted:
            result = profile_context(*wanted, choice.columns[0], dataset.data, thresholds,
                                     source.path)
        hint_notes = hints(candidates, dataset.data)
        for name in extra:
            dataset.data.pop(name)
        columns = []
        for name in choice.columns:
            # The Arrow column is released as soon as its numpy copy exists: peak memory
            # holds one full-size copy of the target, not two.
            columns.append(to_target_column(name, dataset.data.pop(name), source.path,
                                            source.decimal))
    if result is not None and result.task == "survival":
        decision = check_task("regression", columns, thresholds, source.path)
    elif task and (result is None or result.task is None):
        decision = check_task(task, columns, thresholds, source.path)
    else:
        decision = infer_task(columns, thresholds, source.path)
    per_column: list[Profile] = []
    if len(columns) > 1 and decision.task in ("regression", "count") and result is None:
        per_column = [_column_profile(c, task, thresholds, dataset.rows, source.path)
                      for c in columns]
        profile = _outputs_profile(per_column, decision, dataset.rows)
    else:
        profile = profile_target(columns, decision, thresholds, dataset.rows)
    if result is not None:
        apply_context(profile, result)
    profile.target_reason = choice.reason
    for single in per_column:
        single.target_reason = choice.reason
    profile.dataset = {
        "path": dataset.path,
        "rows": dataset.rows,
        "columns": len(dataset.columns),
        "format": dataset.format,
    }
    if dataset.compression:
        profile.dataset["compression"] = dataset.compression
    if stream:
        profile.dataset["streamed"] = True
    if dataset.format == "csv":
        profile.dataset.update(
            delimiter=dataset.delimiter, encoding=dataset.encoding, decimal=dataset.decimal
        )
    for single in per_column:
        single.dataset = profile.dataset
    notes = list(dataset.notes) + hint_notes
    notes.extend(_stray_note(column, source) for column in columns if column.strays and column.n)
    if "constant_label" in decision.traits:
        notes.append(f"constant target column: {decision.traits['constant_label']}")
    if choice.guessed:
        notes.append(f"target: {', '.join(choice.columns)} ({choice.reason}); "
                     "pass --target to choose another")
    return Analysis(profile, notes, per_column)


def _column_profile(column: TargetColumn, task: str | None, thresholds: Thresholds, rows: int,
                    where: str) -> Profile:
    """One output of several, profiled as if it were the only target: its own task (several
    count columns are counts), statistics and traits."""
    if task:
        decision = check_task(task, [column], thresholds, where)
    else:
        decision = infer_task([column], thresholds, where)
    return profile_target([column], decision, thresholds, rows)


def _outputs_profile(columns: list[Profile], decision: TaskDecision, rows: int) -> Profile:
    """What several separately profiled outputs share: the task when they agree, the rows."""
    tasks = sorted({c.task for c in columns})
    names = [name for c in columns for name in c.target]
    if len(tasks) == 1:
        task, reason = tasks[0], (f"{len(columns)} {tasks[0]} columns, profiled one by one "
                                  "(each column's section gives its own reason)")
    else:
        task, reason = decision.task, (f"{len(columns)} columns ({', '.join(tasks)}), "
                                       "profiled one by one")
    return Profile(
        task=task, task_reason=reason, target=names,
        traits=[Trait("multi_output", f"{len(columns)} target columns, each profiled and "
                      "advised on its own")],
        stats={"rows": rows, "n_outputs": len(columns)},
    )


def _stray_note(column: TargetColumn, source: TableSource) -> str:
    """Name the tokens read as missing in a numeric column, and where the first one is."""
    shown = ", ".join(f"'{token}' ({count:,})" for token, count in list(column.strays.items())[:5])
    more = ", ..." if len(column.strays) > 5 else ""
    if column.first_stray_row is not None:
        position: str | None = source.row_position(column.first_stray_row)
    else:  # streamed: the pass counted the tokens but kept no rows
        position = source.first_line_holding(column.name, set(column.strays))
    where = f"; the first on {position}" if position else ""
    return (f"column '{column.name}': values that are not numbers read as missing: "
            f"{shown}{more}{where}")
