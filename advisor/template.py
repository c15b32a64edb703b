"""Rationale and snippet templates: ``str.format`` fields over the profile's facts, rendered last.

Only plain field names are allowed (no attribute or index access), so a template can read a number
but never reach into Python objects. A template whose facts are missing (``recommend`` has no
data; some statistics are undefined) is never rendered with holes: the caller falls back to text
without numbers, and a snippet keeps a named placeholder (``POS_WEIGHT``) that the user fills in.
Two extra format specs serve snippets: ``{class_weights:list}`` and ``{class_weights:dict}``.
"""

from __future__ import annotations

import string
from typing import Any

_FORMATTER = string.Formatter()
MISSING = "n/a"


def fields(template: str) -> list[tuple[str, str]]:
    """(field name, format spec) pairs; raises ValueError on malformed templates."""
    out = []
    for _literal, name, spec, conversion in _FORMATTER.parse(template):
        if name is None:
            continue
        if not name or not name.isidentifier():
            raise ValueError(f"field '{{{name}}}' is not a plain name")
        if conversion:
            raise ValueError(f"field '{{{name}!{conversion}}}' uses a conversion")
        out.append((name, spec or ""))
    return out


def missing(template: str, facts: dict[str, Any]) -> list[str]:
    """The fields of ``template`` that ``facts`` has no value for, in order of appearance."""
    out: list[str] = []
    for name, _spec in fields(template):
        if facts.get(name) is None and name not in out:
            out.append(name)
    return out


def placeholder(name: str) -> str:
    """The named placeholder a snippet shows for a value only data can give."""
    return name.upper()


def format_value(value: Any, spec: str) -> str:
    if spec == "list":
        items = value.values() if isinstance(value, dict) else value
        return "[" + ", ".join(_literal(v) for v in items) + "]"
    if spec == "dict":
        if not isinstance(value, dict):
            return str(value)
        return "{" + ", ".join(f"{_key(k)}: {_literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (set, frozenset)):
        value = ", ".join(sorted(map(str, value)))
    elif isinstance(value, (list, tuple)) and not spec:
        value = ", ".join(map(str, value))
    try:
        return format(value, spec)
    except (ValueError, TypeError):
        return str(value)


def _literal(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return repr(value)


def _key(key: Any) -> str:
    text = str(key)
    try:
        number = float(text)
        return str(int(number)) if number.is_integer() else text
    except ValueError:
        return repr(text)


def render(template: str, facts: dict[str, Any]) -> str:
    """Fill a (validated) template from facts, 'n/a' for a missing value (lint messages, whose
    rules only run when their facts exist)."""
    return _fill(template, facts, lambda name: MISSING)


def render_complete(template: str, facts: dict[str, Any]) -> str | None:
    """Fill a template only when every field has a value; None tells the caller to fall back
    to text without numbers."""
    if missing(template, facts):
        return None
    return _fill(template, facts, lambda name: MISSING)


def render_code(template: str, facts: dict[str, Any]) -> tuple[str, list[str]]:
    """Fill a snippet template; fields without a value become named placeholders.

    Returns the code and the names that were left as placeholders.
    """
    holes = missing(template, facts)
    return _fill(template, facts, placeholder), holes


def _fill(template: str, facts: dict[str, Any], hole) -> str:
    parts = []
    for literal, name, spec, _conversion in _FORMATTER.parse(template):
        parts.append(literal)
        if name is not None:
            value = facts.get(name)
            parts.append(hole(name) if value is None else format_value(value, spec or ""))
    return "".join(parts)


def check_spec(spec: str) -> str | None:
    """Why a format spec cannot format a number, or None when it can."""
    if spec in ("", "list", "dict"):
        return None
    try:
        format(1.5, spec)
    except ValueError as exc:
        return str(exc)
    return None
