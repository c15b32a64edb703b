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

from advisor.render.common import FRAMEWORK_LABELS, TABLE_FRAMEWORKS, column_docs, why
from advisor.render.visible import visible_tree

CONTEXT_LABELS = {"group": "Groups", "exposure": "Exposure", "censor": "Censoring"}
BAR_WIDTH = 36
MAX_BARS = 12


def to_text(renderables: list[Any], width: int, color: str = "never") -> str:
    """Render rich objects to a string.

    ``color`` is ``never`` (plain text), ``always`` (styles and colour whatever the
    environment says) or ``env`` (styles, with rich's own NO_COLOR handling deciding colour).
    """
    buffer = io.StringIO()
    styled = color != "never"
    console = Console(
        file=buffer, width=width, force_terminal=styled,
        no_color={"always": False, "env": None}.get(color, True),
        color_system="auto" if styled else None, highlight=False, emoji=False,
        legacy_windows=False,
    )
    for item in renderables:
        console.print(item)
    text = buffer.getvalue()
    if not styled:  # rich pads expanded grids; copied or diffed text should not carry that
        text = "\n".join(line.rstrip() for line in text.split("\n"))
    return text


def render_table(doc: dict[str, Any], width: int = 100, color: str = "never",
                 limit: int | None = None) -> str:
    """The terminal view; ``limit`` keeps the top losses and metrics (``--all`` lifts it)."""
    doc = visible_tree(doc, keep_layout=frozenset({"code"}))
    if doc.get("columns"):
        parts: list[Any] = [_profile_panel(doc)]
        for column in column_docs(doc):
            parts += _sections(column, width, limit, f"column {column['target'][0]}")
        return to_text(parts, width, color)
    return to_text(_sections(doc, width, limit), width, color)


def _sections(doc: dict[str, Any], width: int, limit: int | None, title: str = "") -> list[Any]:
    parts: list[Any] = []
    if doc.get("dataset"):
        parts.append(_profile_panel(doc, title))
    else:
        parts.append(_recommend_header(doc))
    if doc["losses"]:
        parts.append(_recommendations("Losses", doc["losses"], limit, width))
    if doc["metrics"]:
        parts.append(_recommendations("Metrics", doc["metrics"], limit, width))
    if doc["avoid"]:
        parts.append(_avoid(doc["avoid"]))
    if doc.get("trial") or doc.get("trials"):
        from advisor.render.trial import trial_renderables

        parts += trial_renderables(doc)
    if doc.get("snippet"):
        s = doc["snippet"]
        label = FRAMEWORK_LABELS.get(s["framework"], s["framework"])
        code = Text(s["code"])
        for name, meaning in (s.get("placeholders") or {}).items():
            code.append(f"\n# {name}: {meaning}", style="dim")
        parts.append(Panel(code, title=Text(f"{label}: {s['loss']}"), title_align="left",
                           box=box.ROUNDED))
    verdict = _verdict(doc)
    if verdict is not None:
        parts.append(verdict)
    return parts


def _verdict(doc: dict[str, Any]) -> Text | None:
    """One closing line, so the answer is on screen even when the tables scrolled away."""
    pieces = []
    if doc["losses"]:
        pieces.append(("Train with ", doc["losses"][0]["id"]))
    if doc["metrics"]:
        pieces.append(("judge by ", ", ".join(m["id"] for m in doc["metrics"][:2])))
    if doc["avoid"]:
        pieces.append(("avoid ", ", ".join(dict.fromkeys(a["id"] for a in doc["avoid"]))))
    if not pieces:
        return None
    line = Text("→ ", style="bold")
    for i, (lead, ids) in enumerate(pieces):
        line.append(("; " if i else "") + lead)
        line.append(ids, style="bold")
    return line


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


def _recommendations(title: str, items: list[dict[str, Any]], limit: int | None,
                     width: int) -> Group:
    """Ranked entries stacked, not in a wide table: the name and id on one line with the rules,
    the rationale as prose, then one line per framework. Only prose wraps; an identifier moves
    to the next line whole rather than being split."""
    shown = items if limit is None else items[:limit]
    heading = Text(title, style="bold")
    if len(shown) < len(items):
        heading.append(f"  top {len(shown)} of {len(items)}; --all shows the rest", style="dim")
    body = Table.grid(padding=(0, 1), expand=True)
    body.add_column(justify="right", no_wrap=True, width=3)
    body.add_column(ratio=1)
    for item in shown:
        parts: list[Any] = [_headline(item), Text("\n".join(why(item)))]
        names = [(FRAMEWORK_LABELS[fw], name) for fw, name in item["frameworks"].items()
                 if fw in TABLE_FRAMEWORKS]
        if names:
            parts.append(_frameworks(names, width - 4))
        body.add_row(Text(str(item["rank"]), style="bold"), Group(*parts))
        body.add_row("", "")
    hidden = items[len(shown):]
    if hidden:
        body.add_row("", Text("more: " + ", ".join(i["id"] for i in hidden), style="dim"))
    return Group(heading, body)


def _frameworks(names: list[tuple[str, str]], width: int) -> Table:
    """One framework per cell line; side by side in as many column pairs as the width holds."""
    label_width = max(len(label) for label, _ in names)
    name_width = max(len(name) for _, name in names)
    pairs = max(1, min(3, (width + 4) // (label_width + 2 + name_width + 4)))
    rows = -(-len(names) // pairs)
    grid = Table.grid(padding=(0, 2))
    for _ in range(pairs):
        grid.add_column(style="dim", no_wrap=True)
        grid.add_column(min_width=name_width if pairs > 1 else None)
    for r in range(rows):
        cells: list[Any] = []
        for label, name in names[r::rows]:
            cells += [label, Text(name)]
        grid.add_row(*cells)
    return grid


def _headline(item: dict[str, Any], lead: str = "") -> Table:
    line = Table.grid(padding=(0, 2), expand=True)
    line.add_column(ratio=1)
    line.add_column(justify="right", no_wrap=True)
    name = Text(lead + item["name"], style="bold")
    name.append("  ")
    name.append(item["id"], style="cyan")
    line.add_row(name, Text(" ".join(item["rules"]), style="dim"))
    return line


def _avoid(items: list[dict[str, Any]]) -> Group:
    body = Table.grid(padding=(0, 1), expand=True)
    body.add_column(justify="right", no_wrap=True, width=3)
    body.add_column(ratio=1)
    for item in items:
        body.add_row(Text("✗", style="bold red"),
                     Group(_headline(item, f"{item['kind']}: "),
                           Text("\n".join(item["rationale"]))))
    return Group(Text("Avoid", style="bold red"), body)


def _show_delim(delimiter: str) -> str:
    return {"\t": "tab", ",": "','", ";": "';'", "|": "'|'"}.get(delimiter, repr(delimiter))


def _num(value: float) -> str:
    if abs(value) >= 1e6:
        return f"{value:,.0f}"
    return f"{value:,.4g}"
