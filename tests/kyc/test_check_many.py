"""kyc's set-based `check_many` (the wallet's daily runs): item by item it says what `check`
says, what an allowed item uses counts for the next items of the same user, and the number
of queries does not grow with the number of items."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.kyc import api
from apps.kyc.contracts import Usage
from apps.kyc.errors import KycCurrencyNotCovered, KycLimitExceeded
from apps.kyc.models import KycProfile, TierLimit
from tests.identity.factories import UserFactory

pytestmark = pytest.mark.django_db

OPERATIONS = ["payment", "wallet_payment", "wallet_topup", "transfer_in", "transfer_out", "withdrawal"]


def _verdict(callable_):
    try:
        callable_()
    except (KycLimitExceeded, KycCurrencyNotCovered) as exc:
        return type(exc), exc.code, dict(exc.params or {}), str(exc)
    return None


def _shown(refusal):
    if refusal is None:
        return None
    return type(refusal), refusal.code, dict(refusal.params or {}), str(refusal)


def test_one_item_each_says_what_check_says():
    """Tier 0 (settings: single 100 000, daily outflow 100 000, monthly inflow 500 000,
    balance 200 000), tier 1 and a compliance row for tier 2; inflow and outflow, each limit."""
    low = UserFactory(phone="+22997000001")
    mid = UserFactory(phone="+22997000002")
    top = UserFactory(phone="+2250701020304")  # CI
    KycProfile.objects.create(user=mid, tier=1)
    KycProfile.objects.create(user=top, tier=2)
    TierLimit.objects.create(
        country="*",
        tier=2,
        currency="XOF",
        max_balance=50_000,
        monthly_inflow=60_000,
        single_transaction=40_000,
        daily_outflow=30_000,
    )
    cases = [
        (low, "wallet_payment", 100_000, Usage()),
        (low, "wallet_payment", 100_001, Usage()),
        (low, "wallet_payment", 50_000, Usage(outflow_today=60_000)),
        (low, "wallet_topup", 90_000, Usage(balance=150_000)),
        (low, "transfer_in", 90_000, Usage(inflow_this_month=450_000)),
        (mid, "withdrawal", 300_000, Usage(outflow_today=250_000)),
        (mid, "transfer_out", 200_000, Usage(outflow_today=250_000)),
        (top, "payment", 40_001, Usage()),
        (top, "transfer_out", 20_000, Usage(outflow_today=20_000)),
        (top, "wallet_topup", 30_000, Usage(balance=30_000)),
    ]
    for user, op, amount, usage in cases:
        expected = _verdict(
            lambda u=user, o=op, a=amount, s=usage: api.check(u, o, a, currency="XOF", usage=s)
        )
        got = api.check_many([(user, op, amount, "XOF")], usage={user.public_id: usage})
        assert [_shown(v) for v in got] == [expected], (op, amount, usage)
    refused = api.check_many([(low, "wallet_payment", 100_001, "XOF")], usage={low.public_id: Usage()})[0]
    assert isinstance(refused, KycLimitExceeded) and refused.params["limit"] == "single_transaction"


def test_another_currency_is_not_covered():
    user = UserFactory()
    got = api.check_many([(user, "wallet_payment", 10, "EUR"), (user, "wallet_payment", 10, "XOF")])
    assert isinstance(got[0], KycCurrencyNotCovered) and got[1] is None


def test_allowed_items_count_for_the_next_ones_of_the_same_user_refused_ones_do_not():
    """Tier 0, daily outflow 100 000, already 30 000 out today: 40 000 + 40 000 pass (80 000
    more would not), a third 40 000 is refused (110 000), then 30 000 still fits (100 000);
    another user's debits are counted on their own."""
    alice, bob = UserFactory(), UserFactory()
    got = api.check_many(
        [
            (alice, "wallet_payment", 40_000, "XOF"),
            (bob, "wallet_payment", 90_000, "XOF"),
            (alice, "wallet_payment", 20_000, "XOF"),
            (alice, "wallet_payment", 40_000, "XOF"),
            (alice, "wallet_payment", 10_000, "XOF"),
            (bob, "wallet_payment", 20_000, "XOF"),
        ],
        usage={alice.public_id: Usage(outflow_today=30_000), str(bob.public_id): Usage()},
    )
    assert [v is None for v in got] == [True, True, True, False, True, False]
    assert got[3].params["limit"] == "daily_outflow" and got[3].params["remaining"] == 10_000
    assert got[5].params["remaining"] == 10_000


