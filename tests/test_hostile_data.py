"""Hostile and messy data through the whole CLI: exit 0 with the right reading, or exit 2 with
one line naming what, where and what to do; never a traceback."""

from __future__ import annotations

import json

import numpy as np
import pytest
from conftest import run

STREAM = pytest.mark.parametrize("mode", ["--no-stream", "--stream"])


def profile_json(path, *args):
    result = run(["profile", path, "--no-advice", "--format", "json", *args])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout), result.stderr


def assert_one_line_error(result, *fragments):
    assert result.exit_code == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("lossadvisor: error: "), result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def prices(n, seed=0):
    return [f"{v:.2f}" for v in np.random.default_rng(seed).gamma(2, 30, n)]


@STREAM
def test_stray_tokens_in_a_numeric_target_are_missing_and_named(write, mode):
    values = prices(4000)
    values[2999], values[3500] = "?", "missing"
    path = write("prices.csv", "id,price\n" + "".join(f"{i},{v}\n" for i, v in
                                                    enumerate(values)))
    doc, stderr = profile_json(path, "-t", "price", mode)
    assert doc["task"] == "regression"
    assert doc["profile"]["n"] == 3998 and doc["profile"]["n_missing"] == 2
    assert "'?' (1), 'missing' (1); the first on line 3001" in stderr  # data from line 2


@STREAM
def test_thousands_separators_where_the_convention_is_clear(write, mode):
    european = write("eu.csv", "id;amount\n" + "".join(
        f"{i};{i}.{i % 1000:03d},{i % 100:02d}\n" for i in range(1, 400)))
    doc, _ = profile_json(european, "-t", "amount", mode)
    assert doc["dataset"]["decimal"] == ","
    assert doc["profile"]["max"] == pytest.approx(399_399.99)
    amounts = np.random.default_rng(1).integers(1000, 900_000, 400)
    quoted = write("us.csv", "id,amount\n" + "".join(
        f'{i},"{v:,}"\n' for i, v in enumerate(amounts)))
    doc, _ = profile_json(quoted, "-t", "amount", mode)
    assert doc["profile"]["min"] == amounts.min() and doc["profile"]["max"] == amounts.max()


@STREAM
@pytest.mark.parametrize("words", ["NaN,null,NA", "Null,NAN,None", "?,missing,-"])
def test_a_target_of_missing_words_has_no_values(write, mode, words):
    cells = words.split(",") * 20
    path = write("words.csv", "x,target\n" + "".join(f"{i},{w}\n" for i, w in enumerate(cells)))
    result = run(["profile", path, "--no-advice", mode])
    assert_one_line_error(result, "target column 'target' has no values", "words.csv")


@STREAM
def test_label_columns_that_never_vary_are_an_input_error(write, mode):
    path = write("labels.csv", "a,b,c\n" + "1,0,0\n" * 50)
    result = run(["profile", path, "-t", "a,b", "--no-advice", mode])
    assert_one_line_error(result, "no target column varies", "'a' is always 1",
                          "'b' is always 0")


@STREAM
def test_one_constant_label_is_a_trait_with_a_note(write, mode):
    rows = "".join(f"{i % 2},{(i // 2) % 2},0\n" for i in range(400))
    path = write("labels.csv", "a,b,c\n" + rows)
    doc, stderr = profile_json(path, "-t", "a,b,c", mode)
    assert doc["task"] == "multilabel"
    traits = {t["name"]: t["evidence"] for t in doc["traits"]}
    assert traits["constant_label"] == "'c' is 0 in all 400 rows"
    assert "constant target column: 'c' is 0 in all 400 rows" in stderr


def test_one_hot_columns_with_a_class_that_never_occurs(write):
    rows = "".join(f"{i % 2},{1 - i % 2},0\n" for i in range(400))
    doc, _ = profile_json(write("onehot.csv", "a,b,c\n" + rows), "-t", "a,b,c")
    assert doc["task"] == "multiclass"
    assert doc["profile"]["class_counts"] == {"a": 200, "b": 200}
    assert "constant_label" in {t["name"] for t in doc["traits"]}


# -- long fields, wide and unusual headers, through every reading path ----------------------
def test_a_five_megabyte_field_and_a_huge_header_profile_normally(write):
    big = "x" * 5_000_000
    doc, _ = profile_json(write("big.csv", f'note,y\n"{big}",1\n' + "a,0\na,1\n" * 30), "-t",
                          "y")
    assert doc["task"] == "binary" and doc["profile"]["n"] == 61
    names = ",".join(f"c{i}" for i in range(100_000))
    doc, _ = profile_json(write("wide.csv", names + ",y\n" + ("0," * 100_000 + "1\n") * 2
                                + ("0," * 100_000 + "0\n") * 2), "-t", "y")
    assert doc["dataset"]["columns"] == 100_001 and doc["profile"]["n"] == 4


def test_one_endless_line_is_a_one_line_error(write, monkeypatch):
    import gzip

    import advisor.io as io_module

    monkeypatch.setattr(io_module, "MAX_RECORD_BYTES", 2 << 20)
    path = write("endless.csv.gz", gzip.compress(b"a;" * (3 << 20)))
    assert_one_line_error(run(["profile", path, "--no-advice"]), "endless.csv.gz",
                          "the first line (the header) is longer than 2 MB", "give a CSV")


NAMES = ["a\rb", "\U0001f600 emoji", "\u200fRTL\u200e", 'qu"ote', "<b>markup</b>",
         "[bold]rich[/bold]", "semi;colon"]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("how", ["file", "stdin", "gzip", "tsv"])
def test_target_reaches_unusual_names_on_every_path(tmp_path, name, how):
    import csv
    import gzip
    import io

    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n", delimiter="\t" if how == "tsv" else ",")
    writer.writerow(["", "id", name, ""])  # empty names elsewhere do not matter
    writer.writerows([["", i, i % 2, ""] for i in range(60)])
    data = text.getvalue().encode()
    path = tmp_path / ("t.tsv" if how == "tsv" else "t.csv")
    if how == "gzip":
        path = tmp_path / "t.csv.gz"
        data = gzip.compress(data)
    path.write_bytes(data)
    args = ["profile", "-" if how == "stdin" else str(path), "-t", name, "--no-advice",
            "--format", "json"]
    result = run(args, input=data if how == "stdin" else None)
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["target"] == [name] and doc["task"] == "binary"


def test_parquet_with_unusual_and_repeated_names(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "t.parquet"
    table = pa.Table.from_arrays([pa.array([1, 2] * 30), pa.array(["1", "?"] + ["0", "1"] * 29),
                                  pa.array([3] * 60)], names=["", "a\rb<i>", ""])
    pq.write_table(table, path)
    doc, stderr = profile_json(str(path), "-t", "a\rb<i>")
    assert doc["task"] == "binary" and doc["profile"]["n_missing"] == 1
    assert "'?' (1); the first on row 2" in stderr
    result = run(["profile", str(path), "-t", "", "--no-advice"])
    assert_one_line_error(result, "--target is empty")
