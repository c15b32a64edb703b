"""PaddleSeg and PaddleDetection YAML configs: ``_base_`` (PaddleSeg) and ``_BASE_``
(PaddleDetection) inheritance resolved relative to the file, then the tree read with Paddle's
spelling (``loss: {types: [{type: MixedLoss, losses: [...]}]}``, ``loss_class: {name: ...}``,
``metric: COCO``)."""

from __future__ import annotations

import re
from pathlib import Path

from advisor.catalog import Catalog
from advisor.lint.inherit import resolve
from advisor.lint.model import ModelConfig
from advisor.lint.parse import parse_yaml
from advisor.lint.tree import read_tree

NAME = "paddleseg"
SUMMARY = ("PaddleSeg `loss.types` (with `MixedLoss` parts) and PaddleDetection `loss_*: {name: "
           "...}` / `metric: COCO`, after merging the `_base_` / `_BASE_` files they inherit")
EXAMPLE = "_base_: '../_base_/cityscapes.yml'  loss: {types: [{type: CrossEntropyLoss}]}"
_MARK = re.compile(
    r"^(_base_:|_BASE_:\s*(\[|$)|architecture:\s*\w|loss:\s*\n\s+types:)", re.MULTILINE)


def detect(path: Path, text: str) -> bool:
    return path.suffix.lower() in (".yml", ".yaml") and bool(_MARK.search(text[:200_000]))


def read(path: Path, text: str, catalog: Catalog) -> list[ModelConfig]:
    notes: list[str] = []
    data = resolve(path, parse_yaml(text, str(path), tags=True), notes)
    model = read_tree(path, data, text, catalog, NAME, framework="paddle")
    model.notes.extend(notes)
    return [model]
