"""Throw generated hostile inputs at `profile`, `lint` and `--rules`; count broken promises.

    python benchmarks/fuzz.py --n 10000            # the full run (a few minutes on 2 cores)
    python benchmarks/fuzz.py --n 200 --seed 7     # a quick look

The promise under test (README, "Safety"): any input ends with exit 0, 1 or 2, never a
traceback, a hang, a native crash, a write to a file the run reads, or a control character from
the input reaching the terminal raw. Cases are mutations of the bundled sample data, of the real
config shapes in tests/fixtures/lint and of the built-in rule files, plus inputs built from
scratch (deep nesting, huge fields, wrong types, control characters, markup).

Each case is generated from (seed, index) alone, so a failure is reproduced by its index. Cases
run in-process in worker processes (fast), each in a fresh folder; the supervisor kills a worker
whose case runs longer than --timeout seconds (a hang) and notices a worker that dies (a native
crash). Every --subprocess-every'th case also runs as a real `python -m advisor` process, which
catches what only shows at interpreter exit. Failures are written to --findings (one folder per
case: the files, the command and what happened).
"""

from __future__ import annotations

import argparse
import base64
import bz2
import collections
import gzip
import hashlib
import json
import os
import random
import selectors
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from advisor.ruleset import DATA_FILES

ROOT = Path(__file__).resolve().parent.parent
CATEGORIES = ("traceback", "hang", "crash", "bad-exit", "input-modified", "raw-control")
"""What counts as a broken promise; every other outcome is fine."""

# -- material ------------------------------------------------------------------------------
NASTY_TEXT = [
    "\x1b[31mred\x1b[0m", "\x1b]0;owned\x07", "\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\",
    "\x9b2J", "\x07bell", "a\rb", "a\nb", "[bold red]markup[/]", "[link=http://x]y[/link]",
    ":warning:", "\u202eevil", "\u200b", "😀", "\x00nul", "\x7f", "\x85next", "'", '"', "\\",
    "%0A", "::error::x", "`code`", "| pipe |", "<b>html</b>", "{fact}", "{0}", "{x:!r}",
    "é", "\ufeff", "  ", "", "NaN", "null", "None", "?", "-", "1,234", "1.398,07", "inf",
    "-0", "1e309", "9" * 40, "x" * 300,
]
SCALARS: list[Any] = [0, 1, -1, 3, 2**63, 1.5, float("1e308"), True, False, None, "", "x",
                      "mse", "binary:logistic", "LNT110", "REC032", "regression", "binary"]
CONTROL = "".join(chr(c) for c in (*range(0, 9), 11, 12, *range(14, 32), 127, *range(128, 160)))
"""Characters that must never reach a terminal raw (tab, newline and CR are layout)."""


def _material() -> dict[str, Any]:
    """The real shapes mutated below, read once per process."""
    samples = {}
    for path in sorted((ROOT / "sample_data").glob("*.csv")):
        lines = path.read_bytes().splitlines(keepends=True)
        samples[path.name] = b"".join(lines[:400])
    configs = {}
    for path in sorted((ROOT / "tests" / "fixtures" / "lint").rglob("*")):
        if path.is_file():
            configs[path.name] = path.read_text(encoding="utf-8")
    rules = {}
    for path in sorted((ROOT / "rules").glob("*.yaml")):
        if path.name not in DATA_FILES:
            rules[path.name] = path.read_text(encoding="utf-8")
    return {"samples": samples, "configs": configs, "rules": rules}


_MATERIAL: dict[str, Any] | None = None


def material() -> dict[str, Any]:
    global _MATERIAL
    if _MATERIAL is None:
        _MATERIAL = _material()
    return _MATERIAL


# -- cases ---------------------------------------------------------------------------------
@dataclass
class Case:
    index: int
    kind: str
    files: dict[str, bytes] = field(default_factory=dict)
    args: list[str] = field(default_factory=list)
    stdin: bytes | None = None
    may_write: set[str] = field(default_factory=set)
    """Files the command does not read, which its -o may therefore replace."""


KINDS = {"csv": 22, "csv-new": 12, "config": 22, "config-new": 10, "tool-config": 12,
         "rules": 16, "output": 6}
"""Kinds of case and their weights in a run."""


def make_case(seed: int, index: int, kinds: tuple[str, ...] = ()) -> Case:
    """The case with this index: the same (seed, index, kinds) always gives the same bytes."""
    rng = random.Random(f"{seed}:{index}")
    chosen = [k for k in KINDS if not kinds or k in kinds]
    kind = rng.choices(chosen, weights=[KINDS[k] for k in chosen])[0]
    case = Case(index, kind)
    GENERATORS[kind](rng, case)
    return case


def _nasty(rng: random.Random) -> str:
    text = rng.choice(NASTY_TEXT)
    if rng.random() < 0.3:
        text = rng.choice(["col", "label", "y", "value"]) + text
    return text


