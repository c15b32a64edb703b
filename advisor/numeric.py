"""Numerically careful building blocks shared by task inference and the profiler."""

from __future__ import annotations

import math

import numpy as np


def moments(
    values: np.ndarray, lo: float, hi: float, block: int = 1 << 20
) -> tuple[float, float, float, float]:
    """Mean, population variance, skewness and excess kurtosis, overflow-safe and in blocks.

    Values are scaled by their largest magnitude before summing, so targets near the float
    limit (1e308) give finite skewness and kurtosis instead of overflowing; blocks keep the
    temporaries small on big columns.
    """
    n = values.shape[0]
    if n == 0:
        return 0.0, 0.0, 0.0, 0.0
    scale = max(abs(lo), abs(hi)) or 1.0
    total = 0.0
    for start in range(0, n, block):
        total += float(np.sum(values[start : start + block] / scale))
    mean = total / n * scale
    spread = max(abs(lo - mean), abs(hi - mean))
    if not math.isfinite(spread) or spread == 0:
        spread = scale if spread else 1.0
    s2 = s3 = s4 = 0.0
    for start in range(0, n, block):
        d = (values[start : start + block] - mean) / spread
        d2 = d * d
        s2 += float(d2.sum())
        s3 += float((d2 * d).sum())
        s4 += float((d2 * d2).sum())
    m2 = s2 / n
    if m2 <= 0:
        return mean, 0.0, 0.0, 0.0
    return mean, m2 * spread * spread, (s3 / n) / m2**1.5, (s4 / n) / (m2 * m2) - 3.0


def quantile(ordered: np.ndarray, q: float) -> float:
    """Linear interpolation between order statistics (numpy's default 'linear' method)."""
    position = q * (ordered.shape[0] - 1)
    lower = math.floor(position)
    upper = min(lower + 1, ordered.shape[0] - 1)
    fraction = position - lower
    low, high = float(ordered[lower]), float(ordered[upper])
    if fraction == 0 or low == high:
        return low
    return low * (1 - fraction) + high * fraction  # no overflow near the float limits


def skewness(values: np.ndarray) -> float:
    """Fisher-Pearson skewness of unsorted values (0 for constant input)."""
    if values.shape[0] == 0:
        return 0.0
    return moments(values, float(values.min()), float(values.max()))[2]
