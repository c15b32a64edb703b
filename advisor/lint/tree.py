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
from advisor.lint.model import Located, ModelConfig, Setting
from advisor.lint.settings import (
    framework_of_class,
    is_reference,
    is_setting,
    make_setting,
    relative,
    setting_name,
    tag_target,
)
from advisor.lint.source import MAX_ITEMS
from advisor.vocabulary import ALL_TASKS
from advisor.yamlio import LineDict, LineList, Tagged

DATA_SUFFIXES = (".csv", ".tsv", ".tab", ".parquet", ".pq", ".feather", ".arrow", ".jsonl",
                 ".ndjson", ".svm", ".libsvm", ".gz", ".bz2", ".xz", ".zst", ".zip")
"""Extensions that make a data key's value a training file even before it exists."""


def is_data_path(config: Path, value: Any) -> bool:
    """A data key's value is a path only when it looks like one: it exists next to the
    config, or has a data-file extension. Hydra defaults (``data: mnist``), ``???``,
    interpolations, references and expressions are not paths."""
    if not isinstance(value, str) or not value.strip() or is_reference(value):
        return False
    if Path(value).suffix.lower() in DATA_SUFFIXES:
        return True
    try:
        return (config.parent / value).is_file()
    except (OSError, ValueError):
        return False


def _unwrapped(value: Any) -> Any:
    """A wrapper given the loss (SpeechBrain's ``LogSoftmaxWrapper`` with ``loss_fn:
    !new:...AdditiveAngularMargin``) stands for the loss it wraps."""
    if isinstance(value, Tagged) and isinstance(value.value, dict) and isinstance(
            value.value.get("loss_fn"), Tagged):
        return value.value["loss_fn"]
    return value


def _names_loss(target: str) -> bool:
    last = target.rsplit(".", 1)[-1].lower()
    return ".losses." in target or last.endswith("loss") or last.endswith("_cost")

