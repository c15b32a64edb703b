"""``lossadvisor trial``: fit the candidate losses on the user's data and compare them honestly.

The rules say which loss should fit; the trial checks it. Every candidate is the same
HistGradientBoosting model with the same hyperparameters and seed, fitted on the same folds; only
the loss differs. The decision rule (advisor/trial_stats.py) is fixed and printed before anything
is fitted, and the result says "no evidence" rather than "equal" when the data cannot tell.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from advisor.errors import InputError
from advisor.trial_spec import (
    HIGHER_IS_BETTER,
    SCORE_NAMES,
    Candidates,
    LossSpec,
    TrialSpec,
)
from advisor.trial_stats import ALPHA, MIN_FOLDS, PRACTICAL, Difference, Verdict, decide

if TYPE_CHECKING:
    import numpy as np

    from advisor.trial_data import Features

DEFAULT_ROWS = 100_000
"""Rows sampled while reading: a prototype measured a 100k sample costing ~4% in score against
the full 1M rows, at an eighth of the time."""
SMALL_DATA_ROWS = 25_000
"""Up to this many rows, folds are repeated (3x) to steady the estimate; above, once."""
HUBER_K = 1.345 * 1.4826
"""Huber's delta per unit of residual MAD (95% efficiency under normal errors)."""


@dataclass
class TrialOptions:
    losses: list[str] | None = None
    folds: int = 5
    repeats: int | None = None
    rows: int = DEFAULT_ROWS
    budget: float | None = None
    seed: int = 0
    group: str | None = None
    time: str | None = None
    threads: int | None = None
    top: int = 3


@dataclass
class FoldResult:
    ratio: float
    scores: dict[str, dict[str, float | None]]  # candidate -> metric -> value
    iterations: dict[str, int]
    deltas: dict[str, float] = field(default_factory=dict)


def decision_rule(top: str, primary: str, secondary: list[str], seed: int, folds: int,
                  repeats: int, split: str) -> dict[str, Any]:
    """The rule, stated before fitting (printed on stderr and kept in the output)."""
    from advisor.catalog import load_catalog
    from advisor.trial_spec import departure

    estimates = load_catalog().get("loss", top).estimates
    departs = departure(top, primary)
    direction = "higher" if primary in HIGHER_IS_BETTER else "lower"
    text = (
        f"Candidates are compared with the top pick on {SCORE_NAMES[primary]} ({direction} is "
        f"better) over {folds} {split} folds x {repeats} repeat(s), seed {seed}: paired per-fold "
        f"differences, Nadeau-Bengio corrected standard error, Holm-adjusted p < {ALPHA} and a "
        f"difference above {PRACTICAL:.1%} of the top pick's score to win or lose; an interval "
        f"inside ±{PRACTICAL:.1%} is a tie; anything else is no evidence"
    )
    if departs:
        text += f" ({top} estimates {estimates.replace('_', ' ')}: {departs.rstrip('.')})"
    if secondary:
        text += "; a win that " + " or ".join(SCORE_NAMES[s] for s in secondary) + \
            " significantly contradicts is a trade-off"
    return {"estimates": estimates, "primary": primary, "departs": departs,
            "secondary": secondary, "alpha": ALPHA,
            "practical_threshold": PRACTICAL, "min_folds": MIN_FOLDS,
            "correction": "nadeau-bengio", "multiple_comparisons": "holm", "seed": seed,
            "text": text + "."}


def primary_score(task: str, top: LossSpec, spec: TrialSpec) -> str:
    """The scoring function strictly consistent for what the top pick estimates."""
    return spec.task_score.get(task, top.score)


def run_trial(
    path: str,
    target: str,
    task: str,
    positive: str | None,
    candidates: Candidates,
    spec: TrialSpec,
    options: TrialOptions,
    say: Callable[[str], None],
    progress: Callable[[int, int], None] | None = None,
    clock: Callable[[], float] = time.monotonic,
    others: tuple[str, ...] = (),
) -> dict[str, Any]:
    """Read, prepare, fit and compare; returns the document's ``trial`` section.

    ``others`` are the other target columns of a multilabel or multi-output target: never
    features (a model predicting one label does not know the others). Every fit, the leakage
    screen's included, runs with the chosen number of OpenMP threads; scikit-learn is imported
    first because a limit reaches only the libraries already loaded.
    """
    import sklearn.ensemble  # noqa: F401  (loads scikit-learn's OpenMP runtime)
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=options.threads or default_threads(), user_api="openmp"):
        return _run_trial(path, target, task, positive, candidates, spec, options, say,
                          progress, clock, others)


