"""The normalized form every config dialect is read into, with the position of each key."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Located:
    """A configured value and where it is written (1-based line and column)."""

    value: Any
    line: int
    col: int
    key: str


@dataclass
class Setting:
    """A loss or a metric as configured: the spelling, its canonical id, its arguments."""

    name: str
    line: int
    col: int
    key: str
    canonical: str | None = None
    args: dict[str, Any] = field(default_factory=dict)
    framework: str | None = None
    meanings: tuple[str, ...] = ()
    """Ids the spelling names in different frameworks when the config does not say which
    (the data's task picks among them, advisor/lint/facts.py)."""


@dataclass
class ModelConfig:
    """One model's training setup, whatever file format it came from."""

    path: str
    dialect: str
    name: str | None = None
    framework: str | None = None
    task: Located | None = None
    loss: Setting | None = None
    metrics: list[Setting] = field(default_factory=list)
    data: Located | None = None
    target: Located | None = None
    options: dict[str, Located] = field(default_factory=dict)
    ignore: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    losses: list[Setting] = field(default_factory=list)
    """Further losses of the same model (a detector's box loss beside its class loss)."""
    notes: list[str] = field(default_factory=list)
    """What the reader skipped or could not follow, for the report."""
    reading: Any = None
    """How a CLI reads ``data`` (advisor.lint.datafile.DataSpec: LightGBM/XGBoost text files
    without a header, LibSVM); None: a table with a header, read by advisor.io."""

    @property
    def label(self) -> str:
        return f"{self.path} [{self.name}]" if self.name else self.path

    def empty(self) -> bool:
        return self.loss is None and not self.metrics and not self.losses
