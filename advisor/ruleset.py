"""Load and validate rule files, reporting every problem as ``file:line: what is wrong``.

Rules are data (YAML): a rule that names an unknown key, operator, fact, trait, loss or metric is
reported with a did-you-mean, and all problems of all files are reported at once, so a broken rule
set is fixed in one pass instead of one error per run. The built-in set goes through the same
validator and a test fails on any problem, so it can never be skipped silently.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from advisor import template
from advisor.cache import read_rule_data, store
from advisor.catalog import Catalog, load_catalog
from advisor.conditions import GROUPS, OPERATOR_VALUES, OPERATORS, evaluate
from advisor.errors import InputError, ProblemList, did_you_mean, kind_of
from advisor.lint.facts import REGISTRY as LINT_REGISTRY
from advisor.lint.facts import config_facts
from advisor.resources import builtin_rules_dir
from advisor.thresholds import TEMPLATE_THRESHOLDS
from advisor.vocabulary import ALL_TASKS, FACTS, STATISTICS, TRAITS
from advisor.yamlio import LineDict

RULE_KEYS = {
    "id", "name", "kind", "severity", "summary", "why", "references", "when", "then",
    "rationale", "message", "fix", "examples", "applies_to",
}
REQUIRED = ("id", "name", "summary", "why", "references", "when", "rationale", "examples")
TEXT_KEYS = ("id", "name", "kind", "severity", "summary", "why", "rationale",
             "message", "fix", "applies_to")
"""Rule keys whose value is text; the others hold lists or mappings checked on their own."""
SCALARS = (str, int, float, bool, type(None))
"""What a condition may compare a fact with (operators test equality and membership)."""
THEN_KEYS = {"losses", "metrics", "avoid"}
EFFECT_KEYS = {"id", "weight", "rationale"}
AVOID_KEYS = {"id", "kind", "reason"}
EXAMPLE_KEYS = {"profile", "fires"}
CASE_KEYS = {"file", "config", "data", "target", "files", "fires"}
"""A lint rule's example: config text as a project writes it, with the data it is checked
against when the rule reads the data."""
FILE_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.+-]*$")
PROFILE_KEYS = {"task", "traits", "stats"}
KINDS = ("recommend", "lint")
SEVERITIES = ("error", "warning", "info")
ID_PATTERN = re.compile(r"^[A-Z]{2,5}[0-9]{3}$")
NAME_PATTERN = re.compile(r"^[a-z0-9_-]+(\.[a-z0-9_-]+)+$")
CATALOG_FILE = "catalog.yaml"
DATA_FILES = (CATALOG_FILE, "frameworks.yaml")
"""Files in a rules folder that hold knowledge, not rules."""

LINT_FACTS: dict[str, str] = config_facts()
"""Facts a lint rule may read besides the profile's: the normalized config (declared, gated and
computed in advisor/lint/facts.py)."""
APPLIES_TO = ("loss", "metrics", "is_unbalance", "scale_pos_weight", "from_logits",
              "final_activation", "num_class", "class_weight", "pos_weight")
"""Config keys a lint finding can point at."""


@dataclass
class Effect:
    id: str
    weight: float
    rationale: str = ""
    """This entry's own rationale template; empty means the rule's rationale fits it."""


@dataclass
class AvoidEffect:
    id: str
    kind: str
    reason: str = ""


@dataclass
class Example:
    facts: dict[str, Any]
    fires: bool
    where: str


@dataclass
class Case:
    """A lint rule's example, sqlfluff-style: a config file's text in a real dialect's spelling
    (plus data for the rules that read it) and whether the rule fires on it. A test runs every
    case through ``lossadvisor lint``, so an example cannot drift from what the readers read."""

    file: str
    """The name the config is written under (the dialect is told by it and the content)."""
    config: str
    fires: bool
    where: str
    folder: str
    """The rule file's folder: a ``data`` path is relative to it."""
    data: str | None = None
    """Inline CSV (several lines) or the path of a data file."""
    target: str | None = None
    files: dict[str, str] = field(default_factory=dict)
    """Further files written beside the config (a LightGBM data file and its .query file)."""


