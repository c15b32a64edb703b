"""One reader per config dialect, each producing :class:`ModelConfig` with key positions.

Dialects: the tool's own ``[tool.lossadvisor]`` (pyproject.toml) or ``lossadvisor.toml``;
LightGBM ``key = value`` parameter files; and YAML / JSON / TOML trees (Hydra ``_target_``
mappings, Lightning CLI, Keras compile configs, XGBoost parameters and saved models, Ludwig),
where the loss and metrics are found by their key names anywhere in the tree. Paths inside a
config are relative to that config file.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from advisor.catalog import Catalog
from advisor.errors import InputError, did_you_mean
from advisor.lint.locate import find_text, toml_key_positions
from advisor.lint.model import Located, ModelConfig, Setting
from advisor.yamlio import MAX_BYTES, LineDict, LineList, load_yaml

LOSS_KEYS = ("loss", "loss_fn", "criterion", "objective", "loss_function", "loss_type")
METRIC_KEYS = ("metrics", "metric", "eval_metric", "eval_metrics", "custom_metric", "scoring",
               "validation_metric")
OPTION_KEYS = {
    "is_unbalance": "is_unbalance", "unbalance": "is_unbalance",
    "unbalanced_sets": "is_unbalance", "scale_pos_weight": "scale_pos_weight",
    "class_weight": "class_weight", "class_weights": "class_weight",
    "auto_class_weights": "class_weight", "pos_weight": "pos_weight",
    "positive_class_weight": "pos_weight", "from_logits": "from_logits",
    "final_activation": "final_activation", "output_activation": "final_activation",
    "last_activation": "final_activation", "num_class": "num_class",
    "num_classes": "num_class", "label_smoothing": "label_smoothing",
}
DATA_KEYS = ("data", "train_data", "data_path", "train_path", "train_file", "training_data",
             "dataset_path")
TARGET_KEYS = ("target", "label", "label_column", "target_column", "target_col", "label_col",
               "y_column")
TOOL_KEYS = {"data", "target", "task", "loss", "loss_args", "metrics", "ignore", "framework",
             "models", "configs", "thresholds"}
MODEL_KEYS = {"loss", "loss_args", "metrics", "framework", "task", "target", "data", "ignore"}
LUDWIG_TASKS = {"binary": "binary", "category": "multiclass", "number": "regression",
                "set": "multilabel", "vector": "regression"}
LUDWIG_DEFAULT_LOSS = {"binary": "binary_weighted_cross_entropy",
                       "category": "softmax_cross_entropy", "number": "mean_squared_error",
                       "set": "sigmoid_cross_entropy"}
CLASS_PREFIXES = {
    "torch": "pytorch", "torchvision": "pytorch", "nn": "pytorch", "keras": "keras",
    "tf": "keras", "tensorflow": "keras", "sklearn": "sklearn", "xgboost": "xgboost",
    "lightgbm": "lightgbm", "catboost": "catboost", "torchmetrics": "torchmetrics",
    "ludwig": "ludwig",
}
LIGHTGBM_ALIASES = {
    "objective": "objective", "objective_type": "objective", "app": "objective",
    "application": "objective", "loss": "objective",
    "metric": "metric", "metrics": "metric", "metric_types": "metric",
    "data": "data", "train": "data", "train_data": "data", "train_data_file": "data",
    "data_filename": "data", "label_column": "label_column", "label": "label_column",
    "header": "header", "has_header": "header", "is_unbalance": "is_unbalance",
    "unbalance": "is_unbalance", "unbalanced_sets": "is_unbalance",
    "scale_pos_weight": "scale_pos_weight", "num_class": "num_class", "num_classes": "num_class",
}


def read_config(path: Path, catalog: Catalog) -> list[ModelConfig]:
    """Read one config file in whatever dialect it is written."""
    if not path.exists():
        raise InputError("no such file", str(path), "check the path")
    if path.is_dir():
        raise InputError("is a directory, not a config file", str(path))
    if path.stat().st_size > MAX_BYTES:
        raise InputError(f"larger than {MAX_BYTES // (1024 * 1024)} MiB", str(path))
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror})", str(path)) from None
    where = str(path)
    suffix = path.suffix.lower()
    if path.name in ("pyproject.toml", "lossadvisor.toml"):
        return read_tool_config(path, text, catalog)
    if suffix in (".conf", ".cfg", ".txt", ".ini"):
        return [read_lightgbm(path, text, catalog)]
    if suffix == ".toml":
        data = _toml(text, where)
        positions = toml_key_positions(text)
        return [_read_tree(path, data, text, catalog, "toml", toml_positions=positions)]
    if suffix == ".json":
        data = _json(text, where)
        return [_read_tree(path, data, text, catalog, "json")]
    if suffix in (".yaml", ".yml"):
        data = load_yaml(text, where)
        return [_read_tree(path, data, text, catalog, "yaml")]
    raise InputError(
        f"unknown config format '{suffix or path.name}'", where,
        "lint reads .yaml/.yml, .json, .toml, and LightGBM .conf files",
    )


# -- the tool's own config -----------------------------------------------------------------
def read_tool_config(path: Path, text: str, catalog: Catalog) -> list[ModelConfig]:
    data = _toml(text, str(path))
    positions = toml_key_positions(text)
    prefix: tuple[str, ...] = ()
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("lossadvisor")
        prefix = ("tool", "lossadvisor")
        if not isinstance(data, dict):
            raise InputError("has no [tool.lossadvisor] table", str(path),
                             "add one, or name the config files to lint")
    lines = text.splitlines()

    def pos(*keys: str) -> tuple[int, int]:
        return positions.get(prefix + keys, (1, 1))

    _check_keys(data, TOOL_KEYS, str(path), pos)
    base = _tool_model(path, data, pos, (), catalog, lines)
    base.ignore = [str(r).upper() for r in data.get("ignore", [])]
    models = data.get("models") or {}
    if not isinstance(models, dict):
        raise InputError("'models' must be a table of named models", f"{path}:{pos('models')[0]}")
    out = []
    for name, section in models.items():
        if not isinstance(section, dict):
            raise InputError(f"model '{name}' must be a table", f"{path}:{pos('models')[0]}")
        _check_keys(section, MODEL_KEYS, str(path), lambda *k, n=name: pos("models", n, *k))
        model = _tool_model(path, section, lambda *k, n=name: pos("models", n, *k),
                            ("models", name), catalog, lines)
        model.name = str(name)
        model.data = model.data or base.data
        model.target = model.target or base.target
        model.task = model.task or base.task
        model.framework = model.framework or base.framework
        model.ignore = base.ignore + [str(r).upper() for r in section.get("ignore", [])]
        out.append(model)
    return out or [base]


def _tool_model(
    path: Path,
    data: dict[str, Any],
    pos: Callable[..., tuple[int, int]],
    keys: tuple[str, ...],
    catalog: Catalog,
    lines: list[str],
) -> ModelConfig:
    model = ModelConfig(path=str(path), dialect="lossadvisor", lines=lines)
    framework = data.get("framework")
    model.framework = str(framework) if framework else None
    if "task" in data:
        model.task = Located(str(data["task"]), *pos("task"), "task")
    if "data" in data:
        model.data = Located(_relative(path, str(data["data"])), *pos("data"), "data")
    if "target" in data:
        model.target = Located(str(data["target"]), *pos("target"), "target")
    if "loss" in data:
        line, col = pos("loss")
        model.loss = _setting("loss", data["loss"], line, col, "loss", model.framework, catalog)
        args = data.get("loss_args") or {}
        if isinstance(args, dict):
            model.loss.args.update(args)
            _collect_options(args, model, lambda k: pos("loss_args", k))
    metrics = data.get("metrics", [])
    if isinstance(metrics, str):
        metrics = [metrics]
    line, col = pos("metrics")
    for item in metrics:
        found = find_text(lines, line, f'"{item}"') or find_text(lines, line, f"'{item}'")
        m_line, m_col = found or (line, col)
        model.metrics.append(_setting("metric", item, m_line, m_col, "metrics", model.framework,
                                      catalog))
    return model


def _check_keys(data: dict, allowed: set[str], where: str, pos) -> None:
    for key in data:
        if key not in allowed:
            raise InputError(
                f"unknown key '{key}' in the lossadvisor config{did_you_mean(key, allowed)}",
                f"{where}:{pos(key)[0]}",
                f"allowed: {', '.join(sorted(allowed))}",
            )


# -- LightGBM parameter files --------------------------------------------------------------
def read_lightgbm(path: Path, text: str, catalog: Catalog) -> ModelConfig:
    """LightGBM's ``key = value`` files, with its parameter aliases."""
    lines = text.splitlines()
    model = ModelConfig(path=str(path), dialect="lightgbm", framework="lightgbm", lines=lines)
    values: dict[str, Located] = {}
    for number, raw in enumerate(lines, start=1):
        content = raw.split("#", 1)[0]
        if not content.strip():
            continue
        if "=" not in content:
            raise InputError(f"line {number} is not 'key = value'", f"{path}:{number}",
                             "LightGBM parameter files hold one key = value per line")
        key, value = (part.strip() for part in content.split("=", 1))
        canonical = LIGHTGBM_ALIASES.get(key.lower())
        col = raw.find(key) + 1
        if canonical:
            values.setdefault(canonical, Located(value, number, col, key))
    objective = values.get("objective")
    if objective:
        model.loss = _setting("loss", objective.value, objective.line, objective.col,
                              objective.key, "lightgbm", catalog)
    metric = values.get("metric")
    if metric:
        for name in (m.strip() for m in str(metric.value).split(",") if m.strip()):
            col = lines[metric.line - 1].find(name) + 1 or metric.col
            model.metrics.append(_setting("metric", name, metric.line, col, metric.key,
                                          "lightgbm", catalog))
    for option in ("is_unbalance", "scale_pos_weight", "num_class"):
        if option in values:
            model.options[option] = values[option]
    if "data" in values:
        found = values["data"]
        model.data = Located(_relative(path, found.value), found.line, found.col, found.key)
    header = values.get("header")
    label = values.get("label_column")
    has_header = header is not None and str(header.value).lower() in ("true", "1", "yes")
    if label is not None:
        text_value = str(label.value)
        if text_value.startswith("name:"):
            model.target = Located(text_value[5:], label.line, label.col, label.key)
        elif text_value.isdigit():
            model.target = Located(f"#{text_value}", label.line, label.col, label.key)
    elif model.data is not None:
        # LightGBM's default label is the first column.
        model.target = Located("#0", model.data.line, model.data.col, "label_column")
    if model.target is not None and model.target.value.startswith("#") and not has_header:
        model.options["no_header"] = Located(True, 1, 1, "header")
    return model


