"""Pick the target column(s): the user's ``--target``, or a guess that says why.

A wrong guess is worse than none, so the guess prefers a conventional name and otherwise takes
the last column (the layout of most ML CSVs), and the reason always reaches the user.
"""

from __future__ import annotations

from dataclasses import dataclass

from advisor.errors import InputError, did_you_mean

TARGET_NAMES = (
    "target",
    "label",
    "labels",
    "y",
    "class",
    "outcome",
    "response",
    "target_variable",
    "dependent",
    "ground_truth",
)
"""Conventional names of target columns, in order of preference (compared case-insensitively)."""


@dataclass(frozen=True)
class TargetChoice:
    columns: list[str]
    reason: str
    guessed: bool


def choose_target(columns: list[str], requested: str | None, where: str) -> TargetChoice:
    """Resolve ``--target a,b`` against the header, or guess a single target column."""
    if requested:
        names = [name.strip() for name in requested.split(",") if name.strip()]
        if not names:
            raise InputError("--target is empty", where, "name a column")
        lookup = {c.lower(): c for c in columns}
        resolved = []
        for name in names:
            if name in columns:
                resolved.append(name)
            elif name.lower() in lookup:
                resolved.append(lookup[name.lower()])
            else:
                shown = ", ".join(columns[:20]) + (", ..." if len(columns) > 20 else "")
                raise InputError(
                    f"no column '{name}'{did_you_mean(name, columns)}",
                    where,
                    f"available columns: {shown}",
                )
        if len(set(resolved)) != len(resolved):
            raise InputError("--target names a column twice", where)
        return TargetChoice(resolved, "given with --target", guessed=False)

    lowered = {c.lower(): c for c in columns}
    for name in TARGET_NAMES:
        if name in lowered:
            column = lowered[name]
            return TargetChoice(
                [column], f"guessed: column '{column}' has a conventional target name",
                guessed=True,
            )
    if len(columns) == 1:
        return TargetChoice(columns, "guessed: the only column", guessed=True)
    return TargetChoice(
        [columns[-1]],
        f"guessed: no column has a conventional target name, so the last column "
        f"'{columns[-1]}' was taken",
        guessed=True,
    )
