"""YAML ``_base_`` inheritance as PaddleSeg and PaddleDetection resolve it: the base files,
relative to the including file, are read first and the file's own keys are merged over them.

PaddleSeg (paddleseg/cvlibs/config.py) spells the key ``_base_`` (a path or a list) and lets a
mapping say ``_inherited_: false`` to replace the base's mapping instead of merging into it;
PaddleDetection (ppdet/core/workspace.py) spells it ``_BASE_`` (a list). Values that come from a
base file are placed at the line of the ``_base_`` key that brought them in, so a finding about
an inherited loss points at the line of this file that inherits it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from advisor.errors import InputError
from advisor.lint.parse import parse_yaml
from advisor.lint.source import read_text
from advisor.yamlio import MAX_DEPTH, LineDict, LineList

BASE_KEYS = ("_base_", "_BASE_")
INHERIT_KEY = "_inherited_"
MAX_FILES = 50
"""Most files one config may pull in through its bases (a cycle stops here)."""


def resolve(path: Path, data: Any, notes: list[str]) -> Any:
    """``data`` (parsed from ``path``) with its base files merged under it."""
    return _Resolver(notes).resolve(path, data, 0)


class _Resolver:
    def __init__(self, notes: list[str]):
        self.notes = notes
        self.files = 0

    def resolve(self, path: Path, data: Any, depth: int) -> Any:
        if not isinstance(data, dict):
            return data
        key = next((k for k in BASE_KEYS if k in data), None)
        if key is None:
            return data
        self.files += 1
        if self.files > MAX_FILES or depth > 8:
            raise InputError(f"pulls in more than {MAX_FILES} base files (a cycle?)", str(path))
        bases = data[key] if isinstance(data[key], list) else [data[key]]
        where = data.pos(key) if isinstance(data, LineDict) else (1, 1)
        merged: Any = LineDict()
        for item in bases:
            if not isinstance(item, str) or not item.strip():
                continue
            target = (path.parent / item).resolve()
            if not target.is_file():
                raise InputError(f"{key} file '{item}' not found", f"{path}:{where[0]}",
                                 f"{key} paths are relative to the config file")
            base = parse_yaml(read_text(target), str(target), tags=True)
            base = self.resolve(target, base, depth + 1)
            merged = merge(_placed(base, where), merged)
            if depth == 0:
                self.notes.append(f"inherits {item}")
        own = LineDict({k: v for k, v in data.items() if k != key})
        _copy_positions(data, own)
        return merge(own, merged)


def merge(child: Any, base: Any) -> Any:
    """``child`` over ``base``: mappings merge key by key, anything else replaces."""
    if not isinstance(child, dict) or not isinstance(base, dict):
        return child
    if child.get(INHERIT_KEY, True) is False:
        out = LineDict({k: v for k, v in child.items() if k != INHERIT_KEY})
        _copy_positions(child, out)
        return out
    out = LineDict(base)
    _copy_positions(base, out)
    for key, value in child.items():
        out[key] = merge(value, base[key]) if key in base else value
        if isinstance(child, LineDict):
            out.key_pos[key] = child.pos(key)
    return out


def _copy_positions(source: Any, target: LineDict) -> None:
    target.line = getattr(source, "line", 0)
    target.col = getattr(source, "col", 0)
    target.key_pos = dict(getattr(source, "key_pos", {}))


def _placed(value: Any, where: tuple[int, int], depth: int = 0) -> Any:
    """A copy of a base file's value with every position at ``where`` in the including file."""
    if depth > MAX_DEPTH:
        return value
    if isinstance(value, dict):
        out = LineDict({k: _placed(v, where, depth + 1) for k, v in value.items()})
        out.line, out.col = where
        out.key_pos = {k: where for k in value}
        return out
    if isinstance(value, list):
        items = LineList(_placed(v, where, depth + 1) for v in value)
        items.line, items.col = where
        items.item_pos = [where] * len(items)
        return items
    return value