def _run_trial(path: str, target: str, task: str, positive: str | None, candidates: Candidates,
               spec: TrialSpec, options: TrialOptions, say: Callable[[str], None],
               progress: Callable[[int, int], None] | None, clock: Callable[[], float],
               others: tuple[str, ...]) -> dict[str, Any]:
    from advisor.io import open_table
    from advisor.trial_data import prepare, read_sample

    begun = clock()  # --budget counts the reading and the leakage screen, too
    top = candidates.fit[0]
    primary = primary_score(task, top, spec)
    secondary = list(spec.secondary.get(primary, ()))
    source = open_table(path)
    table, total_rows = read_sample(source, options.rows, options.seed)
    features = prepare(table, target, task, positive, options.group, options.time,
                       options.seed, path, others)
    del table
    if features.rows_used < 2 * options.folds:
        raise InputError(f"only {features.rows_used} labelled rows; the trial needs at least "
                         f"{2 * options.folds} for {options.folds} folds", path)
    repeats = options.repeats or (3 if features.rows_used <= SMALL_DATA_ROWS and
                                  options.time is None else 1)
    if options.time is not None:
        repeats = 1
    splits, split_kind = _splits(features, task, options, repeats)
    rule = decision_rule(top.id, primary, secondary, options.seed, options.folds, repeats,
                         split_kind)
    say("decision rule: " + rule["text"])
    notes = list(candidates.notes) + features.notes
    if total_rows > features.rows_read:
        notes.append(f"a uniform random sample of {features.rows_read:,} of {total_rows:,} rows "
                     f"(--rows {options.rows}); seed {options.seed}")
    folds, stopped = _fit_all(features, candidates, spec, splits, top, options, progress,
                             clock, begun)
    if stopped:
        notes.append(f"--budget {options.budget:g}s reached: {len(folds)} of {len(splits)} "
                     "folds completed; only complete folds are compared")
    ids = [c.id for c in candidates.fit]
    comparisons = _compare(folds, ids, primary, secondary, spec, notes)
    _unsplittable(splits, spec, comparisons, notes)
    capped = _iteration_notes(folds, ids, spec, notes)
    return {
        "target": target,
        "seed": options.seed,
        "split": {"kind": split_kind, "folds": options.folds, "repeats": repeats,
                  "group": options.group, "time": options.time},
        "rows": {"in_file": total_rows, "sampled": features.rows_read,
                 "used": features.rows_used},
        "features": {"used": [str(c) for c in features.X.columns],
                     "dropped": features.dropped},
        "decision_rule": rule,
        "primary": primary,
        "secondary": secondary,
        "metrics": _reported(primary, secondary, folds, spec),
        "candidates": [_candidate(c, i, candidates, folds, primary, secondary, capped, spec)
                       for i, c in enumerate(candidates.fit)],
        "not_trialable": candidates.not_trialable,
        "folds_completed": len(folds),
        "folds_planned": len(splits),
        "comparisons": [_comparison(v, top.id) for v in comparisons],
        "split_hints": features.split_hints,
        "notes": notes,
    }


