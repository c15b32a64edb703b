"""The dialect registry: detection by content, --dialect, framework knowledge from one data
file, wrongly shaped values, strict JSON, and bounded work on huge one-line files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run

from advisor.catalog import FRAMEWORKS, load_catalog
from advisor.frameworks import knowledge
from advisor.lint.dialects import BY_NAME, DIALECTS, detect, read_config


def test_every_dialect_module_declares_its_interface():
    for module in DIALECTS:
        assert module.NAME and module.SUMMARY and module.EXAMPLE
        assert callable(module.detect) and callable(module.read)
    assert len(BY_NAME) == len(DIALECTS)


@pytest.mark.parametrize("name,text,dialect", [
    ("train.txt", "objective = binary\nmetric = auc\n", "lightgbm"),
    ("train.cfg", "# LightGBM\nnum_leaves = 31\nobjective = regression\n", "lightgbm"),
    ("params.txt", '{"loss": "mse"}', "json"),
    ("params.toml", 'objective = "reg:gamma"\n', "toml"),
    # A TOML file that opens with a table header is TOML, not a JSON array (found by the fuzzer).
    ("params.toml", '[xgboost]\nobjective = "reg:squarederror"\n', "toml"),
    ("params.txt", '["rmse", "mae"]\n', "json"),
    ("params.conf", '[\n  {"loss": "mse"}\n]\n', "json"),
    ("pyproject.toml", '[tool.lossadvisor]\nloss = "mse"\n', "lossadvisor"),
    ("model.yaml", "output_features:\n  - {name: y, type: binary}\n", "ludwig"),
    ("hydra.yaml", "criterion: {_target_: torch.nn.MSELoss}\n", "yaml"),
])
def test_detection_goes_by_content(name, text, dialect):
    assert detect(Path(name), text).NAME == dialect


def test_dialect_option_overrides_detection(tmp_path):
    path = tmp_path / "odd.bak"
    path.write_text("loss: mse\n")
    assert run(["lint", str(path)]).exit_code == 2
    result = run(["lint", str(path), "--dialect", "yaml", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    assert read_config(path, load_catalog(), "yaml")[0].loss.canonical == "mse"
    bad = run(["lint", str(path), "--dialect", "yml"])
    assert bad.exit_code == 2 and "did you mean 'yaml'" in bad.stderr


def test_framework_knowledge_is_one_data_file_read_everywhere():
    from advisor.cli import Framework
    from advisor.render.common import FRAMEWORK_LABELS, TABLE_FRAMEWORKS

    known = knowledge()
    assert FRAMEWORKS == known.ids(snippets_only=True)
    assert [f.value for f in Framework] == list(FRAMEWORKS)
    assert FRAMEWORK_LABELS == known.labels()
    assert set(TABLE_FRAMEWORKS) <= set(FRAMEWORKS)
    assert known.of_module("torch.nn.MSELoss") == "pytorch"
    assert known.of_key("loss_function") == "catboost"
    assert known.lightgbm_aliases["application"] == "objective"


@pytest.mark.parametrize("name,text,fragment,line", [
    ("a.yaml", "loss: 3\n", "'loss' is the int 3", 1),
    ("b.yaml", "epochs: 3\nloss: null\n", "'loss' is null", 2),
    ("c.yaml", "model:\n  loss: []\n", "'loss' is empty", 2),
    ("d.yaml", "loss: mse\nmetrics:\n  accuracy: 1\n  f1: 2\n", "is a mapping of numbers", 2),
    ("e.yaml", "- loss\n- mse\n", "the top level is a list", 1),
    ("f.yaml", "42\n", "the top level is a scalar", 1),
    ("g.yaml", "loss: mse\n7: x\n", "key 7 is not a name", 2),
    ("h.json", '{"loss": "mse",\n}\n', "invalid JSON", 2),
    ("i.json", "[" * 5000 + "]" * 5000, "nested deeper", None),
])
def test_wrongly_shaped_values_are_a_clear_exit_2(tmp_path, name, text, fragment, line):
    path = tmp_path / name
    path.write_text(text)
    result = run(["lint", str(path)])
    assert result.exit_code == 2
    assert fragment in result.stderr and "Traceback" not in result.stderr
    if line is not None:
        assert f"{name}:{line}:" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_json_is_parsed_as_json_not_yaml(tmp_path):
    # YAML would read this (a comment, unquoted key); JSON does not.
    path = tmp_path / "params.json"
    path.write_text('{"loss": "mse"} # comment\n')
    assert run(["lint", str(path)]).exit_code == 2


@pytest.mark.parametrize("line", [
    "objective = " + "x" * 3_000_000,
    "metric = " + "ab," * 1_000_000,
    "objective = binary" + "(" * 2_000_000 + ")",
    "metric = " + "auc" * 1_000_000,
])
def test_one_multi_megabyte_line_exits_promptly(tmp_path, line):
    """Issue #14: such a file used not to exit within 20 s (quadratic searches). The timeout
    detects a hang; it is not a speed measurement."""
    path = tmp_path / "train.conf"
    path.write_text(line + "\n")
    result = subprocess.run([sys.executable, "-m", "advisor", "lint", str(path), "--format",
                             "json"], capture_output=True, text=True, timeout=20)
    assert result.returncode in (0, 1, 2) and "Traceback" not in result.stderr
    assert len(result.stdout) < 100_000  # the value never floods the output


def test_unknown_yaml_tags_are_inert_values_never_constructed(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "config.yaml"
    path.write_text(f"loss: !!python/object/apply:os.system ['touch {marker}']\n"
                    "criterion: !new:torch.nn.MSELoss\n")
    models = read_config(path, load_catalog())
    assert not marker.exists()
    assert models[0].loss.name == "torch.nn.MSELoss" and models[0].loss.canonical == "mse"


def _lint(tmp_path, text: str, name: str = "config.yaml"):
    path = tmp_path / name
    path.write_text(text)
    result = run(["lint", str(path), "--format", "json"])
    import json

    return result, json.loads(result.stdout) if result.stdout else None


def test_own_package_paths_are_silent_bare_unknowns_info_near_misses_warnings(tmp_path):
    result, doc = _lint(tmp_path, "criterion: {_target_: src.modules.losses.FocalDice}\n")
    assert result.exit_code == 0 and doc["findings"] == []
    result, doc = _lint(tmp_path, "loss: wav2vec_ctc\nmetrics: [top5]\n")
    assert result.exit_code == 0  # info never fails CI at the default --fail-on
    assert [(f["rule"], f["severity"]) for f in doc["findings"]] == [("LNT126", "info")]
    assert "wav2vec_ctc, top5" in doc["findings"][0]["message"]
    result, doc = _lint(tmp_path, 'objective: "binary:logistc"\n')
    assert result.exit_code == 1
    assert doc["findings"][0]["rule"] == "LNT121"
    assert "did you mean 'binary:logistic'" in doc["findings"][0]["message"]


@pytest.mark.parametrize("text,kind,expected", [
    ("loss: ce\n", "loss", "cce"),
    ("loss: jaccard\n", "loss", "iou"),
    ("loss: giou\n", "loss", "giou"),
    ("metrics: [mIoU, dice]\n", "metric", ["iou", "dice_coefficient"]),
])
def test_short_spellings_used_in_the_wild(tmp_path, text, kind, expected):
    path = tmp_path / "c.yaml"
    path.write_text(text)
    (model,) = read_config(path, load_catalog())
    if kind == "loss":
        assert model.loss.canonical == expected
    else:
        assert [m.canonical for m in model.metrics] == expected


def test_auto_leaves_the_choice_to_the_framework(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("loss: auto\nmetrics: [accuracy]\n")
    (model,) = read_config(path, load_catalog())
    assert model.loss is None and model.metrics[0].canonical == "accuracy"


def test_readme_dialect_table_is_current():
    from conftest import ROOT

    from advisor.lint.dialects import markdown_table

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start, end = "<!-- lint-dialects:start -->\n", "<!-- lint-dialects:end -->"
    block = readme.split(start, 1)[1].split(end, 1)[0]
    assert block == markdown_table(), "README dialect table is stale: paste markdown_table()"
    assert all(f"| `{module.NAME}` |" in block for module in DIALECTS)
