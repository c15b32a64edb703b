"""Turning a configured value into a :class:`Setting`: its name, arguments, framework and the
catalog id it reads back to. Shared by every dialect reader."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from advisor.catalog import Catalog
from advisor.frameworks import knowledge
from advisor.lint.model import Located, ModelConfig, Setting
from advisor.lint.source import MAX_NAME, short
from advisor.yamlio import Tagged

NAME_KEYS = ("_target_", "class_path", "class_name", "type", "_name", "name")
"""Keys of a mapping that name the class it configures (Hydra, Lightning, Keras, OpenMMLab,
fairseq)."""
CONSTRUCTING_TAGS = ("!new:", "!name:", "!apply:")
"""HyperPyYAML tags whose suffix is the class or function they configure."""


def is_reference(value: Any) -> bool:
    """A value that points elsewhere or is filled in later: MONAI ``@ref`` and ``$expr``,
    ``%ref``, Hydra/OmegaConf ``???`` and ``${...}`` interpolations, HyperPyYAML ``!ref``."""
    if isinstance(value, Tagged):
        return not value.tag.startswith(CONSTRUCTING_TAGS)
    return isinstance(value, str) and (
        value.strip().startswith(("@", "$", "%")) or value.strip() == "???" or "${" in value)


def tag_target(value: Any) -> str | None:
    """The class or function a HyperPyYAML constructing tag names."""
    if isinstance(value, Tagged) and value.tag.startswith(CONSTRUCTING_TAGS):
        return value.tag.split(":", 1)[1]
    return None
NOT_ARGS = (*NAME_KEYS, "module", "registered_name")


def is_setting(value: Any, allow_list: bool = False) -> bool:
    """Whether a value can be a loss or metric: a name, a class mapping, a list of them."""
    if is_reference(value):
        return False
    if tag_target(value):
        return True
    if isinstance(value, str):
        return bool(value.strip()) and value.strip().lower() not in knowledge().default_names
    if isinstance(value, dict):
        return any(isinstance(value.get(k), str) and not is_reference(value[k])
                   for k in NAME_KEYS)
    if allow_list and isinstance(value, list):
        return all(is_setting(v) for v in value) and bool(value)
    return False


def setting_name(value: Any) -> str | None:
    target = tag_target(value)
    if target:
        return target
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dict):
        for key in NAME_KEYS:
            if isinstance(value.get(key), str):
                return value[key]
    return None


def framework_of_class(name: str) -> str | None:
    return knowledge().of_module(name)


def make_setting(kind: str, value: Any, line: int, col: int, key: str, framework: str | None,
                 catalog: Catalog) -> Setting:
    """A loss or metric as configured, read back to its catalog id where one matches."""
    name = setting_name(value) or str(value)
    args: dict[str, Any] = {}
    if isinstance(value, Tagged):
        value = value.value if isinstance(value.value, dict) else {}
        args = {str(k): v for k, v in value.items()}
    elif isinstance(value, dict):
        # Keras serializes arguments under "config", Lightning CLI under "init_args".
        config = value
        for nested in ("config", "init_args"):
            if isinstance(value.get(nested), dict):
                config = value[nested]
        args = {str(k): v for k, v in config.items() if k not in NOT_ARGS}
    if len(name) > MAX_NAME:
        return Setting(short(name), line, col, key, None, args, framework)
    if framework is None and "." in name:
        framework = framework_of_class(name)
    if framework is None:
        # A spelling only one framework uses names it ('categorical_crossentropy' is Keras);
        # one torchmetrics shares with another framework ('F1Score') names neither.
        candidates = catalog.frameworks_of(kind, name)
        if len(candidates) == 2 and "torchmetrics" in candidates:
            candidates = set()
        candidates -= {"torchmetrics"}
        if len(candidates) == 1:
            framework = candidates.pop()
    canonical = catalog.lookup(kind, name, framework)
    if canonical is None and framework is not None:
        canonical = catalog.lookup(kind, name)
    meanings = tuple(catalog.meanings(kind, name)) if framework is None else ()
    if kind == "loss" and canonical and weighted(args):
        canonical = catalog.weighted_variant(canonical, name) or canonical
    # An argument can make it another entry: torchmetrics F1Score(average="macro") is macro
    # F1, fairseq sentence_prediction with regression_target: true is squared error.
    variants = knowledge().metric_variants if kind == "metric" else knowledge().loss_variants
    for arg, targets in variants.get(canonical or "", {}).items():
        canonical = targets.get(str(args.get(arg, "")).lower(), canonical)
    return Setting(name, line, col, key, canonical, args, framework,
                   meanings if len(meanings) > 1 else ())


def weighted(args: dict[str, Any]) -> bool:
    return any(args.get(key) not in (None, "", False) for key in knowledge().weight_args)


def collect_options(args: dict, model: ModelConfig,
                    pos: Callable[[Any], tuple[int, int]]) -> None:
    """Options lint rules read (class weights, from_logits, num_class) among a loss's args."""
    options = knowledge().options
    for key, value in args.items():
        option = options.get(str(key).lower())
        if option and not isinstance(value, (dict, list)):
            model.options.setdefault(option, Located(value, *pos(key), str(key)))


def relative(config: Path, value: str) -> str:
    """A path written in a config, relative to the config's folder."""
    path = Path(value).expanduser()
    return str(path if path.is_absolute() else (config.parent / path))
