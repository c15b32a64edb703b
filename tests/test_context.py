"""Context columns: --group (ranking), --exposure (rates) and --censor (survival).

Real data where a package ships it offline (statsmodels' heart transplant survival times with
their censoring column, and its breast-cancer counts with each county's population as the
exposure), generated grouped data for ranking, and the errors a user can cause.
"""

from __future__ import annotations

import json

import jsonschema
import numpy as np
import pytest
from conftest import ROOT, SAMPLES, run
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.context import _ranking

SCHEMA = json.loads((ROOT / "advisor" / "schema" / "report.schema.json").read_text())
FIXTURES = ROOT / "tests" / "fixtures" / "context"


def profile_json(*args: str) -> dict:
    result = run(["profile", *args, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    jsonschema.validate(doc, SCHEMA)
    return doc


def error_line(result) -> str:
    assert result.exit_code == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("lossadvisor: error: "), result.stderr
    assert result.stdout == ""
    return lines[0]


def ids(items: list[dict]) -> list[str]:
    return [item["id"] for item in items]


# -- ranking -------------------------------------------------------------------------------
GROUPS = """qid,rel,x
a,2,0.1
b,0,0.2
b,0,0.3
b,0,0.4
c,0,0.5
c,1,0.6
c,2,0.7
c,3,0.8
d,1,0.9
d,1,1.0
"""


def test_group_statistics_count_singletons_and_groups_without_pairs(write):
    doc = profile_json(write("q.csv", GROUPS), "--target", "rel", "--group", "qid")
    stats = doc["context"]["stats"]
    assert doc["task"] == "ranking" and doc["context"]["column"] == "qid"
    assert stats["n_groups"] == 4
    assert (stats["group_size_min"], stats["group_size_median"], stats["group_size_max"]) == (
        1, 2.5, 4)
    assert stats["singleton_groups"] == 1                  # a
    assert stats["n_uninformative_groups"] == 3            # a (one item), b and d (one level)
    assert stats["groups_without_relevant"] == 1           # b: all at the lowest level
    assert stats["relevance_levels"] == 4 and stats["ndcg_k"] == 2
    assert stats["groups_contiguous"] is True
    traits = {t["name"]: t["evidence"] for t in doc["traits"]}
    assert "graded_relevance" in traits
    assert traits["uninformative_groups"].startswith("3 of 4 groups")
    assert doc["task_alternatives"][0]["reason"].startswith("the relevance column alone")


def test_graded_relevance_gets_ndcg_objectives_and_avoids_map(write):
    doc = profile_json(str(SAMPLES / "clicks.csv"), "-t", "relevance", "--group", "query_id")
    assert ids(doc["losses"])[0] == "lambdarank" and ids(doc["metrics"])[0] == "ndcg"
    assert "map_at_k" in ids(doc["avoid"])
    # the relevance grade's count-like traits say nothing about ranking
    assert not {"zero_inflated", "has_zeros"} & {t["name"] for t in doc["traits"]}


def test_binary_relevance_adds_map_mrr_and_the_retrieval_alternative(write):
    rng = np.random.default_rng(3)
    rows = "".join(f"{q},{int(rng.random() < 0.2)}\n" for q in range(50) for _ in range(8))
    doc = profile_json(write("b.csv", "session_id,clicked\n" + rows), "-t", "clicked",
                       "--group", "session_id")
    assert {"map_at_k", "mrr"} <= set(ids(doc["metrics"]))
    assert {"contrastive", "triplet"} <= set(ids(doc["losses"]))
    assert ids(doc["losses"])[0] == "lambdarank"
    assert "binary_relevance" in [t["name"] for t in doc["traits"]]


def test_rows_of_a_group_out_of_order_are_reported(write):
    shuffled = "qid,rel\n" + "".join(f"{q},{r}\n" for q, r in
                                     [(1, 0), (2, 1), (1, 1), (2, 0), (1, 2)])
    doc = profile_json(write("s.csv", shuffled), "-t", "rel", "--group", "qid")
    assert doc["context"]["stats"]["groups_contiguous"] is False
    assert any("not contiguous" in line for line in doc["context"]["lines"])


def test_ranking_snippet_takes_k_from_the_group_sizes():
    result = run(["profile", str(SAMPLES / "clicks.csv"), "-t", "relevance", "--group",
                  "query_id", "--framework", "xgboost", "-f", "json"])
    code = json.loads(result.stdout)["snippet"]["code"]
    assert 'objective="rank:ndcg"' in code and 'eval_metric="ndcg@10"' in code
    assert "qid=qid" in code


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 12), st.integers(0, 3)), min_size=1, max_size=80))
def test_group_profile_invariants(pairs):
    groups = np.array([g for g, _ in pairs], dtype=np.int64)
    relevance = np.array([r for _, r in pairs], dtype=float)
    stats = _ranking("q", relevance, groups, "x").stats
    sizes = np.unique(groups, return_counts=True)[1]
    assert stats["n_groups"] == sizes.size
    assert stats["singleton_groups"] == int((sizes == 1).sum())
    assert stats["singleton_groups"] <= stats["n_uninformative_groups"] <= stats["n_groups"]
    assert 0 <= stats["groups_without_relevant"] <= stats["n_groups"]
    assert stats["group_size_min"] <= stats["group_size_median"] <= stats["group_size_max"]
    assert 1 <= stats["ndcg_k"] <= 10
    per_group_levels = [np.unique(relevance[groups == g]).size for g in np.unique(groups)]
    assert stats["n_uninformative_groups"] == sum(n == 1 for n in per_group_levels)


