"""Find the loss, metrics, data, target and options in a parsed YAML / JSON / TOML tree.

Keys are recognized by name anywhere in the tree (``rules/frameworks.yaml`` lists them), so one
walker serves Hydra, Lightning CLI, Keras compile configs, XGBoost parameter files and the
tree-shaped parts of more specific dialects. Positions come from the YAML loader's
:class:`LineDict`, from TOML key positions, or from the text for plain JSON.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from advisor.catalog import Catalog
from advisor.errors import InputError
from advisor.frameworks import knowledge
from advisor.lint.locate import find_text, split_items
from advisor.lint.model import Located, ModelConfig
from advisor.lint.settings import (
    framework_of_class,
    is_setting,
    make_setting,
    relative,
    setting_name,
)
from advisor.lint.source import MAX_ITEMS
from advisor.yamlio import LineDict, LineList

DATA_INNER = ("path", "train", "file", "train_path", "train_file", "csv")
"""Keys of a data mapping that hold the training file (Hydra / Lightning data modules)."""


def finish(model: ModelConfig) -> ModelConfig:
    """Name the framework when every recognized setting agrees on one."""
    if model.framework is None:
        frameworks = {s.framework for s in [model.loss, *model.metrics] if s and s.framework}
        if len(frameworks) == 1:
            model.framework = frameworks.pop()
    return model


class TreeWalker:
    def __init__(self, path: Path, model: ModelConfig, catalog: Catalog,
                 toml_positions: dict | None = None):
        self.path = path
        self.model = model
        self.catalog = catalog
        self.lines = model.lines
        self.toml = toml_positions
        known = knowledge()
        self.loss_keys = known.keys["loss"]
        self.metric_keys = known.keys["metric"]
        self.data_keys = known.keys["data"]
        self.target_keys = known.keys["target"]
        self.options = known.options

    def pos(self, node: Any, key: Any, keys: tuple = ()) -> tuple[int, int]:
        if isinstance(node, LineDict):
            return node.pos(key)
        if self.toml is not None:
            return self.toml.get(keys + (str(key),), (1, 1))
        found = find_text(self.lines, 1, f'"{key}"')
        return found or (1, 1)

    def item_pos(self, node: Any, index: int, start: tuple[int, int], value: Any
                 ) -> tuple[int, int]:
        if isinstance(node, LineList):
            return node.pos(index)
        if isinstance(value, str):
            found = find_text(self.lines, start[0], f'"{value}"')
            if found:
                return found
        return start

    def walk(self, node: Any, keys: tuple = ()) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("compile"), dict) and self.model.framework is None:
                self.model.framework = "keras"  # model.compile(loss=..., metrics=...)
            for marker in ("_target_", "class_path"):
                if marker in node and self.model.framework is None:
                    self.model.framework = framework_of_class(str(node[marker]))
            for key, value in node.items():
                self.visit(node, key, value, keys)
        elif isinstance(node, list):
            for item in node:
                self.walk(item, keys)

    def visit(self, node: dict, key: Any, value: Any, keys: tuple) -> None:
        lowered = str(key).lower()
        line, col = self.pos(node, key, keys)
        model = self.model
        if lowered in self.loss_keys or lowered in self.metric_keys:
            self.check_value(lowered in self.loss_keys, str(key), value, line)
        if lowered in self.loss_keys and model.loss is None and is_setting(value):
            model.loss = make_setting("loss", value, line, col, str(key),
                                      self.hint(lowered, value), self.catalog)
            if isinstance(value, dict):
                self.walk(value, keys + (str(key),))
        elif lowered in self.metric_keys and is_setting(value, allow_list=True):
            self.metrics(str(key), value, (line, col))
        elif lowered in self.metric_keys and isinstance(value, dict):
            self.metric_mapping(str(key), value, keys + (str(key),))
        elif lowered in self.options and not isinstance(value, (dict, list)):
            model.options.setdefault(self.options[lowered], Located(value, line, col, str(key)))
        elif lowered in self.data_keys and isinstance(value, str) and model.data is None:
            model.data = Located(relative(self.path, value), line, col, str(key))
        elif lowered in self.data_keys and isinstance(value, dict) and model.data is None:
            for inner in DATA_INNER:
                if isinstance(value.get(inner), str):
                    i_line, i_col = self.pos(value, inner, keys + (str(key),))
                    model.data = Located(relative(self.path, value[inner]), i_line, i_col, inner)
                    break
            self.walk(value, keys + (str(key),))
        elif lowered in self.target_keys and isinstance(value, str) and model.target is None:
            model.target = Located(value, line, col, str(key))
        elif lowered == "task" and isinstance(value, str) and model.task is None:
            model.task = Located(value, line, col, str(key))
        elif lowered == "layers" and isinstance(value, list):
            self.keras_layers(value)
            self.walk(value, keys + (str(key),))
        else:
            self.walk(value, keys + (str(key),))

    def check_value(self, is_loss: bool, key: str, value: Any, line: int) -> None:
        """A loss or metric key whose value cannot name one is a mistake, not 'nothing'."""
        kind = "loss" if is_loss else "metric"
        wrong = None
        if (value is None and is_loss) or isinstance(value, (bool, int, float)):
            wrong = "null" if value is None else f"the {type(value).__name__} {value!r}"
        elif is_loss and value in ([], {}):
            wrong = "empty"
        elif not is_loss and isinstance(value, dict) and value and not any(
                isinstance(v, (str, list, dict)) for v in value.values()):
            wrong = "a mapping of numbers"
        if wrong:
            raise InputError(
                f"'{key}' is {wrong}; it should name a {kind}", f"{self.model.path}:{line}",
                f"write a {kind} name, a class mapping (_target_/type: ...) or a list of them")

    def metric_mapping(self, key: str, value: dict, keys: tuple) -> None:
        """Metrics keyed by a label: ``{main: {_target_: ...}}``, ``{image: [...]}``."""
        for label, item in value.items():
            if is_setting(item, allow_list=True):
                self.metrics(key, item, self.pos(value, label, keys))
            else:
                self.walk(item, keys + (str(label),))

    def metrics(self, key: str, value: Any, start: tuple[int, int]) -> None:
        """A metric key's value: one name, a comma-separated string, or a list."""
        if isinstance(value, list):
            located = [(item, self.item_pos(value, i, start, item))
                       for i, item in enumerate(value[:MAX_ITEMS])]
        elif isinstance(value, str) and "," in value:
            located = split_items(self.lines, start, value, MAX_ITEMS)
        else:
            located = [(value, start)]
        for item, (line, col) in located:
            self.model.metrics.append(make_setting("metric", item, line, col, key,
                                                   self.hint(key.lower(), item), self.catalog))

    def hint(self, key: str, value: Any) -> str | None:
        """The framework a setting belongs to, from the dialect, key names and spelling."""
        if self.model.framework in ("xgboost", "lightgbm", "ludwig"):
            return self.model.framework
        name = setting_name(value)
        if name and "." in name and not name[0].isdigit():
            guessed = framework_of_class(name)
            if guessed:
                return guessed
        if key in ("objective", "eval_metric") and name and ":" in name:
            return "xgboost"
        return knowledge().of_key(key) or self.model.framework

    def keras_layers(self, layers: list) -> None:
        """The activation of the last layer of a serialized Keras model."""
        for layer in reversed(layers):
            config = layer.get("config") if isinstance(layer, dict) else None
            if isinstance(config, dict) and "activation" in config:
                line, col = self.pos(config, "activation")
                self.model.options.setdefault(
                    "final_activation", Located(config["activation"], line, col, "activation"))
                return


def read_tree(path: Path, data: Any, text: str, catalog: Catalog, dialect: str,
              toml_positions: dict | None = None) -> ModelConfig:
    """One model from a parsed tree, every loss/metric key found by name."""
    model = ModelConfig(path=str(path), dialect=dialect, lines=text.splitlines())
    walker = TreeWalker(path, model, catalog, toml_positions)
    check_top(data, walker)
    if isinstance(data, dict) and isinstance(data.get("learner"), dict):
        model.dialect = "xgboost-model"
        model.framework = "xgboost"
    walker.walk(data)
    return finish(model)


def check_top(data: Any, walker: TreeWalker) -> None:
    """A config is a mapping of names; anything else is refused with where it went wrong."""
    where = walker.model.path
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else "empty" if data is None else "a scalar"
        raise InputError(f"the top level is {kind}, not a mapping of settings", f"{where}:1",
                         "a config maps names (loss, metrics, ...) to values")
    for key in data:
        if not isinstance(key, str):
            line = walker.pos(data, key)[0]
            raise InputError(f"key {key!r} is not a name", f"{where}:{line}",
                             "config keys are names such as loss or metrics")
