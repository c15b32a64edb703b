"""The trial on real data that scikit-learn and statsmodels ship offline: the feed-back cases.

Issue #12 asked to run the trial on the datasets the tests use and, where the rules' top pick
loses, fix the rule or its thresholds. What the runs found (README, "Trial"):

- grunfeld (investment of 11 firms, 220 rows): Huber, ranked first, lost to squared error, absolute
  error and Gamma on all folds. The rule was not wrong: scikit-learn's Huber hessian is 0 beyond
  delta, so early trees (all residuals on the target's scale) split on the few rows near the
  median. Fitted with hessian 1, as LightGBM fits it, Huber is no longer beaten.
- randhie (RAND doctor visits, 20,190 rows): Tweedie at power 1.5, ranked first, is not beaten by
  Poisson (no evidence either way, Poisson better in 12/15 folds); at power 1.8 it loses to
  Poisson on all 15 folds, which is why the rule and its snippets keep the power at 1.2-1.5.

The default run keeps a fast slice (grunfeld, one repeat); the 15-fold cases are marked slow.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from conftest import trial_json, verdicts
from sklearn import datasets as skd

from advisor.io import open_table
from advisor.trial import TrialOptions, _splits, run_trial
from advisor.trial_data import prepare, read_sample
from advisor.trial_spec import Candidates, load_trial_spec

sm = pytest.importorskip("statsmodels.api")


def _statsmodels(tmp_path, name: str) -> str:
    path = tmp_path / f"{name}.csv"
    getattr(sm.datasets, name).load_pandas().data.to_csv(path, index=False)
    return str(path)


def _pair(path: str, target: str, task: str, top, other) -> dict:
    """Top vs other with the CLI's defaults (5 folds x 3 repeats on small data, seed 0)."""
    spec = load_trial_spec()
    candidates = Candidates(fit=[top, other], naive=other.id)
    return run_trial(path, target, task, None, candidates, spec, TrialOptions(), lambda _: None)


# -- grunfeld: Huber ---------------------------------------------------------------------------
def test_grunfeld_huber_is_not_beaten_by_squared_error(cli, tmp_path):
    doc = trial_json(cli, _statsmodels(tmp_path, "grunfeld"), "-t", "invest",
                 "--losses", "huber,mse", "--repeats", "1")
    assert doc["losses"][0]["id"] == "huber"  # the rules' top pick
    assert verdicts(doc)["mse"] != "loses"
    assert doc["trial"]["candidates"][0]["huber_delta"] < doc["profile"]["huber_delta_bound"]


def test_grunfeld_panel_is_split_by_firm(tmp_path):
    path = _statsmodels(tmp_path, "grunfeld")  # 11 firms x 20 years
    table, _ = read_sample(open_table(path), 10_000, 0)
    features = prepare(table, "invest", "regression", None, "firm", None, 0, path)
    splits, kind = _splits(features, "regression", TrialOptions(group="firm"), repeats=3)
    assert kind == "grouped" and len(splits) == 15
    assert "firm" not in features.X.columns
    for train, test in splits:
        assert not set(features.groups[train]) & set(features.groups[test])


@pytest.mark.slow
def test_grunfeld_huber_with_scikit_learns_zero_hessian_lost_to_squared_error(tmp_path):
    path = _statsmodels(tmp_path, "grunfeld")
    spec = load_trial_spec()
    huber, mse = spec.losses["huber"], spec.losses["mse"]
    assert huber.hessian == "unit"
    before = _pair(path, "invest", "regression", replace(huber, hessian=None), mse)
    after = _pair(path, "invest", "regression", huber, mse)
    assert before["comparisons"][0]["verdict"] == "loses"
    assert before["comparisons"][0]["wins"] <= 1
    assert after["comparisons"][0]["verdict"] != "loses"


# -- randhie: Tweedie vs Poisson for doctor visits ---------------------------------------------
@pytest.mark.slow
def test_randhie_doctor_visits_top_pick_is_not_beaten_by_poisson(cli, tmp_path):
    doc = trial_json(cli, _statsmodels(tmp_path, "randhie"), "-t", "mdvis")
    trial = doc["trial"]
    assert [loss["id"] for loss in doc["losses"][:2]] == ["tweedie", "poisson"]
    assert (trial["split"]["folds"], trial["split"]["repeats"]) == (5, 3)
    assert verdicts(doc)["poisson"] != "loses"
    assert trial["contradiction"] is None


@pytest.mark.slow
def test_randhie_tweedie_above_the_rules_power_loses_to_poisson(tmp_path):
    spec = load_trial_spec()
    assert spec.losses["tweedie"].power == 1.5
    steep = replace(spec.losses["tweedie"], power=1.8)
    section = _pair(_statsmodels(tmp_path, "randhie"), "mdvis", "count", steep,
                    spec.losses["poisson"])
    comparison = section["comparisons"][0]
    assert comparison["verdict"] == "loses"
    assert comparison["wins"] == 0 and comparison["folds"] == 15


# -- every other real dataset the tests use ----------------------------------------------------
STATSMODELS = [
    ("fair", "affairs"), ("scotland", "YES"), ("star98", "NABOVE"), ("cancer", "cancer"),
    ("strikes", "duration"), ("modechoice", "choice"), ("engel", "foodexp"),
    ("ccard", "AVGEXP"), ("statecrime", "murder"), ("longley", "TOTEMP"), ("spector", "GRADE"),
    ("anes96", "PID"), ("stackloss", "STACKLOSS"), ("copper", "WORLDCONSUMPTION"),
]
SCIKIT_LEARN = [("breast_cancer", "target"), ("diabetes", "target"), ("wine", "target"),
                ("iris", "target"), ("linnerud", "Waist")]


@pytest.mark.slow
@pytest.mark.parametrize("name,target", STATSMODELS + SCIKIT_LEARN)
def test_no_real_dataset_has_its_top_pick_beaten(cli, tmp_path, name, target):
    if (name, target) in SCIKIT_LEARN:
        path = tmp_path / f"{name}.csv"
        getattr(skd, f"load_{name}")(as_frame=True).frame.to_csv(path, index=False)
        path = str(path)
    else:
        path = _statsmodels(tmp_path, name)
    doc = trial_json(cli, path, "-t", target)
    assert "loses" not in verdicts(doc).values(), doc["trial"]["comparisons"]
    assert doc["trial"]["contradiction"] is None
