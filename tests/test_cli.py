"""The CLI through typer's runner: every exit-2 case, formats, output files, stdin, commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SAMPLES, run

FRAUD = str(SAMPLES / "fraud.csv")


def assert_input_error(result, *fragments):
    assert result.exit_code == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("lossadvisor: error: ")
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0]
    assert result.stdout == ""


def test_version_and_help():
    result = run(["--version"])
    assert result.exit_code == 0 and result.stdout.startswith("lossadvisor ")
    result = run(["--help"])
    assert result.exit_code == 0
    for command in ("profile", "recommend", "rules", "explain"):
        assert command in result.stdout


@pytest.mark.parametrize(
    "name,content,fragments",
    [
        ("empty.csv", "", ["is empty"]),
        ("header.csv", "a,b,y\n", ["header but no data rows"]),
        ("garbage.csv", bytes(range(256)) * 4, ["looks binary"]),
        ("ragged.csv", "a,b,y\n1,2,3\n4,5\n6,7,8\n", ["line 3 has 2 fields", "header has 3"]),
        ("allmissing.csv", "a,y\n1,\n2,NA\n3,\n", ["no values"]),
        ("single.csv", "a,y\n" + "1,7\n" * 30, ["single value (7)"]),
        ("ids.csv", "name,y\n" + "".join(f"n{i},{1000 + i}\n" for i in range(50)),
         ["looks like an identifier"]),
        ("dates.csv", "y\n2024-01-01\n2024-01-02\n", ["dates or times"]),
    ],
)
def test_bad_data_exits_2_with_one_line(write, name, content, fragments):
    path = write(name, content)
    assert_input_error(run(["profile", path, "--target", "y"]), path, *fragments)


def test_missing_file_directory_and_unknown_target(tmp_path):
    assert_input_error(run(["profile", str(tmp_path / "nope.csv")]), "no such file")
    assert_input_error(run(["profile", str(tmp_path)]), "the directory holds no data files")
    assert_input_error(run(["profile", FRAUD, "--target", "is_frud"]),
                       "no column 'is_frud'", "did you mean 'is_fraud'", "available columns")


def test_non_utf8_text_is_read_with_a_note(write):
    path = write("latin.csv", "city,y\nK\xf6ln,1\nM\xfcnchen,0\n".encode("latin-1") * 20)
    result = run(["profile", path, "--target", "y", "--format", "json"])
    assert result.exit_code == 0
    assert "read as latin-1" in result.stderr


def test_task_override_checked(write):
    path = write("neg.csv", "y\n" + "".join(f"{v}\n" for v in (-1, 2, 3) * 20))
    assert_input_error(run(["profile", path, "--task", "count"]), "negative values")
    assert_input_error(run(["profile", path, "--task", "rankking"]), "unknown task")
    assert_input_error(run(["profile", path, "--task", "ranking"]), "--task ranking needs --group")


def test_guessed_target_is_announced_on_stderr():
    result = run(["profile", str(SAMPLES / "ratings.csv"), "--format", "json"])
    assert result.exit_code == 0
    assert "target: stars" in result.stderr and "last column" in result.stderr
    doc = json.loads(result.stdout)
    assert doc["target"] == ["stars"] and "last column" in doc["target_reason"]


def test_stdin_input():
    data = (SAMPLES / "species.csv").read_bytes()
    result = run(["profile", "-", "--target", "species", "--format", "json"], input=data)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["dataset"]["path"] == "<stdin>"


def test_output_file_written_only_after_success(tmp_path):
    out = tmp_path / "report.json"
    result = run(["profile", FRAUD, "-t", "is_fraud", "-f", "json", "-o", str(out)])
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads(out.read_text())["task"] == "binary"
    out.write_text("keep me")
    result = run(["profile", FRAUD, "-t", "nope", "-f", "json", "-o", str(out)])
    assert result.exit_code == 2
    assert out.read_text() == "keep me"
    assert list(tmp_path.iterdir()) == [out]  # no temporary file left behind


def test_output_never_overwrites_the_input(tmp_path):
    data = tmp_path / "data.csv"
    data.write_bytes((SAMPLES / "species.csv").read_bytes())
    before = data.read_bytes()
    assert_input_error(run(["profile", str(data), "-o", str(data)]), "overwrite the input")
    assert data.read_bytes() == before


def test_formats_and_framework_snippet():
    result = run(["profile", FRAUD, "-t", "is_fraud", "--framework", "pytorch", "-f", "json"])
    doc = json.loads(result.stdout)
    assert doc["snippet"]["code"].startswith("import torch\nfrom torch import nn\n\n"
                                             "loss_fn = nn.BCEWithLogitsLoss(pos_weight=torch")
    assert doc["snippet"]["loss"] == "weighted_bce"
    md = run(["profile", FRAUD, "-t", "is_fraud", "-f", "markdown"]).stdout
    assert md.startswith("# lossadvisor: is_fraud") and "## Avoid" in md
    table = run(["profile", FRAUD, "-t", "is_fraud"]).stdout
    assert "lossadvisor profile" in table and "weighted_bce" in table


def test_markup_in_column_names_is_printed_literally(write):
    path = write("markup.csv", "[red]x[/red],[bold]y\n" + "1,0\n2,1\n" * 30)
    result = run(["profile", path, "--target", "[bold]y"])
    assert result.exit_code == 0
    assert "[bold]y" in result.stdout


def test_recommend_without_data():
    result = run(["recommend", "--task", "segmentation", "--trait", "imbalanced", "-f", "json"])
    doc = json.loads(result.stdout)
    assert doc["dataset"] is None and doc["losses"][0]["id"] == "dice"
    assert {"id": "pixel_accuracy"}.items() <= doc["avoid"][0].items()
    assert_input_error(run(["recommend", "--task", "segmentaton"]), "did you mean 'segmentation'")
    assert_input_error(run(["recommend", "--task", "binary", "--trait", "imbalance"]),
                       "did you mean 'imbalanced'")


def test_rules_and_explain():
    listing = run(["rules", "--format", "json"])
    ids = [r["id"] for r in json.loads(listing.stdout)]
    assert "REC032" in ids and ids == sorted(ids)
    explained = run(["explain", "REC032", "--format", "json"])
    doc = json.loads(explained.stdout)
    assert doc["name"] == "binary.imbalanced" and doc["references"]
    assert "REC032" in run(["explain", "rec032"]).stdout
    assert_input_error(run(["explain", "REC999"]), "no rule 'REC999'")


def test_broken_user_rules_exit_2_listing_every_problem(tmp_path):
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "x.yaml").write_text("rules:\n  - id: bad\n    nme: x\n")
    result = run(["profile", FRAUD, "--rules", str(folder)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) > 2 and all(line.startswith("lossadvisor: error: ") for line in lines)
    assert any(f"{folder / 'x.yaml'}:3: unknown key 'nme'" in line for line in lines)


def test_thresholds_from_project_config(tmp_path, monkeypatch):
    data = tmp_path / "d.csv"
    data.write_text("y\n" + "1\n" * 150 + "0\n" * 850)
    monkeypatch.chdir(tmp_path)
    doc = json.loads(run(["profile", str(data), "-f", "json"]).stdout)
    assert "imbalanced" in [t["name"] for t in doc["traits"]]
    Path("lossadvisor.toml").write_text("[thresholds]\nimbalance_ratio = 10\n")
    doc = json.loads(run(["profile", str(data), "-f", "json"]).stdout)
    assert "imbalanced" not in [t["name"] for t in doc["traits"]]
    Path("lossadvisor.toml").write_text("[thresholds]\nimbalance = 10\n")
    assert_input_error(run(["profile", str(data)]), "unknown threshold 'imbalance'")


def test_traits_command():
    doc = json.loads(run(["traits", "-f", "json"]).stdout)
    assert "zero_inflated" in doc["traits"] and "imbalance_ratio" in doc["thresholds"]


def test_progress_bar_counts_bytes_and_never_changes_the_result(monkeypatch, write):
    import gzip

    import advisor.cli as cli
    from advisor.analyze import analyze
    from advisor.thresholds import Thresholds

    monkeypatch.setattr(cli, "_is_tty", lambda stream: True)
    monkeypatch.setattr(cli, "PROGRESS_DELAY", 0.0)
    text = "x,y\n" + "".join(f"{i},{i % 3}\n" for i in range(20_000))
    for path in (write("plain.csv", text), write("packed.csv.gz", gzip.compress(text.encode()))):
        seen: list[int] = []
        with cli._progress_bar() as factory:
            def counting(source, factory=factory, seen=seen):
                report = factory(source)

                def both(done: int) -> None:
                    seen.append(done)
                    report(done)

                return both

            with_bar = analyze(path, "y", Thresholds(), progress=counting).profile
        plain = analyze(path, "y", Thresholds()).profile
        assert seen and seen[-1] == Path(path).stat().st_size
        assert with_bar.stats == plain.stats


def test_usage_errors_are_one_line_with_exit_2():
    for args, fragment in ((["profile", "x.csv", "--format", "xml"], "'xml' is not one of"),
                           (["bogus"], "No such command 'bogus'"),
                           (["lint", "--fail-on", "fatal"], "'fatal' is not one of")):
        result = run(args)
        assert_input_error(result, fragment, "--help'")
