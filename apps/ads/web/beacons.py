"""The beacons (public, no session needed): an impression is a 1×1 GIF (or 204), a click
redirects to the ad's link. A forged, expired or replayed token answers the same way and is
simply not counted: a beacon never tells a robot what it achieved."""

from __future__ import annotations

import base64

from django.http import HttpResponse, HttpResponseRedirect
from django.views.decorators.http import require_GET

from ..services import delivery

PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


def _no_store(response):
    response["Cache-Control"] = "no-store, private"
    response["X-Robots-Tag"] = "noindex"
    return response


def impression_answer(request, token: str) -> HttpResponse:
    delivery.record("i", token, user_agent=request.headers.get("User-Agent", ""))
    if (
        "image" in request.headers.get("Accept", "image/*")
        or request.headers.get("Sec-Fetch-Dest") == "image"
    ):
        return _no_store(HttpResponse(PIXEL, content_type="image/gif"))
    return _no_store(HttpResponse(status=204))


@require_GET
def impression(request, token: str):
    """Count an impression (also answered early, before the session: web/early.py)."""
    return impression_answer(request, token)


@require_GET
def click(request, token: str):
    """Count a click and go to the ad's link (the listing, the advertiser's site)."""
    user = getattr(request, "user", None)
    user_key = str(user.public_id) if user is not None and user.is_authenticated else ""
    _outcome, beacon = delivery.record(
        "c", token, user_agent=request.headers.get("User-Agent", ""), user_key=user_key
    )
    target = delivery.link_of(beacon) if beacon is not None else "/"
    response = HttpResponseRedirect(target)
    response["Referrer-Policy"] = "origin"
    return _no_store(response)
