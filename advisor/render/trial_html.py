"""The trial on the HTML page: candidates × metrics, the verdicts, and an SVG chart of the
differences with their intervals (the terminal chart's twin, drawn to scale).

Like the rest of the page it is static: inline SVG, no script. The caller has already made the
document's text visible; every value still goes through :func:`html.escape` here.
"""

from __future__ import annotations

from html import escape
from typing import Any

from advisor.render.trial import (
    by_metric,
    metric_name,
    num,
    score_cell,
    trial_sections,
    wins_cell,
)

STYLE = """
.trial td.num,.trial td.role{text-align:right;white-space:nowrap}.trial td.role{text-align:left}
.trial .model{color:#6b7585;font-size:.85em}
ul.verdicts{padding-left:1.1rem}ul.verdicts li{margin:.3rem 0}.v-wins{color:#2f7d4f}
.v-loses{color:#b3361f}.v-trade-off{color:#9a6a00}.contradiction{background:#fbeeee;
border-left:4px solid #b3361f;padding:.6rem .8rem;font-weight:600}.rule{color:#4a5466}
ul.notes{color:#6b7585;font-size:.9em}
"""
VERDICT_COLOURS = {"wins": "#2f7d4f", "loses": "#b3361f", "trade-off": "#9a6a00",
                   "tie": "#3b7dd8", "no evidence": "#6b7585"}
WIDTH = 640
LABEL = 130
RIGHT = 110
ROW = 26


def trial_html(doc: dict[str, Any]) -> str:
    """The trial sections of a report as HTML: one, or one per label of a multilabel target."""
    parts = []
    for title, section in trial_sections(doc):
        if "skipped" in section:
            parts.append(f"<section class=\"trial\"><h2>{escape(title)}</h2><p>Not run: "
                         f"{escape(section['skipped'])}</p></section>")
        else:
            parts.append(_section(section, title))
    return "".join(parts)


def _section(section: dict[str, Any], title: str) -> str:
    """One trial (heading, rule, table, verdicts, chart, notes)."""
    split = section["split"]
    rows = section["rows"]
    heading = "Trial: evidence on this data" if title == "Trial" else title
    parts = [
        f"<section class=\"trial\"><h2>{escape(heading)}</h2>",
        f"<p>{rows['used']:,} rows used ({rows['in_file']:,} in the file, {rows['sampled']:,} "
        f"sampled); {len(section['features']['used'])} features; {escape(split['kind'])} folds "
        f"{split['folds']} × {split['repeats']}, {section['folds_completed']} of "
        f"{section['folds_planned']} completed; seed {section['seed']}.</p>",
        f"<p class=\"rule\">Decision rule, fixed before fitting: "
        f"{escape(section['decision_rule']['text'])}</p>",
        _table(section),
        _verdicts(section),
    ]
    for metric, comparisons in by_metric(section):
        parts.append(f"<figure>{chart_svg(section, metric, comparisons)}</figure>")
    notes = [f"dropped {d['column']}: {d['reason']}" for d in section["features"]["dropped"]
             if d["reason"] != "the target"]
    notes += [f"not trialable {n['id']}: {n['reason']}" for n in section["not_trialable"]]
    notes += section["notes"] + section["split_hints"]
    if notes:
        parts.append("<ul class=\"notes\">" + "".join(f"<li>{escape(n)}</li>" for n in notes)
                     + "</ul>")
    parts.append("</section>")
    return "".join(parts)


def _table(section: dict[str, Any]) -> str:
    metrics = section["metrics"]
    head = "".join(f"<th>{escape(metric_name(m))}"
                   + (" (decides)" if m == section["primary"] else "") + "</th>"
                   for m in metrics)
    body = []
    for cand in section["candidates"]:
        cells = "".join(f"<td class=\"num\">{escape(score_cell(cand['scores'][m]))}</td>"
                        for m in metrics)
        body.append(f"<tr><td class=\"id\">{escape(cand['id'])}</td>"
                    f"<td class=\"role\">{escape(cand['role'])}</td>{cells}"
                    f"<td class=\"num\">{escape(wins_cell(section, cand['id']))}</td>"
                    f"<td class=\"model\"><code>{escape(cand['model'])}</code></td></tr>")
    return ("<table><caption>Mean ± standard error over folds (Nadeau–Bengio corrected)"
            "</caption><thead><tr><th>Loss</th><th>Role</th>" + head
            + "<th>Folds other better</th><th>Model</th></tr></thead><tbody>"
            + "".join(body) + "</tbody></table>")


def _verdicts(section: dict[str, Any]) -> str:
    items = "".join(f"<li class=\"v-{escape(c['verdict']).replace(' ', '-')}\"><b>"
                    f"{escape(c['verdict'])}</b>: {escape(c['sentence'])}</li>"
                    for c in section["comparisons"])
    out = f"<ul class=\"verdicts\">{items}</ul>" if items else ""
    if section.get("contradiction"):
        out += f"<p class=\"contradiction\">{escape(section['contradiction'])}</p>"
    return out


