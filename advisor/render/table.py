"""The terminal view: a profile panel with a distribution chart, then the rationale tables.

Everything comes from the result document, so the terminal shows exactly what JSON exports.
User-controlled text (paths, column and class names) goes into rich ``Text`` objects, never into
markup, so a column called ``[red]`` prints as written, and its control characters are made
visible first (:mod:`advisor.render.visible`).
"""

from __future__ import annotations

import io
from typing import Any

from rich import box
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from advisor.render.common import (
    FRAMEWORK_LABELS,
    SINGULAR,
    TABLE_FRAMEWORKS,
    column_docs,
    why,
)
from advisor.render.visible import visible_tree

CONTEXT_LABELS = {"group": "Groups", "exposure": "Exposure", "censor": "Censoring"}
BAR_WIDTH = 36
MAX_BARS = 12


def to_text(renderables: list[Any], width: int, color: bool) -> str:
    """Render rich objects to a string (colour only for a terminal)."""
    buffer = io.StringIO()
    console = Console(
        file=buffer, width=width, force_terminal=color, no_color=not color,
        color_system="auto" if color else None, highlight=False, emoji=False,
        legacy_windows=False,
    )
    for item in renderables:
        console.print(item)
    return buffer.getvalue()


def render_table(doc: dict[str, Any], width: int = 100, color: bool = False) -> str:
    doc = visible_tree(doc, keep_layout=frozenset({"code"}))
    if doc.get("columns"):
        parts: list[Any] = [_profile_panel(doc)]
        for column in column_docs(doc):
            parts += _sections(column, f"column {column['target'][0]}")
        return to_text(parts, width, color)
    return to_text(_sections(doc), width, color)


def _sections(doc: dict[str, Any], title: str = "") -> list[Any]:
    parts: list[Any] = []
    if doc.get("dataset"):
        parts.append(_profile_panel(doc, title))
    else:
        parts.append(_recommend_header(doc))
    if doc["losses"]:
        parts.append(_recommendations("Losses", doc["losses"]))
    if doc["metrics"]:
        parts.append(_recommendations("Metrics", doc["metrics"]))
    if doc["avoid"]:
        parts.append(_avoid(doc["avoid"]))
    if doc.get("snippet"):
        s = doc["snippet"]
        label = FRAMEWORK_LABELS.get(s["framework"], s["framework"])
        code = Text(s["code"])
        for name, meaning in (s.get("placeholders") or {}).items():
            code.append(f"\n# {name}: {meaning}", style="dim")
        parts.append(Panel(code, title=Text(f"{label}: {s['loss']}"), title_align="left",
                           box=box.ROUNDED))
    return parts


def _profile_panel(doc: dict[str, Any], title: str = "") -> Panel:
    data = doc["dataset"]
    stats = doc["profile"]
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    shape = f"{data['rows']:,} rows × {data['columns']:,} columns, {data['format']}"
    if data.get("delimiter"):
        shape += f" (delimiter {_show_delim(data['delimiter'])}, {data.get('encoding')})"
    grid.add_row("Dataset", Text(f"{data['path']}  ({shape})"))
    target = ", ".join(doc["target"])
    grid.add_row("Target", Text(f"{target}  ({doc['target_reason']})"))
    task = Text(doc["task"], style="bold cyan")
    task.append(f" — {doc['task_reason']}", style="")
    grid.add_row("Task", task)
    for alt in doc["task_alternatives"]:
        grid.add_row("Alternative", Text(f"{alt['task']} — {alt['reason']}"))
    usable = stats.get("n")
    if usable is not None:
        grid.add_row("Labelled", Text(f"{usable:,} rows"))
    context = doc.get("context")
    if context:
        label = CONTEXT_LABELS[context["kind"]]
        for i, line in enumerate(context["lines"]):
            grid.add_row(label if i == 0 else "", Text(line))
    traits = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=False)
    traits.add_column("Trait", style="yellow", no_wrap=True)
    traits.add_column("Evidence from the data")
    for trait in doc["traits"]:
        traits.add_row(Text(trait["name"]), Text(trait["evidence"]))
    body: list[Any] = [grid]
    if doc["traits"]:
        body += [Text(""), traits]
    chart = _chart(doc)
    if chart is not None:
        body += [Text(""), chart]
    heading = Text("lossadvisor profile" + (f": {title}" if title else ""))
    return Panel(Group(*body), title=heading, title_align="left", box=box.ROUNDED)


