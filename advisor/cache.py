"""A cache of parsed rule files, as JSON, keyed by the file's content.

Parsing the YAML rule files is most of the start-up cost of ``rules``, ``explain`` and ``lint``.
A file that parsed and validated cleanly is stored as JSON under the user's cache folder; the
next run with byte-identical content loads that instead (and never imports PyYAML). JSON cannot
carry code, so the cache is as safe as the rule files themselves. A file with problems is never
cached: its errors must come with line numbers, which only the YAML parser knows.
Set LOSSADVISOR_NO_CACHE=1 to bypass it, or LOSSADVISOR_CACHE_DIR to move it.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from advisor import __version__
from advisor.errors import InputError
from advisor.yamlio import load_yaml, read_bounded


def cache_dir() -> Path | None:
    if os.environ.get("LOSSADVISOR_NO_CACHE"):
        return None
    base = os.environ.get("LOSSADVISOR_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME")
    root = Path(base) if base else Path.home() / ".cache"
    return root / "lossadvisor" / __version__


def _key(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def read_rule_data(path: Path) -> tuple[Any, str | None]:
    """Parsed content of a rule file, and the cache key to store it under (None if cached)."""
    raw = read_bounded(path)
    key = _key(raw)
    folder = cache_dir()
    if folder is not None:
        try:
            return json.loads((folder / f"{key}.json").read_text(encoding="utf-8")), None
        except (OSError, ValueError, RecursionError):  # a damaged cache entry is re-parsed
            pass
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", str(path)) from None
    return load_yaml(text, str(path)), key


def store(key: str | None, data: Any) -> None:
    """Remember a cleanly validated file; any failure to write is silently ignored."""
    folder = cache_dir()
    if key is None or folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh)
        os.replace(tmp, folder / f"{key}.json")
    except (OSError, TypeError, ValueError):
        pass
