"""Every key of the rule schema, given a value of every wrong type, is a `file:line: what`
problem reported together with the others, never a TypeError.

The walk is systematic: each place in a valid recommendation rule and a valid lint rule (top-level
keys, condition leaves and groups, effects, avoid entries, examples and their profiles) is
replaced in turn by an integer, a float, a boolean, null, text, lists and mappings.
"""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
import yaml

from advisor.catalog import load_catalog
from advisor.ruleset import RULE_KEYS, TEXT_KEYS, validate_file
from advisor.yamlio import load_yaml

RECOMMEND = {
    "id": "USR001", "name": "team.report-mae",
    "summary": "Our stakeholders read MAE, so it is always reported for regression.",
    "why": "Reviews compare models by mean absolute error in the target's units.",
    "references": ["team wiki: model review checklist"],
    "when": {"all": [{"task": "regression"}, {"not": {"trait": "has_zeros"}},
                     {"fact": "n", "op": "gt", "value": 10},
                     {"fact": "traits", "op": "contains", "value": "skewed"}]},
    "then": {"metrics": [{"id": "mae", "weight": 10}], "losses": [{"id": "mae", "weight": 1}],
             "avoid": [{"id": "mape", "kind": "metric", "reason": "zeros {zero_fraction}"}]},
    "rationale": "Team policy: MAE is the review metric ({n} rows).",
    "examples": [{"profile": {"task": "regression", "traits": ["skewed"], "stats": {"n": 50}},
                  "fires": True},
                 {"profile": {"task": "binary"}, "fires": False}],
}
LINT = {
    "id": "USR101", "name": "team.no-mape", "kind": "lint", "severity": "warning",
    "applies_to": "metrics", "summary": "No MAPE here.", "why": "Zeros.",
    "references": ["team wiki"],
    "when": {"any": [{"fact": "metrics", "op": "contains", "value": "mape"},
                     {"fact": "loss", "op": "in", "value": ["mape"]}]},
    "message": "MAPE with {zero_fraction} zeros", "fix": "Use MAE.",
    "examples": [{"file": "train.conf", "config": "objective = regression\nmetric = mape\n",
                  "data": "y\n0\n1.5\n", "target": "y", "fires": True},
                 {"file": "train.conf", "config": "metric = mae\n", "fires": False,
                  "files": {"train.conf.query": "2\n"}}],
}
WRONG: list[Any] = [3, 2.5, True, None, "text", [], [1, 2], {}, {"k": 1}, [{"a": [1]}],
                    float("nan")]
LOCATED = re.compile(r"^team\.yaml:\d+: \S")


def _places(node: Any, path: tuple = ()) -> list[tuple]:
    """Every (path to a value) in a nested rule, the rule's own keys included."""
    out = []
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(
        node, list) else []
    for key, value in items:
        out.append(path + (key,))
        out.extend(_places(value, path + (key,)))
    return out


def _replaced(rule: dict, path: tuple, value: Any) -> dict:
    copied = copy.deepcopy(rule)
    node = copied
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return copied


def _problems(rules: list[dict], catalog) -> list[str]:
    text = yaml.safe_dump({"rules": rules}, sort_keys=False)
    problems: list[str] = []
    validate_file(load_yaml(text, "team.yaml"), "team.yaml", catalog, problems)
    return problems


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.mark.parametrize("base", [RECOMMEND, LINT], ids=["recommend", "lint"])
def test_the_base_rules_are_valid(catalog, base):
    assert _problems([base], catalog) == []


@pytest.mark.parametrize("base", [RECOMMEND, LINT], ids=["recommend", "lint"])
def test_any_value_anywhere_gives_located_problems_never_an_exception(catalog, base):
    places = _places(base)
    assert len(places) > 30  # the walk reaches the nested schema, not only the top level
    for path in places:
        for value in WRONG:
            for problem in _problems([_replaced(base, path, value)], catalog):
                assert LOCATED.match(problem), (path, value, problem)


TOP_LEVEL = {**{key: str for key in TEXT_KEYS}, "references": list, "when": dict,
             "then": dict, "examples": list}


@pytest.mark.parametrize("base", [RECOMMEND, LINT], ids=["recommend", "lint"])
def test_every_top_level_key_refuses_every_other_type_on_its_line(catalog, base):
    assert set(TOP_LEVEL) == RULE_KEYS  # the schema table covers every key a rule may have
    dumped = load_yaml(yaml.safe_dump({"rules": [base]}, sort_keys=False), "team.yaml")
    for key in base:
        line = dumped["rules"][0].pos(key)[0]
        for value in WRONG:
            if isinstance(value, TOP_LEVEL[key]) and not isinstance(value, bool):
                continue
            problems = _problems([_replaced(base, (key,), value)], catalog)
            assert any(p.startswith(f"team.yaml:{line}: ") for p in problems), (key, value,
                                                                               problems)


