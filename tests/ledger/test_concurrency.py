"""Real concurrent connections on PostgreSQL: no overdraft, one transfer per key, one
resolution per hold. Each thread has its own database connection and closes it."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from apps.core.errors import IdempotencyConflict
from apps.ledger import api, verify
from apps.ledger.contracts import HoldState, Leg
from apps.ledger.models import Posting, Transfer

from .conftest import fund, key

# Real commits (threads see each other's work). The flush afterwards also removes the
# chart's system accounts: api.system_account() recreates a missing one on demand.
pytestmark = pytest.mark.django_db(transaction=True)

CLIENTS = 50


def run_concurrently(func, count: int = CLIENTS) -> list:
    """Start `count` threads at the same instant (a barrier, no sleeps); each returns the
    function's result or the exception it raised."""
    barrier = threading.Barrier(count)

    def worker(index):
        try:
            barrier.wait()
            return func(index)
        except Exception as exc:
            return exc
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(worker, range(count)))


def test_fifty_debits_against_a_balance_that_covers_ten(clearing, wallet):
    fund(wallet.public_id, 10 * 1_000)

    def pay(index):
        return api.transfer(
            idempotency_key=f"pay-{index}-{key()}",
            code="payout",
            legs=[Leg.debit(wallet.public_id, 1_000, "XOF"), Leg.credit(clearing.public_id, 1_000, "XOF")],
        )

    results = run_concurrently(pay)
    succeeded = [r for r in results if not isinstance(r, Exception)]
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(succeeded) == 10
    assert all(isinstance(r, api.InsufficientFunds) for r in refused), refused[:3]
    balance = api.balance(account=wallet.public_id)
    assert balance.posted == 0 and balance.available == 0
    # the running balance (debits - credits, so <= 0 on a credit-normal wallet) never
    # went below zero at any point of the history
    history = Posting.objects.filter(account__public_id=wallet.public_id).values_list(
        "balance_after", flat=True
    )
    assert max(history) <= 0
    assert verify.run().ok


def test_fifty_retries_of_one_key_make_one_transfer(clearing, wallet):
    k = key()

    def retry(index):
        return api.transfer(
            idempotency_key=k,
            code="top_up",
            legs=[Leg.debit(clearing.public_id, 700, "XOF"), Leg.credit(wallet.public_id, 700, "XOF")],
        )

    results = run_concurrently(retry)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert len({r.public_id for r in results}) == 1
    assert sum(not r.replayed for r in results) == 1
    assert Transfer.objects.filter(idempotency_key=k).count() == 1
    assert api.balance(account=wallet.public_id).posted == 700
    assert verify.run().ok


def test_fifty_retries_with_different_content_one_wins_the_rest_conflict(clearing, wallet):
    k = key()

    def retry(index):
        amount = 100 + index
        return api.transfer(
            idempotency_key=k,
            code="top_up",
            legs=[Leg.debit(clearing.public_id, amount, "XOF"), Leg.credit(wallet.public_id, amount, "XOF")],
        )

    results = run_concurrently(retry)
    winners = [r for r in results if not isinstance(r, Exception)]
    assert len(winners) == 1
    assert all(isinstance(r, IdempotencyConflict) for r in results if isinstance(r, Exception))
    assert api.balance(account=wallet.public_id).posted == winners[0].legs[0].amount


def test_concurrent_post_and_void_of_one_hold_one_wins(clearing, wallet):
    fund(wallet.public_id, 5_000)
    hold = api.hold(
        idempotency_key=key(),
        code="rent_payment",
        legs=[Leg.debit(wallet.public_id, 5_000, "XOF"), Leg.credit(clearing.public_id, 5_000, "XOF")],
    )

    def resolve(index):
        if index % 2:
            return ("post", api.post_hold(hold=hold.public_id))
        return ("void", api.void_hold(hold=hold.public_id))

    results = run_concurrently(resolve)
    outcomes = [r for r in results if not isinstance(r, Exception)]
    errors = [r for r in results if isinstance(r, Exception)]
    assert all(isinstance(e, api.HoldAlreadyResolved) for e in errors), errors[:3]
    winners = {r[0] for r in outcomes}
    assert len(winners) == 1  # only posts or only voids succeeded (the others are replays)
    assert len({r[1].public_id for r in outcomes}) == 1
    assert Transfer.objects.filter(hold__public_id=hold.public_id).count() == 1
    balance = api.balance(account=wallet.public_id)
    if winners == {"post"}:
        assert api.hold_state(hold=hold.public_id) == HoldState.POSTED
        assert (balance.posted, balance.debits_pending) == (0, 0)
    else:
        assert api.hold_state(hold=hold.public_id) == HoldState.VOIDED
        assert (balance.posted, balance.available) == (5_000, 5_000)
    assert verify.run().ok


def test_crossing_transfers_do_not_deadlock(clearing):
    """Wallets paying each other in both directions at once: locks are taken in id order."""
    from tests.identity.factories import UserFactory

    a = api.user_wallet(user=UserFactory().public_id)
    b = api.user_wallet(user=UserFactory().public_id)
    fund(a.public_id, 100_000)
    fund(b.public_id, 100_000)

    def pay(index):
        src, dst = (a, b) if index % 2 else (b, a)
        return api.transfer(
            idempotency_key=key(),
            code="p2p",
            legs=[
                Leg.debit(src.public_id, 10, "XOF"),
                Leg.credit(dst.public_id, 10, "XOF"),
                Leg.debit(clearing.public_id, 1, "XOF"),
                Leg.credit(clearing.public_id, 1, "XOF"),
            ],
        )

    results = run_concurrently(pay)
    assert not [r for r in results if isinstance(r, Exception)], results[:3]
    assert api.balance(account=a.public_id).posted + api.balance(account=b.public_id).posted == 200_000
    assert verify.run().ok
