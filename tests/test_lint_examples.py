"""Every lint rule's examples are real config text (sqlfluff's YAML rule fixtures are the model):
each is written to a file under its own name, with its data, and linted (dialect detection, the
reader, the facts, the rule); the rule must fire on the cases that say so and must run, and stay
quiet, on the others. `rules --test` runs a rule author's own examples the same way. Plus the
messages of the class-count checks."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT, SAMPLES, run

from advisor.lint.cases import run_case
from advisor.lint.facts import requirements
from advisor.ruleset import Case, Rule, load_rules

RULESET = load_rules()
RULES = RULESET.of_kind("lint")
CASES = [(rule, case) for rule in RULES for case in rule.cases]


@pytest.mark.parametrize("rule,case", CASES,
                         ids=[f"{r.id}-{'fires' if c.fires else 'quiet'}-{i}"
                              for i, (r, c) in enumerate(CASES)])
def test_rule_example_through_the_reader(rule: Rule, case: Case, tmp_path):
    assert run_case(rule, case, RULESET, tmp_path).problem == "", case.where


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_every_lint_rule_fires_and_stays_quiet_on_real_text(rule: Rule):
    assert {c.fires for c in rule.cases} == {True, False}
    assert not rule.examples  # fact dictionaries are for recommendation rules only
    firing = [c for c in rule.cases if c.fires]
    assert rule.example == firing[0].config.strip()  # the documented example is a tested case
    if "data" in requirements(rule.when):
        assert all(c.data or "data =" in c.config for c in rule.cases), rule.id


def test_multiclass_metric_on_binary_data(tmp_path):
    path = tmp_path / "xgb.yaml"
    path.write_text("objective: binary:logistic\nscale_pos_weight: 399\n"
                    "eval_metric: [mlogloss, aucpr]\n")
    result = run(["lint", str(path), "--data", str(SAMPLES / "fraud.csv"), "-t", "is_fraud",
                  "--format", "json"])
    found = {f["rule"]: f for f in json.loads(result.stdout)["findings"]}
    assert "LNT128" in found and "mlogloss" in found["LNT128"]["message"]


def test_class_count_of_metric_and_data(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text("criterion: {_target_: torch.nn.BCEWithLogitsLoss, pos_weight: 399}\n"
                    "metrics: {main: {_target_: torchmetrics.AveragePrecision, task: multiclass,"
                    " num_classes: 3}}\n")
    result = run(["lint", str(path), "--data", str(SAMPLES / "fraud.csv"), "-t", "is_fraud",
                  "--format", "json"])
    found = {f["rule"]: f for f in json.loads(result.stdout)["findings"]}
    assert "[3] in the config, 2 in the data" in found["LNT127"]["message"]


TEAM_RULE = """rules:
  - id: USR101
    name: team.no-mape
    kind: lint
    severity: warning
    applies_to: metrics
    summary: No MAPE here.
    why: Our targets have zeros, where MAPE is undefined.
    references: ["team wiki"]
    when: {fact: metrics, op: contains, value: mape}
    message: "MAPE configured"
    examples:
      - fires: true
        file: train.conf
        config: |
          objective = regression
          metric = mape
      - fires: false
        file: train.conf
        config: |
          objective = regression
          metric = %s
"""


def test_rules_test_runs_a_rule_authors_examples(tmp_path):
    rule_file = tmp_path / "team.yaml"
    rule_file.write_text(TEAM_RULE % "l1")
    result = run(["rules", "--rules", str(rule_file), "--test"])
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stdout == "2 of 2 examples of 1 lint rules hold\n"
    rule_file.write_text(TEAM_RULE % "mape")  # the quiet example now fires
    result = run(["rules", "--rules", str(rule_file), "--test"])
    assert result.exit_code == 1
    assert "team.yaml:18: USR101 example (quiet): the rule fired" in result.stdout
    assert "1 of 2 examples of 1 lint rules hold" in result.stdout


def test_rules_test_reports_an_example_the_reader_does_not_understand(tmp_path):
    rule_file = tmp_path / "team.yaml"
    rule_file.write_text(TEAM_RULE.replace("metric = mape", "learning_rate = 0.1") % "l1")
    result = run(["rules", "--rules", str(rule_file), "--test"])
    assert result.exit_code == 1
    assert "USR101 example (fires): the rule did not fire" in result.stdout


def test_the_readme_lint_rule_and_its_examples_hold(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("```yaml\nrules:\n  - id: USR101", 1)[1].split("```", 1)[0]
    rule_file = tmp_path / "team.yaml"
    rule_file.write_text("rules:\n  - id: USR101" + block)
    result = run(["rules", "--rules", str(rule_file), "--test"])
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stdout == "2 of 2 examples of 1 lint rules hold\n"


def test_explain_shows_the_examples_as_config_text():
    doc = json.loads(run(["explain", "LNT119", "--format", "json"]).stdout)
    assert doc["example"].splitlines()[-1] == "scale_pos_weight = 50"
    assert [(e["file"], e["fires"]) for e in doc["examples"]] == [("train.conf", True),
                                                                   ("train.conf", False)]
    text = run(["explain", "LNT119"]).stdout
    assert "Fires on" in text and "Quiet on" in text and "scale_pos_weight = 50" in text


def test_an_examples_control_characters_never_reach_the_terminal(tmp_path):
    rule_file = tmp_path / "team.yaml"
    rule_file.write_text(TEAM_RULE.replace(
        "        config: |\n          objective = regression\n          metric = mape\n",
        '        config: "objective = regression\\nmetric = mape\\n# \\e[2J\\n"\n') % "l1")
    result = run(["explain", "USR101", "--rules", str(rule_file)])
    assert result.exit_code == 0, result.stderr
    assert "\x1b" not in result.stdout and "metric = mape" in result.stdout
    assert run(["rules", "--rules", str(rule_file), "--test"]).exit_code == 0
