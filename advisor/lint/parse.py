"""Parse config text as YAML, JSON or TOML, strictly and with bounds.

JSON is parsed as JSON (a trailing comma is an error, as every JSON tool says), with the depth
bound of :mod:`advisor.yamlio`; the YAML loader then re-reads it only to learn positions.
"""

from __future__ import annotations

import json
import re
from typing import Any

from advisor.errors import InputError
from advisor.yamlio import MAX_DEPTH, load_yaml


def parse_yaml(text: str, where: str) -> Any:
    return load_yaml(text, where)


def parse_json(text: str, where: str) -> Any:
    """Strict JSON; positions from the YAML loader when it reads the same document."""
    _check_depth(text, where)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON: {exc.msg}", f"{where}:{exc.lineno}") from None
    except RecursionError:
        raise InputError(f"nested deeper than {MAX_DEPTH} levels", where) from None
    try:
        located = load_yaml(text, where)
    except InputError:
        return data  # valid JSON that YAML 1.1 reads differently: positions from the text
    return located if located == data else data


def _check_depth(text: str, where: str) -> None:
    """Refuse nesting beyond MAX_DEPTH before any recursive parser sees it (one pass)."""
    depth = 0
    for match in _TOKENS.finditer(text):
        char = match.group()
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise InputError(f"nested deeper than {MAX_DEPTH} levels", where)
        elif char in "]}":
            depth -= 1


_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def parse_toml(text: str, where: str) -> dict:
    try:
        import tomllib  # type: ignore[import-not-found]
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"invalid TOML: {exc}", where) from None
    except RecursionError:
        raise InputError(f"nested deeper than {MAX_DEPTH} levels", where) from None
