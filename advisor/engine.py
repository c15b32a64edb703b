"""Profile + rules → ranked losses, metrics and things to avoid, each with the rules behind it.

Every recommendation rule that fires adds its weights; "avoid" effects then remove entries
outright, whatever their score, because one sound objection (MAPE on a target with zeros) outweighs
any number of mild preferences. Ranking is deterministic: higher total weight first, then more
supporting rules, then the catalog's order (plainer, more standard choices first).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from advisor import template
from advisor.catalog import Catalog
from advisor.ruleset import RuleSet


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


def advise(facts: dict[str, Any], ruleset: RuleSet) -> Advice:
    """Evaluate every recommendation rule against ``facts`` and rank what they propose."""
    catalog = ruleset.catalog
    fired = [rule for rule in ruleset.of_kind("recommend") if rule.fires(facts)]
    scores: dict[tuple[str, str], Recommendation] = {}
    avoided: dict[tuple[str, str], Avoidance] = {}
    for rule in fired:
        text = template.render(rule.rationale, facts)
        for kind, effects in (("loss", rule.losses), ("metric", rule.metrics)):
            for effect in effects:
                key = (kind, effect.id)
                entry = catalog.get(kind, effect.id)
                rec = scores.setdefault(
                    key, Recommendation(effect.id, kind, entry.name, 0.0,
                                        frameworks=entry.framework_names()),
                )
                rec.score += effect.weight
                if rule.id not in rec.rules:
                    rec.rules.append(rule.id)
                    rec.rationale.append(text)
        for avoid in rule.avoid:
            key = (avoid.kind, avoid.id)
            entry = catalog.get(avoid.kind, avoid.id)
            item = avoided.setdefault(key, Avoidance(avoid.id, avoid.kind, entry.name))
            if rule.id not in item.rules:
                item.rules.append(rule.id)
                reason = template.render(avoid.reason, facts) if avoid.reason else text
                item.rationale.append(reason)
    for key in avoided:
        scores.pop(key, None)
    losses = _rank([r for r in scores.values() if r.kind == "loss"], catalog)
    metrics = _rank([r for r in scores.values() if r.kind == "metric"], catalog)
    avoid = sorted(avoided.values(), key=lambda a: (a.kind, catalog.get(a.kind, a.id).order))
    return Advice(losses, metrics, avoid, [r.id for r in fired])


def _rank(items: list[Recommendation], catalog: Catalog) -> list[Recommendation]:
    kept = [item for item in items if item.score > 0]
    kept.sort(key=lambda r: (-r.score, -len(r.rules), catalog.get(r.kind, r.id).order))
    for rank, item in enumerate(kept, start=1):
        item.rank = rank
        item.score = round(item.score, 6)
    return kept


def snippet(advice: Advice, ruleset: RuleSet, framework: str, facts: dict[str, Any]
            ) -> tuple[str, str] | None:
    """Code for the best-ranked loss that ``framework`` can express, with data-derived weights.

    Returns (loss id, code); None when no recommended loss has a snippet for the framework.
    """
    for rec in advice.losses:
        entry = ruleset.catalog.get("loss", rec.id)
        code = entry.snippets.get(framework)
        if code:
            return rec.id, template.render(code, facts)
    return None
