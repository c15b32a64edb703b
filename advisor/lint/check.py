"""Run the lint rules over normalized configs: facts, findings, suppressions, skipped checks.

Lint rules live in ``rules/`` beside the recommendation rules and use the same condition
language; their facts, and what each needs (the data or a task), are declared where they are
computed, in :mod:`advisor.lint.facts`. A rule whose condition needs the data, or the task, is
skipped, and reported as skipped, when neither is available: silence must never look like a
clean bill of health.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from advisor import template
from advisor.catalog import Catalog
from advisor.conditions import referenced_facts
from advisor.errors import InputError
from advisor.lint.facts import compute, requirements
from advisor.lint.locate import bare_ignores, suppressions
from advisor.lint.model import Located, ModelConfig, Setting
from advisor.ruleset import Rule, RuleSet

SEVERITY_ORDER = {"info": 0, "warning": 1, "error": 2}


@dataclass
class Finding:
    rule: str
    name: str
    severity: str
    message: str
    path: str
    line: int
    col: int
    fix: str = ""
    model: str | None = None
    suppressed_by: str | None = None
    reason: str = ""


@dataclass
class Skipped:
    rule: str
    path: str
    reason: str


@dataclass
class LintResult:
    findings: list[Finding] = field(default_factory=list)
    suppressed: list[Finding] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    without_data: list[str] = field(default_factory=list)
    """Configs checked without data (the data-gated rules were skipped for them)."""
    configs: list[dict[str, Any]] = field(default_factory=list)
    """What was read from each model config (advisor.lint.report.understood)."""

    def not_understood(self) -> list[str]:
        """Configs in which no loss or metric was recognized."""
        return [c["path"] + (f" [{c['model']}]" if c["model"] else "")
                for c in self.configs if not c["understood"]]
    data_files: list[str] = field(default_factory=list)
    """The data the configs named and lint read (``--output`` must not replace them)."""

    def counts(self) -> dict[str, int]:
        out = {"error": 0, "warning": 0, "info": 0}
        for finding in self.findings:
            out[finding.severity] += 1
        return out


def lint_model(
    model: ModelConfig,
    ruleset: RuleSet,
    profile_facts: dict[str, Any] | None,
    extra_ignore: list[str],
    result: LintResult,
) -> None:
    """Evaluate every lint rule on one model config and file the outcome in ``result``."""
    facts = compute(model, ruleset.catalog, profile_facts)
    task = facts["task"]
    comments = suppressions(model.lines)
    for number in bare_ignores(model.lines):
        message = (f"{model.path}:{number}: '# lossadvisor: ignore' names no rule, so it "
                   "suppresses nothing; write ignore[LNT103] with the rule ids")
        if message not in result.notes:
            result.notes.append(message)
    ignored = {r.upper() for r in [*model.ignore, *extra_ignore]}
    for rule in ruleset.of_kind("lint"):
        needs = requirements(rule.when)
        if "data" in needs and profile_facts is None:
            result.skipped.append(Skipped(rule.id, model.label, "needs the data (--data)"))
            continue
        if "task" in needs and task is None:
            result.skipped.append(Skipped(rule.id, model.label, "needs the data or a task"))
            continue
        if not rule.fires(facts):
            continue
        line, col = _location(rule, model, facts)
        finding = Finding(
            rule=rule.id, name=rule.name, severity=rule.severity or "warning",
            message=template.render(rule.message, facts), path=model.path, line=line, col=col,
            fix=template.render(rule.fix, facts) if rule.fix else "", model=model.name,
        )
        comment = comments.get(line)
        if comment and (rule.id in comment[0] or rule.name.upper() in comment[0]):
            finding.suppressed_by, finding.reason = "comment", comment[1]
            result.suppressed.append(finding)
        elif rule.id in ignored or rule.name.upper() in ignored:
            finding.suppressed_by = "config"
            result.suppressed.append(finding)
        else:
            result.findings.append(finding)


def _location(rule: Rule, model: ModelConfig, facts: dict[str, Any]) -> tuple[int, int]:
    """Point at the offending key: the rule's ``applies_to`` setting, narrowed to the metric
    the rule is about when it names one."""
    target = rule.applies_to or "loss"
    for fact in ("unknown_names", "unrecognized_names"):
        if fact in referenced_facts(rule.when):
            named = set(facts.get(fact) or ())
            for setting in [model.loss, *model.losses, *model.metrics]:
                if setting is not None and setting.name in named:
                    return setting.line, setting.col
    if target == "metrics" and model.metrics:
        focus = _metric_focus(rule, facts)
        chosen = next((m for m in model.metrics if m.canonical in focus), model.metrics[0])
        return chosen.line, chosen.col
    if target == "loss" and model.loss:
        return model.loss.line, model.loss.col
    if target in model.options:
        option = model.options[target]
        return option.line, option.col
    first: Setting | None = model.loss or (model.metrics[0] if model.metrics else None)
    if first is not None:
        return first.line, first.col
    return 1, 1


def _metric_focus(rule: Rule, facts: dict[str, Any]) -> set[str]:
    focus: set[str] = set()

    def visit(node: dict[str, Any]) -> None:
        for group in ("all", "any"):
            for child in node.get(group, []):
                visit(child)
        if "not" in node:
            return  # metrics a rule requires to be absent are not where the problem is
        if node.get("fact") == "metrics":
            value = node.get("value")
            focus.update(value if isinstance(value, list) else [value])
        if node.get("fact") in ("unfit_metrics", "metric_loss_mismatch"):
            focus.update(facts.get(node["fact"]) or [])

    visit(rule.when)
    return focus


def lint_paths(
    paths: list[Path],
    ruleset: RuleSet,
    data: str | None,
    target: str | None,
    project_ignore: list[str],
    thresholds: Any,
    dialect: str | None = None,
    defaults: tuple[str | None, str | None] = (None, None),
) -> LintResult:
    """Lint config files; ``data``/``target`` override what the configs name."""
    from advisor.lint.dialects import read_config
    from advisor.lint.report import understood

    result = LintResult()
    profiles: dict[tuple[str, str | None], dict[str, Any]] = {}
    for path in paths:
        models = read_config(path, ruleset.catalog, dialect)
        result.files.append(str(path))
        for model in models:
            entry = len(result.configs)
            result.configs.append(understood(model))
            result.notes.extend(f"{model.label}: {note}" for note in model.notes)
            if model.empty():
                continue
            if model.data is None and defaults[0] and model.dialect != "lossadvisor":
                # [tool.lossadvisor] data/target reach every config that names none
                model.data = Located(defaults[0], 1, 1, "data")
                if model.target is None and defaults[1]:
                    model.target = Located(defaults[1], 1, 1, "target")
            facts = _profile_facts(model, data, target, thresholds, profiles, result,
                                   ruleset.catalog)
            if facts is None and model.dialect != "lossadvisor":
                result.without_data.append(model.label)
            lint_model(model, ruleset, facts, project_ignore, result)
            # The names as judged: a spelling frameworks share is read by the data's task.
            judged = understood(model)
            result.configs[entry].update({k: judged[k] for k in ("loss", "losses", "metrics")})
    result.findings.sort(key=lambda f: (f.path, f.line, f.col, f.rule))
    return result


def _profile_facts(
    model: ModelConfig,
    data: str | None,
    target: str | None,
    thresholds: Any,
    cache: dict[tuple[str, str | None], dict[str, Any]],
    result: LintResult,
    catalog: Catalog,
) -> dict[str, Any] | None:
    data_path = data or (model.data.value if model.data else None)
    if not data_path:
        return None
    if model.reading is not None and not data:
        return _cli_data_facts(model, target, thresholds, cache, result, catalog)
    column = target or (model.target.value if model.target else None)
    if column and column.startswith("#"):
        column = _column_by_index(data_path, int(column[1:]), model)
    key = (data_path, column)
    result.data_files.append(data_path)
    if key not in cache:
        from advisor.analyze import analyze

        analysis = analyze(data_path, column, thresholds, notice_context=True)
        result.notes.extend(analysis.notes)
        facts = analysis.profile.facts()
        # A column that looks like a query id, an exposure or an event indicator is context
        # the config must account for (advisor/context.py notices it).
        facts.update({f"{kind}_column": name for kind, name in analysis.context_hints.items()})
        cache[key] = facts
    return _with_context(cache[key], model, data_path, column, thresholds, cache, catalog)


CONTEXT_OF_LOSS = {"ranking": "group", "hazard": "censor"}
"""A loss estimating this needs that context column for the data to show its task."""


def _with_context(facts: dict[str, Any], model: ModelConfig, data_path: str,
                  column: str | None, thresholds: Any,
                  cache: dict[tuple[str, str | None], dict[str, Any]], catalog: Catalog
                  ) -> dict[str, Any]:
    """A ranking or survival loss is judged against the data profiled with the context column
    the data shows (ranking needs the query id, survival the event indicator); without one,
    the target's task is unknown rather than the plain-target task it would look like."""
    kind = _context_kind(model, catalog)
    if kind is None:
        return facts
    found = facts.get(f"{kind}_column")
    if not found:
        return {**facts, "task": None}
    key = (f"{data_path}\0{kind}={found}", column)
    if key not in cache:
        from advisor.analyze import analyze
        from advisor.context import ContextRequest

        analysis = analyze(data_path, column, thresholds, context=ContextRequest(
            **{kind: found}))
        cache[key] = {**facts, **analysis.profile.facts()}
    return cache[key]