def _random_value(rng: random.Random, depth: int = 0) -> Any:
    roll = rng.random()
    if roll < 0.35 or depth > 3:
        return rng.choice(SCALARS)
    if roll < 0.55:
        return _nasty(rng)
    if roll < 0.7:
        return [_random_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    if roll < 0.85:
        return {rng.choice(["a", "loss", "metrics", "id", "x", "1"]): _random_value(rng, depth + 1)
                for _ in range(rng.randint(0, 3))}
    return _deep(rng, rng.choice([66, 70, 150]))  # deeper ones are built as text


def _deep(rng: random.Random, levels: int) -> Any:
    value: Any = rng.choice([1, "x", None])
    for _ in range(levels):
        value = [value] if rng.random() < 0.5 else {"a": value}
    return value


def _mutate_tree(rng: random.Random, data: Any, rounds: int) -> Any:
    """Replace, delete or add values at random places of a parsed document."""
    for _ in range(rounds):
        nodes: list[tuple[Any, Any]] = []
        stack = [data]
        while stack and len(nodes) < 2000:
            node = stack.pop()
            if isinstance(node, dict):
                for key, value in node.items():
                    nodes.append((node, key))
                    stack.append(value)
            elif isinstance(node, list):
                for i, value in enumerate(node):
                    nodes.append((node, i))
                    stack.append(value)
        if not nodes:
            return _random_value(rng)
        parent, key = rng.choice(nodes)
        action = rng.random()
        if action < 0.6:
            parent[key] = _random_value(rng)
        elif action < 0.75 and isinstance(parent, dict):
            del parent[key]
        elif isinstance(parent, dict):
            parent[rng.choice([_nasty(rng), "extra", "lossx", "metric", "thresholds"])] = (
                _random_value(rng))
        else:
            parent.append(_random_value(rng))
    return data


def _mutate_bytes(rng: random.Random, raw: bytes, rounds: int) -> bytes:
    data = bytearray(raw)
    for _ in range(rounds):
        action = rng.random()
        pos = rng.randint(0, len(data)) if data else 0
        if action < 0.25 and data:
            data[min(pos, len(data) - 1)] = rng.randint(0, 255)
        elif action < 0.45:
            data[pos:pos] = rng.choice(NASTY_TEXT).encode("utf-8", "surrogatepass")
        elif action < 0.55:
            del data[pos:pos + rng.randint(1, 200)]
        elif action < 0.62:
            data = data[:pos]
        elif action < 0.7:
            data[pos:pos] = bytes(rng.choice(b"\x00\r\n\"',;\t|#[]{}=:-") for _ in
                                  range(rng.randint(1, 20)))
        elif action < 0.78:
            chunk = bytes(data[pos:pos + rng.randint(1, 80)])
            data[pos:pos] = chunk * rng.randint(2, 2000)
        elif action < 0.86:
            data[pos:pos] = rng.choice([b"x", b"9", b"\xff", b"a,"]) * rng.choice(
                [1000, 140_000, 300_000])
        elif action < 0.93:
            data[pos:pos] = rng.choice([b"[", b"{", b"- ", b"{\"a\":", b"a = ["]) * rng.choice(
                [100, 5000, 12000])
        else:
            data = bytearray(b"\xef\xbb\xbf") + data
    return bytes(data)


def _header(raw: bytes) -> list[str]:
    first = raw.split(b"\n", 1)[0].decode("utf-8", "replace").strip("\r\ufeff")
    for sep in (",", ";", "\t", "|"):
        if sep in first:
            return first.split(sep)
    return [first]


def _profile_args(rng: random.Random, name: str, columns: list[str]) -> list[str]:
    args = ["profile", name]
    roll = rng.random()
    if roll < 0.7 and columns:
        args += ["--target", rng.choice(columns)]
    elif roll < 0.8 and len(columns) > 1:
        args += ["--target", ",".join(rng.sample(columns, min(len(columns), rng.randint(2, 4))))]
    elif roll < 0.85:
        args += ["--target", _nasty(rng)]
    args += ["--format", rng.choice(["table", "table", "json", "markdown"])]
    if rng.random() < 0.15:
        args.append("--stream")
    if rng.random() < 0.1:
        args.append("--no-advice")
    if rng.random() < 0.1:
        args += ["--task", rng.choice(["binary", "regression", "count", "multiclass", "nope"])]
    return args


def gen_csv(rng: random.Random, case: Case) -> None:
    """A sample CSV, mutated: bytes, long fields, odd headers, stray tokens, compression."""
    name, raw = rng.choice(sorted(material()["samples"].items()))
    lines = raw.splitlines(keepends=True)
    lines = lines[:rng.choice([2, 3, 10, 50, 400])]
    raw = b"".join(lines)
    columns = _header(raw)
    if rng.random() < 0.3:  # tokens in a column: stray words, missing words, separators
        body = raw.splitlines(keepends=True)
        col = rng.randrange(len(columns))
        for i in range(1, len(body)):
            if rng.random() < 0.2:
                cells = body[i].rstrip(b"\r\n").split(b",")
                if col < len(cells):
                    cells[col] = rng.choice(NASTY_TEXT).encode("utf-8", "surrogatepass")
                    body[i] = b",".join(cells) + b"\n"
        raw = b"".join(body)
    if rng.random() < 0.3:  # a hostile column name the target option then names
        bad = _nasty(rng)
        raw = raw.replace(columns[-1].encode(), bad.encode("utf-8", "surrogatepass"), 1)
        columns[-1] = bad
    if rng.random() < 0.7:
        raw = _mutate_bytes(rng, raw, rng.randint(1, 4))
    suffix = ".csv"
    roll = rng.random()
    if roll < 0.08:
        raw, suffix = gzip.compress(raw, mtime=0), ".csv.gz"
    elif roll < 0.11:
        raw, suffix = bz2.compress(raw), ".csv.bz2"
    elif roll < 0.14:
        raw, suffix = gzip.compress(raw, mtime=0)[: rng.randint(0, 60)], ".csv.gz"
    elif roll < 0.17:
        suffix = rng.choice([".tsv", ".txt", ".parquet", ""])
    filename = "data" + suffix
    case.files[filename] = raw
    if rng.random() < 0.05:
        case.args = _profile_args(rng, "-", columns)
        case.stdin = raw
    else:
        case.args = _profile_args(rng, filename, columns)


def gen_csv_new(rng: random.Random, case: Case) -> None:
    """A table built from scratch: hostile names and labels, degenerate columns, odd widths."""
    n_cols = rng.choice([1, 2, 3, 5, 40])
    names = [_nasty(rng) if rng.random() < 0.3 else f"c{i}" for i in range(n_cols)]
    rows = rng.choice([0, 1, 2, 5, 30, 300])
    kinds = [rng.choice(["int", "float", "label", "binary", "const", "nasty", "missing"])
             for _ in names]
    sep = rng.choice([",", ";", "\t", "|"])

    def value(kind: str) -> str:
        if kind == "int":
            return str(rng.choice([0, 0, 1, 2, 3, 7, 40, -1]))
        if kind == "float":
            return repr(rng.lognormvariate(0, 2) * rng.choice([1, -1, 1e6, 1e-6]))
        if kind == "label":
            return rng.choice(["cat", "dog", "bird", _nasty(rng)])
        if kind == "binary":
            return rng.choice(["0", "0", "0", "1"])
        if kind == "const":
            return "1"
        if kind == "missing":
            return rng.choice(["", "NaN", "null", "NA"])
        return _nasty(rng)

    def quote(text: str) -> str:
        if any(c in text for c in (sep, '"', "\n", "\r")) or rng.random() < 0.05:
            return '"' + text.replace('"', '""') + '"'
        return text

    out = [sep.join(quote(n) for n in names)]
    for _ in range(rows):
        out.append(sep.join(quote(value(k)) for k in kinds))
    newline = rng.choice(["\n", "\r\n", "\r"])
    raw = (newline.join(out) + newline).encode(rng.choice(["utf-8", "utf-8", "utf-16"])
                                               if rng.random() < 0.1 else "utf-8",
                                               "surrogatepass")
    case.files["table.csv"] = raw
    case.args = _profile_args(rng, "table.csv", names)


CONFIG_SUFFIXES = (".yaml", ".json", ".toml", ".conf")


def _dump(rng: random.Random, data: Any, suffix: str) -> str:
    if suffix == ".json":
        return json.dumps(data, indent=rng.choice([None, 2]), default=str)
    if suffix == ".toml":
        return _toml(data) if isinstance(data, dict) else f"x = {_toml_value(data)}\n"
    if suffix == ".conf":
        if isinstance(data, dict):
            return "".join(f"{k} = {v if not isinstance(v, (dict, list)) else json.dumps(v)}\n"
                           for k, v in data.items())
        return f"objective = {data}\n"
    import yaml

    try:
        return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    except yaml.YAMLError:
        return json.dumps(data, default=str)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value) if abs(value) < 2**63 else f'"{value}"'
    if value is None:
        return '""'
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(str(k))} = {_toml_value(v)}"
                               for k, v in value.items()) + "}"
    return json.dumps(str(value))


