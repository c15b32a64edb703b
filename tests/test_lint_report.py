"""What lint understood, in every format: the JSON `configs` list (validated against
advisor/schema/lint.schema.json), "not understood" files, and --strict."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from conftest import GOLDEN, ROOT, run

SCHEMA = json.loads((ROOT / "advisor" / "schema" / "lint.schema.json").read_text())
REAL = ROOT / "tests" / "fixtures" / "lint" / "real"


def test_golden_lint_json_validates_against_the_schema():
    text = (GOLDEN / "lint-json.txt").read_text(encoding="utf-8")
    doc = json.loads(text.split("----- stdout -----\n", 1)[1].split("----- stderr -----", 1)[0])
    jsonschema.validate(doc, SCHEMA)
    assert [c["dialect"] for c in doc["configs"]] == ["lightgbm", "yaml"]


def test_configs_list_says_what_was_read_from_real_configs(monkeypatch):
    monkeypatch.chdir(REAL)
    result = run(["lint", "catboost_params.json", "monai_spleen_train.json",
                  "ludwig_multi_output.yaml", "--format", "json"])
    doc = json.loads(result.stdout)
    jsonschema.validate(doc, SCHEMA)
    by_model = {(c["path"], c["model"]): c for c in doc["configs"]}
    catboost = by_model[("catboost_params.json", None)]
    assert (catboost["dialect"], catboost["framework"]) == ("catboost", "catboost")
    assert catboost["loss"]["id"] == "bce" and catboost["options"]["class_weight"] == "Balanced"
    assert [m["id"] for m in catboost["metrics"]] == ["roc_auc", "pr_auc", "pr_auc"]
    monai = by_model[("monai_spleen_train.json", None)]
    assert monai["loss"]["name"] == "DiceCELoss" and monai["loss"]["args"]["softmax"] is True
    assert by_model[("ludwig_multi_output.yaml", "helpful_votes")]["task"] == "regression"
    assert doc["summary"]["not_understood"] == 0


@pytest.fixture
def unreadable(tmp_path) -> Path:
    path = tmp_path / "train.yaml"
    path.write_text("epochs: 3\nlr: 0.1\n")
    return path


@pytest.mark.parametrize("fmt,where,fragment", [
    ("text", "stderr", "1 not understood"),
    ("json", "stdout", '"understood": false'),
    ("github", "stdout", "title=not understood::"),
    ("sarif", "stdout", "toolExecutionNotifications"),
    ("markdown", "stdout", "## Not understood"),
])
def test_not_understood_is_reported_in_every_format(unreadable, fmt, where, fragment):
    result = run(["lint", str(unreadable), "--format", fmt])
    assert result.exit_code == 0
    assert fragment in getattr(result, where)


def test_strict_fails_the_run_on_a_config_it_did_not_understand(unreadable):
    assert run(["lint", str(unreadable), "--strict"]).exit_code == 1
    understood = unreadable.with_name("ok.yaml")
    understood.write_text("loss: mse\n")
    assert run(["lint", str(understood), "--strict"]).exit_code == 0


def test_json_configs_are_deterministic(monkeypatch):
    monkeypatch.chdir(REAL)
    args = ["lint", "mmdet/retinanet/retinanet_r50_fpn_1x_voc.py", "--format", "json"]
    assert run(args).stdout == run(args).stdout


def test_project_data_reaches_every_listed_config(tmp_path, monkeypatch):
    import shutil

    shutil.copy(ROOT / "sample_data" / "fraud.csv", tmp_path / "fraud.csv")
    (tmp_path / "configs").mkdir()
    (tmp_path / "configs" / "xgb.yaml").write_text('objective: "binary:logistic"\n'
                                                   "eval_metric: [auc]\n")
    (tmp_path / "configs" / "own.yaml").write_text("loss: mse\ndata: missing.csv\n")
    (tmp_path / "lossadvisor.toml").write_text(
        'data = "fraud.csv"\ntarget = "is_fraud"\nconfigs = ["configs/xgb.yaml"]\n')
    monkeypatch.chdir(tmp_path)
    doc = json.loads(run(["lint", "--format", "json"]).stdout)
    assert {(f["path"], f["rule"]) for f in doc["findings"]} >= {
        ("configs/xgb.yaml", "LNT105"), ("configs/xgb.yaml", "LNT104")}


def test_directories_globs_and_stdin(tmp_path, monkeypatch):
    (tmp_path / "configs").mkdir()
    (tmp_path / "configs" / "a.yaml").write_text("loss: mse\n")
    (tmp_path / "configs" / "b.conf").write_text("objective = binary\n")
    (tmp_path / "configs" / "notes.md").write_text("# not a config\n")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.yaml").write_text("loss: mse\n")
    monkeypatch.chdir(tmp_path)
    doc = json.loads(run(["lint", ".", "--format", "json"]).stdout)
    assert sorted(c["path"] for c in doc["configs"]) == ["configs/a.yaml", "configs/b.conf"]
    doc = json.loads(run(["lint", "configs/*.yaml", "--format", "json"]).stdout)
    assert [c["path"] for c in doc["configs"]] == ["configs/a.yaml"]
    result = run(["lint", "-", "--format", "json"], input="objective: reg:gamma\n")
    assert json.loads(result.stdout)["configs"][0]["loss"]["id"] == "gamma"
    assert run(["lint", "nothing/*.yaml"]).exit_code == 2


@pytest.fixture
def mixed(tmp_path, monkeypatch) -> list[str]:
    """Thirty configs without data, one not understood, one file with two models."""
    for number in range(30):
        (tmp_path / f"xgb{number:02}.yaml").write_text('objective: "binary:logistic"\n')
    (tmp_path / "unread.yaml").write_text("epochs: 3\n")
    (tmp_path / "two.yaml").write_text("a:\n  loss: mse\nb:\n  loss: mae\n")
    monkeypatch.chdir(tmp_path)
    return ["lint", "."]


def test_summary_gives_counts_and_the_lists_are_elsewhere(mixed):
    """The summary line stays one short line however many files were linted; --verbose,
    the JSON document and the Markdown report carry the lists behind the counts."""
    result = run(mixed)
    summary = result.stderr.strip().splitlines()[-1]
    assert "32 files checked (33 models)" in summary
    assert "32 checked without data" in summary and "1 not understood" in summary
    assert "xgb" not in summary and "LNT1" not in summary and len(summary) < 250
    verbose = run([*mixed, "--verbose"]).stderr
    assert "lossadvisor: not understood: unread.yaml" in verbose
    assert "lossadvisor: checked without data: two.yaml [b]" in verbose
    assert verbose.count("checked without data: xgb") == 30
    doc = json.loads(run([*mixed, "--format", "json"]).stdout)
    jsonschema.validate(doc, SCHEMA)
    assert (doc["summary"]["files"], doc["summary"]["models"]) == (32, 33)
    assert (doc["summary"]["not_understood"], doc["summary"]["without_data"]) == (1, 32)
    assert doc["without_data"][:2] == ["two.yaml [a]", "two.yaml [b]"]
    markdown = run([*mixed, "--format", "markdown"]).stdout
    assert "## Checked without data" in markdown and "- `xgb29.yaml`" in markdown
    assert markdown.index("<details>") < markdown.index("- `xgb00.yaml`")


def test_machine_formats_flag_configs_without_data_without_flooding(mixed):
    github = run([*mixed, "--format", "github"]).stdout
    assert github.count("::notice title=checked without data::32 configs") == 1
    sarif = json.loads(run([*mixed, "--format", "sarif"]).stdout)
    notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    levels = [n["level"] for n in notes]
    assert levels.count("warning") == 1 and levels.count("note") == 31  # one per file


def test_directory_walk_skips_virtual_environments_and_build_output(tmp_path, monkeypatch):
    for folder in ("env/lib", "node_modules/x", "build", ".tox", "configs"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "train.yaml").write_text("loss: mse\n")
    (tmp_path / "env" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    (tmp_path / "configs" / "model.py").write_text("loss = dict(type='MSELoss')\n")
    (tmp_path / "setup.py").write_text("from setuptools import setup\n")
    monkeypatch.chdir(tmp_path)
    doc = json.loads(run(["lint", ".", "--format", "json"]).stdout)
    assert [c["path"] for c in doc["configs"]] == ["configs/model.py", "configs/train.yaml"]


def test_infinite_config_values_reach_json_as_text(tmp_path):
    # found by test_lint.py's property test: {"is_unbalance": Infinity} broke --format json
    path = tmp_path / "inf.json"
    path.write_text('{"loss": "bce", "is_unbalance": Infinity, "pos_weight": NaN}\n')
    result = run(["lint", str(path), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    options = json.loads(result.stdout)["configs"][0]["options"]
    assert options["is_unbalance"] == "inf"
