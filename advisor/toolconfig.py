"""The tool's own configuration, found and validated in one place for every command.

``lossadvisor.toml``, or ``[tool.lossadvisor]`` in pyproject.toml, is read by ``profile`` and
``traits`` (thresholds) and by ``lint`` (loss, metrics, ignore, configs, models, thresholds). All of
them go through :func:`read_tool_config`, so a value means the same thing, and is refused the
same way, whichever command reads it: every key is checked against its expected type, every
problem is reported at once as ``file:line: what``, and an unknown key gets a did-you-mean.
A string where a list belongs (``ignore = "LNT110"``) is an error, never a list of characters.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from advisor.errors import InputError, ProblemList, did_you_mean, kind_of
from advisor.thresholds import DEFAULT_THRESHOLDS, Thresholds
from advisor.yamlio import load_toml, read_bounded

FILENAMES = ("lossadvisor.toml", "pyproject.toml")
RULE_ID = re.compile(r"^[A-Za-z]{2,5}[0-9]{3}$")

# Expected shape of each key. "text": a string; "setting": a name or a class table;
# "settings": one name, or a list of names or class tables; "table": any table;
# "ids": a list of rule ids; "paths": a list of file paths; "thresholds": names to numbers;
# "models": named tables of MODEL_KEYS.
MODEL_KEYS = {"data": "text", "target": "text", "task": "text", "framework": "text",
              "loss": "setting", "loss_args": "table", "metrics": "settings", "ignore": "ids"}
TOOL_KEYS = {**MODEL_KEYS, "configs": "paths", "thresholds": "thresholds", "models": "models"}
SHAPES = {
    "text": "a string",
    "setting": "a name or a table with a class name",
    "settings": "a name or a list of names",
    "table": "a table",
    "ids": 'a list of rule ids, like ["LNT110"]',
    "paths": 'a list of file paths, like ["configs/train.yaml"]',
    "thresholds": "a table of threshold names and numbers",
    "models": "a table of named model tables",
}


@dataclass
class ToolConfig:
    """A validated tool config: the raw section (for lint's own dialect) and what it means."""

    path: Path
    section: dict[str, Any]
    thresholds: Thresholds = DEFAULT_THRESHOLDS
    ignore: list[str] = field(default_factory=list)
    configs: list[Path] = field(default_factory=list)


def find_tool_config(start: Path, read: list[str | Path] | None = None) -> ToolConfig | None:
    """The nearest ``lossadvisor.toml``, or pyproject.toml with ``[tool.lossadvisor]``, walking
    up from ``start``, as ruff and pytest do, so a monorepo's sub-projects can differ.

    ``read`` collects every file opened on the way (a pyproject.toml without our table too),
    so that ``--output`` can refuse them all.
    """
    start = start.resolve()
    for folder in (start, *start.parents):
        for name in FILENAMES:
            candidate = folder / name
            if candidate.is_file():
                if read is not None:
                    read.append(candidate)
                found = read_tool_config(candidate)
                if found is not None:
                    return found
    return None


def load_thresholds(start: Path) -> Thresholds:
    """Thresholds with the nearest tool config's ``thresholds`` table applied."""
    found = find_tool_config(start)
    return found.thresholds if found else DEFAULT_THRESHOLDS


def read_tool_config(path: Path, text: str | None = None) -> ToolConfig | None:
    """Read and validate one tool config; None for a pyproject.toml without our table."""
    where = str(path)
    if text is None:
        try:
            text = read_bounded(path).decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InputError("not UTF-8 text", where, "save the file as UTF-8") from None
    data = load_toml(text, where)
    prefix: tuple[str, ...] = ()
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        if not isinstance(tool, dict) or "lossadvisor" not in tool:
            return None
        data, prefix = tool["lossadvisor"], ("tool", "lossadvisor")
    checker = _Checker(where, text, prefix)
    if not isinstance(data, dict):
        raise InputError(f"'{'.'.join(prefix)}' must be a table", checker.at(()))
    checker.keys(data, TOOL_KEYS, ())
    if checker.problems:
        raise ProblemList(checker.problems, "problem(s) in the lossadvisor config")
    config = ToolConfig(path, data, ignore=[str(r).upper() for r in data.get("ignore", [])],
                        configs=[path.parent / p for p in data.get("configs", [])])
    if data.get("thresholds"):
        config.thresholds = DEFAULT_THRESHOLDS.with_overrides(data["thresholds"], where)
    return config


class _Checker:
    """Collects every problem of one file with the line it is on."""

    def __init__(self, where: str, text: str, prefix: tuple[str, ...]):
        from advisor.lint.locate import toml_key_positions

        self.where = where
        self.lines = text.splitlines()
        self.positions = toml_key_positions(text)
        self.prefix = prefix
        self.problems: list[str] = []

    def at(self, keys: tuple[str, ...]) -> str:
        """``file:line`` of a key, or of the table header that holds it."""
        full = self.prefix + keys
        while full:
            if full in self.positions:
                return f"{self.where}:{self.positions[full][0]}"
            header = re.compile(r"^\s*\[\s*" + r"\s*\.\s*".join(
                rf"(?:{re.escape(k)}|\"{re.escape(k)}\")" for k in full) + r"\s*\]")
            for number, line in enumerate(self.lines, start=1):
                if header.match(line):
                    return f"{self.where}:{number}"
            full = full[:-1]
        return f"{self.where}:1"

    def problem(self, keys: tuple[str, ...], message: str) -> None:
        self.problems.append(f"{self.at(keys)}: {message}")

    def keys(self, data: dict[str, Any], allowed: dict[str, str], keys: tuple[str, ...]) -> None:
        for key, value in data.items():
            here = keys + (str(key),)
            shape = allowed.get(key)
            if shape is None:
                self.problem(here, f"unknown key '{key}' in the lossadvisor config"
                             f"{did_you_mean(str(key), list(allowed))}; allowed: "
                             f"{', '.join(sorted(allowed))}")
            elif not self.fits(value, shape, here):
                self.problem(here, f"'{key}' must be {SHAPES[shape]}, not {kind_of(value)}")

    def fits(self, value: Any, shape: str, here: tuple[str, ...]) -> bool:
        """Whether ``value`` has ``shape``; reports problems inside it itself."""
        if shape == "text":
            return isinstance(value, str)
        if shape == "setting":
            return isinstance(value, (str, dict))
        if shape == "settings":
            return isinstance(value, str) or (
                isinstance(value, list) and all(isinstance(v, (str, dict)) for v in value))
        if shape == "table":
            return isinstance(value, dict)
        if shape == "paths":
            return isinstance(value, list) and all(isinstance(v, str) and v for v in value)
        if shape == "ids":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                return False
            for rule in value:
                if not RULE_ID.match(rule):
                    self.problem(here, f"'{rule}' in '{here[-1]}' is not a rule id like LNT110")
            return True
        if shape == "thresholds":
            if not isinstance(value, dict):
                return False
            self.thresholds(value, here)
            return True
        if shape == "models":
            if not isinstance(value, dict):
                return False
            for name, section in value.items():
                if isinstance(section, dict):
                    self.keys(section, MODEL_KEYS, here + (str(name),))
                else:
                    self.problem(here + (str(name),),
                                 f"model '{name}' must be a table, not {kind_of(section)}")
            return True
        raise AssertionError(shape)  # pragma: no cover - SHAPES lists every shape

    def thresholds(self, value: dict[str, Any], here: tuple[str, ...]) -> None:
        known = Thresholds.help()
        for name, number in value.items():
            if name not in known:
                guess = did_you_mean(str(name), list(known))
                self.problem(here + (str(name),),
                             f"unknown threshold '{name}'{guess}{' ' if guess else '; '}"
                             "`lossadvisor traits` lists the thresholds")
            elif isinstance(number, bool) or not isinstance(number, (int, float)) or (
                    not math.isfinite(number)):
                self.problem(here + (str(name),),
                             f"threshold '{name}' must be a finite number, not {kind_of(number)}")
