"""The lint fact registry: one declaration per fact, the gates and the validator derived from it."""

from __future__ import annotations

import json

import pytest
from conftest import SAMPLES, run

from advisor.catalog import load_catalog
from advisor.conditions import referenced_facts
from advisor.errors import InputError
from advisor.lint.facts import REGISTRY, compute, config_facts, requirements
from advisor.lint.model import Located, ModelConfig, Setting
from advisor.ruleset import LINT_FACTS, load_rules
from advisor.vocabulary import STATISTICS

LINT_RULES = load_rules().of_kind("lint")


def _model(**kw) -> ModelConfig:
    return ModelConfig(path="m.yaml", dialect="yaml", framework=kw.pop("framework", None), **kw)


def test_every_fact_a_lint_rule_reads_is_declared():
    used = set().union(*(referenced_facts(r.when) for r in LINT_RULES))
    assert used <= set(REGISTRY), used - set(REGISTRY)


def test_profile_facts_need_data_and_config_facts_are_computed():
    assert {n for n, f in REGISTRY.items() if f.compute is None} == {*STATISTICS, "traits",
                                                                     "has_data"}
    assert all(REGISTRY[n].needs == "data" for n in STATISTICS)
    assert LINT_FACTS == config_facts()
    assert all(doc.strip() for doc in LINT_FACTS.values())


def test_requirements_follow_the_declarations():
    assert requirements({"trait": "imbalanced"}) == {"data"}
    assert requirements({"task": "binary"}) == {"task"}
    assert requirements({"fact": "loss_fits_task", "op": "eq", "value": False}) == {"task"}
    assert requirements({"all": [{"fact": "loss", "op": "eq", "value": "mse"},
                                 {"fact": "min", "op": "lt", "value": 0}]}) == {"data"}
    assert requirements({"fact": "metrics", "op": "contains", "value": "auc"}) == set()


def test_compute_fills_every_config_fact():
    catalog = load_catalog()
    model = _model(loss=Setting("binary:logistic", 1, 1, "objective", canonical="bce"),
                   metrics=[Setting("auc", 2, 1, "eval_metric", canonical="roc_auc")],
                   options={"scale_pos_weight": Located("1", 3, 1, "scale_pos_weight")})
    facts = compute(model, catalog)
    assert set(config_facts()) <= set(facts)
    assert facts["loss"] == "bce" and facts["metrics"] == ["roc_auc"]
    assert facts["scale_pos_weight"] is False  # 1 is no weighting
    assert facts["class_weighting"] is False
    assert facts["task"] is None and facts["loss_fits_task"] is None
    assert facts["traits"] == set()


def test_task_comes_from_the_data_before_the_config():
    catalog = load_catalog()
    model = _model(loss=Setting("regression", 1, 1, "objective", canonical="mse"),
                   task=Located("regression", 2, 1, "task"))
    assert compute(model, catalog)["loss_fits_task"] is True
    facts = compute(model, catalog, {"task": "binary", "traits": set(), "n_classes": 2})
    assert facts["task"] == "binary" and facts["loss_fits_task"] is False


def test_an_unknown_task_in_the_config_is_bad_input():
    model = _model(task=Located("regresion", 4, 7, "task"))
    with pytest.raises(InputError, match="unknown task 'regresion'"):
        compute(model, load_catalog())


def test_class_counts_of_config_and_data_disagree():
    catalog = load_catalog()
    model = _model(metrics=[Setting("Accuracy", 1, 1, "metrics", args={"num_classes": 3})])
    assert compute(model, catalog)["class_count_conflict"] is None
    facts = compute(model, catalog, {"task": "binary", "traits": set(), "n_classes": 2})
    assert facts["class_count_conflict"] == "[3] in the config, 2 in the data"


def test_traits_json_documents_every_lint_fact_with_its_need():
    doc = json.loads(run(["traits", "--format", "json"]).stdout)
    assert doc["lint_facts"]["loss_fits_task"]["needs"] == "task"
    assert doc["lint_facts"]["loss"]["needs"] is None
    assert set(doc["lint_facts"]) == set(LINT_FACTS)


def test_a_spelling_frameworks_share_means_what_fits_the_data(tmp_path):
    """'cross_entropy' is LightGBM's binary xentropy and fairseq's categorical cross-entropy;
    a config naming no framework is read by its data (a multiclass target was an LNT101
    error before), and a regression target stays wrong under every meaning."""
    assert load_catalog().meanings("loss", "cross_entropy")[:2] == ["bce", "cce"]
    config = tmp_path / "train.yaml"
    config.write_text("loss: cross_entropy\nmetrics: [accuracy]\n")

    def read(data: str, *target: str) -> tuple[str, list[str]]:
        result = run(["lint", str(config), "--data", str(SAMPLES / data), *target,
                      "--format", "json"])
        doc = json.loads(result.stdout)
        return doc["configs"][0]["loss"]["id"], [f["rule"] for f in doc["findings"]]

    assert read("species.csv") == ("cce", [])
    assert read("fraud.csv", "-t", "is_fraud")[0] == "bce"
    assert "LNT101" in read("house_prices.csv")[1]
