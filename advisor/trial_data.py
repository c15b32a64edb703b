"""The trial's features: a row sample read in one bounded pass, turned into a model-ready frame.

The trial must work on any CSV or Parquet a user has, so the preparation is defensive and says
what it did: columns that would only add noise or leak (the target itself, constants, all-missing
columns, identifiers, free text) are dropped with the reason; text becomes a pandas ``category``
(HistGradientBoosting's native categorical support, at most 255 levels); dates become their parts;
missing values stay missing (the model routes them). Rows are sampled while reading, so a large
file never sits in memory whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from advisor.errors import InputError
from advisor.io import TableSource, TypeWidened

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    import pyarrow as pa

MAX_LEVELS = 255
"""HistGradientBoosting bins a categorical feature into at most ``max_bins`` (255) levels."""
ID_DISTINCT_SHARE = 0.95
"""A text or integer column whose values are (almost) all different identifies rows."""
TEXT_MEAN_LENGTH = 30
"""Mean characters above which a high-cardinality text column is free text, not a category."""
LEAK_R2 = 0.98
LEAK_AUC = 0.995
"""One feature alone scoring this well (R² for numbers, ROC-AUC for classes) leaks the target."""
LEAK_ROWS = 5000
"""Rows the one-feature leakage check uses (a cheap screen, not a model)."""
LEAK_ITERATIONS = 5
"""Boosting rounds of the screen; at learning rate 1, one 31-leaf tree already fits a
one-to-one relation to R² > 0.99."""
_GROUP_NAME = re.compile(r"(^|_)(id|group|user|customer|client|patient|subject|session|store|"
                         r"site|household|family|person|account|device)(_|$)", re.I)
_TIME_NAME = re.compile(r"(^|_)(date|time|timestamp|datetime|year|month|week|day|period)(_|$)",
                        re.I)


@dataclass
class Features:
    """The model-ready sample: features X, target y, and what was done to get there."""

    X: pd.DataFrame
    y: np.ndarray
    classes: list[str]
    groups: np.ndarray | None
    order: np.ndarray | None
    rows_read: int
    rows_used: int
    dropped: list[dict[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    split_hints: list[str] = field(default_factory=list)


def read_sample(source: TableSource, rows: int, seed: int) -> tuple[pa.Table, int]:
    """A uniform random sample of ``rows`` rows (all of them when the file is smaller), in file
    order, from one streamed pass; returns it with the number of rows in the file.

    Each row draws a random key and the ``rows`` smallest keys are kept, so memory holds the
    sample and one batch, and the same seed gives the same sample.
    """
    while True:
        try:
            return _sample_pass(source, rows, seed)
        except TypeWidened:
            continue  # a value needed a wider column type: read again with it


def _sample_pass(source: TableSource, rows: int, seed: int) -> tuple[pa.Table, int]:
    import numpy as np
    import pyarrow as pa

    rng = np.random.default_rng(seed)
    kept: pa.Table | None = None
    keys = np.empty(0)
    index = np.empty(0, dtype=np.int64)
    seen = 0
    for batch in source.batches(list(source.columns)):
        n = batch.num_rows
        batch_keys = rng.random(n)
        batch_index = np.arange(seen, seen + n, dtype=np.int64)
        seen += n
        table = pa.Table.from_batches([batch])
        if kept is not None and len(keys) >= rows:
            cut = keys.max()
            take = np.flatnonzero(batch_keys < cut)
            if not len(take):
                continue
            table, batch_keys, batch_index = (table.take(take), batch_keys[take],
                                              batch_index[take])
        kept = table if kept is None else pa.concat_tables([kept, table.cast(kept.schema)])
        keys = np.concatenate([keys, batch_keys])
        index = np.concatenate([index, batch_index])
        if len(keys) > rows:
            best = np.argpartition(keys, rows - 1)[:rows]
            best.sort()
            kept, keys, index = kept.take(best), keys[best], index[best]
    if kept is None:
        raise InputError("the table has no rows", source.path)
    order = np.argsort(index, kind="stable")
    return kept.take(order).combine_chunks().rename_columns(unique_names(source.columns)), seen


def unique_names(columns: list[str]) -> list[str]:
    """Header names made usable as feature names: an empty or repeated header cell gets its
    position (the reader addresses columns by position, so any header is allowed)."""
    counts: dict[str, int] = {}
    for name in columns:
        counts[name] = counts.get(name, 0) + 1
    return [name if name and counts[name] == 1 else f"{name or '(unnamed)'} (column {i + 1})"
            for i, name in enumerate(columns)]


def prepare(table: pa.Table, target: str, task: str, positive: str | None,
            group: str | None, time: str | None, seed: int, path: str,
            others: tuple[str, ...] = ()) -> Features:
    """Turn the sampled table into features and a target, saying what was dropped and why;
    ``others`` (the other columns of a multilabel or multi-output target) are never features."""

    for flag, name in (("--group", group), ("--time", time)):
        if name is not None and name not in table.column_names:
            raise InputError(f"{flag} column '{name}' is not in the table", path,
                             "columns: " + ", ".join(table.column_names[:20]))
    if name_clash := {group, time} & {target}:
        raise InputError(f"'{name_clash.pop()}' is the target; --group/--time need another "
                         "column", path)
    frame = table.to_pandas(split_blocks=True, self_destruct=True, date_as_object=False)
    rows_read = len(frame)
    labelled = frame[target].notna().to_numpy()
    notes: list[str] = []
    if not labelled.all():
        notes.append(f"{int((~labelled).sum()):,} sampled rows without a target were left out")
        frame = frame.loc[labelled].reset_index(drop=True)
    y, classes = _target(frame[target], task, positive, path)
    groups = _codes(frame[group]) if group else None
    order = _time_order(frame[time], time, path) if time else None
    dropped = [{"column": target, "reason": "the target"}]
    for name in (group, time):
        if name:
            dropped.append({"column": name, "reason": "the split column (--group/--time)"})
    dropped += [{"column": name, "reason": "another target column"} for name in others
                if name in frame.columns and name not in (target, group, time)]
    columns: dict[str, Any] = {}
    hints: list[str] = []
    for name in frame.columns:
        if name in (target, group, time, *others):
            continue
        kept, reason = _feature(frame[name], name, notes)
        if reason:
            dropped.append({"column": name, "reason": reason})
        else:
            columns.update(kept)
        hint = _split_hint(frame[name], name, group, time)
        if hint:
            hints.append(hint)
    import pandas as pd

    X = pd.DataFrame(columns, index=frame.index)
    if X.shape[1] == 0:
        raise InputError("no usable feature columns are left after dropping "
                         + ", ".join(d["column"] for d in dropped), path,
                         "the trial needs at least one column besides the target")
    for leak, evidence in _leaks(X, y, task, seed):
        dropped.append({"column": leak, "reason": f"predicts the target almost perfectly on its "
                        f"own ({evidence}): a leak, or a copy of the target"})
        X = X.drop(columns=[leak])
    if X.shape[1] == 0:
        raise InputError("every feature leaks the target", path)
    return Features(X=X, y=y, classes=classes, groups=groups, order=order, rows_read=rows_read,
                    rows_used=len(X), dropped=dropped, notes=notes, split_hints=hints)


def _target(series: pd.Series, task: str, positive: str | None, path: str
            ) -> tuple[np.ndarray, list[str]]:
    import numpy as np

    if task in ("binary", "multiclass"):
        labels = series.map(_label).to_numpy(dtype=object)
        classes = sorted(set(labels), key=_sort_key)
        if task == "binary":
            if positive is None or positive not in classes:
                counts = {c: int((labels == c).sum()) for c in classes}
                positive = min(classes, key=lambda c: (counts[c], _sort_key(c)))
            classes = [c for c in classes if c != positive] + [positive]
        lookup = {c: i for i, c in enumerate(classes)}
        return np.array([lookup[v] for v in labels], dtype=np.int64), classes
    try:
        values = series.astype("float64").to_numpy()
    except (TypeError, ValueError):
        raise InputError("the target is not numeric", path, "pass --task for a class "
                         "target") from None
    return values, []


def _label(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _sort_key(label: str) -> tuple:
    try:
        return (0, float(label), label)
    except ValueError:
        return (1, 0.0, label)


def _codes(series: pd.Series) -> np.ndarray:
    import pandas as pd

    codes, _ = pd.factorize(series, use_na_sentinel=False)
    return codes


def _time_order(series: pd.Series, name: str, path: str) -> np.ndarray:
    import numpy as np
    import pandas as pd

    values = series
    if not (pd.api.types.is_numeric_dtype(values) or pd.api.types.is_datetime64_any_dtype(values)):
        values = pd.to_datetime(values, errors="coerce", format="mixed")
        if values.isna().mean() > 0.5:
            raise InputError(f"--time column '{name}' is neither numbers nor dates", path)
    return np.argsort(values.to_numpy(), kind="stable")


def _feature(series: pd.Series, name: str, notes: list[str]
             ) -> tuple[dict[str, Any], str | None]:
    """The model columns one source column becomes, or the reason it is dropped."""
    import pandas as pd

    present = series.dropna()
    if present.empty:
        return {}, "all values missing"
    distinct = present.nunique()
    if distinct <= 1:
        return {}, "constant"
    if pd.api.types.is_bool_dtype(series):
        return {name: series.astype("float64")}, None
    if pd.api.types.is_datetime64_any_dtype(series):
        return _date_parts(series, name, notes), None
    if pd.api.types.is_numeric_dtype(series):
        integral = pd.api.types.is_integer_dtype(series) or bool(
            (present == present.round()).all())
        if integral and distinct >= ID_DISTINCT_SHARE * len(present) and _id_name(name):
            return {}, f"ID-like ({distinct:,} distinct whole numbers in {len(present):,} rows)"
        return {name: series.astype("float64")}, None
    text = present.astype(str)
    if text.str.len().mean() > TEXT_MEAN_LENGTH and distinct > 0.5 * len(present):
        return {}, "free text (long, mostly unique strings); the trial does not embed text"
    if distinct >= ID_DISTINCT_SHARE * len(present) and len(present) > MAX_LEVELS:
        return {}, f"ID-like ({distinct:,} distinct values in {len(present):,} rows)"
    values = series.astype("string")
    if distinct > MAX_LEVELS:
        top = values.value_counts().index[: MAX_LEVELS - 1]
        values = values.where(values.isin(top) | values.isna(), "(other)")
        notes.append(f"{name}: {distinct:,} levels; the {MAX_LEVELS - 1} most frequent kept, "
                     "the rest pooled as '(other)'")
    return {name: values.astype("category")}, None


def _id_name(name: str) -> bool:
    lowered = name.lower()
    return lowered in {"id", "index", "row", "rowid", "key"} or lowered.endswith(("_id", "id"))


def _date_parts(series: pd.Series, name: str, notes: list[str]) -> dict[str, Any]:
    stamp = series.dt
    parts = {f"{name}.year": stamp.year, f"{name}.month": stamp.month,
             f"{name}.day": stamp.day, f"{name}.weekday": stamp.day_of_week}
    if (stamp.hour.fillna(0) != 0).any():
        parts[f"{name}.hour"] = stamp.hour
    notes.append(f"{name}: a date; expanded to {', '.join(p.split('.')[-1] for p in parts)}")
    return {key: value.astype("float64") for key, value in parts.items()}


def _split_hint(series: pd.Series, name: str, group: str | None, time: str | None) -> str | None:
    import pandas as pd

    if time is None and (pd.api.types.is_datetime64_any_dtype(series) or _TIME_NAME.search(name)):
        return (f"'{name}' looks like a time index; if the model will predict the future, pass "
                f"--time {name} so no fold trains on the future")
    if group is None and _GROUP_NAME.search(name):
        present = series.dropna()
        distinct = present.nunique()
        if 1 < distinct <= len(present) / 2:
            return (f"'{name}' looks like a group index ({distinct:,} values repeated over "
                    f"{len(present):,} rows); if rows of one {name} are related, pass --group "
                    f"{name} so no {name} is in both train and test")
    return None


def _leaks(X: pd.DataFrame, y: np.ndarray, task: str, seed: int) -> list[tuple[str, str]]:
    """Columns that predict the target almost perfectly alone (one small model per column)."""
    import numpy as np
    from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
    from sklearn.metrics import r2_score, roc_auc_score

    rng = np.random.default_rng(seed)
    n = len(X)
    take = np.sort(rng.choice(n, size=min(n, LEAK_ROWS), replace=False))
    if len(take) < 50:
        return []
    cut = len(take) * 2 // 3
    shuffled = rng.permutation(len(take))
    train, test = take[np.sort(shuffled[:cut])], take[np.sort(shuffled[cut:])]
    classify = task in ("binary", "multiclass")
    if classify and len(np.unique(y[train])) < 2:
        return []
    found = []
    for name in X.columns:
        column = X[[name]]
        model = (HistGradientBoostingClassifier if classify else HistGradientBoostingRegressor)(
            max_iter=LEAK_ITERATIONS, learning_rate=1.0, min_samples_leaf=5, random_state=seed,
            early_stopping=False)
        try:
            model.fit(column.iloc[train], y[train])
            if task == "binary":
                score = roc_auc_score(y[test], model.predict_proba(column.iloc[test])[:, 1])
                if score >= LEAK_AUC:
                    found.append((name, f"ROC-AUC {score:.4f} alone"))
            elif classify:
                accuracy = float(np.mean(model.predict(column.iloc[test]) == y[test]))
                if accuracy >= LEAK_AUC:
                    found.append((name, f"accuracy {accuracy:.4f} alone"))
            else:
                score = r2_score(y[test], model.predict(column.iloc[test]))
                if score >= LEAK_R2:
                    found.append((name, f"R² {score:.4f} alone"))
        except ValueError:
            continue  # a fold without both classes, a constant column on the screen sample
    return found
