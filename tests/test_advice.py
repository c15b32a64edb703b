"""What the advice promises beyond single cases: the first metric scores what the first loss
estimates, every rationale line is about the entry it is printed under, relative error needs a
reason, imbalance is graded, every framework can spell the top loss, and without data no line
pretends to have numbers."""

from __future__ import annotations

import json
import re

import pytest
from conftest import SAMPLES, run
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.engine import advise
from advisor.ruleset import load_rules
from advisor.thresholds import DEFAULT_THRESHOLDS, threshold_facts
from advisor.vocabulary import ALL_TASKS, TRAITS

RULES = load_rules()
CATALOG = RULES.catalog


def facts(task, traits=(), **stats):
    return {"task": task, "traits": set(traits), "has_data": bool(stats), **stats}


# -- the first metric scores what the first loss estimates ----------------------------------
def lead_is_consistent(advice) -> str | None:
    """None when the first metric is strictly consistent for the first loss's functional or
    carries the catalog's stated reason for departing; else what is wrong."""
    if not advice.losses or not advice.metrics:
        return None
    loss = CATALOG.get("loss", advice.losses[0].id)
    metric = CATALOG.get("metric", advice.metrics[0].id)
    functional = CATALOG.functionals[loss.estimates]
    if metric.estimates in functional.scored_by:
        return None
    if metric.estimates in functional.departs:
        if advice.metrics[0].note == functional.departs[metric.estimates]:
            return None
        return f"{metric.id} departs from {loss.id} without saying why"
    return f"{metric.id} ({metric.estimates}) does not score {loss.id} ({loss.estimates})"


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(ALL_TASKS), st.sets(st.sampled_from(sorted(TRAITS))),
       st.sampled_from([None, "integer", "text", "one_hot", "signed"]),
       st.one_of(st.none(), st.floats(0.0, 1.0)))
def test_first_metric_scores_what_the_first_loss_estimates(task, traits, encoding, zeros):
    stats = {k: v for k, v in (("label_encoding", encoding), ("zero_fraction", zeros))
             if v is not None}
    problem = lead_is_consistent(advise(facts(task, traits, **stats), RULES))
    assert problem is None


@pytest.mark.parametrize("case,lead_loss,lead_metric", [
    # Gamma and Tweedie estimate the mean: never MAE first (seen on real data before).
    (facts("regression", ["strictly_positive", "skewed", "heavy_tailed", "outliers"],
           min=1.0, skewness=3.0, zero_fraction=0.0), "huber", "mae"),
    (facts("regression", ["strictly_positive", "skewed"], min=1.0, skewness=2.0), "gamma",
     "gamma_deviance"),
    (facts("regression", ["non_negative", "has_zeros", "skewed", "outliers"], min=0.0,
           skewness=2.0, zero_fraction=0.3), "tweedie", "tweedie_deviance"),
    (facts("regression", []), "mse", "rmse"),
])
def test_named_pairs(case, lead_loss, lead_metric):
    advice = advise(case, RULES)
    assert (advice.losses[0].id, advice.metrics[0].id) == (lead_loss, lead_metric)
    assert lead_is_consistent(advice) is None


def test_huber_and_log_cosh_estimate_the_mean_only_for_symmetric_errors():
    for loss in ("huber", "log_cosh", "smooth_l1"):
        functional = CATALOG.functionals[CATALOG.get("loss", loss).estimates]
        assert "symmetric" in functional.meaning and "mean" not in functional.scored_by
    advice = advise(facts("regression", ["heavy_tailed"]), RULES)
    assert advice.losses[0].id == "huber" and "symmetric errors" in advice.metrics[0].note