def _toml(data: dict, prefix: str = "") -> str:
    """A small TOML writer (the standard library only reads TOML)."""
    lines, tables = [], []
    for key, value in data.items():
        if isinstance(value, dict) and value and len(prefix) < 200:
            tables.append((key, value))
        else:
            lines.append(f"{json.dumps(str(key))} = {_toml_value(value)}")
    out = "\n".join(lines) + "\n"
    for key, value in tables:
        name = f"{prefix}.{json.dumps(str(key))}" if prefix else json.dumps(str(key))
        out += f"\n[{name}]\n" + _toml(value, name)
    return out


def _parse_fixture(name: str, text: str) -> Any:
    if name.endswith(".json"):
        return json.loads(text)
    if name.endswith(".toml"):
        import tomllib

        return tomllib.loads(text)
    if name.endswith(".conf"):
        return {k.strip(): v.strip() for k, v in (line.split("=", 1) for line in
                                                  text.splitlines()
                                                  if "=" in line and not line.startswith("#"))}
    import yaml

    return yaml.safe_load(text)


def _tree_or_none(name: str, text: str) -> Any:
    """A fixture's parsed tree; None for shapes plain parsers do not read (Python configs,
    HyperPyYAML tags), which are then mutated as bytes only."""
    if name.endswith(".py"):
        return None
    try:
        return _parse_fixture(name, text)
    except Exception:  # noqa: BLE001 - any parser's refusal means "bytes only"
        return None