# -- splitting --------------------------------------------------------------------------------
FEWER_FOLDS = "lower --folds (of lossadvisor trial; profile --trial uses 5)"
def _splits(features: Features, task: str, options: TrialOptions, repeats: int
            ) -> tuple[list[tuple[np.ndarray, np.ndarray]], str]:
    import numpy as np
    from sklearn.model_selection import (
        GroupKFold,
        KFold,
        StratifiedKFold,
        TimeSeriesSplit,
    )

    n = features.rows_used
    k = options.folds
    index = np.arange(n)
    out: list[tuple[np.ndarray, np.ndarray]] = []
    if features.order is not None:
        order = features.order
        for train, test in TimeSeriesSplit(n_splits=k).split(order):
            out.append((np.sort(order[train]), np.sort(order[test])))
        return out, "time-ordered"
    if features.groups is not None:
        distinct = len(np.unique(features.groups))
        if distinct < k:
            raise InputError(f"--group {options.group} has {distinct} groups; "
                             f"{k} folds need at least {k}", None, FEWER_FOLDS)
        for r in range(repeats):
            splitter = GroupKFold(n_splits=k, shuffle=True, random_state=options.seed + r)
            out.extend(splitter.split(index, groups=features.groups))
        return out, "grouped"
    classify = task in ("binary", "multiclass")
    if classify:
        smallest = int(np.bincount(features.y).min())
        if smallest < k:
            raise InputError(f"the rarest class has {smallest} rows; {k} stratified folds "
                             f"need at least {k}", None, FEWER_FOLDS)
    for r in range(repeats):
        seed = options.seed + r
        splitter = (StratifiedKFold if classify else KFold)(n_splits=k, shuffle=True,
                                                             random_state=seed)
        out.extend(splitter.split(index, features.y))
    return out, "stratified" if classify else "shuffled"


# -- fitting ----------------------------------------------------------------------------------
def _fit_all(features: Features, candidates: Candidates, spec: TrialSpec,
             splits: list, top: LossSpec, options: TrialOptions,
             progress: Callable[[int, int], None] | None, clock: Callable[[], float],
             begun: float) -> tuple[list[FoldResult], bool]:
    """Fit fold after fold; with a budget (counted from ``begun``), stop before a fold the time
    left cannot hold at the mean time per fold so far, so every reported fold has every
    candidate's score."""
    start = clock()
    results: list[FoldResult] = []
    for number, (train, test) in enumerate(splits, start=1):
        if options.budget is not None and results:
            now = clock()
            if now - begun + (now - start) / len(results) > options.budget:
                return results, True
        results.append(_fit_fold(features, candidates, spec, train, test, top,
                                 options.seed))
        if progress is not None:
            progress(number, len(splits))
    return results, False


def default_threads() -> int:
    """One OpenMP thread per fit, unless ``OMP_NUM_THREADS`` states a standing choice.

    The trial's fits are small (at most ``--rows`` rows, 80% of them per fold), and
    HistGradientBoosting opens thousands of short parallel regions per fit (a histogram per
    node, a split search per feature). With ``OMP_WAIT_POLICY=PASSIVE`` a second thread sleeps
    between regions and waking it costs more than it saves (CPU time equals wall time: the
    threads barely overlap); spinning threads hold the core the working one needs as soon as
    another process wants it (100+ s for a fit pair on the loaded machine). Measured on 2 cores,
    quiet: one thread 11.5 s, two 23.4 s for the whole 1M-row command; under heavy load two
    passive threads finish sooner only by taking CPU from other processes (README, "Trial
    speed"; benchmarks/trial_threads.py).
    """
    import os

    try:
        stated = int(os.environ.get("OMP_NUM_THREADS", "").split(",")[0])
    except ValueError:
        stated = 0
    return stated if stated > 0 else 1


def _fit_fold(features: Features, candidates: Candidates, spec: TrialSpec, train, test,
              top: LossSpec, seed: int) -> FoldResult:
    import numpy as np

    X_train, X_test = features.X.iloc[train], features.X.iloc[test]
    y_train, y_test = features.y[train], features.y[test]
    scores: dict[str, dict[str, float | None]] = {}
    iterations: dict[str, int] = {}
    deltas: dict[str, float] = {}
    fitted: dict[str, Any] = {}  # same loss, data and seed: the same model, fitted once
    for item in candidates.fit:
        delta = None
        if item.delta == "residual":
            # The scale comes from a median (absolute-error) fit: the outliers Huber is meant to
            # resist drag a squared-error fit and inflate its residuals' MAD (20x on a target
            # with 3% gross outliers, tests/test_huber_delta.py).
            if "mae" not in fitted:
                fitted["mae"] = _fit(spec.losses["mae"], spec, X_train, y_train, seed, None)
            residuals = y_train - fitted["mae"].predict(X_train)
            delta = HUBER_K * float(np.median(np.abs(residuals - np.median(residuals))))
            delta = max(delta, 1e-12)
            deltas[item.id] = delta
        model = fitted[item.id] if item.id in fitted else _fit(item, spec, X_train, y_train,
                                                               seed, delta)
        fitted[item.id] = model
        iterations[item.id] = _n_iter(model)
        if item.estimator == "classifier":
            raw = model.predict_proba(X_test)
            corrected = _prior_corrected(raw, item, y_train, len(features.classes))
            scores[item.id] = _class_scores(y_test, raw, corrected, len(features.classes))
        else:
            scores[item.id] = _regression_scores(y_test, model.predict(X_test), top)
    return FoldResult(ratio=len(test) / len(train), scores=scores, iterations=iterations,
                      deltas=deltas)


