"""Assemble the versioned result document that every output format renders.

The JSON form of this document is a public interface (schema_version 2, published in
``advisor/schema/report.schema.json``): keys come in a fixed order and floats are rounded to ten
significant digits, so the same input gives byte-identical output on every run.
"""

from __future__ import annotations

from typing import Any

from advisor import __version__
from advisor.engine import Advice, Avoidance, Recommendation
from advisor.profile import Profile
from advisor.render.common import clean

SCHEMA_VERSION = 2
"""2: several numeric target columns are profiled one by one, under ``columns`` (version 1
mixed their statistics into one profile)."""


def _recommendation(rec: Recommendation) -> dict[str, Any]:
    out = {
        "id": rec.id,
        "rank": rec.rank,
        "name": rec.name,
        "score": rec.score,
        "rationale": rec.rationale,
        "rules": rec.rules,
        "frameworks": rec.frameworks,
    }
    if rec.note:
        out["note"] = rec.note
    return out


def _avoidance(item: Avoidance) -> dict[str, Any]:
    return {
        "id": item.id,
        "kind": item.kind,
        "name": item.name,
        "rationale": item.rationale,
        "rules": item.rules,
    }


ColumnReport = tuple[Profile, Advice | None, dict[str, Any] | None]


def build_report(
    profile: Profile,
    advice: Advice | None,
    snippet: dict[str, str] | None = None,
    columns: list[ColumnReport] | None = None,
) -> dict[str, Any]:
    """The document for ``profile`` and ``recommend``; ``advice`` None leaves the lists empty.

    With ``columns`` (several numeric targets), each column's profile and advice is its own
    section and the top level keeps only what they share.
    """
    stats = dict(profile.stats)
    if profile.columns:
        stats["columns"] = profile.columns
    doc: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "lossadvisor", "version": __version__},
        "dataset": profile.dataset or None,
        "target": profile.target,
        "target_reason": profile.target_reason or None,
        **_section(profile, advice, snippet, stats),
    }
    if columns:
        doc["columns"] = [
            {"target": single.target[0], **_section(single, adv, snip, dict(single.stats))}
            for single, adv, snip in columns
        ]
    return clean(doc)


def _section(profile: Profile, advice: Advice | None, snippet: dict[str, str] | None,
             stats: dict[str, Any]) -> dict[str, Any]:
    """Task, traits, statistics and advice of one target (or of what several share)."""
    out: dict[str, Any] = {
        "task": profile.task,
        "task_reason": profile.task_reason,
        "task_alternatives": [{"task": a.task, "reason": a.reason}
                              for a in profile.task_alternatives],
        "traits": [{"name": t.name, "evidence": t.evidence} for t in profile.traits],
        "profile": stats,
        "context": profile.context or None,
        "losses": [_recommendation(r) for r in advice.losses] if advice else [],
        "metrics": [_recommendation(r) for r in advice.metrics] if advice else [],
        "avoid": [_avoidance(a) for a in advice.avoid] if advice else [],
        "rules_fired": advice.fired if advice else [],
    }
    if snippet:
        out["snippet"] = snippet
    return out
