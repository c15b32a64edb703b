"""The catalog: names checked against their sources, aliases read back to canonical ids."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sklearn.metrics
from conftest import ROOT

from advisor.catalog import FRAMEWORKS, load_catalog

CATALOG = load_catalog()
REFERENCE = ROOT.parent / "shared" / "reference" / "losses-and-metrics.md"

VERIFIED_ELSEWHERE = {
    # name: where it was checked (not in the shared reference)
    "MultiOutputClassifier": "sklearn.multioutput (imported by test_sklearn_names_exist)",
    "RetrievalRecall": "torchmetrics retrieval metrics (RetrievalMAP/RetrievalNormalizedDCG "
    "family; torchmetrics.retrieval.RetrievalRecall)",
    "image.FrechetInceptionDistance": "torchmetrics docs: torchmetrics.image.fid."
    "FrechetInceptionDistance",
    "detection.MeanAveragePrecision": "torchmetrics docs: torchmetrics.detection.mean_ap."
    "MeanAveragePrecision",
    "Tweedie:variance_power=1.5": "CatBoost `Tweedie:variance_power=` in the reference",
    "tweedie-nloglik@1.5": "XGBoost `tweedie-nloglik@<rho>` in the reference",
    "TotalF1:average=Macro": "CatBoost `TotalF1` (`:average=Macro`) in the reference",
    # lint vocabulary of other ecosystems (issue #11)
    "FocalLoss": "mmdetection configs/_base_/models/retinanet_r50_fpn.py (fixture); MONAI "
    "monai/losses/dice.py imports monai.losses.focal_loss.FocalLoss",
    "DiceLoss": "MONAI monai/losses/dice.py: class DiceLoss(_Loss)",
    "IoUMetric": "mmsegmentation mmseg/evaluation/metrics/iou_metric.py: "
    "@METRICS.register_module() class IoUMetric(BaseMetric)",
    "YetiRankPairwise": "CatBoost docs, Common parameters: loss_function supported metrics",
    "PairLogitPairwise": "CatBoost docs, Common parameters: loss_function supported metrics",
    "RetrievalMRR": "torchmetrics torchmetrics/retrieval/reciprocal_rank.py: "
    "class RetrievalMRR(RetrievalMetric)",
}

FIXTURES = (ROOT / "tests" / "fixtures" / "lint" / "real",
            ROOT / "tests" / "fixtures" / "lint" / "corpus")
"""Example configs from each framework's own repository: a name written there is its spelling."""


def spellings():
    for kind in ("loss", "metric"):
        for entry in (CATALOG.losses if kind == "loss" else CATALOG.metrics).values():
            for fw, spelling in entry.frameworks.items():
                for name in (spelling.name, *spelling.aliases, spelling.integer_labels):
                    if name:
                        yield kind, entry.id, fw, name


@pytest.mark.skipif(not REFERENCE.exists(), reason="shared reference not beside the repo")
def test_every_framework_name_is_backed_by_a_source():
    reference = REFERENCE.read_text(encoding="utf-8")
    checked_in_docs = {**context_rows(), **context_rows(SOURCE_NAMES)}
    reference += "".join(p.read_text(encoding="utf-8") for folder in FIXTURES
                         for p in sorted(folder.rglob("*"))
                         if p.is_file() and p.name not in ("SOURCES.md", "expected.yaml"))
    unbacked = []
    for kind, entry, fw, name in spellings():
        base = re.sub(r"\(.*\)$", "", name)
        short = base.removeprefix("torchvision.ops.")
        scorer = fw == "sklearn" and name in sklearn.metrics.get_scorer_names()
        known = base in reference or short in reference or name in VERIFIED_ELSEWHERE
        if known or scorer or name in checked_in_docs:
            continue
        unbacked.append((kind, entry, fw, name))
    assert unbacked == []


def test_sklearn_names_exist():
    import sklearn.ensemble
    import sklearn.linear_model
    import sklearn.multioutput
    import sklearn.svm

    modules = (sklearn.metrics, sklearn.linear_model, sklearn.multioutput, sklearn.svm,
               sklearn.ensemble)
    losses = {"squared_error", "absolute_error", "huber", "quantile", "poisson", "gamma",
              "log_loss", "hinge", "squared_hinge", "epsilon_insensitive"}
    scorers = set(sklearn.metrics.get_scorer_names())
    for kind, _entry, fw, name in spellings():
        if fw != "sklearn":
            continue
        base = re.sub(r"\(.*\)$", "", name)
        found = (base in scorers or any(hasattr(m, base) for m in modules)
                 or (kind == "loss" and base in losses))
        assert found, name


@pytest.mark.parametrize(
    "spelling,framework",
    [("nn.MSELoss", "pytorch"), ("torch.nn.MSELoss", None), ("mse", "keras"),
     ("mean_squared_error", "keras"), ("reg:squarederror", "xgboost"), ("reg:linear", None),
     ("regression", "lightgbm"), ("l2", "lightgbm"), ("RMSE", "catboost")],
)
def test_aliases_read_back_to_mse(spelling, framework):
    assert CATALOG.lookup("loss", spelling, framework) == "mse"


