"""Cotis'Hokwe's daily run and kyc's limits: the batched auto-debits (one ledger.transfer_many
for a batch of groups) are checked against the member's daily outflow as `wallets.move` checks
one debit; a debit over the limit is refused like a short wallet's (late, penalty, retried on
the next run), the others of the batch are taken."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db.models import Sum
from django.utils import timezone

from apps.ledger import api as ledger
from apps.ledger.models import Account
from apps.wallet.models import TontineContribution, WalletUsage
from apps.wallet.services import tontine_rounds

pytestmark = pytest.mark.django_db


def bal(account) -> int:
    return ledger.balance(account=account).posted


def sigma_zero() -> None:
    for row in Account.objects.values("currency").annotate(d=Sum("debits_posted"), c=Sum("credits_posted")):
        assert row["d"] == row["c"], row


def _spent_today(wallet, amount, day):
    """The member already sent `amount` today (their stored usage, as a P2P would leave it)."""
    WalletUsage.objects.update_or_create(wallet=wallet, defaults={"day": day, "outflow_today": amount})


@pytest.fixture
def world(tontine_group):
    """Three members (tier 0: daily outflow 100 000), 10 000 a week, round 1 due today and
    closing in two days (grace), each wallet funded with 100 000."""
    return tontine_group(
        n=3, contribution=10_000, penalty=500, commission_bps=0, grace_days=2, start_in_days=0
    )


def test_the_member_over_the_limit_is_late_the_others_are_debited_in_the_batch(world):
    today = timezone.localdate()
    first = world.group.rounds.get(number=1)
    assert first.due_date == today
    over = world.wallets[2]
    _spent_today(over, 95_000, today)  # 95 000 + 10 000 > 100 000

    result = tontine_rounds.close_due_rounds(today)

    assert (result.debited, result.late, result.refused) == (2, 1, 1)
    refused = TontineContribution.objects.get(round=first, member__user=world.users[2])
    assert refused.status == "late" and refused.last_error == "kyc_limit_exceeded"
    assert refused.penalty == 500 and refused.transfer is None
    assert bal(over.account) == 100_000  # nothing left the wallet
    assert WalletUsage.objects.get(wallet=over).outflow_today == 95_000  # nothing counted
    paid = TontineContribution.objects.filter(round=first, status="paid", method="auto")
    assert sorted(r.member.user_id for r in paid) == sorted(u.pk for u in world.users[:2])
    for wallet in world.wallets[:2]:
        assert WalletUsage.objects.get(wallet=wallet).outflow_today == 10_000
    assert bal(world.group.pot_account) == 20_000
    sigma_zero()

    # the next day the daily outflow starts again: the retry takes it, with its penalty
    result = tontine_rounds.close_due_rounds(today + timedelta(days=1))
    refused.refresh_from_db()
    assert refused.status == "paid" and refused.method == "auto" and refused.penalty == 500
    assert bal(over.account) == 100_000 - 10_500
    assert bal(world.group.pot_account) == 30_500
    sigma_zero()


def test_within_the_limit_the_batch_takes_everyone(world):
    """The same day with 90 000 already out: 90 000 + 10 000 is exactly the limit."""
    today = timezone.localdate()
    _spent_today(world.wallets[2], 90_000, today)
    result = tontine_rounds.close_due_rounds(today)
    assert (result.debited, result.late, result.refused) == (3, 0, 0)
    assert WalletUsage.objects.get(wallet=world.wallets[2]).outflow_today == 100_000
    assert bal(world.group.pot_account) == 30_000


def test_yesterdays_outflow_does_not_count_today(world):
    today = timezone.localdate()
    _spent_today(world.wallets[2], 100_000, today - timedelta(days=1))
    result = tontine_rounds.close_due_rounds(today)
    assert (result.debited, result.late) == (3, 0)
    usage = WalletUsage.objects.get(wallet=world.wallets[2])
    assert (usage.day, usage.outflow_today) == (today, 10_000)


def test_a_limit_lowered_by_compliance_binds_on_the_batch(world):
    """A compliance row for tier 0 (every country): single transaction 5 000 — every debit of
    10 000 is refused, nothing moves, all three are late."""
    from apps.kyc.models import TierLimit

    TierLimit.objects.create(
        country="*",
        tier=0,
        currency="XOF",
        max_balance=1_000_000,
        monthly_inflow=1_000_000,
        single_transaction=5_000,
        daily_outflow=1_000_000,
    )
    today = timezone.localdate()
    result = tontine_rounds.close_due_rounds(today)
    assert (result.debited, result.late) == (0, 3)
    assert bal(world.group.pot_account) == 0
    assert set(
        TontineContribution.objects.filter(round__group=world.group, round__number=1).values_list(
            "last_error", flat=True
        )
    ) == {"kyc_limit_exceeded"}
    sigma_zero()


def test_two_debits_of_one_member_in_one_batch_count_together(tontine_group, tontine_otp, fund):
    """A member of two groups, 60 000 due in each today (tier 0: daily outflow 100 000): the
    batch takes the first, the second would make 120 000 and is late; each alone would pass."""
    from apps.wallet.services import tontine, wallets
    from tests.identity.factories import UserFactory

    first = tontine_group(
        n=3, contribution=60_000, penalty=0, commission_bps=0, start_in_days=0, funds=150_000
    )
    both = first.users[1]
    others = [UserFactory(full_name=f"Autre {i}") for i in range(2)]
    second = tontine.group_create(
        actor=both,
        name="Deuxième tontine",
        contribution=60_000,
        currency="XOF",
        frequency="weekly",
        start_date=timezone.localdate(),
        max_members=3,
        order_method="fixed",
        late_penalty=0,
        grace_days=2,
        commission_bps=0,
    )
    seats = tontine.invite(actor=both, group=second, phones=[str(u.phone) for u in others])
    for user, seat in zip(others, seats, strict=True):
        tontine.invitation_accept(actor=user, member=seat, step_up_token=tontine_otp(user, seat))
        fund(wallets.wallet_for(user, "XOF"), 150_000)
    second = tontine.group_start(actor=both, group=second)

    result = tontine_rounds.close_due_rounds(timezone.localdate())

    rows = {
        r.round.group_id: r
        for r in TontineContribution.objects.filter(member__user=both, round__number=1).select_related(
            "round"
        )
    }
    assert rows[first.group.pk].status == "paid"
    assert rows[second.pk].status == "late" and rows[second.pk].last_error == "kyc_limit_exceeded"
    assert (result.debited, result.late) == (5, 1)
    assert WalletUsage.objects.get(wallet=wallets.wallet_for(both, "XOF")).outflow_today == 60_000
    sigma_zero()
