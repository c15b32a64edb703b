"""Streaming: the bounded-memory pass agrees with the in-memory profile, exactly where it claims
to be exact and closely where it says 'approximate'."""

from __future__ import annotations

import json
import math

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import run
from hypothesis import given, settings
from hypothesis import strategies as st

import advisor.io
import advisor.summary
from advisor import analyze as analyze_module
from advisor.analyze import analyze
from advisor.errors import InputError
from advisor.thresholds import Thresholds

TH = Thresholds()


@pytest.fixture(autouse=True)
def small_blocks(monkeypatch):
    """Many small batches, so merging across batches is exercised on small files."""
    monkeypatch.setattr(advisor.io, "STREAM_BLOCK", 1 << 12)


def both(path: str, target: str | None):
    in_memory = analyze(path, target, TH, stream=False).profile
    streamed = analyze(path, target, TH, stream=True).profile
    return in_memory, streamed


def close(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(close(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(close(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def write_csv(tmp_path, columns: dict[str, list]) -> str:
    path = tmp_path / "data.csv"
    names = list(columns)
    rows = zip(*columns.values(), strict=True)
    text = ",".join(names) + "\n" + "".join(
        ",".join("" if v is None else str(v) for v in row) + "\n" for row in rows)
    path.write_text(text)
    return str(path)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(st.integers(-3, 40), st.none()), min_size=30, max_size=3000))
def test_few_levels_are_exact(tmp_path_factory, values):
    path = write_csv(tmp_path_factory.mktemp("s"), {"x": [1] * len(values), "y": values})
    try:
        in_memory, streamed = both(path, "y")
    except InputError as exc:  # both paths must refuse the same inputs the same way
        with pytest.raises(type(exc)):
            analyze(path, "y", TH, stream=True)
        return
    assert streamed.task == in_memory.task
    assert streamed.trait_names() == in_memory.trait_names()
    for key, value in in_memory.stats.items():
        assert close(streamed.stats[key], value), (key, streamed.stats[key], value)


def test_samples_files(tmp_path):
    from conftest import SAMPLES

    for name, target in (("fraud.csv", "is_fraud"), ("claims.csv", "n_claims"),
                         ("species.csv", "species"), ("ratings.csv", "stars"),
                         ("article_tags.csv", "tag_politics,tag_sports,tag_tech,tag_health,"
                                              "tag_science")):
        in_memory, streamed = both(str(SAMPLES / name), target)
        assert streamed.task == in_memory.task, name
        assert streamed.trait_names() == in_memory.trait_names(), name
        assert close(streamed.stats, in_memory.stats), name


def test_continuous_target_beyond_the_cap_is_sketched_and_labelled(tmp_path, monkeypatch):
    monkeypatch.setattr(advisor.summary, "LEVEL_CAP", 500)
    rng = np.random.default_rng(3)
    values = np.round(rng.lognormal(2, 0.8, 20_000), 6).tolist()
    values[::50] = [0.0] * len(values[::50])
    path = write_csv(tmp_path, {"y": values})
    exact, streamed = both(path, "y")
    assert "approximate" in streamed.stats and "approximate" not in exact.stats
    assert set(streamed.stats["approximate"]) >= {"median", "q99", "mad", "histogram"}
    for key in ("n", "n_missing", "mean", "std", "min", "max", "zero_fraction",
                "negative_fraction", "skewness", "excess_kurtosis"):
        assert math.isclose(streamed.stats[key], exact.stats[key], rel_tol=1e-9), key
    for key in ("q25", "median", "q75", "mad"):
        assert math.isclose(streamed.stats[key], exact.stats[key], rel_tol=0.05), key
    assert streamed.task == exact.task == "regression"


def test_monotonic_ids_are_refused_when_streamed(tmp_path, monkeypatch):
    monkeypatch.setattr(advisor.summary, "LEVEL_CAP", 100)
    path = write_csv(tmp_path, {"id": list(range(5000)), "y": list(range(5000))})
    from advisor.errors import InputError

    with pytest.raises(InputError, match="identifier"):
        analyze(path, "y", TH, stream=True)


def test_one_hot_and_multilabel_columns_when_streamed(tmp_path):
    rng = np.random.default_rng(1)
    labels = rng.integers(0, 3, 2000)
    onehot = {f"c{i}": (labels == i).astype(int).tolist() for i in range(3)}
    path = write_csv(tmp_path, onehot)
    assert analyze(path, "c0,c1,c2", TH, stream=True).profile.task == "multiclass"
    multi = {f"t{i}": (rng.random(2000) < 0.3).astype(int).tolist() for i in range(3)}
    path = write_csv(tmp_path, multi)
    in_memory, streamed = both(path, "t0,t1,t2")
    assert streamed.task == in_memory.task == "multilabel"
    assert close(streamed.stats, in_memory.stats)


def test_a_wider_value_late_in_the_file_restarts_the_pass(tmp_path):
    values = list(range(3000)) * 3 + [2.5]
    path = write_csv(tmp_path, {"y": [v % 7 for v in values[:-1]] + [2.5]})
    profile = analyze(path, "y", TH, stream=True).profile
    assert profile.stats["n"] == len(values)


def test_parquet_streams_only_the_target(tmp_path):
    path = tmp_path / "d.parquet"
    rng = np.random.default_rng(2)
    pq.write_table(pa.table({"wide": rng.normal(size=5000), "y": rng.poisson(2, 5000)}), path,
                   row_group_size=700)
    in_memory, streamed = both(str(path), "y")
    assert streamed.task == in_memory.task == "count"
    assert close(streamed.stats, in_memory.stats)


def test_large_files_stream_automatically(tmp_path, monkeypatch):
    path = write_csv(tmp_path, {"y": list(range(7)) * 300})
    monkeypatch.setattr(analyze_module, "available_memory", lambda: 1000)
    profile = analyze(str(path), "y", TH).profile
    assert profile.dataset["streamed"] is True


def test_cli_stream_flag(tmp_path):
    path = write_csv(tmp_path, {"y": [0, 1, 1, 0] * 100})
    doc = json.loads(run(["profile", path, "--stream", "-f", "json"]).stdout)
    assert doc["dataset"]["streamed"] is True and doc["task"] == "binary"
