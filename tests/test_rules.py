"""Rule files: the built-in set is sound, every example holds, broken files are reported fully."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.catalog import load_catalog
from advisor.errors import InputError
from advisor.ruleset import RuleFileError, load_rules

RULES = load_rules()
CATALOG = load_catalog()


def test_builtin_rules_load_without_problems():
    assert len(RULES.rules) >= 30
    assert len({r.id for r in RULES.rules}) == len(RULES.rules)


@pytest.mark.parametrize("rule", RULES.rules, ids=lambda r: r.id)
def test_every_rule_is_documented(rule):
    assert rule.summary and rule.why and rule.references
    assert rule.summary.endswith(".") and len(rule.why) > 80
    assert {e.fires for e in [*rule.examples, *rule.cases]} == {True, False}


@pytest.mark.parametrize(
    "rule,example",
    [(r, e) for r in RULES.rules for e in r.examples],
    ids=lambda x: getattr(x, "id", getattr(x, "where", "")),
)
def test_rule_examples(rule, example):
    """The one generic test that runs every recommendation rule's own fire / no-fire examples
    (lint rules' examples are config text: tests/test_lint_examples.py runs them)."""
    assert rule.fires(example.facts) is example.fires, example.where


NOT_RECOMMENDED = {
    ("loss", "sparse_cce"): "Keras's integer-label spelling of cce (the framework column of cce "
    "shows it); kept so lint reads configs that name it",
}


def test_every_catalog_entry_is_reachable_by_a_rule():
    reached = {("loss", e.id) for r in RULES.rules for e in r.losses}
    reached |= {("metric", e.id) for r in RULES.rules for e in r.metrics}
    missing = [f"{kind} {entry}" for kind in ("loss", "metric") for entry in CATALOG.ids(kind)
               if (kind, entry) not in reached and (kind, entry) not in NOT_RECOMMENDED]
    assert missing == []
    assert not set(NOT_RECOMMENDED) & reached


BROKEN = """\
rules:
  - id: REC900
    name: test.broken
    sumary: Misspelled key.
    why: Because.
    references: ["x"]
    when:
      all:
        - {fact: skewnes, op: gt, value: 1}
        - {fact: task, op: equals, value: regression}
        - {trait: heavy_tail}
    then:
      losses: [{id: hubber, weight: 2}]
      metrics: [{id: rmse, weight: two}]
      avoid: [{id: accuracy, kind: metrics}]
    rationale: "Skew {skewnes:.2f} and {mean:.2q}"
    examples:
      - {profile: {task: regression}, fires: true}
  - id: REC900
    name: test.duplicate
    summary: Same id.
    why: Duplicate.
    references: ["x"]
    when: {task: regresion}
    then: {losses: [{id: mse}]}
    rationale: "x {"
    examples:
      - {profile: {task: regression}, fires: true}
      - {profile: {task: binary}, fires: false}
"""


def test_broken_rule_file_reports_every_problem_with_lines(tmp_path: Path):
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "bad.yaml").write_text(BROKEN)
    with pytest.raises(RuleFileError) as err:
        load_rules([folder])
    problems = err.value.problems
    text = "\n".join(problems)
    path = str(folder / "bad.yaml")
    expected = [
        (4, "unknown key 'sumary'; did you mean 'summary'?"),
        (9, "unknown fact 'skewnes'; did you mean 'skewness'?"),
        (10, "unknown operator 'equals'"),
        (11, "unknown trait 'heavy_tail'; did you mean 'heavy_tailed'?"),
        (13, "unknown loss 'hubber'; did you mean 'huber'?"),
        (14, "weight must be a number"),
        (15, "avoid needs kind: loss or kind: metric"),
        (16, "unknown fact '{skewnes}'"),
        (16, "'{mean:.2q}'"),
        (17, "examples need at least one case that fires and one that does not"),
        (24, "unknown task 'regresion'; did you mean 'regression'?"),
        (26, "malformed rationale template"),
    ]
    for line, fragment in expected:
        assert any(p.startswith(f"{path}:{line}:") and fragment in p for p in problems), (
            line, fragment, text)
    assert f"{path}:2: missing required key 'summary'" in text


