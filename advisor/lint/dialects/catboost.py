"""CatBoost parameter files (the JSON of ``catboost fit --params-file``): ``loss_function``,
``eval_metric``, ``custom_metric``, ``auto_class_weights``, ``class_weights``."""

from __future__ import annotations

import re
from pathlib import Path

from advisor.catalog import Catalog
from advisor.lint.datafile import catboost_groups
from advisor.lint.model import Located, ModelConfig
from advisor.lint.parse import parse_json
from advisor.lint.source import STDIN
from advisor.lint.tree import TreeWalker, check_top, finish

NAME = "catboost"
SUMMARY = ("`loss_function`, `eval_metric`, `custom_metric` (string or list), "
           "`auto_class_weights`, `class_weights`; a `GroupId` column in the `*.cd` column "
           "description beside it")
EXAMPLE = '{"loss_function": "Logloss", "custom_metric": ["AUC", "PRAUC"]}'
_MARK = re.compile(r'"(loss_function|custom_metric|custom_loss|auto_class_weights)"\s*:')


def detect(path: Path, text: str) -> bool:
    return text.lstrip()[:1] == "{" and bool(_MARK.search(text[:100_000]))


def read(path: Path, text: str, catalog: Catalog) -> list[ModelConfig]:
    data = parse_json(text, str(path))
    model = ModelConfig(path=str(path), dialect=NAME, framework="catboost",
                        lines=text.splitlines())
    walker = TreeWalker(path, model, catalog)
    check_top(data, walker)
    walker.root = data
    walker.walk(data)
    described = catboost_groups(path.parent) if str(path) != STDIN else None
    if described is not None:
        # the --cd column description beside the params: a GroupId column gives the groups
        model.options["group_info"] = Located(described[0], 1, 1, described[1])
    return [finish(model)]
