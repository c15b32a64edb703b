"""The one bounded loader for YAML, JSON and TOML; YAML remembers where every key came from.

Rule files, configs and the tool's own config are untrusted, and every reader parses them here:
only PyYAML's safe constructors run (a ``!!python/...`` tag is an error, never code), size,
nesting depth and the number of nodes after alias expansion are bounded (a "billion laughs" file
or 10,000 nested brackets are refused, never a RecursionError), and every YAML mapping and
sequence keeps the line and column of its keys and items so problems can be reported as
``file:line:col``. JSON is parsed as JSON (a trailing comma is an error, as every JSON tool
says), with the depth checked before any recursive parser sees the text.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from advisor.errors import InputError

MAX_NODES = 200_000
"""Nodes a document may have after alias expansion; far above any real config."""
MAX_DEPTH = 64
"""Nesting depth beyond which a document is refused rather than walked."""
MAX_BYTES = 10 * 1024 * 1024
"""Largest YAML/JSON/TOML file lossadvisor will parse."""


class LineDict(dict):
    """A dict that knows the 1-based line and column of itself and of each key."""

    line: int = 0
    col: int = 0
    key_pos: dict[str, tuple[int, int]]

    def pos(self, key: str) -> tuple[int, int]:
        return getattr(self, "key_pos", {}).get(key, (self.line, self.col))


class LineList(list):
    """A list that knows the 1-based line and column of itself and of each item."""

    line: int = 0
    col: int = 0
    item_pos: list[tuple[int, int]]

    def pos(self, index: int) -> tuple[int, int]:
        positions = getattr(self, "item_pos", [])
        return positions[index] if index < len(positions) else (self.line, self.col)


@lru_cache(maxsize=1)
def _loader_class() -> type:
    """The safe loader that records positions, built on first use so that a command whose
    rules come from the cache never imports PyYAML at all."""
    import yaml

    try:  # the C parser is several times faster; constructors stay the safe Python ones
        from yaml import CSafeLoader as base
    except ImportError:  # pragma: no cover - depends on how PyYAML was built
        from yaml import SafeLoader as base  # type: ignore[assignment]

    class Loader(base):  # type: ignore[misc, valid-type]
        def __init__(self, stream: str):
            super().__init__(stream)
            self._budget = MAX_NODES

        def construct_object(self, node, deep=False):  # type: ignore[override]
            self._budget -= 1
            if self._budget < 0:
                raise yaml.YAMLError(f"more than {MAX_NODES} nodes (an alias bomb?)")
            return super().construct_object(node, deep=deep)

    def construct_mapping(loader, node) -> LineDict:
        result = LineDict()
        result.line, result.col = node.start_mark.line + 1, node.start_mark.column + 1
        result.key_pos = {}
        loader.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                raise yaml.YAMLError(
                    f"line {key_node.start_mark.line + 1}: a key must be a scalar")
            result[key] = loader.construct_object(value_node, deep=True)
            result.key_pos[key] = (key_node.start_mark.line + 1,
                                   key_node.start_mark.column + 1)
        return result

    def construct_sequence(loader, node) -> LineList:
        result = LineList(loader.construct_object(child, deep=True) for child in node.value)
        result.line, result.col = node.start_mark.line + 1, node.start_mark.column + 1
        result.item_pos = [(c.start_mark.line + 1, c.start_mark.column + 1) for c in node.value]
        return result

    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, construct_sequence)
    return Loader


class Tagged:
    """A value under a tag the safe loader does not know (``!new:``, ``!ref``,
    ``!!python/...``): kept as the tag and its plain content, never constructed."""

    def __init__(self, tag: str, value: Any):
        self.tag = tag
        self.value = value

    def __repr__(self) -> str:
        return f"{self.tag} {self.value!r}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Tagged) and (self.tag, self.value) == (other.tag, other.value)

    __hash__ = None  # type: ignore[assignment]


@lru_cache(maxsize=1)
def _tagged_loader_class() -> type:
    """The safe loader, plus: every unknown tag yields an inert :class:`Tagged` value."""
    import yaml

    class TaggedLoader(_loader_class()):  # type: ignore[misc, valid-type]
        pass

    def construct_tagged(loader, suffix, node) -> Tagged:
        tags = yaml.resolver.BaseResolver
        if isinstance(node, yaml.MappingNode):
            value: Any = construct_mapping(loader, node)
        elif isinstance(node, yaml.SequenceNode):
            value = loader.yaml_constructors[tags.DEFAULT_SEQUENCE_TAG](loader, node)
        else:
            value = loader.construct_scalar(node)
        return Tagged(node.tag, value)

    construct_mapping = TaggedLoader.yaml_constructors[
        yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG]
    TaggedLoader.add_multi_constructor("", construct_tagged)
    return TaggedLoader


def read_bounded(path: Path) -> bytes:
    """A config or rule file's bytes, refused before reading when it is larger than any real one
    (a hostile file must not cost memory in proportion to its size)."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise InputError(f"larger than {MAX_BYTES // (1024 * 1024)} MiB", str(path))
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror})", str(path)) from None


def _check_size(text: str, where: str) -> None:
    if len(text) > MAX_BYTES:
        raise InputError(f"larger than {MAX_BYTES // (1024 * 1024)} MiB", where)


