"""Lint output formats: text, json, github (workflow commands), sarif 2.1.0 and markdown.

Each renderer returns a string. SARIF's ``rules[]`` comes from the same rule documentation as
``lossadvisor explain``, so code scanning shows the why and the references next to an alert.
Findings quote config values and paths: the text, github and markdown renderers show them with
their control characters made visible, and the JSON ones escape every control character.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

from advisor import __version__
from advisor.lint.check import Finding, LintResult
from advisor.render.common import cell, rule_markdown, shown
from advisor.render.visible import dump_json, visible
from advisor.ruleset import RuleSet

SARIF_LEVELS = {"error": "error", "warning": "warning", "info": "note"}
FINGERPRINT_KEY = "lossadvisorFinding/v1"
"""partialFingerprints key; bump the version if what the hash covers ever changes."""


@cache
def project_urls() -> dict[str, str]:
    """The ``[project.urls]`` of the installed distribution (empty when none are declared).

    SARIF links (``informationUri``, each rule's ``helpUri``) are built only from URLs the
    package itself declares, so a report never points at a page that does not exist.
    """
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        entries = metadata("lossadvisor").get_all("Project-URL") or []
    except PackageNotFoundError:
        return {}
    urls = {}
    for entry in entries:
        label, _, url = entry.partition(",")
        urls[label.strip().lower()] = url.strip()
    return urls


def _driver_links() -> dict[str, str]:
    urls = project_urls()
    home = urls.get("homepage") or urls.get("repository") or urls.get("source")
    return {"informationUri": home} if home else {}


def _help_uri(rule_id: str) -> dict[str, str]:
    """The rule's section of docs/rules.md, when the package declares where that page lives."""
    page = project_urls().get("rules")
    return {"helpUri": f"{page}#{rule_id.lower()}"} if page else {}


@cache
def _source_lines(path: str) -> tuple[str, ...]:
    try:
        return tuple(Path(path).read_text(encoding="utf-8", errors="replace").splitlines())
    except (OSError, ValueError):  # ValueError: a NUL in the path
        return ()


def fingerprint(finding: Finding) -> str:
    """Stable across commits that move the finding: rule, file, model and the line's text.

    The line number is left out, so code scanning keeps one alert while lines above it change;
    a file that cannot be read again falls back to the line number.
    """
    lines = _source_lines(finding.path)
    text = (lines[finding.line - 1].strip() if 0 < finding.line <= len(lines)
            else str(finding.line))
    key = "\0".join([finding.rule, _uri(finding.path), finding.model or "", text])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def summary_line(result: LintResult) -> str:
    """Counts only, however many files were linted; the lists behind them are in
    :func:`detail_lines` (``--verbose``), the Markdown sections and the JSON document."""
    counts = result.counts()
    total = sum(counts.values())
    parts = [f"{total} finding{'s' if total != 1 else ''}"]
    details = [f"{n} {k}{'s' if n != 1 and k != 'info' else ''}" for k, n in counts.items() if n]
    if details:
        parts[0] += f" ({', '.join(details)})"
    if result.suppressed:
        parts.append(f"{len(result.suppressed)} suppressed")
    skipped = sorted({s.rule for s in result.skipped})
    if skipped:
        parts.append(f"{len(skipped)} check{'s' if len(skipped) != 1 else ''} skipped without "
                     "data")
    files, models = len(result.files), len(result.configs)
    checked = f"{files} file{'s' if files != 1 else ''} checked"
    if models > files:
        checked += f" ({models} models)"
    parts.append(checked)
    if result.without_data:
        parts.append(f"{len(result.without_data)} checked without data")
    unread = result.not_understood()
    if unread:
        parts.append(f"{len(unread)} not understood (no loss or metric recognized)")
    return "; ".join(parts)


def detail_lines(result: LintResult) -> list[str]:
    """The lists behind the summary's counts, one line each (``lint --verbose``)."""
    lines = [f"not understood: {visible(label)}" for label in result.not_understood()]
    lines += [f"checked without data: {visible(label)}" for label in result.without_data]
    skipped = sorted({s.rule for s in result.skipped})
    if skipped:
        lines.append(f"skipped without data: {', '.join(skipped)}")
    return lines


def _visible(finding: Finding) -> Finding:
    return replace(finding, path=visible(finding.path), message=visible(finding.message),
                   fix=visible(finding.fix), reason=visible(finding.reason),
                   model=None if finding.model is None else visible(finding.model))


def _shown(result: LintResult) -> LintResult:
    """The result as a terminal or a pull-request page may show it."""
    return replace(result, findings=[_visible(f) for f in result.findings],
                   suppressed=[_visible(f) for f in result.suppressed])


def render_text(result: LintResult, ruleset: RuleSet) -> str:
    result = _shown(result)
    lines = [f"{f.path}:{f.line}:{f.col}: {f.rule} [{f.severity}] {f.message}"
             + (f" (model {f.model})" if f.model else "") for f in result.findings]
    return "\n".join(lines) + ("\n" if lines else "")


def _finding_dict(finding: Finding) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "rule": finding.rule,
        "name": finding.name,
        "severity": finding.severity,
        "message": finding.message,
        "path": finding.path,
        "line": finding.line,
        "col": finding.col,
        "fix": finding.fix or None,
        "model": finding.model,
    }
    if finding.suppressed_by:
        doc["suppressed_by"] = finding.suppressed_by
        doc["reason"] = finding.reason or None
    return doc


