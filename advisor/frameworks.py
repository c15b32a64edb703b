"""Framework knowledge (``rules/frameworks.yaml``): ids, labels, module prefixes, key hints,
weight arguments and parameter aliases.

One file so that adding a framework is one entry: the catalog, the CLI's ``--framework``
choices, the renderers' labels and the lint readers all read it from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from advisor.cache import read_rule_data, store
from advisor.errors import InputError
from advisor.resources import builtin_rules_dir

FILE = "frameworks.yaml"


@dataclass(frozen=True)
class Framework:
    id: str
    label: str
    snippets: bool
    table: bool
    lint_only: bool
    modules: tuple[str, ...]
    keys: tuple[str, ...]
    imports: dict[str, str]


@dataclass(frozen=True)
class Knowledge:
    frameworks: dict[str, Framework]
    name_prefixes: tuple[str, ...]
    weight_args: tuple[str, ...]
    keys: dict[str, tuple[str, ...]]
    options: dict[str, str]
    lightgbm_aliases: dict[str, str]
    loss_params: dict[str, str]
    logged_prefixes: tuple[str, ...]
    logged_names: tuple[str, ...]
    metric_variants: dict[str, dict[str, dict[str, str]]]
    loss_variants: dict[str, dict[str, dict[str, str]]]
    unmodeled: frozenset[str]
    default_names: tuple[str, ...]
    multiclass_metrics: tuple[str, ...]
    model_parts: tuple[str, ...] = ()
    logged_sections: tuple[str, ...] = ()
    model_part_suffixes: tuple[str, ...] = ()

    def ids(self, snippets_only: bool = False) -> tuple[str, ...]:
        return tuple(f for f, fw in self.frameworks.items() if fw.snippets or not snippets_only)

    def labels(self) -> dict[str, str]:
        return {f: fw.label for f, fw in self.frameworks.items()}

    def of_module(self, dotted: str) -> str | None:
        """The framework a dotted class path belongs to ('torch.nn.MSELoss' -> pytorch)."""
        head = dotted.split(".", 1)[0].lower()
        for fw in self.frameworks.values():
            if head in fw.modules:
                return fw.id
        return None

    def is_logged(self, name: str) -> bool:
        """Whether a metric value names a logged series ('validation.combined.loss')."""
        lowered = name.lower()
        return lowered in self.logged_names or lowered.startswith(self.logged_prefixes)

    def is_model_part(self, key: str) -> bool:
        """Whether a config section is a part of one model (a detector's head, a training
        phase) rather than a model of its own, when sibling sections each set a loss."""
        lowered = key.lower()
        return lowered in self.model_parts or lowered.endswith(self.model_part_suffixes)

    def is_unmodeled(self, name: str) -> bool:
        """Whether a framework defines this name although the catalog has no entry for it
        (fairseq's ``hubert`` criterion): not checked, and never taken for a typo."""
        text = name.strip()
        if text.endswith(")") and "(" in text:
            text = text[:text.index("(")]
        return text.lower() in self.unmodeled

    def of_key(self, key: str) -> str | None:
        """The framework a config key implies when nothing else names one."""
        for fw in self.frameworks.values():
            if key in fw.keys:
                return fw.id
        return None


@lru_cache(maxsize=1)
def knowledge() -> Knowledge:
    """Load and check ``rules/frameworks.yaml``; a malformed file is an input error."""
    path = builtin_rules_dir() / FILE
    data, key = read_rule_data(path)
    try:
        found = _build(data)
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise InputError(f"malformed framework file ({exc})", str(path)) from None
    store(key, data)
    return found


def _build(data: Any) -> Knowledge:
    frameworks = {
        str(fid): Framework(
            id=str(fid), label=str(raw["label"]), snippets=bool(raw.get("snippets", False)),
            table=bool(raw.get("table", False)),
            lint_only=bool(raw.get("lint_only", False)),
            modules=tuple(str(m) for m in raw.get("modules", ())),
            keys=tuple(str(k) for k in raw.get("keys", ())),
            imports={str(k): str(v) for k, v in (raw.get("imports") or {}).items()},
        )
        for fid, raw in data["frameworks"].items()
    }
    keys = {str(k): tuple(str(v) for v in values) for k, values in data["keys"].items()
            if k != "options"}
    aliases = {str(alias).lower(): str(name)
               for name, spellings in data["lightgbm_aliases"].items() for alias in spellings}
    return Knowledge(
        frameworks=frameworks,
        name_prefixes=tuple(str(p) for p in data["name_prefixes"]),
        weight_args=tuple(str(a) for a in data["weight_args"]),
        keys=keys,
        options={str(k): str(v) for k, v in data["keys"]["options"].items()},
        lightgbm_aliases=aliases,
        loss_params={str(k): str(v) for k, v in data["loss_params"].items()},
        logged_prefixes=tuple(str(p) for p in data["logged_prefixes"]),
        logged_names=tuple(str(n) for n in data["logged_names"]),
        metric_variants=_variants(data["metric_variants"]),
        loss_variants=_variants(data["loss_variants"]),
        unmodeled=frozenset(str(n).lower() for raw in data["frameworks"].values()
                            for n in raw.get("unmodeled", ())),
        default_names=tuple(str(n).lower() for n in data["default_names"]),
        multiclass_metrics=tuple(str(n).lower() for n in data["multiclass_metrics"]),
        model_parts=tuple(str(n).lower() for n in data["model_parts"]["keys"]),
        logged_sections=tuple(str(n).lower() for n in data["logged_sections"]),
        model_part_suffixes=tuple(str(n).lower() for n in data["model_parts"]["suffixes"]),
    )


def _variants(data: Any) -> dict[str, dict[str, dict[str, str]]]:
    """``{id: {argument: {value: other id}}}`` with every part a string."""
    return {str(k): {str(a): {str(v).lower(): str(t) for v, t in m.items()}
                     for a, m in args.items()}
            for k, args in data.items()}
