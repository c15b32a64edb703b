"""What a terminal user meets: layout at 80 and 200 columns, colour (NO_COLOR, FORCE_COLOR,
--color), -h/-V, --quiet/--verbose, one name for the human format, --rules FILE."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from conftest import ROOT, SAMPLES

COLOUR = re.compile(r"\x1b\[(?:[0-9;]*;)?(?:3[0-7]|9[0-7]|38;[25])[;m]")
ESCAPE = re.compile(r"\x1b\[")
FRAUD = [str(SAMPLES / "fraud.csv"), "--target", "is_fraud"]


def _words(text: str) -> set[str]:
    return set(re.findall(r"[^\s│╭╮╰╯─]+", text))


@pytest.mark.parametrize("columns", [80, 200])
@pytest.mark.parametrize("sample,target", [("fraud.csv", "is_fraud"),
                                           ("claims.csv", "n_claims"),
                                           ("species.csv", None)])
def test_profile_fits_the_width_and_never_splits_an_identifier(cli, monkeypatch, columns,
                                                                 sample, target):
    monkeypatch.setenv("COLUMNS", str(columns))
    args = ["profile", str(SAMPLES / sample), *(["--target", target] if target else [])]
    text = cli(args).stdout
    doc = json.loads(cli([*args, "--format", "json"]).stdout)
    assert max(len(line) for line in text.splitlines()) <= columns
    words = _words(text)
    for item in [*doc["losses"][:5], *doc["metrics"][:5]]:
        assert item["id"] in words
        for framework, name in item["frameworks"].items():
            if framework in ("pytorch", "keras", "sklearn", "xgboost", "lightgbm", "catboost"):
                # every word of a framework's spelling shows whole, and on one line
                assert any(name in line for line in text.splitlines()), (framework, name)


def test_top_five_then_all(cli):
    doc = json.loads(cli(["profile", *FRAUD, "--format", "json"]).stdout)
    assert len(doc["metrics"]) > 5
    short = cli(["profile", *FRAUD]).stdout
    full = cli(["profile", *FRAUD, "--all"]).stdout
    sixth = doc["metrics"][5]
    assert f"top 5 of {len(doc['metrics'])}; --all shows the rest" in short
    assert f"  6 {sixth['name']}" not in short and f"  6 {sixth['name']}" in full
    assert short.rstrip().splitlines()[-1].startswith(
        f"→ Train with {doc['losses'][0]['id']}; judge by {doc['metrics'][0]['id']}")


@pytest.mark.parametrize("columns", [80, 200])
def test_rules_use_the_real_width_and_show_every_name_whole(cli, monkeypatch, columns):
    monkeypatch.setenv("COLUMNS", str(columns))
    text = cli(["rules"]).stdout
    names = [r["name"] for r in json.loads(cli(["rules", "--format", "json"]).stdout)]
    assert "…" not in text
    assert max(len(line) for line in text.splitlines()) <= columns
    assert _words(text) >= set(names)
    ids = [r["id"] for r in json.loads(cli(["rules", "--format", "json"]).stdout)]
    lines = text.splitlines()
    for rule_id, name in zip(ids, names, strict=True):  # the name sits on its id's line
        assert any(rule_id in line and name in line for line in lines)


@pytest.mark.parametrize("command", [["explain", "LNT117"], ["traits"]])
def test_explain_and_traits_follow_the_width(cli, monkeypatch, command):
    widths = {}
    for columns in (80, 200):
        monkeypatch.setenv("COLUMNS", str(columns))
        widths[columns] = max(len(line) for line in cli(command).stdout.splitlines())
    assert widths[80] <= 80 < widths[200] <= 200


def test_plain_text_when_piped_and_colour_on_request(cli, monkeypatch):
    assert not ESCAPE.search(cli(["rules"]).stdout)
    assert COLOUR.search(cli(["rules", "--color", "always"]).stdout)
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert COLOUR.search(cli(["profile", *FRAUD]).stdout)
    assert not ESCAPE.search(cli(["profile", *FRAUD, "--color", "never"]).stdout)


def test_no_color_removes_colour_even_when_forced(cli, monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("NO_COLOR", "1")
    text = cli(["profile", *FRAUD]).stdout
    assert ESCAPE.search(text)  # still styled (bold), as rich does under NO_COLOR
    assert not COLOUR.search(text)
    assert COLOUR.search(cli(["profile", *FRAUD, "--color", "always"]).stdout)


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
@pytest.mark.parametrize("no_color", [None, "1"])
def test_no_color_on_a_real_terminal(no_color):
    import pty

    main, child = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env.update(COLUMNS="100", TERM="xterm-256color")
    if no_color:
        env["NO_COLOR"] = no_color
    proc = subprocess.run([sys.executable, "-m", "advisor", "rules", "--kind", "lint"],
                          stdout=child, stderr=subprocess.PIPE, env=env, cwd=ROOT, timeout=60)
    os.close(child)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main)
    text = b"".join(chunks).decode()
    assert proc.returncode == 0 and "LNT101" in text
    assert bool(COLOUR.search(text)) is (no_color is None)


def test_short_help_and_version(cli):
    assert cli(["-h"]).stdout == cli(["--help"]).stdout
    assert "--target" in cli(["profile", "-h"]).stdout
    assert cli(["-V"]).stdout == cli(["--version"]).stdout
    assert cli(["-V"]).stdout.startswith("lossadvisor ")


def test_quiet_prints_results_only_and_verbose_says_more(cli):
    guessed = cli(["profile", str(SAMPLES / "species.csv"), "-f", "json"])
    assert "lossadvisor:" in guessed.stderr  # the guessed target is a note
    quiet = cli(["profile", str(SAMPLES / "species.csv"), "-f", "json", "--quiet"])
    assert quiet.stderr == "" and quiet.stdout == guessed.stdout
    verbose = cli(["profile", *FRAUD, "-f", "json", "--verbose"])
    assert "rules loaded" in verbose.stderr and "read and profiled" in verbose.stderr
    lint = cli(["lint", str(ROOT / "tests/fixtures/lint/keras_bad.json"), "-q"])
    assert lint.exit_code == 1 and lint.stderr == "" and "LNT112" in lint.stdout
    both = cli(["profile", *FRAUD, "-q", "-v"])
    assert both.exit_code == 2 and "contradict" in both.stderr


def test_text_is_the_human_format_everywhere_and_table_still_works(cli):
    assert cli(["profile", *FRAUD, "--format", "text"]).stdout == cli(
        ["profile", *FRAUD, "--format", "table"]).stdout == cli(["profile", *FRAUD]).stdout
    keras = str(ROOT / "tests/fixtures/lint/keras_bad.json")
    assert cli(["lint", keras, "-f", "table"]).stdout == cli(["lint", keras, "-f", "text"]).stdout
    bad = cli(["rules", "--format", "yaml"])
    assert bad.exit_code == 2 and "'yaml' is not one of text, json, markdown" in bad.stderr
    assert "[text|json|markdown|html]" in cli(["profile", "--help"]).stdout


def test_rules_option_takes_a_single_file(cli, write):
    path = write("team.yaml", """rules:
  - id: USR001
    name: team.report-mae
    summary: Our stakeholders read MAE, so it is always reported for regression.
    why: Reviews compare models by mean absolute error in the target's units.
    references: ["team wiki: model review checklist"]
    when: {task: regression}
    then: {metrics: [{id: mae, weight: 10}]}
    rationale: "Team policy: MAE is the review metric."
    examples:
      - {profile: {task: regression}, fires: true}
      - {profile: {task: binary}, fires: false}