# -- YAML / JSON / TOML trees --------------------------------------------------------------
def _read_tree(path: Path, data: Any, text: str, catalog: Catalog, fmt: str,
               toml_positions: dict | None = None) -> ModelConfig:
    lines = text.splitlines()
    model = ModelConfig(path=str(path), dialect=fmt, lines=lines)
    walker = _TreeWalker(path, model, catalog, lines, toml_positions)
    if isinstance(data, dict) and isinstance(data.get("output_features"), list):
        walker.ludwig(data)
    elif isinstance(data, dict) and isinstance(data.get("learner"), dict):
        model.dialect = "xgboost-model"
        model.framework = "xgboost"
        walker.walk(data, ())
    else:
        walker.walk(data, ())
    if model.framework is None:
        frameworks = {s.framework for s in [model.loss, *model.metrics] if s and s.framework}
        if len(frameworks) == 1:
            model.framework = frameworks.pop()
    return model


class _TreeWalker:
    def __init__(self, path: Path, model: ModelConfig, catalog: Catalog, lines: list[str],
                 toml_positions: dict | None):
        self.path = path
        self.model = model
        self.catalog = catalog
        self.lines = lines
        self.toml = toml_positions

    def pos(self, node: Any, key: Any, keys: tuple) -> tuple[int, int]:
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

    def walk(self, node: Any, keys: tuple) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("compile"), dict) and self.model.framework is None:
                self.model.framework = "keras"  # model.compile(loss=..., metrics=...)
            for marker in ("_target_", "class_path"):
                if marker in node and self.model.framework is None:
                    self.model.framework = _framework_of_class(str(node[marker]))
            for key, value in node.items():
                lowered = str(key).lower()
                line, col = self.pos(node, key, keys)
                if lowered in LOSS_KEYS and self.model.loss is None and _is_setting(value):
                    self.model.loss = _setting("loss", value, line, col, str(key),
                                               self.hint(lowered, value), self.catalog)
                    if isinstance(value, dict):
                        self.walk(value, keys + (str(key),))
                elif lowered in METRIC_KEYS and _is_setting(value, allow_list=True):
                    self.metrics(str(key), value, (line, col))
                elif lowered in OPTION_KEYS and not isinstance(value, (dict, list)):
                    self.model.options.setdefault(OPTION_KEYS[lowered],
                                                  Located(value, line, col, str(key)))
                elif lowered in DATA_KEYS and isinstance(value, str) and self.model.data is None:
                    self.model.data = Located(_relative(self.path, value), line, col, str(key))
                elif lowered in DATA_KEYS and isinstance(value, dict) and self.model.data is None:
                    # data: {path: train.csv, target: label} (Hydra / Lightning data modules)
                    for inner in ("path", "train", "file", "train_path", "train_file", "csv"):
                        if isinstance(value.get(inner), str):
                            i_line, i_col = self.pos(value, inner, keys + (str(key),))
                            self.model.data = Located(_relative(self.path, value[inner]),
                                                      i_line, i_col, inner)
                            break
                    self.walk(value, keys + (str(key),))
                elif lowered in TARGET_KEYS and isinstance(value, str) and (
                        self.model.target is None):
                    self.model.target = Located(value, line, col, str(key))
                elif lowered == "task" and isinstance(value, str) and self.model.task is None:
                    self.model.task = Located(value, line, col, str(key))
                elif lowered == "layers" and isinstance(value, list):
                    self.keras_layers(value)
                    self.walk(value, keys + (str(key),))
                else:
                    self.walk(value, keys + (str(key),))
        elif isinstance(node, list):
            for item in node:
                self.walk(item, keys)

    def metrics(self, key: str, value: Any, start: tuple[int, int]) -> None:
        """A metric key's value: one name, a comma-separated string, or a list."""
        if isinstance(value, list):
            located = [(item, self.item_pos(value, i, start, item))
                       for i, item in enumerate(value)]
        elif isinstance(value, str) and "," in value:
            located = [(item, find_text(self.lines, start[0], item) or start)
                       for item in (v.strip() for v in value.split(",")) if item]
        else:
            located = [(value, start)]
        for item, (line, col) in located:
            self.model.metrics.append(_setting("metric", item, line, col, key,
                                               self.hint(key.lower(), item), self.catalog))

    def hint(self, key: str, value: Any) -> str | None:
        """The framework a setting belongs to, from the dialect, key names and spelling."""
        if self.model.framework in ("xgboost", "lightgbm", "ludwig"):
            return self.model.framework
        name = _setting_name(value)
        if name and "." in name and not name[0].isdigit():
            guessed = _framework_of_class(name)
            if guessed:
                return guessed
        if key in ("objective", "eval_metric") and name and ":" in name:
            return "xgboost"
        if key == "loss_function":
            return "catboost"
        if key in ("criterion", "loss_fn"):
            return "pytorch"
        return self.model.framework

    def keras_layers(self, layers: list) -> None:
        """The activation of the last layer of a serialized Keras model."""
        for layer in reversed(layers):
            config = layer.get("config") if isinstance(layer, dict) else None
            if isinstance(config, dict) and "activation" in config:
                line, col = self.pos(config, "activation", ())
                self.model.options.setdefault(
                    "final_activation", Located(config["activation"], line, col, "activation"))
                return

    def ludwig(self, data: dict) -> None:
        self.model.dialect = "ludwig"
        self.model.framework = "ludwig"
        outputs = data["output_features"]
        if not outputs or not isinstance(outputs[0], dict):
            return
        feature = outputs[0]
        line, col = self.pos(feature, "name", ())
        if "name" in feature:
            self.model.target = Located(str(feature["name"]), line, col, "name")
        kind = str(feature.get("type", ""))
        if kind in LUDWIG_TASKS:
            t_line, t_col = self.pos(feature, "type", ())
            self.model.task = Located(LUDWIG_TASKS[kind], t_line, t_col, "type")
        loss = feature.get("loss")
        if isinstance(loss, dict) and "type" in loss:
            l_line, l_col = self.pos(loss, "type", ())
            self.model.loss = _setting("loss", loss, l_line, l_col, "loss", "ludwig",
                                       self.catalog)
            _collect_options(loss, self.model, lambda k, n=loss: self.pos(n, k, ()))
        elif kind in LUDWIG_DEFAULT_LOSS:
            self.model.loss = _setting("loss", LUDWIG_DEFAULT_LOSS[kind], t_line, t_col, "type",
                                       "ludwig", self.catalog)
        self.walk({k: v for k, v in data.items() if k != "output_features"}, ())
        for key in ("validation_metric",):
            if key in feature:
                m_line, m_col = self.pos(feature, key, ())
                self.model.metrics.append(_setting("metric", feature[key], m_line, m_col, key,
                                                   "ludwig", self.catalog))


