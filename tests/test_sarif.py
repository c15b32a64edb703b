"""SARIF links and fingerprints: nothing points at a page that does not exist, each rule links
its section of docs/rules.md when the package declares where that lives, and a finding keeps
its fingerprint when the lines above it change."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import run

from advisor.render import lint as lint_render

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "lint"
PAGE = "https://example.org/lossadvisor/docs/rules.md"


def _sarif(monkeypatch, folder: Path, *files: str) -> dict:
    monkeypatch.chdir(folder)
    return json.loads(run(["lint", *files, "--format", "sarif"]).stdout)


def test_no_links_without_declared_project_urls(monkeypatch):
    monkeypatch.setattr(lint_render, "project_urls", lambda: {})
    doc = _sarif(monkeypatch, FIXTURES, "hydra_bad.yaml")
    driver = doc["runs"][0]["tool"]["driver"]
    assert "informationUri" not in driver
    assert all("helpUri" not in rule for rule in driver["rules"])
    assert "pypi.org" not in json.dumps(doc)


def test_help_uri_is_the_rule_section_of_the_declared_rules_page(monkeypatch):
    monkeypatch.setattr(lint_render, "project_urls",
                        lambda: {"repository": "https://example.org/lossadvisor", "rules": PAGE})
    driver = _sarif(monkeypatch, FIXTURES, "hydra_bad.yaml")["runs"][0]["tool"]["driver"]
    assert driver["informationUri"] == "https://example.org/lossadvisor"
    assert {r["id"]: r["helpUri"] for r in driver["rules"]}["LNT103"] == f"{PAGE}#lnt103"
    anchors = {line[len("## "):].strip().lower() for line in
               (Path(__file__).resolve().parent.parent / "docs" / "rules.md").read_text(
                   encoding="utf-8").splitlines() if line.startswith("## ")}
    assert {r["helpUri"].rsplit("#", 1)[1] for r in driver["rules"]} <= anchors


def test_fingerprints_survive_lines_inserted_above(tmp_path, monkeypatch):
    config = tmp_path / "train.yaml"
    shutil.copy(FIXTURES / "hydra_bad.yaml", config)
    text = config.read_text(encoding="utf-8").replace("../../../sample_data", str(
        Path(__file__).resolve().parent.parent / "sample_data"))
    config.write_text(text, encoding="utf-8")
    lint_render._source_lines.cache_clear()
    before = _sarif(monkeypatch, tmp_path, "train.yaml")["runs"][0]["results"]
    config.write_text("# a comment\n# and another\n" + text, encoding="utf-8")
    lint_render._source_lines.cache_clear()
    after = _sarif(monkeypatch, tmp_path, "train.yaml")["runs"][0]["results"]

    def prints(results):
        return {(r["ruleId"], r["partialFingerprints"]["lossadvisorFinding/v1"])
                for r in results}

    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in after] == [
        r["locations"][0]["physicalLocation"]["region"]["startLine"] + 2 for r in before]
    assert prints(before) == prints(after)
    assert len(prints(before)) == len(before)  # distinct findings, distinct fingerprints