def _data_args(rng: random.Random, case: Case) -> list[str]:
    """Often give lint a small data file so the data-dependent checks run too."""
    if rng.random() < 0.5:
        return []
    name, raw = rng.choice(sorted(material()["samples"].items()))
    case.files["train.csv"] = b"".join(raw.splitlines(keepends=True)[:rng.choice([3, 60])])
    columns = _header(raw)
    return ["--data", "train.csv", "--target", rng.choice(columns)]


def _lint_format(rng: random.Random) -> list[str]:
    return ["--format", rng.choice(["text", "text", "json", "github", "sarif", "markdown"])]


def gen_config(rng: random.Random, case: Case) -> None:
    """A real config shape (Hydra, Lightning, Keras, XGBoost, LightGBM, Ludwig), mutated."""
    configs = {k: v for k, v in material()["configs"].items() if k != "pyproject.toml"}
    name, text = rng.choice(sorted(configs.items()))
    suffix = Path(name).suffix if Path(name).suffix in CONFIG_SUFFIXES else ".yaml"
    tree = _tree_or_none(name, text)
    if tree is not None and rng.random() < 0.6:
        data = _mutate_tree(rng, tree, rng.randint(1, 4))
        if rng.random() < 0.15:
            suffix = rng.choice(CONFIG_SUFFIXES)
        text = _dump(rng, data, suffix)
    raw = text.encode("utf-8", "surrogatepass")
    if rng.random() < 0.4:
        raw = _mutate_bytes(rng, raw, rng.randint(1, 3))
    filename = "config" + suffix
    case.files[filename] = raw
    case.args = ["lint", filename, *_data_args(rng, case), *_lint_format(rng)]


def gen_config_new(rng: random.Random, case: Case) -> None:
    """Configs built from scratch: wrong shapes, deep nesting, trailing commas, long lines."""
    suffix = rng.choice(CONFIG_SUFFIXES)
    roll = rng.random()
    if roll < 0.25:
        levels = rng.choice([100, 1000, 10_000])
        text = {".json": "[" * levels + "]" * levels,
                ".toml": "a = " + "[" * levels + "]" * levels + "\n",
                ".yaml": "a: " + "[" * levels + "]" * levels + "\n",
                ".conf": "objective = " + "[" * levels + "\n"}[suffix]
        if suffix == ".toml" and rng.random() < 0.5:
            text = "a = " + "{b = " * levels + "1" + "}" * levels + "\n"
        if suffix == ".json" and rng.random() < 0.5:
            text = '{"a":' * levels + "1" + "}" * levels
    elif roll < 0.45:
        key = rng.choice(["loss", "objective", "metrics", "eval_metric", "criterion", "data",
                          "target", "label", "scoring", "num_class", "from_logits"])
        text = _dump(rng, {key: _random_value(rng), **({"data": _nasty(rng)} if rng.random()
                                                      < 0.2 else {})}, suffix)
    elif roll < 0.6:
        text = _dump(rng, _random_value(rng), suffix)
    elif roll < 0.7:
        text = '{"loss": "mse", "metrics": ["mae",],}' if suffix == ".json" else (
            "objective = " + "x" * rng.choice([10_000, 2_000_000]) + "\n")
    elif roll < 0.8:
        text = "objective = regression\nmetric = " + ",".join(
            rng.choice(["l1", "l2", "auc", _nasty(rng)]) for _ in range(rng.choice([3, 5000])))
    else:
        text = _dump(rng, {_nasty(rng): _nasty(rng), "loss": _nasty(rng),
                           "metrics": [_nasty(rng), _nasty(rng)]}, suffix)
    filename = "cfg" + suffix
    case.files[filename] = text.encode("utf-8", "surrogatepass")
    case.args = ["lint", filename, *_data_args(rng, case), *_lint_format(rng)]


TOOL_KEYS = ["data", "target", "task", "framework", "loss", "loss_args", "metrics", "ignore",
             "configs", "thresholds", "models"]