@pytest.mark.parametrize("path,value,message", [
    (("references",), 3, "'references' must be a non-empty list of text"),
    (("summary",), {"a": 1}, "'summary' must be text, not a mapping"),
    (("id",), 101, "'id' must be text, not the number 101"),
    (("kind",), ["lint"], "'kind' must be text, not a list"),
    (("then", "metrics"), {"id": "mae"}, "'metrics' must be a list"),
    (("then", "metrics", 0, "weight"), "10", "weight must be a number, not the text '10'"),
    (("then", "metrics", 0, "weight"), float("inf"), "weight must be finite, not inf"),
    (("then", "metrics", 0, "id"), ["mae"], "a metric id must be text, not a list"),
    (("then", "avoid", 0, "reason"), {"r": 1}, "an avoid reason must be text, not a mapping"),
    (("when", "all", 1, "not", "trait"), ["has_zeros"], "a trait must be a name, not a list"),
    (("when", "all", 0, "task"), {"regression": 1}, "a task must be a name, not a mapping"),
    (("when", "all", 2, "fact"), ["n"], "a fact must be a name, not a list"),
    (("when", "all", 2, "op"), {"gt": 1}, "an operator must be a name, not a mapping"),
    (("when", "all", 3, "value"), ["skewed"], "operator 'contains' compares with text, a "
     "number or a boolean, not a list"),
    (("when", "all", 2, "value"), [10], "operator 'gt' takes a number"),
    (("when", "all"), {"task": "regression"}, "'all' takes a non-empty list of conditions"),
    (("examples", 0, "fires"), "yes", "example 'fires' must be true or false, not the text"),
    (("examples", 0, "profile", "traits"), "skewed", "example 'traits' must be a list of trait"),
    (("examples", 0, "profile", "stats"), [1], "example 'stats' must be a mapping"),
    (("examples", 0, "profile", "task"), 7, "a task must be a name, not the number 7"),
    (("examples", 0, "profile", "traits"), [["skewed"]], "a trait must be a name, not a list"),
])
def test_wrong_types_are_named_with_their_line(catalog, path, value, message):
    problems = _problems([_replaced(RECOMMEND, path, value)], catalog)
    assert any(message in p and LOCATED.match(p) for p in problems), problems


def test_wrong_types_in_a_lint_rule(catalog):
    problems = _problems([_replaced(_replaced(LINT, ("severity",), 2), ("examples", 0, "config"),
                                    ["metrics"])], catalog)
    assert any("'severity' must be text, not the number 2" in p for p in problems), problems
    assert any("example 'config' must be config text, not a list" in p for p in problems), problems


@pytest.mark.parametrize("path,value,message", [
    (("examples", 0, "file"), "../up.conf", "example file name '../up.conf' must be a plain name"),
    (("examples", 1, "files"), {"a/b": "x"}, "example file name 'a/b' must be a plain name"),
    (("examples", 1, "files"), {"q": 2}, "example file 'q' must hold text, not the number 2"),
    (("examples", 0, "data"), ["y"], "example 'data' must be CSV text or a path, not a list"),
    (("examples", 0, "profile"), {"task": "binary"}, "unknown key 'profile' in a lint example"),
])
def test_lint_examples_are_config_files(catalog, path, value, message):
    problems = _problems([_replaced(LINT, path, value)], catalog)
    assert any(message in p and LOCATED.match(p) for p in problems), problems


def test_a_lint_example_without_config_text_is_refused(catalog):
    broken = copy.deepcopy(LINT)
    del broken["examples"][0]["config"]
    problems = _problems([broken], catalog)
    assert any("a lint example is {file: NAME, config: TEXT" in p for p in problems), problems


def test_all_problems_of_all_rules_are_reported_at_once(catalog):
    first = _replaced(RECOMMEND, ("references",), 3)
    second = _replaced(_replaced(LINT, ("id",), "USR102"), ("summary",), [1])
    second = _replaced(second, ("examples", 1, "fires"), "no")
    problems = _problems([first, second], catalog)
    lines = {int(p.split(":")[1]) for p in problems}
    assert len(problems) >= 3 and len(lines) >= 3, problems
