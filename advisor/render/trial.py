"""The trial's views: candidates × metrics, one verdict sentence per comparison, and a chart of
the differences with their intervals (plain characters, so Markdown shows the same chart).

Rendering reads only the result document, so the terminal shows what JSON exports.
"""

from __future__ import annotations

from typing import Any

from advisor.render.common import cell
from advisor.trial_spec import SCORE_NAMES

CHART_WIDTH = 41
"""Characters of the difference axis (odd, so zero can sit on a column)."""


def metric_name(metric: str) -> str:
    return SCORE_NAMES.get(metric, metric)


def by_metric(section: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    """The comparisons that have an interval, grouped by the metric that decided them (a pair
    whose deviance was undefined falls back to another metric, on another scale)."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for c in section["comparisons"]:
        if c["ci_low"] is not None and c["ci_high"] is not None:
            groups.setdefault(c["metric"], []).append(c)
    return list(groups.items())


def chart_lines(section: dict[str, Any], width: int = CHART_WIDTH) -> list[str]:
    """One line per comparison: the 95% interval as ├──┤, the mean as ●, zero as │.

    Positive (right of zero) favours the top pick; the comparisons decided on one metric share
    an axis, and each metric gets its own.
    """
    lines: list[str] = []
    for metric, rows in by_metric(section):
        if lines:
            lines.append("")
        lines += _chart(section, metric, rows, width)
    return lines


def _chart(section: dict[str, Any], metric: str, rows: list[dict[str, Any]], width: int
           ) -> list[str]:
    low = min(0.0, *(c["ci_low"] for c in rows))
    high = max(0.0, *(c["ci_high"] for c in rows))
    span = (high - low) or 1.0

    def at(value: float) -> int:
        return max(0, min(width - 1, round((value - low) / span * (width - 1))))

    label_width = max(len(c["other"]) for c in rows)
    top = section["candidates"][0]["id"]
    lines = [f"{'':>{label_width}}  {'← ' + 'other better':<{width // 2}}"
             f"{(top + ' better →'):>{width - width // 2}}"]
    for c in rows:
        line = [" "] * width
        a, b = at(c["ci_low"]), at(c["ci_high"])
        for i in range(a, b + 1):
            line[i] = "─"
        line[a], line[b] = "├", "┤"
        zero = at(0.0)
        if line[zero] == " ":
            line[zero] = "│"
        line[at(c["difference"])] = "●"
        lines.append(f"{c['other']:>{label_width}}  {''.join(line)}  {c['verdict']}")
    axis = [" "] * width
    axis[at(0.0)] = "0"
    lines.append(f"{'':>{label_width}}  {''.join(axis)}")
    lines.append(f"{'':>{label_width}}  {num(low)} … {num(high)} "
                 f"({metric_name(metric)} difference, 95% interval)")
    return lines


def score_cell(score: dict[str, Any]) -> str:
    if score["mean"] is None:
        return "—"
    text = num(score["mean"])
    spread = score.get("se", score.get("sd"))
    if spread is not None:
        text += f" ± {num(spread)}"
    return text


def wins_cell(section: dict[str, Any], candidate: str) -> str:
    if candidate == section["candidates"][0]["id"]:
        return "top pick"
    for c in section["comparisons"]:
        if c["other"] == candidate:
            return f"{c['folds'] - c['wins']}/{c['folds']}"
    return ""


def trial_sections(doc: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The trial sections of one document with their headings: one, or one per label of a
    multilabel target (``trials``); a label that could not be trialled carries ``skipped``."""
    if doc.get("trial"):
        return [("Trial", doc["trial"])]
    return [(f"Trial of label {s['target']}", s) for s in doc.get("trials") or []]


def render_trial_table(doc: dict[str, Any], width: int = 100, color: str = "never") -> str:
    """The ``trial`` command's terminal view: per target column when there are several."""
    from rich.text import Text

    from advisor.render.common import column_docs
    from advisor.render.table import to_text
    from advisor.render.visible import visible_tree

    doc = visible_tree(doc)  # column names and labels come from the file
    data = doc["dataset"]
    parts: list[Any] = []
    for single in column_docs(doc) if doc.get("columns") else [doc]:
        sections = trial_sections(single)
        first = next((s for _, s in sections if "skipped" not in s), None)
        parts.append(Text(f"lossadvisor trial: {', '.join(single['target'])} in "
                          f"{data['path']}", style="bold"))
        if first is not None:
            parts += [
                Text(f"Task {single['task']}; {first['rows']['used']:,} rows used "
                     f"({first['rows']['in_file']:,} in the file), "
                     f"{len(first['features']['used'])} features; "
                     f"{first['split']['kind']} folds {first['split']['folds']} x "
                     f"{first['split']['repeats']}, seed {first['seed']}"),
                Text("Rule: " + first["decision_rule"]["text"], style="dim"),
            ]
        parts += trial_renderables(single)
    return to_text(parts, width, color)


def trial_renderables(doc: dict[str, Any]) -> list[Any]:
    """The rich pieces shared by ``trial`` and ``profile --trial``."""
    from rich.text import Text

    parts: list[Any] = []
    for title, section in trial_sections(doc):
        if "skipped" in section:
            parts.append(Text(f"{title}: not run: {section['skipped']}", style="dim"))
            continue
        parts += _renderables(section, title)
    return parts


def _renderables(section: dict[str, Any], title: str) -> list[Any]:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    metrics = section["metrics"]
    table = Table(title=f"{title} (mean ± SE over folds, Nadeau-Bengio corrected)",
                  title_justify="left", title_style="bold", box=box.SIMPLE_HEAVY, expand=True)
    table.add_column("Loss", style="bold", no_wrap=True)
    table.add_column("Role", no_wrap=True)
    for metric in metrics:
        label = metric_name(metric) + (" (decides)" if metric == section["primary"] else "")
        table.add_column(label, justify="right")
    table.add_column("Folds other better", justify="right")
    for cand in section["candidates"]:
        table.add_row(Text(cand["id"]), Text(cand["role"]),
                      *(Text(score_cell(cand["scores"][m])) for m in metrics),
                      Text(wins_cell(section, cand["id"])))
    # the estimators below the table: as a column they squeeze to a few characters
    width = max(len(c["id"]) for c in section["candidates"])
    models = Text("\n".join(f"{c['id']:>{width}} = {c['model']}"
                            for c in section["candidates"]) + "\n", style="dim")
    parts: list[Any] = [table, models]
    verdicts = Text()
    for c in section["comparisons"]:
        style = {"wins": "green", "loses": "red", "trade-off": "yellow"}.get(c["verdict"], "")
        verdicts.append("• " + c["sentence"] + "\n", style=style)
    if section.get("contradiction"):
        verdicts.append(section["contradiction"] + "\n", style="bold red")
    parts.append(verdicts)
    chart = chart_lines(section)
    if chart:
        parts.append(Text("\n".join(chart)))
    extra = [f"dropped {d['column']}: {d['reason']}" for d in section["features"]["dropped"]
             if d["reason"] != "the target"]
    extra += [f"not trialable {n['id']}: {n['reason']}" for n in section["not_trialable"]]
    extra += section["notes"] + section["split_hints"]
    if extra:
        parts.append(Text("\n".join("note: " + e for e in extra), style="dim"))
    return parts


def trial_markdown(doc: dict[str, Any]) -> list[str]:
    """The trial as Markdown lines (for ``--format markdown``)."""
    lines: list[str] = []
    for title, section in trial_sections(doc):
        if "skipped" in section:
            lines += [f"## {title}", "", f"Not run: {cell(section['skipped'])}", ""]
        else:
            lines += _markdown(section, title)
    return lines


def _markdown(section: dict[str, Any], title: str) -> list[str]:
    metrics = section["metrics"]
    lines = [f"## {cell(title)}", "", cell(section["decision_rule"]["text"]), "",
             "Mean ± standard error over folds (Nadeau-Bengio corrected):", "",
             "| Loss | Role | " + " | ".join(metric_name(m) for m in metrics)
             + " | Folds other better | Model |",
             "|---|---|" + "---:|" * len(metrics) + "---:|---|"]
    for cand in section["candidates"]:
        lines.append(f"| `{cand['id']}` | {cand['role']} | "
                     + " | ".join(score_cell(cand["scores"][m]) for m in metrics)
                     + f" | {wins_cell(section, cand['id'])} | `{cell(cand['model'])}` |")
    lines.append("")
    lines += [f"- **{c['verdict']}**: {cell(c['sentence'])}" for c in section["comparisons"]]
    if section.get("contradiction"):
        lines += ["", f"**{cell(section['contradiction'])}**"]
    chart = chart_lines(section)
    if chart:
        lines += ["", "```", *chart, "```"]
    extra = [f"dropped `{d['column']}`: {d['reason']}" for d in section["features"]["dropped"]
             if d["reason"] != "the target"]
    extra += [f"not trialable `{n['id']}`: {n['reason']}" for n in section["not_trialable"]]
    extra += section["notes"] + section["split_hints"]
    if extra:
        lines += [""] + [f"- {cell(e)}" for e in extra]
    lines.append("")
    return lines


def num(value: float) -> str:
    """Four significant digits; scientific notation for very large or small values."""
    if value != 0 and (abs(value) >= 1e5 or abs(value) < 1e-3):
        return f"{value:.3e}"
    return f"{value:.4g}"
