"""The rule condition language: ``all`` / ``any`` / ``not`` over leaves ``{fact, op, value}``.

A closed operator table maps each name to one function (checkov's design); nothing in a rule file
is ever evaluated as code. Two shorthands keep rule files readable: ``{trait: name}`` means the
profile has that trait, and ``{task: [a, b]}`` means the task is one of those.
A fact the profile does not have (a statistic of another task, or no data at all) makes every
comparison false, so rules never fire on numbers that were not measured.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Condition = dict[str, Any]


def _num(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _cmp(test: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    def run(actual: Any, expected: Any) -> bool:
        return _num(actual) and test(actual, expected)

    return run


def _contains(actual: Any, expected: Any) -> bool:
    if isinstance(actual, (set, list, tuple, frozenset)):
        return expected in actual
    if isinstance(actual, str):
        return str(expected) in actual
    return False


def _intersects(actual: Any, expected: Any) -> bool:
    if isinstance(actual, (set, list, tuple, frozenset)):
        return any(item in actual for item in expected)
    return actual in expected


OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": lambda a, e: a is not None and a == e,
    "ne": lambda a, e: a is not None and a != e,
    "in": lambda a, e: a is not None and a in e,
    "not_in": lambda a, e: a is not None and a not in e,
    "gt": _cmp(lambda a, e: a > e),
    "ge": _cmp(lambda a, e: a >= e),
    "lt": _cmp(lambda a, e: a < e),
    "le": _cmp(lambda a, e: a <= e),
    "between": _cmp(lambda a, e: e[0] <= a <= e[1]),
    "contains": _contains,
    "not_contains": lambda a, e: a is not None and not _contains(a, e),
    "any_of": lambda a, e: a is not None and _intersects(a, e),
    "exists": lambda a, e: (a is not None) == bool(e),
}
"""Every operator a rule may use. The validator checks value shapes per operator."""

OPERATOR_VALUES = {
    "in": "list", "not_in": "list", "any_of": "list", "between": "pair",
    "gt": "number", "ge": "number", "lt": "number", "le": "number", "exists": "bool",
}
"""The shape of value each operator needs; the others take any scalar."""

GROUPS = ("all", "any", "not")


def evaluate(condition: Condition, facts: dict[str, Any]) -> bool:
    """Evaluate a validated condition tree against a profile's facts."""
    if "all" in condition:
        return all(evaluate(c, facts) for c in condition["all"])
    if "any" in condition:
        return any(evaluate(c, facts) for c in condition["any"])
    if "not" in condition:
        return not evaluate(condition["not"], facts)
    if "trait" in condition:
        return condition["trait"] in facts.get("traits", ())
    if "task" in condition:
        tasks = condition["task"]
        return facts.get("task") in (tasks if isinstance(tasks, list) else [tasks])
    return OPERATORS[condition["op"]](facts.get(condition["fact"]), condition.get("value"))


def referenced_facts(condition: Condition) -> set[str]:
    """Every fact a condition reads (for documentation and validation)."""
    if "all" in condition or "any" in condition:
        key = "all" if "all" in condition else "any"
        return set().union(*(referenced_facts(c) for c in condition[key]))
    if "not" in condition:
        return referenced_facts(condition["not"])
    if "trait" in condition:
        return {"traits"}
    if "task" in condition:
        return {"task"}
    return {condition["fact"]}
