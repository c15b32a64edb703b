"""Every bundled sample gives its expected task, traits and top advice; output is stable."""

from __future__ import annotations

import json
import subprocess
import sys

import jsonschema
import pytest
from conftest import ROOT, SAMPLES, run

SCHEMA = json.loads((ROOT / "advisor" / "schema" / "report.schema.json").read_text())

# file, target, task, traits that must be present, first loss, first metric, avoided
EXPECTED = {
    "fraud": ("is_fraud", "binary", {"imbalanced", "severe_imbalance"}, "weighted_bce", "pr_auc",
              {"accuracy"}),
    "house_prices": ("price", "regression", {"heavy_tailed", "outliers", "skewed",
                                             "strictly_positive"}, "huber", "mae", set()),
    "claims": ("n_claims", "count", {"zero_inflated", "overdispersed", "has_zeros"}, "tweedie",
               "tweedie_deviance", {"mape", "gamma"}),
    "species": ("species", "multiclass", set(), "cce", "macro_f1", set()),
    "article_tags": ("tag_politics,tag_sports,tag_tech,tag_health,tag_science", "multilabel",
                     {"imbalanced"}, "weighted_multilabel_bce", "macro_f1", {"accuracy"}),
    "ratings": ("stars", "multiclass", {"ordinal_levels"}, "ordinal_corn", "cohen_kappa", set()),
}


def profile_json(name: str, target: str) -> dict:
    result = run(["profile", str(SAMPLES / f"{name}.csv"), "--target", target, "-f", "json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("name", EXPECTED)
def test_sample(name):
    target, task, traits, loss, metric, avoid = EXPECTED[name]
    doc = profile_json(name, target)
    jsonschema.validate(doc, SCHEMA)
    assert doc["task"] == task
    assert traits <= {t["name"] for t in doc["traits"]}
    assert doc["losses"][0]["id"] == loss
    assert doc["metrics"][0]["id"] == metric
    assert avoid <= {a["id"] for a in doc["avoid"]}
    if task in ("binary", "multiclass") and "imbalanced" in {t["name"] for t in doc["traits"]}:
        assert "accuracy" not in [m["id"] for m in doc["metrics"]]


def test_species_is_balanced_and_scores_accuracy():
    doc = profile_json("species", "species")
    assert "imbalanced" not in {t["name"] for t in doc["traits"]}
    assert "accuracy" in [m["id"] for m in doc["metrics"]]


def test_two_runs_give_byte_identical_json():
    """Separate processes, so nothing cached in memory can hide nondeterminism."""
    outputs = []
    for _ in range(2):
        result = subprocess.run(
            [sys.executable, "-m", "advisor", "profile", str(SAMPLES / "claims.csv"), "-t",
             "n_claims", "-f", "json"], capture_output=True, check=True,
        )
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1] and outputs[0]


def test_generator_reproduces_the_committed_samples(tmp_path):
    """The seeded generator is the source of truth for sample_data/."""
    import shutil

    copy = tmp_path / "sample_data"
    shutil.copytree(SAMPLES, copy)
    subprocess.run([sys.executable, str(copy / "generate.py")], check=True)
    for name in EXPECTED:
        assert (copy / f"{name}.csv").read_bytes() == (SAMPLES / f"{name}.csv").read_bytes()


def test_recommend_output_validates_against_the_schema():
    for task in ("segmentation", "detection", "metric_learning", "generative", "binary"):
        doc = json.loads(run(["recommend", "--task", task, "-f", "json"]).stdout)
        jsonschema.validate(doc, SCHEMA)
