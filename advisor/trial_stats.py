"""The trial's decision rule: paired per-fold differences, corrected for overlapping folds.

Cross-validation folds share training rows, so per-fold differences are positively correlated and
the naive standard error is too small (a prototype measured naive 95% intervals covering the truth
85-92% of the time). The Nadeau-Bengio correction inflates the variance by the test/train size
ratio: Var = (1/J + n_test/n_train) * s² over the J fold differences. Comparisons are then
Holm-adjusted, and a difference smaller than a practical threshold is a tie, never a win.

Verdicts, for "the top pick against another candidate":
  wins / loses   Holm-adjusted p < ALPHA and |mean difference| above the threshold
  trade-off      a win or loss that a secondary metric significantly contradicts
  tie            the whole interval lies inside ±threshold
  no evidence    anything else (too little data to tell; never read it as "equal")
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

ALPHA = 0.05
"""Family-wise error rate across the comparisons of one trial (Holm)."""
PRACTICAL = 0.005
"""Relative size below which a difference does not matter: 0.5% of the top pick's score."""
MIN_FOLDS = 3
"""Fewer complete folds than this give no evidence either way."""


@dataclass
class Difference:
    """Per-fold differences of one metric, oriented so that positive favours the top pick."""

    metric: str
    values: list[float]
    ratio: float  # mean n_test / n_train over the folds
    mean: float = 0.0
    se: float = math.inf
    low: float = -math.inf
    high: float = math.inf
    t: float = 0.0
    p: float = 1.0
    wins: int = 0

    def __post_init__(self) -> None:
        n = len(self.values)
        if n == 0:
            return
        self.mean = sum(self.values) / n
        self.wins = sum(1 for v in self.values if v > 0)
        if n < 2:
            return
        variance = sum((v - self.mean) ** 2 for v in self.values) / (n - 1)
        self.se = math.sqrt((1.0 / n + self.ratio) * variance)
        quantile = _t_quantile(n - 1)
        if self.se > 0:
            self.t = self.mean / self.se
            self.p = _t_two_sided(self.t, n - 1)
        else:
            self.t = math.copysign(math.inf, self.mean) if self.mean else 0.0
            self.p = 0.0 if self.mean else 1.0
        self.low, self.high = self.mean - quantile * self.se, self.mean + quantile * self.se


@dataclass
class Verdict:
    other: str
    primary: Difference
    threshold: float
    p_holm: float = 1.0
    verdict: str = "no evidence"
    secondary: list[Difference] = field(default_factory=list)
    against: list[str] = field(default_factory=list)  # secondary metrics that disagree


def holm(pvalues: list[float]) -> list[float]:
    """Holm's step-down adjusted p-values (monotone, capped at 1), in the input order."""
    order = sorted(range(len(pvalues)), key=lambda i: pvalues[i])
    adjusted = [1.0] * len(pvalues)
    running = 0.0
    m = len(pvalues)
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * pvalues[i]))
        adjusted[i] = running
    return adjusted


def decide(comparisons: list[Verdict]) -> None:
    """Holm-adjust the primary p-values and set each verdict in place."""
    for item, p in zip(comparisons, holm([c.primary.p for c in comparisons]), strict=True):
        item.p_holm = p
        d = item.primary
        if len(d.values) < MIN_FOLDS:
            item.verdict = "no evidence"
            continue
        if p < ALPHA and abs(d.mean) > item.threshold:
            item.verdict = "wins" if d.mean > 0 else "loses"
            item.against = [s.metric for s in item.secondary if _contradicts(s, d.mean)]
            if item.against:
                item.verdict = "trade-off"
        elif -item.threshold <= d.low and d.high <= item.threshold:
            item.verdict = "tie"
        else:
            item.verdict = "no evidence"


def _contradicts(secondary: Difference, primary_mean: float) -> bool:
    """A secondary metric that significantly favours the other side."""
    return (secondary.p < ALPHA and len(secondary.values) >= MIN_FOLDS
            and secondary.mean * primary_mean < 0)


def _t_two_sided(t: float, df: int) -> float:
    from scipy.stats import t as student

    return float(2.0 * student.sf(abs(t), df))


def _t_quantile(df: int) -> float:
    from scipy.stats import t as student

    return float(student.ppf(1 - ALPHA / 2, df))
