"""Reading a target column's text: stray tokens, missing words and thousands separators.

A numeric target with one '?' among thousands of numbers, or written with thousands separators,
is still numbers; a column of nothing but missing-value words has no values.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.column import MISSING_WORDS, STRAY_MAX_DISTINCT
from advisor.summary import summarise_column


def col(values, decimal="."):
    return summarise_column("y", pa.chunked_array([pa.array(values, pa.string())]), "f.csv",
                            decimal)


def numbers(n, seed=0):
    return [f"{v:.2f}" for v in np.random.default_rng(seed).uniform(0, 100, n)]


@pytest.mark.parametrize("stray", ["?", "-", "None", "missing", "NULL", "n/a", "12O"])
def test_a_stray_token_among_numbers_is_missing_and_named(stray):
    values = numbers(3000)
    values[1234] = stray
    column = col(values)
    assert column.kind == "numeric"
    assert column.n == 2999 and column.n_missing == 1
    assert column.strays == {stray: 1}
    assert column.first_stray_row == 1234
    expected = np.sort(np.array([float(v) for i, v in enumerate(values) if i != 1234]))
    assert np.array_equal(column.ordered(), expected)


def test_missing_words_are_missing_in_any_amount_but_other_text_only_when_rare():
    mostly_missing = ["None"] * 70 + numbers(30)
    column = col(mostly_missing)
    assert column.kind == "numeric" and column.n == 30 and column.n_missing == 70
    too_many_strays = numbers(95) + ["abc"] * 5  # 5% is not stray anymore: text
    assert col(too_many_strays).kind == "text"
    many_spellings = numbers(10_000) + [f"x{i}" for i in range(STRAY_MAX_DISTINCT + 1)]
    assert col(many_spellings).kind == "text"


@pytest.mark.parametrize(
    "values,decimal,expected",
    [
        (["1,234", "12,345.5", "999", "-1,000,000"], ".", [1234, 12345.5, 999, -1_000_000]),
        (["1.398,07", "2.500", "999,5", "12"], ",", [1398.07, 2500, 999.5, 12]),
        (["3,14", "2,71", "?"], ",", [3.14, 2.71]),
    ],
)
def test_thousands_separators_in_the_files_convention(values, decimal, expected):
    column = col(values * 10, decimal)
    assert column.kind == "numeric"
    assert sorted(set(column.ordered().tolist())) == sorted(expected)


def test_an_unclear_separator_convention_leaves_the_column_as_text():
    # "3,14" uses the comma as a decimal mark, "1,234" as a group separator: neither is sure.
    assert col(["1,234", "3,14", "999"] * 10).kind == "text"


@pytest.mark.parametrize("words", [["NaN", "null", "NA"], ["Null", "NAN", "None"], ["?", "-"],
                                   ["missing", " n/a "]])
def test_a_column_of_missing_words_has_no_values(words):
    column = col(words * 10)
    assert column.n == 0 and column.n_missing == len(words) * 10


def test_text_targets_keep_class_labels_that_look_like_missing_words():
    column = col(["cat", "dog", "none", "Null", "NAN"] * 10)
    assert column.kind == "text"
    assert column.levels()[0] == ["cat", "dog", "none"]  # 'Null'/'NAN' are pyarrow's NA words
    assert column.n_missing == 20


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(-1e6, 1e6, allow_nan=False).map(lambda v: round(v, 3)), min_size=200,
             max_size=400),
    st.lists(st.sampled_from(sorted(MISSING_WORDS)), max_size=5),
    st.randoms(use_true_random=False),
)
def test_numbers_with_missing_words_read_as_the_numbers(values, words, rnd):
    """Property: any mix of numbers and missing words reads back exactly the numbers."""
    cells = [repr(v) for v in values] + [w.upper() if rnd.random() < 0.5 else w for w in words]
    rnd.shuffle(cells)
    column = col(cells)
    assert column.kind == "numeric"
    assert column.n == len(values) and column.n_missing == len(words)
    assert np.array_equal(column.ordered(), np.sort(np.array(values)))
    assert sum(column.strays.values()) == len(words)
