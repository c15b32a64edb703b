"""The named thresholds behind every trait, and where users override them.

Each threshold is a field of :class:`Thresholds` with the reasoning in its docstring-like
``help``; ``lossadvisor.toml`` (or ``[tool.lossadvisor.thresholds]`` in pyproject.toml, read by
:mod:`advisor.toolconfig`) may override any of them by name. Unknown names are an input error
so a typo never silently keeps a default.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, replace
from typing import Any

from advisor.errors import InputError, did_you_mean


def _t(default: float | int, help: str) -> Any:
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Thresholds:
    """Cut-offs that turn statistics into traits. Defaults are conventional values, cited."""

    # --- task inference -------------------------------------------------------------------
    max_class_levels: int = _t(
        30,
        "An integer target with more distinct values than this is not read as class labels.",
    )
    ordinal_max_levels: int = _t(
        11,
        "Most rating scales have at most 11 levels (0-10); more levels read as a measurement.",
    )
    count_min_skewness: float = _t(
        0.5,
        "Non-negative integers with zeros and at least this right skew read as counts "
        "(a Poisson(3) variable has skewness 0.58).",
    )
    min_class_members: float = _t(
        3,
        "Class codes need repeated members: integer levels whose median level holds fewer rows "
        "than this are a measurement, not classes (21 rows with 14 distinct values).",
    )
    count_min_rows_per_value: float = _t(
        2.0,
        "Counts reuse the same small integers; whole numbers with zeros whose positive values "
        "average fewer rows per distinct value than this are a measurement in fine units "
        "(hours, cents), not counts.",
    )
    id_min_rows: int = _t(
        20,
        "Below this many rows, all-distinct values are not evidence of an identifier column.",
    )
    id_min_density: float = _t(
        0.67,
        "All-distinct integers filling at least this share of their range read as an identifier.",
    )
    string_max_distinct_fraction: float = _t(
        0.5,
        "A text target with more distinct values than this share of rows (and over "
        "max_class_levels of them) is free text or an identifier, not labels.",
    )
    # --- classification -------------------------------------------------------------------
    imbalance_ratio: float = _t(
        3.0,
        "Majority/minority count ratio at which a target is imbalanced (a 75/25 split).",
    )
    imbalance_entropy: float = _t(
        0.80,
        "Normalized class entropy below which a multiclass target is imbalanced even when no "
        "single pair of classes crosses imbalance_ratio.",
    )
    severe_imbalance_ratio: float = _t(
        19.0,
        "Majority/minority ratio at which imbalance is severe (a 95/5 split): accuracy and "
        "unweighted losses become misleading.",
    )
    severe_minority_fraction: float = _t(
        0.01,
        "A minority class under this share of rows is severe whatever the ratio says.",
    )
    imbalance_min_rows: int = _t(
        20, "Below this many labelled rows class balance is not graded at all."
    )
    few_minority_count: int = _t(
        50,
        "Fewer minority examples than this make per-fold metrics unstable: stratify the splits.",
    )
    # --- regression -----------------------------------------------------------------------
    outlier_fraction: float = _t(
        0.005,
        "Share of values beyond the skew-adjusted far-out fences above which a target has "
        "outliers; a normal sample has ~0.0002%, a lognormal(0, 1) ~0.2%.",
    )
    iqr_fence: float = _t(
        3.0,
        "Far-out fence multiplier of the IQR (Tukey's 3), stretched on the long side by "
        "e^(3 medcouple) in the adjusted boxplot.",
    )
    robust_z: float = _t(
        3.5, "Iglewicz and Hoaglin's modified z-score cut-off (0.6745 (x - median) / MAD); "
        "reported as outlier_fraction_mad, not used for the trait (it flags skewed tails).",
    )
    heavy_tail_excess_kurtosis: float = _t(
        3.0,
        "Excess kurtosis above which tails are heavy (Laplace = 3, Student t(5) = 6).",
    )
    skewness: float = _t(1.0, "Absolute skewness above which a distribution is highly skewed.")
    magnitude_span: float = _t(
        2.0,
        "Orders of magnitude between the 5th and 95th percentiles (log10 q95/q05) from which "
        "a positive target's relative errors may matter more than absolute ones.",
    )
    # --- counts ---------------------------------------------------------------------------
    zero_inflation_excess: float = _t(
        0.10,
        "Observed zero share minus the Poisson expectation exp(-mean) at which counts are "
        "zero-inflated.",
    )
    zero_mass_fraction: float = _t(
        0.2,
        "Share of exact zeros from which a measurement has a point mass at zero (a hurdle "
        "or Tweedie model fits it; squared error does not).",
    )
    overdispersion_index: float = _t(
        1.5, "Variance/mean ratio above which counts are overdispersed (Poisson has 1)."
    )
    # --- always ---------------------------------------------------------------------------
    small_sample_rows: int = _t(
        300,
        "Fewer labelled rows than this make R², per-class metrics and learned weights unstable.",
    )

    @classmethod
    def help(cls) -> dict[str, str]:
        return {f.name: f.metadata["help"] for f in fields(cls)}

    def with_overrides(self, overrides: dict[str, Any], where: str) -> Thresholds:
        """Return a copy with ``overrides`` applied, validating names and types."""
        known = {f.name: f for f in fields(self)}
        changes: dict[str, Any] = {}
        for name, value in overrides.items():
            if name not in known:
                raise InputError(
                    f"unknown threshold '{name}'{did_you_mean(name, list(known))}",
                    where,
                    "`lossadvisor traits` lists the thresholds",
                )
            default = known[name].default
            if isinstance(value, bool) or not isinstance(value, (int, float)) or (
                    not math.isfinite(value)):
                raise InputError(f"threshold '{name}' must be a finite number, got {value!r}",
                                 where)
            changes[name] = type(default)(value) if isinstance(default, int) else float(value)
        return replace(self, **changes)


DEFAULT_THRESHOLDS = Thresholds()

THRESHOLD_PREFIX = "threshold_"
TEMPLATE_THRESHOLDS = frozenset(THRESHOLD_PREFIX + f.name for f in fields(Thresholds))
"""Names under which rationale templates read the thresholds in force, so text such as
'beyond 3×IQR' follows a user's override instead of repeating the default."""


def threshold_facts(thresholds: Thresholds) -> dict[str, float | int]:
    """The thresholds in force, by their template names (``threshold_iqr_fence``)."""
    return {THRESHOLD_PREFIX + f.name: getattr(thresholds, f.name) for f in fields(thresholds)}
