"""The tool's own config: ``[tool.lossadvisor]`` in pyproject.toml, or lossadvisor.toml, with
named models under ``[tool.lossadvisor.models.NAME]``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from advisor.catalog import Catalog
from advisor.errors import InputError
from advisor.lint.locate import find_text, toml_key_positions
from advisor.lint.model import Located, ModelConfig
from advisor.lint.settings import collect_options, make_setting, relative
from advisor.toolconfig import read_tool_config

NAME = "lossadvisor"
SUMMARY = ("`data`, `target`, `task`, `framework`, `loss`, `loss_args`, `metrics`, `ignore`, "
           "`configs` (more files to lint), `thresholds`, and `[tool.lossadvisor.models.NAME]` "
           "tables with their own loss and metrics")
EXAMPLE = '[tool.lossadvisor] loss = "bce"  metrics = ["pr_auc"]'


def detect(path: Path, text: str) -> bool:
    return path.name in ("pyproject.toml", "lossadvisor.toml")


def read(path: Path, text: str, catalog: Catalog) -> list[ModelConfig]:
    config = read_tool_config(path, text)  # the same validation as for every other command
    if config is None:
        raise InputError("has no [tool.lossadvisor] table", str(path),
                         "add one, or name the config files to lint")
    data = config.section
    positions = toml_key_positions(text)
    prefix = ("tool", "lossadvisor") if path.name == "pyproject.toml" else ()
    lines = text.splitlines()

    def pos(*keys: str) -> tuple[int, int]:
        return positions.get(prefix + keys, (1, 1))

    base = _tool_model(path, data, pos, catalog, lines)
    base.ignore = config.ignore
    models = data.get("models") or {}
    if not isinstance(models, dict):
        raise InputError("'models' must be a table of named models", f"{path}:{pos('models')[0]}")
    out = []
    for name, section in models.items():
        if not isinstance(section, dict):
            raise InputError(f"model '{name}' must be a table", f"{path}:{pos('models')[0]}")
        model = _tool_model(path, section, lambda *k, n=name: pos("models", n, *k),
                            catalog, lines)
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
    catalog: Catalog,
    lines: list[str],
) -> ModelConfig:
    model = ModelConfig(path=str(path), dialect=NAME, lines=lines)
    framework = data.get("framework")
    model.framework = str(framework) if framework else None
    if "task" in data:
        model.task = Located(str(data["task"]), *pos("task"), "task")
    if "data" in data:
        model.data = Located(relative(path, str(data["data"])), *pos("data"), "data")
    if "target" in data:
        model.target = Located(str(data["target"]), *pos("target"), "target")
    if "loss" in data:
        line, col = pos("loss")
        model.loss = make_setting("loss", data["loss"], line, col, "loss", model.framework,
                                  catalog)
        args = data.get("loss_args") or {}
        if isinstance(args, dict):
            model.loss.args.update(args)
            collect_options(args, model, lambda k: pos("loss_args", k))
    metrics = data.get("metrics", [])
    if isinstance(metrics, str):
        metrics = [metrics]
    line, col = pos("metrics")
    for item in metrics:
        found = find_text(lines, line, f'"{item}"') or find_text(lines, line, f"'{item}'")
        m_line, m_col = found or (line, col)
        model.metrics.append(make_setting("metric", item, m_line, m_col, "metrics",
                                          model.framework, catalog))
    return model
