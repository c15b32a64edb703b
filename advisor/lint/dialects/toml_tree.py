"""TOML configs other than the tool's own: loss and metric keys found by name."""

from __future__ import annotations

from pathlib import Path

from advisor.catalog import Catalog
from advisor.lint.locate import toml_key_positions
from advisor.lint.model import ModelConfig
from advisor.lint.parse import parse_toml
from advisor.lint.tree import read_models

NAME = "toml"
SUMMARY = "the same keys as YAML, in TOML tables"
EXAMPLE = 'objective = "reg:tweedie"'


def detect(path: Path, text: str) -> bool:
    return path.suffix.lower() == ".toml"


def read(path: Path, text: str, catalog: Catalog) -> list[ModelConfig]:
    data = parse_toml(text, str(path))
    return read_models(path, data, text, catalog, NAME, toml_positions=toml_key_positions(text))
