"""Context columns: query groups (ranking), exposure (rates) and an event indicator (survival).

A target column alone hides three situations that change which loss is right: rows grouped into
queries, counts observed over unequal exposure, and durations whose event has not happened yet.
Each is named by a second column (``--group``, ``--exposure``, ``--censor``), read by the same
reader as the target and profiled here from the two row-aligned columns. The result adds
statistics and traits the rules read, may set the task (``ranking``, ``survival``), and carries
the sentences every output format shows. Without a flag, :func:`hints` notices a column that
looks like one of the three and names the flag to pass; it never changes the advice.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from advisor.errors import InputError, did_you_mean
from advisor.thresholds import Thresholds

if TYPE_CHECKING:
    from advisor.profile import Profile

FLAGS = {"group": "--group", "exposure": "--exposure", "censor": "--censor"}
"""Each context kind and the option that names its column."""
TASK_OF = {"group": "ranking", "censor": "survival"}
"""The task a context column decides; exposure keeps the target's own task."""
FLAG_OF_TASK = {task: FLAGS[kind] for kind, task in TASK_OF.items()}

MAX_K = 10
"""NDCG@k / MAP@k cut-off: the median group size, but never beyond the first page of results."""
ROWS_NAMED = 5
"""Rows quoted in an error about bad context values."""


@dataclass(frozen=True)
class ContextRequest:
    """The context columns given on the command line (at most one)."""

    group: str | None = None
    exposure: str | None = None
    censor: str | None = None

    def given(self) -> list[tuple[str, str]]:
        return [(kind, column) for kind, column in
                (("group", self.group), ("exposure", self.exposure), ("censor", self.censor))
                if column is not None]


@dataclass
class ContextResult:
    """What a context column showed: statistics, traits with evidence, and readable lines."""

    kind: str
    column: str
    stats: dict[str, Any] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)
    traits: dict[str, str] = field(default_factory=dict)
    drop_traits: set[str] = field(default_factory=set)
    """Target traits the context shows to be misleading (overdispersion of raw counts that
    only reflects unequal exposure)."""
    keep_only: set[str] | None = None
    """When set, the only target traits that still apply (a relevance grade's zeros and skew
    say nothing about ranking)."""
    task: str | None = None
    task_reason: str = ""

    def doc(self) -> dict[str, Any]:
        """The report's ``context`` object."""
        return {"kind": self.kind, "flag": FLAGS[self.kind], "column": self.column,
                "stats": self.stats, "lines": self.lines}


def check_request(request: ContextRequest, columns: list[str], targets: list[str],
                  task: str | None, where: str) -> tuple[str, str] | None:
    """Validate the flags against the header before any data is read; (kind, column) or None."""
    given = request.given()
    if len(given) > 1:
        flags = " and ".join(FLAGS[kind] for kind, _ in given)
        raise InputError(f"{flags} cannot be combined", None,
                         "pass one context column: --group, --exposure or --censor")
    if task in FLAG_OF_TASK and not any(TASK_OF.get(kind) == task for kind, _ in given):
        what = ("the column that holds the query ids" if task == "ranking"
                else "the event indicator column (1 = event, 0 = censored)")
        raise InputError(f"--task {task} needs {FLAG_OF_TASK[task]} COL", None, f"name {what}")
    if not given:
        return None
    kind, column = given[0]
    if column not in columns:
        raise InputError(f"{FLAGS[kind]}: no column '{column}'{did_you_mean(column, columns)}",
                         where, f"columns are: {', '.join(columns[:20])}")
    if column in targets:
        raise InputError(f"{FLAGS[kind]} '{column}' is also the target", where,
                         "name a different column for the target or the context")
    if len(targets) > 1:
        raise InputError(f"{FLAGS[kind]} takes a single target column, not {len(targets)}",
                         where, "pass one column with --target")
    if task and task not in (TASK_OF.get(kind), None) and kind != "exposure":
        raise InputError(f"{FLAGS[kind]} makes the task {TASK_OF[kind]}, not {task}", None,
                         f"drop --task or pass --task {TASK_OF[kind]}")
    return kind, column


