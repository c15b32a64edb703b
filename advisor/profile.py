"""Statistics and traits of the target: a pure function of the values, no printing.

Rules read every statistic and trait by name, so both vocabularies are declared here
(:data:`STATISTICS`, :data:`TRAITS`) and the rule validator checks rule files against them. Each
trait keeps the numbers that triggered it as evidence text, because a recommendation the user
cannot check against their data is only an opinion.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from advisor import robust
from advisor.summary import TargetSummary
from advisor.task import Alternative, TaskDecision, label_text
from advisor.thresholds import Thresholds
from advisor.vocabulary import STATISTICS, TRAITS  # noqa: F401  (re-exported)

QUANTILES = {"q01": 0.01, "q05": 0.05, "q25": 0.25, "median": 0.5, "q75": 0.75, "q95": 0.95,
             "q99": 0.99}


@dataclass
class Trait:
    name: str
    evidence: str


@dataclass
class Profile:
    """Everything known about the target; the rule engine reads it through :meth:`facts`."""

    task: str
    task_reason: str
    target: list[str] = field(default_factory=list)
    target_reason: str = ""
    task_alternatives: list[Alternative] = field(default_factory=list)
    traits: list[Trait] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)
    columns: dict[str, dict[str, Any]] = field(default_factory=dict)
    dataset: dict[str, Any] = field(default_factory=dict)
    context: dict[str, Any] = field(default_factory=dict)
    """What a context column (--group, --exposure, --censor) showed: advisor/context.py."""

    def trait_names(self) -> set[str]:
        return {t.name for t in self.traits}

    def facts(self) -> dict[str, Any]:
        """The flat namespace rules read: task, traits and every statistic by name."""
        facts = {
            **self.stats, "task": self.task, "traits": self.trait_names(),
            "has_data": bool(self.dataset),
        }
        if self.context:
            facts.update(self.context["stats"])
            facts[f"{self.context['kind']}_column"] = self.context["column"]
        return facts

    def has(self, trait: str) -> bool:
        return trait in self.trait_names()


def profile_target(
    columns: list[TargetSummary], decision: TaskDecision, thresholds: Thresholds, rows: int
) -> Profile:
    """Compute the statistics and traits of the target columns for the decided task."""
    profile = Profile(
        task=decision.task,
        task_reason=decision.reason,
        target=[c.name for c in columns],
        task_alternatives=list(decision.alternatives),
    )
    traits: dict[str, str] = dict(decision.traits)
    stats: dict[str, Any] = {"rows": rows}
    n_missing = sum(c.n_missing for c in columns)
    n_inf = sum(c.n_infinite for c in columns)
    usable = min(c.n for c in columns)
    stats.update(n=usable, n_missing=n_missing, n_infinite=n_inf)
    stats["missing_fraction"] = (n_missing + n_inf) / rows if rows else 0.0
    if decision.label_encoding:
        stats["label_encoding"] = decision.label_encoding

    if decision.task in ("binary", "multiclass") and decision.label_encoding != "one_hot":
        column = columns[0]
        _class_stats(column, decision, thresholds, stats, traits)
    elif decision.task == "multiclass":  # one-hot columns
        # A class column that is never 1 has no examples (the constant_label trait says so);
        # it takes no part in the imbalance grading.
        counts = {c.name: int(c.total()) for c in columns if c.total() > 0}
        _grade_classes(counts, thresholds, stats, traits)
    elif decision.task == "multilabel":
        _multilabel_stats(columns, thresholds, stats, traits)
    else:
        per_column = {c.name: _numeric_stats(c, thresholds) for c in columns}
        if len(columns) == 1:
            stats.update(per_column[columns[0].name])
        else:
            stats.update(_aggregate(per_column))
            stats["n_outputs"] = len(columns)
            profile.columns = per_column
            traits["multi_output"] = f"{len(columns)} target columns"
        _numeric_traits(stats, decision.task, thresholds, traits, per_column)
        stats["histogram"] = histogram(columns[0], per_column[columns[0].name],
                                       decision.task == "count")

    if n_missing + n_inf:
        parts = f"{n_missing:,} missing" + (f", {n_inf:,} infinite" if n_inf else "")
        traits["missing_target"] = (
            f"{parts} of {rows:,} rows ({stats['missing_fraction']:.1%}); dropped"
        )
    if usable < thresholds.small_sample_rows:
        traits["small_sample"] = (
            f"only {usable:,} labelled rows (< {thresholds.small_sample_rows:,})"
        )
    profile.stats = stats
    profile.traits = [Trait(name, traits[name]) for name in TRAITS if name in traits]
    return profile


# -- classification ------------------------------------------------------------------------
def _class_stats(
    column: TargetSummary, decision: TaskDecision, th: Thresholds, stats: dict, traits: dict
) -> None:
    levels, counts = column.levels()
    labels = [label_text(v) for v in levels]
    counted = dict(zip(labels, (int(c) for c in counts), strict=True))
    _grade_classes(counted, th, stats, traits)
    if decision.task == "binary":
        positive = decision.positive_label or labels[int(np.argmin(counts))]
        pos = counted.get(positive, 0)
        neg = int(sum(counts)) - pos
        stats["positive_label"] = positive
        stats["positive_count"] = pos
        stats["positive_fraction"] = pos / (pos + neg)
        stats["pos_weight"] = round(neg / pos, 4) if pos else None


def _grade_classes(counts: dict[str, int], th: Thresholds, stats: dict, traits: dict) -> None:
    """Imbalance graded on ratio, minority share and entropy, with minimum-count guards."""
    total = sum(counts.values())
    k = len(counts)
    ordered = sorted(counts.items(), key=lambda item: (item[1], item[0]))
    minority, minority_count = ordered[0]
    majority, majority_count = ordered[-1]
    probabilities = np.array([c / total for c in counts.values()])
    entropy = float(-(probabilities * np.log(probabilities)).sum() / math.log(k)) if k > 1 else 0.0
    ratio = majority_count / minority_count
    stats.update(
        n_classes=k,
        class_counts=dict(counts),
        class_weights={label: round(total / (k * count), 4) for label, count in counts.items()},
        minority_class=minority,
        minority_count=minority_count,
        minority_fraction=minority_count / total,
        majority_class=majority,
        majority_fraction=majority_count / total,
        imbalance_ratio=round(ratio, 4),
        normalized_entropy=round(entropy, 6),
    )
    if k > 10:
        traits["many_classes"] = f"{k} classes"
    _grade_imbalance(
        f"class '{minority}'", minority_count, total, ratio, entropy if k > 2 else None, th,
        traits,
    )


def _grade_imbalance(
    who: str, minority: int, total: int, ratio: float, entropy: float | None, th: Thresholds,
    traits: dict,
) -> None:
    if total < th.imbalance_min_rows:
        return
    share = minority / total
    evidence = (
        f"{who} is {_pct(share)} of rows ({minority:,} of {total:,}); "
        f"majority/minority {ratio:,.1f}:1"
    )
    low_entropy = entropy is not None and entropy < th.imbalance_entropy
    if ratio >= th.imbalance_ratio or low_entropy:
        traits["imbalanced"] = evidence + (
            f"; normalized entropy {entropy:.2f}" if low_entropy else ""
        )
    if ratio >= th.severe_imbalance_ratio or share < th.severe_minority_fraction:
        traits["severe_imbalance"] = evidence
        traits.setdefault("imbalanced", evidence)
    if "imbalanced" in traits and minority < th.few_minority_count:
        traits["few_minority_examples"] = (
            f"only {minority:,} examples of {who} (< {th.few_minority_count})"
        )


def _multilabel_stats(
    columns: list[TargetSummary], th: Thresholds, stats: dict, traits: dict
) -> None:
    n = min(c.n for c in columns)
    fractions, weights = {}, {}
    for c in columns:
        positives = c.total()
        fractions[c.name] = positives / c.n
        weights[c.name] = round((c.n - positives) / positives, 4) if positives else None
    rarest = min(fractions, key=lambda name: (fractions[name], name))
    # Mean labels per row = total positives / rows: no row alignment needed.
    cardinality = sum(c.total() for c in columns) / n if n else 0.0
    stats.update(
        n_labels=len(columns),
        label_fractions=fractions,
        label_pos_weights=weights,
        label_cardinality=round(cardinality, 6),
        min_label_fraction=fractions[rarest],
        rarest_label=rarest,
    )
    # Each label is its own binary problem; the worst one grades the target.
    worst_ratio, worst_minority, who = 1.0, n, ""
    for c in columns:
        positives = int(c.total())
        low = min(positives, c.n - positives)
        high = max(positives, c.n - positives)
        ratio = high / low if low else math.inf
        if ratio > worst_ratio:
            worst_ratio, worst_minority, who = ratio, low, f"label '{c.name}'"
    stats.update(minority_count=worst_minority, minority_fraction=worst_minority / n,
                 imbalance_ratio=round(worst_ratio, 4) if math.isfinite(worst_ratio) else None)
    if who and math.isfinite(worst_ratio):
        _grade_imbalance(who, worst_minority, n, worst_ratio, None, th, traits)


# -- numbers -------------------------------------------------------------------------------
def _numeric_stats(column: TargetSummary, th: Thresholds) -> dict[str, Any]:
    """Every numeric statistic from the column's one in-place sort and blocked moment sums."""
    with np.errstate(over="ignore", invalid="ignore"):
        return _numeric_stats_inner(column, th)


