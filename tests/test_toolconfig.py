"""One loader validates [tool.lossadvisor] / lossadvisor.toml for profile, traits and lint alike:
every key's type, with `file:line` errors reported together and did-you-mean for unknown keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SAMPLES, run

from advisor.thresholds import DEFAULT_THRESHOLDS
from advisor.toolconfig import find_tool_config, read_tool_config

FRAUD = str(SAMPLES / "fraud.csv")
COMMANDS = {
    "profile": ["profile", FRAUD, "--target", "is_fraud"],
    "traits": ["traits"],
    "lint": ["lint"],
}


@pytest.fixture
def project(tmp_path, monkeypatch):
    """Write a config into a fresh working folder."""
    monkeypatch.chdir(tmp_path)

    def _write(text: str, name: str = "lossadvisor.toml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return _write


BAD = [
    ('loss = "mse"\nignore = "LNT110"\n', 2, "'ignore' must be a list of rule ids"),
    ('loss = "mse"\nthresholds = 5\n', 2, "'thresholds' must be a table of threshold names"),
    ('loss = "mse"\nconfigs = "train.yaml"\n', 2, "'configs' must be a list of file paths"),
    ('loss = 3\n', 1, "'loss' must be a name or a table"),
    ('loss = "mse"\nmetrics = [1, 2]\n', 2, "'metrics' must be a name or a list of names"),
    ('loss = "mse"\ndata = ["a.csv"]\n', 2, "'data' must be a string, not a list"),
    ('loss = "mse"\nloss_args = "weight"\n', 2, "'loss_args' must be a table"),
    ('loss = "mse"\nmodels = 1\n', 2, "'models' must be a table of named model tables"),
    ('loss = "mse"\n[models.a]\nloss = true\n', 3, "'loss' must be a name or a table with a "
     "class name, not the boolean true"),
    ('loss = "mse"\nignore = ["not a rule"]\n', 2, "'not a rule' in 'ignore' is not a rule id"),
    ('loss = "mse"\nmetrix = ["mae"]\n', 2, "unknown key 'metrix' in the lossadvisor config; "
     "did you mean 'metrics'?"),
    ('[thresholds]\nimbalance_ration = 5\n', 2, "unknown threshold 'imbalance_ration'; did you "
     "mean 'imbalance_ratio'? `lossadvisor traits` lists the thresholds"),
    ('[thresholds]\nimbalance_ratio = "5"\n', 2, "threshold 'imbalance_ratio' must be a finite "
     "number, not the text '5'"),
    ('[thresholds]\nsmall_sample_rows = inf\n', 2, "threshold 'small_sample_rows' must be a "
     "finite number, not the number inf"),
    ('[thresholds]\nskewness = true\n', 2, "threshold 'skewness' must be a finite number, not "
     "the boolean true"),
]


@pytest.mark.parametrize("text,line,message", BAD)
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_refuses_the_same_bad_value_with_file_and_line(project, command, text,
                                                                      line, message):
    path = project(text)
    result = run(COMMANDS[command])
    assert result.exit_code == 2, (command, result.stdout, result.stderr)
    assert f"{path}:{line}: {message}" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_every_problem_is_reported_at_once(project):
    path = project('ignore = "LNT110"\nthresholds = 5\nmetrix = 1\n')
    result = run(["lint"])
    lines = result.stderr.strip().splitlines()
    assert result.exit_code == 2
    assert [line.split(": ")[2] for line in lines] == [f"{path}:1", f"{path}:2", f"{path}:3"]


def test_pyproject_section_is_validated_with_its_own_line_numbers(project):
    path = project('[project]\nname = "x"\n\n[tool.lossadvisor]\nloss = "mse"\n'
                   'ignore = "LNT110"\n', "pyproject.toml")
    result = run(["lint"])
    assert f"{path}:6: 'ignore' must be a list of rule ids" in result.stderr


def test_pyproject_without_our_table_is_not_a_tool_config(project, tmp_path):
    project('[project]\nname = "x"\n', "pyproject.toml")
    assert read_tool_config(tmp_path / "pyproject.toml") is None
    assert run(["traits"]).exit_code == 0


def test_valid_config_is_read_the_same_by_every_command(project, tmp_path):
    project('loss = "mse"\nmetrics = "mae"\nignore = ["lnt110"]\nconfigs = ["a.yaml"]\n'
            '[thresholds]\nimbalance_ratio = 10\nsmall_sample_rows = 50\n')
    config = find_tool_config(tmp_path)
    assert config.ignore == ["LNT110"]
    assert config.configs == [tmp_path / "a.yaml"]
    assert config.thresholds.imbalance_ratio == 10.0
    assert config.thresholds.small_sample_rows == 50
    assert isinstance(config.thresholds.small_sample_rows, int)
    assert config.thresholds.skewness == DEFAULT_THRESHOLDS.skewness
    traits = run(["traits", "--format", "json"]).stdout
    assert '"value": 10.0' in traits


def test_no_hint_names_a_command_that_does_not_exist(project):
    project("[thresholds]\nimbalance = 1\n")
    stderr = run(["profile", FRAUD, "--target", "is_fraud"]).stderr
    assert "lossadvisor thresholds" not in stderr and "lossadvisor traits" in stderr
    assert run(["thresholds"]).exit_code == 2  # indeed no such command