""")
    result = cli(["rules", "--rules", path, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    assert "USR001" in {r["id"] for r in json.loads(result.stdout)}
    missing = cli(["rules", "--rules", path + ".nope"])
    assert missing.exit_code == 2 and "nope" in missing.stderr


def test_did_you_mean_reads_as_a_sentence(cli):
    result = cli(["recommend", "--task", "bnary"])
    assert result.stderr.startswith(
        "lossadvisor: error: --task: unknown task 'bnary'; did you mean 'binary'? use one of: ")
    assert "?)" not in result.stderr and "?;" not in result.stderr
    rule = cli(["explain", "REC32"]).stderr
    assert rule == ("lossadvisor: error: no rule 'REC32'; did you mean 'REC032'? "
                    "`lossadvisor rules` lists them\n")


def test_stdin_shows_bytes_read_on_a_terminal(monkeypatch):
    import io

    import advisor.cli as cli
    from advisor.analyze import analyze
    from advisor.thresholds import Thresholds

    monkeypatch.setattr(cli, "_is_tty", lambda stream: True)
    monkeypatch.setattr(cli, "PROGRESS_DELAY", 0.0)
    monkeypatch.setattr("advisor.io.STDIN_BLOCK", 4096)
    data = ("x,y\n" + "".join(f"{i},{i % 3}\n" for i in range(20_000))).encode()
    seen: list[tuple[bool, int]] = []
    with cli._progress_bar() as factory:
        def counting(source):
            report = factory(source)

            def both(done: int) -> None:
                seen.append((source is None, done))
                report(done)

            return both

        profile = analyze("-", "y", Thresholds(), stdin=io.BytesIO(data),
                          progress=counting).profile
    stdin_counts = [done for is_stdin, done in seen if is_stdin]
    assert len(stdin_counts) > 1 and stdin_counts[-1] == len(data)
    assert stdin_counts == sorted(stdin_counts)
    assert profile.stats == analyze("-", "y", Thresholds(), stdin=io.BytesIO(data)).profile.stats


def test_quiet_has_no_progress_bar(monkeypatch):
    import advisor.cli as cli

    monkeypatch.setattr(cli, "_is_tty", lambda stream: True)
    cli._set_verbosity(quiet=True, verbose=False)
    try:
        with cli._progress_bar() as factory:
            assert factory is None
    finally:
        cli._set_verbosity(quiet=False, verbose=False)


def test_a_bare_ignore_comment_is_reported(cli, write):
    path = write("train.yaml", 'objective: "reg:squarederr"   # lossadvisor: ignore\n'
                 'eval_metric: rmse  # lossadvisor: ignore[LNT121] spelled as our fork does\n')
    result = cli(["lint", path])
    assert f"{path}:1: '# lossadvisor: ignore' names no rule, so it suppresses nothing" in (
        result.stderr)
    assert f"{path}:2:" not in result.stderr
    assert "LNT121" in result.stdout  # line 1 is still reported


def test_shell_completion_is_offered(cli):
    text = cli(["--help"]).stdout
    assert "--install-completion" in text and "--show-completion" in text
