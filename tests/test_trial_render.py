"""The trial's rendered evidence: the HTML section (table, verdicts, SVG chart to scale) and the
charts' grouping by metric. Golden transcripts of every format are in tests/test_golden.py."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
from test_html import Page, _self_contained

from advisor.render.trial import chart_lines
from advisor.render.trial_html import LABEL, RIGHT, WIDTH


def _poisson_csv(tmp_path, extra: dict | None = None) -> str:
    rng = np.random.default_rng(1)
    n = 1200
    X = rng.normal(size=(n, 4))
    frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(4)])
    frame["y"] = rng.poisson(np.exp(0.5 + 0.45 * X.sum(axis=1)))
    for name, value in (extra or {}).items():
        frame[name] = value
    path = tmp_path / "poisson.csv"
    frame.to_csv(path, index=False)
    return str(path)


def _floats(tag: str, name: str) -> float:
    return float(re.search(rf'{name}="([-\d.]+)"', tag).group(1))


def test_html_shows_the_trial_table_verdicts_and_a_chart_drawn_to_scale(cli, tmp_path):
    path = _poisson_csv(tmp_path, {"<b>k</b>": 1})  # a constant column, named like markup
    args = ["trial", path, "-t", "y", "--losses", "poisson,mse,mae", "--folds", "3",
            "--repeats", "1"]
    html = cli([*args, "--format", "html"]).stdout
    doc = json.loads(cli([*args, "--format", "json"]).stdout)
    page = Page()
    page.feed(html)
    page.close()
    _self_contained(page, html)
    section = doc["trial"]
    text = " ".join(page.text)
    assert "Trial: evidence on this data" in text
    for cand in section["candidates"]:  # one table row per candidate, with mean ± SE
        assert f'<td class="id">{cand["id"]}</td>' in html
        for score in cand["scores"].values():
            assert (score["mean"] is None) == (score["se"] is None)
            if score["se"] is not None:  # corrected for overlapping folds: above SD/sqrt(J)
                assert score["se"] > score["sd"] / 3 ** 0.5
    assert section["candidates"][0]["scores"][section["primary"]]["se"] > 0
    for c in section["comparisons"]:
        assert c["sentence"].replace("'", "&#x27;") in html
    assert "<b>k</b>" not in html and "&lt;b&gt;k&lt;/b&gt;" in html  # dropped, escaped
    # the chart: one group per comparison, the dot inside its interval, on the side its sign says
    groups = re.findall(r'<g class="comparison">.*?</g>', html)
    assert len(groups) == len(section["comparisons"]) == 2
    zero = re.search(r'<line x1="([\d.]+)" y1="\d+" x2="\1"', html)
    assert zero is not None
    zero_x = float(zero.group(1))
    for group, c in zip(groups, section["comparisons"], strict=True):
        ends = sorted({_floats(t, "x1") for t in re.findall(r"<line [^>]+>", group)})
        dot = _floats(re.search(r"<circle [^>]+>", group).group(0), "cx")
        assert LABEL <= ends[0] <= dot <= ends[-1] <= WIDTH - RIGHT
        assert (dot > zero_x) == (c["difference"] > 0)
        assert f">{c['verdict']}</text>" in group
    for c in section["comparisons"]:
        assert f'<li class="v-{c["verdict"].replace(" ", "-")}">' in html


def test_profile_with_trial_html_has_the_evidence_beside_the_losses(cli, tmp_path):
    path = _poisson_csv(tmp_path)
    html = cli(["profile", path, "-t", "y", "--trial", "--format", "html"]).stdout
    assert '<section class="trial">' in html and 'class="trial-chart"' in html
    assert "Evidence: trial" in html


def test_comparisons_decided_on_different_metrics_get_separate_axes():
    def comparison(other: str, metric: str, low: float, mean: float, high: float) -> dict:
        return {"other": other, "metric": metric, "ci_low": low, "difference": mean,
                "ci_high": high, "verdict": "no evidence", "threshold": 0.01}

    section = {"candidates": [{"id": "gamma"}], "comparisons": [
        comparison("mse", "mse", -400.0, 100.0, 600.0),
        comparison("poisson", "gamma_deviance", -0.02, 0.01, 0.04),
    ]}
    lines = chart_lines(section)
    assert sum("difference, 95% interval" in line for line in lines) == 2
    poisson = next(line for line in lines if line.lstrip().startswith("poisson"))
    # on its own axis the small interval spans the width instead of collapsing onto zero
    assert poisson.index("┤") - poisson.index("├") > 30


def test_the_terminal_view_shows_control_characters_from_the_file_visibly(cli, tmp_path):
    path = _poisson_csv(tmp_path, {"\x1b[31mred": 1})  # a constant column with ESC in its name
    result = cli(["trial", path, "-t", "y", "--losses", "poisson,mse", "--folds", "3",
                  "--repeats", "1"])
    assert result.exit_code == 0, result.stderr
    assert "\x1b" not in result.stdout and "[31mred" in result.stdout