def gen_tool_config(rng: random.Random, case: Case) -> None:
    """pyproject.toml / lossadvisor.toml with [tool.lossadvisor] values of every shape."""
    section: dict[str, Any] = {"loss": "mse", "metrics": ["mae"]}
    for _ in range(rng.randint(1, 4)):
        key = rng.choice(TOOL_KEYS + ["thresholdz", _nasty(rng)])
        roll = rng.random()
        if key == "thresholds" and roll < 0.5:
            section[key] = {rng.choice(["imbalance_ratio", "small_sample_rows", "skewnes",
                                        _nasty(rng)]): _random_value(rng)}
        elif key == "ignore" and roll < 0.5:
            section[key] = rng.choice(["LNT110", ["LNT110"], [1, None], "", ["lnt1\x1b"]])
        elif key == "configs" and roll < 0.5:
            case.files["other.yaml"] = b"loss: mse\nmetrics: [mape]\n"
            section[key] = rng.choice([["other.yaml"], "other.yaml", [1], ["missing.yaml"],
                                       ["pyproject.toml"], ["../../etc/passwd"]])
        elif key == "models" and roll < 0.5:
            section[key] = {"m": {"loss": _random_value(rng), "metrics": _random_value(rng)}}
        elif key == "data" and roll < 0.5:
            name, raw = rng.choice(sorted(material()["samples"].items()))
            case.files["d.csv"] = b"".join(raw.splitlines(keepends=True)[:50])
            section[key] = "d.csv"
            section["target"] = rng.choice(_header(raw))
        else:
            section[key] = _random_value(rng)
    if rng.random() < 0.5:
        filename, text = "pyproject.toml", _toml({"tool": {"lossadvisor": section}})
    else:
        filename, text = "lossadvisor.toml", _toml(section)
    raw = text.encode("utf-8", "surrogatepass")
    if rng.random() < 0.25:
        raw = _mutate_bytes(rng, raw, 1)
    case.files[filename] = raw
    roll = rng.random()
    if roll < 0.6:
        case.args = ["lint", *_lint_format(rng)]
    elif roll < 0.9:
        name, data = rng.choice(sorted(material()["samples"].items()))
        case.files["s.csv"] = b"".join(data.splitlines(keepends=True)[:80])
        case.args = ["profile", "s.csv", "--target", _header(data)[-1]]
    else:
        case.args = ["traits"]


def gen_rules(rng: random.Random, case: Case) -> None:
    """A user rule folder: built-in rules with values of the wrong type, or broken text."""
    import yaml

    name, text = rng.choice(sorted(material()["rules"].items()))
    rules = yaml.safe_load(text)["rules"]
    chosen = rng.sample(rules, min(len(rules), rng.randint(1, 3)))
    for rule in chosen:
        rule["id"] = rng.choice(["USR001", "USR002", rule["id"], _nasty(rng)])
        if rng.random() < 0.5:
            rule["name"] = "team." + rng.choice(["a", "b", "c-d"]) + str(rng.randint(0, 3))
    doc: Any = {"rules": chosen}
    doc = _mutate_tree(rng, doc, rng.randint(0, 4))
    try:
        out = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
    except yaml.YAMLError:
        out = json.dumps(doc, default=str)
    raw = out.encode("utf-8", "surrogatepass")
    if rng.random() < 0.3:
        raw = _mutate_bytes(rng, raw, rng.randint(1, 3))
    case.files["myrules/team.yaml"] = raw
    roll = rng.random()
    if roll < 0.35:
        case.args = ["rules", "--rules", "myrules", "--format",
                     rng.choice(["table", "json", "markdown"])]
    elif roll < 0.55:
        case.args = ["explain", rng.choice(["USR001", "USR002", "REC032", "LNT110"]), "--rules",
                     "myrules", "--format", rng.choice(["table", "json", "markdown"])]
    elif roll < 0.85:
        sample, data = rng.choice(sorted(material()["samples"].items()))
        case.files["s.csv"] = b"".join(data.splitlines(keepends=True)[:120])
        case.args = ["profile", "s.csv", "--target", _header(data)[-1], "--rules", "myrules",
                     "--format", rng.choice(["table", "json", "markdown"])]
    else:
        case.files["c.yaml"] = b"objective: reg:squarederror\neval_metric: [mape]\n"
        case.args = ["lint", "c.yaml", "--rules", "myrules", *_lint_format(rng)]


def gen_output(rng: random.Random, case: Case) -> None:
    """`-o` aimed at something the run reads: data, configs, project files, rule files."""
    name, data = rng.choice(sorted(material()["samples"].items()))
    case.files["d.csv"] = b"".join(data.splitlines(keepends=True)[:60])
    target = _header(data)[-1]
    case.files["cfg.yaml"] = f"loss: mse\nmetrics: [mape]\ndata: d.csv\ntarget: {target}\n".encode()
    case.files["pyproject.toml"] = (b'[tool.lossadvisor]\nloss = "mse"\nconfigs = ["cfg.yaml"]\n')
    victim = rng.choice(["d.csv", "cfg.yaml", "pyproject.toml", "./d.csv", "sub/../d.csv",
                         "link.csv", "hard.csv", "new.txt"])
    if victim in ("link.csv", "hard.csv"):
        case.files[victim] = b"@" + victim.encode()  # made a link by the runner
    roll = rng.random()
    if roll < 0.4:
        case.args = ["profile", "d.csv", "--target", target, "-o", victim]
        case.may_write = {"cfg.yaml"}  # profile reads the data and pyproject.toml, not configs
    elif roll < 0.7:
        case.args = ["lint", "-o", victim]
    elif roll < 0.85:
        case.args = ["lint", "cfg.yaml", "-o", victim]
    else:
        case.files["r/x.yaml"] = (ROOT / "rules" / "count.yaml").read_bytes()
        case.args = ["rules", "--rules", "r", "-o", rng.choice(["r/x.yaml", "r/../r/x.yaml"])]