def _numeric_stats_inner(column: TargetSummary, th: Thresholds) -> dict[str, Any]:
    n = column.n
    stats: dict[str, Any] = {}
    mean, m2, skewness, kurtosis = column.moments()
    var = m2 * n / (n - 1) if n > 1 else 0.0
    stats["mean"] = mean
    stats["std"] = math.sqrt(var)
    stats["min"] = column.minimum()
    stats["max"] = column.maximum()
    for name, q in QUANTILES.items():
        stats[name] = column.quantile(q)
    iqr = stats["q75"] - stats["q25"]
    stats["iqr"] = iqr
    median = stats["median"]
    mad = column.mad(median)
    stats["mad"] = mad
    # Huber's delta = 1.345 sigma of the *residuals* keeps 95% efficiency under normal noise
    # (sigma robust: 1.4826 MAD, so the outliers Huber resists do not inflate it). The profile
    # sees the target only, whose spread includes everything a model explains: on diamond prices
    # it gave 3330, where Huber is squared error. So the target's value is only a bound, never
    # "the delta"; `profile --trial` measures the residual-scale delta (advisor/trial.py).
    sigma = 1.4826 * mad if mad > 0 else math.sqrt(var)
    stats["huber_delta_bound"] = 1.345 * sigma
    stats["skewness"] = skewness
    stats["excess_kurtosis"] = kurtosis
    stats["n_distinct"] = column.n_distinct()
    if stats["q05"] > 0:
        stats["magnitude_span"] = math.log10(stats["q95"] / stats["q05"])
    stats["zero_fraction"] = column.count_between(0.0, 0.0) / n
    stats["negative_fraction"] = column.count_below(0.0) / n
    if iqr > 0:
        low, high = stats["q25"] - th.iqr_fence * iqr, stats["q75"] + th.iqr_fence * iqr
        stats["outlier_fraction_iqr"] = _share_outside(column, low, high)
    else:
        stats["outlier_fraction_iqr"] = None
    if mad > 0:
        reach = th.robust_z * mad / 0.6745
        stats["outlier_fraction_mad"] = _share_outside(column, median - reach, median + reach)
    else:
        stats["outlier_fraction_mad"] = None
    # Outliers are judged against this distribution's own shape: the adjusted boxplot's far-out
    # fences widen on the long side by the medcouple, so a skewed tail is not "outliers".
    mc = robust.medcouple(robust.quantile_grid(column.quantile, n))
    stats["medcouple"] = mc
    if iqr > 0:
        low, high = robust.adjusted_fences(stats["q25"], stats["q75"], mc, th.iqr_fence)
        stats["outlier_low"], stats["outlier_high"] = low, high
        stats["outlier_fraction"] = _share_outside(column, low, high)
    else:
        stats["outlier_fraction"] = 0.0
    if stats["min"] >= 0 and mean > 0:
        stats["poisson_zero_fraction"] = math.exp(-mean)
        stats["zero_excess"] = stats["zero_fraction"] - math.exp(-mean)
        stats["dispersion_index"] = var / mean
    if column.approximate:
        stats["approximate"] = list(APPROXIMATE_WHEN_SAMPLED)
    return stats


