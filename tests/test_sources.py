"""Many files as one dataset: expansion of globs, directories and URIs; the first file pins the
layout and a file that differs is named; folding here, in processes, merges to the same result."""

from __future__ import annotations

import json

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import run

from advisor.errors import InputError
from advisor.sources import expand


@pytest.fixture
def shards(tmp_path):
    rng = np.random.default_rng(4)
    folder = tmp_path / "train"
    folder.mkdir()
    for i in range(4):
        pq.write_table(pa.table({"x": rng.normal(size=300), "y": rng.poisson(1.5, 300)}),
                       folder / f"part-{i}.parquet")
    (folder / "_SUCCESS").write_text("")
    (folder / ".part-0.parquet.crc").write_text("x")
    return folder


def test_globs_directories_and_uris_expand_to_the_same_sorted_files(shards):
    by_dir = expand([str(shards)])
    by_glob = expand([str(shards / "part-*.parquet")])
    assert by_dir.paths == by_glob.paths == [str(shards / f"part-{i}.parquet")
                                             for i in range(4)]
    assert by_dir.total_bytes == sum((shards / f"part-{i}.parquet").stat().st_size
                                     for i in range(4))
    by_uri = expand([f"file://{shards}/"])
    assert by_uri.paths == [f"file://{p}" for p in by_dir.paths]
    assert expand([f"file://{shards}/part-[12].parquet"]).paths == by_uri.paths[1:3]


def test_patterns_that_match_nothing_and_repeated_files_are_refused(shards):
    with pytest.raises(InputError, match="no files match"):
        expand([str(shards / "*.csv")])
    with pytest.raises(InputError, match="named twice"):
        expand([str(shards), str(shards / "part-0.parquet")])


def test_a_file_with_another_header_or_type_is_named(shards, tmp_path):
    pq.write_table(pa.table({"x": [1.0], "z": [2]}), shards / "part-9.parquet")
    result = run(["profile", str(shards), "-t", "y", "--no-advice"])
    assert result.exit_code == 2
    assert "part-9.parquet" in result.stderr and "lacks y" in result.stderr
    pq.write_table(pa.table({"x": [1.0], "y": ["a"]}), shards / "part-9.parquet")
    result = run(["profile", str(shards), "-t", "y", "--no-advice"])
    assert result.exit_code == 2 and "part-9.parquet: column 'y' is string here but int64" in (
        result.stderr)
    (shards / "part-9.parquet").unlink()
    (tmp_path / "more.csv").write_text("x,y\n1,2\n")
    result = run(["profile", str(shards), str(tmp_path / "more.csv"), "-t", "y",
                  "--no-advice"])
    assert result.exit_code == 2 and "more.csv: is csv but" in result.stderr


def test_csv_shards_read_with_the_first_files_dialect(tmp_path):
    (tmp_path / "a.csv").write_text("x;y\n1;2,5\n2;3,5\n")
    (tmp_path / "b.csv").write_text("x;y\n3;4\n")  # no decimal comma to sniff here
    doc = json.loads(run(["profile", str(tmp_path / "*.csv"), "-t", "y", "-f", "json",
                          "--no-advice"]).stdout)
    assert doc["dataset"]["files"] == 2 and doc["dataset"]["decimal"] == ","
    assert doc["profile"]["mean"] == pytest.approx(10 / 3)


def test_output_inside_the_dataset_is_refused(shards):
    result = run(["profile", str(shards), "-t", "y", "-o", str(shards / "part-1.parquet")])
    assert result.exit_code == 2 and "overwrite the input" in result.stderr


def test_jobs_fold_in_processes_and_merge_to_the_same_counts(shards):
    one = json.loads(run(["profile", str(shards), "-t", "y", "-f", "json",
                          "--no-advice"]).stdout)
    jobs = json.loads(run(["profile", str(shards), "-t", "y", "-f", "json", "--no-advice",
                           "--jobs", "2"]).stdout)
    assert jobs["dataset"]["streamed"] is True
    assert one["profile"] == jobs["profile"]  # few levels: exact on every path
    assert one["task"] == jobs["task"] == "count"


def test_dask_local_cluster_folds_the_files_and_merges_on_the_workers(shards):
    pytest.importorskip("distributed")
    one = json.loads(run(["profile", str(shards), "-t", "y", "-f", "json",
                          "--no-advice"]).stdout)
    dask = json.loads(run(["profile", str(shards), "-t", "y", "-f", "json", "--no-advice",
                           "--engine", "dask"]).stdout)
    assert one["profile"] == dask["profile"] and dask["dataset"]["files"] == 4


def test_dask_engine_without_the_extra_says_how_to_install_it(shards, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "distributed", None)
    result = run(["profile", str(shards), "-t", "y", "--engine", "dask", "--no-advice"])
    assert result.exit_code == 2 and "lossadvisor[dask]" in result.stderr
    result = run(["profile", str(shards), "-t", "y", "--scheduler", "tcp://h:1"])
    assert result.exit_code == 2 and "--scheduler needs --engine dask" in result.stderr
