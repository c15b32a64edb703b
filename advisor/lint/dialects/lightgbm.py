"""LightGBM CLI parameter files: ``key = value`` lines with LightGBM's parameter aliases, the
data file named by ``data``, its label column (column 0 unless ``label_column`` says otherwise)
and whether it has a header."""

from __future__ import annotations

import re
from pathlib import Path

from advisor.catalog import Catalog
from advisor.errors import InputError
from advisor.frameworks import knowledge
from advisor.lint.locate import split_items
from advisor.lint.model import Located, ModelConfig
from advisor.lint.settings import make_setting, relative
from advisor.lint.source import MAX_ITEMS

NAME = "lightgbm"
SUMMARY = ("`objective`, `metric`, `data`, `header`, `label_column`, `is_unbalance`, "
           "`scale_pos_weight`, `num_class`, with LightGBM's aliases")
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


def _group_info(path: Path, values: dict[str, Located]) -> Located:
    """Whether the query groups a ranking objective needs are given: a group_column, or the
    ``<data>.query`` file LightGBM reads beside the data. Unknown (None) when the data file
    itself is not there to look beside."""
    if "group_column" in values:
        return values["group_column"]
    data = values.get("data")
    found: bool | None = None
    if data is not None:
        file = Path(relative(path, str(data.value)))
        if file.is_file():
            found = file.with_name(file.name + ".query").is_file()
    return Located(found, data.line if data else 1, data.col if data else 1, "data")


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
    model.options["group_info"] = _group_info(path, values)
    if "weight_column" in values:
        model.options["sample_weight"] = values["weight_column"]
    if "data" in values:
        found = values["data"]
        model.data = Located(relative(path, found.value), found.line, found.col, found.key)
    header = values.get("header")
    label = values.get("label_column")
    has_header = header is not None and str(header.value).lower() in ("true", "1", "yes")
    if label is not None:
        text_value = str(label.value)
        if text_value.startswith("name:"):
            model.target = Located(text_value[5:], label.line, label.col, label.key)
        elif text_value.isdigit():
            model.target = Located(f"#{text_value}", label.line, label.col, label.key)
    elif model.data is not None:
        # LightGBM's default label is the first column.
        model.target = Located("#0", model.data.line, model.data.col, "label_column")
    if model.target is not None and model.target.value.startswith("#") and not has_header:
        model.options["no_header"] = Located(True, 1, 1, "header")
    return [model]
