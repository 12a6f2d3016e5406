"""Cotis'Hokwe (services): forming a group, the verifiable draw, a cycle of rounds paid by
automatic debit, lateness and penalties, guarantees and defaults, bidding, replacement, and the
daily run's idempotence when a fault interrupts it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db.models import Sum

from apps.identity import api as identity
from apps.ledger import api as ledger
from apps.ledger.models import Account
from apps.wallet.errors import TontineInvalid, TontineNotOrganiser, TontineStateConflict
from apps.wallet.models import TontineBid, TontineContribution, TontineMember, TontineRound, Wallet
from apps.wallet.services import tontine, tontine_rounds, wallets
from tests.identity.factories import UserFactory

pytestmark = pytest.mark.django_db


def bal(account) -> int:
    return ledger.balance(account=account).posted


def available(account) -> int:
    return ledger.balance(account=account).available


def sigma_zero() -> None:
    """Σ debits = Σ credits per currency over every ledger account (posted and pending)."""
    rows = Account.objects.values("currency").annotate(
        d=Sum("debits_posted"), c=Sum("credits_posted"), dp=Sum("debits_pending"), cp=Sum("credits_pending")
    )
    for row in rows:
        assert row["d"] == row["c"], row
        assert row["dp"] == row["cp"], row


def run_cycle(world, *, skip=()):
    """The daily run on every day of the cycle, to the last round's close."""
    rounds = list(world.group.rounds.order_by("number"))
    day = rounds[0].due_date
    last = rounds[-1].close_date
    results = []
    while day <= last:
        results.append(tontine_rounds.close_due_rounds(day))
        day += timedelta(days=1)
    return results


# --- forming -------------------------------------------------------------------------------------


def test_rules_are_checked_and_the_commission_is_capped(settings):
    organiser = UserFactory()
    base = dict(
        actor=organiser,
        name="Tontine",
        contribution=10_000,
        currency="XOF",
        frequency="monthly",
        start_date=__import__("django.utils.timezone").utils.timezone.localdate() + timedelta(days=3),
        max_members=5,
        order_method="fixed",
    )
    settings.WALLET_TONTINE_MAX_COMMISSION_BPS = 300
    with pytest.raises(TontineInvalid) as over:
        tontine.group_create(**base, commission_bps=301)
    assert over.value.field == "commission_bps"
    for bad in (dict(max_members=2), dict(max_members=51), dict(contribution=0), dict(frequency="daily")):
        with pytest.raises(TontineInvalid):
            tontine.group_create(**{**base, **bad})
    group = tontine.group_create(**base, commission_bps=300)
    assert group.status == "forming" and len(group.seed_hash) == 64
    pot = ledger.account(account=group.pot_account)
    assert pot.code == f"wallet.pot.{group.public_id}" and pot.kind == "liability"
    assert pot.debits_must_not_exceed_credits


def test_an_invitation_is_accepted_only_by_its_phone_with_the_otp(tontine_group, tontine_otp):
    world = tontine_group(n=1, start=False, funds=0)
    invitee, stranger = UserFactory(), UserFactory()
    (seat,) = tontine.invite(actor=world.users[0], group=world.group, phones=[str(invitee.phone)])
    with pytest.raises(TontineNotOrganiser):
        tontine.invite(actor=invitee, group=world.group, phones=[str(stranger.phone)])
    with pytest.raises(identity.StepUpRequired):
        tontine.invitation_accept(actor=invitee, member=seat, step_up_token=None)
    with pytest.raises(tontine.NotFound):
        tontine.invitation_accept(actor=stranger, member=seat, step_up_token=tontine_otp(stranger, seat))
    # a proof for another seat does not accept this one
    seat.refresh_from_db()
    accepted = tontine.invitation_accept(actor=invitee, member=seat, step_up_token=tontine_otp(invitee, seat))
    assert accepted.status == "active" and accepted.accepted_rules == world.group.rules_digest
    with pytest.raises(TontineStateConflict):  # fewer than three members
        tontine.group_start(actor=world.users[0], group=world.group)