def chart_svg(section: dict[str, Any], metric: str, comparisons: list[dict[str, Any]]) -> str:
    """One row per comparison decided on ``metric``: the 95% interval as a line with end ticks,
    the mean difference as a dot, zero as a vertical line and the practical-tie band shaded.

    Right of zero favours the top pick, as in the terminal chart.
    """
    top = section["candidates"][0]["id"]
    bands = [c["threshold"] or 0.0 for c in comparisons]
    low = min(0.0, *(c["ci_low"] for c in comparisons), *(-b for b in bands))
    high = max(0.0, *(c["ci_high"] for c in comparisons), *bands)
    span = (high - low) or 1.0
    plot = WIDTH - LABEL - RIGHT

    def x(value: float) -> float:
        return LABEL + (value - low) / span * plot

    top_y = 40
    height = top_y + ROW * len(comparisons) + 46
    name = metric_name(metric)
    shapes = [f"<title>Differences in {escape(name)}, top pick {escape(top)} minus each other "
              "candidate, with 95% intervals</title>",
              f"<text x=\"0\" y=\"14\" font-weight=\"600\">{escape(name)}: difference "
              "(95% interval; right of 0 favours "
              f"{escape(top)})</text>"]
    band = max(bands)
    if band > 0:
        shapes.append(f"<rect class=\"tie-band\" x=\"{x(-band):.1f}\" y=\"{top_y - 6}\" "
                      f"width=\"{x(band) - x(-band):.1f}\" height=\"{ROW * len(comparisons)}\" "
                      "fill=\"#e8eef8\"><title>practical tie band: ±"
                      f"{escape(num(band))}</title></rect>")
    zero = x(0.0)
    shapes.append(f"<line x1=\"{zero:.1f}\" y1=\"{top_y - 8}\" x2=\"{zero:.1f}\" "
                  f"y2=\"{top_y + ROW * len(comparisons) - 4}\" stroke=\"#888\"/>")
    for i, c in enumerate(comparisons):
        y = top_y + i * ROW + ROW / 2 - 6
        colour = VERDICT_COLOURS.get(c["verdict"], "#6b7585")
        a, b, m = x(c["ci_low"]), x(c["ci_high"]), x(c["difference"])
        tip = (f"{top} vs {c['other']}: {num(c['difference'])} "
               f"(95% CI {num(c['ci_low'])} to {num(c['ci_high'])}), {c['verdict']}")
        shapes.append(
            f"<g class=\"comparison\"><title>{escape(tip)}</title>"
            f"<text x=\"{LABEL - 8}\" y=\"{y + 4:.1f}\" text-anchor=\"end\">"
            f"{escape(c['other'])}</text>"
            f"<line x1=\"{a:.1f}\" y1=\"{y:.1f}\" x2=\"{b:.1f}\" y2=\"{y:.1f}\" "
            f"stroke=\"{colour}\" stroke-width=\"2\"/>"
            f"<line x1=\"{a:.1f}\" y1=\"{y - 5:.1f}\" x2=\"{a:.1f}\" y2=\"{y + 5:.1f}\" "
            f"stroke=\"{colour}\" stroke-width=\"2\"/>"
            f"<line x1=\"{b:.1f}\" y1=\"{y - 5:.1f}\" x2=\"{b:.1f}\" y2=\"{y + 5:.1f}\" "
            f"stroke=\"{colour}\" stroke-width=\"2\"/>"
            f"<circle cx=\"{m:.1f}\" cy=\"{y:.1f}\" r=\"4.5\" fill=\"{colour}\"/>"
            f"<text x=\"{WIDTH - RIGHT + 10}\" y=\"{y + 4:.1f}\" fill=\"{colour}\">"
            f"{escape(c['verdict'])}</text></g>")
    axis_y = top_y + ROW * len(comparisons) + 8
    shapes.append(f"<line x1=\"{LABEL}\" y1=\"{axis_y}\" x2=\"{LABEL + plot}\" y2=\"{axis_y}\" "
                  "stroke=\"#888\"/>")
    ticks = [(low, "start"), (high, "end")] + ([(0.0, "middle")] if low < 0 < high else [])
    for value, anchor in ticks:
        shapes.append(f"<text x=\"{x(value):.1f}\" y=\"{axis_y + 16}\" "
                      f"text-anchor=\"{anchor}\">{escape(num(value))}</text>")
    return (f"<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" class=\"trial-chart\" "
            f"width=\"{WIDTH}\" height=\"{height}\" viewBox=\"0 0 {WIDTH} {height}\">"
            + "".join(shapes) + "</svg>")