def profile_context(kind: str, column: str, target: str, data: dict[str, Any],
                    thresholds: Thresholds, where: str) -> ContextResult:
    """Profile the context column against the target (both Arrow columns, row-aligned)."""
    y, y_valid = aligned_float64(data[target], target, "--target", where)
    if kind == "group":
        groups, g_valid = _group_codes(data[column])
        keep = y_valid & np.isfinite(y)
        missing = ~g_valid & keep
        if missing.any():
            raise InputError(f"--group column '{column}' is empty on {_rows(missing)}", where,
                             "give every labelled row its query id")
        return _ranking(column, y[keep], groups[keep], where)
    values, valid = aligned_float64(data[column], column, FLAGS[kind], where)
    keep = y_valid & np.isfinite(y)
    bad = keep & ~(valid & np.isfinite(values))
    if bad.any():
        raise InputError(f"{FLAGS[kind]} column '{column}' is missing on {_rows(bad)}", where,
                         "fill it in or drop those rows")
    if kind == "exposure":
        bad = keep & (values <= 0)
        if bad.any():
            raise InputError(f"--exposure column '{column}' is not positive on {_rows(bad)}",
                             where, "exposure must be > 0 (a count observed over no time has "
                             "no rate); drop or fix those rows")
        return _exposure(column, y[keep], values[keep], thresholds)
    bad = keep & (values != 0) & (values != 1)
    if bad.any():
        found = sorted({_num(v) for v in values[bad][:50]})[:3]
        raise InputError(f"--censor column '{column}' must be 1 (event) or 0 (censored); found "
                         f"{', '.join(found)} on {_rows(bad)}", where,
                         "recode the event indicator as 1/0")
    negative = keep & (y < 0)
    if negative.any():
        raise InputError(f"durations in '{target}' are negative on {_rows(negative)}", where,
                         "a time to event cannot be below zero")
    return _survival(column, y[keep], values[keep] == 1)


def apply_context(profile: Profile, result: ContextResult) -> None:
    """Fold a context result into the target's profile: task, traits and the context record."""
    from advisor.profile import Trait
    from advisor.task import Alternative
    from advisor.vocabulary import TRAITS

    if result.task:
        alternatives = []
        if result.task == "ranking":  # a pointwise model of the relevance stays an option
            alternatives.append(Alternative(profile.task, f"the relevance column alone: "
                                            f"{profile.task_reason}"))
        profile.task, profile.task_reason = result.task, result.task_reason
        profile.task_alternatives = alternatives
    evidence = {t.name: t.evidence for t in profile.traits if t.name not in result.drop_traits
                and (result.keep_only is None or t.name in result.keep_only)}
    evidence.update(result.traits)
    profile.traits = [Trait(name, evidence[name]) for name in TRAITS if name in evidence]
    profile.context = result.doc()