def test_inflows_count_in_the_month_and_the_balance():
    user = UserFactory()
    got = api.check_many(
        [(user, "transfer_in", 100_000, "XOF"), (user, "wallet_topup", 100_000, "XOF")],
        usage={user.public_id: Usage(balance=50_000)},
    )
    assert got[0] is None and got[1].params["limit"] == "max_balance"


def test_a_user_without_usage_given_is_asked_of_the_usage_source():
    class Source:
        def usage(self, *, user_public_id, currency):
            return Usage(outflow_today=95_000)

    user = UserFactory()
    from apps.kyc.services import limits as limit_services

    before = limit_services.usage_source()
    api.set_usage_source(Source())
    try:
        got = api.check_many([(user, "wallet_payment", 10_000, "XOF")])
    finally:
        api.set_usage_source(before)
    assert got[0].params["limit"] == "daily_outflow"


def test_the_single_transaction_maximum_alone_reads_no_usage():
    """`payment` (the single-transaction maximum only): the usage source is never asked."""

    class Source:
        def usage(self, *, user_public_id, currency):
            raise AssertionError("usage read for a single-transaction check")

    users = [UserFactory() for _ in range(3)]
    from apps.kyc.services import limits as limit_services

    before = limit_services.usage_source()
    api.set_usage_source(Source())
    try:
        got = api.check_many(
            [(u, "payment", amount, "XOF") for u, amount in zip(users, [1, 100_000, 100_001], strict=True)]
        )
    finally:
        api.set_usage_source(before)
    assert got[:2] == [None, None] and got[2].params["limit"] == "single_transaction"


def test_the_queries_do_not_grow_with_the_items():
    def count(n):
        users = [UserFactory() for _ in range(n)]
        for user in users[: n // 2]:
            KycProfile.objects.create(user=user, tier=1)
        items = [(u, "wallet_payment", 1_000, "XOF") for u in users]
        usage = {u.public_id: Usage() for u in users}
        with CaptureQueriesContext(connection) as queries:
            assert api.check_many(items, usage=usage) == [None] * n
        return len(queries)

    assert count(2) == count(20) <= 2


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 2),  # which user
            st.sampled_from(OPERATIONS),
            st.integers(0, 160_000),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_check_many_equals_check_one_by_one_with_the_usage_carried(items):
    """The reference: `check` one by one, each allowed item's amount added to its user's usage
    (outflow for an outflow operation; inflow and balance for an inflow one)."""
    users = _users()
    usage = {u.public_id: Usage() for u in users}
    expected = []
    carried = dict(usage)
    for who, op, amount in items:
        user = users[who]
        verdict = _verdict(
            lambda u=user, o=op, a=amount: api.check(u, o, a, currency="XOF", usage=carried[u.public_id])
        )
        expected.append(verdict)
        if verdict is None:
            now = carried[user.public_id]
            if op in {"wallet_payment", "transfer_out", "withdrawal"}:
                carried[user.public_id] = Usage(
                    now.balance, now.inflow_this_month, now.outflow_today + amount
                )
            elif op in {"wallet_topup", "transfer_in"}:
                carried[user.public_id] = Usage(
                    now.balance + amount, now.inflow_this_month + amount, now.outflow_today
                )
    got = api.check_many([(users[who], op, amount, "XOF") for who, op, amount in items], usage=usage)
    assert [_shown(v) for v in got] == expected


def _users():
    """Three users (tiers 0, 1, 0) made once per test database (hypothesis runs the examples
    in one transaction of the test)."""
    from django.contrib.auth import get_user_model

    found = list(get_user_model().objects.filter(full_name__startswith="check_many ").order_by("full_name"))
    if len(found) == 3:
        return found
    users = [UserFactory(full_name=f"check_many {i}") for i in range(3)]
    KycProfile.objects.create(user=users[1], tier=1)
    return users


@pytest.mark.parametrize(
    "phone",
    ["+22997000001", "+2250701020304", "+12025550123", "+14165550123", "+447700900123", "+33612345678", ""],
)
def test_the_country_of_a_number_is_the_selectors(phone):
    """check_many reads the country from the calling code when it names one region only; it
    is always what `selectors.country_of_user` says (for +1 and +44: the selector itself)."""
    from types import SimpleNamespace

    from apps.kyc import selectors
    from apps.kyc.services import batch_checks

    person = batch_checks._person(
        SimpleNamespace(pk=1, public_id="00000000-0000-4000-8000-000000000001", phone=phone)
    )
    assert batch_checks._country(person, {}) == selectors.country_of_user(person)