@dataclass
class Rule:
    """One validated rule: identity, documentation, condition, effects and examples."""

    id: str
    name: str
    kind: str
    summary: str
    why: str
    references: list[str]
    when: dict[str, Any]
    rationale: str
    source: str
    severity: str | None = None
    message: str = ""
    fix: str = ""
    example: str = ""
    losses: list[Effect] = field(default_factory=list)
    metrics: list[Effect] = field(default_factory=list)
    avoid: list[AvoidEffect] = field(default_factory=list)
    examples: list[Example] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    builtin: bool = True
    applies_to: str | None = None

    def fires(self, facts: dict[str, Any]) -> bool:
        return evaluate(self.when, facts)


@dataclass
class RuleSet:
    rules: list[Rule]
    catalog: Catalog

    def by_id(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id.upper() == rule_id.upper()), None)

    def of_kind(self, kind: str) -> list[Rule]:
        return [r for r in self.rules if r.kind == kind]


class RuleFileError(ProblemList):
    """Every problem found in the rule files, one ``file:line: what`` per line."""

    def __init__(self, problems: list[str]):
        super().__init__(problems, "problem(s) in rule files")


def load_rules(extra_dirs: list[Path] | None = None, catalog: Catalog | None = None) -> RuleSet:
    """The built-in rules plus any user rule folders; a user rule replaces a built-in by id."""
    catalog = catalog or load_catalog()
    problems: list[str] = []
    rules = _load_dir(builtin_rules_dir(), catalog, problems, builtin=True)
    for folder in extra_dirs or []:
        if not (folder.is_dir() or folder.is_file()):
            raise InputError("is not a folder or a .yaml rule file", str(folder),
                             "pass --rules FILE.yaml or --rules DIR")
        user = _load_dir(folder, catalog, problems, builtin=False)
        replaced = {r.id for r in user}
        rules = [r for r in rules if r.id not in replaced or not r.builtin] + user
    if problems:
        raise RuleFileError(problems)
    names: dict[str, str] = {}
    for rule in rules:
        if rule.name in names and names[rule.name] != rule.id:
            problems.append(f"{rule.source}: name '{rule.name}' is also used by {names[rule.name]}")
        names[rule.name] = rule.id
    if problems:
        raise RuleFileError(problems)
    return RuleSet(sorted(rules, key=lambda r: r.id), catalog)


def _load_dir(folder: Path, catalog: Catalog, problems: list[str], builtin: bool) -> list[Rule]:
    files = [folder] if folder.is_file() else sorted(
        p for p in folder.glob("*.y*ml") if p.name not in DATA_FILES)
    if not files and not builtin:
        raise InputError("has no .yaml rule files", str(folder))
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for path in files:
        try:
            data, key = read_rule_data(path)
        except InputError as exc:
            problems.append(exc.one_line())
            continue
        before = len(problems)
        sound = validate_file(data, str(path), catalog, problems)
        if len(problems) == before:
            store(key, data)
        for rule in sound:
            if rule.id in seen:
                problems.append(f"{rule.source}: duplicate rule id '{rule.id}' (first at "
                                f"{seen[rule.id]})")
                continue
            seen[rule.id] = rule.source
            rule.builtin = builtin
            rules.append(rule)
    return rules


def validate_file(data: Any, path: str, catalog: Catalog, problems: list[str]) -> list[Rule]:
    """Validate one parsed rule file; append problems, return the rules that are sound."""
    if not isinstance(data, dict) or set(data) != {"rules"} or not isinstance(data["rules"], list):
        line = getattr(data, "line", 1)
        problems.append(f"{path}:{line}: a rule file is a mapping with one key, 'rules', "
                        "holding a list")
        return []
    out = []
    items = data["rules"]
    for index, raw in enumerate(items):
        # Data from the parse cache has no positions (it validated cleanly when stored).
        where = f"{path}:{items.pos(index)[0]}" if hasattr(items, "pos") else path
        checker = _RuleChecker(raw, where, path, catalog)
        rule = checker.check()
        problems.extend(checker.problems)
        if rule is not None and not checker.problems:
            out.append(rule)
    return out


def _text(raw: dict[str, Any], key: str) -> str:
    """A text key's value, or '' when it is missing or of another type (reported already)."""
    value = raw.get(key, "")
    return value if isinstance(value, str) else ""


