"""The loss and metric catalog: canonical ids, display names, tasks, framework spellings.

The catalog is data (``rules/catalog.yaml``); this module loads it, checks its shape, and builds
the alias index that ``lint`` uses to read any framework's spelling back to a canonical id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from advisor.cache import read_rule_data, store
from advisor.errors import InputError
from advisor.frameworks import knowledge
from advisor.resources import builtin_rules_dir

FRAMEWORKS = knowledge().ids(snippets_only=True)
"""Frameworks a snippet can be asked for (``--framework``), from rules/frameworks.yaml."""
ALL_FRAMEWORKS = knowledge().ids()
"""Every framework whose spellings the catalog may list."""
_LINT_ONLY = tuple(f for f, fw in knowledge().frameworks.items() if fw.lint_only)
KINDS = ("loss", "metric")
INTEGER_LABEL_ENCODINGS = ("integer", "text", "boolean", "signed")
"""Label encodings that reach a model as one class index per row (text is mapped first)."""
_ENTRY_KEYS = {"id", "name", "tasks", "estimates", "frameworks", "snippets", "weighted", "short",
               "integer_label_snippets"}
_FRAMEWORK_KEYS = {"name", "aliases", "weight_arg", "integer_labels"}
_FUNCTIONAL_KEYS = {"meaning", "scored_by", "departs"}


@dataclass(frozen=True)
class Spelling:
    name: str
    aliases: tuple[str, ...] = ()
    weight_arg: str | None = None
    integer_labels: str | None = None
    """The spelling for integer class indices when ``name`` expects one-hot labels (Keras's
    sparse_categorical_crossentropy): a label-encoding detail, not another loss."""


@dataclass(frozen=True)
class Functional:
    """What a loss estimates, and which metric functionals score it (see catalog.yaml)."""

    name: str
    meaning: str
    scored_by: tuple[str, ...] = ()
    departs: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Entry:
    """One loss or metric."""

    id: str
    kind: str
    name: str
    tasks: tuple[str, ...]
    estimates: str
    order: int
    weighted: bool = False
    frameworks: dict[str, Spelling] = field(default_factory=dict)
    snippets: dict[str, str] = field(default_factory=dict)
    short: tuple[str, ...] = ()
    """Short spellings used in the wild across frameworks ('ce', 'giou')."""
    integer_label_snippets: dict[str, str] = field(default_factory=dict)

    def snippet(self, framework: str, label_encoding: str | None = None) -> str | None:
        """The snippet template for ``framework``, in its integer-label form when the labels
        are class indices and the framework distinguishes them."""
        if label_encoding in INTEGER_LABEL_ENCODINGS and framework in self.integer_label_snippets:
            return self.integer_label_snippets[framework]
        return self.snippets.get(framework)

    def framework_names(self, label_encoding: str | None = None) -> dict[str, str]:
        """How each framework spells this entry, for reports; integer or text labels pick the
        framework's integer-label spelling where it has one."""
        out = {}
        # Catalog order, with the frameworks lint alone reads (OpenMMLab, MONAI, ...) last.
        for fw, spelling in sorted(self.frameworks.items(),
                                   key=lambda kv: kv[0] in _LINT_ONLY):
            text = spelling.name
            if spelling.integer_labels and label_encoding in INTEGER_LABEL_ENCODINGS:
                text = f"{spelling.integer_labels} (integer labels)"
            if spelling.weight_arg:
                text += f" ({spelling.weight_arg}=)"
            out[fw] = text
        return out


