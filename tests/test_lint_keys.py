"""Paths and tasks are read only where they are meant (issue #11, part 6): a data key is a path
only when it looks like one, and ``task`` only from keys that set the training task."""

from __future__ import annotations

import pytest

from advisor.catalog import load_catalog
from advisor.lint.dialects import read_config


def read_one(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text)
    (model,) = read_config(path, load_catalog())
    return model


@pytest.mark.parametrize("text", [
    "defaults:\n  - data: mnist\n  - model: resnet\nloss: mse\n",  # Hydra defaults entry
    "data: mnist\nloss: mse\n",  # a config-group name, no such file
    "data: ???\nloss: mse\n",  # Hydra mandatory value
    "data: ${paths.data_dir}/train.csv\nloss: mse\n",  # interpolation
    "train_data: '@dataset#train'\nloss: mse\n",  # MONAI reference
    "data: $monai.data.load_decathlon_datalist('x.json')\nloss: mse\n",  # MONAI expression
    "data:\n  path: ???\n  batch_size: 8\nloss: mse\n",
])
def test_values_that_are_not_paths_are_never_data(tmp_path, text):
    assert read_one(tmp_path, "c.yaml", text).data is None


@pytest.mark.parametrize("text,expected", [
    ("data: train.csv\nloss: mse\n", "train.csv"),  # a data-file extension
    ("data: {train: shards/part-0.parquet}\nloss: mse\n", "shards/part-0.parquet"),
    ("train_data: rows\nloss: mse\n", "rows"),  # no extension, but the file exists
])
def test_values_that_look_like_paths_are_data(tmp_path, text, expected):
    (tmp_path / "rows").write_text("y\n1\n")
    model = read_one(tmp_path, "c.yaml", text)
    assert model.data.value == str(tmp_path / expected)


@pytest.mark.parametrize("text,task", [
    ("task: binary\nloss: bce\n", "binary"),  # top level
    ("model:\n  task: multiclass\n  loss: cce\n", "multiclass"),  # the model's section
    ("training:\n  task: regression\nloss: mse\n", "regression"),
])
def test_task_comes_from_keys_that_set_the_training_task(tmp_path, text, task):
    model = read_one(tmp_path, "c.yaml", text)
    assert (model.task.value, model.task.line) == (task, text.splitlines().index(
        next(line for line in text.splitlines() if "task:" in line)) + 1)


@pytest.mark.parametrize("name,text", [
    # a metric's argument (torchmetrics), as a mapping and in a list
    ("c.yaml", "loss: mse\nmetrics:\n  acc: {_target_: torchmetrics.Accuracy, task: multiclass,"
               " num_classes: 10}\n"),
    ("c.yaml", "loss: mse\nmetrics:\n  - {_target_: torchmetrics.F1Score, task: binary}\n"),
    # arguments of some other class, and keys that are not the training task
    ("c.yaml", "loss: mse\ncallbacks:\n  probe: {_target_: my.Probe, task: binary}\n"),
    ("c.yaml", "loss: mse\nlogger:\n  task: binary\n"),
    ("c.yaml", "loss: mse\ntask: graph\n"),
    ("c.yaml", "criterion: {_name: cross_entropy}\ntask: {_name: sentence_prediction}\n"),
    # a Python config: the metric mapping's task= is the metric's argument
    ("c.py", "model = dict(loss_cls=dict(type='FocalLoss'))\n"
             "val_evaluator = dict(type='Accuracy', task='binary')\n"),
])
def test_task_is_never_read_from_a_metric_argument_or_an_unrelated_key(tmp_path, name, text):
    model = read_one(tmp_path, name, text)
    assert model.task is None
    assert model.loss is not None  # the file was read, the task was left alone