# -- ranking -------------------------------------------------------------------------------
def _ranking(column: str, relevance: np.ndarray, groups: np.ndarray, where: str
             ) -> ContextResult:
    if relevance.size == 0:
        raise InputError("no labelled rows to rank", where)
    _, codes = np.unique(groups, return_inverse=True)
    n_groups = int(codes.max()) + 1
    sizes = np.bincount(codes, minlength=n_groups)
    levels = np.unique(relevance)
    lowest = levels[0]
    # Per group: largest relevance and number of distinct levels, from one sort by (group, rel).
    order = np.lexsort((relevance, codes))
    g, r = codes[order], relevance[order]
    top = np.full(n_groups, -np.inf)
    np.maximum.at(top, g, r)
    new_level = np.ones(g.size, dtype=bool)
    new_level[1:] = (g[1:] != g[:-1]) | (r[1:] != r[:-1])
    distinct = np.bincount(g[new_level], minlength=n_groups)
    singletons = int((sizes == 1).sum())
    one_level = int(((sizes > 1) & (distinct == 1)).sum())
    uninformative = singletons + one_level
    without_relevant = int((top <= lowest).sum()) if levels.size > 1 else n_groups
    contiguous = bool(np.count_nonzero(np.diff(codes)) == n_groups - 1)
    median = float(np.median(sizes))
    k = int(max(1, min(MAX_K, math.floor(median))))
    stats: dict[str, Any] = {
        "n_groups": n_groups,
        "group_size_min": int(sizes.min()),
        "group_size_q25": float(np.quantile(sizes, 0.25)),
        "group_size_median": median,
        "group_size_q75": float(np.quantile(sizes, 0.75)),
        "group_size_max": int(sizes.max()),
        "singleton_groups": singletons,
        "groups_without_relevant": without_relevant,
        "n_uninformative_groups": uninformative,
        "uninformative_group_fraction": uninformative / n_groups,
        "relevance_levels": int(levels.size),
        "relevant_fraction": float((relevance > lowest).mean()) if levels.size > 1 else 0.0,
        "groups_contiguous": contiguous,
        "ndcg_k": k,
    }
    result = ContextResult("group", column, stats, task="ranking",
                           keep_only={"missing_target", "small_sample"})
    shown = ", ".join(_num(v) for v in levels[:6]) + (", ..." if levels.size > 6 else "")
    graded = levels.size > 2
    result.task_reason = (f"--group {column}: {relevance.size:,} rows in {n_groups:,} groups; "
                          f"relevance {'graded' if graded else 'binary'} ({shown})")
    if graded:
        result.traits["graded_relevance"] = f"{levels.size} relevance levels ({shown})"
    else:
        result.traits["binary_relevance"] = (
            f"relevance {shown}; {_pct(stats['relevant_fraction'])} of items relevant")
    result.lines.append(
        f"{n_groups:,} groups of {stats['group_size_min']:,}-{stats['group_size_max']:,} items "
        f"(quartiles {_num(stats['group_size_q25'])} / {_num(median)} / "
        f"{_num(stats['group_size_q75'])}); NDCG@{k} and MAP@{k} cut at the median group")
    if uninformative:
        evidence = (f"{uninformative:,} of {n_groups:,} groups ({_pct(uninformative / n_groups)})"
                    f" have one item ({singletons:,}) or one relevance level ({one_level:,}): "
                    "pairwise and listwise losses learn nothing from them; drop them or expect "
                    "them to dilute per-query metrics")
        result.traits["uninformative_groups"] = evidence
    if levels.size > 1 and without_relevant:
        result.lines.append(
            f"{without_relevant:,} groups have no relevant item (all at {_num(lowest)}): their "
            "NDCG is undefined (XGBoost scores them 1 unless the metric ends in '-')")
    if not contiguous:
        result.lines.append(
            "rows of a group are not contiguous: sort by the group column before passing "
            "group sizes (LightGBM group) or qid (XGBoost)")
    return result


