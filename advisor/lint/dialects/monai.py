"""MONAI bundle configs (JSON or YAML): ``_target_`` components, ``@ref`` references (the loss
reached through ``"loss_function": "@loss"`` is resolved), ``$expr`` expressions (never paths,
never evaluated), and ``key_metric`` / ``additional_metrics`` mappings."""

from __future__ import annotations

import re
from pathlib import Path

from advisor.catalog import Catalog
from advisor.lint.model import ModelConfig
from advisor.lint.parse import parse_json, parse_yaml
from advisor.lint.tree import read_tree

NAME = "monai"
SUMMARY = ("`loss` / `loss_function` (through `@ref`), `key_metric`, `additional_metrics`; "
           "`@ref` and `$expr` values are never paths and never evaluated")
EXAMPLE = '"loss": {"_target_": "DiceCELoss", "to_onehot_y": true, "softmax": true}'
_TARGET = re.compile(r"[\"']?_target_[\"']?\s*:")
_MONAI = re.compile(r"[\"']\$?@[A-Za-z_]|[\"']?key_(val_)?metric[\"']?\s*:|\$import ")


def detect(path: Path, text: str) -> bool:
    head = text[:200_000]
    return bool(_TARGET.search(head) and _MONAI.search(head))


def read(path: Path, text: str, catalog: Catalog) -> list[ModelConfig]:
    where = str(path)
    is_json = path.suffix.lower() == ".json" or text.lstrip()[:1] == "{"
    data = parse_json(text, where) if is_json else parse_yaml(text, where, tags=True)
    model = read_tree(path, data, text, catalog, NAME, framework="monai")
    return [model]
