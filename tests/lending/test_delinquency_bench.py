"""A smoke test of bench/lending.py at a tiny size (the bench itself runs outside the suite):
its book builds, the first night, the naive loop and the nightly run do the same work, the
rerun moves nothing and the PAR report agrees with the ledger."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db

BENCH = Path(__file__).resolve().parents[2] / "bench" / "lending.py"


def load_bench():
    spec = importlib.util.spec_from_file_location("bench_lending", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bench_smoke():
    bench = load_bench()
    out = bench.measure(40, 10, timezone.localdate())
    assert out["first"]["late_events"] > 0 and out["first"]["late_fees"] > 0
    assert out["naive"]["loans"] == 10
    assert out["rerun"]["late_fees"] == 0 and out["rerun"]["late_events"] == 0 and out["rerun"]["aged"] == 0
    assert out["par_report"]["agrees"] is True
