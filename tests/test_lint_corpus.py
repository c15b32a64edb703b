"""The real-world sweep (issue #11): small excerpts of public training configs from a dozen
ecosystems (tests/fixtures/lint/corpus, each source named in SOURCES.md) linted at the default
settings. tests/fixtures/lint/corpus/expected.yaml keeps, per file, what lint must read (dialect,
framework, loss, further losses, metrics; '?Name' for a name read but not in the vocabulary)
and the findings it may raise at warning or error (normally none), so each file's shape stays a
test. The bulk runs under ``-m slow``; a slice covering every ecosystem and every shape the
sweep fixed runs by default."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from conftest import run

CORPUS = Path(__file__).resolve().parent / "fixtures" / "lint" / "corpus"
EXPECTED: dict = yaml.safe_load((CORPUS / "expected.yaml").read_text(encoding="utf-8"))["files"]
FAST = [
    "catboost/cmdline_params_file.txt",
    "detectron2/configs/COCO-Detection/fcos_R_50_FPN_1x.py",  # `from ..common` run beside it
    "detectron2/configs/COCO-Detection/retinanet_R_50_FPN_3x.yaml",  # _BASE_: its base's loss
    "fairseq/hubert/pretrain/hubert_base_librispeech.yaml",  # 'hubert' is no typo of 'huber'
    "fairseq/roberta/finetuning/sts_b.yaml",  # regression_target: true is squared error
    "lightgbm/xendcg/train.conf",
    "lightning-hydra/train.yaml",  # names nothing: reported not understood
    "ludwig/forecasting.yaml",  # timeseries output: Ludwig's default huber loss
    "mmpretrain/newstyle/resnet/resnet18_8xb32_in1k.py",  # with read_base(): import *
    "mmseg/_base_/models/ocrnet_hr18.py",
    "monai/classification_template/train.yaml",  # the evaluator engine is not a metric
    "paddleclas/Products/ResNet50_vd_Inshop.yaml",  # Recallk fits the triplet loss beside CE
    "paddledet/picodet/picodet_s_320_coco_lcnet.yml",  # _BASE_ list
    "paddleseg/multilabelseg/deeplabv3_resnet50_os8_uwmgi_256x256_160k.yml",  # _base_, BCELoss
    "paddleseg/ocrnet/ocrnet_hrnetw18_cityscapes_1024x512_160k_lovasz_softmax.yml",  # MixedLoss
    "speechbrain/IEMOCAP_emotion_train.yaml",  # the loss LogSoftmaxWrapper wraps
    "speechbrain/TIMIT_CTC_train.yaml",
    "ultralytics/default.yaml",
    "xgboost/mq2008.conf",
]
"""The slice the default run keeps: every ecosystem, every shape the sweep fixed."""


def _written(setting: dict | None) -> str | None:
    if setting is None:
        return None
    return setting["id"] or f"?{setting['name']}"


def reading(config: dict) -> dict:
    """One model as expected.yaml spells it."""
    return {
        "dialect": config["dialect"],
        "framework": config["framework"],
        "loss": _written(config["loss"]),
        "losses": [_written(s) for s in config["losses"]],
        "metrics": [_written(m) for m in config["metrics"]],
    }


def lint(name: str, monkeypatch) -> tuple[int, dict]:
    monkeypatch.chdir((CORPUS / name).parent)  # as a user runs it, beside the config
    result = run(["lint", Path(name).name, "--format", "json"])
    assert result.exit_code in (0, 1), result.stdout + result.stderr
    return result.exit_code, json.loads(result.stdout)


def check(name: str, monkeypatch) -> None:
    expected = EXPECTED[name]
    code, report = lint(name, monkeypatch)
    models = expected.get("models", [expected])
    assert [reading(c) for c in report["configs"]] == [
        {k: m.get(k, [] if k in ("losses", "metrics") else None)
         for k in ("dialect", "framework", "loss", "losses", "metrics")} for m in models]
    assert [c["understood"] for c in report["configs"]] == [
        m.get("understood", True) for m in models]
    raised = sorted(f"{f['rule']} {f['severity']}" for f in report["findings"]
                    if f["severity"] in ("warning", "error"))
    assert raised == sorted(expected.get("findings", []))
    assert code == (1 if raised else 0)


@pytest.mark.parametrize("name", FAST)
def test_one_config_per_ecosystem_reads_as_expected(name, monkeypatch):
    check(name, monkeypatch)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(set(EXPECTED) - set(FAST)))
def test_every_corpus_config_reads_as_expected(name, monkeypatch):
    check(name, monkeypatch)


def test_every_corpus_file_has_an_expectation_and_a_source():
    files = {str(p.relative_to(CORPUS)) for p in CORPUS.rglob("*") if p.is_file()}
    configs = files - {"SOURCES.md", "expected.yaml"}
    assert configs == set(EXPECTED)
    sources = (CORPUS / "SOURCES.md").read_text(encoding="utf-8")
    assert [name for name in sorted(configs) if f"`{name}`" not in sources] == []


def test_the_default_slice_names_corpus_files_and_covers_every_ecosystem():
    assert set(FAST) <= set(EXPECTED)
    assert {n.split("/", 1)[0] for n in FAST} == {n.split("/", 1)[0] for n in EXPECTED}


def test_no_false_alarm_at_the_default_settings():
    """The sweep's promise: no corpus file is expected to fail CI at --fail-on warning."""
    assert {name: e["findings"] for name, e in EXPECTED.items() if e.get("findings")} == {}
