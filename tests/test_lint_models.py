"""Files with several models: each model is read and linted on its own, so one model's metric
is never joined to another's loss (issue #11, part 2, last bullet)."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run

from advisor.catalog import load_catalog
from advisor.lint.dialects import read_config

REAL = Path(__file__).resolve().parent / "fixtures" / "lint" / "real"


def read(path: Path):
    return read_config(path, load_catalog())


def written(tmp_path: Path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text)
    return read(path)


def summary(models):
    return [(m.name, m.loss.name if m.loss else None, [x.name for x in m.metrics])
            for m in models]


def test_task_heads_of_a_multi_task_model_are_separate_models():
    """MMF UniT: every task head under heads.vl / heads.glue sets its own loss_type; the
    detection heads set none and are nobody's shared settings."""
    models = read(REAL / "mmf_unit_heads.yaml")
    assert [(m.name, m.loss.name, m.loss.line) for m in models] == [
        ("vl.vqa2", "binary_cross_entropy_with_logits", 22),
        ("vl.visual_entailment", "cross_entropy", 26),
        ("glue.glue_qnli", "cross_entropy", 31),
        ("glue.glue_mnli_mismatched", "cross_entropy", 35),
        ("glue.glue_sst2", "cross_entropy", 39),
        ("glue.glue_qqp", "cross_entropy", 43),
    ]
    # detection_coco's num_classes: 91 belongs to a detection head, not to the VQA model
    assert all("num_class" not in m.options and m.losses == [] for m in models)
    assert models[0].loss.canonical == "bce"  # torch.nn.functional's name, from unit.py


def test_ludwig_multi_task_example_is_one_model_per_output_feature():
    """Ludwig's own multi-task example: a number and a binary output, each with the loss
    Ludwig gives its type by default, linted as two models."""
    models = read(REAL / "ludwig_multi_task.yaml")
    assert [(m.name, m.task.value, m.loss.canonical, m.loss.line) for m in models] == [
        ("quality_score", "regression", "mse", 15), ("quality_binary", "binary", "bce", 17)]


def test_top_level_sections_each_with_their_own_objective(tmp_path):
    path = tmp_path / "models.yaml"
    path.write_text("default_engine: lightgbm\ndata: train.csv\ntarget: churned\n"
                    "lightgbm:\n  default:\n    objective: binary\n    metric: auc\n"
                    "  dart:\n    boosting_type: dart\n"
                    "xgboost:\n  default:\n    objective: 'binary:logistic'\n"
                    "    eval_metric: aucpr\nvalidation:\n  cv_folds: 5\n")
    models = read(path)
    assert [(m.name, m.framework, m.loss.canonical, [x.canonical for x in m.metrics])
            for m in models] == [("lightgbm", "lightgbm", "bce", ["roc_auc"]),
                                 ("xgboost", "xgboost", "bce", ["pr_auc"])]
    # settings outside every model section are shared by each
    assert all((m.data.value, m.target.value) == (str(tmp_path / "train.csv"), "churned")
               for m in models)


def test_a_list_of_models_shares_only_what_is_outside_it(tmp_path):
    models = written(tmp_path, "bench.yaml", "metrics: [accuracy]\nmodels:\n  - name: small\n"
                    "    criterion: {_target_: torch.nn.CrossEntropyLoss, label_smoothing: 0.1}\n"
                    "  - loss: mse\n    metrics: [mae]\n  - name: rf\n    n_estimators: 100\n")
    assert summary(models) == [
        ("small", "torch.nn.CrossEntropyLoss", ["accuracy"]),
        ("models[1]", "mse", ["mae", "accuracy"]),
    ]
    assert "label_smoothing" in models[0].options and "label_smoothing" not in models[1].options


def test_yaml_documents_are_separate_models_and_a_header_document_is_left_out(tmp_path):
    models = written(tmp_path, "sweep.yaml", "kind: Experiment\nmetadata: {name: sweep}\n---\n"
                    "objective: 'reg:squarederror'\neval_metric: rmse\n---\n"
                    "objective: 'binary:logistic'\neval_metric: [auc, logloss]\n")
    assert [(m.name, m.loss.canonical, m.loss.line, [x.canonical for x in m.metrics])
            for m in models] == [("document 2", "mse", 4, ["rmse"]),
                                 ("document 3", "bce", 7, ["roc_auc", "log_loss"])]
    assert models[0].notes == ["document 1: no loss or metric named; left out"]