def render_json(result: LintResult, ruleset: RuleSet) -> str:
    doc = {
        "schema_version": 1,
        "tool": {"name": "lossadvisor", "version": __version__},
        "summary": {**result.counts(), "suppressed": len(result.suppressed),
                    "files": len(result.files), "models": len(result.configs),
                    "not_understood": len(result.not_understood()),
                    "without_data": len(result.without_data)},
        "findings": [_finding_dict(f) for f in result.findings],
        "suppressed": [_finding_dict(f) for f in result.suppressed],
        "skipped": [{"rule": s.rule, "path": s.path, "reason": s.reason}
                    for s in result.skipped],
        "configs": result.configs,
        "without_data": list(result.without_data),
    }
    return dump_json(doc)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(result: LintResult, ruleset: RuleSet) -> str:
    """GitHub Actions workflow commands: one annotation per finding."""
    levels = {"error": "error", "warning": "warning", "info": "notice"}
    result = _shown(result)
    lines = []
    for f in result.findings:
        title = _escape_property(f"{f.rule} {f.name}")
        lines.append(
            f"::{levels[f.severity]} file={_escape_property(f.path)},line={f.line},"
            f"col={f.col},title={title}::{_escape_data(f.message)}"
        )
    for config in result.configs:
        if not config["understood"]:
            lines.append(f"::warning file={_escape_property(visible(config['path']))},line=1,"
                         f"title=not understood::{_escape_data(_NOT_UNDERSTOOD)}")
    if result.without_data and result.skipped:  # one notice, not one per file
        lines.append(f"::notice title=checked without data::{_escape_data(_without_data(result))}")
    return "\n".join(lines) + ("\n" if lines else "")


def _without_data(result: LintResult, listed: str = " (lint --verbose lists them)") -> str:
    count = len(result.without_data)
    rules = len({s.rule for s in result.skipped})
    return (f"{count} config{'s' if count != 1 else ''} checked without data, so {rules} "
            f"data check{'s' if rules != 1 else ''} did not run: pass --data, or name the data "
            f"in the config or in [tool.lossadvisor]{listed}")


_NOT_UNDERSTOOD = ("lossadvisor recognized no loss or metric in this file, so nothing in it was "
                   "checked (name its dialect with --dialect, or see `lint --format json`)")


_NO_DATA = ("lossadvisor checked this config without data, so the checks that need the data "
            "did not run (pass --data, or name the data in the config or in [tool.lossadvisor])")


def _label(config: dict[str, Any]) -> str:
    return config["path"] + (f" [{config['model']}]" if config["model"] else "")


