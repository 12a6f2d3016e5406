"""The impression beacon answered early (conf EARLY_RESPONDERS): before the session, the
user and the URL resolver — the beacon needs none of them, and it is the busiest route."""

from __future__ import annotations

from .beacons import impression_answer

PREFIX = "/ads/i/"


def impression_beacon(request):
    path = request.path
    if request.method != "GET" or not path.startswith(PREFIX):
        return None
    token = path[len(PREFIX) :]
    if not token or "/" in token:
        return None
    return impression_answer(request, token)