def _is_setting(value: Any, allow_list: bool = False) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, dict):
        return any(k in value for k in ("_target_", "class_path", "class_name", "type", "name"))
    if allow_list and isinstance(value, list):
        return all(_is_setting(v) for v in value) and bool(value)
    return False


def _setting_name(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dict):
        for key in ("_target_", "class_path", "class_name", "type", "name"):
            if isinstance(value.get(key), str):
                return value[key]
    return None


def _setting(kind: str, value: Any, line: int, col: int, key: str, framework: str | None,
             catalog: Catalog) -> Setting:
    name = _setting_name(value) or str(value)
    args: dict[str, Any] = {}
    if isinstance(value, dict):
        # Keras serializes arguments under "config", Lightning CLI under "init_args".
        config = value
        for nested in ("config", "init_args"):
            if isinstance(value.get(nested), dict):
                config = value[nested]
        args = {str(k): v for k, v in config.items()
                if k not in ("_target_", "class_path", "class_name", "type", "name", "module",
                             "registered_name")}
    if framework is None and "." in name:
        framework = _framework_of_class(name)
    if framework is None:
        # A spelling only one framework uses names it ('categorical_crossentropy' is Keras).
        candidates = catalog.frameworks_of(kind, name) - {"torchmetrics"}
        if len(candidates) == 1:
            framework = candidates.pop()
    canonical = catalog.lookup(kind, name, framework)
    if canonical is None and framework is not None:
        canonical = catalog.lookup(kind, name)
    if kind == "loss" and canonical and _weighted(args):
        canonical = catalog.weighted_variant(canonical, name) or canonical
    return Setting(name, line, col, key, canonical, args, framework)


def _weighted(args: dict[str, Any]) -> bool:
    for key in ("pos_weight", "weight", "class_weight", "class_weights",
                "positive_class_weight"):
        if args.get(key) not in (None, "", False):
            return True
    return False


def _collect_options(args: dict, model: ModelConfig, pos) -> None:
    for key, value in args.items():
        option = OPTION_KEYS.get(str(key).lower())
        if option and not isinstance(value, (dict, list)):
            model.options.setdefault(option, Located(value, *pos(key), str(key)))


def _framework_of_class(name: str) -> str | None:
    head = name.split(".", 1)[0].lower()
    return CLASS_PREFIXES.get(head)


def _relative(config: Path, value: str) -> str:
    path = Path(value).expanduser()
    return str(path if path.is_absolute() else (config.parent / path))


def _toml(text: str, where: str) -> dict:
    try:
        import tomllib  # type: ignore[import-not-found]
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"invalid TOML: {exc}", where) from None


def _json(text: str, where: str) -> Any:
    """JSON through the YAML loader (positions); plain json where YAML 1.1 disagrees."""
    try:
        return load_yaml(text, where)
    except InputError:
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"invalid JSON: {exc.msg}", f"{where}:{exc.lineno}") from None