def _fit(item: LossSpec, spec: TrialSpec, X, y, seed: int, delta: float | None):
    import numpy as np
    from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor

    params: dict[str, Any] = dict(spec.hyperparameters)
    params["random_state"] = seed
    if item.estimator == "classifier":
        model: Any = HistGradientBoostingClassifier(loss=item.loss or "log_loss",
                                                    class_weight=item.class_weight, **params)
        return model.fit(X, y)
    loss: Any = item.loss
    if item.loss_class:
        from sklearn._loss import loss as losses

        cls = getattr(losses, item.loss_class)
        kwargs: dict[str, Any] = {}
        if item.power is not None:
            kwargs["power"] = item.power
        if delta is not None:
            kwargs["delta"] = delta
        loss = cls(**kwargs)
        if item.hessian == "unit":
            # scikit-learn's Huber hessian is 0 beyond delta, so early trees, whose residuals
            # are all on the target's scale, split on the few rows near the median (Huber lost
            # to every rival on statsmodels' grunfeld that way); LightGBM's huber uses 1.
            loss.constant_hessian = True
    if item.quantile is not None:
        params["quantile"] = item.quantile
    model = HistGradientBoostingRegressor(loss=loss, **params)
    weight = None
    if item.weight == "inverse_abs_target":
        weight = 1.0 / np.maximum(np.abs(y), 1e-9)
    if item.target == "log1p":
        from sklearn.compose import TransformedTargetRegressor

        model = TransformedTargetRegressor(regressor=model, func=np.log1p,
                                           inverse_func=np.expm1, check_inverse=False)
    return model.fit(X, y, sample_weight=weight) if weight is not None else model.fit(X, y)


def _n_iter(model) -> int:
    """Boosting rounds used; negative when early stopping was off (then reaching max_iter is
    the setting, not a model that wanted more)."""
    inner = getattr(model, "regressor_", model)
    return int(inner.n_iter_) if getattr(inner, "do_early_stopping_", True) else -int(inner.n_iter_)


def _prior_corrected(proba, item: LossSpec, y_train, n_classes: int):
    """Undo class weighting: a model fitted with weights w_k estimates p_k w_k / Σ p_j w_j."""
    import numpy as np

    if item.class_weight != "balanced":
        return proba
    counts = np.bincount(y_train, minlength=n_classes).astype(float)
    weights = len(y_train) / (n_classes * np.maximum(counts, 1.0))
    undone = proba / weights
    return undone / undone.sum(axis=1, keepdims=True)


def _class_scores(y, raw, corrected, n_classes: int) -> dict[str, float | None]:
    from sklearn.metrics import average_precision_score, log_loss

    labels = list(range(n_classes))
    out: dict[str, float | None] = {
        "log_loss": float(log_loss(y, raw, labels=labels)),
        "log_loss_prior_corrected": float(log_loss(y, corrected, labels=labels)),
    }
    if n_classes == 2:
        out["pr_auc"] = float(average_precision_score(y == 1, raw[:, 1])) if (y == 1).any() \
            else None
    return out


def _regression_scores(y, pred, top: LossSpec) -> dict[str, float | None]:
    import numpy as np
    from sklearn import metrics

    def safe(fn, *args, **kwargs) -> float | None:
        try:
            value = float(fn(y, pred, *args, **kwargs))
        except ValueError:
            return None  # the scoring function is undefined for these predictions
        return value if np.isfinite(value) else None

    return {
        "mse": safe(metrics.mean_squared_error),
        "mae": safe(metrics.mean_absolute_error),
        "pinball": safe(metrics.mean_pinball_loss, alpha=top.quantile or 0.5),
        "rmsle": safe(metrics.root_mean_squared_log_error),
        "mape": safe(metrics.mean_absolute_percentage_error),
        "poisson_deviance": safe(metrics.mean_poisson_deviance),
        "gamma_deviance": safe(metrics.mean_gamma_deviance),
        "tweedie_deviance": safe(metrics.mean_tweedie_deviance, power=top.power or 1.5),
    }