def _context_kind(model: ModelConfig, catalog: Catalog) -> str | None:
    """The context column ('group', 'censor') the model's loss needs, if any."""
    entry = catalog.losses.get(model.loss.canonical) if model.loss and model.loss.canonical \
        else None
    kind = CONTEXT_OF_LOSS.get(entry.estimates) if entry else None
    if entry and entry.estimates == "distribution" and "survival" in entry.tasks:
        kind = "censor"  # accelerated failure time
    return kind


def _cli_data_facts(model: ModelConfig, target: str | None, thresholds: Any,
                    cache: dict[tuple[str, str | None], dict[str, Any]], result: LintResult,
                    catalog: Catalog) -> dict[str, Any] | None:
    """The profile of a LightGBM/XGBoost data file read as its CLI reads it
    (advisor/lint/datafile.py). Such configs often name data that is not in the repository
    (downloaded by a script): then the data checks are skipped with a note, not an error."""
    from advisor.analyze import analyze_column
    from advisor.lint.datafile import binary_dataset, groups_file, read_labels

    spec = model.reading if target is None else model.reading.with_label(target)
    binary = binary_dataset(spec.path)
    if not Path(spec.path).is_file() or binary:
        what = f"{spec.path} is {binary}" if binary else f"data file {spec.path} not found"
        result.notes.append(f"{model.label}: {what}; data checks skipped (pass --data and "
                            "--target to run them)")
        return None
    result.data_files.append(spec.path)
    if groups_file(spec).is_file():
        result.data_files.append(str(groups_file(spec)))  # read too: never an --output
    key = (repr(spec), None)
    if key not in cache:
        read = read_labels(spec)
        analysis = analyze_column(read.labels, read.name, thresholds, spec.path, read.format,
                                  read.groups, read.group_source or "query")
        result.notes.extend(read.notes + analysis.notes)
        cache[key] = analysis.profile.facts()
    facts = cache[key]
    groups = facts.get("group_column")
    where = model.data or Located(None, 1, 1, "data")
    model.options["group_info"] = Located(groups or False, where.line, where.col, where.key)
    kind = _context_kind(model, catalog)
    if kind is not None and not facts.get(f"{kind}_column"):
        return {**facts, "task": None}  # no groups (no event indicator): the task is unknown
    return facts


def _column_by_index(data_path: str, index: int, model: ModelConfig) -> str:
    from advisor.io import open_table

    columns = open_table(data_path).columns
    if index >= len(columns):
        raise InputError(f"label_column {index} is beyond the {len(columns)} columns of "
                         f"{data_path}", model.path)
    return columns[index]


def project_data(project: Any) -> tuple[str | None, str | None]:
    """``data`` and ``target`` of ``[tool.lossadvisor]``, the data path relative to the project
    file, as defaults for every config it lists."""
    if project is None:
        return None, None
    section = project.section
    data = section.get("data")
    target = section.get("target")
    path = str(project.path.parent / str(data)) if isinstance(data, str) and data else None
    return path, str(target) if isinstance(target, str) and target else None


def severity_at_least(severity: str, threshold: str) -> bool:
    return SEVERITY_ORDER[severity] >= SEVERITY_ORDER[threshold]


