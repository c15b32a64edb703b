"""The trial's comparison details the issue names one by one: a deviance undefined for a
candidate's predictions falls back to a defined metric with a note, class weights are undone
before log loss (prior correction), a model that used every iteration is flagged, and folds are
repeated only on small data."""

from __future__ import annotations

import numpy as np
import pandas as pd

from advisor.trial import (
    FoldResult,
    TrialOptions,
    _compare,
    _iteration_notes,
    _prior_corrected,
    run_trial,
)
from advisor.trial_spec import choose_candidates, load_trial_spec


def _fold(poisson_deviance: float | None, mse: float, iterations: int = 40) -> FoldResult:
    return FoldResult(ratio=0.25, scores={
        "poisson": {"poisson_deviance": 1.0, "mse": 2.0},
        "mse": {"poisson_deviance": poisson_deviance, "mse": mse},
    }, iterations={"poisson": 40, "mse": iterations})


def test_an_undefined_deviance_falls_back_to_squared_error_with_a_note():
    folds = [_fold(None, 2.5 + 0.01 * i) for i in range(5)]  # mse predicted ≤ 0 somewhere
    notes: list[str] = []
    verdicts = _compare(folds, ["poisson", "mse"], "poisson_deviance", [], load_trial_spec(),
                        notes)
    assert verdicts[0].primary.metric == "mse"
    assert verdicts[0].verdict == "wins"  # 2.0 vs ~2.5 squared error in every fold
    assert notes and "Poisson deviance is undefined for the predictions of mse" in notes[0]
    assert "decided on squared error instead" in notes[0]


def test_a_defined_deviance_decides_without_a_note():
    folds = [_fold(1.2, 2.5) for _ in range(5)]
    notes: list[str] = []
    verdicts = _compare(folds, ["poisson", "mse"], "poisson_deviance", [], load_trial_spec(),
                        notes)
    assert verdicts[0].primary.metric == "poisson_deviance" and notes == []


def test_prior_correction_undoes_balanced_class_weights():
    spec = load_trial_spec()
    y_train = np.array([0] * 90 + [1] * 10)
    truth = np.array([[0.8, 0.2], [0.97, 0.03], [0.5, 0.5]])
    weights = len(y_train) / (2 * np.bincount(y_train))  # class_weight="balanced"
    fitted = truth * weights / (truth * weights).sum(axis=1, keepdims=True)
    undone = _prior_corrected(fitted, spec.losses["weighted_bce"], y_train, 2)
    np.testing.assert_allclose(undone, truth)
    # an unweighted model is left as it is
    assert _prior_corrected(fitted, spec.losses["bce"], y_train, 2) is fitted


def test_a_model_that_used_every_iteration_is_flagged():
    spec = load_trial_spec()
    cap = int(spec.hyperparameters["max_iter"])
    folds = [_fold(1.2, 2.5, iterations=cap), _fold(1.2, 2.5, iterations=cap - 10),
             _fold(1.2, 2.5, iterations=-cap)]  # negative: early stopping was off
    notes: list[str] = []
    capped = _iteration_notes(folds, ["poisson", "mse"], spec, notes)
    assert capped == {"poisson": 0, "mse": 1}
    assert notes == [f"mse reached the iteration cap (max_iter={cap}) in some folds: with more "
                     "iterations the scores could still move"]


def test_folds_are_repeated_on_small_data_only_and_never_in_time_order(tmp_path):
    rng = np.random.default_rng(14)
    frame = pd.DataFrame({"x": rng.normal(size=200), "t": np.arange(200)})
    frame["y"] = rng.poisson(np.exp(0.5 * frame["x"]))
    path = tmp_path / "small.csv"
    frame.to_csv(path, index=False)
    spec = load_trial_spec()
    candidates = choose_candidates([], "count", spec, asked=["poisson", "mse"])

    def trial(**options) -> dict:
        return run_trial(str(path), "y", "count", None, candidates, spec,
                         TrialOptions(folds=2, **options), lambda _: None)

    small = trial()
    assert small["split"]["repeats"] == 3 and small["folds_planned"] == 6
    assert trial(time="t")["split"]["repeats"] == 1
