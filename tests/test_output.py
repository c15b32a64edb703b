"""`--output` never replaces a file the run reads (data, configs given or listed, the project
file, rule files), however the path is spelled or linked, and new files follow the umask."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from conftest import SAMPLES, run

from advisor.resources import builtin_rules_dir


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A small project: data, a config naming it, a pyproject listing the config, user rules."""
    (tmp_path / "data").mkdir()
    (tmp_path / "configs").mkdir()
    (tmp_path / "data" / "train.csv").write_bytes((SAMPLES / "claims.csv").read_bytes())
    (tmp_path / "configs" / "train.yaml").write_text(
        "objective: reg:squarederror\neval_metric: [mape]\ndata: ../data/train.csv\n"
        "label: n_claims\n")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.lossadvisor]\nloss = "mse"\nconfigs = ["configs/train.yaml"]\n')
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "team.yaml").write_bytes((builtin_rules_dir() / "count.yaml")
                                                   .read_bytes())
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def _refused(result, before, folder) -> None:
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert "--output would overwrite the input" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert _snapshot(folder) == before


@pytest.mark.parametrize("args", [
    ["lint", "configs/train.yaml", "-o", "data/train.csv"],          # data a config names
    ["lint", "-o", "pyproject.toml"],                                # the discovered project file
    ["lint", "-o", "configs/train.yaml"],                            # a config `configs` lists
    ["lint", "configs/train.yaml", "-o", "configs/../configs/train.yaml"],
    ["lint", "configs/train.yaml", "--data", "data/train.csv", "--target", "n_claims",
     "-o", "./data/train.csv"],
    ["profile", "data/train.csv", "-t", "n_claims", "-o", "pyproject.toml"],
    ["profile", "data/train.csv", "-t", "n_claims", "--rules", "rules", "-o", "rules/team.yaml"],
    ["rules", "--rules", "rules", "-o", "rules/team.yaml"],
    ["explain", "REC020", "--rules", "rules", "-o", "rules/./team.yaml"],
])
def test_output_onto_anything_the_run_reads_is_refused(repo, args):
    before = _snapshot(repo)
    _refused(run(args), before, repo)


def test_symbolic_and_hard_links_to_an_input_are_refused(repo):
    (repo / "link.csv").symlink_to(repo / "data" / "train.csv")
    os.link(repo / "data" / "train.csv", repo / "hard.csv")
    before = _snapshot(repo)
    for name in ("link.csv", "hard.csv"):
        _refused(run(["profile", "data/train.csv", "-t", "n_claims", "-o", name]), before, repo)
        _refused(run(["lint", "configs/train.yaml", "-o", name]), before, repo)


def test_built_in_rule_files_are_inputs_too(repo):
    target = builtin_rules_dir() / "count.yaml"
    before = target.read_bytes()
    result = run(["rules", "-o", str(target)])
    assert result.exit_code == 2 and "--output would overwrite the input" in result.stderr
    assert target.read_bytes() == before


@pytest.mark.parametrize("umask,mode", [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_new_output_files_follow_the_umask(repo, umask, mode):
    old = os.umask(umask)
    try:
        result = run(["lint", "configs/train.yaml", "-f", "json", "-o", "report.json"])
    finally:
        os.umask(old)
    assert result.exit_code in (0, 1), result.stderr
    assert stat.S_IMODE((repo / "report.json").stat().st_mode) == mode


def test_a_replaced_output_keeps_its_permissions(repo):
    out = repo / "report.md"
    out.write_text("old")
    out.chmod(0o640)
    result = run(["profile", "data/train.csv", "-t", "n_claims", "-f", "markdown", "-o",
                  str(out)])
    assert result.exit_code == 0, result.stderr
    assert out.read_text().startswith("# lossadvisor")
    assert stat.S_IMODE(out.stat().st_mode) == 0o640


def test_findings_are_written_when_lint_exits_1(repo):
    result = run(["lint", "configs/train.yaml", "-o", "findings.txt"])
    assert result.exit_code == 1
    assert "LNT109" in (repo / "findings.txt").read_text()


def test_an_unwritable_output_folder_is_a_one_line_error(repo, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("tempfile.mkstemp", refuse)  # as in a read-only folder (tests run as root)
    result = run(["lint", "configs/train.yaml", "-o", "out.txt"])
    assert result.exit_code == 2
    assert result.stderr.strip() == "lossadvisor: error: out.txt: cannot write (Permission denied)"


def test_a_pyproject_without_our_table_is_still_an_input(repo):
    (repo / "pyproject.toml").write_text('[project]\nname = "x"\n')
    before = _snapshot(repo)
    _refused(run(["lint", "configs/train.yaml", "-o", "pyproject.toml"]), before, repo)
    _refused(run(["profile", "data/train.csv", "-t", "n_claims", "-o", "pyproject.toml"]),
             before, repo)


def test_a_name_too_long_for_the_file_system_is_a_one_line_error(repo):
    long = "a" * 300
    for args in (["rules", "-o", long], ["rules", "--rules", long], ["lint", long + ".yaml"],
                 ["profile", long + ".csv"]):
        result = run(args)
        assert result.exit_code == 2, (args, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert result.stderr.startswith("lossadvisor: error: ") and long in result.stderr