# -- comparing --------------------------------------------------------------------------------
def _pair_metric(folds: list[FoldResult], pair: tuple[str, str], metric: str) -> bool:
    """Whether ``metric`` is defined for both candidates of a pair in every fold."""
    return all(f.scores[c].get(metric) is not None for f in folds for c in pair)


def _fallback(folds: list[FoldResult], spec: TrialSpec) -> str:
    return spec.fallback_score if folds and "mse" in next(iter(folds[0].scores.values())) \
        else "log_loss"


def _oriented(folds: list[FoldResult], top: str, other: str, metric: str) -> Difference:
    sign = 1.0 if metric in HIGHER_IS_BETTER else -1.0
    values = [sign * (f.scores[top][metric] - f.scores[other][metric])  # type: ignore[operator]
              for f in folds]
    ratio = sum(f.ratio for f in folds) / len(folds) if folds else 0.0
    return Difference(metric, values, ratio)


def _compare(folds: list[FoldResult], ids: list[str], primary: str, secondary: list[str],
             spec: TrialSpec, notes: list[str]) -> list[Verdict]:
    """Top pick against each other candidate; a metric undefined for a pair (a deviance of a
    prediction ≤ 0) is replaced for that pair only, with a note."""
    top = ids[0]
    verdicts = []
    for other in ids[1:]:
        metric = primary
        if not _pair_metric(folds, (top, other), primary):
            metric = _fallback(folds, spec)
            notes.append(f"{SCORE_NAMES[primary]} is undefined for the predictions of "
                         f"{_undefined_for(folds, (top, other), primary)} (outside its domain, "
                         f"e.g. ≤ 0) in some folds; {top} vs {other} is decided on "
                         f"{SCORE_NAMES[metric]} instead")
        scale = abs(_mean([f.scores[top][metric] for f in folds])) if folds else 0.0
        verdicts.append(Verdict(
            other=other,
            primary=_oriented(folds, top, other, metric),
            threshold=PRACTICAL * scale,
            secondary=[_oriented(folds, top, other, m) for m in secondary
                       if m != metric and _pair_metric(folds, (top, other), m)],
        ))
    decide(verdicts)
    return verdicts


def _unsplittable(splits: list, spec: TrialSpec, comparisons: list[Verdict],
                  notes: list[str]) -> None:
    """Training folds too small for a single split leave every candidate predicting a
    constant, so equal scores say nothing about the losses: no evidence, never a tie."""
    leaf = int(spec.hyperparameters.get("min_samples_leaf", 20))
    smallest = min((len(train) for train, _ in splits), default=0)
    if smallest >= 2 * leaf:
        return
    notes.append(f"training folds of {smallest} rows are fewer than 2 × min_samples_leaf "
                 f"({leaf}): the trees cannot split and every candidate predicts a constant, "
                 "so the comparison says nothing about the losses; give more rows")
    for verdict in comparisons:
        verdict.verdict, verdict.against = "no evidence", []


def _undefined_for(folds: list[FoldResult], pair: tuple[str, str], metric: str) -> str:
    return ", ".join(c for c in pair if any(f.scores[c].get(metric) is None for f in folds))


def _mean(values: list[float | None]) -> float:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else float("nan")


def _iteration_notes(folds: list[FoldResult], ids: list[str], spec: TrialSpec,
                     notes: list[str]) -> dict[str, int]:
    cap = int(spec.hyperparameters.get("max_iter", 100))
    capped = {c: sum(1 for f in folds if f.iterations[c] >= cap) for c in ids}
    hit = [c for c in ids if capped[c]]
    if hit:
        notes.append(f"{', '.join(hit)} reached the iteration cap (max_iter={cap}) in some folds: "
                     "with more iterations the scores could still move")
    return capped


