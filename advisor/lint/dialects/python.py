"""Python configs (OpenMMLab ``dict(type=...)`` files, detectron2 LazyConfig ``L(X)(...)``),
read with :mod:`ast` only: never imported, never executed.

Literals, ``dict(...)`` calls, ``L(Class)(...)`` lazy calls, names assigned earlier, attribute
assignments (``model.head.num_classes = 3``), ``_base_`` inheritance, ``from .x import y`` of
sibling config files (also inside mmengine's ``with read_base():`` and as ``import *``) and
classes imported by name (``type=CrossEntropyLoss`` in mmengine's new-style configs, read as the
class name the registry knows) are understood; anything else (calls, arithmetic,
comprehensions) is kept as an opaque value and named in a note.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

from advisor.catalog import Catalog
from advisor.errors import InputError
from advisor.frameworks import knowledge
from advisor.lint.model import ModelConfig
from advisor.lint.source import read_text
from advisor.lint.tree import read_tree
from advisor.yamlio import MAX_DEPTH

NAME = "python"
SUMMARY = ("OpenMMLab `loss_cls=dict(type='FocalLoss', ...)`, `loss_bbox`, `loss_decode`, "
           "evaluators; detectron2 LazyConfig `L(RetinaNet)(focal_loss_gamma=...)`; `_base_` "
           "files and imports of sibling configs resolved; read with `ast`, never executed")
EXAMPLE = "loss_cls=dict(type='FocalLoss', use_sigmoid=True, gamma=2.0, alpha=0.25)"
MAX_FILES = 50
"""Most config files one Python config may pull in through _base_ and imports."""


class Opaque:
    """A Python expression lint does not evaluate (a call, arithmetic, a comprehension)."""

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return f"<{self.text}>"


def detect(path: Path, text: str) -> bool:
    return path.suffix.lower() == ".py"


def read(path: Path, text: str, catalog: Catalog) -> list[ModelConfig]:
    reader = _Reader(path)
    namespace = reader.module(path, text, 0)
    tree = _plain({k: v for k, v in namespace.items() if not k.startswith("__")})
    model = read_tree(path, tree, text, catalog, NAME, framework=_framework(reader.imported, tree))
    model.notes.extend(dict.fromkeys(reader.notes))
    for name, skipped in reader.unevaluated.items():
        unique = sorted(set(skipped))
        model.notes.append(f"{name}: {'line' if len(unique) == 1 else 'lines'} "
                           f"{', '.join(f'{line} ({kind})' for line, kind in unique)} not "
                           "evaluated (calls and expressions are never run)")
    return [model]


def _framework(imported: set[str], tree: Any) -> str | None:
    """detectron2 when the config (or a file it pulls in) imports from it (LazyConfig);
    OpenMMLab when it imports mmengine or an OpenMMLab package, or configures components as
    ``dict(type=...)``, the registry spelling only OpenMMLab's Python configs use."""
    for framework in ("detectron2", "openmmlab"):
        if framework in imported:
            return framework
    return "openmmlab" if _has_type_dict(tree) else None


def _has_type_dict(value: Any, depth: int = 0) -> bool:
    if depth > MAX_DEPTH:
        return False
    if isinstance(value, dict):
        if isinstance(value.get("type"), str) and "_target_" not in value:
            return True
        return any(_has_type_dict(v, depth + 1) for v in value.values())
    if isinstance(value, list):
        return any(_has_type_dict(v, depth + 1) for v in value)
    return False


