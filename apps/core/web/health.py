"""Liveness (/healthz), readiness (/readyz: database, cache, broker) and /favicon.ico."""

import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def healthz(request):
    return JsonResponse({"status": "ok"})


def _check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_cache():
    key = "readyz:probe"
    cache.set(key, "1", timeout=10)
    if cache.get(key) != "1":
        raise RuntimeError("cache did not return the probe value")


def _check_broker():
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "in-process"
    from hokwe.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return None


@never_cache
@require_GET
def readyz(request):
    checks = {}
    healthy = True
    for name, check in (("database", _check_database), ("cache", _check_cache), ("broker", _check_broker)):
        started = time.perf_counter()
        try:
            note = check()
            checks[name] = {"status": "ok", "ms": round((time.perf_counter() - started) * 1000, 1)}
            if note:
                checks[name]["mode"] = note
        except Exception as exc:  # noqa: BLE001 -- report, never raise: this is the probe
            healthy = False
            checks[name] = {"status": "error", "error": exc.__class__.__name__, "detail": str(exc)[:200]}
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks},
        status=200 if healthy else 503,
    )


def favicon(request):
    """Browsers ask for /favicon.ico by themselves (a PDF, a JSON answer, before a page's
    <link rel=icon>): the icon, resolved at request time (the hashed name in production)."""
    from django.http import HttpResponsePermanentRedirect
    from django.templatetags.static import static

    return HttpResponsePermanentRedirect(static("img/favicon.svg"))
