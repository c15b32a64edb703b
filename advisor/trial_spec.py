"""Which losses a trial can fit, and how: the catalog's ``trial`` section, checked.

The mapping from a catalog loss to a scikit-learn estimator is data (``rules/catalog.yaml``,
section ``trial``). This module validates it and turns a ranked list of losses into candidates:
the ones that can be fitted, the naive default, and the ones that cannot, each with a reason.
scikit-learn is imported only when an estimator is built.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from advisor.errors import InputError
from advisor.resources import builtin_rules_dir

_LOSS_KEYS = {"estimator", "loss", "loss_class", "power", "quantile", "class_weight", "target",
              "weight", "delta", "hessian", "fallback", "score", "same_as"}
SCORES = ("mse", "mae", "pinball", "rmsle", "mape", "poisson_deviance", "gamma_deviance",
          "tweedie_deviance", "pr_auc", "log_loss", "log_loss_prior_corrected")
"""Scoring functions the trial computes (advisor/trial_stats.py)."""
HIGHER_IS_BETTER = frozenset({"pr_auc"})
SCORE_NAMES = {
    "mse": "squared error", "mae": "absolute error", "pinball": "pinball loss",
    "rmsle": "RMSLE", "mape": "MAPE", "poisson_deviance": "Poisson deviance",
    "gamma_deviance": "Gamma deviance", "tweedie_deviance": "Tweedie deviance",
    "pr_auc": "PR-AUC", "log_loss": "log loss",
    "log_loss_prior_corrected": "log loss (prior-corrected)",
}


@dataclass(frozen=True)
class LossSpec:
    """How one catalog loss is fitted with HistGradientBoosting."""

    id: str
    estimator: str  # regressor | classifier
    score: str
    loss: str | None = None
    loss_class: str | None = None
    power: float | None = None
    quantile: float | None = None
    class_weight: str | None = None
    target: str | None = None
    weight: str | None = None
    delta: str | None = None
    hessian: str | None = None  # "unit": Newton steps with hessian 1, as LightGBM fits Huber
    fallback: str | None = None


@dataclass(frozen=True)
class TrialSpec:
    hyperparameters: dict[str, Any]
    naive: dict[str, str]
    alternatives: dict[str, tuple[str, ...]]
    task_score: dict[str, str]
    secondary: dict[str, tuple[str, ...]]
    fallback_score: str
    losses: dict[str, LossSpec]
    same_as: dict[str, str]
    not_trialable: dict[str, str]


@dataclass
class Candidates:
    """The losses a trial fits (first = the top pick), and those it cannot, with reasons."""

    fit: list[LossSpec] = field(default_factory=list)
    naive: str = ""
    not_trialable: list[dict[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def load_trial_spec() -> TrialSpec:
    """The ``trial`` section of the built-in catalog; a malformed section is an input error."""
    return _load(str(builtin_rules_dir() / "catalog.yaml"))


@lru_cache(maxsize=2)
def _load(path: str) -> TrialSpec:
    from pathlib import Path

    from advisor.cache import read_rule_data
    from advisor.catalog import load_catalog

    data, _ = read_rule_data(Path(path))
    section = data.get("trial") if isinstance(data, dict) else None
    if not isinstance(section, dict):
        raise InputError("the catalog has no 'trial' section", path)
    catalog = load_catalog()
    problems: list[str] = []
    losses: dict[str, LossSpec] = {}
    same_as: dict[str, str] = {}
    for loss_id, raw in (section.get("losses") or {}).items():
        if not catalog.has("loss", loss_id):
            problems.append(f"trial loss '{loss_id}' is not a catalog loss")
            continue
        if not isinstance(raw, dict) or set(raw) - _LOSS_KEYS:
            problems.append(f"trial loss '{loss_id}' takes {sorted(_LOSS_KEYS)}")
            continue
        if "same_as" in raw:
            same_as[loss_id] = str(raw["same_as"])
            continue
        if raw.get("hessian") not in (None, "unit"):
            problems.append(f"trial loss '{loss_id}': hessian can only be 'unit'")
            continue
        if raw.get("score") not in SCORES:
            problems.append(f"trial loss '{loss_id}': score must be one of {SCORES}")
            continue
        losses[loss_id] = LossSpec(id=loss_id, **raw)
    for item in losses.values():
        problem = _inconsistent(item, catalog)
        if problem:
            problems.append(problem)
    for loss_id, target in same_as.items():
        if target not in losses:
            problems.append(f"trial loss '{loss_id}': same_as '{target}' is not trialable")
    naive = {str(k): str(v) for k, v in (section.get("naive") or {}).items()}
    for task, loss_id in naive.items():
        if loss_id not in losses:
            problems.append(f"trial naive default for {task} ('{loss_id}') is not trialable")
    for task, ids in (section.get("alternatives") or {}).items():
        problems += [f"trial alternative '{x}' for {task} is not trialable" for x in ids
                     if x not in losses]
    secondary = {str(k): tuple(v) for k, v in (section.get("secondary") or {}).items()}
    for key, values in secondary.items():
        for value in (key, *values):
            if value not in SCORES:
                problems.append(f"trial secondary score '{value}' is unknown")
    if problems:
        raise InputError("; ".join(problems), path)
    return TrialSpec(
        hyperparameters=dict(section.get("hyperparameters") or {}),
        naive=naive,
        alternatives={str(k): tuple(str(x) for x in v)
                      for k, v in (section.get("alternatives") or {}).items()},
        task_score={str(k): str(v) for k, v in (section.get("task_score") or {}).items()},
        secondary=secondary,
        fallback_score=str(section.get("fallback_score", "mse")),
        losses=losses,
        same_as=same_as,
        not_trialable={str(k): str(v) for k, v in (section.get("not_trialable") or {}).items()},
    )


PRIOR_CORRECTED = ("probability", "probability_reweighted")
"""Log loss after undoing the class weights is strictly consistent for both: a strictly
consistent score composed with a bijection of the prediction stays strictly consistent for the
mapped functional (for an unweighted model the correction is the identity)."""


def score_functional(score: str, estimates: str) -> str:
    """What a trial score measures, in the catalog's functionals, for a loss estimating
    ``estimates``."""
    from advisor.catalog import load_catalog

    if score == "log_loss_prior_corrected":
        return estimates if estimates in PRIOR_CORRECTED else "probability"
    return load_catalog().get("metric", score).estimates


def departure(loss_id: str, score: str) -> str | None:
    """The catalog's stated reason when ``score`` is not strictly consistent for what the loss
    estimates (Huber's robust centre judged by squared error), else None."""
    from advisor.catalog import load_catalog

    catalog = load_catalog()
    estimates = catalog.get("loss", loss_id).estimates
    functional = catalog.functionals.get(estimates)
    measured = score_functional(score, estimates)
    if functional is None or measured == estimates or measured in functional.scored_by:
        return None
    return " ".join(functional.departs.get(measured, "").split()) or None


def _inconsistent(item: LossSpec, catalog: Any) -> str | None:
    """A trial score must be consistent for what its loss estimates, or a stated departure."""
    estimates = catalog.get("loss", item.id).estimates
    functional = catalog.functionals.get(estimates)
    measured = score_functional(item.score, estimates)
    if functional is None or measured == estimates or measured in functional.scored_by \
            or measured in functional.departs:
        return None
    return (f"trial loss '{item.id}' estimates {estimates} but its score '{item.score}' "
            f"measures {measured}, neither consistent nor a stated departure")


def choose_candidates(ranked: list[str], task: str, spec: TrialSpec, top: int = 3,
                      asked: list[str] | None = None) -> Candidates:
    """The top pick first, then its rivals, then the naive default (once).

    ``ranked`` is the rules' loss ranking; ``asked`` (``--losses``) replaces it and is taken in
    the order given. Losses that cannot be fitted are listed with the reason, not dropped
    silently; a loss whose scikit-learn class is missing is replaced by its stated fallback.
    """
    out = Candidates(naive=spec.naive.get(task, ""))
    if task not in spec.naive:
        raise InputError(f"the trial cannot fit a {task} target", None,
                         "trial supports " + ", ".join(spec.naive) + " targets")
    wanted = list(asked) if asked else [r for r in ranked][:top]
    if not asked and out.naive not in wanted:
        wanted.append(out.naive)
    if not asked and len({spec.same_as.get(x, x) for x in wanted} & set(spec.losses)) < 2:
        extra = [x for x in spec.alternatives.get(task, ()) if x not in wanted]
        wanted += extra
        out.notes.append("the rules propose one trialable loss; compared with "
                         + ", ".join(extra) + " as well")
    seen: set[str] = set()
    kind = "classifier" if task in ("binary", "multiclass") else "regressor"
    for loss_id in wanted:
        canonical = spec.same_as.get(loss_id, loss_id)
        if canonical != loss_id:
            out.notes.append(f"{loss_id} is fitted as {canonical} (the same loss for a "
                             "tabular model)")
        if canonical in seen:
            continue
        item = spec.losses.get(canonical)
        if item is None:
            reason = spec.not_trialable.get(
                canonical, "no HistGradientBoosting realization in the catalog's trial section")
            out.not_trialable.append({"id": loss_id, "reason": reason})
            continue
        if item.estimator != kind:
            out.not_trialable.append(
                {"id": loss_id, "reason": f"a {item.estimator} loss; the target is {task}"})
            continue
        resolved = _available(item, spec, out)
        if resolved is None or resolved.id in seen:
            continue
        seen.add(resolved.id)
        out.fit.append(resolved)
    if len(out.fit) < 2:
        raise InputError(
            "the trial needs at least two losses it can fit; got "
            + (", ".join(c.id for c in out.fit) or "none"),
            None, "name them with --losses, e.g. --losses poisson,mse")
    return out


def _available(item: LossSpec, spec: TrialSpec, out: Candidates) -> LossSpec | None:
    """The spec itself when its loss class exists in this scikit-learn, else its fallback."""
    if item.loss_class is None:
        return item
    problem = loss_class_problem(item)
    if problem is None:
        return item
    if item.fallback and item.fallback in spec.losses:
        out.notes.append(f"{item.id}: {problem}; fitted {item.fallback} instead")
        return spec.losses[item.fallback]
    out.not_trialable.append({"id": item.id, "reason": problem})
    return None


def loss_class_problem(item: LossSpec) -> str | None:
    """Why this scikit-learn cannot fit ``item.loss_class`` with HistGradientBoosting, or None.

    The loss classes are private API (``sklearn._loss.loss``), so both their presence and
    HistGradientBoosting's acceptance of a loss object are checked on the installed version.
    """
    import sklearn

    try:
        from sklearn._loss import loss as losses
        from sklearn.ensemble import HistGradientBoostingRegressor
    except ImportError:  # pragma: no cover - depends on the installed scikit-learn
        return f"scikit-learn {sklearn.__version__} has no sklearn._loss module"
    cls = getattr(losses, item.loss_class or "", None)
    if cls is None:
        return f"scikit-learn {sklearn.__version__} has no {item.loss_class} loss class"
    accepted = HistGradientBoostingRegressor._parameter_constraints.get("loss", [])
    if not any(isinstance(c, type) and issubclass(cls, c) for c in accepted):
        return (f"HistGradientBoosting in scikit-learn {sklearn.__version__} does not accept "
                f"a {item.loss_class} object")
    return None
