"""Choosing the target column: explicit, several, guessed, and wrong names."""

from __future__ import annotations

import pytest

from advisor.errors import InputError
from advisor.target import choose_target

COLUMNS = ["id", "age", "Income", "churned"]


def test_explicit_and_case_insensitive():
    assert choose_target(COLUMNS, "age", "f").columns == ["age"]
    assert choose_target(COLUMNS, "income", "f").columns == ["Income"]
    assert choose_target(COLUMNS, "age, churned", "f").columns == ["age", "churned"]


def test_unknown_column_lists_names_and_suggests():
    with pytest.raises(InputError) as err:
        choose_target(COLUMNS, "churn", "data.csv")
    text = err.value.one_line()
    assert "no column 'churn'" in text and "did you mean 'churned'" in text
    assert "available columns: id, age, Income, churned" in text


def test_guess_prefers_conventional_names_then_last_column():
    guess = choose_target(["x", "Label", "z"], None, "f")
    assert guess.columns == ["Label"] and guess.guessed and "conventional" in guess.reason
    last = choose_target(COLUMNS, None, "f")
    assert last.columns == ["churned"] and "last column" in last.reason


def test_duplicate_and_empty_requests():
    with pytest.raises(InputError, match="twice"):
        choose_target(COLUMNS, "age,age", "f")
    with pytest.raises(InputError, match="empty"):
        choose_target(COLUMNS, " , ", "f")


UNUSUAL = ["id", "a\rb", "\U0001f600 emoji", "\u200fRTL", 'qu"ote', "<b>markup</b>", "a,b",
           "[red]rich[/red]", "x" * 10_000]


@pytest.mark.parametrize("name", UNUSUAL)
def test_any_header_cell_is_a_name_target_reaches(name):
    assert choose_target(UNUSUAL, name, "f").columns == [name]


def test_several_targets_quote_a_name_with_a_comma_as_in_csv():
    assert choose_target(UNUSUAL, '"a,b",id', "f").columns == ["a,b", "id"]
    assert choose_target(UNUSUAL, "id, \U0001f600 emoji", "f").columns == ["id",
                                                                          "\U0001f600 emoji"]


def test_empty_and_repeated_names_elsewhere_do_not_matter():
    columns = ["", "a", "", "a", "y"]
    assert choose_target(columns, "y", "f").columns == ["y"]
    assert choose_target(columns, None, "f").columns == ["y"]
    assert choose_target(["x", "y", ""], None, "f").columns == ["y"]  # last *named* column
    with pytest.raises(InputError, match=r"'a' appears 2 times in the header \(columns 2, 4\)"):
        choose_target(columns, "a", "f")
    with pytest.raises(InputError, match="empty"):
        choose_target(columns, "", "f")


def test_unknown_name_error_stays_short_with_huge_names():
    huge = ["n" * 1_000_000, "y"]
    with pytest.raises(InputError) as err:
        choose_target(huge, "m" * 1_000_000, "f")
    assert len(err.value.one_line()) < 400
