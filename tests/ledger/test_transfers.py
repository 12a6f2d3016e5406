"""Transfers: balance, idempotency, limits with holds, reversals, closed accounts."""

import pytest

from apps.core.errors import IdempotencyConflict
from apps.ledger import api
from apps.ledger.contracts import HoldState, Leg, TransferKind

from .conftest import fund, key

pytestmark = pytest.mark.django_db


def test_a_transfer_moves_money_and_the_stored_totals(clearing, wallet):
    result = fund(wallet.public_id, 25_000)
    assert result.kind == TransferKind.POSTED and not result.replayed
    assert api.balance(account=wallet.public_id).posted == 25_000
    assert api.balance(account=clearing.public_id).posted >= 25_000  # asset: debit-normal


def test_a_transfer_must_balance_per_currency(clearing, wallet):
    with pytest.raises(api.UnbalancedTransfer):
        api.transfer(
            idempotency_key=key(),
            code="x",
            legs=[Leg.debit(clearing.public_id, 100, "XOF"), Leg.credit(wallet.public_id, 99, "XOF")],
        )
    with pytest.raises(api.InvalidTransfer):
        api.transfer(idempotency_key=key(), code="x", legs=[Leg.debit(clearing.public_id, 100, "XOF")])


@pytest.mark.parametrize("amount", [0, -5, 1.5, True, "100"])
def test_amounts_are_positive_integers_never_floats(clearing, wallet, amount):
    with pytest.raises(api.InvalidTransfer):
        api.transfer(
            idempotency_key=key(),
            code="x",
            legs=[Leg.debit(clearing.public_id, amount, "XOF"), Leg.credit(wallet.public_id, amount, "XOF")],
        )


def test_currency_must_match_the_account(wallet):
    xaf = api.system_account(code="suspense", currency="XAF")
    with pytest.raises(api.CurrencyMismatch):
        api.transfer(
            idempotency_key=key(),
            code="x",
            legs=[Leg.debit(xaf.public_id, 100, "XOF"), Leg.credit(wallet.public_id, 100, "XOF")],
        )


def test_multi_posting_rent_payment_with_a_fee(clearing, fees, payable, organization):
    receivable = api.organization_account(organization=organization.public_id, code="rent_receivable")
    billed = api.organization_account(organization=organization.public_id, code="rent_billed")
    api.transfer(
        idempotency_key=key(),
        code="rent_due",
        legs=[Leg.debit(receivable.public_id, 100_000, "XOF"), Leg.credit(billed.public_id, 100_000, "XOF")],
    )
    api.transfer(
        idempotency_key=key(),
        code="rent_payment",
        legs=[
            Leg.debit(clearing.public_id, 100_000, "XOF"),
            Leg.credit(payable.public_id, 98_500, "XOF"),
            Leg.credit(fees.public_id, 1_500, "XOF"),
            Leg.debit(billed.public_id, 100_000, "XOF"),
            Leg.credit(receivable.public_id, 100_000, "XOF"),
        ],
    )
    assert api.balance(account=payable.public_id).posted == 98_500
    assert api.balance(account=receivable.public_id).posted == 0


def test_same_key_same_content_returns_the_first_result(clearing, wallet):
    k = key()
    legs = [Leg.debit(clearing.public_id, 500, "XOF"), Leg.credit(wallet.public_id, 500, "XOF")]
    first = api.transfer(idempotency_key=k, code="top_up", legs=legs)
    again = api.transfer(idempotency_key=k, code="top_up", legs=legs)
    assert again.replayed and again.public_id == first.public_id
    assert api.balance(account=wallet.public_id).posted == 500


def test_same_key_other_content_is_a_conflict(clearing, wallet):
    k = key()
    api.transfer(
        idempotency_key=k,
        code="top_up",
        legs=[Leg.debit(clearing.public_id, 500, "XOF"), Leg.credit(wallet.public_id, 500, "XOF")],
    )
    with pytest.raises(IdempotencyConflict) as error:
        api.transfer(
            idempotency_key=k,
            code="top_up",
            legs=[Leg.debit(clearing.public_id, 501, "XOF"), Leg.credit(wallet.public_id, 501, "XOF")],
        )
    assert error.value.status == 409


