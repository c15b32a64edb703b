"""Shared test helpers: temporary data files and a CLI runner with stdout/stderr apart."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from advisor.cli import app

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_data"
GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.fixture
def write(tmp_path: Path):
    """Write text or bytes to a file in a fresh folder and return its path as a string."""

    def _write(name: str, content: str | bytes) -> str:
        path = tmp_path / name
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
        return str(path)

    return _write


def run(args: list[str], input: bytes | str | None = None):
    """Invoke the CLI in-process, as a user would from a shell."""
    return CliRunner().invoke(app, args, input=input, catch_exceptions=False)


@pytest.fixture
def cli():
    return run


def trial_json(cli, path: str, *args: str) -> dict:
    """`lossadvisor trial PATH --format json ARGS`, which must succeed, as a document."""
    import json

    result = cli(["trial", path, "--format", "json", *args])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def verdicts(doc: dict) -> dict[str, str]:
    """Each rival's verdict against the trial's top pick."""
    return {c["other"]: c["verdict"] for c in doc["trial"]["comparisons"]}


@pytest.fixture(autouse=True)
def _private_rule_cache(tmp_path_factory, monkeypatch):
    """Keep the parsed-rules cache of the test run out of the user's cache folder."""
    monkeypatch.setenv("LOSSADVISOR_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))


@pytest.fixture(autouse=True)
def _plain_100_column_terminal(monkeypatch):
    """Outputs follow $COLUMNS, NO_COLOR and FORCE_COLOR; pin them so the terminal that runs
    pytest cannot change a transcript. Tests about those variables set them themselves."""
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