def load_yaml(text: str, where: str, tags: bool = False) -> Any:
    """Parse one YAML (or JSON) document safely; errors become :class:`InputError`.

    With ``tags``, values under tags the safe loader does not know are kept as inert
    :class:`Tagged` values instead of being refused (configs of SpeechBrain and detectron2).
    """
    return _load(text, where, tags, every=False)


def load_yaml_documents(text: str, where: str, tags: bool = False) -> list[Any]:
    """Every document of a YAML stream (``---`` separated), each parsed as :func:`load_yaml`
    parses one; empty documents are kept as ``None`` so numbering follows the file."""
    return _load(text, where, tags, every=True)


def _load(text: str, where: str, tags: bool, every: bool) -> Any:
    _check_size(text, where)
    import yaml

    loader = (_tagged_loader_class() if tags else _loader_class())(text)
    try:
        if every:
            data: Any = []
            while loader.check_node():
                data.append(loader.construct_document(loader.get_node()))
        else:
            data = loader.get_single_data()
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        line = f":{mark.line + 1}" if mark else ""
        raise InputError(
            f"unsupported YAML tag ({exc.problem})", f"{where}{line}",
            "lossadvisor loads YAML safely and never runs code from a file",
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = f":{mark.line + 1}" if mark else ""
        if "nesting depth" in str(exc.problem):  # libyaml's own bound, far above ours
            raise InputError(f"nested deeper than {MAX_DEPTH} levels", f"{where}{line}") from None
        raise InputError(f"invalid YAML: {exc.problem}", f"{where}{line}") from None
    except yaml.YAMLError as exc:
        raise InputError(f"invalid YAML: {exc}", where) from None
    except RecursionError:
        raise InputError(f"nested deeper than {MAX_DEPTH} levels", where) from None
    except ValueError as exc:  # an integer beyond Python's digit limit
        raise InputError(_number_problem(exc), where) from None
    finally:
        loader.dispose()
    return _bounded(data, where)


def load_json(text: str, where: str) -> Any:
    """Strict JSON, depth-checked first; positions from the YAML loader when it agrees."""
    _check_size(text, where)
    _check_json_depth(text, where)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON: {exc.msg}", f"{where}:{exc.lineno}") from None
    except RecursionError:  # pragma: no cover - the depth check runs first
        raise InputError(f"nested deeper than {MAX_DEPTH} levels", where) from None
    except ValueError as exc:  # an integer beyond Python's digit limit
        raise InputError(_number_problem(exc), where) from None
    data = _bounded(data, where)
    try:
        located = load_yaml(text, where)
    except InputError:
        return data  # valid JSON that YAML 1.1 reads differently: positions from the text
    return located if located == data else data


_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _check_json_depth(text: str, where: str) -> None:
    """Refuse nesting beyond MAX_DEPTH before any recursive parser sees it (one pass)."""
    depth = 0
    for match in _JSON_TOKENS.finditer(text):
        char = match.group()
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                line = text.count("\n", 0, match.start()) + 1
                raise InputError(f"nested deeper than {MAX_DEPTH} levels", f"{where}:{line}")
        elif char in "]}":
            depth -= 1


def load_toml(text: str, where: str) -> dict[str, Any]:
    """TOML through the standard library's parser, with the same size and depth bounds."""
    _check_size(text, where)
    try:
        import tomllib  # type: ignore[import-not-found]
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"at line (\d+)", str(exc))
        line = f":{found.group(1)}" if found else ""
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise InputError(f"invalid TOML: {message}", f"{where}{line}", "fix the syntax") from None
    except RecursionError:  # tomllib recurses per nested array or inline table
        raise InputError(f"nested deeper than {MAX_DEPTH} levels", where) from None
    except ValueError as exc:  # an integer beyond Python's digit limit
        raise InputError(_number_problem(exc), where) from None
    return _bounded(data, where)


def _number_problem(exc: ValueError) -> str:
    """The one ValueError the parsers let through: Python refuses to convert an integer of
    more than ``sys.get_int_max_str_digits()`` digits (a guard against quadratic work)."""
    found = re.search(r"value has (\d+) digits", str(exc))
    digits = f" ({found.group(1)} digits)" if found else ""
    return f"a number too long to read{digits}"


def _bounded(data: Any, where: str) -> Any:
    """The document itself, once its depth and expanded size are known to be within bounds."""
    size, depth = _shape(data, {}, 0)
    if depth > MAX_DEPTH:
        raise InputError(f"nested deeper than {MAX_DEPTH} levels", where)
    if size > MAX_NODES:
        raise InputError(
            f"expands to more than {MAX_NODES:,} values through aliases (an alias bomb?)", where
        )
    return data


def _shape(value: Any, memo: dict[int, tuple[int, int]], level: int) -> tuple[int, int]:
    """(expanded size, depth) of a document, memoized per object.

    Aliases make several places share one object, so a small file can expand to billions of
    values ("billion laughs"); counting with a memo costs only the distinct objects.
    """
    if isinstance(value, Tagged):
        return _shape(value.value, memo, level)
    if not isinstance(value, (dict, list)):
        return 1, 0
    key = id(value)
    if key in memo:
        return memo[key]
    if level > MAX_DEPTH:
        return 1, MAX_DEPTH + 1
    children = value.values() if isinstance(value, dict) else value
    size, depth = 1, 0
    for child in children:
        child_size, child_depth = _shape(child, memo, level + 1)
        size += child_size
        depth = max(depth, child_depth + 1)
        if size > MAX_NODES or depth > MAX_DEPTH:
            break
    memo[key] = (size, depth)
    return size, depth