APPROXIMATE_WHEN_SAMPLED = (
    "q01", "q05", "q25", "median", "q75", "q95", "q99", "iqr", "mad", "huber_delta_bound",
    "n_distinct", "magnitude_span", "outlier_fraction_iqr", "outlier_fraction_mad",
    "outlier_fraction", "medcouple", "outlier_low", "outlier_high", "histogram",
)
"""Statistics read from a uniform sample when a continuous target was streamed; the counts,
moments, extremes and zero and negative shares stay exact."""


HISTOGRAM_BINS = 16
"""Bins of the terminal histogram; the 1st-99th percentile range is binned, tails counted."""


def histogram(column: TargetSummary, stats: dict[str, Any], integer: bool) -> dict[str, Any]:
    """Bin counts for the terminal chart, robust to a few extreme values.

    Binning min..max would put nearly everything in one bar for a heavy-tailed target, so the
    bins span the 1st-99th percentiles and the values beyond are counted separately. Small
    integer ranges get one bin per value, which shows zero inflation at a glance.
    """
    lo, hi = stats["q01"], stats["q99"]
    if integer and hi - lo + 1 <= 2 * HISTOGRAM_BINS:
        edges = np.arange(lo, hi + 2) - 0.5
    elif hi > lo:
        edges = np.linspace(lo, hi, HISTOGRAM_BINS + 1)
    else:
        edges = np.array([lo - 0.5, hi + 0.5])
    counts = column.histogram(edges)
    below = column.count_below(float(edges[0]))
    above = column.count_above(float(edges[-1]))
    return {
        "edges": [float(e) for e in edges],
        "counts": [int(c) for c in counts],
        "below": below,
        "above": above,
    }


