"""Markdown output, for pull-request comments, wikis and CI job summaries.

Input-derived text has its control characters made visible first, as in the terminal table.
"""

from __future__ import annotations

from typing import Any

from advisor.render.common import FRAMEWORK_LABELS, SINGULAR, cell, column_docs, why
from advisor.render.visible import visible_tree


def render_markdown(doc: dict[str, Any]) -> str:
    doc = visible_tree(doc, keep_layout=frozenset({"code"}))
    if doc.get("columns"):
        return "\n".join(_document(column) for column in column_docs(doc))
    return _document(doc)


def _document(doc: dict[str, Any]) -> str:
    lines: list[str] = []
    if doc.get("dataset"):
        data = doc["dataset"]
        lines += [
            f"# lossadvisor: {cell(', '.join(doc['target']))} in `{data['path']}`",
            "",
            f"- **Dataset:** `{data['path']}`, {data['rows']:,} rows × {data['columns']:,} "
            f"columns ({data['format']})",
            f"- **Target:** {cell(', '.join(doc['target']))} ({cell(doc['target_reason'])})",
            f"- **Task:** **{doc['task']}**: {cell(doc['task_reason'])}",
        ]
    else:
        lines += ["# lossadvisor recommend", "", f"- **Task:** **{doc['task']}**"]
    for alt in doc["task_alternatives"]:
        lines.append(f"- **Alternative:** {alt['task']}: {cell(alt['reason'])}")
    context = doc.get("context")
    if context:
        lines.append(f"- **Context:** `{context['flag']} {context['column']}`")
        lines += [f"  - {cell(line)}" for line in context["lines"]]
    lines.append("")
    if doc["traits"]:
        lines += ["## Traits", "", "| Trait | Evidence |", "|---|---|"]
        lines += [f"| {t['name']} | {cell(t['evidence'])} |" for t in doc["traits"]]
        lines.append("")
    for title, key in (("Losses", "losses"), ("Metrics", "metrics")):
        if not doc[key]:
            continue
        lines += [f"## {title}", "", "| # | " + SINGULAR[title] + " | Why (from this data) | "
                  "In frameworks | Rules |", "|---:|---|---|---|---|"]
        for item in doc[key]:
            frameworks = "<br>".join(
                f"{FRAMEWORK_LABELS.get(fw, fw)}: `{cell(name)}`"
                for fw, name in item["frameworks"].items()
            ) or "—"
            lines.append(
                f"| {item['rank']} | **{cell(item['name'])}** (`{item['id']}`) | "
                f"{cell(' '.join(why(item)))} | {frameworks} | "
                f"{', '.join(item['rules'])} |"
            )
        lines.append("")
    if doc["avoid"]:
        lines += ["## Avoid", "", "| Kind | Avoid | Why | Rules |", "|---|---|---|---|"]
        for item in doc["avoid"]:
            lines.append(
                f"| {item['kind']} | {cell(item['name'])} (`{item['id']}`) | "
                f"{cell(' '.join(item['rationale']))} | {', '.join(item['rules'])} |"
            )
        lines.append("")
    if doc.get("trial") or doc.get("trials"):
        from advisor.render.trial import trial_markdown

        lines += trial_markdown(doc)
    if doc.get("snippet"):
        s = doc["snippet"]
        lines += [f"## {FRAMEWORK_LABELS.get(s['framework'], s['framework'])}: {s['loss']}", "",
                  "```python", s["code"], "```", ""]
        if s.get("placeholders"):
            lines += [f"- `{name}`: {cell(meaning)}" for name, meaning in
                      s["placeholders"].items()] + [""]
    return "\n".join(lines).rstrip("\n") + "\n"
