"""`trial` on several target columns (one trial per column, or per label of a multilabel target),
the fold progress bar, and `--budget` stopping between folds (with a fake clock, not a timer)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import numpy as np
import pandas as pd
import pytest

from advisor.trial import TrialOptions, run_trial
from advisor.trial_spec import choose_candidates, load_trial_spec

SCHEMA = json.loads((Path(__file__).resolve().parent.parent / "advisor/schema/report.schema.json")
                    .read_text())
FAST = ["--folds", "3", "--repeats", "1"]


def _csv(tmp_path: Path, frame: pd.DataFrame, name: str = "data.csv") -> str:
    path = tmp_path / name
    frame.to_csv(path, index=False)
    return str(path)


def _json(cli, *args: str) -> dict:
    result = cli([*args, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    jsonschema.validate(doc, SCHEMA)
    return doc


def _two_outputs(tmp_path: Path) -> str:
    rng = np.random.default_rng(11)
    n = 600
    frame = pd.DataFrame({"a": rng.normal(size=n), "b": rng.normal(size=n)})
    frame["visits"] = rng.poisson(np.exp(0.3 + 0.5 * frame["a"]))
    frame["spend"] = 10 + 3 * frame["b"] + rng.normal(size=n)
    return _csv(tmp_path, frame)


def test_several_numeric_targets_get_one_trial_per_column(cli, tmp_path):
    path = _two_outputs(tmp_path)
    doc = _json(cli, "trial", path, "-t", "visits", "-t", "spend", "--losses", "mse,mae", *FAST)
    assert "trial" not in doc and [c["target"] for c in doc["columns"]] == ["visits", "spend"]
    for column in doc["columns"]:
        section = column["trial"]
        other = ({"visits", "spend"} - {column["target"]}).pop()
        assert section["target"] == column["target"]
        assert other not in section["features"]["used"]  # never a feature of its sibling
        assert {"column": other, "reason": "another target column"} in \
            section["features"]["dropped"]
        assert all(rec.get("evidence") for rec in column["losses"][:1])
    # the comma form names the same columns
    again = _json(cli, "trial", path, "-t", "visits,spend", "--losses", "mse,mae", *FAST)
    assert again == doc


def test_each_format_shows_every_columns_trial(cli, tmp_path):
    path = _two_outputs(tmp_path)
    args = ["trial", path, "-t", "visits,spend", "--losses", "mse,mae", *FAST]
    text = cli(args).stdout
    assert "lossadvisor trial: visits in" in text and "lossadvisor trial: spend in" in text
    markdown = cli([*args, "--format", "markdown"]).stdout
    assert markdown.count("## Trial") == 2
    html = cli([*args, "--format", "html"]).stdout
    assert html.count('<section class="trial">') == 2


def _labels(tmp_path: Path, rare: bool = False) -> str:
    rng = np.random.default_rng(12)
    n = 600
    frame = pd.DataFrame({"x": rng.normal(size=n), "z": rng.normal(size=n)})
    frame["sports"] = (frame["x"] + rng.normal(size=n) > 0.5).astype(int)
    frame["tech"] = (frame["z"] + rng.normal(size=n) > 0.8).astype(int)
    if rare:  # two positives: too few for three stratified folds
        frame["rare"] = 0
        frame.loc[[3, 7], "rare"] = 1
    return _csv(tmp_path, frame, "labels.csv")


def test_a_multilabel_target_is_trialled_label_by_label(cli, tmp_path):
    doc = _json(cli, "trial", _labels(tmp_path), "-t", "sports,tech", *FAST)
    assert doc["task"] == "multilabel"
    assert [s["target"] for s in doc["trials"]] == ["sports", "tech"]
    for section in doc["trials"]:
        assert section["primary"] == "pr_auc"  # each label is a binary target
        assert {c["id"] for c in section["candidates"]} >= {"bce"}
        other = ({"sports", "tech"} - {section["target"]}).pop()
        assert other not in section["features"]["used"]
    top = doc["losses"][0]
    assert top["id"] in ("multilabel_bce", "weighted_multilabel_bce")
    assert "label sports" in top["evidence"] or top["evidence"].startswith("every label")


def test_a_label_too_rare_for_the_folds_is_skipped_with_the_reason(cli, tmp_path):
    result = cli(["trial", _labels(tmp_path, rare=True), "-t", "sports,tech,rare", *FAST,
                  "--format", "json"])
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    jsonschema.validate(doc, SCHEMA)
    skipped = {s["target"]: s["skipped"] for s in doc["trials"] if "skipped" in s}
    assert list(skipped) == ["rare"] and "rarest class has 2 rows" in skipped["rare"]
    assert "label rare: not trialled" in result.stderr
    markdown = cli(["trial", _labels(tmp_path, rare=True), "-t", "sports,tech,rare", *FAST,
                    "--format", "markdown"]).stdout
    assert "## Trial of label rare" in markdown and "Not run: the rarest class" in markdown


def test_profile_trial_on_several_columns_puts_evidence_in_each_column(cli, tmp_path):
    doc = _json(cli, "profile", _two_outputs(tmp_path), "-t", "visits,spend", "--trial")
    for column in doc["columns"]:
        assert column["trial"]["target"] == column["target"]
        assert column["losses"][0]["evidence"].startswith("trial, as the top pick")


# -- progress and budget ------------------------------------------------------------------------
def test_fold_progress_is_a_bar_on_a_terminal_and_silent_when_quiet(monkeypatch):
    import rich.progress

    from advisor import cli as cli_module

    updates: list[dict] = []

    class Spy(rich.progress.Progress):
        def update(self, task_id, **kwargs):
            updates.append(kwargs)
            super().update(task_id, **kwargs)

    monkeypatch.setattr(rich.progress, "Progress", Spy)
    monkeypatch.setattr(cli_module, "_is_tty", lambda stream: True)
    cli_module._set_verbosity(False, False)
    with cli_module._fold_progress() as progress:
        progress(1, 3)
        progress(2, 3)
    assert updates == [{"completed": 1, "total": 3}, {"completed": 2, "total": 3}]
    cli_module._set_verbosity(True, False)
    with cli_module._fold_progress() as progress:
        assert progress is None
    cli_module._set_verbosity(False, False)


def test_progress_stays_off_stderr_unless_verbose_when_not_a_terminal(cli, tmp_path):
    path = _two_outputs(tmp_path)
    args = ["trial", path, "-t", "visits", "--losses", "mse,mae", *FAST, "--format", "json"]
    plain = cli(args)
    assert plain.exit_code == 0 and "fold 1/3" not in plain.stderr
    assert "decision rule:" in plain.stderr
    verbose = cli([*args, "--verbose"])
    assert "trial: fold 1/3 done" in verbose.stderr and "trial: fold 3/3 done" in verbose.stderr
    quiet = cli([*args, "--quiet"])
    assert quiet.exit_code == 0 and quiet.stderr == "" and quiet.stdout == plain.stdout


@pytest.mark.parametrize("budget, completed", [(25.0, 2), (15.0, 1), (1000.0, 3)])
def test_budget_stops_between_folds_and_compares_complete_folds_only(tmp_path, budget,
                                                                     completed):
    """Each fold "takes" 10 s on a fake clock: the run stops before a fold that the time left
    cannot hold, and every reported comparison pairs the same complete folds."""
    rng = np.random.default_rng(13)
    frame = pd.DataFrame({"x": rng.normal(size=300)})
    frame["y"] = rng.poisson(np.exp(0.5 * frame["x"]))
    path = _csv(tmp_path, frame)
    spec = load_trial_spec()
    candidates = choose_candidates([], "count", spec, asked=["poisson", "mse", "mae"])
    now = [0.0]

    def progress(done: int, total: int) -> None:
        now[0] = 10.0 * done

    section = run_trial(path, "y", "count", None, candidates, spec,
                        TrialOptions(folds=3, repeats=1, budget=budget), lambda _: None,
                        progress, clock=lambda: now[0])
    assert section["folds_planned"] == 3
    assert section["folds_completed"] == completed
    assert all(c["folds"] == completed for c in section["comparisons"])
    stopped = [n for n in section["notes"] if n.startswith("--budget")]
    assert bool(stopped) == (completed < 3)
    if completed < 3:  # fewer than MIN_FOLDS complete folds: no verdict either way
        assert {c["verdict"] for c in section["comparisons"]} == {"no evidence"}


def test_the_budget_counts_the_reading_too(tmp_path):
    """Reading and screening "take" 20 s on the fake clock and each fold 10 s: a 35 s budget
    holds one fold (20 + 10, then 30 + 10 > 35)."""
    rng = np.random.default_rng(15)
    frame = pd.DataFrame({"x": rng.normal(size=300)})
    frame["y"] = rng.poisson(np.exp(0.5 * frame["x"]))
    path = _csv(tmp_path, frame)
    spec = load_trial_spec()
    candidates = choose_candidates([], "count", spec, asked=["poisson", "mse"])
    calls = [0]
    now = [0.0]

    def clock() -> float:
        calls[0] += 1
        if calls[0] == 2:  # the second reading of the clock: fitting starts
            now[0] = 20.0
        return now[0]

    def progress(done: int, total: int) -> None:
        now[0] = 20.0 + 10.0 * done

    section = run_trial(path, "y", "count", None, candidates, spec,
                        TrialOptions(folds=3, repeats=1, budget=35.0), lambda _: None,
                        progress, clock=clock)
    assert section["folds_completed"] == 1


def test_losses_no_label_can_fit_are_one_error_not_a_skip_per_label(cli, tmp_path):
    result = cli(["trial", _labels(tmp_path), "-t", "sports,tech", "--losses", "poisson,mse",
                  *FAST])
    assert result.exit_code == 2
    assert "at least two losses it can fit" in result.stderr
    assert "Traceback" not in result.stderr and "not trialled" not in result.stderr
