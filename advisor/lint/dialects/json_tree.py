"""JSON configs (Keras compile configs, XGBoost saved models and parameters): parsed as JSON,
loss and metric keys found by name anywhere in the tree."""

from __future__ import annotations

import re
from pathlib import Path

from advisor.catalog import Catalog
from advisor.lint.model import ModelConfig
from advisor.lint.parse import parse_json
from advisor.lint.tree import read_models

NAME = "json"
SUMMARY = ("the same keys as YAML; a Keras compile config's `loss` (string or serialized class "
           "with `from_logits`), `metrics` and last-layer activation; an XGBoost saved model's "
           "`learner.objective.name`")
EXAMPLE = '{"loss": {"class_name": "BinaryCrossentropy", "config": {"from_logits": true}}}'


_TABLE_HEADER = re.compile(r"\[\[?[^\[\]{},\n]+\]\]?[ \t]*(#.*)?")
"""A first line like ``[xgboost]`` or ``[[models]]``: a TOML or INI table header, not JSON."""


def detect(path: Path, text: str) -> bool:
    if path.suffix.lower() == ".json":
        return True
    if path.suffix.lower() == ".toml":
        return False
    head = text.lstrip()
    first = head.split("\n", 1)[0].strip()
    return head[:1] == "{" or (head[:1] == "[" and not _TABLE_HEADER.fullmatch(first))


def read(path: Path, text: str, catalog: Catalog) -> list[ModelConfig]:
    return read_models(path, parse_json(text, str(path)), text, catalog, NAME)
