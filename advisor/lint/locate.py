"""Find where keys and values are written in text formats whose parsers forget positions.

tomllib and json return plain data, so positions are recovered from the text: a key's line is the
first ``key = ...`` (TOML, .conf) or ``"key":`` (JSON) inside the right table, a list item's the
first line at or after its key that holds the quoted value.
"""

from __future__ import annotations

import re

_IGNORE = re.compile(r"lossadvisor:\s*ignore\[([^\]]*)\]\s*(.*)$")
_BARE_IGNORE = re.compile(r"lossadvisor:\s*ignore(?!\s*\[)")


def toml_key_positions(text: str) -> dict[tuple[str, ...], tuple[int, int]]:
    """Map (table..., key) to (line, col) for every ``key = value`` line of a TOML file."""
    positions: dict[tuple[str, ...], tuple[int, int]] = {}
    table: tuple[str, ...] = ()
    item: tuple[str, ...] | None = None
    arrays: dict[tuple[str, ...], int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0] if '"' not in raw and "'" not in raw else raw
        stripped = line.strip()
        header = re.match(r"^\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$", stripped)
        if header:
            table = tuple(part.strip().strip('"').strip("'")
                          for part in header.group(1).split("."))
            item = None
            if stripped.startswith("[["):  # one table of an array: also (table..., n, key)
                arrays[table] = arrays.get(table, 0) + 1
                item = (*table, str(arrays[table]))
            continue
        match = re.match(r"^(\s*)(\"[^\"]+\"|'[^']+'|[A-Za-z0-9_.-]+)\s*=", line)
        if match:
            key = match.group(2).strip('"').strip("'")
            parts = tuple(p for p in key.split(".")) if not match.group(2).startswith(
                ('"', "'")) else (key,)
            positions.setdefault(table + parts, (number, len(match.group(1)) + 1))
            if item is not None:
                positions.setdefault(item + parts, (number, len(match.group(1)) + 1))
    return positions


def find_text(lines: list[str], start: int, needle: str) -> tuple[int, int] | None:
    """First occurrence of ``needle`` at or after 1-based line ``start``."""
    for index in range(max(start - 1, 0), len(lines)):
        column = lines[index].find(needle)
        if column >= 0:
            return index + 1, column + 1
    return None


def suppressions(lines: list[str]) -> dict[int, tuple[set[str], str]]:
    """``# lossadvisor: ignore[LNT103, LNT105] reason`` comments by line number."""
    found: dict[int, tuple[set[str], str]] = {}
    for number, line in enumerate(lines, start=1):
        match = _IGNORE.search(line)
        if match:
            rules = {r.strip().upper() for r in match.group(1).split(",") if r.strip()}
            found[number] = (rules, match.group(2).strip())
    return found


def bare_ignores(lines: list[str]) -> list[int]:
    """Lines with ``# lossadvisor: ignore`` and no rule ids: it suppresses nothing, and saying
    so beats a silence that looks like it worked."""
    return [n for n, line in enumerate(lines, start=1) if _BARE_IGNORE.search(line)]


def split_items(lines: list[str], start: tuple[int, int], text: str, limit: int
                ) -> list[tuple[str, tuple[int, int]]]:
    """A comma-separated value's items with their columns on the value's line.

    Searches move forward from the previous item, so a megabyte-long line costs one pass.
    """
    line_no, col = start
    line = lines[line_no - 1] if 0 < line_no <= len(lines) else ""
    offset = max(col - 1, 0)
    out = []
    for item in text.split(",", limit)[:limit]:
        item = item.strip()
        if not item:
            continue
        found = line.find(item, offset)
        if found >= 0:
            offset = found + len(item)
            out.append((item, (line_no, found + 1)))
        else:
            out.append((item, start))
    return out
