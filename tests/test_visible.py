"""No control character from the input reaches a terminal raw, in any format; markup stays text.

Input-derived text (column names, class labels, config values, rule texts, paths, CLI
arguments) is generated with control characters, rich markup and newlines, pushed through every
renderer and the stderr handler, and the output is searched for raw control characters.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from conftest import SAMPLES, run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.lint.check import Finding, LintResult
from advisor.render.html import render_html
from advisor.render.lint import RENDERERS
from advisor.render.markdown import render_markdown
from advisor.render.rules import render_rule, render_rule_list, rules_reference_markdown
from advisor.render.table import render_table
from advisor.render.visible import dump_json, visible, visible_tree
from advisor.ruleset import RuleSet, load_rules

RAW = {chr(c) for c in (*range(0, 9), 11, 12, *range(14, 32), *range(0x7F, 0xA0))} | {
    chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}
"""What a terminal would act on (newline, tab and CR are checked separately where it matters)."""

PIECES = ["\x1b[31m", "\x1b]0;title\x07", "\x1b]8;;http://x\x1b\\", "\x9b2J", "\x07", "\r",
          "\n", "\x00", "\x7f", "\x85", "\u202e", "[bold red]", "[/]", "[link=http://x]",
          ":smile:", "%0A", "::error::", "|", "`", "label", "é", "😀"]
hostile = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=4)), min_size=1,
                   max_size=6).map("".join)


def raw_in(text: str) -> set[str]:
    return {c for c in text if c in RAW}


@pytest.fixture(scope="module")
def ruleset() -> RuleSet:
    return load_rules()


@pytest.fixture(scope="module")
def report() -> dict:
    result = run(["profile", str(SAMPLES / "species.csv"), "--format", "json", "--framework",
                  "pytorch"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_visible_escapes_c0_c1_del_and_bidi_but_keeps_layout_on_request():
    assert visible("a\x1b[31mb\x9bc\x7fd\u202e\x00") == "a\\x1b[31mb\\x9bc\\x7fd\\u202e\\x00"
    assert visible("two\nlines\tand\rcr") == "two\\nlines\\tand\\rcr"
    assert visible("two\nlines\t\x1b", keep_layout=True) == "two\nlines\t\\x1b"
    assert visible("naïve 😀 [bold]") == "naïve 😀 [bold]"


def test_json_escapes_what_json_dumps_leaves_raw():
    text = dump_json({"k\x9b": "a\x7fb\u2066c\x1b"})
    assert not raw_in(text)
    assert json.loads(text) == {"k\x9b": "a\x7fb\u2066c\x1b"}  # still the same data


def _poison(doc, names, rng_values):
    """Put hostile text into every place input can reach in a profile document."""
    values = iter(rng_values * 50)
    doc = json.loads(json.dumps(doc))
    doc["dataset"]["path"] = next(values)
    doc["target"] = [next(values)]
    doc["target_reason"] = next(values)
    doc["task_reason"] = next(values)
    for trait in doc["traits"]:
        trait["evidence"] = next(values)
    counts = doc["profile"].get("class_counts", {})
    doc["profile"]["class_counts"] = {name: i + 1 for i, name in enumerate(names)} or counts
    for item in doc["losses"] + doc["metrics"] + doc["avoid"]:
        item["name"] = next(values)
        item["rationale"] = [next(values)]
    doc["snippet"]["code"] = next(values)
    return doc


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(hostile, min_size=1, max_size=4, unique=True),
       values=st.lists(hostile, min_size=1, max_size=5))
def test_profile_formats_show_no_raw_control_character(report, names, values):
    doc = _poison(report, names, values)
    plain = render_table(doc, width=100)
    assert not raw_in(plain), plain
    assert "\r" not in plain
    markdown = render_markdown(doc)
    assert not raw_in(markdown) and "\r" not in markdown
    page = render_html(doc)
    assert not raw_in(page) and "\r" not in page
    assert not raw_in(dump_json(doc))


def test_coloured_table_has_only_its_own_escape_sequences(report):
    doc = _poison(report, ["\x1b]0;owned\x07"], ["\x1b[5mblink"])
    coloured = render_table(doc, width=100, color=True)
    assert "\x1b]0;owned" not in coloured and "\x1b[5m" not in coloured
    assert "\\x1b]0;owned\\x07" in coloured


def test_markup_in_names_and_values_prints_literally(report):
    doc = _poison(report, ["[bold red]cls[/]"], ["[link=http://x]click[/link]"])
    table = render_table(doc, width=160)
    assert "[bold red]cls[/]" in table and "[link=http://x]click[/link]" in table


def _findings(messages: list[str]) -> LintResult:
    findings = [Finding("LNT110", "loss.mse-on-heavy-tails", "warning", m, f"cfg{m}.yaml", 3, 1,
                        fix=m, model=m) for m in messages]
    suppressed = [replace(findings[0], suppressed_by="comment", reason=messages[0])]
    return LintResult(findings=findings, suppressed=suppressed, files=["x.yaml"])


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(messages=st.lists(hostile, min_size=1, max_size=4))
def test_lint_formats_show_no_raw_control_character(ruleset, messages):
    result = _findings(messages)
    for name, render in RENDERERS.items():
        text = render(result, ruleset)
        assert not raw_in(text), (name, text)
        if name in ("text", "github"):  # one line per finding: no forged extra lines
            assert len(text.splitlines()) == len(result.findings), (name, text)
    sarif = json.loads(RENDERERS["sarif"](result, ruleset))  # code scanning shows these texts
    for item in sarif["runs"][0]["results"]:
        assert not raw_in(item["message"]["text"]) and "\r" not in item["message"]["text"]


def _user_rule(ruleset: RuleSet, text: str):
    rule = ruleset.by_id("REC032")
    return replace(rule, id="USR001", summary=text, why=f"{text}\nsecond line", rationale=text,
                   references=[text], source=f"rules/{text}.yaml:3", builtin=False,
                   message=text, fix=text, example=text)


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=hostile)
def test_rule_documentation_shows_no_raw_control_character(ruleset, text):
    rule = _user_rule(ruleset, text)
    outputs = [render_rule(rule, fmt) for fmt in ("table", "markdown", "json")]
    subset = RuleSet([rule], ruleset.catalog)
    outputs += [render_rule_list(subset, fmt) for fmt in ("table", "markdown", "json")]
    outputs.append(rules_reference_markdown(subset))
    for text_out in outputs:
        assert not raw_in(text_out), text_out


def test_rule_markup_is_printed_not_interpreted(ruleset):
    rule = _user_rule(ruleset, "[bold]loud[/bold]")
    assert "[bold]loud[/bold]" in render_rule(rule, "table")
    assert "[bold]loud[/bold]" in render_rule_list(RuleSet([rule], ruleset.catalog), "table")


def test_visible_tree_escapes_keys_and_keeps_code_layout():
    doc = visible_tree({"a\x1b": ["\x07"], "code": "x = 1\ny\x1b"}, frozenset({"code"}))
    assert doc == {"a\\x1b": ["\\x07"], "code": "x = 1\ny\\x1b"}


@pytest.mark.parametrize("args", [
    ["profile", "no\x1b]0;owned\x07such.csv"],
    ["profile", str(SAMPLES / "fraud.csv"), "--target", "is\x1b[31m_fraud"],
    ["profile", str(SAMPLES / "fraud.csv"), "--format", "\x9b2J"],
    ["explain", "REC\x1b[2J"],
    ["recommend", "--task", "bin\x07ary"],
    ["lint", "cfg\x1b[31m.yaml"],
])
def test_errors_on_stderr_show_arguments_with_escapes(args):
    result = run(args)
    assert result.exit_code == 2
    assert not raw_in(result.stderr) and not raw_in(result.stdout), result.stderr
    assert "\\x" in result.stderr


def test_hostile_column_name_and_labels_end_to_end(write):
    name = "amount\x1b]0;owned\x07[bold]x[/bold]"
    label = "\x1b[31mred"
    rows = "".join(f"{i},{label if i % 3 else 'ok'}\n" for i in range(60))
    path = write("hostile.csv", f"id,{name}\n{rows}")
    for fmt in ("text", "markdown", "json", "html"):
        result = run(["profile", path, "--target", name, "--format", fmt])
        assert result.exit_code == 0, result.stderr
        assert not raw_in(result.stdout) and not raw_in(result.stderr)
    table = run(["profile", path, "--target", name]).stdout
    assert "\\x1b]0;owned\\x07[bold]x[/bold]" in table