def _recommend_header(doc: dict[str, Any]) -> Panel:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    grid.add_row("Task", Text(doc["task"], style="bold cyan"))
    names = ", ".join(t["name"] for t in doc["traits"]) or "none"
    grid.add_row("Traits", Text(names))
    return Panel(grid, title="lossadvisor recommend", title_align="left", box=box.ROUNDED)


def _chart(doc: dict[str, Any]) -> Table | None:
    stats = doc["profile"]
    rows: list[tuple[str, float, str]] = []
    title = ""
    if "class_counts" in stats:
        title = "Class distribution"
        total = sum(stats["class_counts"].values())
        ordered = sorted(stats["class_counts"].items(), key=lambda kv: (-kv[1], kv[0]))
        for label, count in ordered[:MAX_BARS]:
            rows.append((label, count, f"{count:,} ({count / total:.1%})"))
        if len(ordered) > MAX_BARS:
            rest = sum(c for _, c in ordered[MAX_BARS:])
            rows.append((f"{len(ordered) - MAX_BARS} more", rest, f"{rest:,}"))
    elif "label_fractions" in stats:
        title = "Share of rows per label"
        for label, share in list(stats["label_fractions"].items())[:MAX_BARS]:
            rows.append((label, share, f"{share:.1%}"))
    elif "histogram" in stats:
        title = "Distribution (1st-99th percentile)"
        hist = stats["histogram"]
        edges, counts = hist["edges"], hist["counts"]
        integer_bins = all(abs((e + 0.5) - round(e + 0.5)) < 1e-9 for e in edges) and (
            len(edges) < 2 or abs(edges[1] - edges[0] - 1) < 1e-9
        )
        if hist["below"]:
            rows.append((f"< {_num(edges[0])}", hist["below"], f"{hist['below']:,}"))
        for i, count in enumerate(counts):
            label = (
                _num(edges[i] + 0.5) if integer_bins
                else f"{_num(edges[i])} – {_num(edges[i + 1])}"
            )
            rows.append((label, count, f"{count:,}"))
        if hist["above"]:
            rows.append((f"> {_num(edges[-1])}", hist["above"], f"{hist['above']:,}"))
    if not rows:
        return None
    peak = max(value for _, value, _ in rows) or 1
    table = Table(box=None, show_header=False, title=title, title_justify="left",
                  title_style="bold", pad_edge=False)
    table.add_column(justify="right", no_wrap=True)
    table.add_column(no_wrap=True)
    table.add_column(justify="right", no_wrap=True)
    for label, value, shown in rows:
        cells = int(round(value / peak * BAR_WIDTH))
        bar = "█" * cells if value else ""
        if value and not cells:
            bar = "▏"
        table.add_row(Text(label), Text(bar, style="green"), Text(shown))
    return table


def _recommendations(title: str, items: list[dict[str, Any]]) -> Table:
    table = Table(title=title, title_justify="left", title_style="bold", box=box.SIMPLE_HEAVY,
                  show_lines=False, expand=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column(SINGULAR[title], style="bold", ratio=2, overflow="fold")
    table.add_column("Why (from this data)", ratio=5)
    table.add_column("In frameworks", ratio=4, overflow="fold")
    table.add_column("Rules", no_wrap=True)
    for item in items:
        frameworks = "\n".join(
            f"{FRAMEWORK_LABELS[fw]}: {name}" for fw, name in item["frameworks"].items()
            if fw in TABLE_FRAMEWORKS
        ) or "—"
        table.add_row(
            str(item["rank"]),
            Text(f"{item['name']}\n", style="bold").append(item["id"], style="dim"),
            Text("\n".join(why(item))),
            Text(frameworks),
            Text("\n".join(item["rules"])),
        )
    return table


def _avoid(items: list[dict[str, Any]]) -> Table:
    table = Table(title="Avoid", title_justify="left", title_style="bold red",
                  box=box.SIMPLE_HEAVY, expand=True)
    table.add_column("Kind", no_wrap=True)
    table.add_column("Avoid", style="bold", ratio=2)
    table.add_column("Why", ratio=6)
    table.add_column("Rules", no_wrap=True)
    for item in items:
        table.add_row(
            Text(item["kind"]), Text(f"{item['name']} ({item['id']})"),
            Text("\n".join(item["rationale"])), Text("\n".join(item["rules"])),
        )
    return table


def _show_delim(delimiter: str) -> str:
    return {"\t": "tab", ",": "','", ";": "';'", "|": "'|'"}.get(delimiter, repr(delimiter))


def _num(value: float) -> str:
    if abs(value) >= 1e6:
        return f"{value:,.0f}"
    return f"{value:,.4g}"
