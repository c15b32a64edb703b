"""The config dialects lint reads, in one explicit registry.

Each dialect is a module with ``NAME``, ``SUMMARY`` (what is read), ``EXAMPLE`` (one line in
the dialect's own spelling), ``detect(path, text) -> bool`` and
``read(path, text, catalog) -> list[ModelConfig]``. Detection goes by content first: a ``.txt``
or ``.conf`` file can be a LightGBM file, an XGBoost CLI file or CatBoost's JSON params file.
The first dialect in :data:`DIALECTS` whose ``detect`` says yes reads the file; ``--dialect``
names one outright. A new dialect is a new module and one line here (yamllint's
``rules/__init__.py`` is the model).
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from advisor.catalog import Catalog
from advisor.errors import InputError, did_you_mean
from advisor.lint.dialects import (
    catboost,
    json_tree,
    lightgbm,
    ludwig,
    monai,
    paddle,
    paddleseg,
    python,
    toml_tree,
    tool,
    xgboost,
    yaml_tree,
)
from advisor.lint.model import ModelConfig
from advisor.lint.source import read_text

DIALECTS: tuple[ModuleType, ...] = (
    tool,
    python,
    ludwig,
    paddle,
    paddleseg,
    monai,
    catboost,
    json_tree,
    xgboost,
    lightgbm,
    toml_tree,
    yaml_tree,
)
"""Every dialect, most specific first: detection tries them in this order."""

BY_NAME = {module.NAME: module for module in DIALECTS}


def markdown_table() -> str:
    """README's dialect table, from the registry itself (a test keeps README current)."""
    lines = ["| dialect (`--dialect`) | what is read | example |", "|---|---|---|"]
    for module in DIALECTS:
        example = module.EXAMPLE.replace("|", "\\|")
        lines.append(f"| `{module.NAME}` | {module.SUMMARY} | `{example}` |")
    return "\n".join(lines) + "\n"


def detect(path: Path, text: str) -> ModuleType:
    """The dialect a file is written in, judged by its content (and name where content is
    ambiguous)."""
    for module in DIALECTS:
        if module.detect(path, text):
            return module
    suffix = path.suffix.lower() or path.name
    raise InputError(
        f"unknown config format '{suffix}'", str(path),
        f"lint reads {', '.join(BY_NAME)}; name one with --dialect",
    )


def read_config(path: Path, catalog: Catalog, dialect: str | None = None) -> list[ModelConfig]:
    """Read one config file in whatever dialect it is written (or the one named)."""
    text = read_text(path)
    if dialect is not None:
        if dialect not in BY_NAME:
            raise InputError(f"unknown dialect '{dialect}'{did_you_mean(dialect, BY_NAME)}",
                             None, f"dialects: {', '.join(BY_NAME)}")
        module = BY_NAME[dialect]
    else:
        module = detect(path, text)
    models = module.read(path, text, catalog)
    for model in models:
        model.dialect = model.dialect or module.NAME
    return models