def test_a_retry_gets_its_first_result_even_after_the_funds_are_gone(clearing, wallet):
    fund(wallet.public_id, 1_000)
    k = key()
    legs = [Leg.debit(wallet.public_id, 1_000, "XOF"), Leg.credit(clearing.public_id, 1_000, "XOF")]
    first = api.transfer(idempotency_key=k, code="payout", legs=legs)
    assert api.transfer(idempotency_key=k, code="payout", legs=legs).public_id == first.public_id


def test_a_wallet_cannot_go_below_zero(clearing, wallet):
    fund(wallet.public_id, 1_000)
    with pytest.raises(api.InsufficientFunds):
        api.transfer(
            idempotency_key=key(),
            code="payout",
            legs=[Leg.debit(wallet.public_id, 1_001, "XOF"), Leg.credit(clearing.public_id, 1_001, "XOF")],
        )
    assert api.balance(account=wallet.public_id).posted == 1_000


def test_balance_checks_count_pending_holds(clearing, wallet):
    fund(wallet.public_id, 1_000)
    hold = api.hold(
        idempotency_key=key(),
        code="rent_payment",
        legs=[Leg.debit(wallet.public_id, 700, "XOF"), Leg.credit(clearing.public_id, 700, "XOF")],
    )
    balance = api.balance(account=wallet.public_id)
    assert (balance.posted, balance.available, balance.debits_pending) == (1_000, 300, 700)
    with pytest.raises(api.InsufficientFunds):
        api.transfer(
            idempotency_key=key(),
            code="payout",
            legs=[Leg.debit(wallet.public_id, 301, "XOF"), Leg.credit(clearing.public_id, 301, "XOF")],
        )
    api.void_hold(hold=hold.public_id)
    assert api.balance(account=wallet.public_id).available == 1_000


def test_a_hold_posts_for_less_once_and_releases_the_rest(clearing, wallet):
    fund(wallet.public_id, 1_000)
    hold = api.hold(
        idempotency_key=key(),
        code="rent_payment",
        legs=[Leg.debit(wallet.public_id, 700, "XOF"), Leg.credit(clearing.public_id, 700, "XOF")],
        timeout_seconds=600,
    )
    posted = api.post_hold(hold=hold.public_id, amount=600)
    assert posted.kind == TransferKind.POST_PENDING and posted.hold == hold.public_id
    balance = api.balance(account=wallet.public_id)
    assert (balance.posted, balance.available, balance.debits_pending) == (400, 400, 0)
    assert api.post_hold(hold=hold.public_id, amount=600).replayed  # a retry
    with pytest.raises(IdempotencyConflict):
        api.post_hold(hold=hold.public_id, amount=500)
    with pytest.raises(api.HoldAlreadyResolved):
        api.void_hold(hold=hold.public_id)
    assert api.hold_state(hold=hold.public_id) == HoldState.POSTED


def test_a_hold_cannot_be_posted_for_more(clearing, wallet):
    fund(wallet.public_id, 1_000)
    hold = api.hold(
        idempotency_key=key(),
        code="x",
        legs=[Leg.debit(wallet.public_id, 700, "XOF"), Leg.credit(clearing.public_id, 700, "XOF")],
    )
    with pytest.raises(api.InvalidTransfer):
        api.post_hold(hold=hold.public_id, amount=701)


def test_expired_holds_are_voided_by_the_sweep_and_cannot_be_posted(clearing, wallet):
    from datetime import timedelta

    from django.utils import timezone

    from apps.core.models import OutboxEvent
    from apps.ledger import services

    fund(wallet.public_id, 1_000)
    hold = api.hold(
        idempotency_key=key(),
        code="x",
        legs=[Leg.debit(wallet.public_id, 700, "XOF"), Leg.credit(clearing.public_id, 700, "XOF")],
        timeout_seconds=60,
    )
    assert services.holds_expire(now=timezone.now()) == 0
    assert services.holds_expire(now=timezone.now() + timedelta(seconds=61)) == 1
    assert api.hold_state(hold=hold.public_id) == HoldState.VOIDED
    assert api.balance(account=wallet.public_id).available == 1_000
    assert OutboxEvent.objects.filter(name="ledger.HoldExpired", payload__hold=str(hold.public_id)).exists()
    with pytest.raises(api.HoldAlreadyResolved):
        api.post_hold(hold=hold.public_id)
    assert api.void_hold(hold=hold.public_id).replayed  # voiding again is harmless


