"""Many `profile` processes at once never abort (issue #14, item 8).

The abort ("terminate called without an active exception") came from pyarrow's threads calling
into the interpreter while it shut down: a Python file object or codec handed to pyarrow, or a
buffer owning a Python object released by one of its threads. io.py now hands pyarrow native
streams and Arrow-owned memory only; this runs the kinds of input that used to be at risk, in
parallel, through benchmarks/stress.py.
"""

from __future__ import annotations

import importlib.util

import pytest
from conftest import ROOT


def _stress():
    spec = importlib.util.spec_from_file_location("stress", ROOT / "benchmarks" / "stress.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_riskiest_kinds_of_input_once_in_parallel():
    """The default slice: the paths that used to hand pyarrow Python objects, at once."""
    kinds = {"cp1252-retry", "parquet-stdin", "gzip", "ragged-error"}
    outcomes = _stress().stress(runs=len(kinds), jobs=4, kinds=kinds)
    assert outcomes == {(kind, "ok"): 1 for kind in kinds}


@pytest.mark.slow
def test_five_hundred_profiles_four_at_a_time_never_abort():
    outcomes = _stress().stress(runs=500, jobs=4)
    failed = {key: count for key, count in outcomes.items() if key[1] != "ok"}
    assert failed == {}
    assert sum(outcomes.values()) == 500
