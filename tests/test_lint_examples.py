"""Every lint rule's examples are real config text (sqlfluff's YAML rule fixtures are the model):
each is written to a file under its own name, with its data, and run through `lossadvisor lint`
(dialect detection, the reader, the facts, the rule); the rule must fire on the cases that say
so and must run, and stay quiet, on the others. Plus the messages of the class-count checks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SAMPLES, run

from advisor.lint.facts import requirements
from advisor.ruleset import Case, Rule, load_rules

RULES = load_rules().of_kind("lint")
CASES = [(rule, case) for rule in RULES for case in rule.cases]


def lint_case(case: Case, folder: Path) -> dict:
    """Run one example as a user would: its config file, the files beside it, its data."""
    config = folder / case.file
    config.write_text(case.config, encoding="utf-8")
    for name, text in case.files.items():
        (folder / name).write_text(text, encoding="utf-8")
    args = ["lint", str(config), "--format", "json", "--fail-on", "error"]
    if case.data is not None:
        data = folder / "data.csv" if "\n" in case.data else Path(case.folder) / case.data
        if "\n" in case.data:
            data.write_text(case.data, encoding="utf-8")
        args += ["--data", str(data)]
    if case.target is not None:
        args += ["--target", case.target]
    result = run(args)
    assert result.exit_code in (0, 1), result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("rule,case", CASES,
                         ids=[f"{r.id}-{'fires' if c.fires else 'quiet'}-{i}"
                              for i, (r, c) in enumerate(CASES)])
def test_rule_example_through_the_reader(rule: Rule, case: Case, tmp_path):
    doc = lint_case(case, tmp_path)
    assert doc["summary"]["not_understood"] == 0, f"{case.where}: config not understood"
    assert rule.id not in {s["rule"] for s in doc["skipped"]}, f"{case.where}: rule skipped"
    fired = rule.id in {f["rule"] for f in doc["findings"]}
    outcome = "did not fire" if case.fires else "fired"
    assert fired is case.fires, f"{case.where}: {rule.id} {outcome}"


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