def test_the_drawn_order_is_committed_at_creation_and_verifiable_at_start(tontine_group):
    world = tontine_group(n=5, order="drawn", start=False)
    group = world.group
    assert not group.seed_revealed
    hidden_hash = group.seed_hash
    group = tontine.group_start(actor=world.users[0], group=group)
    group.refresh_from_db()
    assert group.seed_revealed and group.seed_hash == hidden_hash
    assert tontine.seed_commitment(group.seed) == hidden_hash
    members = list(TontineMember.objects.filter(group=group, status="active"))
    expected = tontine.drawn_order(
        group.seed, [str(m.public_id) for m in sorted(members, key=lambda m: m.pk)]
    )
    by_position = [str(m.public_id) for m in sorted(members, key=lambda m: m.position)]
    assert by_position == expected
    # the order does not depend on the order the list is given in
    assert tontine.drawn_order(group.seed, list(reversed(expected))) == expected
    rounds = list(group.rounds.order_by("number"))
    assert [str(r.beneficiary.public_id) for r in rounds] == expected


# --- a whole cycle -------------------------------------------------------------------------------


def test_a_cycle_where_everyone_pays_on_time(tontine_group):
    world = tontine_group(n=4, commission_bps=100)
    group = world.group
    before = [bal(w.account) for w in world.wallets]
    run_cycle(world)
    group.refresh_from_db()
    assert group.status == "completed"
    rounds = list(group.rounds.order_by("number"))
    assert all(r.status == "paid" for r in rounds)
    assert sorted(r.beneficiary_id for r in rounds) == sorted(s.pk for s in world.seats)
    assert bal(group.pot_account) == 0
    commission = 40_000 * 100 // 10_000
    assert all(r.paid_out == 40_000 - commission and r.commission == commission for r in rounds)
    after = [bal(w.account) for w in world.wallets]
    organiser_gain = after[0] - before[0]
    assert organiser_gain == 3 * commission  # pays 4 x 10 000, receives 40 000 - commission + 4 commissions
    assert all(after[i] - before[i] == -commission for i in range(1, 4))
    assert TontineContribution.objects.filter(round__group=group, status="paid", method="auto").count() == 16
    assert not TontineMember.objects.filter(group=group, guarantee_hold__isnull=False).exists()
    sigma_zero()


def test_a_rerun_of_the_same_day_moves_nothing(tontine_group):
    world = tontine_group(n=3)
    first = world.group.rounds.get(number=1)
    tontine_rounds.close_due_rounds(first.due_date)
    balances = [bal(w.account) for w in world.wallets] + [bal(world.group.pot_account)]
    again = tontine_rounds.close_due_rounds(first.due_date)
    assert again.debited == 0 and again.rounds_paid == 0
    assert balances == [bal(w.account) for w in world.wallets] + [bal(world.group.pot_account)]
    tontine_rounds.close_due_rounds(first.close_date)
    tontine_rounds.close_due_rounds(first.close_date)
    first.refresh_from_db()
    assert first.status == "paid" and bal(world.group.pot_account) == 0


def test_a_late_payer_pays_the_penalty_which_goes_to_the_pot(tontine_group, fund):
    world = tontine_group(n=3, penalty=700, commission_bps=0)
    late_user, late_wallet = world.users[2], world.wallets[2]
    ledger_move_out(late_wallet)  # empty
    first = world.group.rounds.get(number=1)
    result = tontine_rounds.close_due_rounds(first.due_date)
    assert result.late == 1
    row = TontineContribution.objects.get(round=first, member__user=late_user)
    assert row.status == "late" and row.penalty == 700
    fund(late_wallet, 10_700)
    tontine_rounds.close_due_rounds(first.due_date + timedelta(days=1))  # the retry
    row.refresh_from_db()
    assert row.status == "paid" and row.method == "auto"
    tontine_rounds.close_due_rounds(first.close_date)
    first.refresh_from_db()
    assert first.penalties == 700 and first.paid_out == 30_700
    assert bal(late_wallet.account) == 0
    sigma_zero()


def ledger_move_out(wallet):
    """Empty a wallet to the sandbox's clearing account (as a withdrawal would)."""
    amount = bal(wallet.account)
    if amount:
        clearing = ledger.system_account(code="provider_clearing.sandbox", currency="XOF").public_id
        wallets.move(
            idempotency_key=f"test:empty:{wallet.public_id}:{amount}",
            code="wallet.test",
            debit=wallet.account,
            credit=clearing,
            amount=amount,
            currency="XOF",
            out_of=wallet,
            record_usage=False,
        )


