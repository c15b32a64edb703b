"""Snippets run when pasted into a fresh file: each carries the imports it needs, every one
parses, the import lines themselves are real (checked against the installed libraries), and
the scikit-learn snippet for fraud.csv executes in a clean namespace."""

from __future__ import annotations

import ast
import importlib.util
import json

import pytest
from conftest import SAMPLES

from advisor import template
from advisor.catalog import load_catalog
from advisor.frameworks import knowledge
from advisor.snippets import used_names, with_imports

DATA_NAMES = {"X", "y", "x", "model", "logits", "targets", "counts", "exposure", "event", "time",
              "risk", "scores", "relevance", "qid", "group_sizes", "gt_boxes", "pred_boxes"}
"""The user's own data and model, which a snippet names but cannot import."""


def _snippets():
    catalog = load_catalog()
    for entry in catalog.losses.values():
        variants = [*entry.snippets.items(), *entry.integer_label_snippets.items()]
        for framework, code in variants:
            text, _ = template.render_code(code, {})
            yield entry.id, framework, text


SNIPPETS = list(_snippets())


def test_there_are_snippets_for_every_snippet_framework():
    frameworks = {fw for _, fw, _ in SNIPPETS}
    assert frameworks == set(knowledge().ids(snippets_only=True))


@pytest.mark.parametrize("loss,framework,code", SNIPPETS,
                         ids=[f"{loss}-{fw}-{i}" for i, (loss, fw, _) in enumerate(SNIPPETS)])
def test_every_snippet_parses_and_imports_every_library_name(loss, framework, code):
    imports = knowledge().frameworks[framework].imports
    full = with_imports(code, imports)
    ast.parse(full)
    unresolved = {n for n in used_names(code) if n not in imports and n not in DATA_NAMES
                  and not n.isupper()}  # UPPER_CASE: a named placeholder for a data value
    assert not unresolved, f"{loss}/{framework}: no import declared for {sorted(unresolved)}"


IMPORT_LINES = sorted({(fw.id, line) for fw in knowledge().frameworks.values()
                       for line in fw.imports.values()})


@pytest.mark.parametrize("framework,line", IMPORT_LINES)
def test_declared_imports_exist_in_the_library(framework, line):
    module = line.split()[1]
    if importlib.util.find_spec(module.split(".")[0]) is None:
        pytest.skip(f"{module} is not installed here")
    exec(line, {})  # noqa: S102 - our own data file, a plain import statement


def test_sklearn_snippet_runs_in_a_clean_namespace(cli):
    result = cli(["profile", str(SAMPLES / "fraud.csv"), "-t", "is_fraud", "--framework",
                  "sklearn", "-f", "json"])
    code = json.loads(result.stdout)["snippet"]["code"]
    assert code.startswith("from sklearn.")
    namespace: dict = {}
    exec(compile(code, "<snippet>", "exec"), namespace)  # noqa: S102 - the tool's own output
    assert any(type(v).__module__.startswith("sklearn") or getattr(v, "__module__", "").
               startswith("sklearn") for v in namespace.values())


def test_imports_are_merged_and_only_for_names_used():
    imports = {"np": "import numpy as np", "A": "from m import A", "B": "from m import B",
               "C": "from m import C"}
    assert with_imports("A(x=np.log1p)\nB()", imports) == (
        "import numpy as np\nfrom m import A, B\n\nA(x=np.log1p)\nB()")
    assert with_imports("z = 1", imports) == "z = 1"
