"""Integer targets whose documentation gives the answer, generated in their published shape:
hours worked (Mroz 1987: 753 women, 325 zeros, mean 740), hospital length of stay (medpar:
1-116 days), unemployment spells in two-week units (1-28), and a small sample of integer
measurements. Classes need repeated members; counts need to be counts."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from advisor.engine import advise
from advisor.profile import profile_target
from advisor.ruleset import load_rules
from advisor.summary import summarise_column
from advisor.task import infer_task
from advisor.thresholds import Thresholds

TH = Thresholds()
RULES = load_rules()
RNG = np.random.default_rng(1987)


def profile_of(values, name="y"):
    column = summarise_column(name, pa.chunked_array([pa.array(values)]), "data.csv")
    return profile_target([column], infer_task([column], TH, "data.csv"), TH, len(values))


def hours_worked():
    positive = RNG.normal(1300, 780, 753 - 325).clip(12, 4950).round()
    return np.concatenate([np.zeros(325), positive]).astype(int).tolist()


def test_hours_worked_is_a_measurement_with_a_zero_mass_not_counts():
    values = hours_worked()
    assert abs(np.mean(values) - 740) < 60
    profile = profile_of(values, "hours")
    assert profile.task == "regression" and "fine units" in profile.task_reason
    assert [a.task for a in profile.task_alternatives] == ["count"]
    assert profile.has("zero_mass")
    assert not profile.trait_names() & {"zero_inflated", "overdispersed"}
    advice = advise(profile.facts(), RULES)
    assert advice.losses[0].id == "tweedie" and advice.metrics[0].id == "tweedie_deviance"
    assert "hurdle" in " ".join(advice.losses[0].rationale)


@pytest.mark.parametrize("name,values", [
    ("length_of_stay", (RNG.negative_binomial(1.2, 0.11, 1495) + 1).clip(1, 116).tolist()),
    ("spells", RNG.geometric(0.2, 800).clip(1, 28).tolist()),
])
def test_positive_right_skewed_integers_from_one_are_zero_truncated(name, values):
    profile = profile_of(values, name)
    assert profile.task == "count" and profile.has("zero_truncated")
    assert "regression" in [a.task for a in profile.task_alternatives]
    advice = advise(profile.facts(), RULES)
    assert [r.id for r in advice.losses[:2]] == ["poisson", "gamma"]
    assert advice.metrics[0].id == "poisson_deviance"
    assert "zero_truncated" in [t.name for t in profile.traits]


def test_a_rating_scale_from_one_stays_ordinal_even_when_skewed():
    values = [1] * 400 + [2] * 200 + [3] * 100 + [4] * 50 + [5] * 25
    profile = profile_of(values, "stars")
    assert profile.task == "multiclass" and profile.has("ordinal_levels")


def test_small_integer_sample_with_mostly_single_levels_is_not_classes():
    values = RNG.integers(20, 60, 21).tolist()
    profile = profile_of(values)
    assert profile.task == "regression"


def test_integer_codes_with_repeated_members_stay_classes():
    values = [0] * 40 + [3] * 35 + [7] * 30 + [9] * 25
    profile = profile_of(values)
    assert profile.task == "multiclass" and profile.stats["n_classes"] == 4