def _share_outside(column: TargetSummary, low: float, high: float) -> float:
    return (column.count_below(low) + column.count_above(high)) / column.n


_WORST = {
    "min": min, "max": max, "skewness": lambda vs: max(vs, key=abs),
    "excess_kurtosis": max, "outlier_fraction": max, "outlier_fraction_iqr": max,
    "outlier_fraction_mad": max, "zero_fraction": max, "negative_fraction": max,
    "dispersion_index": max, "zero_excess": max,
}


def _aggregate(per_column: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Multi-output: each statistic takes its most extreme value over the columns, so a trait
    that fits any one output is not averaged away."""
    first = next(iter(per_column.values()))
    merged = dict(first)
    for name, pick in _WORST.items():
        values = [s[name] for s in per_column.values() if s.get(name) is not None]
        merged[name] = pick(values) if values else None
    return merged


def _numeric_traits(
    stats: dict, task: str, th: Thresholds, traits: dict, per_column: dict
) -> None:
    def where(stat: str) -> str:
        if len(per_column) < 2:
            return ""
        for name, column_stats in per_column.items():
            if column_stats.get(stat) == stats.get(stat):
                return f" (column '{name}')"
        return ""

    n = stats["n"]
    share = stats["outlier_fraction"]
    if share and share > th.outlier_fraction:
        traits["outliers"] = (
            f"{_pct(share)} beyond the skew-adjusted far-out fences "
            f"{_num(stats['outlier_low'])} and {_num(stats['outlier_high'])} "
            f"({th.iqr_fence:g}×IQR, medcouple {stats['medcouple']:.2f})"
            + where("outlier_fraction")
        )
    kurtosis = stats["excess_kurtosis"]
    if kurtosis > th.heavy_tail_excess_kurtosis:
        traits["heavy_tailed"] = (
            f"excess kurtosis {kurtosis:.1f} (normal: 0; threshold "
            f"{th.heavy_tail_excess_kurtosis:g}); max {_num(stats['max'])} vs median "
            f"{_num(stats['median'])}" + where("excess_kurtosis")
        )
    skew = stats["skewness"]
    if abs(skew) > th.skewness:
        side = "right" if skew > 0 else "left"
        traits["skewed"] = f"skewness {skew:.2f} ({side}-skewed)" + where("skewness")
    if stats["min"] >= 0:
        traits["non_negative"] = f"min {_num(stats['min'])}"
    if stats["min"] > 0:
        traits["strictly_positive"] = f"min {_num(stats['min'])} > 0"
    span = stats.get("magnitude_span")
    if stats["min"] > 0 and span is not None and span >= th.magnitude_span:
        traits["spans_magnitudes"] = (
            f"5th-95th percentiles {_num(stats['q05'])} to {_num(stats['q95'])}: "
            f"{span:.1f} orders of magnitude (threshold {th.magnitude_span:g})"
        )
    if stats["zero_fraction"] > 0:
        zeros = round(stats["zero_fraction"] * n)
        traits["has_zeros"] = f"{_pct(stats['zero_fraction'])} zeros ({zeros:,} rows)"
    if stats["negative_fraction"] > 0:
        traits["has_negatives"] = (
            f"{_pct(stats['negative_fraction'])} below zero (min {_num(stats['min'])})"
        )
    if stats["min"] >= 0 and stats["max"] <= 1:
        traits["bounded_unit_interval"] = (
            f"all values in [0, 1] (min {_num(stats['min'])}, max {_num(stats['max'])})"
        )
    if task == "regression" and stats["zero_fraction"] >= th.zero_mass_fraction:
        zeros = round(stats["zero_fraction"] * n)
        traits["zero_mass"] = (
            f"{_pct(stats['zero_fraction'])} of values are exactly 0 ({zeros:,} rows), a point "
            f"mass beside values up to {_num(stats['max'])} (threshold "
            f"{th.zero_mass_fraction:.0%})"
        )
    if task == "count" and "poisson_zero_fraction" in stats:
        expected = stats["poisson_zero_fraction"]
        if stats["zero_excess"] >= th.zero_inflation_excess:
            traits["zero_inflated"] = (
                f"{_pct(stats['zero_fraction'])} zeros vs {_pct(expected)} expected under "
                f"Poisson with mean {stats['mean']:.2f}"
            )
        if stats["dispersion_index"] > th.overdispersion_index:
            traits["overdispersed"] = (
                f"variance/mean = {stats['dispersion_index']:.2f} (Poisson: 1; threshold "
                f"{th.overdispersion_index:g})"
            )


def _pct(share: float) -> str:
    """A share as a percentage with enough digits to tell 0.2% from 0%."""
    if share == 0:
        return "0%"
    if share < 0.001:
        return f"{share:.3%}"
    if share < 0.01:
        return f"{share:.2%}"
    if share < 0.1:
        return f"{share:.1%}"
    return f"{share:.0%}"


def _num(value: float) -> str:
    return f"{value:,.4g}" if abs(value) < 1e6 else f"{value:,.0f}"
