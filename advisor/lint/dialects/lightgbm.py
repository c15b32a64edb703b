"""LightGBM CLI parameter files: ``key = value`` lines with LightGBM's parameter aliases, and
how the CLI reads the data file named by ``data`` (a header only with ``header=true``, the label
in column 0 unless ``label_column`` says otherwise, the groups from ``group_column`` or
``<data>.query``): advisor/lint/datafile.py reads it that way."""

from __future__ import annotations

import re
from pathlib import Path

from advisor.catalog import Catalog
from advisor.errors import InputError
from advisor.frameworks import knowledge
from advisor.lint.datafile import DataSpec
from advisor.lint.locate import split_items
from advisor.lint.model import Located, ModelConfig
from advisor.lint.settings import make_setting, relative
from advisor.lint.source import MAX_ITEMS

NAME = "lightgbm"
SUMMARY = ("`objective`, `metric`, `data` (CSV, TSV or LibSVM, no header unless `header`; "
           "`<data>.query`, `.weight`, `.init` beside it), `label_column`, `group_column`, "
           "`weight_column`, `is_unbalance`, `scale_pos_weight`, `num_class`, with LightGBM's "
           "aliases")
EXAMPLE = "objective = binary"
SUFFIXES = (".conf", ".cfg", ".txt", ".ini")
STRUCTURED = (".toml", ".yaml", ".yml", ".json", ".py")
"""Suffixes of formats with their own syntax: never read as key = value lines."""
_PAIR = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=")


def detect(path: Path, text: str) -> bool:
    """Content: ``key = value`` lines, at least one a LightGBM parameter; or a LightGBM-style
    file name when the content says nothing else."""
    if path.suffix.lower() in STRUCTURED:
        return False
    aliases = knowledge().lightgbm_aliases
    for raw in _lines(text):
        match = _PAIR.match(raw)
        if match and match.group(1).lower() in aliases:
            return True
    return path.suffix.lower() in SUFFIXES


def _lines(text: str, limit: int = 200):
    """The first content lines (comments and blanks skipped), each cut to a sane length."""
    seen = 0
    for raw in text.splitlines():
        content = raw[:1000].split("#", 1)[0]
        if content.strip():
            yield content
            seen += 1
            if seen >= limit:
                return


def parse_pairs(path: Path, text: str) -> tuple[list[str], dict[str, Located]]:
    """Each ``key = value`` line, keyed by the canonical parameter its alias stands for."""
    lines = text.splitlines()
    aliases = knowledge().lightgbm_aliases
    values: dict[str, Located] = {}
    for number, raw in enumerate(lines, start=1):
        content = raw.split("#", 1)[0]
        if not content.strip():
            continue
        if "=" not in content:
            raise InputError(f"line {number} is not 'key = value'", f"{path}:{number}",
                             "LightGBM parameter files hold one key = value per line")
        key, value = (part.strip() for part in content.split("=", 1))
        canonical = aliases.get(key.lower())
        col = raw.find(key) + 1
        if canonical:
            values.setdefault(canonical, Located(value, number, col, key))
    return lines, values


def _group_info(values: dict[str, Located], data: Path | None) -> Located:
    """Whether the query groups a ranking objective needs are given: a group_column, or the
    ``<data>.query`` file LightGBM reads beside the data. Unknown (None) when the data file
    itself is not there to look beside."""
    if "group_column" in values:
        return values["group_column"]
    found: bool | None = None
    if data is not None and data.is_file():
        found = Path(f"{data}.query").is_file()
    where = values.get("data")
    return Located(found, where.line if where else 1, where.col if where else 1, "data")


def _column(found: Located, path: Path, prefix_ok: bool = True) -> int | str:
    """An index, or the column after LightGBM's ``name:`` prefix."""
    text = str(found.value).strip()
    if text.startswith("name:") and prefix_ok:
        return text[5:]
    if text.isdigit():
        return int(text)
    raise InputError(f"{found.key} = {text[:40]} is neither a column index nor name:COLUMN",
                     f"{path}:{found.line}", "LightGBM reads e.g. label_column = 0 or "
                     "label_column = name:y")


def _reading(path: Path, values: dict[str, Located], data: Path) -> DataSpec:
    """How the LightGBM CLI reads the data file: no header unless header=true, the label in
    column 0 unless label_column names another, the groups from group_column."""
    header = values.get("header")
    label = values.get("label_column")
    group = values.get("group_column")
    where = values["data"]
    return DataSpec(
        path=str(data), cli=NAME,
        header=header is not None and str(header.value).strip().lower() in ("true", "1", "yes"),
        label=_column(label, path) if label is not None else 0,
        group=_column(group, path) if group is not None else None,
        where=f"{path}:{where.line}",
    )


def _side_files(model: ModelConfig, values: dict[str, Located], data: Path) -> None:
    """Weights and initial scores LightGBM loads from files beside the data when they exist
    (Parameters.html, "Weight Data" and "Continued Training with Input Score")."""
    where = values["data"]
    if "weight_column" not in values and Path(f"{data}.weight").is_file():
        model.options["sample_weight"] = Located(f"{data.name}.weight", where.line, where.col,
                                                 where.key)
    if Path(f"{data}.init").is_file():
        model.options["offset"] = Located(f"{data.name}.init", where.line, where.col, where.key)


def read(path: Path, text: str, catalog: Catalog) -> list[ModelConfig]:
    lines, values = parse_pairs(path, text)
    model = ModelConfig(path=str(path), dialect=NAME, framework="lightgbm", lines=lines)
    objective = values.get("objective")
    if objective:
        model.loss = make_setting("loss", objective.value, objective.line, objective.col,
                                  objective.key, "lightgbm", catalog)
    metric = values.get("metric")
    if metric:
        value_col = lines[metric.line - 1].find("=") + 2
        for name, (line, col) in split_items(lines, (metric.line, value_col), str(metric.value),
                                             MAX_ITEMS):
            model.metrics.append(make_setting("metric", name, line, col, metric.key,
                                              "lightgbm", catalog))
    for option in ("is_unbalance", "scale_pos_weight", "num_class"):
        if option in values:
            model.options[option] = values[option]
    data = None
    if "data" in values:
        found = values["data"]
        data = Path(relative(path, found.value))
        model.data = Located(str(data), found.line, found.col, found.key)
        model.reading = _reading(path, values, data)
        _side_files(model, values, data)
    model.options["group_info"] = _group_info(values, data)
    if "weight_column" in values:
        model.options["sample_weight"] = values["weight_column"]
    label = values.get("label_column")
    if label is not None:
        text_value = str(label.value)
        if text_value.startswith("name:"):
            model.target = Located(text_value[5:], label.line, label.col, label.key)
        elif text_value.isdigit():
            model.target = Located(f"#{text_value}", label.line, label.col, label.key)
    elif model.data is not None:
        # LightGBM's default label is the first column.
        model.target = Located("#0", model.data.line, model.data.col, "label_column")
    return [model]
