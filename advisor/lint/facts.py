"""Every fact a lint rule may read, each declared once: its name, its meaning, what it needs and
the function that computes it.

A rule runs only when what its facts need is at hand (the data profile, or a task from the data
or the config) and is reported as skipped otherwise: silence must never look like a clean bill
of health. Declaring the need beside the computation keeps that gate, the rule validator
(unknown fact names), the documentation and the values from drifting apart.

Kept free of numpy and pandas: the rule validator reads the declarations at start-up.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from advisor.catalog import Catalog, normalize_name
from advisor.conditions import referenced_facts
from advisor.errors import InputError, closest, did_you_mean
from advisor.frameworks import knowledge
from advisor.vocabulary import ALL_TASKS, FACTS, STATISTICS

if TYPE_CHECKING:  # the rule validator imports this module at start-up; the readers are lint's
    from advisor.lint.model import ModelConfig

NEEDS = ("data", "task")
"""What a fact can need: the data profile (``--data`` or a data file the config names), or a
task (from the data or a task key in the config)."""


@dataclass(frozen=True)
class Fact:
    name: str
    doc: str
    needs: str | None
    """'data', 'task' or None (the config alone)."""
    compute: Callable[[Inputs], Any] | None
    """None: the data profile fills it (advisor/profile.py ``Profile.facts``)."""


REGISTRY: dict[str, Fact] = {}
"""Every lint fact by name, in declaration order."""


def fact(name: str, doc: str, needs: str | None = None) -> Callable[[Callable], Callable]:
    """Declare a fact computed by the decorated function from :class:`Inputs`."""
    def register(compute: Callable[[Inputs], Any]) -> Callable[[Inputs], Any]:
        _declare(Fact(name, doc, needs, compute))
        return compute
    return register


def _declare(entry: Fact) -> None:
    if entry.needs not in (None, *NEEDS):
        raise ValueError(f"fact '{entry.name}' needs '{entry.needs}', not one of {NEEDS}")
    if entry.name in REGISTRY:
        raise ValueError(f"fact '{entry.name}' is declared twice")
    REGISTRY[entry.name] = entry


# The data profile's facts: computed by the profiler, declared with their meaning in
# advisor/vocabulary.py; here they are only gated.
for _name, _doc in {**STATISTICS, "traits": FACTS["traits"],
                    "has_data": FACTS["has_data"]}.items():
    _declare(Fact(_name, _doc, "data", None))


class Inputs:
    """What lint facts are computed from: one model config, the catalog and, when there is
    data, its profile. Values several facts share are computed once."""

    def __init__(self, model: ModelConfig, catalog: Catalog,
                 profile: dict[str, Any] | None = None):
        self.model = model
        self.catalog = catalog
        self.profile = profile

    @cached_property
    def task(self) -> str | None:
        """The data's task, else the task the config sets; an unknown task is bad input."""
        if self.profile is not None:
            return self.profile.get("task")
        written = self.model.task
        if written is None:
            return None
        task = str(written.value)
        if task not in ALL_TASKS:
            raise InputError(f"unknown task '{task}'{did_you_mean(task, ALL_TASKS)}",
                             f"{self.model.path}:{written.line}")
        return task

    @cached_property
    def entry(self) -> Any:
        """The catalog entry of the configured loss, if the catalog knows it."""
        loss = self.model.loss
        return self.catalog.losses.get(loss.canonical) if loss and loss.canonical else None

    @cached_property
    def known(self) -> list[Any]:
        """The configured metrics the catalog knows."""
        return [m for m in self.model.metrics if m.canonical]

    def option(self, key: str) -> Any:
        setting = self.model.options.get(key)
        return setting.value if setting is not None else None

    @cached_property
    def unknown(self) -> tuple[list[str], list[str], list[str]]:
        """Names the catalog does not know, sorted: near-misses of a known spelling (with
        their hints) and bare names. A dotted path outside every known framework is the
        project's own loss or metric and is left out."""
        from advisor.lint.settings import framework_of_class

        near: list[str] = []
        hints: list[str] = []
        bare: list[str] = []
        settings = [("loss", s) for s in [self.model.loss, *self.model.losses] if s is not None]
        settings += [("metric", m) for m in self.model.metrics]
        for kind, setting in settings:
            name = setting.name
            if setting.canonical or name in near or name in bare:
                continue
            if "." in name.strip(".") and framework_of_class(name) is None:
                continue  # src.modules.losses.MyLoss: the project's own
            known = knowledge().is_unmodeled(name)  # a framework's own name: not a typo
            hint = closest(name, self.catalog.known_spellings(kind)) if len(name) <= 60 and \
                not known else None
            if hint:
                near.append(name)
                hints.append(f"'{hint}'")
            else:
                bare.append(name)
        return near[:MAX_NAMED], hints[:MAX_NAMED], bare[:MAX_NAMED]


