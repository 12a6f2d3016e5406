"""apps.core.middleware.EarlyResponseMiddleware: the modules' EARLY_RESPONDERS answer before the
session and the URL resolver, under the security middleware (its headers are on the answer);
a responder's None lets the request go down the stack."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls.resolvers import URLResolver

CALLS: list[str] = []


def teapot(request):
    CALLS.append(request.path)
    if request.path == "/early-teapot/":
        return HttpResponse("early", status=418, content_type="text/html; charset=utf-8")
    return None


@pytest.mark.django_db
def test_a_responder_answers_before_the_resolver_and_under_the_security_headers(monkeypatch):
    resolved: list[str] = []
    original = URLResolver.resolve
    monkeypatch.setattr(
        URLResolver, "resolve", lambda self, path: resolved.append(path) or original(self, path)
    )
    CALLS.clear()
    with override_settings(HOKWE_EARLY_RESPONDERS=["tests.core.test_early_response.teapot"]):
        client = Client()
        early = client.get("/early-teapot/")
        assert early.status_code == 418 and early.content == b"early"
        assert resolved == []
        assert "Content-Security-Policy" in early and early["X-Request-ID"]
        down = client.get("/early-other/")  # None: the stack and the resolver decide (a 404)
        assert down.status_code == 404 and resolved
    assert CALLS == ["/early-teapot/", "/early-other/"]


def test_the_modules_register_their_responders_through_conf():
    from django.conf import settings

    assert "apps.cms.web.sites.cached_page" in settings.HOKWE_EARLY_RESPONDERS
    assert "apps.core.middleware.EarlyResponseMiddleware" in settings.MIDDLEWARE
    order = settings.MIDDLEWARE
    assert (
        order.index("django.middleware.security.SecurityMiddleware")
        < order.index("apps.core.middleware.EarlyResponseMiddleware")
        < order.index("django.contrib.sessions.middleware.SessionMiddleware")
    )