def _group_codes(column: Any) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes of a group column of any type, and where it is present."""
    import pyarrow as pa

    array = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    if pa.types.is_dictionary(array.type):
        array = array.cast(array.type.value_type)
    encoded = array.dictionary_encode()
    indices = encoded.indices.cast(pa.int64())
    codes = np.frombuffer(indices.buffers()[1], dtype=np.int64,
                          count=indices.offset + len(indices))[indices.offset:]
    return codes.copy(), _validity(indices)


# -- exposure ------------------------------------------------------------------------------
def _exposure(column: str, counts: np.ndarray, exposure: np.ndarray, th: Thresholds
              ) -> ContextResult:
    total = float(exposure.sum())
    rate = float(counts.sum()) / total if total else 0.0
    expected = rate * exposure
    n = counts.size
    with np.errstate(divide="ignore", invalid="ignore"):
        pearson = float(np.sum((counts - expected) ** 2 / expected) / (n - 1)) if (
            n > 1 and rate > 0) else None
    zero_expected = float(np.exp(-expected).mean()) if n else 0.0
    zero_observed = float((counts == 0).mean()) if n else 0.0
    stats: dict[str, Any] = {
        "exposure_min": float(exposure.min()),
        "exposure_median": float(np.median(exposure)),
        "exposure_max": float(exposure.max()),
        "exposure_total": total,
        "rate_mean": rate,
        "rate_dispersion": pearson,
        "exposure_zero_fraction": zero_expected,
    }
    result = ContextResult("exposure", column, stats)
    spread = stats["exposure_max"] / stats["exposure_min"]
    result.traits["has_exposure"] = (
        f"exposure '{column}' from {_num(stats['exposure_min'])} to "
        f"{_num(stats['exposure_max'])} ({spread:,.1f}x); pooled rate {rate:.4g} per unit")
    result.lines.append(
        f"exposure {_num(stats['exposure_min'])}-{_num(stats['exposure_max'])} (median "
        f"{_num(stats['exposure_median'])}, total {_num(total)}); pooled rate {rate:.4g} = "
        "total count / total exposure")
    # Overdispersion and zero inflation are judged against Poisson with each row's own
    # exposure: raw counts over unequal exposure look overdispersed even when the rate is not.
    result.drop_traits |= {"overdispersed", "zero_inflated"}
    if pearson is not None:
        result.lines.append(f"Pearson dispersion around rate x exposure {pearson:.2f} "
                            "(Poisson: 1)")
        if pearson > th.overdispersion_index:
            result.traits["overdispersed"] = (
                f"Pearson dispersion around rate x exposure = {pearson:.2f} (Poisson: 1; "
                f"threshold {th.overdispersion_index:g})")
    if zero_observed - zero_expected >= th.zero_inflation_excess:
        result.traits["zero_inflated"] = (
            f"{_pct(zero_observed)} zeros vs {_pct(zero_expected)} expected under Poisson "
            f"with rate {rate:.4g} x each row's exposure")
    return result


# -- survival ------------------------------------------------------------------------------
def _survival(column: str, durations: np.ndarray, event: np.ndarray) -> ContextResult:
    n = durations.size
    n_events = int(event.sum())
    n_censored = n - n_events
    stats: dict[str, Any] = {
        "n_events": n_events,
        "n_censored": n_censored,
        "censored_fraction": n_censored / n if n else 0.0,
    }
    for name, part in (("event", durations[event]), ("censored", durations[~event])):
        if part.size:
            stats[f"duration_median_{name}"] = float(np.median(part))
            stats[f"duration_q25_{name}"] = float(np.quantile(part, 0.25))
            stats[f"duration_q75_{name}"] = float(np.quantile(part, 0.75))
            stats[f"duration_max_{name}"] = float(part.max())
        else:
            stats[f"duration_median_{name}"] = None
    result = ContextResult("censor", column, stats, task="survival")
    result.task_reason = (f"--censor {column}: {n_events:,} events, {n_censored:,} censored "
                          f"({_pct(stats['censored_fraction'])})")
    if n_censored:
        result.traits["censored"] = (
            f"{n_censored:,} of {n:,} durations censored ({_pct(stats['censored_fraction'])})")
    for name, label in (("event", "with an event"), ("censored", "censored")):
        if stats[f"duration_median_{name}"] is not None:
            result.lines.append(
                f"durations {label}: median {_num(stats[f'duration_median_{name}'])} "
                f"(quartiles {_num(stats[f'duration_q25_{name}'])}-"
                f"{_num(stats[f'duration_q75_{name}'])}, max "
                f"{_num(stats[f'duration_max_{name}'])})")
    if not n_censored:
        result.lines.append("no row is censored: every event was observed")
    return result


# -- noticing a context column without its flag --------------------------------------------
NAME_PATTERNS = {
    "group": re.compile(r"^(q_?id|query(_?id)?|group_?id|session_?id|search_?id|srch_id)$"),
    "exposure": re.compile(r"^(exposure\w*|duration_at_risk|time_at_risk|person_?(time|years)|"
                           r"policy_?years|population)$"),
    "censor": re.compile(r"^(event\w*|status|censor\w*|observed|dead|death|died|delta)$"),
}
"""Column names (lower-case) that suggest a context column; the values must agree too."""


def hint_candidates(columns: list[str], targets: list[str]) -> dict[str, str]:
    """Columns whose names suggest a context (column -> kind), excluding the target."""
    found: dict[str, str] = {}
    for name in columns:
        if name in targets:
            continue
        for kind, pattern in NAME_PATTERNS.items():
            if pattern.match(name.strip().lower()):
                found[name] = kind
                break
    return found


def hints(candidates: dict[str, str], data: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """Candidates whose values also fit their kind: column -> (kind, what it looks like)."""
    found = {}
    for name, kind in candidates.items():
        column = data.get(name)
        if column is None or len(column) == 0:
            continue
        why = _looks_like(kind, column)
        if why:
            found[name] = (kind, why)
    return found


def hint_note(column: str, kind: str, why: str) -> str:
    """The note naming the flag to pass for a column that looks like a context column."""
    return (f"column '{column}' looks like {why}; pass {FLAGS[kind]} {column} to use it "
            "(this advice does not)")


def _looks_like(kind: str, column: Any) -> str | None:
    import pyarrow as pa

    rows = len(column)
    if kind == "group":
        codes, valid = _group_codes(column)
        distinct = np.unique(codes[valid]).size
        if 1 < distinct <= rows / 2:
            return f"a query id ({distinct:,} groups over {rows:,} rows)"
        return None
    if not (pa.types.is_integer(column.type) or pa.types.is_floating(column.type)
            or pa.types.is_boolean(column.type)):
        return None
    values, valid = aligned_float64(column, "", "", "")
    values = values[valid & np.isfinite(values)]
    if values.size == 0:
        return None
    if kind == "exposure" and values.min() > 0 and values.max() > values.min():
        return (f"an exposure ({_num(values.min())}-{_num(values.max())}, all positive)")
    if kind == "censor" and set(np.unique(values).tolist()) == {0.0, 1.0}:
        return f"an event indicator (0/1, {_pct(float((values == 0).mean()))} zeros)"
    return None


# -- Arrow helpers -------------------------------------------------------------------------
def aligned_float64(column: Any, name: str, flag: str, where: str
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Every row of a numeric or boolean Arrow column as float64, with its validity mask.

    Unlike the target reader, nulls keep their row, so the column lines up with another one.
    Reads buffers directly (``to_numpy`` on chunks with nulls imports pandas).
    """
    import pyarrow as pa

    kind = column.type
    if pa.types.is_dictionary(kind):
        column = column.cast(kind.value_type)
        kind = column.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        try:
            column = column.cast(pa.float64())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            raise InputError(f"{flag} column '{name}' is not numeric", where,
                             "it must hold numbers") from None
    elif pa.types.is_null(kind):
        raise InputError(f"{flag} column '{name}' is empty", where)
    elif not (pa.types.is_integer(kind) or pa.types.is_floating(kind)
              or pa.types.is_boolean(kind) or pa.types.is_decimal(kind)):
        raise InputError(f"{flag} column '{name}' has type {kind}, not numbers", where)
    chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    values, valid = [], []
    for chunk in chunks:
        chunk = chunk.cast(pa.float64())
        data = np.frombuffer(chunk.buffers()[1], dtype=np.float64,
                             count=chunk.offset + len(chunk))[chunk.offset:]
        values.append(data)
        valid.append(_validity(chunk))
    if not values:
        return np.empty(0), np.empty(0, dtype=bool)
    return np.concatenate(values), np.concatenate(valid)


def _validity(array: Any) -> np.ndarray:
    """A boolean mask of the non-null slots of an Arrow array."""
    length = len(array)
    if array.null_count == 0:
        return np.ones(length, dtype=bool)
    bits = np.frombuffer(array.buffers()[0], dtype=np.uint8)
    mask = np.unpackbits(bits, bitorder="little")[array.offset: array.offset + length]
    return mask.astype(bool)


def _rows(mask: np.ndarray) -> str:
    """'rows 3, 17 and 4 more' with 1-based data row numbers (the header is not a row)."""
    where = np.flatnonzero(mask)
    shown = ", ".join(str(int(i) + 1) for i in where[:ROWS_NAMED])
    more = f" and {where.size - ROWS_NAMED:,} more" if where.size > ROWS_NAMED else ""
    return f"{'row' if where.size == 1 else 'rows'} {shown}{more}"


def _pct(share: float) -> str:
    if share == 0:
        return "0%"
    if share < 0.01:
        return f"{share:.2%}"
    return f"{share:.1%}"


def _num(value: float) -> str:
    return f"{value:,.4g}" if abs(value) < 1e4 else f"{value:,.0f}"