GENERATORS = {"csv": gen_csv, "csv-new": gen_csv_new, "config": gen_config,
              "config-new": gen_config_new, "tool-config": gen_tool_config, "rules": gen_rules,
              "output": gen_output}


def materialize(case: Case, folder: Path) -> None:
    """Write a case's files; `@name` content makes a symbolic (link.csv) or hard link."""
    (folder / "sub").mkdir(exist_ok=True)
    for name, raw in case.files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if raw == b"@link.csv":
            path.symlink_to("d.csv")
        elif raw == b"@hard.csv":
            os.link(folder / "d.csv", path)
        else:
            path.write_bytes(raw)


def _digest(folder: Path) -> dict[str, str]:
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.name.startswith(".lossadvisor-"):
            out[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def raw_controls(text: str) -> str:
    """The control characters in text that a terminal would act on."""
    return "".join(sorted({c for c in text if c in CONTROL}))


def judge(case: Case, exit_code: int | None, stdout: str, stderr: str, exception: str | None,
          before: dict[str, str], after: dict[str, str]) -> list[tuple[str, str]]:
    """The broken promises in one outcome, as (category, detail)."""
    problems = []
    if exception:
        problems.append(("traceback", exception))
    elif "Traceback (most recent call last)" in stderr:
        problems.append(("traceback", stderr.strip().splitlines()[-1][:300]))
    if exit_code is not None and exit_code not in (0, 1, 2):
        problems.append(("bad-exit", f"exit {exit_code}: {stderr.strip()[-300:]}"))
    changed = [name for name, digest in before.items()
               if name not in case.may_write and after.get(name) != digest]
    if changed:
        problems.append(("input-modified", ", ".join(changed)))
    for stream, text in (("stdout", stdout), ("stderr", stderr)):
        found = raw_controls(text)
        if found:
            problems.append(("raw-control", f"{stream} has {found!r}"))
    return problems


# -- in-process runner (worker side) -------------------------------------------------------
def run_in_process(case: Case, folder: Path) -> dict[str, Any]:
    from typer.testing import CliRunner

    from advisor.cli import app

    materialize(case, folder)
    before = _digest(folder)
    old = os.getcwd()
    os.chdir(folder)
    try:
        result = CliRunner().invoke(app, case.args, input=case.stdin, catch_exceptions=True,
                                    env={"GITHUB_ACTIONS": None, "COLUMNS": "100"})
    finally:
        os.chdir(old)
    exception = None
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        exc_type, exc, tb = result.exc_info
        frames = traceback.extract_tb(tb)
        last = frames[-1] if frames else None
        where = f" at {Path(last.filename).name}:{last.lineno}" if last else ""
        exception = f"{exc_type.__name__}: {str(exc)[:200]}{where}"
    stderr = result.stderr if hasattr(result, "stderr") else ""
    return {
        "problems": judge(case, result.exit_code, result.stdout, stderr, exception, before,
                          _digest(folder)),
        "exit": result.exit_code,
    }


def worker_main() -> None:
    """Read case indices on stdin, answer one JSON line each on the original stdout."""
    proto = os.fdopen(os.dup(1), "w", buffering=1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)  # native code writing to fd 1 must not corrupt the protocol
    base = Path(tempfile.mkdtemp(prefix="lossadvisor-fuzz-"))
    os.environ["LOSSADVISOR_CACHE_DIR"] = str(base / "cache")
    import advisor.analyze  # noqa: F401  (import the heavy modules once, before the clock)
    import advisor.cli  # noqa: F401

    proto.write("ready\n")
    for line in sys.stdin:
        seed_text, index_text, *kinds = line.split()
        seed, index = int(seed_text), int(index_text)
        folder = base / f"case{index}"
        folder.mkdir()
        start = time.monotonic()
        kind = "?"
        try:
            case = make_case(seed, index, tuple(kinds))
            kind = case.kind
            outcome = run_in_process(case, folder)
        except Exception as exc:  # the fuzzer's own failure must not pass as lossadvisor's
            outcome = {"problems": [("fuzzer-error", f"{type(exc).__name__}: {exc}")],
                       "exit": None}
        outcome["kind"] = kind
        outcome["seconds"] = round(time.monotonic() - start, 3)
        outcome["index"] = index
        shutil.rmtree(folder, ignore_errors=True)
        proto.write(json.dumps(outcome) + "\n")


def run_subprocess(case: Case, timeout: float) -> list[tuple[str, str]] | None:
    """One case as a real process: catches aborts at interpreter exit. None when the case
    cannot be a command line (no shell passes a NUL byte in an argument)."""
    if any("\x00" in arg for arg in case.args):
        return None
    with tempfile.TemporaryDirectory(prefix="lossadvisor-fuzz-") as tmp:
        folder = Path(tmp)
        materialize(case, folder)
        before = _digest(folder)
        env = {**os.environ, "LOSSADVISOR_CACHE_DIR": str(folder / ".cache"),
               "PYTHONPATH": str(ROOT)}
        env.pop("GITHUB_ACTIONS", None)
        try:
            proc = subprocess.run([sys.executable, "-m", "advisor", *case.args], cwd=folder,
                                  input=case.stdin or b"", capture_output=True, timeout=timeout,
                                  env=env)
        except subprocess.TimeoutExpired:
            return [("hang", f"subprocess over {timeout:g} s")]
        stderr = proc.stderr.decode("utf-8", "replace")
        code = proc.returncode
        problems = judge(case, code if code >= 0 else None,
                         proc.stdout.decode("utf-8", "replace"), stderr, None, before,
                         _digest(folder))
        if code < 0:
            problems.append(("crash", f"killed by signal {-code}: {stderr.strip()[-300:]}"))
        return problems


# -- supervisor ----------------------------------------------------------------------------
class Worker:
    def __init__(self, log_dir: Path, number: int):
        self.log = open(log_dir / f"worker{number}.log", "ab")
        self.proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--worker"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log, text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)}, bufsize=1,
        )
        self.index: int | None = None
        self.started = 0.0
        if self.proc.stdout.readline().strip() != "ready":
            raise RuntimeError(f"fuzz worker did not start; see {self.log.name}")

    def send(self, seed: int, index: int, kinds: tuple[str, ...]) -> None:
        self.index, self.started = index, time.monotonic()
        self.proc.stdin.write(" ".join([str(seed), str(index), *kinds]) + "\n")
        self.proc.stdin.flush()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.log.close()


