"""The advice on real datasets that scikit-learn and statsmodels ship offline.

Several of these are known failures of peer tools: scikit-learn's ``type_of_target`` calls the
diabetes progression score (25-346) and the RAND doctor-visit counts "multiclass"; we must call
them regression and count, and recommend accordingly.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn import datasets as skd
from sklearn.utils.multiclass import type_of_target

from advisor.analyze import analyze
from advisor.engine import advise
from advisor.ruleset import load_rules
from advisor.thresholds import Thresholds

RULES = load_rules()


def advice_for(tmp_path, frame: pd.DataFrame, target: str):
    path = tmp_path / "data.csv"
    frame.to_csv(path, index=False)
    profile = analyze(str(path), target, Thresholds()).profile
    return profile, advise(profile.facts(), RULES)


def sk_frame(loader) -> pd.DataFrame:
    bunch = loader(as_frame=True)
    return bunch.frame


def test_breast_cancer_37_63_is_binary_and_not_imbalanced(tmp_path):
    profile, advice = advice_for(tmp_path, sk_frame(skd.load_breast_cancer), "target")
    assert profile.task == "binary"
    assert not profile.has("imbalanced")
    assert advice.losses[0].id == "bce"
    assert "accuracy" in [m.id for m in advice.metrics]


def test_diabetes_whole_number_score_is_regression_not_346_classes(tmp_path):
    frame = sk_frame(skd.load_diabetes)
    assert type_of_target(frame["target"].astype(int)) == "multiclass"  # the peer's answer
    profile, advice = advice_for(tmp_path, frame.assign(target=frame["target"].astype(int)),
                                 "target")
    assert profile.task == "regression"
    assert advice.losses[0].id in {"mse", "gamma"}
    assert "poisson" not in [loss.id for loss in advice.losses[:2]]


def test_iris_and_wine_labels_are_nominal_multiclass(tmp_path):
    for loader in (skd.load_iris, skd.load_wine):
        profile, advice = advice_for(tmp_path, sk_frame(loader), "target")
        assert profile.task == "multiclass"
        assert not profile.has("ordinal_levels")
        assert advice.losses[0].id == "cce"
        assert advice.losses[0].frameworks["keras"].startswith("sparse_categorical")


def test_digits_ten_codes_are_classes_not_counts(tmp_path):
    profile, _ = advice_for(tmp_path, sk_frame(skd.load_digits), "target")
    assert profile.task == "multiclass" and profile.stats["n_classes"] == 10


def test_linnerud_outputs_are_profiled_one_by_one(tmp_path):
    bunch = skd.load_linnerud(as_frame=True)
    path = tmp_path / "data.csv"
    bunch.frame.to_csv(path, index=False)
    analysis = analyze(str(path), "Weight,Waist,Pulse", Thresholds())
    assert analysis.profile.has("multi_output") and analysis.profile.stats["n_outputs"] == 3
    columns = {c.target[0]: c for c in analysis.columns}
    assert list(columns) == ["Weight", "Waist", "Pulse"]
    for name, column in columns.items():
        assert column.task == "regression", name
        assert column.stats["max"] == bunch.frame[name].max()
        assert advise(column.facts(), RULES).losses


sm = pytest.importorskip("statsmodels.api")


def test_rand_doctor_visits_are_zero_inflated_overdispersed_counts(tmp_path):
    frame = sm.datasets.randhie.load_pandas().data
    assert type_of_target(frame["mdvis"]) == "multiclass"  # the peer's answer
    profile, advice = advice_for(tmp_path, frame, "mdvis")
    assert profile.task == "count"
    assert {"overdispersed", "zero_inflated"} <= profile.trait_names()
    assert advice.losses[0].id == "tweedie"
    assert advice.metrics[0].id == "tweedie_deviance"


def test_affairs_mostly_zero_continuous_target_gets_tweedie_not_mae(tmp_path):
    frame = sm.datasets.fair.load_pandas().data
    profile, advice = advice_for(tmp_path, frame, "affairs")
    assert profile.task == "regression"
    assert profile.stats["zero_fraction"] > 0.5
    assert advice.losses[0].id == "tweedie"
    avoided = {(a.kind, a.id) for a in advice.avoid}
    assert {("loss", "mae"), ("metric", "mape"), ("loss", "gamma")} <= avoided


def test_strike_durations_are_zero_truncated_whole_unit_durations(tmp_path):
    frame = sm.datasets.strikes.load_pandas().data  # days, 1 to 216
    profile, advice = advice_for(tmp_path, frame, "duration")
    assert profile.task == "count" and profile.has("zero_truncated")
    assert profile.has("small_sample") and profile.has("strictly_positive")
    assert "regression" in [a.task for a in profile.task_alternatives]
    assert [r.id for r in advice.losses[:2]] == ["poisson", "gamma"]
    assert "mse" in {a.id for a in advice.avoid if a.kind == "loss"}


def test_stack_loss_21_rows_14_values_is_a_measurement_not_classes(tmp_path):
    frame = sm.datasets.stackloss.load_pandas().data  # 21 rows, integers 7-42
    profile, _ = advice_for(tmp_path, frame, "STACKLOSS")
    assert profile.task == "regression"
    assert "most levels hold fewer than 3 rows" in profile.task_reason


def test_affairs_measurement_with_zeros_gets_zero_mass_not_count_traits(tmp_path):
    frame = sm.datasets.fair.load_pandas().data  # a rate (affairs per year), 68% zeros
    profile, advice = advice_for(tmp_path, frame, "affairs")
    assert profile.has("zero_mass")
    assert not profile.trait_names() & {"zero_inflated", "overdispersed"}
    assert advice.losses[0].id == "tweedie"


def test_mode_choice_25_percent_positive_is_mildly_imbalanced(tmp_path):
    frame = sm.datasets.modechoice.load_pandas().data
    profile, advice = advice_for(tmp_path, frame, "choice")
    assert profile.task == "binary" and profile.has("imbalanced")
    assert not profile.has("severe_imbalance")
    assert [r.id for r in advice.losses[:2]] == ["bce", "weighted_bce"]  # threshold, not weights
    assert advice.metrics[0].id == "pr_auc"
    assert np.isclose(profile.stats["pos_weight"], 3.0)


SM_TARGETS = [
    ("fair", "affairs"), ("randhie", "mdvis"), ("strikes", "duration"), ("modechoice", "choice"),
    ("scotland", "YES"), ("star98", "NABOVE"), ("engel", "foodexp"), ("grunfeld", "invest"),
    ("longley", "TOTEMP"), ("committee", "BILLS104"), ("spector", "GRADE"), ("ccard", "AVGEXP"),
    ("anes96", "PID"), ("copper", "WORLDCONSUMPTION"), ("stackloss", "STACKLOSS"),
    ("cpunish", "EXECUTIONS"), ("heart", "survival"), ("cancer", "cancer"), ("nile", "volume"),
    ("sunspots", "SUNACTIVITY"), ("statecrime", "murder"),
]
SK_TARGETS = [(skd.load_breast_cancer, "target"), (skd.load_diabetes, "target"),
              (skd.load_iris, "target"), (skd.load_wine, "target"), (skd.load_digits, "target")]


@pytest.mark.parametrize("name,target", SM_TARGETS + [(f.__name__, t) for f, t in SK_TARGETS])
def test_first_metric_scores_what_the_first_loss_estimates_on_real_data(tmp_path, name, target):
    from test_advice import lead_is_consistent

    loader = dict((f.__name__, f) for f, _ in SK_TARGETS).get(name)
    frame = sk_frame(loader) if loader else getattr(sm.datasets, name).load_pandas().data
    profile, advice = advice_for(tmp_path, frame, target)
    assert advice.losses and advice.metrics, profile.task
    assert lead_is_consistent(advice) is None