def test_an_inconsistent_first_metric_is_moved_behind_a_consistent_one(tmp_path):
    folder = tmp_path / "ours"
    folder.mkdir()
    (folder / "mae.yaml").write_text("""\
rules:
  - id: USR001
    name: team.mae-first
    summary: Our reviews read MAE.
    why: Stakeholders compare models by mean absolute error in the target's units, always.
    references: ["team wiki"]
    when: {task: regression}
    then: {metrics: [{id: mae, weight: 20}]}
    rationale: "Team policy."
    examples:
      - {profile: {task: regression}, fires: true}
      - {profile: {task: binary}, fires: false}
""")
    ruleset = load_rules([folder])
    advice = advise(facts("regression", ["strictly_positive", "skewed"]), ruleset)
    assert advice.losses[0].id == "gamma"
    first, second = advice.metrics[0], advice.metrics[1]
    assert CATALOG.get("metric", first.id).estimates == "mean" and second.id == "mae"
    assert "Ranked first" in first.note and first.score < second.score
    assert [m.rank for m in advice.metrics] == list(range(1, len(advice.metrics) + 1))


# -- every rationale line belongs to its entry ----------------------------------------------
def terms(entry) -> set[str]:
    """How a rationale may name an entry: id, display name, and the name without 'Mean'."""
    name = entry.name.lower()
    out = {entry.id.replace("_", " ").lower(), entry.id.lower(), name}
    if name.startswith("mean "):
        out.add(name.removeprefix("mean "))
    return {t for t in out if len(t) > 2}


def named_others(text: str, own, others) -> set[str]:
    """Entries among ``others`` that ``text`` names, after removing the entry's own names."""
    lowered = text.lower()
    for term in sorted(terms(own), key=len, reverse=True):
        lowered = re.sub(rf"\b{re.escape(term)}\b", " ", lowered)
    return {o.id for o in others
            if any(re.search(rf"\b{re.escape(t)}\b", lowered) for t in terms(o) - terms(own))}


def _lines(rule, case):
    advice = advise(case, RULES)
    for rec in advice.losses + advice.metrics:
        if rule.id in rec.rules:
            yield rec, rec.rationale[rec.rules.index(rule.id)]


RULES_WITH_EFFECTS = [r for r in RULES.of_kind("recommend") if r.losses or r.metrics]


@pytest.mark.parametrize("rule", RULES_WITH_EFFECTS, ids=lambda r: r.id)
def test_every_rationale_line_belongs_to_the_entry_it_is_printed_under(rule):
    entries = [CATALOG.get("loss", e.id) for e in rule.losses]
    entries += [CATALOG.get("metric", e.id) for e in rule.metrics]
    cases = [e.facts for e in rule.examples if e.fires]
    cases += [facts(c["task"], c.get("traits", ())) for c in cases]  # the same without numbers
    checked = 0
    for case in cases:
        for rec, line in _lines(rule, case):
            own = CATALOG.get(rec.kind, rec.id)
            wrong = named_others(line, own, [e for e in entries if terms(e) != terms(own)])
            assert not wrong, (rec.id, line)
            checked += 1
    assert checked


# -- relative error needs a reason ---------------------------------------------------------
@settings(max_examples=200, deadline=None)
@given(st.sets(st.sampled_from(sorted(TRAITS))))
def test_mape_is_an_objective_only_across_magnitudes_and_never_the_first_metric(traits):
    traits = set(traits) | {"strictly_positive"}
    advice = advise(facts("regression", traits), RULES)
    losses = [r.id for r in advice.losses]
    if "spans_magnitudes" not in traits:
        assert "mape" not in losses
    if advice.metrics:
        assert advice.metrics[0].id != "mape"


def test_positive_target_gets_mape_only_as_a_reported_metric():
    advice = advise(facts("regression", ["strictly_positive", "non_negative"], min=2.0), RULES)
    assert "mape" not in [r.id for r in advice.losses]
    mape = next(m for m in advice.metrics if m.id == "mape")
    assert mape.rank > 1 and "report it" in mape.rationale[-1]


# -- graded imbalance ---------------------------------------------------------------------
MILD = facts("binary", ["imbalanced"], positive_label="1", positive_fraction=0.13,
             positive_count=130, n=1000, pos_weight=6.69, imbalance_ratio=6.69,
             majority_class="0", majority_fraction=0.87, label_encoding="integer")


def test_mild_imbalance_keeps_cross_entropy_unweighted_with_threshold_tuning():
    advice = advise(MILD, RULES)
    assert [r.id for r in advice.losses[:2]] == ["bce", "weighted_bce"]
    bce, weighted = advice.losses[0], advice.losses[1]
    assert any("threshold" in line for line in bce.rationale)
    assert any("every probability" in line for line in weighted.rationale)
    assert advice.metrics[0].id == "pr_auc" and advice.metrics[0].note
    assert "accuracy" in {a.id for a in advice.avoid}