MAX_NAMED = 10
"""Most unknown names one finding lists."""
WEIGHT_OPTIONS = ("class_weight", "pos_weight", "is_unbalance")
"""Options that weight classes whenever set (scale_pos_weight only when it is not 1)."""


def compute(model: ModelConfig, catalog: Catalog,
            profile: dict[str, Any] | None = None) -> dict[str, Any]:
    """Every fact of one model config: the profile's (when there is data) and the config's."""
    inputs = Inputs(model, catalog, profile)
    _read_by_task(model, catalog, inputs.task)
    facts: dict[str, Any] = dict(profile or {})
    facts.setdefault("traits", set())
    for entry in REGISTRY.values():
        if entry.compute is not None:
            facts[entry.name] = entry.compute(inputs)
    return facts


def _read_by_task(model: ModelConfig, catalog: Catalog, task: str | None) -> None:
    """A spelling several frameworks use for different things, in a config that names no
    framework, means the one that fits the task: a bare 'cross_entropy' on multiclass data is
    categorical (fairseq, torch.nn.functional), not LightGBM's binary xentropy."""
    if task is None:
        return
    settings = [("loss", model.loss)] if model.loss else []
    settings += [("metric", m) for m in model.metrics]
    for kind, setting in settings:
        if not setting.meanings or not setting.canonical:
            continue
        if task in catalog.get(kind, setting.canonical).tasks:
            continue
        fitting = [m for m in setting.meanings if task in catalog.get(kind, m).tasks]
        if fitting:
            setting.canonical = fitting[0]


def requirements(condition: dict[str, Any]) -> set[str]:
    """What a rule condition cannot be judged without: 'data' and/or 'task'."""
    return {REGISTRY[name].needs for name in referenced_facts(condition)
            if name in REGISTRY and REGISTRY[name].needs}


def requirements_of(name: str) -> str | None:
    """What one fact needs: 'data', 'task' or None."""
    return REGISTRY[name].needs


def config_facts() -> dict[str, str]:
    """Name and meaning of each fact computed from the config (with the data when present)."""
    return {name: f.doc for name, f in REGISTRY.items() if f.compute is not None}


# -- the task --------------------------------------------------------------------------------

@fact("task", FACTS["task"] + " For lint: the data's task, else the task the config sets.",
      needs="task")
def _task(i: Inputs) -> str | None:
    return i.task


# -- the loss --------------------------------------------------------------------------------

@fact("framework", "The framework the config dialect implies (keras, lightgbm, xgboost, ...).")
def _framework(i: Inputs) -> str | None:
    return i.model.framework


@fact("loss", "Canonical id of the configured loss (null when none is configured).")
def _loss(i: Inputs) -> str | None:
    return i.model.loss.canonical if i.model.loss else None


@fact("loss_name", "The loss as written in the config.")
def _loss_name(i: Inputs) -> str | None:
    return i.model.loss.name if i.model.loss else None


@fact("loss_class", "The configured loss name, normalized (lowercase, no torch.nn./keras. "
      "prefix).")
def _loss_class(i: Inputs) -> str | None:
    return normalize_name(i.model.loss.name) if i.model.loss else None


@fact("loss_args", "Names of the arguments given to the loss (pos_weight, weight, ...).")
def _loss_args(i: Inputs) -> list[str]:
    return sorted(i.model.loss.args) if i.model.loss else []


