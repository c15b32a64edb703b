"""Rule references cite public sources users can open (the survey, scikit-learn's user guide,
each framework's documentation), never files only this project's authors have."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest

from advisor.ruleset import load_rules

PUBLIC_HOSTS = {"arxiv.org", "scikit-learn.org", "pytorch.org", "docs.pytorch.org", "keras.io",
                "xgboost.readthedocs.io", "lightgbm.readthedocs.io", "catboost.ai"}
"""Where the cited documentation lives; a new host is a deliberate addition here."""
PRIVATE = re.compile(r"seed \d{3}|reference \([a-z]\d*\)|seeds/|shared/reference",
                     re.IGNORECASE)
RULES = [r for r in load_rules().rules if r.builtin]


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_references_are_public_sources(rule):
    assert rule.references
    for reference in rule.references:
        assert not PRIVATE.search(reference), f"{rule.id} cites a private note: {reference}"
    urls = [u for ref in rule.references for u in re.findall(r"https?://\S+", ref)]
    assert all(u.startswith("https://") for u in urls)
    assert {urlparse(u).hostname for u in urls} <= PUBLIC_HOSTS


def test_most_rules_link_their_sources():
    linked = [r.id for r in RULES if any("https://" in ref for ref in r.references)]
    assert len(linked) >= 0.75 * len(RULES), sorted({r.id for r in RULES} - set(linked))


def test_the_survey_is_cited_by_its_arxiv_page():
    cited = [ref for r in RULES for ref in r.references if "2307.02694" in ref]
    assert cited and all(ref.endswith("https://arxiv.org/abs/2307.02694") for ref in cited)