def test_severe_imbalance_leads_with_weights_or_focal():
    severe = {**MILD, "traits": {"imbalanced", "severe_imbalance"}, "positive_fraction": 0.004}
    advice = advise(severe, RULES)
    assert advice.losses[0].id == "weighted_bce" and advice.losses[1].id == "focal"
    multi = advise(facts("multiclass", ["imbalanced", "severe_imbalance"],
                         label_encoding="text"), RULES)
    assert multi.losses[0].id == "weighted_cce"
    mild_multi = advise(facts("multiclass", ["imbalanced"], label_encoding="text"), RULES)
    assert mild_multi.losses[0].id == "cce"


# -- the recommended loss exists in every framework ----------------------------------------
@pytest.mark.parametrize("encoding", ["integer", "text"])
def test_class_labels_get_categorical_cross_entropy_spelled_everywhere(encoding):
    advice = advise(facts("multiclass", [], n_classes=3, label_encoding=encoding), RULES)
    top = advice.losses[0]
    assert top.id == "cce"
    assert {"pytorch", "keras", "sklearn", "xgboost", "lightgbm", "catboost"} <= set(
        top.frameworks)
    assert top.frameworks["keras"].startswith("sparse_categorical_crossentropy")
    one_hot = advise(facts("multiclass", [], n_classes=3, label_encoding="one_hot"), RULES)
    assert one_hot.losses[0].frameworks["keras"] == "CategoricalCrossentropy"


def test_keras_snippet_follows_the_label_encoding():
    from advisor.engine import snippet

    for encoding, loss in (("integer", "sparse_categorical_crossentropy"),
                           ("one_hot", '"categorical_crossentropy"')):
        case = facts("multiclass", [], n_classes=3, label_encoding=encoding)
        _, code, _ = snippet(advise(case, RULES), RULES, "keras", case)
        assert loss in code


# -- no data, no numbers -------------------------------------------------------------------
NUMBER = re.compile(r"\d")


@pytest.mark.parametrize("task", ALL_TASKS)
def test_without_data_no_line_shows_a_missing_number(task):
    for trait in [None, *TRAITS]:
        case = facts(task, [trait] if trait else [])
        advice = advise(case, RULES)
        lines = [line for rec in advice.losses + advice.metrics for line in rec.rationale]
        lines += [line for item in advice.avoid for line in item.rationale]
        assert not [line for line in lines if "n/a" in line], (task, trait)


def test_recommend_weighted_snippet_keeps_a_named_placeholder(cli):
    result = cli(["recommend", "--task", "binary", "--trait", "imbalanced", "--trait",
                  "severe_imbalance", "--framework", "pytorch", "-f", "json"])
    doc = json.loads(result.stdout)
    assert doc["snippet"]["code"] == (
        "import torch\nfrom torch import nn\n\n"
        "loss_fn = nn.BCEWithLogitsLoss(pos_weight=torch.tensor(POS_WEIGHT))")
    assert "n/a" not in result.stdout


def test_recommend_heavy_tailed_falls_back_to_text_and_named_placeholders(cli):
    result = cli(["recommend", "--task", "regression", "--trait", "heavy_tailed",
                  "--framework", "pytorch", "-f", "json"])
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert "n/a" not in result.stdout
    assert doc["snippet"]["code"] == (
        "from torch import nn\n\n"
        "loss_fn = nn.HuberLoss(delta=HUBER_DELTA)  # 1.345 x 1.4826 x MAD of the residuals")
    assert doc["snippet"]["placeholders"]["HUBER_DELTA"].startswith(
        "Huber's delta on the residual scale")
    assert "HUBER_DELTA" in result.stderr
    huber = doc["losses"][0]
    assert huber["id"] == "huber" and not NUMBER.search(" ".join(huber["rationale"]))


