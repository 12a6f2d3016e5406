"""Cotis'Hokwe's other ways in and out: the pot paid straight to the beneficiary's rent due
(estate settles it and issues the quittance), a contribution by pay link (the sandbox
provider), cash recorded by the collector, and the notices of a default."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.core.models import OutboxEvent
from apps.ledger import api as ledger
from apps.payments import api as payments
from apps.wallet.models import TontineContribution, TontineMember
from apps.wallet.services import rent, tontine, tontine_rounds, wallets
from tests.identity.factories import UserFactory

pytestmark = pytest.mark.django_db


def _group_of(organiser, tontine_otp, *, contribution, n=3):
    users = [organiser] + [UserFactory() for _ in range(n - 1)]
    group = tontine.group_create(
        actor=organiser,
        name="Tontine du loyer",
        contribution=contribution,
        currency="XOF",
        frequency="monthly",
        start_date=timezone.localdate() + timedelta(days=1),
        max_members=n,
        order_method="fixed",
    )
    seats = tontine.invite(actor=organiser, group=group, phones=[str(u.phone) for u in users[1:]])
    for user, seat in zip(users[1:], seats, strict=True):
        tontine.invitation_accept(actor=user, member=seat, step_up_token=tontine_otp(user, seat))
    return group, users


def test_the_pot_pays_the_beneficiarys_rent_due(
    estate_overdue_lease, tontine_otp, fund, django_capture_on_commit_callbacks
):
    tenant = estate_overdue_lease.tenant
    due = rent.open_dues(tenant)[0]
    owed = due.total - due.paid
    group, users = _group_of(tenant, tontine_otp, contribution=40_000)
    for user in users:
        fund(wallets.wallet_for(user, "XOF"), 40_000)
    tontine.set_payout(actor=tenant, group=group, payout_to="rent", rent_due=due.public_id)
    group = tontine.group_start(actor=tenant, group=group)
    first = group.rounds.get(number=1)
    assert first.beneficiary.user_id == tenant.pk
    with django_capture_on_commit_callbacks(execute=True):
        tontine_rounds.close_due_rounds(first.due_date)
        tontine_rounds.close_due_rounds(first.close_date)
    first.refresh_from_db()
    assert first.status == "paid" and first.rent_intent is not None
    intent = payments.get_intent(first.rent_intent)
    assert intent.status == "succeeded" and intent.amount == owed
    assert due.public_id not in {d.public_id for d in rent.open_dues(tenant)}  # estate settled it
    wallet = wallets.wallet_for(tenant, "XOF")
    assert ledger.balance(account=wallet.account).posted == 120_000 - owed  # the rest of the pot
    assert ledger.balance(account=group.pot_account).posted == 0
    paid = OutboxEvent.objects.filter(name="wallet.PotPaid", payload__round_id=str(first.public_id)).get()
    assert paid.payload["paid_to"] == "rent" and paid.payload["rent_due"] == str(due.public_id)


def test_a_pay_link_credits_the_pot_and_pays_the_contribution(
    tontine_group, client, django_capture_on_commit_callbacks
):
    world = tontine_group(n=3, funds=0)
    member = world.users[1]
    link = tontine.pay_link(actor=member, group=world.group)
    assert link.intent.amount == 10_000 and link.intent.credit_account == world.group.pot_account
    checkout = payments.start_payment(intent=link.intent.public_id, method="mobile_money", provider="sandbox")
    reference = checkout.url.rstrip("/").split("/")[-1]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("payments:sandbox", args=[reference]), {"decision": "approve"})
    row = TontineContribution.objects.get(pk=link.contribution.pk)
    assert (row.status, row.method) == ("paid", "pay_link")
    assert ledger.balance(account=world.group.pot_account).posted == 10_000
    assert OutboxEvent.objects.filter(name="wallet.ContributionPaid", payload__method="pay_link").exists()


def test_cash_recorded_by_the_collector_and_a_default_is_told_to_everyone(tontine_group):
    world = tontine_group(n=3, funds=0, commission_bps=0)
    organiser, member, dry = world.users
    wallets_of = {u.pk: wallets.wallet_for(u, "XOF") for u in world.users}
    from tests.wallet.test_tontine_stateful import _fund

    _fund(wallets_of[organiser.pk], 20_000)  # the collector holds the notes of the member's cash
    seat = TontineMember.objects.get(group=world.group, user=member)
    with pytest.raises(tontine.TontineNotOrganiser):
        tontine.record_cash(actor=member, group=world.group, member=seat)
    row = tontine.record_cash(actor=organiser, group=world.group, member=seat)
    assert (row.status, row.method, row.collector_id) == ("paid", "cash", organiser.pk)
    first = world.group.rounds.get(number=1)
    tontine_rounds.close_due_rounds(first.due_date)
    result = tontine_rounds.close_due_rounds(first.close_date)
    assert result.defaulted == 1  # the dry member, before their turn
    event = OutboxEvent.objects.get(name="wallet.MemberDefaulted")
    assert event.payload["guarantee_applied"] == 0 and event.payload["amount"] == 10_000 + 500
    from apps.notifications.models import Message

    told = set(
        Message.objects.filter(template_key="wallet.tontine_default").values_list("recipient_key", flat=True)
    )
    assert {str(u.public_id) for u in world.users} <= told


def test_a_pay_link_paid_after_the_auto_debit_gives_the_money_back(
    tontine_group, client, django_capture_on_commit_callbacks
):
    world = tontine_group(n=3, funds=20_000)
    member, wallet = world.users[1], world.wallets[1]
    link = tontine.pay_link(actor=member, group=world.group)
    first = world.group.rounds.get(number=1)
    tontine_rounds.close_due_rounds(first.due_date)  # the auto-debit pays it first
    assert ledger.balance(account=wallet.account).posted == 10_000
    checkout = payments.start_payment(intent=link.intent.public_id, method="mobile_money", provider="sandbox")
    reference = checkout.url.rstrip("/").split("/")[-1]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("payments:sandbox", args=[reference]), {"decision": "approve"})
    assert ledger.balance(account=wallet.account).posted == 20_000  # the link's money came back
    assert ledger.balance(account=world.group.pot_account).posted == 30_000  # the round's three contributions
    row = TontineContribution.objects.get(pk=link.contribution.pk)
    assert (row.status, row.method) == ("paid", "auto")


def test_the_batched_daily_run_closes_common_rounds_as_the_per_group_path_does(tontine_group):
    """Several groups where every member pays on time: the daily run's set-based path debits
    them in one ledger batch, withholds each beneficiary's own share from their pot, pays the
    pots, counts the payers' outflow and takes every guarantee with one `ledger.hold_many`."""
    from apps.wallet.models import WalletUsage

    worlds = [tontine_group(n=3, commission_bps=100, funds=50_000, grace_days=0) for _ in range(3)]
    first = worlds[0].group.rounds.get(number=1)
    assert first.close_date == first.due_date  # no grace: due and closed the same day
    run = tontine_rounds.close_due_rounds(first.due_date)
    assert run.debited == 6 and run.refused == 0 and run.rounds_paid == 3 and run.defaulted == 0
    for world in worlds:
        rnd = world.group.rounds.get(number=1)
        assert rnd.status == "paid" and rnd.commission == 200 and rnd.paid_out == 19_800
        winner = TontineMember.objects.get(pk=rnd.beneficiary_id)
        own = TontineContribution.objects.get(round=rnd, member=winner)
        assert own.status == "paid" and own.method == "withheld" and own.transfer is None
        payers = TontineContribution.objects.filter(round=rnd).exclude(member=winner)
        assert all(row.status == "paid" and row.method == "auto" for row in payers)
        for row in payers:
            usage = WalletUsage.objects.get(wallet=wallets.wallet_for(row.member.user, "XOF"))
            assert usage.outflow_today == 10_000 and usage.day == first.due_date
        # the guarantee: what the winner still owes (rounds 2 and 3), held on their wallet
        assert winner.guarantee_amount == 20_000
        assert ledger.hold_state(hold=winner.guarantee_hold) == "pending"
        purse = wallets.wallet_for(winner.user, "XOF")
        assert (
            ledger.balance(account=purse.account).available
            == ledger.balance(account=purse.account).posted - 20_000
        )
    again = tontine_rounds.close_due_rounds(first.due_date)
    assert again.debited == 0 and again.rounds_paid == 0
