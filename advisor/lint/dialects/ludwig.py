"""Ludwig model configs: ``output_features`` (name, type, loss and its class weights) and the
trainer's settings."""

from __future__ import annotations

import re
from pathlib import Path

from advisor.catalog import Catalog
from advisor.lint.model import Located, ModelConfig
from advisor.lint.parse import parse_json, parse_yaml
from advisor.lint.settings import collect_options, make_setting
from advisor.lint.tree import TreeWalker, check_top, finish

NAME = "ludwig"
SUMMARY = "`output_features` (name, type, loss and its class weights), `validation_metric`"
EXAMPLE = "output_features: [{name: is_fraud, type: binary, loss: {type: focal}}]"
LUDWIG_TASKS = {"binary": "binary", "category": "multiclass", "number": "regression",
                "set": "multilabel", "vector": "regression", "timeseries": "regression",
                "image": "segmentation"}
LUDWIG_DEFAULT_LOSS = {"binary": "binary_weighted_cross_entropy",
                       "category": "softmax_cross_entropy", "number": "mean_squared_error",
                       "set": "sigmoid_cross_entropy", "vector": "mean_squared_error",
                       "timeseries": "huber", "image": "softmax_cross_entropy"}
"""Each output feature type's loss when the config names none (ludwig/schema/features/
*_feature.py, ``loss: BaseLossConfig = LossDataclassField(default=...)``); an image output
feature is a segmentation mask (decoder ``unet``), a timeseries one a forecast horizon."""
_MARK = re.compile(r"^\s*\"?output_features\"?\s*:", re.MULTILINE)


def detect(path: Path, text: str) -> bool:
    return bool(_MARK.search(text))


def read(path: Path, text: str, catalog: Catalog) -> list[ModelConfig]:
    where = str(path)
    data = parse_json(text, where) if text.lstrip()[:1] == "{" else parse_yaml(text, where)
    model = ModelConfig(path=where, dialect=NAME, framework="ludwig", lines=text.splitlines())
    walker = TreeWalker(path, model, catalog)
    check_top(data, walker)
    walker.root = data
    outputs = data.get("output_features")
    features = [f for f in outputs if isinstance(f, dict)] if isinstance(outputs, list) else []
    shared = {k: v for k, v in data.items() if k != "output_features"}
    if not features:
        walker.walk(data)
        return [finish(model)]
    models = []
    for feature in features:
        models.append(_feature_model(path, text, feature, shared, catalog, len(features) > 1))
    return models


def _feature_model(path: Path, text: str, feature: dict, shared: dict, catalog: Catalog,
                   named: bool) -> ModelConfig:
    """One output feature: its own target, task, loss and validation metric. A hyperopt
    ``metric: validation.combined.loss`` names a logged value and is not read as a metric."""
    model = ModelConfig(path=str(path), dialect=NAME, framework="ludwig", lines=text.splitlines())
    walker = TreeWalker(path, model, catalog)
    line, col = walker.pos(feature, "name")
    if "name" in feature:
        model.target = Located(str(feature["name"]), line, col, "name")
        if named:
            model.name = str(feature["name"])
    kind = str(feature.get("type", ""))
    t_line, t_col = walker.pos(feature, "type")
    if kind in LUDWIG_TASKS:
        model.task = Located(LUDWIG_TASKS[kind], t_line, t_col, "type")
    loss = feature.get("loss")
    if isinstance(loss, dict) and "type" in loss:
        l_line, l_col = walker.pos(loss, "type")
        model.loss = make_setting("loss", loss, l_line, l_col, "loss", "ludwig", catalog)
        collect_options(loss, model, lambda k, n=loss: walker.pos(n, k))
    elif kind in LUDWIG_DEFAULT_LOSS:
        model.loss = make_setting("loss", LUDWIG_DEFAULT_LOSS[kind], t_line, t_col, "type",
                                  "ludwig", catalog)
    walker.walk(shared)
    if "validation_metric" in feature:
        m_line, m_col = walker.pos(feature, "validation_metric")
        model.metrics.append(make_setting("metric", feature["validation_metric"], m_line, m_col,
                                          "validation_metric", "ludwig", catalog))
    return finish(model)
