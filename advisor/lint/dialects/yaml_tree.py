"""YAML configs (Hydra, Lightning CLI, XGBoost/Keras parameters and similar): loss and metric
keys found by name anywhere in the tree."""

from __future__ import annotations

from pathlib import Path

from advisor.catalog import Catalog
from advisor.lint.inherit import resolve
from advisor.lint.model import ModelConfig
from advisor.lint.parse import parse_yaml_documents
from advisor.lint.tree import read_documents

NAME = "yaml"
SUMMARY = ("loss and metric keys anywhere in the tree (`loss`, `criterion`, `objective`, "
           "`loss_function`, `loss_cls`, `metrics`, `eval_metric`, `best_checkpoint_metric`, "
           "...): strings, class paths, Hydra `_target_`, Lightning `class_path`, fairseq "
           "`_name`, metric mappings; detectron2 `FOCAL_LOSS_*`/`BBOX_REG_LOSS_TYPE`; PaddleSeg "
           "`loss.types`; detectron2 `_BASE_` files merged under the file; SpeechBrain "
           "`!name:`/`!new:` tags read as inert values; several models "
           "in one file (sibling sections or list items each with its own loss, `---` "
           "documents) read as separate models")
EXAMPLE = "criterion: {_target_: torch.nn.BCEWithLogitsLoss, pos_weight: 10}"


def detect(path: Path, text: str) -> bool:
    # stdin ('-') whose content no other dialect claims is read as YAML (JSON is YAML too)
    return path.suffix.lower() in (".yaml", ".yml") or str(path) == "-"


def read(path: Path, text: str, catalog: Catalog) -> list[ModelConfig]:
    notes: list[str] = []
    # detectron2's `_BASE_: "../Base-RetinaNet.yaml"`: the base's keys under this file's
    documents = [resolve(path, document, notes)
                 for document in parse_yaml_documents(text, str(path), tags=True)]
    models = read_documents(path, documents, text, catalog, NAME)
    for model in models:
        model.notes.extend(notes)
    return models
