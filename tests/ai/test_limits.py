"""The daily LLM token budget per user, in the cache (Redis in tests), per UTC day."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from django.core.cache import cache

from apps.ai import limits


@pytest.fixture
def budget(settings):
    settings.AI_DAILY_TOKEN_BUDGET = 1_000
    return 1_000


def user() -> str:
    return f"test-{uuid.uuid4().hex}"  # a fresh user: the counters of other runs never meet it


def test_spending_counts_per_user(budget):
    alice, bob = user(), user()
    assert limits.spent(alice) == 0
    assert limits.remaining(alice) == budget

    assert limits.spend(alice, 300) == 300
    assert limits.spend(alice, 250) == 550
    assert limits.spend(bob, 10) == 10

    assert limits.spent(alice) == 550
    assert limits.remaining(alice) == 450
    assert limits.remaining(bob) == 990


def test_remaining_never_goes_below_zero(budget):
    carol = user()
    limits.spend(carol, 900)
    assert limits.spend(carol, 400) == 1_300  # the answer that crossed the line still counts

    assert limits.spent(carol) == 1_300
    assert limits.remaining(carol) == 0


def test_zero_tokens_change_nothing_and_negative_ones_are_refused(budget):
    dave = user()
    assert limits.spend(dave, 0) == 0
    with pytest.raises(ValueError):
        limits.spend(dave, -5)
    assert limits.spent(dave) == 0


def test_a_new_utc_day_starts_a_new_budget(budget, time_machine):
    erin = user()
    time_machine.move_to(datetime(2026, 3, 9, 23, 50, tzinfo=UTC), tick=False)
    limits.spend(erin, 800)
    assert limits.remaining(erin) == 200

    time_machine.move_to(datetime(2026, 3, 10, 0, 5, tzinfo=UTC), tick=False)
    assert limits.spent(erin) == 0
    assert limits.remaining(erin) == budget
    assert limits.spend(erin, 100) == 100

    time_machine.move_to(datetime(2026, 3, 9, 23, 59, tzinfo=UTC), tick=False)
    assert limits.spent(erin) == 800  # yesterday's counter is kept (two days), then expires


def test_the_day_counter_expires_after_two_days(budget):
    frank = user()
    limits.spend(frank, 5)
    key = f"ai:tokens:{datetime.now(UTC):%Y-%m-%d}:{frank}"
    assert cache.get(key) == 5
    assert limits.KEY_TTL_SECONDS - 5 <= cache.ttl(key) <= limits.KEY_TTL_SECONDS