def test_posting_an_expired_hold_is_refused_before_the_sweep(clearing, wallet):
    from apps.ledger.models import Transfer

    fund(wallet.public_id, 1_000)
    hold = api.hold(
        idempotency_key=key(),
        code="x",
        legs=[Leg.debit(wallet.public_id, 700, "XOF"), Leg.credit(clearing.public_id, 700, "XOF")],
        timeout_seconds=1,
    )
    past = Transfer.objects.get(public_id=hold.public_id).expires_at
    from unittest import mock

    with mock.patch("django.utils.timezone.now", return_value=past):
        with pytest.raises(api.HoldExpired):
            api.post_hold(hold=hold.public_id)


def test_reversal_mirrors_the_transfer_once(clearing, wallet):
    original = fund(wallet.public_id, 1_000)
    reversal = api.reverse(transfer=original.public_id)
    assert reversal.reverses == original.public_id
    assert api.balance(account=wallet.public_id).posted == 0
    assert api.reverse(transfer=original.public_id).replayed
    assert api.balance(account=wallet.public_id).posted == 0


def test_a_refund_cannot_take_money_that_already_left(clearing, wallet):
    """The double-refund bug: reversing a top-up the user already spent is refused."""
    original = fund(wallet.public_id, 1_000)
    api.transfer(
        idempotency_key=key(),
        code="payout",
        legs=[Leg.debit(wallet.public_id, 800, "XOF"), Leg.credit(clearing.public_id, 800, "XOF")],
    )
    with pytest.raises(api.InsufficientFunds):
        api.reverse(transfer=original.public_id)


def test_holds_cannot_be_reversed(clearing, wallet):
    fund(wallet.public_id, 1_000)
    hold = api.hold(
        idempotency_key=key(),
        code="x",
        legs=[Leg.debit(wallet.public_id, 10, "XOF"), Leg.credit(clearing.public_id, 10, "XOF")],
    )
    with pytest.raises(api.NotReversible):
        api.reverse(transfer=hold.public_id)


def test_closed_accounts_refuse_new_postings(clearing, wallet):
    fund(wallet.public_id, 100)
    with pytest.raises(api.AccountNotEmpty):
        api.close_account(account=wallet.public_id)
    api.transfer(
        idempotency_key=key(),
        code="payout",
        legs=[Leg.debit(wallet.public_id, 100, "XOF"), Leg.credit(clearing.public_id, 100, "XOF")],
    )
    assert api.close_account(account=wallet.public_id).closed
    with pytest.raises(api.AccountClosed):
        fund(wallet.public_id, 100)


def test_unknown_account_is_refused(clearing):
    import uuid

    with pytest.raises(api.AccountNotFound):
        api.transfer(
            idempotency_key=key(),
            code="x",
            legs=[Leg.debit(clearing.public_id, 1, "XOF"), Leg.credit(uuid.uuid4(), 1, "XOF")],
        )


def test_statement_and_balance_as_of(clearing, wallet):
    from django.utils import timezone

    fund(wallet.public_id, 1_000)
    middle = timezone.now()
    fund(wallet.public_id, 500)
    api.transfer(
        idempotency_key=key(),
        code="payout",
        legs=[Leg.debit(wallet.public_id, 300, "XOF"), Leg.credit(clearing.public_id, 300, "XOF")],
    )
    assert api.balance(account=wallet.public_id, as_of=middle).posted == 1_000
    page = api.statement(account=wallet.public_id, limit=2)
    assert [line.balance_after for line in page.lines] == [1_000, 1_500]
    assert page.opening_balance == 0 and page.next_after == 2
    rest = api.statement(account=wallet.public_id, after_sequence=page.next_after)
    assert [(line.amount, line.balance_after) for line in rest.lines] == [(300, 1_200)]
    assert rest.opening_balance == 1_500 and rest.next_after is None
    since = api.statement(account=wallet.public_id, start=middle)
    assert [line.amount for line in since.lines] == [500, 300] and since.opening_balance == 1_000
    payouts = api.statement(account=wallet.public_id, code="payout")
    assert [line.amount for line in payouts.lines] == [300]


def test_chart_of_accounts_exists_after_migration(db):
    from apps.ledger.models import Account

    codes = set(Account.objects.filter(owner_type="system", currency="XOF").values_list("code", flat=True))
    assert {"provider_clearing.kkiapay", "provider_clearing.sandbox", "fees_revenue", "suspense"} <= codes


