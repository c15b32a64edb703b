"""XGBoost CLI configuration files: ``key = value`` lines with quoted values, ``objective``,
``eval_metric`` (repeatable), ``scale_pos_weight``, ``num_class``, and ``data`` URIs such as
``"train.txt?format=libsvm"`` kept intact."""

from __future__ import annotations

import re
from pathlib import Path

from advisor.catalog import Catalog
from advisor.errors import InputError
from advisor.lint.datafile import DataSpec
from advisor.lint.model import Located, ModelConfig
from advisor.lint.settings import make_setting, relative

NAME = "xgboost"
SUMMARY = ("`objective`, every `eval_metric` line, `scale_pos_weight`, `num_class`, `data` "
           "(a URI kept intact: `file?format=libsvm` (the default; `qid:` groups), "
           "`?format=csv&label_column=0`; `<file>.group`, `.weight` beside it)")
EXAMPLE = 'objective = "binary:logistic"'
_PAIR = re.compile(r"^\s*([A-Za-z_][\w:\[\]]*)\s*=\s*(.*?)\s*$")
_SIGNS = ("num_round", "booster", "eval_train", "save_period", "eval[", "test:data",
          "model_in", "model_out")
_OPTIONS = {"scale_pos_weight": "scale_pos_weight", "num_class": "num_class"}


def detect(path: Path, text: str) -> bool:
    """``key = value`` lines with an XGBoost-only key or a ``kind:name`` objective."""
    if path.suffix.lower() in (".toml", ".yaml", ".yml", ".json", ".py"):
        return False
    for count, raw in enumerate(text.splitlines()):
        if count > 300:
            break
        match = _PAIR.match(raw[:1000].split("#", 1)[0])
        if not match:
            continue
        key, value = match.group(1).lower(), _unquote(match.group(2))
        if key.startswith(_SIGNS) or (key == "objective" and ":" in value):
            return True
    return False


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def read(path: Path, text: str, catalog: Catalog) -> list[ModelConfig]:
    lines = text.splitlines()
    model = ModelConfig(path=str(path), dialect=NAME, framework="xgboost", lines=lines)
    for number, raw in enumerate(lines, start=1):
        content = raw.split("#", 1)[0]
        if not content.strip():
            continue
        match = _PAIR.match(content)
        if not match:
            raise InputError(f"line {number} is not 'key = value'", f"{path}:{number}",
                             "XGBoost CLI configs hold one key = value per line")
        key, value = match.group(1), _unquote(match.group(2))
        col = raw.find(key) + 1
        value_col = raw.find(value, col) + 1 or col
        lowered = key.lower()
        if lowered == "objective" and model.loss is None:
            model.loss = make_setting("loss", value, number, value_col, key, "xgboost", catalog)
        elif lowered == "eval_metric":
            model.metrics.append(make_setting("metric", value, number, value_col, key,
                                              "xgboost", catalog))
        elif lowered in _OPTIONS:
            model.options[_OPTIONS[lowered]] = Located(value, number, col, key)
        elif lowered == "data" and model.data is None:
            _data(model, path, value, Located(value, number, col, key))
    return [model]


def _data(model: ModelConfig, path: Path, uri: str, found: Located) -> None:
    """The data URI, kept intact (resolved against the config's folder) for the report, and
    how XGBoost reads it: LIBSVM unless ``format=csv``; a CSV's label only from
    ``label_column`` (dmlc-core's default, -1, reads every label as 0)."""
    file, _, query = uri.partition("?")
    file, query = file.split("#", 1)[0], query.split("#", 1)[0]
    resolved = relative(path, file)
    model.data = Located(resolved + (f"?{query}" if query else ""), found.line, found.col,
                         found.key)
    params = dict(p.split("=", 1) for p in query.split("&") if "=" in p)
    fmt = params.get("format", "libsvm").lower()
    if "format" in params:
        model.options["data_format"] = Located(params["format"], found.line, found.col,
                                               found.key)
    label: int | None = 0
    if fmt == "csv":
        text = params.get("label_column", "")
        label = int(text) if text.isdigit() else None
    if label is not None:
        model.target = Located(f"#{label}", found.line, found.col, found.key)
    model.reading = DataSpec(path=resolved, cli=NAME, format=fmt if fmt == "csv" else "libsvm",
                             label=label, delimiter=params.get("delimiter"),
                             where=f"{model.path}:{found.line}")
    if Path(f"{resolved}.group").is_file():
        model.options["group_info"] = Located(True, found.line, found.col, found.key)
    if Path(f"{resolved}.weight").is_file():
        model.options["sample_weight"] = Located(f"{Path(resolved).name}.weight", found.line,
                                                 found.col, found.key)