def test_after_their_turn_a_member_holds_a_guarantee_applied_on_default(tontine_group):
    world = tontine_group(n=3, penalty=500, commission_bps=0, funds=10_000)
    group = world.group
    first = group.rounds.get(number=1)
    tontine_rounds.close_due_rounds(first.due_date)
    tontine_rounds.close_due_rounds(first.close_date)
    winner = first.beneficiary
    winner.refresh_from_db()
    wallet = wallets.wallet_for(winner.user, "XOF")
    # the pot (30 000) arrived; 2 contributions are still owed: 20 000 held as the guarantee
    assert bal(wallet.account) == 30_000 and winner.guarantee_amount == 20_000
    assert available(wallet.account) == 10_000
    # the winner spends what is free, then pays round 2 from the wallet: the guarantee shrinks
    ledger_move_out_available(wallet, 10_000)
    second = group.rounds.get(number=2)
    tontine_rounds.close_due_rounds(second.due_date)
    winner.refresh_from_db()
    assert TontineContribution.objects.get(round=second, member=winner).status == "paid"
    assert winner.guarantee_amount == 10_000 and bal(wallet.account) == 10_000
    # round 3: the others have nothing left, the winner too (their 10 000 is the guarantee)
    third = group.rounds.get(number=3)
    for other in world.wallets:
        if other.pk != wallet.pk:
            ledger_move_out(other)
    tontine_rounds.close_due_rounds(third.due_date)
    winner.refresh_from_db()
    row = TontineContribution.objects.get(round=third, member=winner)
    assert row.status == "paid" and row.method == "auto"  # the guarantee never blocks paying
    # the round's other non-beneficiary has no guarantee left: defaulted at close
    tontine_rounds.close_due_rounds(third.close_date)
    sigma_zero()
    group.refresh_from_db()
    assert group.status == "completed" and bal(group.pot_account) == 0


def ledger_move_out_available(wallet, amount):
    clearing = ledger.system_account(code="provider_clearing.sandbox", currency="XOF").public_id
    wallets.move(
        idempotency_key=f"test:spend:{wallet.public_id}:{amount}",
        code="wallet.test",
        debit=wallet.account,
        credit=clearing,
        amount=amount,
        currency="XOF",
        out_of=wallet,
        record_usage=False,
    )


def test_a_default_after_ones_turn_is_paid_by_the_guarantee(tontine_group):
    world = tontine_group(n=3, penalty=500, commission_bps=0, funds=30_000)
    group = world.group
    first = group.rounds.get(number=1)
    tontine_rounds.close_due_rounds(first.due_date)
    tontine_rounds.close_due_rounds(first.close_date)
    winner = TontineMember.objects.get(pk=first.beneficiary_id)
    wallet = wallets.wallet_for(winner.user, "XOF")
    ledger_move_out_available(wallet, available(wallet.account))  # spends all that is free
    assert winner.guarantee_amount == 20_000
    # the winner's wallet is frozen by compliance: the automatic debit is refused
    Wallet.objects.filter(pk=wallet.pk).update(status="frozen")
    second = group.rounds.get(number=2)
    result = tontine_rounds.close_due_rounds(second.due_date)
    assert result.late == 1
    result = tontine_rounds.close_due_rounds(second.close_date)
    assert result.defaulted == 1 and result.rounds_paid == 1
    row = TontineContribution.objects.get(round=second, member=winner)
    assert (row.status, row.method, row.penalty) == ("paid", "guarantee", 500)
    second.refresh_from_db()
    assert second.paid_out == 30_500 and second.penalties == 500
    winner.refresh_from_db()
    assert winner.defaults == 1
    sigma_zero()


