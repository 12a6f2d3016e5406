"""A smoke test of bench/cms.py's help section at a tiny size (the bench runs outside the
suite): the generated articles are searchable, the demo article comes first for « payer loyer
momo », and the baseline runs the same queries."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

BENCH = Path(__file__).resolve().parents[2] / "bench" / "cms.py"


def test_bench_help_smoke():
    spec = importlib.util.spec_from_file_location("bench_cms", BENCH)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    out = bench.measure_help(300, 12)
    assert out["data"]["articles"] >= 300
    assert out["help"]["n"] == 12 and out["baseline"]["n"] == 12
    assert out["help"]["momo_first"] is True
    assert "help" in bench.SECTIONS
