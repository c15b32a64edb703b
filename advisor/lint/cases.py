"""Run lint rules' examples the way a project runs lint: each example's config text written under
its own file name, with the files beside it and its data, read by the dialect readers, turned
into facts and checked by the rule. The test suite runs the built-in rules' examples with it and
``lossadvisor rules --test`` a rule author's own, so an example cannot drift from what the
readers read."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from advisor.errors import InputError
from advisor.ruleset import Case, Rule, RuleSet

INLINE_DATA = "data.csv"
"""The file an example's inline CSV is written to."""


@dataclass
class Outcome:
    rule: Rule
    case: Case
    problem: str
    """Why the example does not hold ('' when it does)."""


def run_case(rule: Rule, case: Case, ruleset: RuleSet, folder: Path) -> Outcome:
    """Lint one example in ``folder`` (an empty scratch folder) and say whether it holds."""
    from advisor.lint.check import lint_paths
    from advisor.thresholds import DEFAULT_THRESHOLDS

    config = folder / case.file
    config.write_text(case.config, encoding="utf-8")
    for name, text in case.files.items():
        (folder / name).write_text(text, encoding="utf-8")
    data = None
    if case.data is not None and "\n" in case.data:
        data = folder / INLINE_DATA
        data.write_text(case.data, encoding="utf-8")
    elif case.data is not None:
        data = Path(case.folder) / case.data
        if not data.is_file():
            return Outcome(rule, case, f"data file {data} not found")
    try:
        result = lint_paths([config], ruleset, str(data) if data else None, case.target, [],
                            DEFAULT_THRESHOLDS)
    except InputError as exc:
        return Outcome(rule, case, exc.one_line())
    if result.not_understood():
        return Outcome(rule, case, f"no loss or metric read from {case.file}")
    if any(s.rule == rule.id for s in result.skipped):
        return Outcome(rule, case, "the rule was skipped: give the example data (or a task)")
    fired = any(f.rule == rule.id for f in [*result.findings, *result.suppressed])
    if fired is not case.fires:
        return Outcome(rule, case, "the rule fired" if fired else "the rule did not fire")
    return Outcome(rule, case, "")


def run_cases(rules: list[Rule], ruleset: RuleSet) -> list[Outcome]:
    """Every example of ``rules``, each in its own scratch folder."""
    outcomes = []
    with tempfile.TemporaryDirectory(prefix="lossadvisor-examples-") as scratch:
        for n, (rule, case) in enumerate((r, c) for r in rules for c in r.cases):
            folder = Path(scratch) / str(n)
            folder.mkdir()
            outcomes.append(run_case(rule, case, ruleset, folder))
    return outcomes
