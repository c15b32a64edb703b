"""PaddleClas configs: ``Loss: {Train: [{CELoss: {weight: 1.0}}], Eval: [...]}`` and
``Metric: {Train: [{TopkAcc: {topk: [1, 5]}}]}``, each entry keyed by its class name; the
class count from ``Arch.class_num``."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from advisor.catalog import Catalog
from advisor.lint.model import Located, ModelConfig
from advisor.lint.parse import parse_yaml
from advisor.lint.settings import make_setting
from advisor.lint.tree import TreeWalker, check_top, finish

NAME = "paddleclas"
SUMMARY = "`Loss.Train` entries (`CELoss`, ...), `Metric.Train`/`Eval` entries, `Arch.class_num`"
EXAMPLE = "Loss: {Train: [{CELoss: {weight: 1.0}}]}"
_MARK = re.compile(r"^Loss:\s*$", re.MULTILINE)
_ARCH = re.compile(r"^(Arch|Global):\s*$", re.MULTILINE)


def detect(path: Path, text: str) -> bool:
    return bool(_MARK.search(text) and _ARCH.search(text))


def read(path: Path, text: str, catalog: Catalog) -> list[ModelConfig]:
    data = parse_yaml(text, str(path), tags=True)
    model = ModelConfig(path=str(path), dialect=NAME, framework="paddle",
                        lines=text.splitlines())
    walker = TreeWalker(path, model, catalog)
    check_top(data, walker)
    for kind, section in (("loss", data.get("Loss")), ("metric", data.get("Metric"))):
        entries = section.get("Train") if isinstance(section, dict) else None
        if kind == "metric" and isinstance(section, dict):
            entries = section.get("Eval") or entries
        for name, args, (line, col) in _entries(entries, walker):
            setting = make_setting(kind, {"type": name, **args}, line, col, name, "paddle",
                                   catalog)
            if kind == "loss":
                walker.add_loss(setting)
            else:
                model.metrics.append(setting)
    arch = data.get("Arch")
    if isinstance(arch, dict) and "class_num" in arch:
        model.options["num_class"] = Located(arch["class_num"], *walker.pos(arch, "class_num"),
                                             "class_num")
    return [finish(model)]


def _entries(entries: Any, walker: TreeWalker):
    """``[{Name: {args}}, ...]`` as (name, args, position)."""
    if not isinstance(entries, list):
        return
    for item in entries:
        if isinstance(item, dict) and len(item) == 1:
            name, args = next(iter(item.items()))
            yield str(name), args if isinstance(args, dict) else {}, walker.pos(item, name)