CLASS_KEYS = ("_target_", "class_path", "class_name", "_name")
"""Keys that make a mapping the arguments of a class (Hydra, Lightning, Keras, fairseq)."""

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
        self.loss_types = known.keys["loss_type"]
        self.loss_params = known.loss_params
        self.root: Any = None
        self.skip: set[int] = set()
        """Nodes that are other models' sections (:func:`read_models`): not this model's."""
        self.target_keys = known.keys["target"]
        self.logged_sections = known.logged_sections
        self.task_keys = known.keys["task"]
        self.task_sections = known.keys["task_sections"]
        self.options = known.options

    def pos(self, node: Any, key: Any, keys: tuple = ()) -> tuple[int, int]:
        if isinstance(node, LineDict):
            return node.pos(key)
        if self.toml is not None:
            return self.toml.get(keys + (str(key),), (1, 1))
        for needle in (f'"{key}"', f"{key}=", f"{key} =", f"'{key}'"):
            found = find_text(self.lines, 1, needle)
            if found:
                return found
        return (1, 1)

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
        if id(node) in self.skip:
            return
        if isinstance(node, Tagged):
            self.tagged(node, keys)
            return
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
        if lowered in self.metric_keys and keys and keys[-1].lower() in self.logged_sections:
            return  # early_stopping: {metric: pixel_AUROC} watches a logged series
        line, col = self.pos(node, key, keys)
        model = self.model
        if lowered in self.loss_keys or lowered in self.metric_keys:
            self.check_value(lowered in self.loss_keys, str(key), value, line)
            value = _unwrapped(value)
        if isinstance(value, str) and value.startswith("@") and (
                lowered in self.loss_keys or lowered in self.metric_keys):
            value = self.resolve(value)  # MONAI: "loss_function": "@loss"
        if lowered in self.loss_keys and isinstance(value, dict) and isinstance(
                value.get("types"), list):
            for entry in value["types"]:  # PaddleSeg: loss: {types: [{type: ...}], coef: [...]}
                # MixedLoss combines the losses it lists (paddleseg/models/losses/mixed_loss.py)
                parts = entry.get("losses") if isinstance(entry, dict) and isinstance(
                    entry.get("losses"), list) else [entry]
                for item in parts:
                    if is_setting(item):
                        i_line, i_col = item.pos("type") if isinstance(item, LineDict) else (
                            line, col)
                        self.add_loss(make_setting("loss", item, i_line, i_col, str(key),
                                                   self.hint(lowered, item), self.catalog))
        elif lowered in self.loss_keys and is_setting(value):
            self.add_loss(make_setting("loss", value, line, col, str(key),
                                       self.hint(lowered, value), self.catalog))
            if isinstance(value, dict):
                self.walk(value, keys + (str(key),))
        elif lowered in self.loss_types and isinstance(value, str) and value.strip():
            self.add_loss(make_setting("loss", value, line, col, str(key),
                                       self.hint(lowered, value), self.catalog))
        elif lowered in self.loss_params and not isinstance(value, (dict, list)):
            self.add_loss(make_setting("loss", self.loss_params[lowered], line, col, str(key),
                                       None, self.catalog))
        elif lowered in self.metric_keys and is_setting(value, allow_list=True):
            self.metrics(str(key), value, (line, col))
        elif lowered in self.metric_keys and isinstance(value, dict):
            self.metric_mapping(str(key), value, keys + (str(key),))
        elif lowered in self.options and not isinstance(value, (dict, list)) and not (
                is_reference(value)):
            model.options.setdefault(self.options[lowered], Located(value, line, col, str(key)))
        elif lowered in self.data_keys and is_data_path(self.path, value) and model.data is None:
            model.data = Located(relative(self.path, value), line, col, str(key))
        elif lowered in self.data_keys and isinstance(value, dict) and model.data is None:
            for inner in DATA_INNER:
                if is_data_path(self.path, value.get(inner)):
                    i_line, i_col = self.pos(value, inner, keys + (str(key),))
                    model.data = Located(relative(self.path, value[inner]), i_line, i_col, inner)
                    break
            self.walk(value, keys + (str(key),))
        elif lowered in self.target_keys and isinstance(value, str) and model.target is None \
                and not is_reference(value):
            model.target = Located(value, line, col, str(key))
        elif lowered in self.task_keys and isinstance(value, str) and value in ALL_TASKS \
                and self.sets_task(node, keys):
            # Only a known training task; 'task: graph' or a fairseq task name is not one.
            if model.task is None:
                model.task = Located(value, line, col, str(key))
        elif lowered == "layers" and isinstance(value, list):
            self.keras_layers(value)
            self.walk(value, keys + (str(key),))
        else:
            self.walk(value, keys + (str(key),))

    def sets_task(self, node: dict, keys: tuple) -> bool:
        """Whether a ``task`` key in ``node`` (at key path ``keys``) sets the training task:
        at the top level or in a training section, and not as an argument of a class the
        mapping configures (a metric's ``task: multiclass``, a callback's)."""
        where = keys[-1].lower() if keys else None
        if where is not None and where not in self.task_sections:
            return False
        return not any(isinstance(node.get(k), str) for k in CLASS_KEYS)

    def add_loss(self, setting: Setting) -> None:
        """The first loss is the model's; later ones (a box loss) are kept beside it."""
        if self.model.loss is None:
            self.model.loss = setting
        elif all((setting.name, setting.args) != (s.name, s.args)
                 for s in [self.model.loss, *self.model.losses]):
            self.model.losses.append(setting)

    def tagged(self, node: Tagged, keys: tuple) -> None:
        """A HyperPyYAML object: a loss function from a losses module counts as the loss."""
        target = tag_target(node)
        if target and _names_loss(target) and _unwrapped(node) is node:
            line, col = getattr(node.value, "line", 0), getattr(node.value, "col", 0)
            if not line:
                found = find_text(self.lines, 1, target)
                line, col = found or (1, 1)
            self.add_loss(make_setting("loss", node, line, col, node.tag,
                                       framework_of_class(target), self.catalog))
        self.walk(node.value, keys)

    def resolve(self, reference: str) -> Any:
        """A MONAI ``@a#b`` reference's target in this file, or the reference itself."""
        node: Any = self.root
        for part in reference[1:].split("#"):
            if not isinstance(node, dict) or part not in node:
                return reference
            node = node[part]
        return node

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
        """A metric key's value: one name, a comma-separated string, or a list. Names of
        logged series ('validation.combined.loss') are not metrics to check."""
        if isinstance(value, str) and knowledge().is_logged(value.strip()):
            return
        if isinstance(value, list):
            located = [(item, self.item_pos(value, i, start, item))
                       for i, item in enumerate(value[:MAX_ITEMS])]
        elif isinstance(value, str) and "," in value:
            located = split_items(self.lines, start, value, MAX_ITEMS)
        else:
            located = [(value, start)]
        for item, (line, col) in located:
            if is_reference(item) or (isinstance(item, str) and knowledge().is_logged(item)):
                continue
            setting = make_setting("metric", item, line, col, key, self.hint(key.lower(), item),
                                   self.catalog)
            if setting.args and any((setting.name, setting.args) == (m.name, m.args)
                                    for m in self.model.metrics):
                continue  # test_evaluator = val_evaluator: one metric, named twice
            self.model.metrics.append(setting)

    def hint(self, key: str, value: Any) -> str | None:
        """The framework a setting belongs to, from the dialect, key names and spelling."""
        if self.model.framework in ("xgboost", "lightgbm", "ludwig", "fairseq"):
            return self.model.framework
        if isinstance(value, dict) and "_name" in value:
            return "fairseq"  # fairseq's dataclass configs name components with _name
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
              toml_positions: dict | None = None, framework: str | None = None) -> ModelConfig:
    """One model from a parsed tree, every loss/metric key found by name."""
    model = ModelConfig(path=str(path), dialect=dialect, lines=text.splitlines(),
                        framework=framework or _fairseq(data))
    walker = TreeWalker(path, model, catalog, toml_positions)
    check_top(data, walker)
    walker.root = data
    if isinstance(data, dict) and isinstance(data.get("learner"), dict):
        model.dialect = "xgboost-model"
        model.framework = "xgboost"
    walker.walk(data)
    return finish(model)