# -- survival (statsmodels heart transplant data) ------------------------------------------
def test_statsmodels_fixtures_are_what_statsmodels_ships():
    datasets = pytest.importorskip("statsmodels.datasets")
    for name, module in (("heart", datasets.heart), ("cancer", datasets.cancer)):
        shipped = module.load_pandas().data
        assert (FIXTURES / f"{name}.csv").read_text() == shipped.to_csv(index=False)


def test_heart_survival_is_cox_with_c_index_and_never_squared_error():
    doc = profile_json(str(FIXTURES / "heart.csv"), "-t", "survival", "--censor", "censors")
    stats = doc["context"]["stats"]
    assert doc["task"] == "survival"
    assert (stats["n_events"], stats["n_censored"]) == (45, 24)
    assert stats["censored_fraction"] == pytest.approx(24 / 69)
    assert stats["duration_median_censored"] > stats["duration_median_event"]
    assert ids(doc["losses"])[:2] == ["cox", "aft"]
    assert ids(doc["metrics"])[:2] == ["concordance_index", "integrated_brier_score"]
    avoided = {(a["kind"], a["id"]): a["rationale"][0] for a in doc["avoid"]}
    assert {("loss", "mse"), ("loss", "gamma"), ("loss", "mae")} <= set(avoided)
    assert "34.8% of durations are censored" in avoided[("loss", "mse")]
    assert not {"mse", "gamma", "mae"} & set(ids(doc["losses"]))


def test_censor_values_other_than_0_1_and_negative_durations_name_the_rows(write):
    path = write("p.csv", "days,event\n10,1\n12,2\n30,0\n8,2\n")
    line = error_line(run(["profile", path, "-t", "days", "--censor", "event"]))
    assert "must be 1 (event) or 0 (censored); found 2 on rows 2, 4" in line
    path = write("n.csv", "days,event\n10,1\n-3,0\n")
    assert "negative on row 2" in error_line(run(["profile", path, "-t", "days",
                                                  "--censor", "event"]))


# -- exposure (statsmodels breast cancer counts per county population) ---------------------
def test_cancer_counts_over_population_are_rates_with_an_offset():
    doc = profile_json(str(FIXTURES / "cancer.csv"), "-t", "cancer", "--exposure", "population")
    stats = doc["context"]["stats"]
    data = np.genfromtxt(FIXTURES / "cancer.csv", delimiter=",", names=True)
    rate = data["cancer"].sum() / data["population"].sum()
    expected = rate * data["population"]
    pearson = ((data["cancer"] - expected) ** 2 / expected).sum() / (len(expected) - 1)
    assert stats["rate_mean"] == pytest.approx(rate)
    assert stats["rate_dispersion"] == pytest.approx(pearson)
    assert ids(doc["losses"])[0] == "poisson_offset"
    assert {"poisson", "mse"} <= set(ids(doc["avoid"]))
    # raw counts over populations from 445 to 88,456 look far more dispersed than the rates
    assert doc["profile"]["dispersion_index"] > 10 * stats["rate_dispersion"]


@pytest.mark.parametrize("framework,fragment", [
    ("xgboost", "set_base_margin(np.log(exposure))"),
    ("lightgbm", "init_score=np.log(exposure)"),
    ("catboost", "baseline=np.log(exposure)"),
    ("sklearn", "sample_weight=exposure"),
    ("pytorch", "PoissonNLLLoss(log_input=True)"),
])
def test_exposure_snippets_pass_the_offset_the_frameworks_way(framework, fragment):
    result = run(["profile", str(FIXTURES / "cancer.csv"), "-t", "cancer", "--exposure",
                  "population", "--framework", framework, "-f", "json"])
    snippet = json.loads(result.stdout)["snippet"]
    assert snippet["loss"] == "poisson_offset" and fragment in snippet["code"]


