"""Real configs from each ecosystem's own example repositories (tests/fixtures/lint/real, sources
named in each file or in SOURCES.md): what lint reads from each, and no finding at the
default settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run

from advisor.catalog import load_catalog
from advisor.lint.dialects import read_config

REAL = Path(__file__).resolve().parent / "fixtures" / "lint" / "real"

# file: (dialect, framework, loss id, further loss ids, metric ids, options)
EXPECTED = {
    "lightgbm_lambdarank.conf": ("lightgbm", "lightgbm", "lambdarank", [], ["ndcg"], {}),
    "lightgbm_regression.conf": ("lightgbm", "lightgbm", "mse", [], ["mse"], {}),
    "lightgbm_binary.conf": ("lightgbm", "lightgbm", "bce", [], ["log_loss", "roc_auc"],
                             {"sample_weight": "binary.train.weight"}),
    "lightgbm_multiclass.conf": ("lightgbm", "lightgbm", "cce", [], ["log_loss", "roc_auc"],
                                 {"num_class": "5"}),
    "xgboost_mushroom.conf": ("xgboost", "xgboost", "bce", [], [],
                              {"data_format": "libsvm"}),
    "xgboost_rank.conf": ("xgboost", "xgboost", "pairwise_rank", [], [], {}),
    "catboost_params.json": ("catboost", "catboost", "bce", [], ["roc_auc", "pr_auc", "pr_auc"],
                             {"class_weight": "Balanced"}),
    "mmdet/retinanet/retinanet_r50_fpn_1x_voc.py": ("python", "openmmlab", "focal", ["mae"],
                                                    ["map"], {"num_class": 20}),
    "d2/COCO-Detection/retinanet_R_50_FPN_1x.py": ("python", "detectron2", "focal", [], [],
                                                   {"num_class": 80}),
    "d2/COCO-Keypoints/keypoint_rcnn_R_50_FPN_1x.py": ("python", "detectron2", "smooth_l1", [],
                                                        ["map"], {"num_class": 80}),
    "d2_base_retinanet.yaml": ("yaml", "detectron2", "smooth_l1", [], [], {}),
    "fairseq_sst2.yaml": ("yaml", "fairseq", "cce", [], ["accuracy"], {"num_class": 2}),
    "paddleclas_resnet50.yaml": ("paddleclas", "paddle", "cce", [], ["accuracy"],
                                 {"num_class": 1000}),
    "paddleseg_ppliteseg.yml": ("paddleseg", "paddle", "cce", [], [], {"num_class": 11}),
    "monai_spleen_train.json": ("monai", "monai", "ce_dice", [],
                                ["accuracy", "dice_coefficient"], {}),
    "speechbrain_rnnlm.yaml": ("yaml", "speechbrain", "cce", [], [], {}),
    "torchmetrics_mapping.yaml": ("yaml", "pytorch", "cce", [], ["accuracy", "macro_f1"],
                                  {"num_class": 10}),
}


def read(name: str):
    return read_config(REAL / name, load_catalog())


@pytest.mark.parametrize("name", EXPECTED)
def test_what_is_read(name):
    dialect, framework, loss, losses, metrics, options = EXPECTED[name]
    (model,) = read(name)
    assert model.dialect == dialect
    assert model.framework == framework
    assert model.loss.canonical == loss
    assert [s.canonical for s in model.losses] == losses
    assert [m.canonical for m in model.metrics] == metrics
    for key, value in options.items():
        assert model.options[key].value == value


TRUE_POSITIVES = {"lightgbm_regression.conf"}
"""Real examples with a real problem: LightGBM's regression example fits L2 to a 0/1 label
(tests/test_lint_datafile.py)."""


OTHER_SHAPES = ["ludwig_multi_output.yaml", "ludwig_multi_task.yaml", "anomalib_draem_v0.yaml",
                "mmf_unit_heads.yaml", "d2/MViTv2/mask_rcnn_mvitv2_t_3x.py"]
"""Real fixtures asserted in their own tests (several models, no loss, model_zoo configs)."""


@pytest.mark.parametrize("name", [n for n in [*EXPECTED, *OTHER_SHAPES]
                                  if n not in TRUE_POSITIVES])
def test_no_false_positive_at_default_settings(name, monkeypatch):
    monkeypatch.chdir((REAL / name).parent)
    result = run(["lint", Path(name).name, "--format", "json"])
    assert result.exit_code == 0, result.stdout + result.stderr


def test_ludwig_reads_every_output_feature_as_its_own_model():
    models = read("ludwig_multi_output.yaml")
    assert [(m.name, m.target.value, m.task.value, m.loss.canonical) for m in models] == [
        ("sentiment", "sentiment", "multiclass", "cce"),
        ("helpful_votes", "helpful_votes", "regression", "mse"),
    ]
    # hyperopt's `metric: loss` names a logged value, not a metric to check
    assert all(m.metrics == [] for m in models)


def test_python_configs_resolve_base_files_and_never_execute(tmp_path):
    (model,) = read("mmdet/retinanet/retinanet_r50_fpn_1x_voc.py")
    assert model.loss.name == "FocalLoss" and model.loss.args["gamma"] == 2.0
    assert model.options["num_class"].value == 20  # the child's override wins
    assert any("BinOp" in note for note in model.notes)  # data_root + '...' is skipped
    marker = tmp_path / "ran"
    hostile = tmp_path / "config.py"
    hostile.write_text(f"import os\nos.system('touch {marker}')\n"
                       f"loss = dict(type=open('{marker}', 'w').name)\n"
                       "model = dict(loss_cls=dict(type='FocalLoss'))\n")
    (model,) = read_config(hostile, load_catalog())
    assert not marker.exists()
    assert model.loss.canonical == "focal"


def test_python_config_with_a_base_cycle_or_missing_base_exits_2(tmp_path):
    (tmp_path / "a.py").write_text("_base_ = ['b.py']\n")
    (tmp_path / "b.py").write_text("_base_ = ['a.py']\n")
    result = run(["lint", str(tmp_path / "a.py")])
    assert result.exit_code == 2 and "config files" in result.stderr
    (tmp_path / "c.py").write_text("_base_ = ['missing.py']\n")
    result = run(["lint", str(tmp_path / "c.py")])
    assert result.exit_code == 2 and "_base_ file 'missing.py' not found" in result.stderr


def test_monai_references_and_expressions_are_never_paths():
    (model,) = read("monai_spleen_train.json")
    assert model.data is None  # "data": "$[...]" is an expression
    assert model.loss.args["softmax"] is True


def test_hydra_placeholders_and_fairseq_task_names_are_not_paths_or_tasks():
    (model,) = read("fairseq_sst2.yaml")
    assert model.data is None and model.task is None  # data: ???, task: {_name: ...}


def test_detectron2_lazyconfig_evaluator_loss_setting_and_model_zoo():
    """LazyConfig: the evaluator assigned onto `dataloader = OmegaConf.create()` two imports
    away is the metric, `box_predictor.smooth_l1_beta = 0.5` set on the imported model names
    the box loss, and what cannot be read without running code is named in a note."""
    (model,) = read("d2/COCO-Keypoints/keypoint_rcnn_R_50_FPN_1x.py")
    (metric,) = model.metrics
    assert (metric.name, metric.key, metric.args) == (
        "detectron2.evaluation.COCOEvaluator", "evaluator",
        {"dataset_name": "${..test.dataset.names}"})
    assert model.loss.args == {} and model.loss.key == "smooth_l1_beta"
    assert model.notes == [  # ShapeSpec(...)
        "mask_rcnn_fpn.py: line 21 (call) not evaluated (calls and expressions are never run)"]
    (zoo,) = read("d2/MViTv2/mask_rcnn_mvitv2_t_3x.py")
    assert zoo.empty() and zoo.notes == [
        f"mask_rcnn_mvitv2_t_3x.py:{line}: get_config() loads a config shipped inside the "
        "framework (model_zoo); not read" for line in (5, 6, 11)]


def test_a_config_read_only_through_model_zoo_is_not_understood(monkeypatch):
    monkeypatch.chdir(REAL / "d2" / "MViTv2")
    result = run(["lint", "mask_rcnn_mvitv2_t_3x.py", "--strict"])
    assert result.exit_code == 1 and "1 not understood" in result.stderr
    assert "get_config() loads a config shipped inside the framework" in result.stderr


def test_anomalib_metric_mapping_and_the_logged_series_early_stopping_watches():
    """anomalib: `metrics: {image: [...], pixel: [...], threshold: {...}}` holds the metrics;
    `early_stopping: {metric: pixel_AUROC}` names a logged series (it was a did-you-mean
    warning), and `dataset.task: segmentation` is the dataset's, not the training task."""
    (model,) = read("anomalib_draem_v0.yaml")
    assert [(m.name, m.canonical, m.line) for m in model.metrics] == [
        ("F1Score", "f1", 25), ("AUROC", "roc_auc", 26), ("F1Score", "f1", 28),
        ("AUROC", "roc_auc", 29)]
    assert model.task is None and model.loss is None
    assert model.framework is None  # F1Score is Keras's and torchmetrics' spelling alike


def test_a_speechbrain_wrapper_loss_is_the_loss_it_wraps():
    """IEMOCAP: `LogSoftmaxWrapper` with `loss_fn: !new:...AdditiveAngularMargin` trains with
    the additive angular margin; the wrapper is not the loss (lint-findings #2, tree.py
    `_unwrapped`)."""
    (model,) = read("speechbrain_iemocap.yaml")
    assert (model.loss.name, model.loss.canonical, model.loss.key, model.loss.line) == (
        "speechbrain.nnet.losses.AdditiveAngularMargin", "arcface", "compute_cost", 6)
    assert model.loss.args == {"margin": 0.2, "scale": 30} and model.losses == []


def test_a_bare_criterion_in_a_fairseq_dataclass_config_is_fairseq():
    """RoBERTa pretraining: `criterion: masked_lm` beside `task: {_name: masked_lm}` is
    fairseq's criterion; `criterion` alone would read as a PyTorch key (lint-findings #3)."""
    (model,) = read("fairseq_roberta_pretraining.yaml")
    assert (model.framework, model.loss.name, model.loss.framework) == (
        "fairseq", "masked_lm", "fairseq")
