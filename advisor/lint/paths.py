"""The config files a ``lint`` command line names: files, directories (walked for config files,
like ruff), glob patterns, and ``-`` for stdin. Sorted, so the report is deterministic."""

from __future__ import annotations

import glob
import os
from pathlib import Path

from advisor.errors import InputError
from advisor.lint.source import STDIN

CONFIG_SUFFIXES = (".yaml", ".yml", ".json", ".toml", ".conf", ".cfg")
"""What a directory walk picks up; Python files only inside a configs/ folder."""
SKIP_DIRS = {".git", ".hg", ".svn", "__pycache__", "node_modules", ".venv", "venv", ".tox",
             ".mypy_cache", ".pytest_cache", ".ruff_cache", "build", "dist"}
MAX_FILES = 10_000


def expand(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for path in paths:
        text = str(path)
        if text == STDIN:
            out.append(path)
        elif path.is_dir():
            out.extend(_walk(path))
        elif not path.exists() and any(c in text for c in "*?["):
            matches = sorted(Path(p) for p in glob.glob(text, recursive=True))
            if not matches:
                raise InputError("the pattern matches no file", text)
            out.extend(p for p in matches if p.is_file())
        else:
            out.append(path)
        if len(out) > MAX_FILES:
            raise InputError(f"more than {MAX_FILES:,} config files", text,
                             "name the folders that hold the training configs")
    return out


def _walk(folder: Path) -> list[Path]:
    """Config files below ``folder``; hidden folders, tool caches, build output and virtual
    environments (any folder holding a ``pyvenv.cfg``, whatever its name) are not entered."""
    found = []
    for root, dirs, files in os.walk(folder):
        here = Path(root)
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith(".")
                         and not (here / d / "pyvenv.cfg").is_file())
        in_configs = any(p in ("configs", "config") for p in here.parts)
        for name in sorted(files):
            suffix = Path(name).suffix.lower()
            if suffix in CONFIG_SUFFIXES or (suffix == ".py" and in_configs):
                found.append(here / name)
    return sorted(found)