@fact("loss_reduction", "The loss's reduction argument, if configured.")
def _loss_reduction(i: Inputs) -> Any:
    return i.model.loss.args.get("reduction") if i.model.loss else None


@fact("loss_tasks", "Tasks the configured loss fits (from the catalog).")
def _loss_tasks(i: Inputs) -> list[str] | None:
    return list(i.entry.tasks) if i.entry else None


@fact("loss_estimates", "What the configured loss estimates (mean, median, quantile, ...).")
def _loss_estimates(i: Inputs) -> str | None:
    return i.entry.estimates if i.entry else None


@fact("loss_fits_task", "Whether the task is among the configured loss's tasks (null if "
      "unknown).", needs="task")
def _loss_fits_task(i: Inputs) -> bool | None:
    return i.task in i.entry.tasks if i.entry and i.task else None


# -- the metrics -----------------------------------------------------------------------------

@fact("metrics", "Canonical ids of the configured metrics.")
def _metrics(i: Inputs) -> list[str]:
    return [m.canonical for m in i.known]


@fact("metric_names", "The metrics as written in the config.")
def _metric_names(i: Inputs) -> list[str]:
    return [m.name for m in i.model.metrics]


@fact("metric_tasks", "Tasks that every configured metric fits (from the catalog).")
def _metric_tasks(i: Inputs) -> list[str] | None:
    if not i.known:
        return None
    return sorted(set.intersection(*(set(i.catalog.metrics[m.canonical].tasks)
                                     for m in i.known)))


@fact("metric_estimates", "What each configured metric estimates.")
def _metric_estimates(i: Inputs) -> list[str]:
    return [i.catalog.metrics[m.canonical].estimates for m in i.known]


@fact("unfit_metrics", "Configured metrics whose tasks do not include the task.", needs="task")
def _unfit_metrics(i: Inputs) -> list[str] | None:
    if not i.task:
        return None
    return [m.canonical for m in i.known if i.task not in i.catalog.metrics[m.canonical].tasks]


@fact("metric_loss_mismatch", "Configured metrics that share no task with any configured loss.")
def _metric_loss_mismatch(i: Inputs) -> list[str] | None:
    if not i.entry:
        return None
    # A metric fits when it fits any of the model's losses: PaddleClas retrieval configs train
    # CELoss beside TripletLossV2 and evaluate Recallk.
    losses = [s for s in [i.model.loss, *i.model.losses] if s and s.canonical in i.catalog.losses]
    tasks = {t for s in losses for t in i.catalog.losses[s.canonical].tasks}
    return [m.canonical for m in i.known if not set(i.catalog.metrics[m.canonical].tasks) & tasks]


# -- names the catalog does not know ---------------------------------------------------------

@fact("unknown_loss", "A configured loss name the catalog does not know.")
def _unknown_loss(i: Inputs) -> str | None:
    loss = i.model.loss
    return loss.name if loss and not loss.canonical else None


@fact("unknown_metrics", "Configured metric names the catalog does not know.")
def _unknown_metrics(i: Inputs) -> list[str] | None:
    return [m.name for m in i.model.metrics if not m.canonical] or None


@fact("unknown_names", "Configured loss or metric names the catalog does not know that are "
      "close to a known spelling (likely typos).")
def _unknown_names(i: Inputs) -> list[str] | None:
    return i.unknown[0] or None


@fact("unknown_hint", "Did-you-mean suggestions for the unknown names.")
def _unknown_hint(i: Inputs) -> str:
    hints = i.unknown[1]
    return f"; did you mean {', '.join(hints)}?" if hints else ""


@fact("unrecognized_names", "Bare loss or metric names the catalog does not know and that are "
      "close to no known spelling (dotted paths into the project's own package are left out).")
def _unrecognized_names(i: Inputs) -> list[str] | None:
    return i.unknown[2] or None


# -- weighting, activations, offsets ---------------------------------------------------------

@fact("is_unbalance", "LightGBM is_unbalance is set true.")
def _is_unbalance(i: Inputs) -> bool:
    return _truthy(i.option("is_unbalance")) if "is_unbalance" in i.model.options else False


