"""The fuzzing run (benchmarks/fuzz.py): generated hostile inputs break no promise.

The full run (10,000 cases, a few minutes) is marked slow; a slice of every kind of case runs
by default so CI exercises the fuzzer and the readers it attacks on every change.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _fuzz():
    path = ROOT / "benchmarks" / "fuzz.py"
    spec = importlib.util.spec_from_file_location("lossadvisor_fuzz", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


fuzz = _fuzz()


def _assert_clean(report) -> None:
    assert report.failures == [], fuzz.summarize(report)


def test_cases_are_reproducible_from_seed_and_index():
    first = fuzz.make_case(3, 17)
    again = fuzz.make_case(3, 17)
    assert (first.kind, first.files, first.args) == (again.kind, again.files, again.args)
    assert fuzz.make_case(3, 18).files != first.files or fuzz.make_case(3, 18).args != first.args


def test_restricting_kinds_keeps_a_case_of_that_kind_identical():
    for index in range(30):
        case = fuzz.make_case(5, index)
        same = fuzz.make_case(5, index, (case.kind,))
        assert (same.files, same.args) == (case.files, case.args)


def test_judge_flags_each_broken_promise():
    case = fuzz.Case(0, "csv", {"d.csv": b"a\n1\n"}, ["profile", "d.csv"])
    found = fuzz.judge(case, 3, "ok \x1b[31m", "Traceback (most recent call last):\n  boom",
                       None, {"d.csv": "x"}, {"d.csv": "y"})
    assert {c for c, _ in found} == {"traceback", "bad-exit", "input-modified", "raw-control"}
    assert fuzz.judge(case, 2, "fine\ttext\n", "lossadvisor: error: x\n", None,
                      {"d.csv": "x"}, {"d.csv": "x"}) == []


def test_a_slice_of_every_kind_of_generated_input_breaks_no_promise(tmp_path):
    report = fuzz.run(36, seed=2, jobs=1, subprocess_every=18, findings=tmp_path)
    assert set(report.by_kind) >= {"csv", "config", "rules", "tool-config"}
    _assert_clean(report)


@pytest.mark.slow
def test_ten_thousand_generated_inputs_break_no_promise(tmp_path):
    _assert_clean(fuzz.run(10_000, seed=1, jobs=2, findings=tmp_path))