def test_non_positive_exposure_is_an_input_error_naming_the_rows(write):
    path = write("e.csv", "claims,exposure\n0,0.5\n1,0\n2,1.0\n0,-1\n")
    line = error_line(run(["profile", path, "-t", "claims", "--exposure", "exposure"]))
    assert "--exposure column 'exposure' is not positive on rows 2, 4" in line


# -- flags ---------------------------------------------------------------------------------
@pytest.mark.parametrize("args,fragment", [
    (["--group", "qdi"], "no column 'qdi'; did you mean 'qid'?"),
    (["--group", "rel"], "is also the target"),
    (["--group", "qid", "--exposure", "x"], "--group and --exposure cannot be combined"),
    (["--task", "survival"], "--task survival needs --censor COL"),
    (["--group", "qid", "--stream"], "--stream cannot be combined"),
    (["--group", "qid", "--task", "regression"], "makes the task ranking, not regression"),
])
def test_flag_mistakes_are_one_line_errors(write, args, fragment):
    path = write("q.csv", GROUPS)
    assert fragment in error_line(run(["profile", path, "-t", "rel", *args]))


def test_recommend_ranking_and_survival_without_data():
    for task, loss, metric in (("ranking", "lambdarank", "ndcg"),
                               ("survival", "cox", "concordance_index")):
        result = run(["recommend", "--task", task, "--format", "json"])
        assert result.exit_code == 0, result.stderr
        doc = json.loads(result.stdout)
        jsonschema.validate(doc, SCHEMA)
        assert (ids(doc["losses"])[0], ids(doc["metrics"])[0]) == (loss, metric)
        assert "n/a" not in result.stdout and doc["context"] is None


# -- noticing a context column without its flag --------------------------------------------
def test_a_column_that_looks_like_exposure_is_noticed_without_changing_the_advice(write):
    claims = SAMPLES / "claims.csv"
    result = run(["profile", str(claims), "-t", "n_claims", "-f", "json"])
    assert ("column 'exposure' looks like an exposure (0.1-1, all positive); pass --exposure "
            "exposure") in result.stderr
    header, *rows = claims.read_text().splitlines()
    drop = header.split(",").index("exposure")
    without = "\n".join(",".join(v for i, v in enumerate(line.split(",")) if i != drop)
                        for line in [header, *rows]) + "\n"
    other = run(["profile", write("c.csv", without), "-t", "n_claims", "-f", "json"])
    assert "looks like" not in other.stderr
    keys = ("losses", "metrics", "avoid")
    assert [json.loads(result.stdout)[k] for k in keys] == [json.loads(other.stdout)[k]
                                                            for k in keys]


@pytest.mark.parametrize("header,values,flag", [
    ("qid", [1, 1, 1, 2, 2, 2, 3, 3], "--group qid"),
    ("event", [1, 0, 1, 1, 0, 1, 1, 0], "--censor event"),
])
def test_query_ids_and_event_indicators_are_noticed(write, header, values, flag):
    rows = "".join(f"{v},{i * 1.5}\n" for i, v in enumerate(values))
    result = run(["profile", write("h.csv", f"{header},y\n{rows}"), "-t", "y", "-f", "json"])
    assert result.exit_code == 0
    assert f"pass {flag} to use it" in result.stderr


def test_a_name_alone_is_not_enough(write):
    rows = "".join(f"{v},{i * 1.5}\n" for i, v in enumerate(range(8)))  # all distinct: no groups
    result = run(["profile", write("h.csv", f"qid,y\n{rows}"), "-t", "y", "-f", "json"])
    assert "looks like" not in result.stderr


# -- lint: the context flows through the config checks --------------------------------------
LINT = ROOT / "tests" / "fixtures" / "lint" / "context"


def lint_rules(*args: str) -> list[str]:
    result = run(["lint", *map(str, args), "--format", "json"])
    assert result.exit_code in (0, 1), result.stderr
    return [f["rule"] for f in json.loads(result.stdout)["findings"]]


def test_lightgbm_lambdarank_without_groups_is_an_error_and_a_query_file_is_groups():
    assert lint_rules(LINT / "noquery" / "train.conf") == ["LNT129"]
    assert lint_rules(LINT / "withquery" / "train.conf") == []


def test_regression_loss_on_censored_durations_and_cox_on_the_same_data():
    assert "LNT151" in lint_rules(LINT / "survival_mse.yaml")
    # survival:cox is judged against the data profiled with its event indicator: no mismatch
    assert lint_rules(LINT / "survival_cox.yaml") == []


def test_poisson_with_an_exposure_column_needs_an_offset_or_weight():
    assert lint_rules(LINT / "exposure_poisson.yaml") == ["LNT152"]
    assert lint_rules(LINT / "exposure_offset.yaml") == []