def _fairseq(data: Any) -> str | None:
    """fairseq's dataclass configs name their components with ``_name`` (``task: {_name:
    masked_lm}``); in such a file a bare ``criterion: masked_lm`` is fairseq's, not PyTorch's."""
    sections = data.values() if isinstance(data, dict) else ()
    return "fairseq" if any(isinstance(v, dict) and isinstance(v.get("_name"), str)
                            for v in sections) else None


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


def read_models(path: Path, data: Any, text: str, catalog: Catalog, dialect: str,
                toml_positions: dict | None = None) -> list[ModelConfig]:
    """Every model a tree holds. Sibling sections that each configure their own loss
    (``models: [...]``, ``{lightgbm: {...}, xgboost: {...}}``, the task heads of a multi-task
    model) are separate models: each is read from its own section plus the settings outside
    every model section (shared data, target, metrics), so one model's metric is never joined
    to another's loss."""
    model = ModelConfig(path=str(path), dialect=dialect, lines=text.splitlines())
    check_top(data, TreeWalker(path, model, catalog, toml_positions))
    sections, hidden = model_sections(data)
    if len(sections) < 2:
        return [read_tree(path, data, text, catalog, dialect, toml_positions)]
    others = {id(node) for _, node, _keys in sections} | hidden
    models = []
    for name, node, keys in sections:
        model = ModelConfig(path=str(path), dialect=dialect, name=name, lines=text.splitlines())
        walker = TreeWalker(path, model, catalog, toml_positions)
        walker.root = data
        walker.skip = others - {id(node)}
        walker.walk(node, keys)  # the section's own settings first: they win over shared ones
        walker.skip = others
        walker.walk(data)
        models.append(finish(model))
    return models


def model_sections(data: Any) -> tuple[list[tuple[str, Any, tuple]], set[int]]:
    """The sections of a tree that are models of their own, named by their path below the
    point where the tree splits (``glue.glue_sst2``); empty when the tree is one model.

    The search follows the one branch that holds a loss until two or more siblings each hold
    their own; parts of one model (``rpn_head``/``roi_head``, detectron2's ``RPN`` beside
    ``ROI_BOX_HEAD``) and the values of loss or metric keys never count as models.

    Also returns the ids of sections that are neither shared nor a model: the siblings of the
    models inside a container below the top level (``models: {rf: {...}}``, a multi-task
    model's head without a loss), which belong to no one else."""
    hidden: set[int] = set()
    return _split(data, None, (), {}, 0, hidden), hidden