def _plain(value: Any) -> Any:
    """Opaque values become their source text marked as such, so the walker skips them."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if isinstance(k, str)}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Opaque):
        return None
    return value


class _Reader:
    def __init__(self, root: Path):
        self.root = root
        self.files = 0
        self.notes: list[str] = []
        self.unevaluated: dict[str, list[tuple[int, str]]] = {}
        """Lines per file whose calls or expressions were left unrun: one note per file, so
        a folder of configs does not print one line per skipped call."""
        self.current = root
        self.imported: set[str] = set()
        """Frameworks the config and the files it pulls in import from."""

    def module(self, path: Path, text: str, depth: int) -> dict[str, Any]:
        self.files += 1
        previous, self.current = self.current, path
        if self.files > MAX_FILES or depth > 8:
            raise InputError(f"pulls in more than {MAX_FILES} config files (a cycle?)", str(path))
        try:
            tree = ast.parse(text, filename=str(path))
        except SyntaxError as exc:
            raise InputError(f"invalid Python: {exc.msg}", f"{path}:{exc.lineno or 1}") from None
        except (RecursionError, MemoryError, ValueError):
            raise InputError(f"nested deeper than {MAX_DEPTH} levels", str(path)) from None
        scope: dict[str, Any] = {}
        imports: dict[str, str] = {}
        self.statements(tree.body, path, scope, imports, depth)
        base = scope.pop("_base_", None)
        if base is not None:
            scope = self.inherit(base, path, scope, depth)
        self.current = previous
        return scope

    def statements(self, body: list[ast.stmt], path: Path, scope: dict, imports: dict,
                   depth: int) -> None:
        for node in body:
            if isinstance(node, ast.ImportFrom):
                self.import_from(node, path, scope, imports, depth)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    imports[alias.asname or alias.name] = alias.name
                    self.note_framework(alias.name)
            elif isinstance(node, ast.Assign) and len(node.targets) == 1:
                self.assign(node.targets[0], node.value, scope, imports)
            elif isinstance(node, ast.With) and _reads_base(node):
                # mmengine new-style configs: `with read_base(): from .._base_.x import *`
                self.statements(node.body, path, scope, imports, depth)

    def note_framework(self, module: str) -> None:
        framework = knowledge().of_module(module)
        if framework:
            self.imported.add(framework)

    def import_from(self, node: ast.ImportFrom, path: Path, scope: dict, imports: dict,
                    depth: int) -> None:
        if node.level == 0:
            for alias in node.names:
                imports[alias.asname or alias.name] = f"{node.module}.{alias.name}"
            self.note_framework(node.module or "")
            return
        # Resolved first: for `lint config.py` run in the config's folder, path.parent is '.',
        # whose parent is '.' again.
        folder = path.resolve().parent
        for _ in range(node.level - 1):
            folder = folder.parent
        target = folder.joinpath(*(node.module or "").split(".")).with_suffix(".py")
        if not target.is_file():
            self.notes.append(f"{path.name}: '{node.module}' not found; its names are skipped")
            return
        names = self.module(target, read_text(target), depth + 1)
        for alias in node.names:
            if alias.name == "*":
                scope.update({k: v for k, v in names.items() if not k.startswith("_")})
            elif alias.name in names:
                scope[alias.asname or alias.name] = names[alias.name]

    def assign(self, target: ast.expr, value: ast.expr, scope: dict, imports: dict) -> None:
        result = self.value(value, scope, imports)
        if isinstance(target, ast.Name):
            scope[target.id] = result
        elif isinstance(target, ast.Attribute):
            chain = []
            node: ast.expr = target
            while isinstance(node, ast.Attribute):
                chain.append(node.attr)
                node = node.value
            if isinstance(node, ast.Name) and isinstance(scope.get(node.id), dict):
                holder = scope[node.id]
                for key in reversed(chain[1:]):
                    nxt = holder.get(key)
                    if not isinstance(nxt, dict):
                        return
                    holder = nxt
                holder[chain[0]] = result

    def value(self, node: ast.expr, scope: dict, imports: dict) -> Any:
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, (ast.List, ast.Tuple)):
            return [self.value(item, scope, imports) for item in node.elts]
        if isinstance(node, ast.Dict):
            pairs = ((self.value(k, scope, imports), v)
                     for k, v in zip(node.keys, node.values, strict=True) if k is not None)
            return {k: self.value(v, scope, imports) for k, v in pairs
                    if isinstance(k, (str, int, float, bool))}
        if isinstance(node, ast.Name):
            if node.id in scope:
                return scope[node.id]
            if node.id in imports:
                # A class imported by name (`type=CrossEntropyLoss`): mmengine's registry
                # knows it by its class name.
                return imports[node.id].rsplit(".", 1)[-1]
            return Opaque(node.id)
        if isinstance(node, ast.Call):
            return self.call(node, scope, imports)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            inner = self.value(node.operand, scope, imports)
            if isinstance(inner, (int, float)):
                return -inner
        kind = type(node).__name__
        if isinstance(node, ast.Attribute) and isinstance(
                self.value(node.value, scope, imports), Opaque):
            return Opaque(kind)  # `get_config(...).model`: the call's note says why
        self.unevaluated.setdefault(self.current.name, []).append((node.lineno, kind))
        return Opaque(type(node).__name__)

    def call(self, node: ast.Call, scope: dict, imports: dict) -> Any:
        func = node.func
        kwargs = {kw.arg: self.value(kw.value, scope, imports)
                  for kw in node.keywords if kw.arg is not None}
        if isinstance(func, ast.Name) and func.id == "dict" and not node.args:
            return kwargs
        # detectron2 LazyCall: L(Class)(**kwargs) configures Class lazily.
        if (isinstance(func, ast.Call) and isinstance(func.func, ast.Name)
                and len(func.args) == 1):
            lazy = imports.get(func.func.id, func.func.id)
            if lazy.endswith("LazyCall") or func.func.id == "L":
                return {"_target_": _dotted(func.args[0], imports), **kwargs}
        called = _dotted(func, imports)
        if called.endswith("OmegaConf.create") and not kwargs and len(node.args) <= 1:
            # detectron2 LazyConfig: `dataloader = OmegaConf.create()`, filled in by attribute
            # assignments (`dataloader.evaluator = L(COCOEvaluator)(...)`)
            made = self.value(node.args[0], scope, imports) if node.args else {}
            if isinstance(made, dict):
                return made
        if called.rsplit(".", 1)[-1] == "get_config":
            self.notes.append(f"{self.current.name}:{node.lineno}: get_config() loads a config "
                              "shipped inside the framework (model_zoo); not read")
            return Opaque("get_config")
        self.unevaluated.setdefault(self.current.name, []).append((node.lineno, "call"))
        return Opaque("call")

    def inherit(self, base: Any, path: Path, scope: dict, depth: int) -> dict:
        """``_base_`` files first, this file's keys merged over them (mmengine's rules)."""
        files = base if isinstance(base, list) else [base]
        merged: dict[str, Any] = {}
        for item in files:
            if not isinstance(item, str):
                continue
            target = (path.parent / item).resolve()
            if not target.is_file():
                raise InputError(f"_base_ file '{item}' not found", str(path),
                                 "_base_ paths are relative to the config file")
            if target.suffix == ".py":
                merged = _merge(merged, self.module(target, read_text(target), depth + 1))
            else:
                self.notes.append(f"{path.name}: _base_ '{item}' is not a Python config; skipped")
        return _merge(merged, scope)


def _reads_base(node: ast.With) -> bool:
    """``with read_base():`` (mmengine), the one block whose imports a config is built from."""
    return any(isinstance(item.context_expr, ast.Call)
               and _dotted(item.context_expr.func, {}).rsplit(".", 1)[-1] == "read_base"
               for item in node.items)


def _dotted(node: ast.expr, imports: dict) -> str:
    if isinstance(node, ast.Name):
        return imports.get(node.id, node.id)
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value, imports)}.{node.attr}"
    return "?"


def _merge(base: dict, child: dict) -> dict:
    out = dict(base)
    for key, value in child.items():
        if (isinstance(value, dict) and isinstance(out.get(key), dict)
                and not value.get("_delete_")):
            out[key] = _merge(out[key], value)
        else:
            out[key] = {k: v for k, v in value.items() if k != "_delete_"} if isinstance(
                value, dict) else value
    return out
