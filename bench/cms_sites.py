"""The public sites' home page (issue 24, Performance): requests/s of hokwe.com's home page
(Host: hokwe.com, anonymous, the demo's content) against a bare Django view in the same run,
both through the full middleware stack in one process (Django's test client, no network).
Target: home >= 0.5 x bare. Also, for information: the cache read by the view only (no early
responder: after the whole middleware stack and the URL resolver), and the page cache off.

    .venv/bin/python bench/cms_sites.py                     # starts its own PostgreSQL + Redis
    DATABASE_URL=postgres://u@h:p/x REDIS_URL=redis://h:p/0 .venv/bin/python bench/cms_sites.py
    .venv/bin/python bench/cms_sites.py --requests 500      # quicker

It is the `home` section of bench/cms.py (results in var/bench-cms.json)."""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent


def _rate(client, path: str, host: str, n: int) -> float:
    for _ in range(20):  # warm up (and fill the cache)
        assert client.get(path, HTTP_HOST=host).status_code == 200
    start = time.perf_counter()
    for _ in range(n):
        client.get(path, HTTP_HOST=host)
    return n / (time.perf_counter() - start)


def measure_home(args) -> dict:
    from django.conf import settings
    from django.http import HttpResponse
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import clear_url_caches, path

    from apps.cms import demo
    from hokwe import urls

    n = getattr(args, "requests", None) or 2000
    demo.seed_sites({})

    def bare(request):
        return HttpResponse("<!doctype html><title>bare</title><p>bare</p>")

    urls.urlpatterns.insert(0, path("bench-bare/", bare))
    clear_url_caches()
    host = settings.CMS_SITE_HOSTS["hokwe-com"]
    out: dict = {}
    with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, host], DEBUG=False):
        client = Client()
        rounds = []
        for _ in range(3):  # interleaved, the best of each
            rounds.append((_rate(client, "/bench-bare/", host, n), _rate(client, "/", host, n)))
        bare_rps = max(r[0] for r in rounds)
        home_rps = max(r[1] for r in rounds)
        with override_settings(HOKWE_EARLY_RESPONDERS=[]):
            # the cache looked up by the view only, after the whole stack and the URL resolver
            # (what the page cache did before the early responder)
            view_cache_rps = _rate(Client(), "/", host, n)
        with override_settings(CMS_PAGE_CACHE_SECONDS=0):
            uncached_rps = _rate(client, "/", host, max(n // 4, 50))
        size = len(client.get("/", HTTP_HOST=host).content)
    out = {
        "requests": n,
        "bare_rps": round(bare_rps),
        "home_rps": round(home_rps),
        "ratio": round(home_rps / bare_rps, 2),
        "home_view_cache_rps": round(view_cache_rps),
        "home_uncached_rps": round(uncached_rps),
        "home_bytes": size,
        "target": ">= 0.5",
    }
    print(
        f"home (cached) {out['home_rps']} req/s, bare view {out['bare_rps']} req/s: ratio {out['ratio']} "
        f"(target >= 0.5); the cache read by the view only {out['home_view_cache_rps']} req/s; "
        f"uncached {out['home_uncached_rps']} req/s; {size} bytes",
        flush=True,
    )
    return out


def register(register_section) -> None:
    register_section("home", measure_home)


if __name__ == "__main__":
    spec = importlib.util.spec_from_file_location("cms_bench", ROOT / "cms.py")
    cms = importlib.util.module_from_spec(spec)
    sys.modules["cms_bench"] = cms
    spec.loader.exec_module(cms)
    cms.register_section("home", measure_home)
    cms.BENCH_DB = "hokwe_bench_cms_sites"  # its own database when run alone
    if "--only" not in sys.argv:
        sys.argv += ["--only", "home"]
    if "--requests" in sys.argv:
        i = sys.argv.index("--requests")
        requests = int(sys.argv[i + 1])
        del sys.argv[i : i + 2]
        cms.SECTIONS["home"] = lambda args: measure_home(type("A", (), {"requests": requests})())
    sys.exit(cms.main())
