"""The built wheel carries the rules: an installed lossadvisor finds them from any directory."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLES


@pytest.fixture(scope="module")
def build(tmp_path_factory) -> tuple[Path, str]:
    """The wheel and the build's log (verbose, so setuptools' warnings are in it)."""
    out = tmp_path_factory.mktemp("wheel")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-v",
         "-w", str(out), str(ROOT)],
        check=True, capture_output=True, text=True,
    )
    return next(out.glob("lossadvisor-*.whl")), done.stdout + done.stderr


@pytest.fixture(scope="module")
def wheel(build) -> Path:
    return build[0]


def test_build_has_no_deprecation_or_missing_package_warnings(build):
    log = build[1]
    assert "SetuptoolsDeprecationWarning" not in log
    assert "is absent from the `packages` configuration" not in log


def test_wheel_declares_its_license_and_carries_the_file(wheel):
    archive = zipfile.ZipFile(wheel)
    metadata = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
    text = archive.read(metadata).decode()
    assert "License-Expression: MIT" in text
    license_file = next(n for n in archive.namelist() if n.endswith("licenses/LICENSE"))
    assert archive.read(license_file).decode().startswith("MIT License")


def test_wheel_contains_rules_schema_and_catalog(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    rule_files = sorted(p.name for p in (ROOT / "rules").glob("*.yaml"))
    for name in rule_files:
        assert f"advisor/rules/{name}" in names
    assert "advisor/schema/report.schema.json" in names
    assert "advisor/schema/lint.schema.json" in names


def test_installed_wheel_runs_from_another_directory(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target",
                    str(target), str(wheel)], check=True, capture_output=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    probe = subprocess.run(
        [sys.executable, "-c", "import advisor, advisor.resources as r; "
         "print(advisor.__file__); print(r.builtin_rules_dir())"],
        cwd=elsewhere, env=env, capture_output=True, text=True, check=True,
    )
    module_file, rules_dir = probe.stdout.split()
    assert module_file.startswith(str(target)) and rules_dir.startswith(str(target))
    result = subprocess.run(
        [sys.executable, "-m", "advisor", "profile", str(SAMPLES / "fraud.csv"), "-t",
         "is_fraud", "-f", "json"],
        cwd=elsewhere, env=env, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    assert '"id": "weighted_bce"' in result.stdout
    # The lint rules' examples read ../sample_data from the rules folder: shipped beside it.
    result = subprocess.run([sys.executable, "-m", "advisor", "rules", "--test"], cwd=elsewhere,
                            env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "lint rules hold" in result.stdout
