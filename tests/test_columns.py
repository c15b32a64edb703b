"""Several target columns: each is profiled on its own (statistics, traits, evidence, advice),
never mixed; several count columns are counts; JSON lists a section per column (schema 2)."""

from __future__ import annotations

import json

import jsonschema
import numpy as np
import pandas as pd
import pytest
from conftest import ROOT, run

SCHEMA = json.loads((ROOT / "advisor" / "schema" / "report.schema.json").read_text())


@pytest.fixture
def table(tmp_path):
    rng = np.random.default_rng(5)
    n = 2000
    claims = rng.negative_binomial(1, 0.3, n)
    claims[rng.random(n) < 0.6] = 0
    frame = pd.DataFrame({
        "n_claims": claims,  # zero-inflated counts
        "amount": np.round(rng.gamma(3, 500, n), 2) + 1,  # positive, skewed, no zeros
        "visits": rng.poisson(2, n),  # plain counts
        "temperature": rng.normal(15, 5, n),  # symmetric, negatives possible
    })
    path = tmp_path / "many.csv"
    frame.to_csv(path, index=False)
    return str(path), frame


def profile_json(path, target, *extra):
    result = run(["profile", path, "--target", target, "--format", "json", *extra])
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    jsonschema.validate(doc, SCHEMA)
    return doc


def test_each_column_has_its_own_statistics_traits_and_advice(table):
    path, frame = table
    doc = profile_json(path, "n_claims,amount,temperature")
    assert doc["schema_version"] == 2 and doc["losses"] == []
    assert [t["name"] for t in doc["traits"]] == ["multi_output"]
    columns = {c["target"]: c for c in doc["columns"]}
    assert list(columns) == ["n_claims", "amount", "temperature"]
    for name, column in columns.items():
        stats = column["profile"]
        assert stats["mean"] == pytest.approx(frame[name].mean())
        assert stats["max"] == pytest.approx(frame[name].max())
        for trait in column["traits"]:  # evidence names no other column's numbers
            assert not any(other in trait["evidence"] for other in columns if other != name)
    claims, amount, temperature = columns["n_claims"], columns["amount"], columns["temperature"]
    assert claims["task"] == "count" and amount["task"] == "regression"
    traits = {name: {t["name"] for t in c["traits"]} for name, c in columns.items()}
    assert "zero_inflated" in traits["n_claims"] and "has_zeros" not in traits["amount"]
    assert "has_negatives" in traits["temperature"] and "has_negatives" not in traits["amount"]
    assert claims["losses"][0]["id"] == "tweedie"
    assert amount["losses"][0]["id"] == "gamma"
    assert temperature["losses"][0]["id"] == "mse"
    zero_share = f"{columns['n_claims']['profile']['zero_fraction']:.1%}"
    lines = [line for c in (amount, temperature) for item in c["losses"] + c["avoid"]
             for line in item["rationale"]]
    assert lines and not [line for line in lines if zero_share in line]  # n_claims's only
    assert amount["profile"]["huber_delta_bound"] != temperature["profile"]["huber_delta_bound"]


def test_several_count_columns_are_counts(table):
    path, _ = table
    doc = profile_json(path, "n_claims,visits")
    assert doc["task"] == "count" and "count columns" in doc["task_reason"]
    assert [c["task"] for c in doc["columns"]] == ["count", "count"]
    assert [c["losses"][0]["id"] for c in doc["columns"]] == ["tweedie", "poisson"]


def test_table_and_markdown_show_a_section_per_column(table):
    path, _ = table
    text = run(["profile", path, "--target", "n_claims,amount"]).stdout
    assert "lossadvisor profile: column n_claims" in text
    assert "lossadvisor profile: column amount" in text
    markdown = run(["profile", path, "--target", "n_claims,amount", "-f", "markdown"]).stdout
    assert markdown.count("# lossadvisor: ") == 2


def test_framework_snippet_per_column(table):
    path, _ = table
    doc = profile_json(path, "n_claims,amount", "--framework", "lightgbm")
    assert [c["snippet"]["loss"] for c in doc["columns"]] == ["tweedie", "gamma"]


def test_same_input_same_bytes(table):
    path, _ = table
    first = run(["profile", path, "--target", "n_claims,amount", "-f", "json"]).stdout
    assert first == run(["profile", path, "--target", "n_claims,amount", "-f", "json"]).stdout
