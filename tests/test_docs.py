"""Generated documentation is committed and must stay current (like ruff's docs check)."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT, run

GENERATED = {
    "docs/rules.md": ["explain", "--all", "--format", "markdown"],
    "docs/traits.md": ["traits", "--format", "markdown"],
}


@pytest.mark.parametrize("path", GENERATED)
def test_generated_docs_are_current(path):
    expected = run(GENERATED[path]).stdout
    actual = (ROOT / path).read_text(encoding="utf-8")
    assert actual == expected, f"{path} is stale: run `lossadvisor {' '.join(GENERATED[path])}"
    f" > {path}`"


def test_readme_set_up_commands_are_the_ones_ci_runs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = re.findall(r"^    (pip install .+)$", readme, flags=re.MULTILINE)
    assert len(commands) == 2, commands
    test_command = next(c for c in commands if "pytest" in c)
    assert test_command in ci


def test_readme_lint_rule_table_is_current():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start, end = "<!-- lint-rules:start -->\n", "<!-- lint-rules:end -->"
    block = readme.split(start, 1)[1].split(end, 1)[0]
    expected = run(["rules", "--kind", "lint", "--format", "markdown"]).stdout
    assert block == expected, "README lint table is stale: paste `lossadvisor rules --kind " \
        "lint --format markdown` between the lint-rules markers"