@fact("scale_pos_weight", "A scale_pos_weight other than 1 is set.")
def _scale_pos_weight(i: Inputs) -> bool:
    return "scale_pos_weight" in i.model.options and _number(
        i.option("scale_pos_weight")) not in (None, 1.0)


@fact("class_weighting", "True when the config weights classes (pos_weight, class_weight, "
      "scale_pos_weight, is_unbalance, auto_class_weights, a weighted loss, ...).")
def _class_weighting(i: Inputs) -> bool:
    options = i.model.options
    return bool(i.entry and i.entry.weighted) or any(
        _set(options[k].value) for k in WEIGHT_OPTIONS if k in options) or _scale_pos_weight(i)


@fact("from_logits", "Keras from_logits as configured (true/false; null when not given).")
def _from_logits(i: Inputs) -> bool | None:
    return _truthy(i.option("from_logits")) if "from_logits" in i.model.options else None


@fact("final_activation", "The model's final activation if the config names one.")
def _final_activation(i: Inputs) -> str | None:
    activation = i.option("final_activation")
    return str(activation).lower() if activation is not None else None


@fact("offset_or_weight", "The config sets an offset (init_score, base_margin, baseline, a "
      "LightGBM <data>.init file) or sample weights (weight_column, a <data>.weight file).")
def _offset_or_weight(i: Inputs) -> bool:
    return "offset" in i.model.options or "sample_weight" in i.model.options


@fact("group_info", "Whether a ranking config gives its query groups (LightGBM group_column or "
      "a <data>.query file, XGBoost qid: rows or a <file>.group file, a CatBoost GroupId "
      "column description), as the data reader found them; null when it cannot be told.")
def _group_info(i: Inputs) -> Any:
    return i.option("group_info")


# -- class counts ----------------------------------------------------------------------------

@fact("num_class", "num_class / num_classes as configured.")
def _num_class(i: Inputs) -> float | None:
    return _number(i.option("num_class"))


@fact("metric_num_classes", "Class counts written into the metrics' arguments (num_classes=).")
def _metric_num_classes(i: Inputs) -> list[int] | None:
    return _metric_class_counts(i) or None


@fact("multiclass_metrics", "Configured metrics that assume more than two classes "
      "(multi_logloss, merror, task: multiclass).")
def _multiclass_metrics(i: Inputs) -> list[str] | None:
    return [m.name for m in i.model.metrics
            if m.name.lower() in knowledge().multiclass_metrics
            or str(m.args.get("task", "")).lower() == "multiclass"] or None


@fact("class_count_conflict", "How the class counts of the metrics, the model and the data "
      "disagree (null when they agree or are not written).")
def _class_count_conflict(i: Inputs) -> str | None:
    counts = _metric_class_counts(i)
    head = _num_class(i)
    if head is not None and any(c != head for c in counts):
        return f"{counts} in the metric arguments, {int(head)} in the model"
    if len(counts) > 1:
        return f"{counts} across the metrics"
    profile = i.profile or {}
    data_classes = profile.get("n_classes") if i.task in ("binary", "multiclass") else None
    written = [*counts, *([int(head)] if head else [])]
    if data_classes and any(n != data_classes for n in written if n > 1):
        return f"{sorted(set(written))} in the config, {data_classes} in the data"
    return None


def _metric_class_counts(i: Inputs) -> list[int]:
    return sorted({int(n) for m in i.model.metrics
                   for n in [_number(m.args.get("num_classes", m.args.get("num_class")))]
                   if n is not None})


# -- reading config values -------------------------------------------------------------------

def _truthy(value: Any) -> bool:
    return str(value).strip().lower() in ("true", "1", "yes", "on")


def _set(value: Any) -> bool:
    return value not in (None, "", False, "false", "False", "none", "None") and (
        not isinstance(value, str) or value.lower() not in ("false", "none"))


def _number(value: Any) -> float | None:
    """A finite number written in a config, or None: 'inf' or 1e400 as a class count is no count
    (and int() of it would raise)."""
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None

