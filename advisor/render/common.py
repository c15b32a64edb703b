"""Rendering pieces without rich: shared by the Markdown, lint and rule-doc renderers.

Kept free of rich so that ``lint`` with text, JSON, GitHub or SARIF output starts fast.
"""

from __future__ import annotations

import json
import math
from dataclasses import replace
from typing import Any

from advisor.frameworks import knowledge
from advisor.render.visible import visible, visible_tree
from advisor.ruleset import AvoidEffect, Case, Rule

FRAMEWORK_LABELS = knowledge().labels()
TABLE_FRAMEWORKS = tuple(f for f, fw in knowledge().frameworks.items() if fw.table)
"""Frameworks shown in the terminal table; JSON and Markdown list every known spelling."""
SINGULAR = {"Losses": "Loss", "Metrics": "Metric"}


def column_docs(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Each target column's section as a document of its own (several numeric targets), so
    every renderer shows a column exactly as it shows a single target."""
    shared = {k: v for k, v in doc.items() if k != "columns"}
    return [{**shared, **column, "target": [column["target"]]} for column in doc["columns"]]


def why(item: dict[str, Any]) -> list[str]:
    """A recommendation's rationale lines, then its consistency note (first metric only), then
    the trial's evidence (``--trial``)."""
    return [*item["rationale"], *([f"Note: {item['note']}"] if item.get("note") else []),
            *([f"Evidence: {item['evidence']}"] if item.get("evidence") else [])]

def cell(text: Any) -> str:
    """Escape a value for a Markdown table cell."""
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")


_OPS = {
    "eq": "=", "ne": "≠", "in": "in", "not_in": "not in", "gt": ">", "ge": "≥", "lt": "<",
    "le": "≤", "between": "between", "contains": "contains", "not_contains": "does not contain",
    "any_of": "has any of", "exists": "exists",
}


def describe(condition: dict[str, Any]) -> str:
    """A condition as one readable line: 'task is regression and has trait heavy_tailed'."""
    if "all" in condition:
        return " and ".join(_group(c) for c in condition["all"])
    if "any" in condition:
        return " or ".join(_group(c) for c in condition["any"])
    if "not" in condition:
        return f"not ({describe(condition['not'])})"
    if "trait" in condition:
        return f"has trait {condition['trait']}"
    if "task" in condition:
        tasks = condition["task"]
        return f"task is {' or '.join(tasks) if isinstance(tasks, list) else tasks}"
    value = condition.get("value")
    if condition["op"] == "exists":
        return f"{condition['fact']} {'exists' if value else 'is missing'}"
    return f"{condition['fact']} {_OPS[condition['op']]} {json.dumps(value)}"


def _group(condition: dict[str, Any]) -> str:
    text = describe(condition)
    return f"({text})" if ("all" in condition or "any" in condition) else text


def rule_markdown(rule: Rule, level: int = 1) -> str:
    h = "#" * level
    lines = [f"{h} {rule.id}", "", f"**{rule.name}**: {rule.summary}", ""]
    if rule.severity:
        lines += [f"Severity: {rule.severity}", ""]
    lines += [f"{h}# Why", "", rule.why, "", f"{h}# When", "", f"`{describe(rule.when)}`", ""]
    if rule.kind == "recommend":
        effects = [f"loss `{e.id}` +{e.weight:g}" for e in rule.losses]
        effects += [f"metric `{e.id}` +{e.weight:g}" for e in rule.metrics]
        effects += [f"avoid {a.kind} `{a.id}`" for a in rule.avoid]
        lines += [f"{h}# Effect", "", ", ".join(effects) or "none", ""]
    else:
        lines += [f"{h}# Message", "", rule.message, ""]
        if rule.fix:
            lines += [f"{h}# Fix", "", rule.fix, ""]
        firing = next((c for c in rule.cases if c.fires), None)
        if firing is not None:
            lines += [f"{h}# Example", "", f"`{firing.file}`" + case_data(firing), "", "```",
                      rule.example, "```", ""]
    lines += [f"{h}# References", ""] + [f"- {ref}" for ref in rule.references]
    return "\n".join(lines) + "\n"


def case_data(case: Case) -> str:
    """What a lint example is checked against, in words ('' when it needs no data)."""
    if case.data is None:
        return ""
    data = "an inline CSV" if "\n" in case.data else f"`{case.data.rsplit('/', 1)[-1]}`"
    target = f", target `{visible(case.target)}`" if case.target else ""
    return f" with {visible(data)}{target}"


def clean(value: Any) -> Any:
    """JSON-safe and stable: NaN/inf become null, floats keep ten significant digits."""
    if isinstance(value, bool) or value is None or isinstance(value, (str, int)):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return float(f"{value:.10g}")
    if isinstance(value, dict):
        return {str(k): clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(clean(v) for v in value)
    if hasattr(value, "item"):  # numpy scalars
        return clean(value.item())
    return str(value)


def shown(rule: Rule) -> Rule:
    """The rule with every text made safe for a terminal or a Markdown page."""
    return replace(
        rule, id=visible(rule.id), name=visible(rule.name), summary=visible(rule.summary),
        why=visible(rule.why, keep_layout=True), references=[visible(r) for r in rule.references],
        when=visible_tree(rule.when), rationale=visible(rule.rationale),
        source=visible(rule.source), message=visible(rule.message), fix=visible(rule.fix),
        example=visible(rule.example, keep_layout=True),
        avoid=[AvoidEffect(visible(a.id), a.kind, visible(a.reason)) for a in rule.avoid],
    )  # examples are shown as JSON with ASCII escapes, which is safe already
