"""What lint understood of each config, as plain data for every output format.

A file in which no loss or metric was recognized is "not understood": silence must never pass
for a clean bill of health, so every format says so, and ``--strict`` fails the run on it.
"""

from __future__ import annotations

import math
from typing import Any

from advisor.lint.model import Located, ModelConfig, Setting


def _setting(setting: Setting) -> dict[str, Any]:
    return {
        "name": setting.name,
        "id": setting.canonical,
        "framework": setting.framework,
        "args": {k: _plain(v) for k, v in sorted(setting.args.items())},
        "line": setting.line,
    }


def _located(found: Located | None) -> Any:
    return _plain(found.value) if found is not None else None


def _plain(value: Any) -> Any:
    """Config values as JSON can hold them (tagged or odd values, and inf/nan, which JSON
    cannot hold, as their text)."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return str(value)


def understood(model: ModelConfig) -> dict[str, Any]:
    """One model's entry of the JSON ``configs`` list."""
    return {
        "path": model.path,
        "model": model.name,
        "dialect": model.dialect,
        "framework": model.framework,
        "understood": not model.empty() or model.dialect == "lossadvisor",
        "task": _located(model.task),
        "loss": _setting(model.loss) if model.loss else None,
        "losses": [_setting(s) for s in model.losses],
        "metrics": [_setting(m) for m in model.metrics],
        "data": _located(model.data),
        "target": _located(model.target),
        "options": {k: _plain(v.value) for k, v in sorted(model.options.items())},
        "notes": list(model.notes),
    }
