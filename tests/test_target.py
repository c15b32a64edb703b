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
