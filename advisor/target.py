"""Pick the target column(s): the user's ``--target``, or a guess that says why.

A wrong guess is worse than none, so the guess prefers a conventional name and otherwise takes
the last column (the layout of most ML CSVs), and the reason always reaches the user.
"""

from __future__ import annotations

import csv
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
    """Resolve ``--target a,b`` against the header, or guess a single target column.

    Any header cell is a legal name. The whole request is tried as one name first, so a name
    with a comma needs no quoting; several names are separated by commas, and a name holding
    a comma among several is quoted as in CSV ('"a,b",c').
    """
    if requested is not None:
        whole = requested.strip()
        if whole and _matches(columns, whole):
            return TargetChoice([_resolve(columns, whole, where)], "given with --target",
                                guessed=False)
        try:
            parts = next(csv.reader([whole]), [])
        except csv.Error:  # a line break in a name: no quoting to honour
            parts = whole.split(",")
        names = [name.strip() for name in parts if name.strip()]
        if not names:
            raise InputError("--target is empty", where, "name a column")
        resolved = [_resolve(columns, name, where) for name in names]
        if len(set(resolved)) != len(resolved):
            raise InputError("--target names a column twice", where)
        return TargetChoice(resolved, "given with --target", guessed=False)
    lowered: dict[str, str] = {}
    for column in columns:
        lowered.setdefault(column.lower(), column)
    for name in TARGET_NAMES:
        if name in lowered:
            column = _resolve(columns, lowered[name], where)
            return TargetChoice(
                [column], f"guessed: column '{column}' has a conventional target name",
                guessed=True,
            )
    named = [column for column in columns if column]
    if len(columns) == 1 and named:
        return TargetChoice(columns, "guessed: the only column", guessed=True)
    if not named:
        raise InputError("no column has a name", where, "give the file a header row")
    last = _resolve(columns, named[-1], where)
    return TargetChoice(
        [last],
        f"guessed: no column has a conventional target name, so the last "
        f"{'named ' if last != columns[-1] else ''}column '{last}' was taken",
        guessed=True,
    )


def _matches(columns: list[str], name: str) -> list[int]:
    """Positions of the columns called ``name``: exactly, else ignoring case."""
    exact = [i for i, column in enumerate(columns) if column == name]
    if exact:
        return exact
    lowered = name.lower()
    return [i for i, column in enumerate(columns) if column.lower() == lowered]


def _resolve(columns: list[str], name: str, where: str) -> str:
    """The header's spelling of ``name``; an input error when it is missing or not unique."""
    found = _matches(columns, name)
    if len(found) == 1:
        return columns[found[0]]
    if found:
        places = ", ".join(str(i + 1) for i in found[:5]) + (", ..." if len(found) > 5 else "")
        raise InputError(
            f"column name '{_short(name)}' appears {len(found)} times in the header "
            f"(columns {places})",
            where,
            "rename the copies so the target has a name of its own",
        )
    # Suggestions compare short names only: difflib's cost grows with the square of a length.
    short = [column for column in columns[:10_000] if len(column) <= 200]
    hint = did_you_mean(name, short) if len(name) <= 200 else ""
    shown = ", ".join(_short(c) for c in columns[:20]) + (", ..." if len(columns) > 20 else "")
    raise InputError(f"no column '{_short(name)}'{hint}", where,
                     f"available columns: {shown}")


def _short(name: str, limit: int = 60) -> str:
    return name if len(name) <= limit else name[: limit - 3] + "..."
