"""The data half of the pipeline: read a table, pick the target, infer the task, profile it.

Kept apart from the CLI so tests, ``lint`` and other callers get the same profile the user sees.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from advisor.context import (
    ContextRequest,
    ContextResult,
    apply_context,
    check_request,
    hint_candidates,
    hint_note,
    hints,
    profile_context,
)
from advisor.errors import InputError
from advisor.io import TableSource, open_table
from advisor.profile import Profile, Trait, profile_target
from advisor.sources import FileList, Layout, expand, fold_here, run_jobs
from advisor.stream import summarise_with
from advisor.summary import TableSummary, TargetSummary
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
    context_hints: dict[str, str] = field(default_factory=dict)
    """Columns that look like a context column no flag named (kind -> column, with
    ``notice_context``): ``lint`` reads them as facts."""
    hint_notes: list[str] = field(default_factory=list)
    """The notes naming the flag to pass for those columns; ``profile`` prints them."""


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


def should_stream(source: TableSource, targets: int, rows: int | None = None) -> bool:
    """Whether reading the target into memory would crowd the machine (``rows``: of the whole
    dataset, from Parquet footers or CSV sizes; default: this file's)."""
    if source._buffer is not None:
        return False  # stdin is already in memory
    rows = source.estimated_rows() if rows is None else rows
    return rows * targets * BYTES_PER_VALUE > MEMORY_SHARE * available_memory()


def profile_summary(table: TableSummary, thresholds: Thresholds, task: str | None = None,
                    where: str = "", context: ContextResult | None = None
                    ) -> tuple[Profile, list[Profile]]:
    """The profile of summarised target columns, and one profile per column when several
    numeric targets are profiled one by one. Task inference and statistics read only the
    summary, so it may come from files, processes, a cluster or aggregates made elsewhere.
    ``context`` is the profiled group, exposure or event column, when one was named."""
    columns = table.finish()
    if context is not None and context.task == "survival":
        decision = check_task("regression", columns, thresholds, where)
    elif task and (context is None or context.task is None):
        decision = check_task(task, columns, thresholds, where)
    else:
        decision = infer_task(columns, thresholds, where)
    per_column: list[Profile] = []
    if len(columns) > 1 and decision.task in ("regression", "count") and context is None:
        per_column = [_column_profile(c, task, thresholds, table.rows, where) for c in columns]
        profile = _outputs_profile(per_column, decision, table.rows)
    else:
        profile = profile_target(columns, decision, thresholds, table.rows)
    if context is not None:
        apply_context(profile, context)
    return profile, per_column


def analyze_column(labels: Any, name: str, thresholds: Thresholds, where: str, fmt: str,
                   groups: Any = None, group_name: str = "query") -> Analysis:
    """Profile a target column another reader produced (``lint`` reads LightGBM/XGBoost text
    files the way their CLIs do: advisor/lint/datafile.py), with its query groups beside it
    when there are any, through the same summary and rules as a table's column."""
    import numpy as np
    import pyarrow as pa

    column = pa.array(np.asarray(labels, dtype=np.float64), from_pandas=True)
    table = TableSummary([name], keep_values=True)
    table.fold({name: column}, len(column), where)
    result = None
    if groups is not None:
        result = profile_context("group", group_name, name,
                                 {name: column, group_name: pa.array(groups)}, thresholds, where)
    profile, _ = profile_summary(table, thresholds, None, where, result)
    profile.target_reason = f"the label column as the CLI reads {where}"
    profile.dataset = {"path": where, "rows": table.rows, "columns": 1, "format": fmt}
    notes = list(table.notes)
    constant = next((t.evidence for t in profile.traits if t.name == "constant_label"), None)
    if constant:
        notes.append(f"constant target column: {constant}")
    return Analysis(profile, notes)


def analyze(
    path: str | list[str],
    target: str | None,
    thresholds: Thresholds,
    task: str | None = None,
    stdin: BinaryIO | None = None,
    stream: bool | None = None,
    progress: Callable[[TableSource | None], Callable[[int], None] | None] | None = None,
    context: ContextRequest | None = None,
    notice_context: bool = False,
    jobs: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
) -> Analysis:
    """Profile the target of the table(s) at ``path``: a file, ``-`` for stdin, or several
    files, globs, directories and pyarrow.fs URIs read as one dataset.

    ``stream`` None decides from the dataset's row count and the available memory;
    ``progress`` may attach a byte counter to the opened source (the CLI's progress bar;
    called with None for stdin, whose bytes are counted as they arrive);
    ``context`` names a group, exposure or event-indicator column read beside the target;
    ``notice_context`` adds a note for a column that looks like one when none was named;
    ``jobs`` folds files in that many processes; ``engine`` 'dask' folds them on a cluster.
    """
    inputs = [path] if isinstance(path, str) else list(path)
    if "-" in inputs and len(inputs) > 1:
        raise InputError("stdin (-) cannot be read together with files", "-",
                         "give either - or file paths")
    files = FileList(["-"], 0) if inputs == ["-"] else expand(inputs)
    on_stdin = progress(None) if progress is not None and inputs == ["-"] else None
    first = open_table(files.paths[0], stdin=stdin, progress=on_stdin)
    many = len(files.paths) > 1
    if progress is not None and not many and engine == "local":
        first.progress = progress(first)
    choice = choose_target(first.columns, target, first.path)
    names = choice.columns
    wanted = check_request(context or ContextRequest(), first.columns, names, task, first.path)
    if wanted and (stream or many or jobs > 1 or engine != "local"):
        given = ("--stream" if stream else "several files" if many
                 else "--jobs" if jobs > 1 else "--engine dask")
        raise InputError(f"{given} cannot be combined with --group, --exposure or --censor",
                         None, "context columns are profiled in memory, from one file")
    layout = Layout.of(first, names)
    result: ContextResult | None = None
    looks_like: dict[str, tuple[str, str]] = {}
    if engine == "dask":
        from advisor.cluster import fold_on_cluster

        table = fold_on_cluster(files.paths, layout, names, stream, scheduler, jobs)
    elif jobs > 1 and many:
        parts = run_jobs(files.paths, layout, names, stream, jobs)
        table = TableSummary.from_bytes(parts[0])
        for file_path, part in zip(files.paths[1:], parts[1:], strict=True):
            table.merge(TableSummary.from_bytes(part), file_path)
    else:
        if stream is None:
            rows = None
            if many and first.format == "parquet":
                rows = sum(open_table(p).estimated_rows() for p in files.paths)
            elif many:
                rows = first.estimated_rows() * files.total_bytes // max(first.total_bytes(), 1)
            stream = wanted is None and should_stream(first, len(names), rows)
        if stream or many:
            table = fold_here(files.paths, first, layout, names, stream)
        else:
            candidates = {} if wanted or not notice_context else hint_candidates(
                first.columns, names)
            extra = [wanted[1]] if wanted else list(candidates)
            table, beside = summarise_with(first, names, extra)
            if wanted:
                result = profile_context(*wanted, names[0], beside, thresholds, first.path)
            looks_like = hints(candidates, beside)
    where = first.path if not many else f"{first.path} (and {len(files.paths) - 1} more)"
    profile, per_column = profile_summary(table, thresholds, task, where, result)
    profile.target_reason = choice.reason
    for single in per_column:
        single.target_reason = choice.reason
    profile.dataset = {
        "path": first.path if not many else ", ".join(inputs),
        "rows": table.rows,
        "columns": len(first.columns),
        "format": first.format,
    }
    if many:
        profile.dataset.update(files=len(files.paths), bytes=files.total_bytes)
    if first.compression:
        profile.dataset["compression"] = first.compression
    if stream or jobs > 1 or engine != "local":
        profile.dataset["streamed"] = True
    if first.format == "csv":
        profile.dataset.update(
            delimiter=first.delimiter, encoding=first.encoding, decimal=first.decimal
        )
    for single in per_column:
        single.dataset = profile.dataset
    notes = list(table.notes)
    for column in table.columns.values():
        if column.strays and column.n:
            notes.append(_stray_note(column, first if not many else None))
    constant = next((t.evidence for t in profile.traits if t.name == "constant_label"), None)
    if constant:
        notes.append(f"constant target column: {constant}")
    if choice.guessed:
        notes.append(f"target: {', '.join(choice.columns)} ({choice.reason}); "
                     "pass --target to choose another")
    analysis = Analysis(profile, notes, per_column)
    for column, (kind, why) in looks_like.items():
        analysis.context_hints.setdefault(kind, column)
        analysis.hint_notes.append(hint_note(column, kind, why))
    return analysis


def _column_profile(column: TargetSummary, task: str | None, thresholds: Thresholds, rows: int,
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


def _stray_note(column: TargetSummary, source: TableSource | None) -> str:
    """Name the tokens read as missing in a numeric column, and where the first one is (in
    the file, or as a row of the dataset when it spans several files)."""
    shown = ", ".join(f"'{token}' ({count:,})" for token, count in list(column.strays.items())[:5])
    more = ", ..." if len(column.strays) > 5 else ""
    if column.first_stray_row is not None:
        row = column.first_stray_row
        position: str | None = (source.row_position(row) if source is not None
                                else f"row {row + 1:,} of the dataset")
    elif source is not None:  # a summary from bytes may not know the row
        position = source.first_line_holding(column.name, set(column.strays))
    else:
        position = None
    where = f"; the first on {position}" if position else ""
    return (f"column '{column.name}': values that are not numbers read as missing: "
            f"{shown}{more}{where}")
