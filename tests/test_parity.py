"""Parity, proven: every read path gives the same profile.

A corpus of targets (numeric, integer, boolean, text, dictionary-encoded, decimal, huge
magnitudes, a late non-UTF-8 byte, missing tokens, a continuous target past the exact-count cap)
is profiled as one file in memory, as one file streamed, as the same rows split into many files
(in memory and streamed), with ``--jobs`` and on a Dask LocalCluster. Fields the JSON does not
list under ``approximate`` must be identical (moments: equal to float rounding, since sums
over other batchings round differently); approximate fields must lie within the sketch's
stated rank error of the exact value.
"""

from __future__ import annotations

import json
import math
from decimal import Decimal

import numpy as np
import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.parquet as pq
import pytest
from conftest import run

import advisor.io
import advisor.summary
from advisor.summary import sketch_rank_error

ROWS = 3000
MOMENTS = {"mean", "std", "skewness", "excess_kurtosis", "huber_delta_bound", "dispersion_index",
           "poisson_zero_fraction", "zero_excess"}


def corpus() -> dict[str, tuple[str, pa.Table]]:
    """name -> (file format, table with target column y)."""
    rng = np.random.default_rng(8)
    missing = np.where(rng.random(ROWS) < 0.05, None, rng.poisson(2, ROWS).astype(str))
    return {
        "numeric": ("parquet", pa.table({"y": rng.lognormal(1, 1, ROWS)})),
        "integer": ("parquet", pa.table({"y": rng.poisson(1.2, ROWS)})),
        "boolean": ("parquet", pa.table({"y": rng.random(ROWS) < 0.1})),
        "text": ("parquet", pa.table({"y": rng.choice(["cat", "dog", " bird"], ROWS)})),
        "dictionary": ("parquet", pa.table(
            {"y": pa.array(rng.choice(["a", "b", "c", "d"], ROWS)).dictionary_encode()})),
        "decimal": ("parquet", pa.table({"y": pa.array(
            [Decimal(int(v)) / 100 for v in rng.integers(0, 50_000, ROWS)],
            pa.decimal128(10, 2))})),
        "huge": ("parquet", pa.table({"y": rng.standard_t(4, ROWS) * 1e300})),
        "missing_tokens": ("csv", pa.table({"y": pa.array(
            [v if v is not None else rng.choice(["", "NA", "null"]) for v in missing])})),
        "late_latin1": ("csv", None),
        "continuous_past_cap": ("parquet", pa.table({"y": rng.standard_cauchy(ROWS)})),
    }


def write(folder, name: str, kind: str, table: pa.Table | None, parts: int) -> list[str]:
    """The rows as one file or split into ``parts`` files; returns the paths."""
    if name == "late_latin1":  # a non-UTF-8 byte far beyond the sniffed first 256 KB
        lines = [f"{'x' * 100},{['ja', 'nein'][i % 2]}\n" for i in range(ROWS)]
        lines[-3] = f"{'x' * 100},caf\xe9\n"
        text = "pad,y\n" + "".join(lines)
        chunks = np.array_split(np.arange(ROWS), parts)
        paths = []
        for i, rows in enumerate(chunks):
            path = folder / f"{name}-{parts}-{i}.csv"
            body = "".join(lines[r] for r in rows)
            path.write_bytes(("pad,y\n" + body).encode("latin-1"))
            paths.append(str(path))
        assert len(text) > 256 * 1024 // parts or parts > 1
        return paths
    paths = []
    for i, rows in enumerate(np.array_split(np.arange(table.num_rows), parts)):
        piece = table.take(pa.array(rows))
        path = folder / f"{name}-{parts}-{i}.{kind}"
        if kind == "parquet":
            pq.write_table(piece, path, row_group_size=500)
        else:
            pcsv.write_csv(piece, path)
        paths.append(str(path))
    return paths


def profile(paths: list[str], *options: str) -> dict:
    result = run(["profile", *paths, "-t", "y", "-f", "json", "--no-advice", *options])
    if result.exit_code:
        return {"error": result.stderr.split(": ", 1)[-1]}
    doc = json.loads(result.stdout)
    return {"task": doc["task"], "traits": doc["traits"], "profile": doc["profile"]}


def sorted_values(table: pa.Table | None) -> np.ndarray | None:
    """The exact sorted values of a numeric target, for checking the sketch's ranks."""
    if table is None:
        return None
    kind = table.column("y").type
    if not (pa.types.is_floating(kind) or pa.types.is_integer(kind)
            or pa.types.is_decimal(kind)):
        return None
    return np.sort(table.column("y").cast(pa.float64()).to_numpy())


def assert_parity(exact: dict, other: dict, values: np.ndarray | None) -> None:
    if "error" in exact or "error" in other:
        assert exact.keys() == other.keys()
        return
    approximate = set(other["profile"].get("approximate", []))
    assert exact["task"] == other["task"]
    for key, value in exact["profile"].items():
        theirs = other["profile"].get(key)
        if key in approximate:
            if key in ("q01", "q05", "q25", "median", "q75", "q95", "q99"):
                # the sketch's value sits at a rank within the stated error of the quantile's
                rank = np.searchsorted(values, theirs, side="left") / values.size
                high = np.searchsorted(values, theirs, side="right") / values.size
                q = {"median": 0.5}.get(key) or int(key[1:]) / 100
                assert rank - 2 * sketch_rank_error() <= q <= high + 2 * sketch_rank_error()
            continue
        if key in MOMENTS and isinstance(value, float):
            assert math.isclose(value, theirs, rel_tol=1e-8, abs_tol=1e-12), key
        elif key != "approximate":
            assert value == theirs, key
    if not approximate:
        assert exact["traits"] == other["traits"]


@pytest.fixture(autouse=True)
def small_batches(monkeypatch):
    """Many batches per file, and a low exact-count cap, so small files exercise the merges."""
    monkeypatch.setattr(advisor.io, "STREAM_BLOCK", 1 << 14)
    monkeypatch.setattr(advisor.summary, "LEVEL_CAP", 1000)


@pytest.mark.parametrize("name", list(corpus()))
def test_every_local_path_gives_the_same_profile(tmp_path, name):
    kind, table = corpus()[name]
    one = write(tmp_path, name, kind, table, 1)
    many = write(tmp_path, name, kind, table, 5)
    exact = profile(one, "--no-stream")
    values = sorted_values(table)
    for other in (profile(one, "--stream"), profile(many, "--no-stream"),
                  profile(many, "--stream")):
        assert_parity(exact, other, values)
    assert profile(many, "--no-stream") == exact  # in memory over many files stays exact


def test_jobs_give_the_same_profile(tmp_path):
    for name in ("integer", "text", "continuous_past_cap"):
        kind, table = corpus()[name]
        exact = profile(write(tmp_path, name, kind, table, 1), "--no-stream")
        values = sorted_values(table)
        assert_parity(exact, profile(write(tmp_path, name, kind, table, 4), "--jobs", "2"),
                      values)


@pytest.mark.slow
@pytest.mark.parametrize("name", list(corpus()))
def test_jobs_and_dask_give_the_same_profile_on_the_whole_corpus(tmp_path, name):
    pytest.importorskip("distributed")
    kind, table = corpus()[name]
    exact = profile(write(tmp_path, name, kind, table, 1), "--no-stream")
    many = write(tmp_path, name, kind, table, 4)
    values = sorted_values(table)
    assert_parity(exact, profile(many, "--jobs", "2"), values)
    assert_parity(exact, profile(many, "--engine", "dask", "--jobs", "2"), values)
