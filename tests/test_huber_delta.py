"""Huber's delta belongs on the residual scale; the profile, which sees only the target, must never
present the target's own scale as "the delta" (it gave 3330 on diamond prices, where Huber is
squared error). `profile --trial` fits models and fills in the delta it measured."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from conftest import SAMPLES

FRAMEWORKS = ["pytorch", "keras", "xgboost", "lightgbm", "catboost"]


def _profile(cli, path: str, *args: str) -> tuple[dict, str]:
    result = cli(["profile", path, "--format", "json", *args])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout), result.stderr


def test_profile_shows_the_target_scale_only_as_a_bound_never_as_the_delta(cli):
    path = str(SAMPLES / "house_prices.csv")
    price = pd.read_csv(path)["price"].to_numpy(float)
    bound = 1.345 * 1.4826 * np.median(np.abs(price - np.median(price)))
    for framework in FRAMEWORKS:
        doc, stderr = _profile(cli, path, "-t", "price", "--framework", framework)
        assert doc["losses"][0]["id"] == "huber"
        assert "huber_delta" not in doc["profile"]
        assert np.isclose(doc["profile"]["huber_delta_bound"], bound, rtol=1e-6)
        code = doc["snippet"]["code"]
        assert "HUBER_DELTA" in code and f"{bound:.4g}" not in code, framework
        assert doc["snippet"]["placeholders"]["HUBER_DELTA"].startswith(
            "Huber's delta on the residual scale")
        assert "HUBER_DELTA to fill in" in stderr
    rationale = " ".join(doc["losses"][0]["rationale"])
    assert f"residuals; the target's own spread puts it below {bound:,.4g}" in rationale


def _contaminated(tmp_path) -> str:
    """y = 50x + N(0, 1), plus gross outliers of ±2000 in 3% of the rows."""
    rng = np.random.default_rng(11)
    n = 300
    x = rng.normal(size=n)
    outliers = np.where(rng.random(n) < 0.03, rng.choice([-2000.0, 2000.0], size=n), 0.0)
    frame = pd.DataFrame({"x": x, "y": 50.0 * x + rng.normal(size=n) + outliers})
    path = tmp_path / "contaminated.csv"
    frame.to_csv(path, index=False)
    return str(path)


def test_the_trials_delta_resists_the_outliers_huber_is_for(cli, tmp_path):
    result = cli(["trial", _contaminated(tmp_path), "-t", "y", "--losses", "huber,mse",
                  "--folds", "2", "--repeats", "1", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    huber = json.loads(result.stdout)["trial"]["candidates"][0]
    # a median fit's residuals have a robust sigma near the noise's 1 (a squared-error fit,
    # dragged by the outliers, gave 28)
    assert huber["id"] == "huber" and 0.5 < huber["huber_delta"] < 10.0


@pytest.mark.slow
def test_profile_trial_fills_in_the_delta_it_measured_on_the_residuals(cli, tmp_path):
    doc, _ = _profile(cli, _contaminated(tmp_path), "-t", "y", "--framework", "pytorch",
                      "--trial")
    huber = next(c for c in doc["trial"]["candidates"] if c["id"] == "huber")
    delta, bound = huber["huber_delta"], doc["profile"]["huber_delta_bound"]
    assert doc["losses"][0]["id"] == "huber"
    assert f"nn.HuberLoss(delta={delta:.4g})" in doc["snippet"]["code"]
    assert "placeholders" not in doc["snippet"]
    # the residuals' robust sigma is near 1, the target's near 50
    assert 0.5 < delta < 10.0 < bound / 5
