"""LightGBM and XGBoost data files read as their CLIs read them (advisor/lint/datafile.py):
no header by default, the label in column 0 or where label_column says, LibSVM rows, query
groups from <data>.query / <data>.group / qid. The real examples (tests/fixtures/lint/real,
sources in SOURCES.md) are profiled through lint, and what is read is asserted."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.analyze import analyze_column
from advisor.catalog import load_catalog
from advisor.errors import InputError
from advisor.lint.datafile import (
    DataSpec,
    detect_format,
    parse_delimited,
    parse_libsvm,
    read_labels,
)
from advisor.lint.dialects import read_config
from advisor.thresholds import Thresholds

REAL = Path(__file__).resolve().parent / "fixtures" / "lint" / "real"


def lint(conf: Path | str, *args: str) -> tuple[int, dict]:
    result = run(["lint", str(conf), "--format", "json", *args])
    assert result.exit_code in (0, 1), result.stdout + result.stderr
    return result.exit_code, json.loads(result.stdout)


def rules(doc: dict) -> list[str]:
    return sorted(f["rule"] for f in doc["findings"])


def spec_of(name: str):
    (model,) = read_config(REAL / name, load_catalog())
    return model.reading


def profile_of(spec: DataSpec):
    read = read_labels(spec)
    return read, analyze_column(read.labels, read.name, Thresholds(), spec.path, read.format,
                                read.groups, read.group_source or "query").profile


# -- LightGBM's own examples -----------------------------------------------------------------
def test_lightgbm_regression_example_is_flagged_for_l2_on_its_0_1_label():
    spec = spec_of("lightgbm_regression.conf")
    assert (spec.header, spec.label, spec.format) == (False, 0, "auto")
    read, profile = profile_of(spec)
    assert read.format == "tsv" and read.name == "column_0"
    assert len(read.labels) == 300 and set(read.labels) == {0.0, 1.0}  # really a 0/1 label
    assert profile.task == "binary"
    code, doc = lint(REAL / "lightgbm_regression.conf")
    assert code == 1
    assert rules(doc) == ["LNT101", "LNT102"]  # regression loss and L2 metric on binary data
    assert "this target is binary" in doc["findings"][0]["message"]
    assert doc["summary"]["error"] == 2


def test_lightgbm_lambdarank_example_reads_as_ranking_with_its_query_file():
    read, profile = profile_of(spec_of("lightgbm_lambdarank.conf"))
    assert read.format == "libsvm" and len(read.labels) == 81
    assert read.group_source == "rank.train.query"
    assert profile.task == "ranking"
    assert profile.context["stats"]["n_groups"] == 8
    code, doc = lint(REAL / "lightgbm_lambdarank.conf")
    assert (code, rules(doc)) == (0, [])
    assert doc["configs"][0]["options"]["group_info"] is True


def test_output_never_replaces_the_data_or_its_query_file(tmp_path, monkeypatch):
    for name in ("lightgbm_lambdarank.conf", "rank.train", "rank.train.query"):
        shutil.copy(REAL / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    for target in ("rank.train", "rank.train.query"):
        result = run(["lint", "lightgbm_lambdarank.conf", "--format", "json", "--output", target])
        assert result.exit_code == 2 and "never writes a file it reads" in result.stderr
    assert (tmp_path / "rank.train.query").read_text() == (REAL / "rank.train.query").read_text()


def test_lambdarank_without_the_query_file_is_lnt129(tmp_path):
    shutil.copy(REAL / "lightgbm_lambdarank.conf", tmp_path / "train.conf")
    shutil.copy(REAL / "rank.train", tmp_path / "rank.train")
    code, doc = lint(tmp_path / "train.conf")
    assert (code, rules(doc)) == (1, ["LNT129"])


@pytest.mark.parametrize("name, task, classes", [("lightgbm_binary.conf", "binary", 2),
                                                 ("lightgbm_multiclass.conf", "multiclass", 5)])
def test_binary_and_multiclass_examples_read_their_labels_and_pass(name, task, classes):
    read, profile = profile_of(spec_of(name))
    assert read.format == "tsv" and len(read.labels) == 200
    assert len(set(read.labels)) == classes
    assert profile.task == task
    code, doc = lint(REAL / name)
    assert (code, rules(doc)) == (0, [])
    assert doc["summary"]["not_understood"] == 0


def test_the_binary_example_weight_file_counts_as_a_weight():
    (model,) = read_config(REAL / "lightgbm_binary.conf", load_catalog())
    assert model.options["sample_weight"].value == "binary.train.weight"


# -- XGBoost ---------------------------------------------------------------------------------
def test_xgboost_agaricus_libsvm_reads_as_binary_and_keeps_the_uri():
    (model,) = read_config(REAL / "xgboost_mushroom.conf", load_catalog())
    assert model.data.value.endswith("agaricus.txt.train?format=libsvm")
    assert model.reading.path.endswith("agaricus.txt.train")
    read, profile = profile_of(model.reading)
    assert read.format == "libsvm" and set(read.labels) == {0.0, 1.0}
    assert len(read.labels) == 326
    assert profile.task == "binary"
    code, doc = lint(REAL / "xgboost_mushroom.conf")
    assert (code, rules(doc)) == (0, [])


def _rank_conf(tmp_path: Path, rows: str, uri: str = "train.txt") -> Path:
    (tmp_path / "train.txt").write_text(rows)
    conf = tmp_path / "rank.conf"
    conf.write_text(f'objective = "rank:pairwise"\nnum_round = 2\ndata = "{uri}"\n')
    return conf


ROWS = "2 1:0.5\n0 1:0.1\n1 1:0.3\n0 1:0.2\n1 1:0.9\n0 1:0.7\n"
QID_ROWS = "".join(f"{line.split()[0]} qid:{1 + i // 3} {line.split()[1]}\n"
                   for i, line in enumerate(ROWS.splitlines()))


def test_xgboost_ranking_without_qid_or_group_file_is_lnt129(tmp_path):
    assert rules(lint(_rank_conf(tmp_path, ROWS))[1]) == ["LNT129"]


def test_xgboost_ranking_with_qid_rows_has_groups(tmp_path):
    conf = _rank_conf(tmp_path, QID_ROWS)
    read = read_labels(read_config(conf, load_catalog())[0].reading)
    assert read.group_source == "qid" and list(read.groups) == ["1", "1", "1", "2", "2", "2"]
    assert rules(lint(conf)[1]) == []


def test_xgboost_ranking_with_a_group_file_has_groups(tmp_path):
    conf = _rank_conf(tmp_path, ROWS, "train.txt?format=libsvm")
    (tmp_path / "train.txt.group").write_text("3\n3\n")
    assert rules(lint(conf)[1]) == []


def test_xgboost_label_weight_tokens_read_the_label():
    assert parse_libsvm("1:0.5 3:1 4:2\n", "xgboost") == ("1", None)


def test_xgboost_csv_uri_reads_its_label_column(tmp_path):
    (tmp_path / "train.csv").write_text("0.1,3.5,1\n0.2,1.5,0\n0.3,2.5,1\n0.9,1.0,0\n")
    conf = tmp_path / "x.conf"
    conf.write_text('objective = "binary:logistic"\nnum_round = 2\n'
                    'data = "train.csv?format=csv&label_column=2"\n')
    (model,) = read_config(conf, load_catalog())
    read = read_labels(model.reading)
    assert list(read.labels) == [1.0, 0.0, 1.0, 0.0]
    assert rules(lint(conf)[1]) == []


def test_xgboost_csv_without_label_column_is_a_clear_error(tmp_path):
    (tmp_path / "train.csv").write_text("1,2\n0,3\n")
    conf = tmp_path / "x.conf"
    conf.write_text('objective = "binary:logistic"\nnum_round = 2\n'
                    'data = "train.csv?format=csv"\n')
    result = run(["lint", str(conf)])
    assert result.exit_code == 2
    assert "every label as 0" in result.stderr and "label_column" in result.stderr


def test_xgboost_ranking_on_the_agaricus_rows_without_qid_is_lnt129(tmp_path):
    # the real LIBSVM excerpt has no qid tokens and no .group file beside it
    shutil.copy(REAL / "agaricus.txt.train", tmp_path / "agaricus.txt.train")
    conf = tmp_path / "rank.conf"
    conf.write_text('objective = "rank:ndcg"\nnum_round = 2\n'
                    'data = "agaricus.txt.train?format=libsvm"\n')
    assert rules(lint(conf)[1]) == ["LNT129"]
    (tmp_path / "agaricus.txt.train.group").write_text("300\n26\n")
    assert rules(lint(conf)[1]) == []


# -- CatBoost: the column description beside the params file --------------------------------
def test_catboost_yetirank_with_a_groupid_column_description_has_groups():
    (model,) = read_config(REAL / "catboost_rank" / "params.json", load_catalog())
    assert model.loss.canonical == "lambdarank" and model.loss.name == "YetiRank"
    assert model.options["group_info"].value is True
    assert model.options["group_info"].key == "train.cd"
    assert rules(lint(REAL / "catboost_rank" / "params.json")[1]) == []


def test_catboost_yetirank_whose_column_description_has_no_groupid_is_lnt129():
    code, doc = lint(REAL / "catboost_rank_nogroup" / "params.json")
    assert (code, rules(doc)) == (1, ["LNT129"])
    assert "'YetiRank' ranks within query groups" in doc["findings"][0]["message"]


def test_catboost_queryid_spelling_counts_and_no_description_is_unknown(tmp_path):
    (tmp_path / "params.json").write_text('{"loss_function": "PairLogit"}\n')
    assert rules(lint(tmp_path / "params.json")[1]) == []  # no .cd: cannot tell
    (tmp_path / "train.cd").write_text("0\tAuxiliary\n1\tQueryId\n2\tTarget\n")
    (model,) = read_config(tmp_path / "params.json", load_catalog())
    assert model.options["group_info"].value is True


# -- header and label_column -------------------------------------------------------------------
def _lgb(tmp_path: Path, data: str, *options: str, name: str = "train.csv") -> Path:
    (tmp_path / name).write_text(data)
    conf = tmp_path / "train.conf"
    conf.write_text("\n".join(["objective = binary", f"data = {name}", *options]) + "\n")
    return conf


def test_label_column_by_name_needs_and_uses_the_header(tmp_path):
    conf = _lgb(tmp_path, "x,y\n0.5,1\n0.1,0\n0.3,1\n", "header = true",
                "label_column = name:y")
    read = read_labels(read_config(conf, load_catalog())[0].reading)
    assert (read.name, list(read.labels), read.format) == ("y", [1.0, 0.0, 1.0], "csv")


def test_label_column_by_index(tmp_path):
    conf = _lgb(tmp_path, "0.5\t1\n0.1\t0\n0.3\t1\n", "label_column = 1", name="t.tsv")
    read = read_labels(read_config(conf, load_catalog())[0].reading)
    assert (read.name, list(read.labels)) == ("column_1", [1.0, 0.0, 1.0])


def test_header_false_reads_the_first_line_as_a_row_and_true_skips_it(tmp_path):
    data = "3,0.5\n1,0.1\n0,0.3\n"
    without = read_labels(read_config(_lgb(tmp_path, data), load_catalog())[0].reading)
    assert list(without.labels) == [3.0, 1.0, 0.0]
    with_header = read_labels(read_config(_lgb(tmp_path, data, "header = true"),
                                          load_catalog())[0].reading)
    assert list(with_header.labels) == [1.0, 0.0]


def test_a_header_line_without_header_true_is_a_clear_error(tmp_path):
    result = run(["lint", str(_lgb(tmp_path, "y,x\n1,0.5\n0,0.1\n"))])
    assert result.exit_code == 2
    assert "line 1: label 'y' is not a number" in result.stderr
    assert "header = true" in result.stderr


def test_name_prefix_without_header_is_a_clear_error(tmp_path):
    result = run(["lint", str(_lgb(tmp_path, "1,0.5\n0,0.1\n", "label_column = name:y"))])
    assert result.exit_code == 2
    assert "label_column=name:y needs a header" in result.stderr
    assert "header = true" in result.stderr


def test_unknown_label_name_says_what_the_columns_are(tmp_path):
    conf = _lgb(tmp_path, "x,target\n0.5,1\n", "header = true", "label_column = name:targt")
    result = run(["lint", str(conf)])
    assert result.exit_code == 2
    assert "no column 'targt'" in result.stderr and "target" in result.stderr


def test_group_column_index_does_not_count_the_label(tmp_path):
    # label is column 0; group_column = 0 is the first column after it (LightGBM docs)
    conf = _lgb(tmp_path, "2,7,0.5\n0,7,0.1\n1,8,0.3\n0,8,0.2\n", "label_column = 0",
                "group_column = 0")
    (model,) = read_config(conf, load_catalog())
    read = read_labels(model.reading)
    assert list(read.groups) == ["7", "7", "8", "8"]


def test_query_sizes_that_do_not_add_up_are_a_clear_error(tmp_path):
    conf = _lgb(tmp_path, "1\t0.5\n0\t0.1\n1\t0.3\n", name="r.tsv")
    (tmp_path / "r.tsv.query").write_text("2\n2\n")
    result = run(["lint", str(conf)])
    assert result.exit_code == 2
    assert "group sizes add up to 4 rows, the data has 3" in result.stderr


def test_missing_data_file_is_a_note_and_the_data_checks_are_skipped(tmp_path):
    conf = tmp_path / "train.conf"
    conf.write_text("objective = regression\ndata = absent.train\n")
    result = run(["lint", str(conf)])
    assert result.exit_code == 0
    assert "absent.train not found; data checks skipped" in result.stderr
    code, doc = lint(conf)
    assert doc["summary"]["files"] == 1 and doc["findings"] == []


def test_the_command_line_data_and_target_still_win(tmp_path):
    conf = tmp_path / "train.conf"
    conf.write_text("objective = regression\ndata = absent.train\n")
    samples = Path(__file__).resolve().parent.parent / "sample_data"
    code, doc = lint(conf, "--data", str(samples / "fraud.csv"), "-t", "is_fraud")
    assert "LNT101" in rules(doc)


def test_target_on_the_command_line_picks_the_label_of_the_config_data(tmp_path):
    rows = "".join(f"{0.37 * i + 0.011 * i * i:.3f},{i % 2}\n" for i in range(40))
    conf = _lgb(tmp_path, rows, "label_column = 0", name="d.csv")
    (model,) = read_config(conf, load_catalog())
    assert list(read_labels(model.reading.with_label("1")).labels)[:3] == [0.0, 1.0, 0.0]
    assert "LNT101" in rules(lint(conf)[1])  # binary objective on the continuous column 0
    assert rules(lint(conf, "--target", "1")[1]) == []  # on the 0/1 column: no mismatch


@pytest.mark.parametrize("head", [b"______LightGBM_Binary_File_Token______\n\x00\x01",
                                  b"\x01\xab\xff\xff\x00\x00"])
def test_the_tools_binary_datasets_are_a_note_not_an_error(head, tmp_path):
    (tmp_path / "train.bin").write_bytes(head + bytes(range(256)))
    conf = tmp_path / "train.conf"
    conf.write_text("objective = binary\ndata = train.bin\n")
    result = run(["lint", str(conf)])
    assert result.exit_code == 0
    assert "binary" in result.stderr and "data checks skipped" in result.stderr


def test_lnt129_documented_example_fires_through_the_reader(tmp_path):
    from advisor.ruleset import load_rules

    rule = next(r for r in load_rules().of_kind("lint") if r.id == "LNT129")
    case = next(c for c in rule.cases if c.fires)  # the documented example, with its data file
    (tmp_path / case.file).write_text(rule.example)
    for name, text in case.files.items():
        (tmp_path / name).write_text(text)
    assert rules(lint(tmp_path / case.file)[1]) == ["LNT129"]


# -- the fast (pyarrow) reader and the line-by-line reader agree --------------------------------
FIXTURE_SPECS = [DataSpec(str(REAL / "regression.train"), "lightgbm"),
                 DataSpec(str(REAL / "multiclass.train"), "lightgbm"),
                 DataSpec(str(REAL / "rank.train"), "lightgbm"),
                 DataSpec(str(REAL / "agaricus.txt.train"), "xgboost", "libsvm")]


@pytest.mark.parametrize("spec", FIXTURE_SPECS, ids=lambda s: Path(s.path).name)
def test_fast_and_line_readers_agree_on_the_real_files(spec, monkeypatch):
    import advisor.lint.datafile as datafile

    fast = read_labels(spec)
    monkeypatch.setattr(datafile, "_arrow_read", lambda *args: None)
    slow = read_labels(spec)
    assert fast.labels == slow.labels and fast.format == slow.format
    assert fast.group_source == slow.group_source


@pytest.mark.parametrize("text", ["2 qid:1 1:0.5\r\n\n0 qid:1 2:0.1\r\n   \n1 qid:2 1:3\n",
                                  "1:2.0 3:1\n0:0.5 1:1\n"])
def test_fast_and_line_readers_agree_on_crlf_blank_lines_qid_and_weights(text, tmp_path,
                                                                        monkeypatch):
    import advisor.lint.datafile as datafile

    path = tmp_path / "t.txt"
    path.write_bytes(text.encode())
    spec = DataSpec(str(path), "xgboost", "libsvm")
    fast = read_labels(spec)
    monkeypatch.setattr(datafile, "_arrow_read", lambda *args: None)
    slow = read_labels(spec)
    assert fast.labels == slow.labels
    assert (None if fast.groups is None else list(fast.groups)) == (
        None if slow.groups is None else list(slow.groups))


# -- the line parsers --------------------------------------------------------------------------
def test_lightgbm_format_detection_follows_its_parser():
    assert detect_format(["1 1:0.5", "0 2:0.1"]) == "libsvm"
    assert detect_format(["1\t0.5\t2", "0\t0.1\t3"]) == "tsv"
    assert detect_format(["1,0.5", "0,0.1"]) == "csv"
    assert detect_format(["1 0.5", "0 0.1"]) is None  # spaces alone: LightGBM refuses it


def test_space_separated_data_is_refused_as_lightgbm_does(tmp_path):
    result = run(["lint", str(_lgb(tmp_path, "1 0.5\n0 0.1\n", name="d.txt"))])
    assert result.exit_code == 2 and "not CSV, TSV or LibSVM" in result.stderr


def test_libsvm_label_column_other_than_0_is_refused(tmp_path):
    spec = DataSpec(path=str(REAL / "rank.train"), cli="lightgbm", label=2)
    with pytest.raises(InputError, match="first token"):
        read_labels(spec)


labels = st.one_of(st.integers(-1000, 1000).map(str),
                   st.floats(allow_nan=False, allow_infinity=False, width=32).map(repr))
features = st.lists(st.tuples(st.integers(0, 10**6), st.floats(-1e6, 1e6, width=32)),
                    max_size=8)


@given(label=labels, feats=features, qid=st.none() | st.integers(0, 10**9),
       weight=st.none() | st.floats(0, 10, width=32))
def test_libsvm_line_round_trip(label, feats, qid, weight):
    head = label if weight is None else f"{label}:{weight!r}"
    parts = [head, *([f"qid:{qid}"] if qid is not None else []),
             *(f"{i}:{v!r}" for i, v in feats)]
    got_label, got_qid = parse_libsvm(" ".join(parts) + "\n", "xgboost")
    assert float(got_label) == float(label)
    assert got_qid == (str(qid) if qid is not None else None)


@given(row=st.lists(st.floats(allow_nan=False, allow_infinity=False, width=32), min_size=1,
                    max_size=12), data=st.data(), delimiter=st.sampled_from([",", "\t"]))
def test_delimited_line_round_trip(row, data, delimiter):
    index = data.draw(st.integers(0, len(row) - 1))
    line = delimiter.join(repr(v) for v in row) + data.draw(st.sampled_from(["\n", "\r\n", ""]))
    text, group = parse_delimited(line, delimiter, index)
    assert float(text) == row[index] and group is None


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.one_of(
           st.binary(max_size=400),
           st.lists(st.sampled_from(["1", "0", "2.5", "nan", "x", "qid:3", "1:0.5", "3:1", ",",
                                     "\t", " ", "\n", "\r\n", "-1e400", "", ":"]),
                    max_size=60).map("".join).map(str.encode)),
       cli=st.sampled_from(["lightgbm", "xgboost"]),
       fmt=st.sampled_from(["auto", "libsvm", "csv"]), header=st.booleans(),
       label=st.one_of(st.integers(0, 5), st.sampled_from(["y", "0"])),
       group=st.none() | st.integers(0, 3))
def test_any_bytes_read_as_labels_or_a_clear_error(tmp_path, content, cli, fmt, header, label,
                                                    group):
    path = tmp_path / "data.txt"
    path.write_bytes(content)
    spec = DataSpec(str(path), cli, fmt, header, label, group, None)
    try:
        read = read_labels(spec)
    except InputError as error:
        assert "\n" not in str(error).strip()
        return
    if read.groups is not None:
        assert len(read.groups) == len(read.labels)