def test_rationale_reads_the_thresholds_in_force():
    case = facts("regression", ["outliers"], outlier_fraction=0.02, huber_delta_bound=1.5,
                 outlier_low=-9.0, outlier_high=12.0, medcouple=0.0)

    def huber(advice):
        return next(r for r in advice.losses if r.id == "huber").rationale[0]

    default = huber(advise(case, RULES))
    assert "(3×IQR, medcouple 0.00)" in default
    custom = DEFAULT_THRESHOLDS.with_overrides({"iqr_fence": 2.2, "robust_z": 4}, "test")
    text = huber(advise(case, RULES, custom))
    assert "(2.2×IQR, medcouple 0.00)" in text
    assert set(threshold_facts(custom)) >= {"threshold_iqr_fence", "threshold_robust_z"}


def test_samples_keep_the_lead_pair_consistent():
    tags = "tag_politics,tag_sports,tag_tech,tag_health,tag_science"
    for name, target in (("fraud", "is_fraud"), ("house_prices", "price"),
                         ("claims", "n_claims"), ("species", "species"), ("ratings", "stars"),
                         ("article_tags", tags)):
        result = run(["profile", str(SAMPLES / f"{name}.csv"), "-t", target, "-f", "json"])
        doc = json.loads(result.stdout)
        loss = CATALOG.get("loss", doc["losses"][0]["id"])
        metric = doc["metrics"][0]
        functional = CATALOG.functionals[loss.estimates]
        estimates = CATALOG.get("metric", metric["id"]).estimates
        assert estimates in functional.scored_by or (
            metric.get("note") == functional.departs.get(estimates)), name


def test_the_belonging_check_catches_the_old_squared_error_text_under_mae():
    old = "squared error estimates the conditional mean; RMSE reads in the target's units"
    mae = CATALOG.get("metric", "mae")
    others = [CATALOG.get("loss", "mse"), CATALOG.get("metric", "rmse")]
    assert named_others(old, mae, others) == {"mse", "rmse"}
    assert named_others("MAE scores the median absolute error", mae,
                        [CATALOG.get("metric", "median_ae")]) == {"median_ae"}


# -- profile and lint agree ------------------------------------------------------------------
def _generated(tmp_path):
    import numpy as np

    rng = np.random.default_rng(12)
    path = tmp_path / "heavy.csv"
    path.write_text("y\n" + "\n".join(f"{v:.6g}" for v in rng.standard_t(2, 3000)) + "\n")
    return str(path)


def _statsmodels(tmp_path, name, target):
    sm = pytest.importorskip("statsmodels.api")
    path = tmp_path / f"{name}.csv"
    getattr(sm.datasets, name).load_pandas().data.to_csv(path, index=False)
    return str(path), target


AGREEMENT_DATA = [
    ("fraud", "is_fraud"), ("house_prices", "price"), ("claims", "n_claims"),
    ("species", "species"), ("ratings", "stars"),
    ("sm:fair", "affairs"), ("sm:randhie", "mdvis"), ("sm:modechoice", "choice"),
    ("sm:engel", "foodexp"), ("sm:stackloss", "STACKLOSS"), ("generated:t2", "y"),
]


@pytest.mark.parametrize("name,target", AGREEMENT_DATA)
def test_a_loss_the_profile_recommends_is_never_a_lint_finding(tmp_path, name, target):
    from advisor.analyze import analyze
    from advisor.lint.check import LintResult, lint_model
    from advisor.lint.model import ModelConfig, Setting

    if name.startswith("sm:"):
        path, target = _statsmodels(tmp_path, name[3:], target)
    elif name.startswith("generated:"):
        path = _generated(tmp_path)
    else:
        path = str(SAMPLES / f"{name}.csv")
    profile_facts = analyze(path, target, DEFAULT_THRESHOLDS).profile.facts()
    advice = advise(profile_facts, RULES)
    assert advice.losses
    for rec in advice.losses:
        model = ModelConfig(path="train.yaml", dialect="yaml", lines=["loss: x"],
                            loss=Setting(rec.id, 1, 7, "loss", canonical=rec.id))
        result = LintResult()
        lint_model(model, RULES, profile_facts, [], result)
        about_loss = [f.rule for f in result.findings
                      if (RULES.by_id(f.rule).applies_to or "loss") == "loss"]
        assert about_loss == [], (rec.id, rec.rank, about_loss)