def _split(node: Any, name: str | None, keys: tuple, memo: dict[int, bool],
           depth: int, hidden: set[int]) -> list[tuple[str, Any, tuple]]:
    """Sections below ``node`` (at key path ``keys``) that are models: (name, node, path)."""
    if depth > MAX_SPLIT_DEPTH:
        return []
    children = [c for c in _children(node, name, keys) if _holds_loss(c[1], memo)]
    if len(children) == 1:
        _name, child, _part, path = children[0]
        # one branch holds the loss(es): look further down it, keeping the names short
        return _split(child, name, path, memo, depth + 1, hidden)
    if len(children) < 2 or any(part for _name, _child, part, _path in children):
        return []  # no loss, or the losses of one model's parts (RPN and box head)
    if depth:
        hidden.update(id(c[1]) for c in _children(node, name, keys))
    found: list[tuple[str, Any, tuple]] = []
    for child_name, child, _part, path in children:
        inner = _split(child, child_name, path, memo, depth + 1, hidden)
        found.extend(inner if len(inner) > 1 else [(child_name, child, path)])
    return found


MAX_SPLIT_DEPTH = 32
"""Deeper than any real config nests its models."""


def _children(node: Any, name: str | None, keys: tuple
              ) -> list[tuple[str, Any, bool, tuple]]:
    """(name, section, whether it is a part of one model, key path) of a mapping's or list's
    sub-trees; a list item's path ends in its 1-based number (TOML ``[[models]]`` positions
    are recorded that way)."""
    known = knowledge()
    settings = {*known.keys["loss"], *known.keys["metric"], *known.keys["loss_type"]}
    prefix = f"{name}." if name else ""
    if isinstance(node, dict):
        # A tagged value is one object (SpeechBrain's `ctc_cost: !name:...ctc_loss` beside
        # `seq_cost: !name:...kldiv_loss` are two costs of one model), never a section.
        return [(prefix + str(k), v, known.is_model_part(str(k)), keys + (str(k),))
                for k, v in node.items()
                if isinstance(v, (dict, list)) and str(k).lower() not in settings]
    if isinstance(node, list):
        out = []
        for index, item in enumerate(node):
            if not isinstance(item, dict):
                continue
            label = next((str(item[k]) for k in ("name", "model", "id")
                          if isinstance(item.get(k), str) and item[k].strip()), None)
            key = keys[-1] if keys else ""
            out.append((prefix + (label or f"{key}[{index}]"), item, False,
                        keys + (str(index + 1),)))
        return out
    return []


def _holds_loss(node: Any, memo: dict[int, bool]) -> bool:
    """Whether a sub-tree configures a loss of its own (memoized: each node is looked at
    once, however deep the search goes)."""
    if id(node) in memo:
        return memo[id(node)]
    memo[id(node)] = False  # a node that reaches itself again holds nothing new
    known = knowledge()
    found = False
    if isinstance(node, Tagged):
        target = tag_target(node)
        found = bool(target and _names_loss(target)) or _holds_loss(node.value, memo)
    elif isinstance(node, dict):
        for key, value in node.items():
            lowered = str(key).lower()
            if (lowered in known.keys["loss"] and (is_setting(value) or (
                    isinstance(value, dict) and isinstance(value.get("types"), list)))) or (
                    lowered in known.keys["loss_type"] and isinstance(value, str)) or (
                    lowered in known.loss_params):
                found = True
            elif isinstance(value, (dict, list, Tagged)):
                found = _holds_loss(value, memo)
            if found:
                break
    elif isinstance(node, list):
        found = any(_holds_loss(item, memo) for item in node[:MAX_ITEMS])
    memo[id(node)] = found
    return found


def read_documents(path: Path, documents: list[Any], text: str, catalog: Catalog,
                   dialect: str) -> list[ModelConfig]:
    """The models of a YAML stream: each ``---`` document is read on its own (and split
    further by :func:`read_models`); documents that name no loss or metric, such as a
    metadata header, are left out with a note once another document is understood."""
    present = [(number, doc) for number, doc in enumerate(documents, 1) if doc is not None]
    if len(present) <= 1:
        return read_models(path, present[0][1] if present else None, text, catalog, dialect)
    models: list[ModelConfig] = []
    for number, doc in present:
        for model in read_models(path, doc, text, catalog, dialect):
            model.name = f"document {number}" + (f".{model.name}" if model.name else "")
            models.append(model)
    understood = [m for m in models if not m.empty()]
    if understood and len(understood) < len(models):
        left_out = ", ".join(str(m.name) for m in models if m.empty())
        understood[0].notes.append(f"{left_out}: no loss or metric named; left out")
        return understood
    return models