class _RuleChecker:
    def __init__(self, raw: Any, where: str, path: str, catalog: Catalog):
        self.raw = raw
        self.where = where
        self.path = path
        self.catalog = catalog
        self.problems: list[str] = []

    def at(self, node: Any, key: Any = None) -> str:
        if isinstance(node, LineDict) and key is not None:
            return f"{self.path}:{node.pos(key)[0]}"
        line = getattr(node, "line", 0)
        return f"{self.path}:{line}" if line else self.where

    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def check(self) -> Rule | None:
        raw = self.raw
        if not isinstance(raw, dict):
            self.problem(self.where, "a rule must be a mapping")
            return None
        for key in raw:
            if key not in RULE_KEYS:
                self.problem(self.at(raw, key),
                             f"unknown key '{key}'{did_you_mean(str(key), RULE_KEYS)}")
        for key in TEXT_KEYS:
            if key in raw and not isinstance(raw[key], str):
                self.problem(self.at(raw, key), f"'{key}' must be text, not {kind_of(raw[key])}")
        kind = raw.get("kind", "recommend")
        if isinstance(kind, str) and kind not in KINDS:
            self.problem(self.at(raw, "kind"), f"kind must be one of {', '.join(KINDS)}")
        if kind not in KINDS:
            kind = "recommend"  # go on checking the rest as a recommendation rule
        required = [k for k in REQUIRED if not (kind == "lint" and k == "rationale")]
        required += ["then"] if kind == "recommend" else ["severity", "message"]
        for key in required:
            if key not in raw:
                self.problem(self.where, f"missing required key '{key}'")
        rule_id = _text(raw, "id")
        if rule_id and not ID_PATTERN.match(rule_id):
            self.problem(self.at(raw, "id"), f"id '{rule_id}' must look like REC104 or LNT201")
        name = _text(raw, "name")
        if name and not NAME_PATTERN.match(name):
            self.problem(self.at(raw, "name"),
                         f"name '{name}' must be dotted lowercase, like regression.heavy-tails")
        for key in ("summary", "why", "rationale", "message"):
            if isinstance(raw.get(key), str) and not raw[key].strip():
                self.problem(self.at(raw, key), f"'{key}' must be non-empty text")
        refs = raw.get("references")
        if "references" in raw and (not isinstance(refs, list) or not refs
                                    or not all(isinstance(r, str) for r in refs)):
            self.problem(self.at(raw, "references"),
                         "'references' must be a non-empty list of text")
        severity = _text(raw, "severity") or None
        if kind == "lint" and severity is not None and severity not in SEVERITIES:
            self.problem(self.at(raw, "severity"),
                         f"severity '{severity}' must be one of {', '.join(SEVERITIES)}"
                         f"{did_you_mean(str(severity), SEVERITIES)}")
        applies = _text(raw, "applies_to") or None
        if kind == "lint" and applies is not None and applies not in APPLIES_TO:
            self.problem(self.at(raw, "applies_to"),
                         f"applies_to '{applies}' must be one of {', '.join(APPLIES_TO)}"
                         f"{did_you_mean(str(applies), APPLIES_TO)}")
        if kind == "recommend" and "severity" in raw:
            self.problem(self.at(raw, "severity"), "only lint rules have a severity")
        facts = set(LINT_REGISTRY) if kind == "lint" else set(FACTS) | set(STATISTICS)
        if "when" in raw:
            self.check_condition(raw["when"], facts, self.at(raw, "when"))
        for key in ("rationale", "message", "fix"):
            if isinstance(raw.get(key), str):
                self.check_template(raw[key], facts | TEMPLATE_THRESHOLDS, self.at(raw, key),
                                    key)
        rule = Rule(
            id=rule_id, name=name, kind=kind, summary=_text(raw, "summary").strip(),
            why=_text(raw, "why").strip(), references=refs if isinstance(refs, list) else [],
            when=raw.get("when") or {}, rationale=_text(raw, "rationale").strip(),
            source=self.where, severity=severity, message=_text(raw, "message").strip(),
            fix=_text(raw, "fix").strip(), applies_to=applies,
        )
        if "then" in raw:
            self.check_then(raw["then"], rule)
        if kind == "lint" and "then" in raw:
            self.problem(self.at(raw, "then"), "lint rules report a message; they have no 'then'")
        if "examples" in raw and kind == "lint":  # a missing key is reported as such above
            self.check_cases(raw["examples"], rule, self.at(raw, "examples"))
            # The documented example is the first case that fires: no second copy to drift.
            rule.example = next((c.config.strip() for c in rule.cases if c.fires), "")
        elif "examples" in raw:
            self.check_examples(raw["examples"], rule, self.at(raw, "examples"))
        return rule

    # -- conditions -----------------------------------------------------------------------
    def check_condition(self, node: Any, facts: set[str], where: str) -> None:
        if not isinstance(node, dict) or not node:
            self.problem(where, "a condition must be a mapping: all/any/not, {trait: ...}, "
                         "{task: ...} or {fact, op, value}")
            return
        where = self.at(node) if getattr(node, "line", 0) else where
        groups = [k for k in node if k in GROUPS]
        if groups:
            if len(node) != 1:
                self.problem(where, f"'{groups[0]}' must stand alone in its mapping")
            key = groups[0]
            children = node[key]
            if key == "not":
                self.check_condition(children, facts, where)
            elif not isinstance(children, list) or not children:
                self.problem(where, f"'{key}' takes a non-empty list of conditions")
            else:
                for child in children:
                    self.check_condition(child, facts, where)
            return
        if "trait" in node:
            if len(node) != 1:
                self.problem(where, "'trait' stands alone: {trait: name}")
            self.check_names("trait", [node["trait"]], TRAITS, where)
            return
        if "task" in node and "fact" not in node:
            if len(node) != 1:
                self.problem(where, "'task' stands alone: {task: name} or {task: [a, b]}")
            tasks = node["task"] if isinstance(node["task"], list) else [node["task"]]
            self.check_names("task", tasks, ALL_TASKS, where)
            return
        for key in node:
            if key not in ("fact", "op", "value"):
                self.problem(self.at(node, key),
                             f"unknown key '{key}' in a condition"
                             f"{did_you_mean(str(key), ['fact', 'op', 'value', *GROUPS])}")
        fact, op = node.get("fact"), node.get("op")
        if fact is None or op is None:
            self.problem(where, "a comparison needs 'fact' and 'op'")
            return
        self.check_names("fact", [fact], facts, self.at(node, "fact"))
        if not isinstance(op, str) or op not in OPERATORS:
            self.check_names("operator", [op], OPERATORS, self.at(node, "op"))
            return
        if "value" not in node:
            self.problem(where, f"operator '{op}' needs a 'value'")
            return
        value = node["value"]
        shape = OPERATOR_VALUES.get(op)
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        if shape == "list" and not isinstance(value, list):
            self.problem(self.at(node, "value"), f"operator '{op}' takes a list")
        elif shape == "pair" and not (isinstance(value, list) and len(value) == 2
                                      and all(isinstance(v, (int, float)) for v in value)):
            self.problem(self.at(node, "value"), f"operator '{op}' takes [low, high]")
        elif shape == "number" and not number:
            self.problem(self.at(node, "value"), f"operator '{op}' takes a number")
        elif shape == "bool" and not isinstance(value, bool):
            self.problem(self.at(node, "value"), f"operator '{op}' takes true or false")
        elif shape == "list" and not all(isinstance(v, SCALARS) for v in value):
            self.problem(self.at(node, "value"),
                         f"operator '{op}' takes a list of text, numbers or booleans")
            return
        elif shape is None and not isinstance(value, SCALARS) and not (
                op in ("eq", "ne") and isinstance(value, list)
                and all(isinstance(v, SCALARS) for v in value)):
            self.problem(self.at(node, "value"),
                         f"operator '{op}' compares with text, a number or a boolean, not "
                         f"{kind_of(value)}")
            return
        if fact == "traits":
            self.check_names("trait", value if isinstance(value, list) else [value], TRAITS,
                             self.at(node, "value"))
        if fact == "task":
            self.check_names("task", value if isinstance(value, list) else [value], ALL_TASKS,
                             self.at(node, "value"))
        if fact in ("loss", "metrics") and op in ("eq", "ne", "in", "not_in", "contains",
                                                   "not_contains", "any_of"):
            kind = "loss" if fact == "loss" else "metric"
            for item in value if isinstance(value, list) else [value]:
                if not self.catalog.has(kind, str(item)):
                    self.problem(self.at(node, "value"),
                                 f"unknown {kind} '{item}'"
                                 f"{did_you_mean(str(item), self.catalog.ids(kind))}")

    def check_names(self, what: str, names: list[Any], known: Any, where: str) -> None:
        """Each of ``names`` must be text and one of ``known`` (did-you-mean otherwise)."""
        for name in names:
            if not isinstance(name, str):
                article = "an" if what[0] in "aeiou" else "a"
                self.problem(where, f"{article} {what} must be a name, not {kind_of(name)}")
            elif name not in known:
                self.problem(where, f"unknown {what} '{name}'{did_you_mean(name, known)}")

    def check_template(self, text: str, facts: set[str], where: str, key: str) -> None:
        try:
            used = template.fields(text)
        except ValueError as exc:
            self.problem(where, f"malformed {key} template: {exc}")
            return
        for name, spec in used:
            if name not in facts:
                self.problem(where, f"{key} template names unknown fact '{{{name}}}'"
                             f"{did_you_mean(name, facts)}")
            reason = template.check_spec(spec)
            if reason:
                self.problem(where, f"{key} template field '{{{name}:{spec}}}': {reason}")

    # -- effects --------------------------------------------------------------------------
    def check_then(self, then: Any, rule: Rule) -> None:
        where = self.at(self.raw, "then")
        if not isinstance(then, dict) or not then:
            self.problem(where, "'then' must map losses/metrics/avoid to lists")
            return
        for key in then:
            if key not in THEN_KEYS:
                self.problem(self.at(then, key),
                             f"unknown key '{key}' in 'then'{did_you_mean(str(key), THEN_KEYS)}")
        for key, kind, target in (("losses", "loss", rule.losses),
                                  ("metrics", "metric", rule.metrics)):
            for item in self.items(then, key):
                if not isinstance(item, dict) or set(item) - EFFECT_KEYS or "id" not in item:
                    self.problem(self.at(item) if isinstance(item, dict) else where,
                                 f"each of '{key}' is {{id, weight, rationale}}")
                    continue
                self.check_id(kind, item["id"], self.at(item, "id"))
                weight = item.get("weight", 1)
                if isinstance(weight, bool) or not isinstance(weight, (int, float)):
                    self.problem(self.at(item, "weight"),
                                 f"weight must be a number, not {kind_of(weight)}")
                    continue
                if not math.isfinite(weight):
                    self.problem(self.at(item, "weight"), f"weight must be finite, not {weight}")
                    continue
                if not isinstance(item.get("rationale", ""), str):
                    self.problem(self.at(item, "rationale"), "an effect's rationale must be "
                                 f"text, not {kind_of(item['rationale'])}")
                    continue
                text = item.get("rationale", "").strip()
                if text:
                    self.check_template(text, set(FACTS) | set(STATISTICS) | TEMPLATE_THRESHOLDS,
                                        self.at(item, "rationale"), "rationale")
                target.append(Effect(str(item["id"]), float(weight), text))
        for item in self.items(then, "avoid"):
            if not isinstance(item, dict) or set(item) - AVOID_KEYS or "id" not in item:
                self.problem(self.at(item) if isinstance(item, dict) else where,
                             "each of 'avoid' is {id, kind: loss|metric, reason}")
                continue
            kind = item.get("kind")
            if kind not in ("loss", "metric"):
                self.problem(self.at(item, "kind") if "kind" in item else self.at(item),
                             "avoid needs kind: loss or kind: metric")
                continue
            self.check_id(kind, item["id"], self.at(item, "id"))
            reason = item.get("reason", "")
            if not isinstance(reason, str):
                self.problem(self.at(item, "reason"),
                             f"an avoid reason must be text, not {kind_of(reason)}")
                continue
            if reason:
                self.check_template(str(reason), set(FACTS) | set(STATISTICS) | TEMPLATE_THRESHOLDS,
                                    self.at(item, "reason"), "avoid reason")
            rule.avoid.append(AvoidEffect(str(item["id"]), kind, str(reason)))

    def items(self, then: Any, key: str) -> list[Any]:
        if not isinstance(then, dict) or key not in then:
            return []
        value = then[key]
        if not isinstance(value, list):
            self.problem(self.at(then, key), f"'{key}' must be a list")
            return []
        return value

    def check_id(self, kind: str, entry_id: Any, where: str) -> None:
        if not isinstance(entry_id, str):
            self.problem(where, f"a {kind} id must be text, not {kind_of(entry_id)}")
        elif not self.catalog.has(kind, entry_id):
            self.problem(where, f"unknown {kind} '{entry_id}'"
                         f"{did_you_mean(str(entry_id), self.catalog.ids(kind))}")

    # -- examples -------------------------------------------------------------------------
    def check_examples(self, examples: Any, rule: Rule, where: str) -> None:
        """A recommendation rule's examples: profiles (task, traits, statistics)."""
        if not isinstance(examples, list):
            self.problem(where, f"'examples' must be a list, not {kind_of(examples)}")
            return
        outcomes = set()
        for item in examples:
            at = self.at(item) if isinstance(item, dict) else where
            if not isinstance(item, dict) or "fires" not in item or set(item) - EXAMPLE_KEYS:
                self.problem(at, "an example is {profile: {task, traits, stats}, "
                             "fires: true|false}")
                continue
            profile = item.get("profile") or {}
            if not isinstance(profile, dict) or set(profile) - PROFILE_KEYS:
                self.problem(at, "an example profile has only task, traits and stats")
                continue
            stats = profile.get("stats") or {}
            traits = profile.get("traits") or []
            shapes = (("stats", stats, dict, "a mapping of statistics to values"),
                      ("traits", traits, list, "a list of trait names"),
                      ("fires", item["fires"], bool, "true or false"))
            wrong = [f"example '{key}' must be {what}, not {kind_of(value)}"
                     for key, value, shape, what in shapes if not isinstance(value, shape)]
            if profile.get("task") is not None:
                self.check_names("task", [profile["task"]], ALL_TASKS, at)
            if wrong:
                for message in wrong:
                    self.problem(at, message)
                continue
            built: dict[str, Any] = dict(stats)
            self.check_names("statistic", list(built), STATISTICS, at)
            self.check_names("trait", traits, TRAITS, at)
            built["task"] = profile.get("task")
            built["traits"] = {t for t in traits if isinstance(t, str)}
            built["has_data"] = bool(stats)
            fires = item["fires"]
            outcomes.add(fires)
            rule.examples.append(Example(built, fires, at))
        if outcomes != {True, False}:
            self.problem(where, "examples need at least one case that fires and one that does not")


    def check_cases(self, examples: Any, rule: Rule, where: str) -> None:
        """A lint rule's examples: config text, data when the rule reads it, fires or not."""
        if not isinstance(examples, list):
            self.problem(where, f"'examples' must be a list, not {kind_of(examples)}")
            return
        shape = ("a lint example is {file: NAME, config: TEXT, data: CSV TEXT or PATH, "
                 "target: COLUMN, files: {NAME: TEXT}, fires: true|false}")
        outcomes = set()
        for item in examples:
            at = self.at(item) if isinstance(item, dict) else where
            if not isinstance(item, dict) or {"file", "config", "fires"} - set(item):
                self.problem(at, shape)
                continue
            unknown = [k for k in item if k not in CASE_KEYS]
            for key in unknown:
                self.problem(self.at(item, key), f"unknown key '{key}' in a lint example"
                             f"{did_you_mean(str(key), CASE_KEYS)}")
            files = item.get("files") or {}
            named = list(files) if isinstance(files, dict) else []
            wrong = [f"example '{key}' must be {what}, not {kind_of(item[key])}"
                     for key, kinds, what in (
                         ("config", str, "config text"), ("file", str, "a file name"),
                         ("data", (str, type(None)), "CSV text or a path"),
                         ("target", (str, type(None)), "a column name"),
                         ("fires", bool, "true or false"), ("files", (dict, type(None)),
                                                            "a mapping of file names to text"))
                     if key in item and not isinstance(item[key], kinds)]
            wrong += [f"example file name '{name}' must be a plain name with no folder"
                      for name in [item.get("file"), *named]
                      if isinstance(name, str) and not FILE_NAME.match(name)]
            wrong += [f"example file names must be text, not {kind_of(name)}"
                      for name in named if not isinstance(name, str)]
            wrong += [f"example file '{name}' must hold text, not {kind_of(text)}"
                      for name, text in (files.items() if named else [])
                      if not isinstance(text, str)]
            for message in wrong:
                self.problem(at, message)
            if wrong or unknown:
                continue
            outcomes.add(item["fires"])
            rule.cases.append(Case(
                file=item["file"], config=item["config"], fires=item["fires"], where=at,
                folder=str(Path(self.path).parent), data=item.get("data"),
                target=item.get("target"), files=dict(files)))
        if outcomes != {True, False}:
            self.problem(where, "examples need at least one case that fires and one that does not")
