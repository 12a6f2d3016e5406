"""All the limits of one check cost one Redis round trip (issue 29): the per-IP, per-user,
per-organization and per-scope windows are counted and their previous windows read by one
script; a refusal gives the counts back in one more. The decisions are those of the same
limits checked one by one."""

import pytest
from redis.connection import AbstractConnection

from apps.core import ratelimit

pytestmark = pytest.mark.django_db

LIMITS = [
    ("anon", "ip:41.1.2.3", "100/min"),
    ("user", "user:7", "50/min"),
    ("org", "org:agence", "3/min"),
    ("payments.create", "user:7", "20/min"),
]


@pytest.fixture
def round_trips(monkeypatch):
    sent = []
    original = AbstractConnection.send_packed_command

    def counting(self, command, check_health=True):
        sent.append(command)
        return original(self, command, check_health)

    monkeypatch.setattr(AbstractConnection, "send_packed_command", counting)
    return sent


@pytest.fixture(autouse=True)
def _on(settings):
    settings.HOKWE_THROTTLING_ENABLED = True


def test_four_scopes_in_one_round_trip(round_trips):
    ratelimit.check_many([("warm", "x", "5/min")])  # the script is loaded once per server
    round_trips.clear()
    decision = ratelimit.check_many(LIMITS)
    assert decision.allowed and decision.scope == "org" and decision.remaining == 2
    assert len(round_trips) == 1


def test_a_refusal_gives_the_counts_back_in_one_more_round_trip(round_trips):
    for _ in range(3):
        assert ratelimit.check_many(LIMITS).allowed
    round_trips.clear()
    decision = ratelimit.check_many(LIMITS)
    assert not decision.allowed and decision.scope == "org"
    assert len(round_trips) == 2
    # the refused call was counted by none of the limits
    assert ratelimit.check_many([("user", "user:7", "50/min")]).remaining == 50 - 3 - 1


def _sequence():
    """Calls against the four limits, a refusal among them, and one per limit alone."""
    decisions = [ratelimit.check_many(LIMITS) for _ in range(5)]
    decisions += [ratelimit.check_many([limit]) for limit in LIMITS]
    return decisions


def test_the_same_decisions_as_key_by_key_on_another_cache(settings, time_machine):
    """The script on Redis and the key-by-key steps (the embedded default's local memory)
    decide alike, the previous window's weight included."""
    from datetime import UTC, datetime

    time_machine.move_to(datetime(2026, 3, 2, 10, 0, 50, tzinfo=UTC), tick=False)
    for _ in range(2):
        ratelimit.check_many(LIMITS)  # counted in the previous window
    time_machine.move_to(datetime(2026, 3, 2, 10, 1, 20, tzinfo=UTC), tick=False)
    on_redis = _sequence()
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert ratelimit._redis() is None
    time_machine.move_to(datetime(2026, 3, 2, 10, 0, 50, tzinfo=UTC), tick=False)
    for _ in range(2):
        ratelimit.check_many(LIMITS)
    time_machine.move_to(datetime(2026, 3, 2, 10, 1, 20, tzinfo=UTC), tick=False)
    assert _sequence() == on_redis
    assert any(not d.allowed for d in on_redis) and any(d.allowed for d in on_redis)
