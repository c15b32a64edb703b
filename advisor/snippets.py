"""Complete snippets: the imports a printed snippet needs, from rules/frameworks.yaml.

A snippet in the catalog is the one line that matters (``LGBMRegressor(objective="tweedie")``);
pasted alone into a fresh file it fails with NameError. The names it uses are read from its
syntax tree and each is given the import the framework file declares for it, so the knowledge
stays data and the import lines cannot drift from the code they serve.
"""

from __future__ import annotations

import ast


def used_names(code: str) -> list[str]:
    """Names the code reads without defining them, in order of first use."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    assigned = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)
                and isinstance(n.ctx, ast.Store)}
    seen: dict[str, None] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) \
                and node.id not in assigned:
            seen.setdefault(node.id, None)
    return list(seen)


def with_imports(code: str, imports: dict[str, str]) -> str:
    """``code`` preceded by the import lines its names need (``import`` lines first, then
    ``from`` lines merged per module, each group sorted)."""
    plain: set[str] = set()
    merged: dict[str, set[str]] = {}
    for name in used_names(code):
        line = imports.get(name)
        if line is None:
            continue
        if line.startswith("from "):
            module, _, names = line[len("from "):].partition(" import ")
            merged.setdefault(module, set()).update(n.strip() for n in names.split(","))
        else:
            plain.add(line)
    lines = sorted(plain) + [f"from {module} import {', '.join(sorted(names))}"
                             for module, names in sorted(merged.items())]
    return "\n".join(lines) + "\n\n" + code if lines else code