def test_parts_of_one_model_are_not_split(tmp_path):
    """A two-stage detector's RPN and box head, detectron2's RPN beside ROI_BOX_HEAD, and
    training / evaluation phases each set a loss, but they are one model."""
    for text, loss, losses in [
        ("model:\n  rpn_head:\n    loss_cls: {type: CrossEntropyLoss, use_sigmoid: true}\n"
         "    loss_bbox: {type: L1Loss}\n  roi_head:\n    bbox_head:\n"
         "      loss_cls: {type: CrossEntropyLoss}\n      loss_bbox: {type: SmoothL1Loss}\n",
         "CrossEntropyLoss", ["L1Loss", "CrossEntropyLoss", "SmoothL1Loss"]),
        ("MODEL:\n  RPN: {SMOOTH_L1_BETA: 0.0}\n  ROI_BOX_HEAD: {BBOX_REG_LOSS_TYPE: giou}\n",
         "smooth_l1", ["giou"]),
        ("train:\n  criterion: mse\neval:\n  criterion: mse\n  metrics: [mae]\n", "mse", []),
        # SpeechBrain LibriSpeech transformer: joint CTC + attention costs of one model
        ("ctc_cost: !name:speechbrain.nnet.losses.ctc_loss\n  blank_index: 0\n"
         "seq_cost: !name:speechbrain.nnet.losses.kldiv_loss\n  label_smoothing: 0.1\n",
         "speechbrain.nnet.losses.ctc_loss", ["speechbrain.nnet.losses.kldiv_loss"]),
    ]:
        path = tmp_path / "one.yaml"
        path.write_text(text)
        (model,) = read(path)
        assert (model.name, model.loss.name, [s.name for s in model.losses]) == (
            None, loss, losses)


def test_json_and_toml_trees_split_the_same_way(tmp_path):
    json_path = tmp_path / "grid.json"
    json_path.write_text(json.dumps({"models": {
        "a": {"objective": "reg:squarederror", "eval_metric": "rmse"},
        "b": {"objective": "count:poisson", "eval_metric": "poisson-nloglik"}}}))
    assert summary(read(json_path)) == [("a", "reg:squarederror", ["rmse"]),
                                        ("b", "count:poisson", ["poisson-nloglik"])]
    toml_path = tmp_path / "models.toml"
    toml_path.write_text('[[models]]\nname = "l2"\nobjective = "regression"\n'
                         '[[models]]\nname = "l1"\nobjective = "regression_l1"\n')
    models = read(toml_path)
    assert [(m.name, m.loss.name, m.loss.line) for m in models] == [
        ("l2", "regression", 3), ("l1", "regression_l1", 6)]


def test_each_model_is_linted_and_reported_on_its_own(tmp_path):
    """The binary model's AUC is not judged against the regression model's loss: each model
    gets its own entry in the JSON configs list and its own findings."""
    path = tmp_path / "two.yaml"
    path.write_text("regressor:\n  objective: 'reg:squarederror'\n  eval_metric: rmse\n"
                    "classifier:\n  objective: 'binary:logistic'\n  eval_metric: auc\n")
    result = run(["lint", str(path), "--format", "json"])
    assert result.exit_code == 0, result.stdout + result.stderr
    doc = json.loads(result.stdout)
    assert [(c["model"], c["loss"]["id"], [m["id"] for m in c["metrics"]])
            for c in doc["configs"]] == [("regressor", "mse", ["rmse"]),
                                         ("classifier", "bce", ["roc_auc"])]
    assert doc["findings"] == []
    joined = tmp_path / "joined.yaml"
    joined.write_text("objective: 'reg:squarederror'\neval_metric: auc\n")
    doc = json.loads(run(["lint", str(joined), "--format", "json"]).stdout)
    assert doc["findings"], "a regression loss with AUC in one model is a finding"
