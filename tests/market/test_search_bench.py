"""A smoke test of bench/market.py at a tiny size (the bench itself runs outside the suite):
the generated listings are searchable, every query kind runs with and without the indexes,
the plans are read, and the alert run sends once and not again."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

BENCH = Path(__file__).resolve().parents[2] / "bench" / "market.py"


def load_bench():
    spec = importlib.util.spec_from_file_location("bench_market", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bench_smoke():
    bench = load_bench()
    out = bench.measure(400, 4, 2, 25)
    assert out["data"]["listings"] == 400 and out["data"]["visible"] > 300
    for name in ("radius", "bounds", "facets"):
        assert out[name]["n"] == 4 and out[f"seq_{name}"]["n"] == 2
        assert out["plans"][name]
    assert out["alerts"]["stats"]["searches"] == 25
    assert out["alerts"]["rerun_messages"] == 0