@dataclass
class Report:
    n: int = 0
    by_kind: collections.Counter = field(default_factory=collections.Counter)
    exits: collections.Counter = field(default_factory=collections.Counter)
    failures: list[dict[str, Any]] = field(default_factory=list)
    subprocess_runs: int = 0
    seconds: float = 0.0
    slowest: float = 0.0
    slowest_case: int | None = None

    def counts(self) -> dict[str, int]:
        out = {c: 0 for c in CATEGORIES}
        for failure in self.failures:
            out[failure["category"]] = out.get(failure["category"], 0) + 1
        return out


def run(n: int, seed: int = 1, jobs: int = 2, timeout: float = 10.0,
        subprocess_every: int = 50, findings: Path | None = None,
        progress: bool = False, kinds: tuple[str, ...] = ()) -> Report:
    """Run cases 0..n-1; returns the report (failures saved under ``findings`` if given)."""
    report = Report()
    start = time.monotonic()
    log_dir = Path(tempfile.mkdtemp(prefix="lossadvisor-fuzz-logs-"))
    workers = [Worker(log_dir, i) for i in range(max(1, jobs))]
    selector = selectors.DefaultSelector()
    for w in workers:
        selector.register(w.proc.stdout, selectors.EVENT_READ, w)
    pending = iter(range(n))
    busy = 0

    def feed(w: Worker) -> bool:
        index = next(pending, None)
        if index is None:
            w.index = None
            return False
        w.send(seed, index, kinds)
        return True

    def record(index: int, problems: list[tuple[str, str]], how: str) -> None:
        case = make_case(seed, index, kinds)
        for category, detail in problems:
            failure = {"index": index, "kind": case.kind, "category": category,
                       "detail": detail, "args": case.args, "how": how}
            report.failures.append(failure)
            if findings is not None:
                save_finding(findings, seed, case, failure)

    def replace(w: Worker, category: str, detail: str) -> bool:
        """Record the case a worker was on, start a fresh worker and feed it."""
        record(w.index, [(category, detail)], "in-process")
        report.n += 1
        selector.unregister(w.proc.stdout)
        w.stop()
        fresh = Worker(log_dir, len(workers))
        workers[workers.index(w)] = fresh
        selector.register(fresh.proc.stdout, selectors.EVENT_READ, fresh)
        return feed(fresh)

    try:
        for w in workers:
            busy += feed(w)
        while busy:
            events = selector.select(timeout=0.5)
            for key, _ in events:
                w = key.data
                line = w.proc.stdout.readline()
                if not line:  # the worker died: a native crash
                    busy -= not replace(w, "crash", f"worker died (exit {w.proc.wait()})")
                    continue
                outcome = json.loads(line)
                report.n += 1
                report.exits[outcome["exit"]] += 1
                report.by_kind[outcome["kind"]] += 1
                if outcome["seconds"] > report.slowest:
                    report.slowest, report.slowest_case = outcome["seconds"], outcome["index"]
                if outcome["problems"]:
                    record(outcome["index"], [tuple(p) for p in outcome["problems"]],
                           "in-process")
                if subprocess_every and outcome["index"] % subprocess_every == 0:
                    problems = run_subprocess(make_case(seed, outcome["index"], kinds),
                                              timeout)
                    report.subprocess_runs += problems is not None
                    if problems:
                        record(outcome["index"], problems, "subprocess")
                if progress and report.n % 500 == 0:
                    print(f"  {report.n}/{n} cases, {len(report.failures)} failures",
                          file=sys.stderr, flush=True)
                if not feed(w):
                    busy -= 1
            now = time.monotonic()
            for w in list(workers):
                if w.index is not None and now - w.started > timeout:
                    busy -= not replace(w, "hang", f"no answer within {timeout:g} s")
    finally:
        for w in workers:
            w.stop()
        shutil.rmtree(log_dir, ignore_errors=True)
    report.seconds = time.monotonic() - start
    return report


