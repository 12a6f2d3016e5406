"""The wallet's primitives (services/wallets.py): wallet_for, ensure_usable, move, usage, and kyc's
cumulative limits binding through the registered usage source."""

import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.kyc import api as kyc
from apps.kyc.errors import KycLimitExceeded
from apps.ledger import api as ledger
from apps.wallet.errors import InvalidAmount, WalletClosed, WalletFrozen
from apps.wallet.models import Wallet, WalletUsage
from apps.wallet.services import wallets
from tests.identity.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_wallet_for_is_get_or_create_on_the_ledger_wallet(user):
    first = wallets.wallet_for(user)
    again = wallets.wallet_for(str(user.public_id))
    assert first.pk == again.pk and first.currency == "XOF"
    assert first.account == ledger.user_wallet(user=user.public_id, currency="XOF").public_id
    assert WalletUsage.objects.filter(wallet=first).count() == 1
    assert wallets.wallet_for(user, "XAF").pk != first.pk


def test_frozen_and_closed_wallets_refuse_every_movement(user, fund, clearing):
    wallet = wallets.wallet_for(user)
    fund(wallet, 5_000)
    Wallet.objects.filter(pk=wallet.pk).update(status=Wallet.Status.FROZEN)
    with pytest.raises(WalletFrozen):
        fund(wallet, 1_000)  # even receiving: the row is read under the lock
    with pytest.raises(WalletFrozen):
        wallets.ensure_usable(Wallet.objects.get(pk=wallet.pk))
    Wallet.objects.filter(pk=wallet.pk).update(status=Wallet.Status.CLOSED)
    with pytest.raises(WalletClosed):
        wallets.move(
            idempotency_key=f"t:{uuid.uuid4()}",
            code="wallet.test",
            debit=wallet.account,
            credit=clearing,
            amount=100,
            currency="XOF",
            out_of=wallet,
        )
    assert ledger.balance(account=wallet.account).posted == 5_000


def test_a_replayed_move_moves_and_counts_nothing_twice(user, clearing):
    wallet = wallets.wallet_for(user)
    kwargs = dict(
        idempotency_key="t:replay",
        code="wallet.topup",
        debit=clearing,
        credit=wallet.account,
        amount=7_000,
        currency="XOF",
        into=wallet,
        kyc_operation="wallet_topup",
    )
    first = wallets.move(**kwargs)
    second = wallets.move(**kwargs)
    assert not first.replayed and second.replayed and second.public_id == first.public_id
    assert ledger.balance(account=wallet.account).posted == 7_000
    assert wallets.usage(user, "XOF").inflow_this_month == 7_000


def test_bad_amounts_are_refused(user, clearing):
    wallet = wallets.wallet_for(user)
    for amount in (0, -5, 1.5, True):
        with pytest.raises(InvalidAmount):
            wallets.move(
                idempotency_key=f"t:{uuid.uuid4()}",
                code="wallet.test",
                debit=clearing,
                credit=wallet.account,
                amount=amount,
                currency="XOF",
                into=wallet,
            )


def test_kyc_limits_bind_on_the_stored_totals(user, fund, clearing):
    """Tier 0 (defaults): daily outflow 100 000, maximum balance 200 000."""
    wallet = wallets.wallet_for(user)
    fund(wallet, 100_000, kyc_operation="wallet_topup")
    fund(wallet, 50_000, kyc_operation="wallet_topup")
    with pytest.raises(KycLimitExceeded) as refused:
        fund(wallet, 60_000, kyc_operation="wallet_topup")
    assert refused.value.params["limit"] == "max_balance"
    assert ledger.balance(account=wallet.account).posted == 150_000  # the refused transfer rolled back

    def out(amount):
        return wallets.move(
            idempotency_key=f"t:{uuid.uuid4()}",
            code="wallet.withdrawal",
            debit=wallet.account,
            credit=clearing,
            amount=amount,
            currency="XOF",
            out_of=wallet,
            kyc_operation="withdrawal",
        )

    out(60_000)
    out(40_000)
    with pytest.raises(KycLimitExceeded) as daily:
        out(1)
    assert daily.value.params["limit"] == "daily_outflow" and daily.value.params["remaining"] == 0
    # kyc.check without an explicit usage reads the wallet's totals through the source
    with pytest.raises(KycLimitExceeded):
        kyc.check(user, "wallet_payment", 1, currency="XOF")
    assert wallets.usage(user, "XOF").outflow_today == 100_000
    assert wallets.usage(user, "XOF").balance == 50_000


def test_usage_rolls_over_lazily(user, fund, time_machine):
    time_machine.move_to("2026-11-30 10:00:00+01:00", tick=False)
    wallet = wallets.wallet_for(user)
    fund(wallet, 10_000)
    wallets.move(
        idempotency_key="t:out",
        code="wallet.test",
        debit=wallet.account,
        credit=ledger.system_account(code="suspense", currency="XOF").public_id,
        amount=3_000,
        currency="XOF",
        out_of=wallet,
    )
    assert wallets.usage(user, "XOF").outflow_today == 3_000
    time_machine.move_to("2026-12-01 10:00:00+01:00", tick=False)
    now = wallets.usage(user, "XOF")
    assert (now.outflow_today, now.inflow_this_month, now.balance) == (0, 0, 7_000)


