"""The engine's advice on hand-built profiles: ranks, avoid lists, and loss/metric consistency."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.engine import advise
from advisor.ruleset import load_rules
from advisor.vocabulary import TRAITS

RULES = load_rules()
CATALOG = RULES.catalog


def facts(task, traits=(), **stats):
    return {"task": task, "traits": set(traits), "has_data": True, **stats}


def ranked(advice, kind):
    return [r.id for r in (advice.losses if kind == "loss" else advice.metrics)]


def avoided(advice, kind):
    return {a.id for a in advice.avoid if a.kind == kind}


BINARY_RARE = facts("binary", ["imbalanced", "severe_imbalance"], positive_label="1",
                    positive_fraction=0.002, positive_count=20, n=10_000, pos_weight=499.0,
                    majority_class="0", majority_fraction=0.998, minority_count=20,
                    imbalance_ratio=499.0, label_encoding="integer")

# (profile, expected first loss, expected first metric, must be avoided)
CASES = {
    "binary-0.2%-positive": (BINARY_RARE, "weighted_bce", "pr_auc", {"metric:accuracy"}),
    "binary-20%-positive": (
        facts("binary", ["imbalanced"], positive_fraction=0.2, pos_weight=4.0,
              label_encoding="integer"),
        "bce", "pr_auc", {"metric:accuracy"}),
    "binary-balanced": (
        facts("binary", [], positive_fraction=0.45, label_encoding="integer"),
        "bce", "roc_auc", set()),
    "multiclass-balanced-integer": (
        facts("multiclass", [], n_classes=3, label_encoding="integer"),
        "cce", "macro_f1", set()),
    "multiclass-one-hot": (
        facts("multiclass", ["one_hot_labels"], n_classes=4, label_encoding="one_hot"),
        "cce", "macro_f1", set()),
    "multiclass-imbalanced": (
        facts("multiclass", ["imbalanced"], n_classes=5, label_encoding="text"),
        "cce", "balanced_accuracy", {"metric:accuracy"}),
    "multiclass-severely-imbalanced": (
        facts("multiclass", ["imbalanced", "severe_imbalance"], n_classes=5,
              label_encoding="text"),
        "weighted_cce", "balanced_accuracy", {"metric:accuracy"}),
    "ordinal-rating": (
        facts("multiclass", ["ordinal_levels", "imbalanced"], n_classes=5,
              label_encoding="integer"),
        "ordinal_corn", "cohen_kappa", {"metric:accuracy"}),
    "multilabel-rare-label": (
        facts("multilabel", ["imbalanced", "severe_imbalance"], n_labels=5),
        "weighted_multilabel_bce", "macro_f1", {"metric:accuracy"}),
    "regression-gaussian": (
        facts("regression", ["has_negatives"], min=-3.0, zero_fraction=0.0),
        "mse", "rmse", {"loss:poisson", "loss:gamma", "loss:tweedie"}),
    "regression-heavy-tails": (
        facts("regression", ["heavy_tailed", "outliers", "has_negatives"], min=-40.0,
              zero_fraction=0.0, excess_kurtosis=25.0),
        "huber", "mae", {"loss:poisson"}),
    "regression-positive-skewed": (
        facts("regression", ["skewed", "strictly_positive", "non_negative"], min=3.0,
              skewness=1.8, zero_fraction=0.0),
        "gamma", "gamma_deviance", set()),
    "regression-zeros-skewed": (
        facts("regression", ["skewed", "non_negative", "has_zeros", "heavy_tailed"], min=0.0,
              skewness=3.5, zero_fraction=0.3),
        "tweedie", "tweedie_deviance", {"loss:gamma", "metric:mape", "metric:gamma_deviance"}),
    "regression-mostly-zero": (
        facts("regression", ["skewed", "non_negative", "has_zeros"], min=0.0, skewness=4.0,
              zero_fraction=0.68),
        "tweedie", "tweedie_deviance", {"loss:mae", "metric:mae", "metric:median_ae"}),
    "regression-below-minus-one": (
        facts("regression", ["has_negatives"], min=-5.0, zero_fraction=0.0),
        "mse", "rmse", {"loss:msle", "metric:rmsle"}),
    "regression-small-sample": (
        facts("regression", ["small_sample"], n=80, min=1.0, zero_fraction=0.0),
        "mse", "rmse", {"metric:r2"}),
    "count-poisson": (
        facts("count", ["non_negative", "has_zeros"], mean=3.0, zero_fraction=0.05, min=0.0),
        "poisson", "poisson_deviance", {"metric:mape", "loss:gamma"}),
    "count-zero-inflated": (
        facts("count", ["non_negative", "has_zeros", "zero_inflated", "overdispersed"],
              mean=0.9, zero_fraction=0.7, min=0.0),
        "tweedie", "tweedie_deviance", {"metric:mape", "loss:gamma", "metric:mae"}),
    "count-overdispersed": (
        facts("count", ["non_negative", "has_zeros", "overdispersed"], mean=4.0,
              zero_fraction=0.1, dispersion_index=3.0, min=0.0),
        "poisson", "poisson_deviance", set()),
    "segmentation-small-foreground": (
        facts("segmentation", ["imbalanced"]), "dice", "dice_coefficient",
        {"metric:pixel_accuracy"}),
    "segmentation": (facts("segmentation"), "ce_dice", "iou", set()),
    "detection": (facts("detection"), "giou", "map", set()),
    "metric-learning": (facts("metric_learning"), "triplet", "embedding_recall_at_k", set()),
    "generative": (facts("generative"), "kl_divergence", "fid", set()),
}


@pytest.mark.parametrize("name", CASES)
def test_hand_built_profiles(name):
    profile, first_loss, first_metric, must_avoid = CASES[name]
    advice = advise(profile, RULES)
    assert ranked(advice, "loss")[0] == first_loss, ranked(advice, "loss")
    assert ranked(advice, "metric")[0] == first_metric, ranked(advice, "metric")
    for item in must_avoid:
        kind, entry = item.split(":")
        assert entry in avoided(advice, kind)
        assert entry not in ranked(advice, kind)


def test_rationale_carries_this_datas_numbers():
    advice = advise(BINARY_RARE, RULES)
    text = " ".join(advice.losses[0].rationale)
    assert "0.20%" in text and "499.0:1" in text
    accuracy = next(a for a in advice.avoid if a.id == "accuracy")
    assert "99.80%" in accuracy.rationale[0]


def test_ranking_is_deterministic_and_documented_tie_break():
    first = advise(BINARY_RARE, RULES)
    second = advise(dict(BINARY_RARE), RULES)
    assert [(r.id, r.score) for r in first.metrics] == [(r.id, r.score) for r in second.metrics]
    for items in (first.losses, first.metrics):
        keys = [(-r.score, -len(r.rules), CATALOG.get(r.kind, r.id).order) for r in items]
        assert keys == sorted(keys)
        assert [r.rank for r in items] == list(range(1, len(items) + 1))


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["binary", "multiclass"]),
    st.sets(st.sampled_from(sorted(TRAITS))),
    st.sampled_from(["integer", "text", "one_hot", "signed"]),
)
def test_imbalanced_targets_never_get_accuracy(task, traits, encoding):
    traits = set(traits) | {"imbalanced"}
    advice = advise(facts(task, traits, label_encoding=encoding), RULES)
    assert "accuracy" not in ranked(advice, "metric")
    assert "accuracy" in avoided(advice, "metric")


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["regression", "count"]), st.sets(st.sampled_from(sorted(TRAITS))),
       st.floats(0.001, 1.0))
def test_targets_with_zeros_never_get_gamma_or_mape(task, traits, zero_fraction):
    traits = set(traits) | {"has_zeros"}
    advice = advise(facts(task, traits, zero_fraction=zero_fraction, min=0.0), RULES)
    assert "gamma" not in ranked(advice, "loss") and "mape" not in ranked(advice, "metric")
    assert "mape" not in ranked(advice, "loss")
    assert "gamma_deviance" not in ranked(advice, "metric")
