"""Every lint rule's documented example is real config text: run through the dialect readers,
the rules that need no data fire on their own example; the data-gated ones read cleanly.
Plus the checks real configs need (class counts, multiclass metrics, ranking groups)."""

from __future__ import annotations

import json

import pytest
from conftest import SAMPLES, run

from advisor.lint.facts import requirements
from advisor.ruleset import load_rules

RULES = [r for r in load_rules().of_kind("lint")]
NEEDS_FILES = {"LNT129"}  # its example names a data file beside the config


def _suffix(example: str) -> str:
    if example.lstrip().startswith("{"):
        return ".json"
    return ".conf" if " = " in example else ".yaml"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_documented_example_reads_and_fires_without_data(rule, tmp_path):
    assert rule.example, f"{rule.id} has no example"
    path = tmp_path / f"example{_suffix(rule.example)}"
    path.write_text(rule.example)
    result = run(["lint", str(path), "--format", "json", "--fail-on", "error"])
    assert result.exit_code in (0, 1), result.stderr
    doc = json.loads(result.stdout)
    assert doc["summary"]["not_understood"] == 0, f"{rule.id}: example not understood"
    if not requirements(rule.when) and rule.id not in NEEDS_FILES:
        assert rule.id in {f["rule"] for f in doc["findings"]}, rule.id


def test_ranking_objective_without_groups(tmp_path):
    (tmp_path / "rank.train").write_text("1 1:0.5 2:0.1\n0 1:0.2 2:0.3\n")
    conf = tmp_path / "train.conf"
    conf.write_text("objective = lambdarank\nmetric = ndcg\ndata = rank.train\n")
    result = run(["lint", str(conf), "--format", "json"])
    assert [f["rule"] for f in json.loads(result.stdout)["findings"]] == ["LNT129"]
    (tmp_path / "rank.train.query").write_text("2\n")
    result = run(["lint", str(conf), "--format", "json"])
    assert json.loads(result.stdout)["findings"] == []


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
