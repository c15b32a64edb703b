"""MONAI bundle configs (JSON or YAML): ``_target_`` components, ``@ref`` references (the loss
reached through ``"loss_function": "@loss"`` is resolved), ``$expr`` expressions (never paths,
never evaluated), and ``key_metric`` / ``additional_metrics`` mappings."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from advisor.catalog import Catalog
from advisor.lint.model import ModelConfig
from advisor.lint.parse import parse_json, parse_yaml
from advisor.lint.tree import TreeWalker, check_top, finish

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
    model = ModelConfig(path=where, dialect=NAME, lines=text.splitlines(), framework="monai")
    walker = _BundleWalker(path, model, catalog)
    check_top(data, walker)
    walker.root = data
    walker.walk(data)
    return [finish(model)]


def _is_engine(value: Any) -> bool:
    """A MONAI engine (``SupervisedEvaluator``, ``SupervisedTrainer``): it holds the metrics
    and the loss, it is not one."""
    target = str(value.get("_target_", "")) if isinstance(value, dict) else ""
    return target.rsplit(".", 1)[-1].endswith(("Evaluator", "Trainer"))


class _BundleWalker(TreeWalker):
    def visit(self, node: dict, key: Any, value: Any, keys: tuple) -> None:
        if _is_engine(value):  # "evaluator": {"_target_": "SupervisedEvaluator", ...}
            self.walk(value, keys + (str(key),))
        elif isinstance(value, str) and value.startswith("@") and _is_engine(self.resolve(value)):
            return  # a ValidationHandler's "evaluator": "@evaluator", walked where it is defined
        else:
            super().visit(node, key, value, keys)