@dataclass
class Catalog:
    losses: dict[str, Entry]
    metrics: dict[str, Entry]
    functionals: dict[str, Functional] = field(default_factory=dict)

    def get(self, kind: str, entry_id: str) -> Entry:
        return (self.losses if kind == "loss" else self.metrics)[entry_id]

    def has(self, kind: str, entry_id: str) -> bool:
        return entry_id in (self.losses if kind == "loss" else self.metrics)

    def ids(self, kind: str) -> list[str]:
        return list(self.losses if kind == "loss" else self.metrics)

    def lookup(self, kind: str, spelling: str, framework: str | None = None) -> str | None:
        """Canonical id of a framework spelling ('nn.MSELoss', 'reg:squarederror', 'l2')."""
        index = _alias_index(self, kind)
        for key in (normalize_name(spelling), normalize_name(spelling, strip_params=True)):
            if framework and (framework, key) in index:
                return index[(framework, key)]
            if (None, key) in index:
                return index[(None, key)]
        return None

    def weighted_variant(self, entry_id: str, spelling: str) -> str | None:
        """The class-weighted entry written the same way ('nn.BCEWithLogitsLoss' with a
        pos_weight is weighted_bce), for a config whose loss carries a weight argument."""
        entry = self.losses.get(entry_id)
        if entry is None or entry.weighted:
            return None
        key = normalize_name(spelling, strip_params=True)
        for other in sorted(self.losses.values(), key=lambda e: e.order):
            if not other.weighted or not set(other.tasks) & set(entry.tasks):
                continue
            names = {normalize_name(n, strip_params=True) for sp in other.frameworks.values()
                     for n in (sp.name, *sp.aliases)}
            if key in names:
                return other.id
        return None

    def meanings(self, kind: str, spelling: str) -> list[str]:
        """Every id a spelling names in some framework, in catalog order: 'cross_entropy' is
        binary cross-entropy in LightGBM but categorical in fairseq and PyTorch's functional
        API, so without the framework only the data can tell which one a config means."""
        index = _meanings_index(self, kind)
        found: list[str] = []
        for key in (normalize_name(spelling), normalize_name(spelling, strip_params=True)):
            found += [i for i in index.get(key, ()) if i not in found]
        order = self.losses if kind == "loss" else self.metrics
        return sorted(found, key=lambda i: order[i].order)

    def frameworks_of(self, kind: str, spelling: str) -> set[str]:
        """Frameworks that spell a loss or metric this way (for guessing a config's)."""
        index = _alias_index(self, kind)
        key = normalize_name(spelling, strip_params=True)
        return {fw for (fw, name) in index if fw is not None and name == key}

    def known_spellings(self, kind: str) -> list[str]:
        names = set()
        for entry in (self.losses if kind == "loss" else self.metrics).values():
            names.add(entry.id)
            names.update(entry.short)
            for spelling in entry.frameworks.values():
                names.add(spelling.name)
                names.update(spelling.aliases)
        return sorted(names)


def normalize_name(name: str, strip_params: bool = False) -> str:
    """Fold the ways configs write one name: case, 'torch.nn.' vs 'nn.', call parentheses.

    With ``strip_params``, parameters written into the name are dropped too:
    'tweedie-nloglik@1.4' -> 'tweedie-nloglik', 'Tweedie:variance_power=1.5' -> 'tweedie'.
    """
    text = name.strip()
    if strip_params:
        text = re.sub(r"@.*$", "", text)
        text = re.sub(r"^([^:]+):[A-Za-z_]+=.*$", r"\1", text)
    if text.endswith(")") and "(" in text:
        text = text[:text.index("(")]
    for prefix in knowledge().name_prefixes:
        if text.startswith(prefix):
            text = text[len(prefix):]
    return text.lower()


_INDEX_CACHE: dict[tuple[int, str], dict] = {}


def _alias_index(catalog: Catalog, kind: str) -> dict[tuple[str | None, str], str]:
    cache_key = (id(catalog), kind)
    if cache_key in _INDEX_CACHE:
        return _INDEX_CACHE[cache_key]
    index: dict[tuple[str | None, str], str] = {}
    entries = catalog.losses if kind == "loss" else catalog.metrics
    # Unweighted entries first: a bare 'nn.BCEWithLogitsLoss' is plain BCE until a weight
    # argument says otherwise (lint checks the arguments separately).
    ordered = sorted(entries.values(), key=lambda e: (e.weighted, e.order))
    for entry in ordered:
        index.setdefault((None, normalize_name(entry.id)), entry.id)
        for name in entry.short:
            index.setdefault((None, normalize_name(name)), entry.id)
        for fw, spelling in entry.frameworks.items():
            for name in (spelling.name, *spelling.aliases):
                for key in (normalize_name(name), normalize_name(name, strip_params=True)):
                    index.setdefault((fw, key), entry.id)
                    index.setdefault((None, key), entry.id)
    _INDEX_CACHE[cache_key] = index
    return index


def _meanings_index(catalog: Catalog, kind: str) -> dict[str, list[str]]:
    """Every unweighted id each framework spelling names, built once per catalog."""
    cache_key = (id(catalog), f"{kind}:meanings")
    if cache_key not in _INDEX_CACHE:
        index: dict[str, list[str]] = {}
        entries = catalog.losses if kind == "loss" else catalog.metrics
        for entry in sorted(entries.values(), key=lambda e: e.order):
            if entry.weighted:
                continue
            for spelling in entry.frameworks.values():
                for name in (spelling.name, *spelling.aliases):
                    for key in {normalize_name(name), normalize_name(name, strip_params=True)}:
                        if entry.id not in index.setdefault(key, []):
                            index[key].append(entry.id)
        _INDEX_CACHE[cache_key] = index
    return _INDEX_CACHE[cache_key]