def test_a_default_before_ones_turn_is_withheld_from_ones_own_pot(tontine_group):
    world = tontine_group(n=3, penalty=500, commission_bps=0, funds=30_000)
    group = world.group
    last = TontineMember.objects.get(group=group, position=3)
    wallet = wallets.wallet_for(last.user, "XOF")
    ledger_move_out(wallet)
    first = group.rounds.get(number=1)
    tontine_rounds.close_due_rounds(first.due_date)
    tontine_rounds.close_due_rounds(first.close_date)
    first.refresh_from_db()
    assert first.paid_out == 20_000  # short of the defaulter's share
    row = TontineContribution.objects.get(round=first, member=last)
    assert row.status == "defaulted" and row.penalty == 500
    first_winner_wallet = wallets.wallet_for(first.beneficiary.user, "XOF")
    before = bal(first_winner_wallet.account)
    # the defaulter pays the next rounds, then takes the last pot minus what they owe
    wallets.move(
        idempotency_key="test:refill",
        code="wallet.topup",
        debit=ledger.system_account(code="provider_clearing.sandbox", currency="XOF").public_id,
        credit=wallet.account,
        amount=20_000,
        currency="XOF",
        into=wallet,
    )
    for number in (2, 3):
        rnd = group.rounds.get(number=number)
        tontine_rounds.close_due_rounds(rnd.due_date)
        tontine_rounds.close_due_rounds(rnd.close_date)
    row.refresh_from_db()
    assert (row.status, row.method) == ("paid", "withheld")
    assert bal(first_winner_wallet.account) - before == 10_500 - 20_000  # arrears in, rounds 2-3 paid
    last_round = group.rounds.get(number=3)
    assert last_round.paid_out == 30_000
    assert bal(wallet.account) == 30_000 - 10_500 - 0
    assert bal(group.pot_account) == 0
    sigma_zero()