def save_finding(findings: Path, seed: int, case: Case, failure: dict[str, Any]) -> None:
    folder = findings / f"{failure['category']}-{case.kind}-{seed}-{case.index}"
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / "cmd.txt").exists():
        materialize(case, folder)
    if case.stdin is not None:
        (folder / "stdin.bin").write_bytes(case.stdin)
    (folder / "cmd.txt").write_text(
        "cd " + str(folder) + " && lossadvisor " + " ".join(_shell(a) for a in case.args)
        + (" < stdin.bin" if case.stdin is not None else "") + "\n"
        + f"# the case again: python benchmarks/fuzz.py --seed {seed} --case {case.index}"
        f" --kinds {case.kind}\n",
        encoding="utf-8")
    with (folder / "failure.json").open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(failure, ensure_ascii=True) + "\n")


def _shell(arg: str) -> str:
    import shlex

    if raw_controls(arg) or "\n" in arg:
        return "$'" + arg.encode("unicode_escape").decode("ascii").replace("'", "\\'") + "'"
    return shlex.quote(arg)


def summarize(report: Report) -> str:
    counts = report.counts()
    lines = [
        f"{report.n} cases in {report.seconds:.0f} s ({report.subprocess_runs} also as "
        f"subprocesses); slowest in-process case {report.slowest:.2f} s (case "
        f"{report.slowest_case})",
        "cases by kind: " + ", ".join(f"{k} {v}" for k, v in sorted(report.by_kind.items())),
        "exit codes: " + ", ".join(f"{k}: {v}" for k, v in sorted(
            report.exits.items(), key=lambda kv: str(kv[0]))),
        "broken promises: " + ", ".join(f"{k} {v}" for k, v in counts.items()),
    ]
    signatures: dict[tuple[str, str], list[int]] = collections.defaultdict(list)
    for failure in report.failures:
        detail = failure["detail"].split(":")[0] if failure["category"] != "traceback" else (
            failure["detail"].split(" at ")[-1] + " " + failure["detail"].split(":")[0])
        signatures[(failure["category"], f"{failure['kind']}: {detail}")].append(
            failure["index"])
    for (category, detail), indices in sorted(signatures.items()):
        lines.append(f"  {category:15} {len(indices):5}  {detail}  (e.g. case {indices[0]})")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="number of cases")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=2, help="worker processes")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds before a hang")
    parser.add_argument("--subprocess-every", type=int, default=50,
                        help="also run every Nth case as a real process (0: never)")
    parser.add_argument("--findings", type=Path, default=Path("/tmp/fuzz-findings"),
                        help="folder for reproducers of failures")
    parser.add_argument("--case", type=int, help="print one case's command and files, then run "
                        "it in-process")
    parser.add_argument("--kinds", default="", help="only these kinds of case, comma-"
                        f"separated: {', '.join(KINDS)}")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    kinds = tuple(k for k in args.kinds.split(",") if k)
    unknown = set(kinds) - set(KINDS)
    if unknown:
        parser.error(f"unknown kinds {sorted(unknown)}; choose among {', '.join(KINDS)}")
    if args.worker:
        worker_main()
        return 0
    if args.case is not None:
        case = make_case(args.seed, args.case, kinds)
        print(f"kind {case.kind}: lossadvisor {' '.join(_shell(a) for a in case.args)}")
        for name, raw in case.files.items():
            print(f"--- {name} ({len(raw)} bytes): {base64.b16encode(raw[:60]).decode()}...")
        with tempfile.TemporaryDirectory() as tmp:
            print(json.dumps(run_in_process(case, Path(tmp)), indent=2))
        return 0
    report = run(args.n, args.seed, args.jobs, args.timeout, args.subprocess_every,
                 args.findings, progress=True, kinds=kinds)
    print(summarize(report))
    if report.failures:
        print(f"reproducers under {args.findings}/")
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
