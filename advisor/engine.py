"""Profile + rules → ranked losses, metrics and things to avoid, each with the rules behind it.

Every recommendation rule that fires adds its weights; "avoid" effects then remove entries
outright, whatever their score, because one sound objection (MAPE on a target with zeros) outweighs
any number of mild preferences. Ranking is deterministic: higher total weight first, then more
supporting rules, then the catalog's order (plainer, more standard choices first).

One guarantee is checked after ranking: the first metric scores what the first loss estimates (a
strictly consistent scoring function for its functional, per the catalog's ``functionals``), or
it carries a note saying why it departs. A model selected by a metric that scores another
functional (MAE for a Gamma model of the mean) is selected for the wrong thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from advisor import template
from advisor.catalog import Catalog
from advisor.ruleset import Rule, RuleSet
from advisor.thresholds import DEFAULT_THRESHOLDS, Thresholds, threshold_facts


@dataclass
class Recommendation:
    id: str
    kind: str
    name: str
    score: float
    rank: int = 0
    rules: list[str] = field(default_factory=list)
    rationale: list[str] = field(default_factory=list)
    frameworks: dict[str, str] = field(default_factory=dict)
    note: str | None = None
    """Why this metric leads although it is not strictly consistent with the first loss, or
    why it was moved to the front; None otherwise."""


@dataclass
class Avoidance:
    id: str
    kind: str
    name: str
    rules: list[str] = field(default_factory=list)
    rationale: list[str] = field(default_factory=list)


@dataclass
class Advice:
    losses: list[Recommendation]
    metrics: list[Recommendation]
    avoid: list[Avoidance]
    fired: list[str]


def advise(facts: dict[str, Any], ruleset: RuleSet,
           thresholds: Thresholds = DEFAULT_THRESHOLDS) -> Advice:
    """Evaluate every recommendation rule against ``facts`` and rank what they propose."""
    catalog = ruleset.catalog
    names = {**threshold_facts(thresholds), **facts}
    encoding = facts.get("label_encoding")
    fired = [rule for rule in ruleset.of_kind("recommend") if rule.fires(facts)]
    scores: dict[tuple[str, str], Recommendation] = {}
    avoided: dict[tuple[str, str], Avoidance] = {}
    for rule in fired:
        for kind, effects in (("loss", rule.losses), ("metric", rule.metrics)):
            for effect in effects:
                key = (kind, effect.id)
                entry = catalog.get(kind, effect.id)
                rec = scores.setdefault(
                    key, Recommendation(effect.id, kind, entry.name, 0.0,
                                        frameworks=entry.framework_names(encoding)),
                )
                rec.score += effect.weight
                if rule.id not in rec.rules:
                    rec.rules.append(rule.id)
                    rec.rationale.append(rationale(rule, effect.rationale, names))
        for avoid in rule.avoid:
            key = (avoid.kind, avoid.id)
            entry = catalog.get(avoid.kind, avoid.id)
            item = avoided.setdefault(key, Avoidance(avoid.id, avoid.kind, entry.name))
            if rule.id not in item.rules:
                item.rules.append(rule.id)
                item.rationale.append(_reason(rule, avoid.reason, names))
    for key in avoided:
        scores.pop(key, None)
    losses = _rank([r for r in scores.values() if r.kind == "loss"], catalog)
    metrics = _rank([r for r in scores.values() if r.kind == "metric"], catalog)
    _lead_metric(losses, metrics, catalog)
    avoid = sorted(avoided.values(), key=lambda a: (a.kind, catalog.get(a.kind, a.id).order))
    return Advice(losses, metrics, avoid, [r.id for r in fired])


def rationale(rule: Rule, own: str, names: dict[str, Any]) -> str:
    """The text printed under one entry: the rule's rationale (the data behind it), then the
    effect's own sentence (what that means for this entry). Parts whose numbers the data do
    not give are left out (``recommend`` has no data); with nothing left, the rule's summary."""
    parts = [template.render_complete(text, names) for text in (rule.rationale, own) if text]
    kept = [p for p in parts if p]
    return " ".join(kept) if kept else rule.summary


def _reason(rule: Rule, reason: str, names: dict[str, Any]) -> str:
    """An avoid reason, or the rule's rationale; the summary when numbers are missing."""
    text = template.render_complete(reason or rule.rationale, names)
    return text if text is not None else rule.summary


def _rank(items: list[Recommendation], catalog: Catalog) -> list[Recommendation]:
    kept = [item for item in items if item.score > 0]
    kept.sort(key=lambda r: (-r.score, -len(r.rules), catalog.get(r.kind, r.id).order))
    for rank, item in enumerate(kept, start=1):
        item.rank = rank
        item.score = round(item.score, 6)
    return kept


def _lead_metric(losses: list[Recommendation], metrics: list[Recommendation],
                 catalog: Catalog) -> None:
    """Make the first metric score what the first loss estimates, or say why it departs.

    The rules' weights normally get this right; when they do not (several rules adding up),
    the best-ranked strictly consistent metric moves to the front, else the best-ranked
    accepted departure, with the catalog's reason as its note.
    """
    if not losses or not metrics:
        return
    loss = catalog.get("loss", losses[0].id)
    functional = catalog.functionals.get(loss.estimates)
    if functional is None:
        return

    def scores(rec: Recommendation) -> str:
        return catalog.get("metric", rec.id).estimates

    lead = metrics[0]
    if scores(lead) in functional.scored_by:
        return
    if scores(lead) in functional.departs:
        lead.note = functional.departs[scores(lead)]
        return
    chosen = next((m for m in metrics if scores(m) in functional.scored_by), None)
    if chosen is not None:
        chosen.note = (f"Ranked first: it scores {functional.meaning}, which "
                       f"{loss.name} estimates.")
    else:
        chosen = next((m for m in metrics if scores(m) in functional.departs), None)
        if chosen is None:
            lead.note = (f"No recommended metric scores {functional.meaning}, which "
                         f"{loss.name} estimates; judge the model with care.")
            return
        chosen.note = functional.departs[scores(chosen)]
    metrics.remove(chosen)
    metrics.insert(0, chosen)
    for rank, item in enumerate(metrics, start=1):
        item.rank = rank


def snippet(advice: Advice, ruleset: RuleSet, framework: str, facts: dict[str, Any]
            ) -> tuple[str, str, list[str]] | None:
    """Code for the best-ranked loss that ``framework`` can express, with data-derived weights.

    Returns (loss id, code, placeholders): values only data can give (a class weight without
    a profiled dataset) stay as named placeholders such as ``POS_WEIGHT``. None when no
    recommended loss has a snippet for the framework.
    """
    for rec in advice.losses:
        entry = ruleset.catalog.get("loss", rec.id)
        code = entry.snippet(framework, facts.get("label_encoding"))
        if code:
            text, holes = template.render_code(code, facts)
            return rec.id, text, [template.placeholder(h) for h in holes]
    return None