def test_metric_and_loss_namespaces_are_separate():
    assert CATALOG.lookup("metric", "rmse", "lightgbm") == "rmse"
    assert CATALOG.lookup("loss", "rmse", "lightgbm") == "mse"  # trains L2
    assert CATALOG.lookup("metric", "aucpr", "xgboost") == "pr_auc"
    assert CATALOG.lookup("loss", "binary:logistic", "xgboost") == "bce"
    assert CATALOG.lookup("loss", "nn.BCEWithLogitsLoss()", "pytorch") == "bce"
    assert CATALOG.lookup("loss", "no_such_loss") is None


def test_every_entry_has_a_name_and_known_tasks():
    from advisor.vocabulary import ALL_TASKS

    for entry in [*CATALOG.losses.values(), *CATALOG.metrics.values()]:
        assert entry.name and entry.tasks and set(entry.tasks) <= set(ALL_TASKS), entry.id
        assert set(entry.snippets) <= set(FRAMEWORKS)
        assert entry.estimates


def test_weighted_entries_name_their_weight_argument():
    for entry in CATALOG.losses.values():
        if entry.weighted:
            assert all(s.weight_arg for s in entry.frameworks.values()), entry.id


def test_weighted_variants_come_from_the_catalog():
    assert CATALOG.weighted_variant("bce", "torch.nn.BCEWithLogitsLoss") == "weighted_bce"
    assert CATALOG.weighted_variant("cce", "nn.CrossEntropyLoss") == "weighted_cce"
    assert CATALOG.weighted_variant("bce", "binary_weighted_cross_entropy") == "weighted_bce"
    assert CATALOG.weighted_variant("mse", "nn.MSELoss") is None


CONTEXT_NAMES = ROOT / "tests" / "fixtures" / "docs" / "context-framework-names.md"
CONTEXT_ENTRIES = {"poisson_offset", "tweedie_offset"}
"""Entries outside the ranking and survival tasks whose offset arguments are documented there."""


SOURCE_NAMES = ROOT / "tests" / "fixtures" / "docs" / "framework-sources.md"
"""Names of lint-only ecosystems (detectron2, OpenMMLab, Paddle, fairseq, SpeechBrain) and CatBoost
ranking metrics, each with the source file and commit that defines it, quoted."""


def context_rows(path: Path = CONTEXT_NAMES) -> dict[str, str]:
    """Spelling -> the documentation it was checked against, from a names fixture."""
    rows = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        found = re.match(r"^\| `([^`]+)` \| ([^|]+) \| (.+) \|$", line)
        if found:
            rows[found.group(1)] = found.group(3)
    return rows


def test_ranking_and_survival_names_are_backed_by_the_frameworks_docs():
    """Every spelling of a ranking or survival entry, and every offset argument, has a row in
    the fixture that names the documentation it was checked against (entries shared with other
    tasks are backed by the shared reference above)."""
    rows = context_rows()
    unbacked = []
    for kind, entry_id, fw, name in spellings():
        entry = CATALOG.get(kind, entry_id)
        if not (set(entry.tasks) <= {"ranking", "survival"} or entry_id in CONTEXT_ENTRIES):
            continue
        if entry_id in CONTEXT_ENTRIES:
            name = entry.frameworks[fw].weight_arg or name
        if name not in rows and not (fw == "sklearn" and hasattr(sklearn.metrics, name)):
            unbacked.append((entry_id, fw, name))
    assert unbacked == []
    assert all(source.strip() for source in rows.values())


def test_snippets_read_only_known_statistics():
    from advisor.template import fields
    from advisor.vocabulary import STATISTICS

    for entry in [*CATALOG.losses.values(), *CATALOG.metrics.values()]:
        for framework, code in entry.snippets.items():
            unknown = {name for name, _spec in fields(code)} - set(STATISTICS)
            assert not unknown, (entry.id, framework, unknown)


ONCE_UNVERIFIED = {
    # name: (framework, catalog entry it is read as, or None when the catalog does not model it)
    "giou": ("detectron2", "giou"), "diou": ("detectron2", "giou"), "ciou": ("detectron2", "giou"),
    "GIoULoss": ("openmmlab", "giou"), "DIoULoss": ("openmmlab", "giou"),
    "CIoULoss": ("openmmlab", "giou"),
    "DiceLoss": ("paddle", None), "LovaszSoftmaxLoss": ("paddle", None),
    "ctc": ("fairseq", None), "speechbrain.nnet.losses.get_si_snr_with_pitwrapper": (
        "speechbrain", None),
    "NDCG": ("catboost", "ndcg"), "MRR": ("catboost", "mrr"),
}
"""Spellings issue #11 found unverified: each is now quoted from its framework's source."""


def test_once_unverified_names_are_quoted_from_their_frameworks_source():
    rows = context_rows(SOURCE_NAMES)
    for name, (framework, entry) in ONCE_UNVERIFIED.items():
        source = rows[name]
        assert re.search(r"@[0-9a-f]{40}", source) or "same" in source, name
        assert name.rsplit(".", 1)[-1] in source or "same" in source, name
        kind = "metric" if name in ("NDCG", "MRR") else "loss"
        if entry is not None:
            assert CATALOG.lookup(kind, name, framework) == entry, name
    # every row names a repository file at a commit or a documentation page, or refers to the
    # row above it
    assert all(re.search(r"@[0-9a-f]{40}|https://", text) or text.startswith("same")
               for text in rows.values())
