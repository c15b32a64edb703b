"""Golden transcripts of the CLI, one per output format (argv, exit code, stdout, stderr).

Regenerate after an intended change with ``UPDATE_GOLDEN=1 pytest tests/test_golden.py`` and
review the diff like code.
"""

from __future__ import annotations

import os
import re

import pytest
from conftest import GOLDEN, ROOT, run

CASES = {
    "fraud-table": ["profile", "sample_data/fraud.csv", "--target", "is_fraud"],
    "fraud-json": ["profile", "sample_data/fraud.csv", "--target", "is_fraud", "--format",
                   "json", "--framework", "xgboost"],
    "fraud-markdown": ["profile", "sample_data/fraud.csv", "--target", "is_fraud", "--format",
                       "markdown"],
    "claims-table": ["profile", "sample_data/claims.csv", "--target", "n_claims",
                     "--framework", "lightgbm"],
    "house-prices-markdown": ["profile", "sample_data/house_prices.csv", "--target", "price",
                              "--format", "markdown"],
    "ratings-json": ["profile", "sample_data/ratings.csv", "--format", "json"],
    "segmentation-table": ["recommend", "--task", "segmentation", "--trait", "imbalanced"],
    "clicks-ranking-table": ["profile", "sample_data/clicks.csv", "--target", "relevance",
                             "--group", "query_id", "--framework", "lightgbm"],
    "heart-survival-markdown": ["profile", "tests/fixtures/context/heart.csv", "--target",
                                "survival", "--censor", "censors", "--format", "markdown"],
    "cancer-exposure-json": ["profile", "tests/fixtures/context/cancer.csv", "--target",
                             "cancer", "--exposure", "population", "--format", "json",
                             "--framework", "xgboost"],
    "ranking-recommend-markdown": ["recommend", "--task", "ranking", "--format", "markdown"],
    "two-targets-table": ["profile", "sample_data/claims.csv", "--target", "n_claims,exposure"],
    "two-targets-json": ["profile", "sample_data/claims.csv", "--target", "n_claims,exposure",
                         "--format", "json"],
    "explain-markdown": ["explain", "REC021", "--format", "markdown"],
    "bad-target-error": ["profile", "sample_data/fraud.csv", "--target", "fraud"],
}
TRIAL = ["trial", "sample_data/claims.csv", "--target", "n_claims", "--losses", "poisson,mse",
         "--folds", "3", "--repeats", "1"]
CASES.update({f"claims-trial-{fmt}": [*TRIAL, "--format", fmt]
              for fmt in ("text", "json", "markdown", "html")})


def transcript(args: list[str]) -> str:
    result = run(args)
    text = (
        f"$ lossadvisor {' '.join(args)}\n"
        f"exit code: {result.exit_code}\n"
        f"----- stdout -----\n{result.stdout}"
        f"----- stderr -----\n{result.stderr}"
    )
    text = re.sub(r"lossadvisor [\d.]+[^<\s]*\.</p></footer>",
                  "lossadvisor <version>.</p></footer>", text)
    return re.sub(r'"version": "[^"]+"', '"version": "<version>"', text)


LINT_CASES = {
    f"lint-{fmt}": ["lint", "tests/fixtures/lint/lightgbm_bad.conf",
                    "tests/fixtures/lint/suppressed.yaml", "--format", fmt]
    for fmt in ("text", "json", "github", "sarif", "markdown")
}


@pytest.mark.parametrize("name", [*CASES, *LINT_CASES])
def test_golden(name, monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    actual = transcript({**CASES, **LINT_CASES}[name])
    path = GOLDEN / f"{name}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"missing golden file {path}; run with UPDATE_GOLDEN=1"
    assert actual == path.read_text(encoding="utf-8")
