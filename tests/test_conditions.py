"""The condition language: a truth table per operator, and the group and shorthand forms."""

from __future__ import annotations

import pytest

from advisor.conditions import OPERATORS, evaluate, referenced_facts

# operator -> [(actual fact value, rule value, expected result)]. A missing fact (None) makes
# every comparison false except `exists: false`, so rules never fire on unmeasured numbers.
TRUTH = {
    "eq": [(1, 1, True), (1, 2, False), ("a", "a", True), ("a", "b", False), (None, None, False),
           (1.0, 1, True)],
    "ne": [(1, 2, True), (1, 1, False), ("a", "b", True), (None, 1, False)],
    "in": [("a", ["a", "b"], True), ("c", ["a", "b"], False), (None, ["a"], False),
           (2, [1, 2], True)],
    "not_in": [("c", ["a", "b"], True), ("a", ["a", "b"], False), (None, ["a"], False)],
    "gt": [(2, 1, True), (1, 1, False), (0, 1, False), (None, 1, False), ("2", 1, False),
           (True, 0, False)],
    "ge": [(2, 1, True), (1, 1, True), (0, 1, False), (None, 1, False), ("1", 1, False)],
    "lt": [(0, 1, True), (1, 1, False), (2, 1, False), (None, 1, False), (False, 1, False)],
    "le": [(0, 1, True), (1, 1, True), (2, 1, False), (None, 1, False)],
    "between": [(0.5, [0, 1], True), (0, [0, 1], True), (1, [0, 1], True), (1.5, [0, 1], False),
                (-0.1, [0, 1], False), (None, [0, 1], False), ("0.5", [0, 1], False)],
    "contains": [({"a", "b"}, "a", True), ({"a"}, "b", False), (["x", "y"], "y", True),
                 ("label_a", "a", True), ("xyz", "q", False), (None, "a", False),
                 (3, 3, False)],
    "not_contains": [({"a"}, "b", True), ({"a", "b"}, "a", False), ("abc", "d", True),
                     ("abc", "b", False), (None, "a", False)],
    "any_of": [({"a", "b"}, ["b", "c"], True), ({"a"}, ["b", "c"], False), ("b", ["b", "c"], True),
               ("d", ["b", "c"], False), (None, ["a"], False), ([], ["a"], False)],
    "exists": [(1, True, True), (None, True, False), (None, False, True), (0, False, False),
               (0, True, True), ("", True, True)],
}


def test_every_operator_has_a_truth_table():
    assert set(TRUTH) == set(OPERATORS)


@pytest.mark.parametrize("op,actual,value,expected",
                         [(op, a, v, e) for op, rows in TRUTH.items() for a, v, e in rows])
def test_operator_truth_table(op, actual, value, expected):
    facts = {} if actual is None else {"x": actual}
    assert evaluate({"fact": "x", "op": op, "value": value}, facts) is expected


def test_groups_and_shorthands():
    facts = {"task": "count", "traits": {"has_zeros"}, "zero_fraction": 0.4}
    zeros = {"fact": "zero_fraction", "op": "ge", "value": 0.2}
    assert evaluate({"all": [{"task": ["regression", "count"]}, {"trait": "has_zeros"}, zeros]},
                    facts)
    assert not evaluate({"all": [{"task": "regression"}, zeros]}, facts)
    assert evaluate({"any": [{"task": "regression"}, zeros]}, facts)
    assert not evaluate({"any": [{"task": "binary"}, {"trait": "skewed"}]}, facts)
    assert evaluate({"not": {"trait": "skewed"}}, facts)
    assert not evaluate({"not": zeros}, facts)
    assert not evaluate({"trait": "has_zeros"}, {"task": "count"})  # no traits at all
    assert referenced_facts({"all": [zeros, {"not": {"trait": "x"}}, {"task": "count"}]}) == {
        "zero_fraction", "traits", "task"}
