"""Infer the learning task from the target's values, criterion by criterion.

Peers get several common cases wrong (scikit-learn's ``type_of_target`` calls any integer column
"multiclass", so claim counts and whole-dollar prices become 300-class problems; AutoGluon and H2O
treat low-cardinality integers as classes). The criteria below are ordered so the specific
evidence (two values, fractions, zeros with right skew, all-distinct sequences) is checked before
the generic fallbacks. Every decision carries its reason, and close calls name the runner-up.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from advisor.column import rows_one_hot
from advisor.errors import InputError
from advisor.summary import LEVEL_CAP, TargetSummary
from advisor.thresholds import Thresholds
from advisor.vocabulary import TASKS

POSITIVE_TOKENS = ("1", "yes", "y", "true", "t", "positive", "pos")
"""Text labels read as the positive class of a binary target (compared case-insensitively)."""

ORDINAL_NAME_HINTS = ("rating", "stars", "star", "score", "grade", "quality", "level", "rank")
"""Name fragments that mark an integer column starting at 0 as a rating scale, not label codes."""


@dataclass
class Alternative:
    task: str
    reason: str


@dataclass
class TaskDecision:
    task: str
    reason: str
    alternatives: list[Alternative] = field(default_factory=list)
    traits: dict[str, str] = field(default_factory=dict)
    """Traits the inference itself establishes (ordinal_levels, one_hot_labels), with evidence."""
    positive_label: str | None = None
    label_encoding: str | None = None
    """How class labels are written: integer, text, boolean, signed (-1/1) or one_hot."""


def label_text(value: object) -> str:
    """A class label as text: integral floats lose their '.0' so 1.0 and '1' agree."""
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value)


def infer_task(columns: list[TargetSummary], thresholds: Thresholds, where: str) -> TaskDecision:
    """Infer the task of one or several target columns.

    One column, after missing and infinite values are dropped:

    * ``binary``: exactly two distinct values: 0/1, -1/1, booleans, "yes"/"no", "true"/"false"
      or any two labels.
    * ``multiclass``: text with a few distinct values; or integers with few levels that do not
      look like counts. Consecutive integer levels starting at 1 (or any start when the column's
      name says rating/score/stars/grade/quality) add the trait ``ordinal_levels`` and name
      regression as the alternative; codes starting at 0 are read as label encoding.
    * ``count``: non-negative integers with zeros that are right-skewed (skewness at least
      ``count_min_skewness``) or have more levels than ``max_class_levels``.
    * ``regression``: any non-integral value; or integers with more levels than
      ``max_class_levels`` that are not counts (a score of 25-346, whole-dollar prices).

    Refused (input error): an all-missing column; a constant column; an identifier, i.e. text
    or integers whose values are all distinct (integers also in a monotonic sequence or densely
    filling their range). Distinct *floats* are a continuous measurement, not an identifier.

    Several columns:

    * ``multilabel``: every column has only the values 0/1 (or booleans) and rows may carry
      several labels.
    * ``multiclass`` (one-hot): every column is 0/1 and every row has exactly one 1.
    * ``regression`` (multi-output): every column is numeric and not binary.
    """
    for column in columns:
        if column.n == 0:
            words = ", ".join(f"'{word}'" for word in list(column.strays)[:5])
            raise InputError(
                f"target column '{column.name}' has no values (all {column.n_total} missing"
                + (f": {words}" if words else "") + ")",
                where,
                "name a column with values using --target",
            )
    if len(columns) == 1:
        return _infer_single(columns[0], thresholds, where)
    return _infer_multi(columns, where)


def _infer_single(column: TargetSummary, th: Thresholds, where: str) -> TaskDecision:
    if column.kind == "text":
        return _infer_text(column, th, where)
    k = column.n_distinct()
    lo, hi = column.minimum(), column.maximum()
    if k == 1:
        raise InputError(
            f"target column '{column.name}' has a single value ({label_text(lo)}) in "
            f"all {column.n} rows, so there is nothing to learn",
            where,
            "check the file or name another column",
        )
    if k == 2:
        levels, counts = column.levels()
        return _binary(column, levels, counts)
    if not column.integral():
        decision = TaskDecision(
            "regression",
            f"{k} distinct values, some with fractional parts: a continuous measurement",
        )
        if lo >= 0 and hi <= 1:
            decision.reason += " in [0, 1] (a rate or proportion)"
        return decision

    n = column.n
    if column.all_distinct() and n >= th.id_min_rows:
        density = n / (hi - lo + 1)
        if column.monotonic or density >= th.id_min_density:
            how = ("a monotonic sequence" if column.monotonic
                   else f"filling {density:.0%} of their range")
            raise InputError(
                f"target column '{column.name}' looks like an identifier: all {n} values are "
                f"distinct integers, {how}",
                where,
                "an ID is not a target; name the real target with --target",
            )
    skew = column.moments()[2]
    zeros = column.count_between(0.0, 0.0) if lo <= 0 <= hi else 0
    has_zero = zeros > 0
    non_negative = lo >= 0
    zero_share = zeros / n
    consecutive = hi - lo + 1 == k  # k distinct integers filling lo..hi
    named_rating = any(hint in column.name.lower() for hint in ORDINAL_NAME_HINTS)
    count_evidence = (
        f"non-negative integers with {zero_share:.0%} zeros, right-skewed "
        f"(skewness {skew:.2f}), {k} levels from {label_text(lo)} to {label_text(hi)}"
    )
    # Classes need repeated members: when most integer levels hold one or two rows, the
    # values are a small sample of a measurement, not codes.
    repeated = k > th.max_class_levels or _median_level_count(column) >= th.min_class_members
    rating_like = (
        repeated and consecutive and 3 <= k <= th.ordinal_max_levels
        and (lo >= 1 or named_rating)
    )
    positives = n - zeros
    per_value = positives / max(k - (1 if has_zero else 0), 1)
    fine_units = has_zero and per_value < th.count_min_rows_per_value and n >= th.id_min_rows

    if non_negative and fine_units and (skew >= th.count_min_skewness or k > th.max_class_levels):
        decision = TaskDecision(
            "regression",
            f"whole numbers with {zero_share:.0%} zeros, but the positive values average "
            f"{per_value:.1f} rows per distinct value ({k} levels from {label_text(lo)} to "
            f"{label_text(hi)}): a measurement in fine units, not counts",
        )
        decision.alternatives.append(
            Alternative("count", "if each unit is an event counted, the zeros are counts")
        )
        return decision
    if non_negative and has_zero and (skew >= th.count_min_skewness or k > th.max_class_levels):
        decision = TaskDecision("count", count_evidence)
        if k <= th.max_class_levels:
            decision.alternatives.append(
                Alternative("multiclass", f"only {k} levels; classes if they are codes")
            )
        return decision
    if rating_like:
        decision = TaskDecision(
            "multiclass",
            f"{k} consecutive integer levels from {label_text(lo)} to {label_text(hi)}: "
            "an ordered rating scale",
            label_encoding="integer",
        )
        decision.traits["ordinal_levels"] = (
            f"{k} evenly spaced levels {label_text(lo)}..{label_text(hi)}"
        )
        decision.alternatives.append(
            Alternative("regression", "the levels are ordered and evenly spaced")
        )
        if non_negative and skew >= th.count_min_skewness:
            decision.alternatives.append(
                Alternative("count", f"non-negative and right-skewed (skewness {skew:.2f})")
            )
        return decision
    if lo == 1 and skew >= th.count_min_skewness and k >= 3:
        # Positive, right-skewed whole numbers from 1: counts that cannot be zero (items per
        # order) or durations in whole units (days in hospital, spells of unemployment).
        decision = TaskDecision(
            "count",
            f"positive integers from 1 to {label_text(hi)} ({k} levels), right-skewed "
            f"(skewness {skew:.2f}), no zeros: zero-truncated counts or whole-unit durations",
        )
        decision.traits["zero_truncated"] = (
            f"smallest value 1, no zeros among {n:,} rows: the count starts at 1"
        )
        decision.alternatives.append(
            Alternative("regression", "durations or sizes in whole units: Gamma or log-scale "
                        "regression")
        )
        if k <= th.max_class_levels and repeated:
            decision.alternatives.append(
                Alternative("multiclass", f"only {k} levels; classes if they are codes")
            )
        return decision
    if k <= th.max_class_levels and repeated:
        decision = TaskDecision(
            "multiclass",
            f"{k} distinct integer values ({_levels_text(column.levels()[0])}): class codes",
            label_encoding="integer",
        )
        if consecutive and k > th.ordinal_max_levels:
            decision.alternatives.append(
                Alternative("regression", f"{k} consecutive levels may be a measurement")
            )
        return decision
    if non_negative and has_zero:
        decision = TaskDecision("count", count_evidence)
        decision.alternatives.append(
            Alternative("regression", f"skewness {skew:.2f} is mild for counts")
        )
        return decision
    decision = TaskDecision(
        "regression",
        f"whole numbers with {k} levels from {label_text(lo)} to {label_text(hi)}"
        + ("" if has_zero else " and no zeros")
        + ": a measurement, not classes"
        + ("" if repeated else f" (most levels hold fewer than {th.min_class_members:g} rows)"),
    )
    if non_negative and skew >= th.count_min_skewness:
        decision.alternatives.append(
            Alternative("count", f"non-negative integers, right-skewed (skewness {skew:.2f})")
        )
    return decision


def _median_level_count(column: TargetSummary) -> float:
    """Rows in the median level: how many members a typical class would have."""
    _levels, counts = column.levels()
    return float(np.median(counts)) if len(counts) else 0.0


def _infer_text(column: TargetSummary, th: Thresholds, where: str) -> TaskDecision:
    distinct, exact = column.text_distinct()
    if distinct > LEVEL_CAP and not (exact and column.all_distinct()):
        raise InputError(
            f"target column '{column.name}' looks like free text or an identifier: more than "
            f"{LEVEL_CAP:,} distinct values in {column.n:,} rows",
            where,
            "name a label column with --target",
        )
    levels, counts = column.levels()
    k, n = (len(levels) if distinct <= LEVEL_CAP else distinct), column.n
    if k == 1:
        raise InputError(
            f"target column '{column.name}' has a single value ('{levels[0]}') in all {n} rows, "
            "so there is nothing to learn",
            where,
            "check the file or name another column",
        )
    if k == 2:
        return _binary(column, levels, counts)
    if column.all_distinct() and n >= th.id_min_rows:
        raise InputError(
            f"target column '{column.name}' looks like an identifier: all {n} text values are "
            "distinct",
            where,
            "an ID is not a target; name the real target with --target",
        )
    if k > th.max_class_levels and k > th.string_max_distinct_fraction * n:
        raise InputError(
            f"target column '{column.name}' looks like free text or an identifier: {k} distinct "
            f"values in {n} rows",
            where,
            "name a label column with --target",
        )
    return TaskDecision(
        "multiclass", f"{k} distinct text labels", label_encoding="text"
    )


def _binary(column: TargetSummary, levels: list, counts: np.ndarray) -> TaskDecision:
    texts = [label_text(v) for v in levels]
    lowered = [t.lower() for t in texts]
    positive = next((texts[i] for i, t in enumerate(lowered) if t in POSITIVE_TOKENS), None)
    if column.kind == "boolean":
        encoding, positive, shown = "boolean", "1", "true/false"
    elif column.kind == "text":
        encoding, shown = "text", "/".join(texts)
    elif set(lowered) == {"-1", "1"}:
        encoding, positive, shown = "signed", "1", "-1/1"
    else:
        encoding, shown = "integer", "/".join(texts)
        if positive is None or set(lowered) != {"0", "1"}:
            positive = None
    if positive is None:
        # No conventional positive label: the rarer class is the one of interest.
        positive = texts[int(np.argmin(counts))]
    return TaskDecision(
        "binary",
        f"exactly two distinct values ({shown})",
        positive_label=positive,
        label_encoding=encoding,
    )


def _infer_multi(columns: list[TargetSummary], where: str) -> TaskDecision:
    names = ", ".join(c.name for c in columns)
    # Row-wise facts first: later statistics sort each column in place.
    one_hot = rows_one_hot(columns)
    binary = [c.zero_one() for c in columns]
    constant = [c for c in columns if c.n_distinct() == 1]
    if len(constant) == len(columns):
        shown = ", ".join(f"'{c.name}' is always {_only_value(c)}" for c in constant[:6])
        raise InputError(
            f"no target column varies ({shown}{', ...' if len(constant) > 6 else ''}), "
            "so there is nothing to learn",
            where,
            "check the file or name other columns with --target",
        )
    if all(binary):
        if one_hot:
            decision = TaskDecision(
                "multiclass",
                f"{len(columns)} 0/1 columns ({names}) with exactly one 1 per row: "
                "one-hot encoded classes",
                label_encoding="one_hot",
            )
            decision.traits["one_hot_labels"] = f"{len(columns)} one-hot columns"
            return _note_constant(decision, constant)
        return _note_constant(TaskDecision(
            "multilabel",
            f"{len(columns)} 0/1 columns ({names}); rows may carry several labels",
            label_encoding="indicator",
        ), constant)
    numeric = [c.kind == "numeric" for c in columns]
    if all(numeric) and not any(binary):
        return _note_constant(TaskDecision(
            "regression", f"{len(columns)} numeric columns ({names}): multi-output regression"
        ), constant)
    kinds = ", ".join(
        f"{c.name}: {'0/1' if b else c.kind}" for c, b in zip(columns, binary, strict=True)
    )
    raise InputError(
        f"the target columns mix kinds ({kinds})",
        where,
        "several targets must be all 0/1 (multilabel) or all numeric (multi-output regression)",
    )


def _only_value(column: TargetSummary) -> str:
    return f"'{column.levels()[0][0]}'" if column.kind == "text" else label_text(
        column.minimum())


def _note_constant(decision: TaskDecision, constant: list[TargetSummary]) -> TaskDecision:
    """A constant column among varying ones teaches nothing: the trait says which, and why."""
    if constant:
        decision.traits["constant_label"] = "; ".join(
            f"'{c.name}' is {_only_value(c)} in all {c.n:,} rows" for c in constant
        )
    return decision


def _levels_text(levels: list, limit: int = 6) -> str:
    shown = ", ".join(label_text(v) for v in levels[:limit])
    return shown + (", ..." if len(levels) > limit else "")


def check_task(
    task: str, columns: list[TargetSummary], thresholds: Thresholds, where: str
) -> TaskDecision:
    """Validate a ``--task`` override against the data instead of trusting it blindly.

    The override wins over inference (a user may know that 0..9 are codes, not counts), but
    never over the data's domain: counts must be non-negative integers, binary needs two values.
    """
    if task not in TASKS:
        raise InputError(f"unknown task '{task}'", where, f"use one of: {', '.join(TASKS)}")
    for c in columns:
        if c.n == 0:
            raise InputError(f"target column '{c.name}' has no values", where)
        if task in ("regression", "count") and c.kind == "text":
            raise InputError(f"--task {task} needs numbers, but '{c.name}' holds text", where)
        if task == "count" and c.minimum() < 0:
            raise InputError(
                f"--task count, but column '{c.name}' has negative values "
                f"(min {c.minimum():g})",
                where,
                "counts are non-negative integers; use --task regression",
            )
        if task == "count" and not c.integral():
            raise InputError(
                f"--task count, but column '{c.name}' has fractional values",
                where,
                "counts are whole numbers; use --task regression",
            )
        if task == "binary":
            k = c.n_distinct()
            if k != 2 or len(columns) > 1:
                raise InputError(
                    f"--task binary needs one column with two values; '{c.name}' has {k}",
                    where,
                )
    if task == "multilabel" and (len(columns) < 2 or not all(c.zero_one() for c in columns)):
        raise InputError(
            "--task multilabel needs several 0/1 target columns (--target a,b,c)", where
        )
    try:
        inferred: TaskDecision | None = infer_task(columns, thresholds, where)
    except InputError:
        inferred = None  # e.g. an ID-like column the user insists on
    if inferred is not None and inferred.task == task:
        return inferred
    suggestion = (
        f" (the data alone suggests {inferred.task}: {inferred.reason})" if inferred else ""
    )
    decision = TaskDecision(task, f"given with --task{suggestion}")
    if inferred is not None:
        decision.alternatives.append(Alternative(inferred.task, inferred.reason))
    if task == "binary":
        column = columns[0]
        levels, counts = column.levels()
        binary = _binary(column, levels, counts)
        decision.positive_label = binary.positive_label
        decision.label_encoding = binary.label_encoding
    elif task == "multiclass":
        decision.label_encoding = "text" if columns[0].kind == "text" else "integer"
    elif task == "multilabel":
        decision.label_encoding = "indicator"
    return decision
