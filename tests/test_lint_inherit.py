"""YAML `_base_` / `_BASE_` inheritance (advisor.lint.inherit) as PaddleSeg and PaddleDetection
resolve it, through the paddleseg dialect."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.catalog import load_catalog
from advisor.errors import InputError
from advisor.lint.dialects import read_config
from advisor.lint.inherit import merge

BASE = """batch_size: 2
model:
  num_classes: 19
loss:
  types:
    - type: CrossEntropyLoss
  coef: [1]
"""


def read(path: Path):
    (model,) = read_config(path, load_catalog())
    return model


def test_a_child_inherits_its_base_loss_and_overrides_what_it_sets(tmp_path):
    (tmp_path / "_base_").mkdir()
    (tmp_path / "_base_" / "city.yml").write_text(BASE)
    child = tmp_path / "child.yml"
    child.write_text("_base_: '_base_/city.yml'\n\nmodel:\n  type: DeepLabV3P\n  num_classes: 4\n")
    model = read(child)
    assert (model.dialect, model.framework, model.loss.canonical) == ("paddleseg", "paddle", "cce")
    assert model.options["num_class"].value == 4  # the child's value wins
    assert model.loss.line == 1  # inherited: placed at the `_base_` line of this file
    assert model.notes == ["inherits _base_/city.yml"]


def test_inherited_false_replaces_the_base_mapping(tmp_path):
    (tmp_path / "base.yml").write_text(BASE)
    child = tmp_path / "child.yml"
    child.write_text("_base_: base.yml\nloss:\n  _inherited_: false\n  types:\n"
                     "    - type: LovaszSoftmaxLoss\n  coef: [1]\n")
    model = read(child)
    assert model.loss.canonical == "lovasz" and model.losses == []
    assert model.loss.line == 5


def test_a_paddledetection_base_list_merges_in_order(tmp_path):
    (tmp_path / "data.yml").write_text("metric: COCO\nnum_classes: 80\n")
    (tmp_path / "model.yml").write_text(
        "architecture: PicoDet\nPicoHeadV2:\n  loss_bbox:\n    name: GIoULoss\n")
    child = tmp_path / "picodet.yml"
    child.write_text("_BASE_: [\n  'data.yml',\n  'model.yml',\n]\nnum_classes: 3\n")
    model = read(child)
    assert [m.canonical for m in model.metrics] == ["map"]
    assert model.loss.canonical == "giou"
    assert model.options["num_class"].value == 3


def test_a_missing_base_is_a_clear_input_error(tmp_path):
    child = tmp_path / "child.yml"
    child.write_text("_base_: ../nowhere.yml\nmodel: {type: X}\n")
    with pytest.raises(InputError, match="_base_ file '../nowhere.yml' not found"):
        read(child)


def test_a_base_cycle_stops_with_an_error(tmp_path):
    (tmp_path / "a.yml").write_text("_base_: b.yml\nloss:\n  types: [{type: CELoss}]\n")
    (tmp_path / "b.yml").write_text("_base_: a.yml\n")
    with pytest.raises(InputError, match="base files"):
        read(tmp_path / "a.yml")


names = st.text(alphabet="abcdef_", min_size=1, max_size=4)
trees = st.recursive(st.integers(0, 9) | st.text(max_size=3),
                     lambda inner: st.dictionaries(names, inner, max_size=4), max_leaves=12)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(names, trees, max_size=5), st.dictionaries(names, trees, max_size=5))
def test_merge_keeps_every_child_value_and_every_base_key_the_child_leaves(child, base):
    """Property: mmengine/PaddleSeg merge semantics, child over base, nothing lost."""
    merged = merge(child, base)
    assert set(merged) == set(child) | set(base)
    for key, value in child.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            assert set(merged[key]) == set(value) | set(base[key])
        else:
            assert merged[key] == value
    for key in set(base) - set(child):
        assert merged[key] == base[key]
    assert merge({**child, "_inherited_": False}, base) == child