def test_duplicate_ids_across_files(tmp_path: Path):
    folder = tmp_path / "rules"
    folder.mkdir()
    rule = """\
rules:
  - id: USR001
    name: team.custom
    summary: A custom rule.
    why: Our team always reports MAE next to RMSE because stakeholders read it directly.
    references: ["team wiki"]
    when: {task: regression}
    then: {metrics: [{id: mae, weight: 10}]}
    rationale: "Team policy."
    examples:
      - {profile: {task: regression}, fires: true}
      - {profile: {task: binary}, fires: false}
"""
    (folder / "a.yaml").write_text(rule)
    (folder / "b.yaml").write_text(rule.replace("team.custom", "team.other"))
    with pytest.raises(RuleFileError, match="duplicate rule id 'USR001'"):
        load_rules([folder])


def test_user_rules_add_and_override(tmp_path: Path):
    folder = tmp_path / "ours"
    folder.mkdir()
    (folder / "policy.yaml").write_text("""\
rules:
  - id: REC031
    name: classification.balanced-accuracy-ok
    summary: Our override never recommends accuracy.
    why: Our reviewers asked us to report balanced accuracy even on balanced data, always.
    references: ["team policy"]
    when: {task: [binary, multiclass]}
    then: {metrics: [{id: balanced_accuracy, weight: 9}]}
    rationale: "Team policy."
    examples:
      - {profile: {task: binary}, fires: true}
      - {profile: {task: regression}, fires: false}
  - id: USR100
    name: team.pinball
    summary: Add pinball loss for regression.
    why: We forecast demand and are judged on the 90th percentile, so pinball loss matters.
    references: ["team policy"]
    when: {task: regression}
    then: {metrics: [{id: pinball, weight: 20}]}
    rationale: "We are judged on the 90th percentile."
    examples:
      - {profile: {task: regression}, fires: true}
      - {profile: {task: binary}, fires: false}
""")
    ruleset = load_rules([folder])
    override = ruleset.by_id("REC031")
    assert override is not None and not override.builtin
    assert override.metrics[0].id == "balanced_accuracy"
    assert ruleset.by_id("USR100") is not None
    assert len(ruleset.rules) == len(RULES.rules) + 1


def test_untrusted_yaml_tags_are_refused(tmp_path: Path):
    folder = tmp_path / "evil"
    folder.mkdir()
    marker = tmp_path / "pwned"
    (folder / "x.yaml").write_text(
        f"rules: !!python/object/apply:os.system ['touch {marker}']\n"
    )
    with pytest.raises(RuleFileError, match="unsupported YAML tag"):
        load_rules([folder])
    assert not marker.exists()


def test_rules_dir_must_exist(tmp_path: Path):
    with pytest.raises(InputError, match="not a folder"):
        load_rules([tmp_path / "missing"])


def test_parsed_rules_are_cached_and_the_cache_is_safe_to_lose(tmp_path, monkeypatch):
    from advisor import cache

    monkeypatch.setenv("LOSSADVISOR_CACHE_DIR", str(tmp_path / "c"))
    first = load_rules()
    stored = sorted((tmp_path / "c").rglob("*.json"))
    assert len(stored) >= 2  # the catalog and the rule files
    second = load_rules()
    assert [r.id for r in second.rules] == [r.id for r in first.rules]
    facts = [[(e.facts, e.fires) for e in r.examples] for r in first.rules]
    assert [[(e.facts, e.fires) for e in r.examples] for r in second.rules] == facts
    for path in stored:
        path.write_text("{not json")  # a damaged cache falls back to the YAML
    assert [r.id for r in load_rules().rules] == [r.id for r in first.rules]
    assert cache.cache_dir() == tmp_path / "c" / "lossadvisor" / cache.__version__


def test_a_broken_file_is_never_cached_so_its_errors_keep_line_numbers(tmp_path, monkeypatch):
    monkeypatch.setenv("LOSSADVISOR_CACHE_DIR", str(tmp_path / "c"))
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "bad.yaml").write_text(BROKEN)
    for _ in range(2):
        with pytest.raises(RuleFileError) as err:
            load_rules([folder])
        assert any(":9: unknown fact 'skewnes'" in p for p in err.value.problems)
