"""Where the built-in knowledge lives: ``rules/`` shipped inside the package as advisor.rules."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def builtin_rules_dir() -> Path:
    """The folder of built-in rule files and the catalog, in a wheel or a source checkout."""
    return Path(str(resources.files("advisor.rules")))