def test_bidding_highest_discount_wins_and_the_discount_is_shared(tontine_group):
    world = tontine_group(n=4, order="bidding", commission_bps=0)
    group = world.group
    bidders = world.users[1], world.users[2]
    tontine.bid(actor=bidders[0], group=group, discount=3_000)
    tontine.bid(actor=bidders[1], group=group, discount=4_500)
    with pytest.raises(TontineInvalid):
        tontine.bid(actor=bidders[0], group=group, discount=40_000 * 3001 // 10_000)
    first = group.rounds.get(number=1)
    before = {u.pk: bal(w.account) for u, w in zip(world.users, world.wallets, strict=True)}
    tontine_rounds.close_due_rounds(first.due_date)
    tontine_rounds.close_due_rounds(first.close_date)
    first.refresh_from_db()
    assert first.beneficiary.user_id == bidders[1].pk and first.discount == 4_500
    assert first.paid_out == 40_000 - 4_500
    after = {u.pk: bal(w.account) for u, w in zip(world.users, world.wallets, strict=True)}
    assert after[bidders[1].pk] - before[bidders[1].pk] == 40_000 - 4_500 - 10_000
    for user in world.users:
        if user.pk != bidders[1].pk:
            assert after[user.pk] - before[user.pk] == -10_000 + 1_500
    with pytest.raises(TontineStateConflict):  # already received
        tontine.bid(actor=bidders[1], group=group, discount=100)
    run_cycle(world)
    group.refresh_from_db()
    assert group.status == "completed"
    assert TontineRound.objects.filter(group=group).values("beneficiary").distinct().count() == 4
    assert TontineBid.objects.filter(round__group=group).count() == 2
    sigma_zero()


def test_a_member_replaced_between_rounds_is_bought_out(tontine_group, tontine_otp):
    world = tontine_group(n=3, commission_bps=0)
    group = world.group
    first = group.rounds.get(number=1)
    tontine_rounds.close_due_rounds(first.due_date)
    tontine_rounds.close_due_rounds(first.close_date)
    with pytest.raises(TontineStateConflict):  # already received: keeps paying
        tontine.member_replace(
            actor=world.users[0], group=group, member=first.beneficiary, phone=str(UserFactory().phone)
        )
    leaver = TontineMember.objects.get(group=group, position=3)
    leaver_wallet = wallets.wallet_for(leaver.user, "XOF")
    newcomer = UserFactory()
    seat = tontine.member_replace(actor=world.users[0], group=group, member=leaver, phone=str(newcomer.phone))
    purse = wallets.wallet_for(newcomer, "XOF")
    wallets.move(
        idempotency_key="test:newcomer",
        code="wallet.topup",
        debit=ledger.system_account(code="provider_clearing.sandbox", currency="XOF").public_id,
        credit=purse.account,
        amount=40_000,
        currency="XOF",
        into=purse,
    )
    leaver_before = bal(leaver_wallet.account)
    tontine.invitation_accept(actor=newcomer, member=seat, step_up_token=tontine_otp(newcomer, seat))
    seat.refresh_from_db()
    leaver.refresh_from_db()
    assert leaver.status == "replaced" and seat.position == 3
    assert bal(leaver_wallet.account) - leaver_before == 10_000  # their one contribution back
    assert group.rounds.get(number=3).beneficiary_id == seat.pk
    run_cycle(world)
    assert bal(purse.account) == 40_000 - 10_000 - 20_000 + 30_000
    group.refresh_from_db()
    assert group.status == "completed" and bal(group.pot_account) == 0
    sigma_zero()


# --- the daily run: a fault in the middle, then a rerun -----------------------------------------


def test_an_interrupted_run_resumes_with_nothing_doubled_or_lost(tontine_group):
    worlds = [tontine_group(n=3, commission_bps=100) for _ in range(3)]
    day = worlds[0].group.rounds.get(number=1).due_date
    # a real fault: the second group's pot account is closed (it is empty before the round)
    broken = worlds[1].group.pot_account
    ledger.close_account(account=broken)
    with pytest.raises(ledger.AccountClosed):
        tontine_rounds.close_due_rounds(day, batch=1)
    paid = lambda w: TontineContribution.objects.filter(round__group=w.group, status="paid").count()  # noqa: E731
    assert [paid(w) for w in worlds] == [3, 0, 0]
    assert bal(worlds[0].group.pot_account) == 30_000 and bal(worlds[1].group.pot_account) == 0
    sigma_zero()
    Account.objects.filter(public_id=broken).update(closed_at=None)  # the fault is repaired
    result = tontine_rounds.close_due_rounds(day, batch=1)
    assert result.debited == 6 and [paid(w) for w in worlds] == [3, 3, 3]
    assert all(bal(w.group.pot_account) == 30_000 for w in worlds)
    for w in worlds:
        assert all(bal(p.account) == 100_000 - 10_000 for p in w.wallets)
    sigma_zero()


# --- leaving mid-cycle ---------------------------------------------------------------------------


def test_a_member_leaving_mid_cycle_keeps_the_remaining_rounds_balanced(tontine_group):
    world = tontine_group(n=4, commission_bps=0, funds=50_000)
    group = world.group
    first = group.rounds.get(number=1)
    tontine_rounds.close_due_rounds(first.due_date)
    tontine_rounds.close_due_rounds(first.close_date)
    leaver = TontineMember.objects.get(group=group, position=3)
    leaver_wallet = wallets.wallet_for(leaver.user, "XOF")
    with pytest.raises(TontineStateConflict):  # the one who received cannot leave
        tontine.member_leave(actor=first.beneficiary.user, group=group, member=first.beneficiary)
    with pytest.raises(tontine.NotFound):  # another member cannot make someone leave
        tontine.member_leave(actor=world.users[1], group=group, member=leaver)
    before = bal(leaver_wallet.account)
    after_it = TontineMember.objects.get(group=group, position=4)
    tontine.member_leave(actor=leaver.user, group=group, member=leaver)
    leaver.refresh_from_db()
    assert leaver.status == "left" and bal(leaver_wallet.account) - before == 10_000  # round 1 paid back
    rounds = {r.number: r for r in group.rounds.all()}
    assert rounds[3].beneficiary_id == after_it.pk and rounds[4].status == "cancelled"
    assert not TontineContribution.objects.filter(member=leaver).exclude(round__status="paid").exists()
    start = [bal(w.account) for w in world.wallets]
    run_cycle(world)
    group.refresh_from_db()
    assert group.status == "completed" and bal(group.pot_account) == 0
    paid = list(group.rounds.filter(status="paid").order_by("number"))
    assert len(paid) == 3 and len({r.beneficiary_id for r in paid}) == 3
    assert all(r.paid_out == 30_000 for r in paid[1:])  # three members each round after the leave
    # over the cycle every remaining member paid three contributions and received one pot of 30 000
    end = [bal(w.account) for w in world.wallets]
    for i, user in enumerate(world.users):
        if user.pk != leaver.user_id:
            assert end[i] == 50_000, (i, start[i], end[i])
    assert bal(leaver_wallet.account) == 50_000
    sigma_zero()
