"""Make input-derived text safe to show: control characters become visible escapes.

Column names, class labels, config values, rule texts, file paths and CLI arguments come from
files nobody reviewed. A terminal acts on C0/C1 control characters (ESC/CSI colour codes, OSC
title and hyperlink sequences, a bare CR that overwrites a line), and bidirectional overrides
reorder what a reader sees, so every human-readable output passes its text through
:func:`visible` once, at the renderer or the error handler, and shows ``\\x1b`` instead.
JSON escapes C0 itself but not DEL, C1 or bidi controls; :func:`dump_json` adds those.
"""

from __future__ import annotations

import json
import re
from typing import Any

_LAYOUT = "\n\t"
"""Kept by visible(keep_layout=True): the line breaks and tabs of multi-line texts."""
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if char == "\n":
        return "\\n"
    if char == "\r":
        return "\\r"
    if char == "\t":
        return "\\t"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: Any, keep_layout: bool = False) -> str:
    """``text`` with every control character written as an escape (``\\x1b``, ``\\n``).

    ``keep_layout`` leaves newlines and tabs alone, for multi-line texts such as a rule's
    explanation or a code snippet; names, labels and messages are single lines.
    """
    text = str(text)
    if keep_layout:
        return _CONTROL.sub(lambda m: m.group() if m.group() in _LAYOUT else _escape(m), text)
    return _CONTROL.sub(_escape, text)


def visible_tree(value: Any, keep_layout: frozenset[str] = frozenset()) -> Any:
    """A copy of a JSON-like document with :func:`visible` applied to every string and key.

    Keys named in ``keep_layout`` keep their newlines (a snippet's ``code``).
    """
    if isinstance(value, str):
        return visible(value)
    if isinstance(value, dict):
        return {visible(k) if isinstance(k, str) else k:
                (visible(v, keep_layout=True) if k in keep_layout and isinstance(v, str)
                 else visible_tree(v, keep_layout))
                for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [visible_tree(v, keep_layout) for v in value]
    return value


def dump_json(doc: Any) -> str:
    """JSON text (2-space indent, UTF-8 kept) in which no control character is raw."""
    text = json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"