def test_a_move_wakes_a_dormant_wallet_but_receiving_does_not(user, fund, clearing):
    from django.utils import timezone

    wallet = wallets.wallet_for(user)
    fund(wallet, 1_000)
    Wallet.objects.filter(pk=wallet.pk).update(dormant_since=timezone.now())
    fund(wallet, 1_000)
    assert Wallet.objects.get(pk=wallet.pk).dormant_since is not None
    wallets.move(
        idempotency_key="t:wake",
        code="wallet.test",
        debit=wallet.account,
        credit=clearing,
        amount=500,
        currency="XOF",
        out_of=Wallet.objects.get(pk=wallet.pk),
    )
    assert Wallet.objects.get(pk=wallet.pk).dormant_since is None


# --- the property: stored totals equal the ledger's movements; Σ = 0 ----------------------------

steps = st.lists(
    st.tuples(st.sampled_from(["in", "out", "p2p", "replay"]), st.integers(min_value=1, max_value=30_000)),
    min_size=1,
    max_size=12,
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=steps)
def test_usage_totals_equal_the_ledgers_movements(steps, clearing):
    a, b = (wallets.wallet_for(UserFactory()) for _ in range(2))
    accounts = [clearing, a.account, b.account]
    before = {acc: ledger.balance(account=acc) for acc in accounts}
    expected = {a.pk: [0, 0], b.pk: [0, 0]}  # [outflow today, inflow this month]
    last = None
    for kind, amount in steps:
        if kind == "replay":
            if last is None:
                continue
            assert wallets.move(**last).replayed
            continue
        if kind == "in":
            args = dict(debit=clearing, credit=a.account, into=a, kyc_operation="wallet_topup")
        elif kind == "out":
            args = dict(debit=a.account, credit=clearing, out_of=a, kyc_operation="withdrawal")
        else:
            args = dict(debit=a.account, credit=b.account, out_of=a, into=b, kyc_operation="transfer_out")
        call = dict(
            idempotency_key=f"p:{uuid.uuid4()}", code="wallet.test", amount=amount, currency="XOF", **args
        )
        try:
            wallets.move(**call)
        except (KycLimitExceeded, ledger.InsufficientFunds):
            continue
        last = call
        if "out_of" in args:
            expected[args["out_of"].pk][0] += amount
        if "into" in args:
            expected[args["into"].pk][1] += amount
    for wallet in (a, b):
        stored = wallets.usage(wallet.user, "XOF")
        assert [stored.outflow_today, stored.inflow_this_month] == expected[wallet.pk]
        # the totals equal the ledger's own lines on the account
        lines = ledger.statement(account=wallet.account, limit=1000).lines
        assert sum(line.amount for line in lines if line.side == "debit") == expected[wallet.pk][0]
        assert sum(line.amount for line in lines if line.side == "credit") == expected[wallet.pk][1]
        assert stored.balance == expected[wallet.pk][1] - expected[wallet.pk][0]
    # Σ = 0: what the clearing account gained or lost is what the two wallets hold
    after = {acc: ledger.balance(account=acc) for acc in accounts}
    delta = {
        acc: (after[acc].debits_posted - before[acc].debits_posted)
        - (after[acc].credits_posted - before[acc].credits_posted)
        for acc in accounts
    }
    assert sum(delta.values()) == 0


def test_the_public_api_credits_and_debits_through_move(user, clearing):
    from apps.wallet import api as wallet_api

    info = wallet_api.wallet_info(user)
    assert info.balance == 0 and info.status == "active" and info.user == user.public_id
    first = wallet_api.credit_wallet(
        user=user, amount=8_000, currency="XOF", from_account=clearing, idempotency_key="loan:1", code="loan"
    )
    again = wallet_api.credit_wallet(
        user=user, amount=8_000, currency="XOF", from_account=clearing, idempotency_key="loan:1", code="loan"
    )
    assert again.replayed and again.public_id == first.public_id
    wallet_api.debit_wallet(
        user=user, amount=3_000, currency="XOF", to_account=clearing, idempotency_key="repay:1", code="loan"
    )
    assert wallet_api.wallet_info(str(user.public_id)).balance == 5_000
    usage = wallet_api.wallet_usage(user)
    assert (usage.inflow_this_month, usage.outflow_today, usage.balance) == (8_000, 3_000, 5_000)
    with pytest.raises(ledger.InsufficientFunds):
        wallet_api.debit_wallet(
            user=user,
            amount=6_000,
            currency="XOF",
            to_account=clearing,
            idempotency_key="repay:2",
            code="loan",
        )