def test_transfer_many_posts_a_batch_and_skips_what_exists(clearing, fees):
    from apps.ledger.contracts import TransferRequest

    keys = [key() for _ in range(50)]
    requests = [
        TransferRequest(
            idempotency_key=k,
            code="fee",
            legs=(Leg.debit(clearing.public_id, 10, "XOF"), Leg.credit(fees.public_id, 10, "XOF")),
        )
        for k in keys
    ]
    assert api.transfer_many(requests[:20]).created == 20
    result = api.transfer_many(requests)
    assert (result.created, result.replayed) == (30, 20)
    assert api.balance(account=fees.public_id).posted == 500
    # a single retry of a batched transfer is recognised as one
    assert api.transfer(
        idempotency_key=keys[0],
        code="fee",
        legs=[Leg.debit(clearing.public_id, 10, "XOF"), Leg.credit(fees.public_id, 10, "XOF")],
    ).replayed
    from apps.ledger import verify

    assert verify.run().ok


def test_transfer_many_is_all_or_nothing(clearing, wallet, fees):
    from apps.ledger.contracts import TransferRequest

    fund(wallet.public_id, 100)
    requests = [
        TransferRequest(
            idempotency_key=key(),
            code="fee",
            legs=(Leg.debit(wallet.public_id, 60, "XOF"), Leg.credit(fees.public_id, 60, "XOF")),
        )
        for _ in range(2)
    ]
    with pytest.raises(api.InsufficientFunds):
        api.transfer_many(requests)
    assert api.balance(account=wallet.public_id).posted == 100
    with pytest.raises(IdempotencyConflict):
        api.transfer_many(
            [requests[0], TransferRequest(requests[0].idempotency_key, "other", requests[0].legs)]
        )


def test_transfer_many_across_chunks(clearing, fees, monkeypatch):
    """A key repeated in a later chunk: the optimistic COPY fails, the chunk is redone
    from its savepoint, and the repeat is a replay (same content) or a conflict."""
    from apps.ledger import batch, verify
    from apps.ledger.contracts import TransferRequest

    monkeypatch.setattr(batch, "CHUNK", 10)

    def request(k, amount=10):
        return TransferRequest(
            idempotency_key=k,
            code="fee",
            legs=(Leg.debit(clearing.public_id, amount, "XOF"), Leg.credit(fees.public_id, amount, "XOF")),
        )

    keys = [key() for _ in range(25)]
    result = api.transfer_many(request(k) for k in [*keys, keys[3]])
    assert (result.created, result.replayed) == (25, 1)
    assert api.balance(account=fees.public_id).posted == 250
    with pytest.raises(IdempotencyConflict):
        api.transfer_many([*(request(key()) for _ in range(12)), request(keys[5], 11)])
    assert api.balance(account=fees.public_id).posted == 250
    assert verify.run().ok


def test_balance_totals_of_one_user_count_only_their_accounts(db):
    """`balance_totals(user=…)`: the user's wallet and own `wallet.vault.…` accounts, in one
    read; another user's wallet and a pot of the same prefix owned by the system do not count."""
    from apps.ledger.contracts import AccountKind, OwnerType
    from tests.identity.factories import UserFactory

    alice, bob = UserFactory(), UserFactory()
    fund(api.user_wallet(user=alice.public_id).public_id, 7_000)
    fund(api.user_wallet(user=bob.public_id).public_id, 50_000)
    vault = api.create_account(
        code="wallet.vault.x",
        name="vault",
        currency="XOF",
        kind=AccountKind.LIABILITY,
        owner_type=OwnerType.USER,
        owner=alice.public_id,
    )
    fund(vault.public_id, 3_000)
    pot = api.create_account(
        code="wallet.vault.pot",
        name="pot",
        currency="XOF",
        kind=AccountKind.LIABILITY,
        owner_type=OwnerType.SYSTEM,
    )
    fund(pot.public_id, 900)

    (mine,) = api.balance_totals(codes=["wallet"], prefixes=["wallet.vault."], user=alice.public_id)
    assert (mine.currency, mine.accounts, mine.posted) == ("XOF", 2, 10_000)
    everyone = {
        t.currency: t.posted for t in api.balance_totals(codes=["wallet"], prefixes=["wallet.vault."])
    }
    assert everyone["XOF"] >= 60_900
    assert api.balance_totals(codes=["wallet"], user=UserFactory().public_id) == []
