"""Task inference, table-driven in the style of scikit-learn's ``type_of_target`` EXAMPLES.

Each row is a case a peer tool gets wrong or a user is likely to hit; the expected task, and for
close calls the alternative, are part of the contract.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from advisor.errors import InputError
from advisor.summary import TableSummary, summarise_column
from advisor.task import check_task, infer_task
from advisor.thresholds import Thresholds

TH = Thresholds()
rng = np.random.default_rng(7)


def col(values, name="y"):
    return summarise_column(name, pa.chunked_array([pa.array(values)]), "data.csv")


def cols(**columns):
    """Several target columns folded together, so row-wise facts (one-hot) are known."""
    table = TableSummary(list(columns), keep_values=True)
    table.fold({k: pa.array(v) for k, v in columns.items()}, len(next(iter(columns.values()))),
               "data.csv")
    return table.finish()


def infer(values, name="y"):
    return infer_task([col(values, name)], TH, "data.csv")


POISSON = rng.poisson(2.0, 800).tolist()
NEG_BINOMIAL = rng.negative_binomial(1, 0.1, 800).tolist()
WHOLE_SCORES = rng.integers(25, 347, 442).tolist()  # like sklearn's diabetes target
PRICES = (rng.lognormal(12, 0.5, 600)).round().tolist()
STARS = rng.choice([1, 2, 3, 4, 5], 500).tolist()

EXAMPLES = {
    "binary": [
        [0, 1] * 20,
        [-1, 1] * 20,
        [True, False] * 20,
        ["yes", "no"] * 20,
        ["True", "False", "true"] * 10,
        ["spam", "ham", "ham"] * 10,
        ["1", "0"] * 20,  # numeric strings are numbers
        [1.0, 2.0] * 20,
        [0, 1, None, float("nan"), 1] * 10,  # missing values are dropped
    ],
    "multiclass": [
        ["cat", "dog", "bird"] * 20,
        [0, 1, 2] * 30,  # label codes starting at 0
        list(range(10)) * 10,  # digits 0-9: codes, not counts
        STARS,  # an ordered rating scale
        [1.0, 2.0, 3.0, 4.0] * 20,  # integral floats are integers
    ],
    "count": [
        POISSON,
        NEG_BINOMIAL,
        [0] * 60 + [1] * 20 + [2] * 10 + [3] * 5 + [7] * 3 + [12, 30],
    ],
    "regression": [
        rng.normal(size=300).tolist(),
        WHOLE_SCORES,  # whole-number measurement with many levels and no zeros
        PRICES,  # whole-dollar prices
        rng.uniform(0, 1, 100).tolist(),  # rates
        rng.normal(size=300).tolist() + [float("inf"), float("-inf")],  # infinities dropped
        rng.normal(size=30).round(3).tolist(),  # distinct floats are not an ID
    ],
}


@pytest.mark.parametrize(
    "task,values",
    [(task, values) for task, cases in EXAMPLES.items() for values in cases],
)
def test_examples(task, values):
    assert infer(values).task == task


def test_rating_scale_is_ordinal_with_regression_as_alternative():
    decision = infer(STARS, name="stars")
    assert decision.task == "multiclass"
    assert "ordinal_levels" in decision.traits
    assert decision.alternatives[0].task == "regression"


def test_label_codes_from_zero_are_not_ordinal_unless_named_like_a_rating():
    assert "ordinal_levels" not in infer([0, 1, 2] * 30).traits
    assert "ordinal_levels" in infer(list(range(11)) * 10, name="nps_score").traits


def test_few_level_counts_name_multiclass_as_alternative():
    decision = infer(POISSON)
    assert decision.task == "count"
    assert [a.task for a in decision.alternatives] == ["multiclass"]


def test_whole_number_measurement_names_count_as_alternative_only_when_skewed():
    assert infer(WHOLE_SCORES).alternatives == []
    skewed = infer(PRICES)
    assert skewed.task == "regression"
    assert [a.task for a in skewed.alternatives] == ["count"]


def test_binary_positive_label():
    assert infer(["no", "yes", "no"] * 10).positive_label == "yes"
    assert infer([0, 1, 0] * 10).positive_label == "1"
    assert infer([-1, 1] * 10).label_encoding == "signed"
    # No conventional positive label: the rarer class is the class of interest.
    assert infer(["ham"] * 20 + ["spam"] * 3).positive_label == "spam"


@pytest.mark.parametrize(
    "values,message",
    [
        (list(range(1000, 1100)), "identifier"),  # a sequence
        (rng.permutation(200).tolist(), "identifier"),  # dense, shuffled
        ([f"user-{i}" for i in range(50)], "identifier"),
        ([f"free text number {i}" for i in range(90)] + ["dup"] * 10, "free text"),
        ([None] * 10, "no values"),
        ([5] * 30, "single value"),
        (["only"] * 30, "single value"),
    ],
)
def test_refused_targets(values, message):
    with pytest.raises(InputError, match=message):
        infer(values)


def test_sparse_all_distinct_integers_are_a_measurement_not_an_id():
    values = (rng.choice(10**6, 300, replace=False) + 10_000).tolist()
    assert infer(values).task == "regression"


def test_multilabel_onehot_and_multioutput():
    assert infer_task(cols(a=[1, 0, 1, 1] * 10, b=[1, 1, 0, 0] * 10), TH, "x").task == (
        "multilabel")
    onehot = infer_task(cols(c=[1, 0, 0, 1] * 10, d=[0, 1, 1, 0] * 10), TH, "x")
    assert onehot.task == "multiclass" and onehot.label_encoding == "one_hot"
    normal = cols(e=rng.normal(size=40).tolist(), f=rng.normal(size=40).tolist())
    assert infer_task(normal, TH, "x").task == "regression"
    with pytest.raises(InputError, match="mix kinds"):
        infer_task(cols(a=[1, 0, 1, 1] * 10, e=rng.normal(size=40).tolist()), TH, "x")


def test_task_override_is_checked_against_the_data():
    with pytest.raises(InputError, match="negative values"):
        check_task("count", [col([-1, 2, 3] * 10)], TH, "x")
    with pytest.raises(InputError, match="fractional"):
        check_task("count", [col([0.5, 2, 3] * 10)], TH, "x")
    with pytest.raises(InputError, match="two values"):
        check_task("binary", [col([1, 2, 3] * 10)], TH, "x")
    with pytest.raises(InputError, match="needs numbers"):
        check_task("regression", [col(["a", "b", "c"] * 10)], TH, "x")
    with pytest.raises(InputError, match="unknown task"):
        check_task("ranking", [col([1, 2, 3] * 10)], TH, "x")
    forced = check_task("multiclass", [col(POISSON)], TH, "x")
    assert forced.task == "multiclass"
    assert forced.alternatives[0].task == "count"
    assert check_task("count", [col(POISSON)], TH, "x").reason == infer(POISSON).reason


def test_a_label_set_without_any_variation_is_an_input_error():
    always_one, always_zero = col([1] * 40, "a"), col([0] * 40, "b")
    with pytest.raises(InputError, match=r"no target column varies \('a' is always 1, "
                       r"'b' is always 0\)"):
        infer_task([always_one, always_zero], TH, "x")  # one-hot shaped: each row has one 1
    with pytest.raises(InputError, match="no target column varies"):
        infer_task([col([1] * 40, "a"), col([1] * 40, "b"), col([0] * 40, "c")], TH, "x")
    with pytest.raises(InputError, match="no target column varies"):
        infer_task([col([2.5] * 40, "a"), col([7.0] * 40, "b")], TH, "x")


def test_one_constant_label_among_varying_ones_is_a_trait():
    decision = infer_task([col([1, 0, 1, 1] * 10, "a"), col([0] * 40, "never"),
                           col([1, 1, 0, 0] * 10, "b")], TH, "x")
    assert decision.task == "multilabel"
    assert decision.traits["constant_label"] == "'never' is 0 in all 40 rows"
    onehot = infer_task(cols(a=[1, 0] * 20, b=[0, 1] * 20, c=[0] * 40), TH, "x")
    assert onehot.label_encoding == "one_hot" and "'c' is 0" in onehot.traits["constant_label"]
