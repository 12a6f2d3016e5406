"""Proration by days, exact to the franc: whatever the sequence of plan changes within a
period, what the period's invoice billed, less the credit notes, plus the proration charges
equals the price of the days used on each version (cumulative allocation: the first k days of
n cost amount*k//n, so the pieces of any split sum to the whole)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.billing.models import CreditNote, Invoice
from apps.billing.services import subscriptions as subs
from tests.fixtures.billing import make_plan

START = date(2026, 12, 1)


@st.composite
def change_sequences(draw, max_days=366):
    days = draw(st.integers(min_value=1, max_value=max_days))
    prices = draw(st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=6))
    cuts = sorted(
        draw(
            st.sets(
                st.integers(min_value=0, max_value=days - 1),
                min_size=len(prices) - 1,
                max_size=len(prices) - 1,
            )
        )
        if days > len(prices) - 1
        else []
    )
    if len(cuts) != len(prices) - 1:
        prices = prices[: len(cuts) + 1]
    return days, prices, cuts


@settings(max_examples=50, deadline=None)
@given(change_sequences())
def test_credits_plus_charges_equal_the_days_used_on_each_version(sequence):
    days, prices, cuts = sequence
    end = START + timedelta(days=days)
    at = [START + timedelta(days=c) for c in cuts]
    billed = prices[0]  # the period's invoice, in advance
    for i, day in enumerate(at, start=1):
        billed -= subs.prorate(prices[i - 1], START, end, day)  # the credit note
        billed += subs.prorate(prices[i], START, end, day)  # the proration invoice
    bounds = [START, *at, end]
    pieces = [subs.used(p, START, end, bounds[i], bounds[i + 1]) for i, p in enumerate(prices)]
    assert billed == sum(pieces)
    for i, (price, piece) in enumerate(zip(prices, pieces, strict=True)):
        used_days = (bounds[i + 1] - bounds[i]).days
        assert abs(piece * days - price * used_days) < days  # within a franc of the exact share
        assert piece >= 0


@settings(max_examples=50, deadline=None)
@given(
    st.integers(min_value=0, max_value=10**12),
    st.integers(min_value=1, max_value=366),
    st.data(),
)
def test_prorate_and_used_split_the_amount_exactly(amount, days, data):
    end = START + timedelta(days=days)
    day = START + timedelta(days=data.draw(st.integers(min_value=0, max_value=days)))
    unused = subs.prorate(amount, START, end, day)
    assert 0 <= unused <= amount
    assert subs.used(amount, START, end, START, day) + unused == amount
    assert subs.prorate(amount, START, end, START) == amount and subs.prorate(amount, START, end, end) == 0
    # the unused part is rounded up: never below its exact share
    assert unused * days >= amount * (end - day).days


PLAN_PRICES = (9_900, 15_000, 31_000, 0)


@pytest.fixture
def versions(db):
    return [
        make_plan(f"p{i}", name=f"Plan {i}", flat=price, position=i) for i, price in enumerate(PLAN_PRICES)
    ]


@pytest.mark.django_db
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=30), st.integers(min_value=0, max_value=3)),
        min_size=1,
        max_size=4,
    ),
    st.booleans(),
)
def test_any_sequence_of_plan_changes_bills_the_days_used_to_the_franc(
    versions, manager_a, org_a, steps, retry
):
    end = date(2027, 1, 1)
    with transaction.atomic():
        sub = subs.subscribe(
            actor=manager_a, organization_id=org_a.id, version=versions[1], idempotency_key="s", today=START
        )
        current, since, pieces = 1, START, []
        for n, (offset, target) in enumerate(sorted(steps)):
            day = START + timedelta(days=offset)
            if target == current:
                continue
            for _attempt in range(2 if retry else 1):  # a retry with the same key prorates once
                subs.change_plan(
                    actor=manager_a,
                    subscription=sub,
                    to_version=versions[target],
                    idempotency_key=f"c{n}",
                    today=day,
                )
            sub.refresh_from_db()
            pieces.append(subs.used(PLAN_PRICES[current], START, end, since, day))
            current, since = target, day
        pieces.append(subs.used(PLAN_PRICES[current], START, end, since, end))
        charged = sum(Invoice.objects.filter(subscription=sub).values_list("subtotal", flat=True))
        credited = sum(
            CreditNote.objects.filter(invoice__subscription=sub).values_list("subtotal", flat=True)
        )
        assert charged - credited == sum(pieces)
        transaction.set_rollback(True)
