"""The data half of the pipeline: read a table, pick the target, infer the task, profile it.

Kept apart from the CLI so tests, ``lint`` and other callers get the same profile the user sees.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from advisor.column import to_target_column
from advisor.io import open_table
from advisor.profile import Profile, profile_target
from advisor.target import choose_target
from advisor.task import check_task, infer_task
from advisor.thresholds import Thresholds


@dataclass
class Analysis:
    profile: Profile
    notes: list[str] = field(default_factory=list)


def analyze(
    path: str,
    target: str | None,
    thresholds: Thresholds,
    task: str | None = None,
    stdin=None,
) -> Analysis:
    """Profile the target of the table at ``path`` (``-`` for stdin)."""
    source = open_table(path, stdin=stdin)
    choice = choose_target(source.columns, target, source.path)
    dataset = source.read(choice.columns)
    columns = []
    for name in choice.columns:
        columns.append(to_target_column(name, dataset.data.pop(name), source.path))
        # The Arrow column is released as soon as its numpy copy exists: peak memory holds
        # one full-size copy of the target, not two.
    if task:
        decision = check_task(task, columns, thresholds, source.path)
    else:
        decision = infer_task(columns, thresholds, source.path)
    profile = profile_target(columns, decision, thresholds, dataset.rows)
    profile.target_reason = choice.reason
    profile.dataset = {
        "path": dataset.path,
        "rows": dataset.rows,
        "columns": len(dataset.columns),
        "format": dataset.format,
    }
    if dataset.compression:
        profile.dataset["compression"] = dataset.compression
    if dataset.format == "csv":
        profile.dataset.update(
            delimiter=dataset.delimiter, encoding=dataset.encoding, decimal=dataset.decimal
        )
    notes = list(dataset.notes)
    if choice.guessed:
        notes.append(f"target: {', '.join(choice.columns)} ({choice.reason}); "
                     "pass --target to choose another")
    return Analysis(profile, notes)
