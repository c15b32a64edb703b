"""Reading a config file's text with bounds, and keeping what came from it short and safe.

Every lint reader works on text that came through here: size-bounded, UTF-8, and with a cap on
how long a name may be before it stops being looked up (a megabyte-long "objective" is not a
loss name, and comparing it with every known spelling would take minutes).
"""

from __future__ import annotations

import sys
from pathlib import Path

from advisor.errors import InputError
from advisor.yamlio import MAX_BYTES, read_bounded

MAX_NAME = 200
"""Longest loss or metric name looked up in the catalog; longer values are reported shortened."""
MAX_ITEMS = 100
"""Most metrics read from one list; a longer list is cut with a note."""
STDIN = "-"


def read_text(path: Path) -> str:
    """The text of a config file (``-`` is stdin), or an input error saying why not."""
    if str(path) == STDIN:
        raw = sys.stdin.buffer.read(MAX_BYTES + 1)
        if len(raw) > MAX_BYTES:
            raise InputError(f"larger than {MAX_BYTES // (1024 * 1024)} MiB", "<stdin>")
        return _decode(raw, "<stdin>")
    if not path.exists():
        raise InputError("no such file", str(path), "check the path")
    if path.is_dir():
        raise InputError("is a directory, not a config file", str(path))
    return _decode(read_bounded(path), str(path))


def _decode(raw: bytes, where: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", where) from None


def short(text: str, limit: int = 60) -> str:
    """A value shortened for a message: long input never floods the terminal."""
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text):,} characters)"