def _candidate(item: LossSpec, position: int, candidates: Candidates, folds: list[FoldResult],
               primary: str, secondary: list[str], capped: dict[str, int], spec: TrialSpec
               ) -> dict[str, Any]:
    import statistics

    role = "top pick" if position == 0 else ("naive default" if item.id == candidates.naive
                                             else "rival")
    metrics = {}
    ratio = _mean([f.ratio for f in folds])
    for metric in _reported(primary, secondary, folds, spec):
        values = [f.scores[item.id][metric] for f in folds]
        present = [v for v in values if v is not None]
        sd = statistics.stdev(present) if len(present) > 1 else None
        metrics[metric] = {
            "mean": _mean(values),
            "sd": sd,
            # the folds share training rows: Nadeau-Bengio, as for the differences
            "se": None if sd is None else sd * (1.0 / len(present) + ratio) ** 0.5,
        }
    out: dict[str, Any] = {
        "id": item.id,
        "role": role,
        "model": describe_model(item),
        "scores": metrics,
        "iterations_mean": _mean([abs(f.iterations[item.id]) for f in folds]),
        "iteration_cap_hit": capped.get(item.id, 0),
    }
    deltas = [f.deltas[item.id] for f in folds if item.id in f.deltas]
    if deltas:
        out["huber_delta"] = sum(deltas) / len(deltas)
    if role == "naive default" or item.id == candidates.naive:
        out["naive_default"] = True
    return out


def _reported(primary: str, secondary: list[str], folds: list[FoldResult], spec: TrialSpec
              ) -> list[str]:
    """The metrics the candidates table shows: the deciding one, the secondaries, and the
    fallback when some pair needed it."""
    metrics = [primary, *secondary]
    fallback = _fallback(folds, spec)
    if fallback not in metrics and any(
            f.scores[c].get(primary) is None for f in folds for c in f.scores):
        metrics.append(fallback)
    return metrics


def describe_model(item: LossSpec) -> str:
    """The estimator a candidate is, as code a user could type."""
    if item.estimator == "classifier":
        text = f"HistGradientBoostingClassifier(loss='{item.loss or 'log_loss'}'"
        if item.class_weight:
            text += f", class_weight='{item.class_weight}'"
        return text + ")"
    if item.loss_class:
        args = f"power={item.power:g}" if item.power is not None else ""
        if item.delta == "residual":
            args = "delta=1.345*1.4826*MAD(median-fit residuals)"
        if item.hessian == "unit":
            args += ", hessian 1 as in LightGBM"
        loss = f"{item.loss_class}({args})"
    else:
        loss = f"'{item.loss}'"
    text = f"HistGradientBoostingRegressor(loss={loss}"
    if item.quantile is not None:
        text += f", quantile={item.quantile:g}"
    text += ")"
    if item.target == "log1p":
        text = f"TransformedTargetRegressor({text}, func=log1p, inverse_func=expm1)"
    if item.weight == "inverse_abs_target":
        text += " with sample_weight=1/|y|"
    return text


def _comparison(v: Verdict, top: str) -> dict[str, Any]:
    d = v.primary
    return {
        "top": top,
        "other": v.other,
        "metric": d.metric,
        "difference": d.mean,
        "se": d.se,
        "ci_low": d.low,
        "ci_high": d.high,
        "threshold": v.threshold,
        "p": d.p,
        "p_holm": v.p_holm,
        "wins": d.wins,
        "folds": len(d.values),
        "verdict": v.verdict,
        "against": v.against,
        "secondary": [{"metric": s.metric, "difference": s.mean, "se": s.se, "p": s.p,
                       "wins": s.wins} for s in v.secondary],
        "sentence": sentence(v, top),
    }


def sentence(v: Verdict, top: str) -> str:
    """The verdict in one sentence a user can act on."""
    d = v.primary
    name = SCORE_NAMES[d.metric]
    shown = (f"difference {d.mean:+.4g} (95% CI {d.low:+.4g} to {d.high:+.4g}; positive favours "
             f"{top}), {top} better in {d.wins}/{len(d.values)} folds")
    if v.verdict == "wins":
        return f"{top} beats {v.other} on {name}: {shown}, Holm p={v.p_holm:.2g}."
    if v.verdict == "loses":
        return f"{top} loses to {v.other} on {name}: {shown}, Holm p={v.p_holm:.2g}."
    if v.verdict == "trade-off":
        side = "better" if d.mean > 0 else "worse"
        against = ", ".join(SCORE_NAMES[m] for m in v.against)
        return (f"Trade-off: {top} is {side} than {v.other} on {name} but the other way on "
                f"{against}: {shown}.")
    if v.verdict == "tie":
        return (f"{top} and {v.other} are practically equivalent on {name}: the whole interval "
                f"is within ±{v.threshold:.4g} ({PRACTICAL:.1%}); {shown}.")
    return (f"No evidence either way between {top} and {v.other} on {name} (not the same as "
            f"equal): {shown}.")


