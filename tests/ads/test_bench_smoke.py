"""A smoke test of bench/ads.py at a tiny size (the bench itself runs outside the suite):
the generated campaigns load into both stores, every request gets an ad, the beacons count,
and the overspend check charges exactly the budget."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

BENCH = Path(__file__).resolve().parents[2] / "bench" / "ads.py"


def load_bench():
    spec = importlib.util.spec_from_file_location("bench_ads", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bench_smoke(settings):
    bench = load_bench()
    ids = bench.generate(60)
    for kind in ("redis", "db"):
        out = bench.measure_store(kind, settings, ids, 20, 10_000.0)
        assert out["no_ad"] == 0 and out["deliver"]["runs"] == 20 and out["beacons"]["runs"] == 20
    from apps.ads.models import Campaign

    assert Campaign.objects.filter(pk__in=ids, status="active").count() == 60
    spent = bench.overspend(settings, 4)
    assert (spent["charged"], spent["overspend"], spent["status"]) == (1_000, 0, "exhausted")