def load_catalog(path: Path | None = None) -> Catalog:
    """Load and check the catalog; a malformed catalog is an input error with file:line."""
    path = path or builtin_rules_dir() / "catalog.yaml"
    return _load(str(path))


@lru_cache(maxsize=4)
def _load(path: str) -> Catalog:
    data, cache_key = read_rule_data(Path(path))
    problems: list[str] = []
    sections: dict[str, dict[str, Entry]] = {"loss": {}, "metric": {}}
    if not isinstance(data, dict):
        raise InputError("the catalog must be a mapping with 'losses' and 'metrics'", path)
    for kind, key in (("loss", "losses"), ("metric", "metrics")):
        items = data.get(key)
        if not isinstance(items, list):
            problems.append(f"{path}: '{key}' must be a list")
            continue
        for index, raw in enumerate(items):
            line = items.pos(index)[0] if hasattr(items, "pos") else 0
            entry = _entry(raw, kind, index, f"{path}:{line}", problems)
            if entry is None:
                continue
            if entry.id in sections[kind]:
                problems.append(f"{path}:{line}: duplicate {kind} id '{entry.id}'")
            sections[kind][entry.id] = entry
    functionals = _functionals(data.get("functionals"), path, problems)
    _check_estimates(sections, functionals, path, problems)
    if problems:
        raise InputError("; ".join(problems), None)
    store(cache_key, data)
    return Catalog(losses=sections["loss"], metrics=sections["metric"], functionals=functionals)


def _functionals(raw: Any, path: str, problems: list[str]) -> dict[str, Functional]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problems.append(f"{path}: 'functionals' must map names to their meaning")
        return {}
    out = {}
    for name, body in raw.items():
        if not isinstance(body, dict) or set(body) - _FUNCTIONAL_KEYS or "meaning" not in body:
            problems.append(f"{path}: functional '{name}' takes meaning, scored_by, departs")
            continue
        out[str(name)] = Functional(
            name=str(name), meaning=" ".join(str(body["meaning"]).split()),
            scored_by=tuple(str(x) for x in body.get("scored_by") or ()),
            departs={str(k): " ".join(str(v).split())
                     for k, v in (body.get("departs") or {}).items()},
        )
    return out


def _check_estimates(sections: dict[str, dict[str, Entry]], functionals: dict[str, Functional],
                     path: str, problems: list[str]) -> None:
    """Every loss estimates a declared functional; every metric functional a loss may be
    scored by is one some metric scores, so the engine's consistency check cannot go vacuous."""
    if not functionals:
        return
    scored = {e.estimates for e in sections["metric"].values()}
    for entry in sections["loss"].values():
        if entry.estimates not in functionals:
            problems.append(f"{path}: loss '{entry.id}' estimates unknown functional "
                            f"'{entry.estimates}'")
    for functional in functionals.values():
        for name in (*functional.scored_by, *functional.departs):
            if name not in scored:
                problems.append(f"{path}: functional '{functional.name}' names '{name}', "
                                "which no metric scores")


def _entry(raw: Any, kind: str, order: int, where: str, problems: list[str]) -> Entry | None:
    if not isinstance(raw, dict) or "id" not in raw or "name" not in raw:
        problems.append(f"{where}: each {kind} needs an id and a name")
        return None
    unknown = set(raw) - _ENTRY_KEYS
    if unknown:
        problems.append(f"{where}: unknown keys {sorted(unknown)}")
    frameworks: dict[str, Spelling] = {}
    for fw, spelling in (raw.get("frameworks") or {}).items():
        if fw not in ALL_FRAMEWORKS:
            problems.append(f"{where}: unknown framework '{fw}'")
            continue
        if not isinstance(spelling, dict) or set(spelling) - _FRAMEWORK_KEYS:
            problems.append(f"{where}: framework '{fw}' takes name, aliases, weight_arg")
            continue
        frameworks[fw] = Spelling(
            name=str(spelling["name"]),
            aliases=tuple(str(a) for a in spelling.get("aliases", ())),
            weight_arg=spelling.get("weight_arg"),
            integer_labels=spelling.get("integer_labels"),
        )
    return Entry(
        id=str(raw["id"]),
        kind=kind,
        name=str(raw["name"]),
        tasks=tuple(raw.get("tasks", ())),
        estimates=str(raw.get("estimates", "")),
        order=order,
        weighted=bool(raw.get("weighted", False)),
        frameworks=frameworks,
        snippets={str(k): str(v) for k, v in (raw.get("snippets") or {}).items()},
        short=tuple(str(n) for n in raw.get("short", ())),
        integer_label_snippets={str(k): str(v) for k, v in
                                (raw.get("integer_label_snippets") or {}).items()},
    )
