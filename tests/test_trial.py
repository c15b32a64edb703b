"""`lossadvisor trial`: candidates, features, splits and verdicts on data whose answer is known.

Generated populations are small and the folds few, so the default run stays fast; the real-data
cases that need many folds are marked slow.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import trial_json, verdicts

from advisor.errors import InputError
from advisor.io import open_table
from advisor.trial import TrialOptions, _splits, attach, describe_model
from advisor.trial_data import MAX_LEVELS, Features, prepare, read_sample
from advisor.trial_spec import choose_candidates, load_trial_spec, loss_class_problem


def _csv(tmp_path: Path, name: str, frame: pd.DataFrame) -> str:
    path = tmp_path / name
    frame.to_csv(path, index=False)
    return str(path)


# -- candidates ---------------------------------------------------------------------------------
def test_candidates_are_the_rules_top_losses_plus_the_naive_default():
    spec = load_trial_spec()
    chosen = choose_candidates(["tweedie", "poisson", "msle", "mae"], "count", spec)
    assert [c.id for c in chosen.fit] == ["tweedie", "poisson", "msle", "mse"]
    assert chosen.naive == "mse"


def test_losses_without_a_tabular_estimator_are_listed_with_the_reason():
    spec = load_trial_spec()
    chosen = choose_candidates(["focal", "label_smoothing_ce", "weighted_cce"], "multiclass",
                               spec)
    reasons = {item["id"]: item["reason"] for item in chosen.not_trialable}
    assert "FocalLoss" in reasons["focal"]  # scikit-learn has no focal loss class
    assert "label smoothing" in reasons["label_smoothing_ce"]
    assert [c.id for c in chosen.fit] == ["weighted_cce", "cce"]


def test_one_trialable_loss_is_compared_with_the_catalogs_alternative():
    chosen = choose_candidates(["bce"], "binary", load_trial_spec())
    assert [c.id for c in chosen.fit] == ["bce", "weighted_bce"]
    assert any("weighted_bce" in n for n in chosen.notes)


def test_every_trial_loss_uses_names_the_installed_scikit_learn_accepts():
    from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor

    spec = load_trial_spec()
    regressor_losses = HistGradientBoostingRegressor._parameter_constraints["loss"][0].options
    classifier_losses = HistGradientBoostingClassifier._parameter_constraints["loss"][0].options
    for item in spec.losses.values():
        if item.loss:
            allowed = regressor_losses if item.estimator == "regressor" else classifier_losses
            assert item.loss in allowed, item.id
        if item.loss_class and loss_class_problem(item) is not None:
            assert item.fallback or item.estimator == "classifier", item.id
    assert loss_class_problem(spec.losses["tweedie"]) is None  # HalfTweedieLoss in 1.9
    assert "class_weight" in HistGradientBoostingClassifier().get_params()


def test_each_loss_is_scored_consistently_with_what_the_catalog_says_it_estimates():
    from advisor.catalog import load_catalog
    from advisor.trial_spec import departure, score_functional

    catalog = load_catalog()
    for item in load_trial_spec().losses.values():
        estimates = catalog.get("loss", item.id).estimates
        functional = catalog.functionals[estimates]
        measured = score_functional(item.score, estimates)
        assert measured == estimates or measured in functional.scored_by \
            or departure(item.id, item.score), item.id
    assert departure("poisson", "poisson_deviance") is None
    assert departure("huber", "mse")  # robust centre judged by squared error: a stated reason


def test_a_score_inconsistent_with_the_catalog_is_refused():
    from advisor.catalog import load_catalog
    from advisor.trial_spec import LossSpec, _inconsistent

    wrong = LossSpec(id="mae", estimator="regressor", score="mse", loss="absolute_error")
    assert "estimates median" in _inconsistent(wrong, load_catalog())


def test_model_descriptions_name_the_real_estimator_arguments():
    spec = load_trial_spec()
    assert describe_model(spec.losses["msle"]).startswith("TransformedTargetRegressor(")
    assert "class_weight='balanced'" in describe_model(spec.losses["weighted_bce"])
    assert "sample_weight=1/|y|" in describe_model(spec.losses["mape"])


# -- features -----------------------------------------------------------------------------------
def test_features_drop_useless_columns_and_say_why(tmp_path):
    rng = np.random.default_rng(0)
    n = 400
    y = rng.normal(size=n)
    frame = pd.DataFrame({
        "customer_id": np.arange(n),
        "constant": 7,
        "empty": [None] * n,
        "comment": [f"free text comment number {i} with many words in it" for i in range(n)],
        "city": rng.choice(["a", "b", "c"], size=n),
        "x": rng.normal(size=n),
        "copy": y * 2 + 1,
        "y": y,
    })
    path = _csv(tmp_path, "f.csv", frame)
    table, total = read_sample(open_table(path), 10_000, 0)
    features = prepare(table, "y", "regression", None, None, None, 0, path)
    reasons = {d["column"]: d["reason"] for d in features.dropped}
    assert total == n
    assert reasons["customer_id"].startswith("ID-like")
    assert reasons["constant"] == "constant"
    assert reasons["empty"] == "all values missing"
    assert reasons["comment"].startswith("free text")
    assert "predicts the target almost perfectly" in reasons["copy"]
    assert list(features.X.columns) == ["city", "x"]
    assert str(features.X["city"].dtype) == "category"


def test_many_levels_keep_the_most_frequent_and_pool_the_rest(tmp_path):
    rng = np.random.default_rng(1)
    n = 3000
    frame = pd.DataFrame({"code": [f"c{int(v)}" for v in rng.zipf(1.3, size=n) % 900],
                          "y": rng.normal(size=n)})
    path = _csv(tmp_path, "levels.csv", frame)
    table, _ = read_sample(open_table(path), 10_000, 0)
    features = prepare(table, "y", "regression", None, None, None, 0, path)
    assert len(features.X["code"].cat.categories) <= MAX_LEVELS
    assert "(other)" in set(features.X["code"].cat.categories)


def test_dates_become_their_parts_and_hint_at_time_ordered_folds(tmp_path):
    n = 300
    frame = pd.DataFrame({"when": pd.date_range("2020-01-01", periods=n, freq="D").astype(str),
                          "y": np.arange(n) % 7 + np.random.default_rng(2).normal(size=n)})
    path = _csv(tmp_path, "dates.csv", frame)
    table, _ = read_sample(open_table(path), 10_000, 0)
    features = prepare(table, "y", "regression", None, None, None, 0, path)
    assert {"when.year", "when.month", "when.weekday"} <= set(features.X.columns)
    assert any("--time when" in hint for hint in features.split_hints)


def test_rows_are_sampled_while_reading_deterministically_in_file_order(tmp_path):
    frame = pd.DataFrame({"i": np.arange(5000), "y": np.arange(5000) % 3})
    source_path = _csv(tmp_path, "rows.csv", frame)
    first, total = read_sample(open_table(source_path), 700, 5)
    second, _ = read_sample(open_table(source_path), 700, 5)
    other, _ = read_sample(open_table(source_path), 700, 6)
    rows = first.column("i").to_pylist()
    assert total == 5000 and len(rows) == 700 and rows == sorted(rows)
    assert rows == second.column("i").to_pylist() != other.column("i").to_pylist()


# -- splits -------------------------------------------------------------------------------------
def test_grouped_folds_never_put_a_group_in_both_train_and_test():
    rng = np.random.default_rng(3)
    groups = rng.integers(0, 40, size=600)
    features = Features(X=pd.DataFrame({"x": rng.normal(size=600)}), y=rng.normal(size=600),
                        classes=[], groups=groups, order=None, rows_read=600, rows_used=600)
    splits, kind = _splits(features, "regression", TrialOptions(group="g"), repeats=2)
    assert kind == "grouped" and len(splits) == 10
    for train, test in splits:
        assert not set(groups[train]) & set(groups[test])


def test_time_ordered_folds_train_on_the_past_only():
    order = np.random.default_rng(4).permutation(500)
    features = Features(X=pd.DataFrame({"x": np.zeros(500)}), y=np.zeros(500), classes=[],
                        groups=None, order=np.argsort(order), rows_read=500, rows_used=500)
    splits, kind = _splits(features, "regression", TrialOptions(time="t"), repeats=1)
    assert kind == "time-ordered"
    for train, test in splits:
        assert order[train].max() < order[test].min()


def test_a_group_column_in_the_cli_is_split_by_group(cli, tmp_path):
    rng = np.random.default_rng(5)
    n = 600
    group = rng.integers(0, 30, size=n)
    effect = rng.normal(size=30)[group]
    frame = pd.DataFrame({"patient_id": group, "x": rng.normal(size=n),
                          "y": effect + rng.normal(size=n)})
    path = _csv(tmp_path, "grouped.csv", frame)
    doc = trial_json(cli, path, "-t", "y", "--losses", "mse,mae", "--group", "patient_id",
                 "--repeats", "1", "--folds", "3")
    assert doc["trial"]["split"]["kind"] == "grouped"
    assert "patient_id" not in doc["trial"]["features"]["used"]
    plain = trial_json(cli, path, "-t", "y", "--losses", "mse,mae", "--repeats", "1",
                       "--folds", "3")
    assert any("--group patient_id" in h for h in plain["trial"]["split_hints"])


# -- verdicts on populations with a known answer ------------------------------------------------
def test_poisson_wins_where_the_population_is_poisson(cli, tmp_path):
    rng = np.random.default_rng(1)
    n = 2000
    X = rng.normal(size=(n, 6))
    y = rng.poisson(np.exp(0.5 + 0.45 * X.sum(axis=1)))
    frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(6)]).assign(y=y)
    doc = trial_json(cli, _csv(tmp_path, "poisson.csv", frame), "-t", "y",
                 "--losses", "poisson,mse")
    assert verdicts(doc) == {"mse": "wins"}


def test_too_few_rows_to_split_is_no_evidence_not_a_tie(cli, tmp_path):
    """statsmodels' committee and cpunish have 17-20 rows: with min_samples_leaf=20 no tree
    splits, Poisson and squared error both predict the training mean, and the difference is
    exactly 0, which a tie would misread as evidence that the losses do equally well."""
    rng = np.random.default_rng(4)
    X = rng.normal(size=(20, 2))
    frame = pd.DataFrame(X, columns=["a", "b"]).assign(y=rng.poisson(np.exp(1 + X[:, 0])))
    doc = trial_json(cli, _csv(tmp_path, "tiny.csv", frame), "-t", "y", "--losses", "poisson,mse")
    assert verdicts(doc) == {"mse": "no evidence"}
    assert any("cannot split" in note for note in doc["trial"]["notes"])


def test_huber_does_not_win_on_a_gaussian_target(cli, tmp_path):
    rng = np.random.default_rng(2)
    n = 1500
    X = rng.normal(size=(n, 3))
    y = 1 + X[:, 0] + 0.5 * X[:, 1] + rng.normal(size=n)
    frame = pd.DataFrame(X, columns=["a", "b", "c"]).assign(y=y)
    doc = trial_json(cli, _csv(tmp_path, "gauss.csv", frame), "-t", "y", "--losses", "huber,mse",
                 "--repeats", "1")
    assert verdicts(doc)["mse"] != "wins"
    huber = doc["trial"]["candidates"][0]
    # delta on the residual scale (noise sd 1), not the target's (sd ~1.6 here, 3330 on prices)
    assert 0.5 < huber["huber_delta"] < 2.0


def test_same_seed_gives_byte_identical_json(cli, tmp_path):
    rng = np.random.default_rng(6)
    n = 500
    frame = pd.DataFrame({"x": rng.normal(size=n), "k": rng.choice(["u", "v"], size=n)})
    frame["y"] = (frame["x"] + rng.normal(size=n) > 1).astype(int)
    path = _csv(tmp_path, "binary.csv", frame)
    args = ["trial", path, "-t", "y", "--format", "json", "--repeats", "1", "--seed", "3"]
    first, second = cli(args), cli(args)
    assert first.exit_code == 0, first.stderr
    assert first.stdout == second.stdout
    doc = json.loads(first.stdout)
    assert doc["trial"]["primary"] == "pr_auc"
    assert doc["trial"]["decision_rule"]["seed"] == 3
    assert "decision rule:" in first.stderr and "seed 3" in first.stderr


def test_json_output_validates_against_the_schema(cli, tmp_path):
    import jsonschema

    from advisor.resources import builtin_rules_dir

    rng = np.random.default_rng(7)
    frame = pd.DataFrame({"x": rng.normal(size=300)})
    frame["y"] = rng.poisson(np.exp(frame["x"]))
    doc = trial_json(cli, _csv(tmp_path, "s.csv", frame), "-t", "y", "--losses", "poisson,mse",
                 "--repeats", "1", "--folds", "3")
    schema_path = Path(builtin_rules_dir()).parent / "schema" / "report.schema.json"
    if not schema_path.exists():
        schema_path = Path(__file__).resolve().parent.parent / "advisor/schema/report.schema.json"
    jsonschema.validate(doc, json.loads(schema_path.read_text()))


def test_markdown_and_table_show_the_chart_and_the_verdicts(cli, tmp_path):
    rng = np.random.default_rng(8)
    frame = pd.DataFrame({"x": rng.normal(size=400)})
    frame["y"] = frame["x"] * 3 + rng.normal(size=400)
    path = _csv(tmp_path, "m.csv", frame)
    args = ["trial", path, "-t", "y", "--losses", "mae,mse", "--repeats", "1", "--folds", "3"]
    markdown = cli([*args, "--format", "markdown"]).stdout
    assert "## Trial" in markdown and "├" in markdown and "┤" in markdown
    table = cli(args).stdout
    assert "absolute error (decides)" in table and "mae" in table


# -- evidence beside the advice -----------------------------------------------------------------
def test_evidence_that_contradicts_the_ranking_is_said_plainly():
    doc = {"losses": [{"id": "tweedie"}, {"id": "poisson"}, {"id": "gamma"}]}
    section = {
        "candidates": [{"id": "tweedie"}, {"id": "poisson"}, {"id": "mse"}],
        "comparisons": [
            {"other": "poisson", "verdict": "loses", "wins": 0, "folds": 15,
             "metric": "tweedie_deviance"},
            {"other": "mse", "verdict": "wins", "wins": 14, "folds": 15, "metric": "mse"},
        ],
        "not_trialable": [],
    }
    out = attach(doc, section)
    assert out["losses"][0]["evidence"].startswith("trial, as the top pick: loses vs poisson")
    assert out["losses"][1]["evidence"].startswith("trial: beats tweedie (15/15")
    assert out["losses"][2]["evidence"].startswith("not trialled")
    assert out["trial"]["contradiction"].startswith(
        "The evidence contradicts the ranking: poisson beat the top pick tweedie")


def test_profile_with_trial_puts_evidence_beside_the_losses(cli, tmp_path):
    rng = np.random.default_rng(9)
    frame = pd.DataFrame({"x": rng.normal(size=400)})
    frame["y"] = (frame["x"] + rng.normal(size=400) > 0).astype(int)
    result = cli(["profile", _csv(tmp_path, "p.csv", frame), "-t", "y", "--trial",
                  "--format", "json"])
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["losses"][0]["evidence"].startswith("trial, as the top pick")
    assert doc["trial"]["comparisons"]


# -- bad input ----------------------------------------------------------------------------------
@pytest.mark.parametrize("args, message", [
    (["--losses", "poisson,nope"], "unknown loss 'nope'"),
    (["--group", "missing"], "--group column 'missing' is not in the table"),
    (["--losses", "bce,mse"], "at least two losses"),
])
def test_bad_trial_input_is_one_line_and_exit_2(cli, tmp_path, args, message):
    rng = np.random.default_rng(10)
    frame = pd.DataFrame({"x": rng.normal(size=200), "y": rng.poisson(2.0, size=200)})
    result = cli(["trial", _csv(tmp_path, "bad.csv", frame), "-t", "y", *args])
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_stdin_is_refused_with_a_hint(cli):
    result = cli(["trial", "-", "-t", "y"], input="x,y\n1,2\n")
    assert result.exit_code == 2 and "save the data to a file" in result.stderr


def test_multilabel_targets_are_refused_plainly():
    with pytest.raises(InputError, match="cannot fit a multilabel target"):
        choose_candidates(["multilabel_bce"], "multilabel", load_trial_spec())


def test_help_does_not_import_pandas_or_sklearn():
    for args in (["--help"], ["trial", "--help"], ["rules"]):
        result = subprocess.run([sys.executable, "-X", "importtime", "-m", "advisor", *args],
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        imported = {line.split("|")[-1].strip().split(".")[0]
                    for line in result.stderr.splitlines() if line.startswith("import time:")}
        assert not imported & {"pandas", "sklearn", "scipy"}, args


def test_repeated_or_empty_header_cells_become_distinct_feature_names(write):
    path = write("dup.csv", "a,a,,y\n1,2,3,4\n5,6,7,8\n")
    table, rows = read_sample(open_table(path), 100, 0)
    assert rows == 2
    assert table.column_names == ["a (column 1)", "a (column 2)", "(unnamed) (column 3)", "y"]