def render_sarif(result: LintResult, ruleset: RuleSet) -> str:
    lint_rules = ruleset.of_kind("lint")
    index = {rule.id: i for i, rule in enumerate(lint_rules)}
    rules = []
    for rule in map(shown, lint_rules):  # code scanning renders these texts
        rules.append({
            "id": rule.id,
            "name": rule.name,
            **_help_uri(rule.id),
            "shortDescription": {"text": rule.summary},
            "fullDescription": {"text": rule.why},
            "help": {"text": f"{rule.why}\n\nFix: {rule.fix}" if rule.fix else rule.why,
                     "markdown": rule_markdown(rule)},
            "defaultConfiguration": {"level": SARIF_LEVELS[rule.severity or "warning"]},
            "properties": {"tags": ["ml", "loss", "metrics"], "references": rule.references},
        })
    results = []
    for finding in [*result.findings, *result.suppressed]:
        item: dict[str, Any] = {
            "ruleId": finding.rule,
            "ruleIndex": index[finding.rule],
            "level": SARIF_LEVELS[finding.severity],
            "message": {"text": visible(finding.message)},
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": {"uri": _uri(finding.path)},
                    "region": {"startLine": finding.line, "startColumn": finding.col},
                }
            }],
            "partialFingerprints": {FINGERPRINT_KEY: fingerprint(finding)},
        }
        if finding.suppressed_by:
            item["suppressions"] = [{
                "kind": "inSource" if finding.suppressed_by == "comment" else "external",
                "justification": finding.reason or "",
            }]
        results.append(item)
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "lossadvisor", "version": __version__,
                                **_driver_links(), "rules": rules}},
            "results": results,
            "invocations": [{
                "executionSuccessful": True,
                "toolExecutionNotifications": [
                    {"level": "warning", "message": {"text": _NOT_UNDERSTOOD},
                     "locations": [{"physicalLocation": {
                         "artifactLocation": {"uri": _uri(config["path"])}}}]}
                    for config in result.configs if not config["understood"]
                ] + [
                    {"level": "note", "message": {"text": _NO_DATA},
                     "locations": [{"physicalLocation": {
                         "artifactLocation": {"uri": _uri(path)}}}]}
                    for path in sorted({c["path"] for c in result.configs
                                        if _label(c) in result.without_data})
                ],
            }],
        }],
    }
    return dump_json(doc)


def _uri(path: str) -> str:
    """Repository-relative URIs when possible, as code scanning expects."""
    p = Path(path)
    if p.is_absolute():
        try:
            p = p.relative_to(Path.cwd())
        except ValueError:
            return p.as_uri()
    return p.as_posix()


def render_markdown(result: LintResult, ruleset: RuleSet) -> str:
    result = _shown(result)
    lines = ["# lossadvisor lint", "", summary_line(result), ""]
    if result.findings:
        lines += ["| Location | Rule | Severity | Message |", "|---|---|---|---|"]
        for f in result.findings:
            where = f"{f.path}:{f.line}:{f.col}" + (f" [{f.model}]" if f.model else "")
            lines.append(f"| `{cell(where)}` | {f.rule} `{f.name}` | {f.severity} "
                         f"| {cell(f.message)} |")
        lines.append("")
    unread = result.not_understood()
    if unread:
        lines += ["## Not understood", "", _NOT_UNDERSTOOD + ":", ""]
        lines += [f"- `{cell(visible(path))}`" for path in unread]
        lines.append("")
    if result.without_data and result.skipped:
        skipped = sorted({s.rule for s in result.skipped})
        lines += ["## Checked without data", "", f"Skipped checks: {', '.join(skipped)}.", "",
                  "<details><summary>" + cell(_without_data(result, "")) + "</summary>", ""]
        lines += [f"- `{cell(visible(label))}`" for label in result.without_data]
        lines += ["", "</details>", ""]
    if result.suppressed:
        lines += ["## Suppressed", "", "| Location | Rule | How | Reason |", "|---|---|---|---|"]
        for f in result.suppressed:
            lines.append(f"| `{f.path}:{f.line}` | {f.rule} | {f.suppressed_by} | "
                         f"{cell(f.reason or '')} |")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


RENDERERS = {
    "text": render_text,
    "json": render_json,
    "github": render_github,
    "sarif": render_sarif,
    "markdown": render_markdown,
}