# -- the advice, with the evidence beside it ---------------------------------------------------
def measured_facts(section: dict[str, Any]) -> dict[str, float]:
    """Facts only fitted models can give, for the advice's snippets: Huber's delta on the
    residual scale (the profile knows only the target's own, far larger scale)."""
    deltas = [c["huber_delta"] for c in section["candidates"] if "huber_delta" in c]
    return {"huber_delta": deltas[0]} if deltas else {}


def attach(doc: dict[str, Any], section: dict[str, Any],
           aliases: dict[str, str] | None = None) -> dict[str, Any]:
    """Add the trial to a report: evidence beside each recommended loss, and a plain sentence
    where the evidence contradicts the rules' ranking. ``aliases`` maps a recommended loss to
    the loss it was fitted as (the catalog's ``same_as``)."""
    section["contradiction"] = contradiction(section)
    for rec in doc.get("losses", []):
        rec["evidence"] = evidence((aliases or {}).get(rec["id"], rec["id"]), section)
    doc["trial"] = section
    return doc


def attach_labels(doc: dict[str, Any], sections: list[dict[str, Any]],
                  aliases: dict[str, str] | None = None) -> dict[str, Any]:
    """Add one trial per label of a multilabel target (``trials``): each recommended loss gets
    the evidence of every label, and each label its own contradiction sentence."""
    ran = [s for s in sections if "skipped" not in s]
    for section in ran:
        section["contradiction"] = contradiction(section)
    for rec in doc.get("losses", []):
        fitted = (aliases or {}).get(rec["id"], rec["id"])
        found = {s["target"]: evidence(fitted, s) for s in ran}
        if not found:
            rec["evidence"] = "not trialled (no label could be)"
        elif len(set(found.values())) == 1 and len(found) > 1:
            rec["evidence"] = "every label: " + next(iter(found.values()))
        else:
            rec["evidence"] = "; ".join(f"label {k}: {v}" for k, v in found.items())
    doc["trials"] = sections
    return doc


def evidence(loss: str, section: dict[str, Any]) -> str:
    """What one trial says about one loss, in a phrase for the advice."""
    top = section["candidates"][0]["id"]
    by_other = {c["other"]: c for c in section["comparisons"]}
    skipped = {item["id"]: item["reason"] for item in section["not_trialable"]}
    if loss == top:
        parts = [f"{c['verdict']} vs {c['other']} ({c['wins']}/{c['folds']} folds)"
                 for c in section["comparisons"]]
        return "trial, as the top pick: " + "; ".join(parts)
    if loss in by_other:
        c = by_other[loss]
        flipped = {"wins": "loses to", "loses": "beats", "tie": "ties with",
                   "trade-off": "trades off against"}.get(c["verdict"])
        return (f"trial: {flipped} {top}" if flipped else
                f"trial: no evidence either way against {top}") + \
            f" ({c['folds'] - c['wins']}/{c['folds']} folds better)"
    if loss in skipped:
        return "not trialable: " + skipped[loss]
    return "not trialled (ranked below the trial's candidates)"


def contradiction(section: dict[str, Any]) -> str | None:
    """A plain sentence when a rival beat the top pick, else None."""
    top = section["candidates"][0]["id"]
    losers = [c for c in section["comparisons"] if c["verdict"] == "loses"]
    if not losers:
        return None
    return ("The evidence contradicts the ranking: "
            + "; ".join(f"{c['other']} beat the top pick {top} on {SCORE_NAMES[c['metric']]} "
                        f"in {c['folds'] - c['wins']}/{c['folds']} folds" for c in losers)
            + ". Prefer " + losers[0]["other"] + " on this data, or check why the rules ranked "
            + top + " first.")
