"""The one bounded loader: YAML, JSON and TOML nested 10,000 deep, huge or strict-JSON-invalid
are refused with `file:line` and exit 2, never a RecursionError."""

from __future__ import annotations

import pytest
from conftest import SAMPLES, run

from advisor.errors import InputError
from advisor.yamlio import MAX_DEPTH, load_json, load_toml, load_yaml

LEVELS = 10_000
DEEP = {
    "json-arrays": (load_json, "[" * LEVELS + "]" * LEVELS),
    "json-objects": (load_json, '{"a":' * LEVELS + "1" + "}" * LEVELS),
    "toml-arrays": (load_toml, "a = " + "[" * LEVELS + "]" * LEVELS + "\n"),
    "toml-inline-tables": (load_toml, "a = " + "{b = " * LEVELS + "1" + "}" * LEVELS + "\n"),
    "toml-dotted-keys": (load_toml, "x." + ".".join(["a"] * LEVELS) + " = 1\n"),
    "toml-table-header": (load_toml, "[" + ".".join(["a"] * LEVELS) + "]\nx = 1\n"),
    "yaml-flow": (load_yaml, "a: " + "[" * LEVELS + "]" * LEVELS + "\n"),
    "yaml-block": (load_yaml, "".join(" " * i + "- \n" for i in range(0, 3000, 2))),
}


@pytest.mark.parametrize("name", sorted(DEEP))
def test_deep_nesting_is_an_input_error_not_a_recursion_error(name):
    loader, text = DEEP[name]
    with pytest.raises(InputError, match=f"nested deeper than {MAX_DEPTH} levels"):
        loader(text, "deep.cfg")


def test_nesting_just_within_the_bound_loads():
    inside = MAX_DEPTH - 1
    assert load_json("[" * inside + "]" * inside, "ok.json") is not None
    assert load_toml("a = " + "[" * inside + "]" * inside, "ok.toml")["a"] is not None


def test_json_depth_counts_brackets_outside_strings_only():
    text = '{"a": "' + "[" * 5000 + '"}'
    assert load_json(text, "s.json") == {"a": "[" * 5000}


def test_json_is_parsed_as_json_never_retried_as_yaml():
    with pytest.raises(InputError, match=r"t\.json:1: invalid JSON"):
        load_json('{"loss": "mse", "metrics": ["mae",],}', "t.json")
    with pytest.raises(InputError, match="invalid JSON"):
        load_json("loss: mse\n", "yaml-in-disguise.json")


def test_json_keeps_positions_where_yaml_reads_it_the_same():
    data = load_json('{\n  "loss": "mse",\n  "metrics": ["mae"]\n}', "p.json")
    assert data.pos("metrics") == (3, 3)


def test_toml_syntax_error_names_its_line():
    with pytest.raises(InputError) as caught:
        load_toml('a = 1\nb = [1,\nc = "x"\n', "bad.toml")
    assert caught.value.where.startswith("bad.toml:")
    assert "(at line" not in caught.value.what


@pytest.mark.parametrize("name,text", [
    ("deep.json", "[" * LEVELS + "]" * LEVELS),
    ("deep.toml", "a = " + "[" * LEVELS + "]" * LEVELS + "\n"),
    ("deep.yaml", "loss: " + "[" * LEVELS + "]" * LEVELS + "\n"),
])
def test_lint_refuses_deep_configs_with_exit_2(write, name, text):
    result = run(["lint", write(name, text)])
    assert result.exit_code == 2, result.stderr
    assert "nested deeper than" in result.stderr and "Traceback" not in result.stderr


def test_profile_refuses_a_deep_project_config(tmp_path, monkeypatch):
    (tmp_path / "lossadvisor.toml").write_text("[thresholds]\nx = " + "[" * LEVELS
                                               + "]" * LEVELS + "\n")
    monkeypatch.chdir(tmp_path)
    result = run(["profile", str(SAMPLES / "fraud.csv"), "--target", "is_fraud"])
    assert result.exit_code == 2
    assert "lossadvisor.toml: nested deeper than" in result.stderr


@pytest.mark.parametrize("loader,text", [
    (load_yaml, "a: " + "9" * 5000 + "\n"),
    (load_json, '{"a": ' + "9" * 5000 + "}"),
    (load_toml, "a = " + "9" * 5000 + "\n"),
])
def test_an_integer_beyond_pythons_digit_limit_is_an_input_error(loader, text):
    with pytest.raises(InputError, match=r"a number too long to read \(5000 digits\)"):
        loader(text, "big.cfg")
