"""HokweSplit's schedule and daily run (apps/wallet/services/split_schedule.py): instalments that
sum to the target exactly, idempotent auto-debits (a duplicated or retried run moves money once),
missed instalments retried, streak events, Σ = 0."""

from datetime import date, timedelta

import pytest
from django.db import connection
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from apps.core.models import OutboxEvent
from apps.ledger import api as ledger
from apps.wallet.models import SplitInstalment, SplitPlan, Wallet
from apps.wallet.services import split
from apps.wallet.services.split_schedule import run_due_debits


def books_balance():
    from apps.ledger import verify

    report = verify.run()
    assert report.ok, report
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT currency, SUM(debits_posted - credits_posted), SUM(debits_pending - credits_pending) "
            "FROM ledger_account GROUP BY currency"
        )
        for currency, posted, pending in cursor.fetchall():
            assert posted == 0 and pending == 0, currency


@settings(max_examples=50, deadline=None)
@given(
    target=st.integers(min_value=1, max_value=5_000_000),
    days=st.integers(min_value=1, max_value=120),
    weekly=st.booleans(),
)
def test_instalments_sum_to_the_target_exactly(target, days, weekly):
    start = date(2026, 12, 3)
    due_date = start + timedelta(days=days)
    frequency = "weekly" if weekly else "daily"
    rows = split.schedule(target=target, start=start, due_date=due_date, frequency=frequency)
    amounts = [a for _, a in rows]
    assert sum(amounts) == target
    assert all(isinstance(a, int) and a > 0 for a in amounts)
    assert len(set(amounts[:-1])) <= 1 and amounts[-1] >= amounts[0]  # equal ones, the last the remainder
    assert amounts[-1] - amounts[0] < len(amounts)
    dates = [d for d, _ in rows]
    assert dates[0] == start and all(d < due_date for d in dates) and dates == sorted(set(dates))
    step = 7 if weekly else 1
    assert all((b - a).days == step for a, b in zip(dates, dates[1:], strict=False))
    assert len(rows) == min(-(-days // step), target)


def test_a_due_too_close_has_no_schedule():
    day = date(2026, 12, 3)
    assert split.schedule(target=1000, start=day, due_date=day, frequency="daily") == []


def _plan(world, frequency="daily", **kw):
    return split.plan_create(
        actor=world.tenant, due=world.due.public_id, frequency=frequency, today=world.today, **kw
    )


def _balance(account):
    return ledger.balance(account=account).posted


@pytest.mark.django_db
def test_the_daily_run_debits_once_even_run_twice(split_world, fund):
    plan = _plan(split_world)
    first = plan.instalments.order_by("seq").first()
    fund(split_world.wallet, 50_000)
    one = run_due_debits(split_world.today)
    again = run_due_debits(split_world.today)  # a duplicated beat
    assert (one.debited, again.debited) == (1, 0)
    assert _balance(plan.vault) == first.amount
    assert _balance(split_world.wallet.account) == 50_000 - first.amount
    first.refresh_from_db()
    assert first.status == "paid" and first.paid_on == split_world.today
    # the ledger holds the transfer under the plan's key for that date
    assert ledger.statement(account=plan.vault).lines[0].code == split.CODE_SAVE
    books_balance()


@pytest.mark.django_db
def test_a_short_wallet_misses_then_the_next_run_catches_up(split_world, fund):
    plan = _plan(split_world)
    today = split_world.today
    result = run_due_debits(today)
    assert (result.debited, result.missed) == (0, 1)
    first = plan.instalments.get(seq=1)
    assert first.status == "missed" and first.last_error == "insufficient_funds"
    fund(split_world.wallet, 50_000)
    tomorrow = today + timedelta(days=1)
    result = run_due_debits(tomorrow)
    assert result.debited == 2  # yesterday's, late, and today's
    taken = plan.instalments.get(seq=1).amount + plan.instalments.get(seq=2).amount
    assert _balance(plan.vault) == taken
    plan.refresh_from_db()
    assert plan.streak == 1  # the late one started the streak again; today's counts
    books_balance()


@pytest.mark.django_db
def test_a_batch_with_one_short_wallet_still_takes_the_others(split_world, fund):
    from apps.estate.models import Property
    from apps.wallet.services.wallets import wallet_for
    from tests.fixtures.estate import lease_for, open_dues
    from tests.identity.factories import UserFactory

    plan = _plan(split_world)
    other = UserFactory()
    prop = Property.objects.get(public_id=split_world.lease.unit.property.public_id)
    lease = lease_for(
        split_world.manager, prop, other, unit_label="C3", start_date=split_world.due.period, deposit_months=0
    )
    other_plan = split.plan_create(
        actor=other, due=open_dues(lease)[0].public_id, frequency="daily", today=split_world.today
    )
    fund(wallet_for(other), 10_000)
    result = run_due_debits(split_world.today, batch=10)
    assert (result.debited, result.missed, result.fallbacks) == (1, 1, 1)
    assert _balance(other_plan.vault) == other_plan.instalments.get(seq=1).amount
    assert _balance(plan.vault) == 0
    books_balance()


@pytest.mark.django_db
def test_a_frozen_wallet_is_not_debited(split_world, fund):
    plan = _plan(split_world)
    fund(split_world.wallet, 50_000)
    Wallet.objects.filter(pk=split_world.wallet.pk).update(status="frozen")
    result = run_due_debits(split_world.today)
    assert (result.debited, result.missed) == (0, 1)
    assert plan.instalments.get(seq=1).last_error == "wallet_frozen"
    assert _balance(split_world.wallet.account) == 50_000


@pytest.mark.django_db
def test_paused_plans_are_not_debited_and_resume_spreads_what_is_left(split_world, fund):
    plan = _plan(split_world)
    fund(split_world.wallet, 100_000)
    today = split_world.today
    run_due_debits(today)
    saved = _balance(plan.vault)
    split.plan_pause(actor=split_world.tenant, plan=plan, today=today)
    assert run_due_debits(today + timedelta(days=1)).debited == 0
    later = today + timedelta(days=5)
    split.plan_resume(actor=split_world.tenant, plan=plan, today=later)
    left = plan.instalments.exclude(status="paid")
    assert sum(i.amount for i in left) == plan.target - saved
    assert min(i.on for i in left) == later
    assert run_due_debits(later).debited == 1


@pytest.mark.django_db
def test_n_on_time_instalments_publish_a_saving_streak(split_world, fund, settings):
    settings.WALLET_SPLIT_STREAK_LENGTH = 3
    plan = _plan(split_world)
    fund(split_world.wallet, 100_000)
    for day in range(4):
        run_due_debits(split_world.today + timedelta(days=day))
    events = OutboxEvent.objects.filter(name="wallet.SavingStreak", payload__plan_id=str(plan.public_id))
    assert events.count() == 1
    payload = events.get().payload
    assert payload["streak"] == 3 and payload["user_id"] == str(split_world.tenant.public_id)
    assert payload["on"] == (split_world.today + timedelta(days=2)).isoformat()
    plan.refresh_from_db()
    assert (plan.streak, plan.best_streak) == (4, 4)


@pytest.mark.django_db
def test_a_shortfall_is_alerted_by_sms_days_before_the_due_date(split_world, fund, settings):
    from apps.notifications.models import Message

    settings.WALLET_SPLIT_SHORTFALL_ALERT_DAYS = 3
    plan = _plan(split_world, frequency="weekly")
    fund(split_world.wallet, 100_000)
    run_due_debits(split_world.today)  # the first week's instalment
    split.plan_pause(actor=split_world.tenant, plan=plan, today=split_world.today)
    before = plan.due_date - timedelta(days=4)
    assert run_due_debits(before).alerts == 0  # not yet in the window
    window = plan.due_date - timedelta(days=3)
    assert run_due_debits(window).alerts == 1
    assert run_due_debits(window + timedelta(days=1)).alerts == 0  # once
    message = Message.objects.get(template_key="wallet.split_shortfall", channel="sms")
    assert message.user == split_world.tenant and message.language == "fr"
    assert "il manquera" in message.body and "Rechargez" in message.body
    assert plan.instalments.filter(status="paid").count() == 1


@pytest.mark.django_db
def test_plans_of_many_savers_run_in_batches(split_world, fund):
    """Two batches of one: same result as one batch (the batch size changes nothing)."""
    plan = _plan(split_world)
    fund(split_world.wallet, 100_000)
    result = run_due_debits(split_world.today + timedelta(days=1), batch=1)
    assert result.debited == 2 and result.batches == 2
    assert SplitInstalment.objects.filter(plan=plan, status="paid").count() == 2
    assert SplitPlan.objects.get(pk=plan.pk).streak == 1
    books_balance()


@pytest.mark.django_db
def test_the_beat_entry_runs_the_daily_run(split_world, fund, settings):
    from apps.wallet.tasks import split_daily

    assert settings.CELERY_BEAT_SCHEDULE["wallet.split_daily"]["task"] == "wallet.split_daily"
    _plan(split_world)
    fund(split_world.wallet, 50_000)
    assert split_daily()["debited"] == 1
    assert split_daily()["debited"] == 0


@pytest.mark.django_db
@settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck))
@example(weekly=False, deposits=[30_000, 30_000, 30_000], withdraw_on=None)  # paid
@example(weekly=True, deposits=[30_000], withdraw_on=3)  # withdrawn with a fee
@given(
    weekly=st.booleans(),
    deposits=st.lists(st.integers(min_value=0, max_value=30_000), min_size=1, max_size=6),
    withdraw_on=st.one_of(st.none(), st.integers(min_value=1, max_value=20)),
)
def test_whatever_the_saver_does_every_franc_is_accounted_for(weekly, deposits, withdraw_on):
    """Random top-ups (one every 5 days), daily runs until the due date, maybe an early
    withdrawal: the plan ends paid (the due paid, the rest in the wallet) or not (everything
    back in the wallet, less a withdrawal fee), the vault is empty, Σ = 0."""
    import uuid

    from django.utils import timezone

    from apps.payments import api as payments
    from apps.wallet.services import wallets
    from tests.fixtures.estate import agency_property, first_of_month, lease_for, open_dues
    from tests.identity.factories import MembershipFactory, UserFactory

    today = timezone.localdate()
    owner = MembershipFactory(role="owner")
    prop = agency_property(owner.user, owner.organization.pk, name=f"Résidence {uuid.uuid4().hex[:6]}")
    tenant = UserFactory()
    lease = lease_for(owner.user, prop, tenant, start_date=first_of_month(today, -1), deposit_months=0)
    due = open_dues(lease)[0]
    plan = split.plan_create(
        actor=tenant,
        due=due.public_id,
        frequency="weekly" if weekly else "daily",
        withdrawal_rule="fee",
        today=today,
    )
    wallet = wallets.wallet_for(tenant)
    clearing = ledger.system_account(code="provider_clearing.sandbox", currency="XOF").public_id
    fees = ledger.system_account(code="fees_revenue", currency="XOF").public_id
    fees_before = _balance(fees)
    funded = 0
    day, fee = today, 0
    while day <= plan.due_date:
        offset = (day - today).days
        if offset % 5 == 0 and offset // 5 < len(deposits) and deposits[offset // 5]:
            amount = deposits[offset // 5]
            wallets.move(
                idempotency_key=f"prop:{uuid.uuid4()}",
                code="wallet.topup",
                debit=clearing,
                credit=wallet.account,
                amount=amount,
                currency="XOF",
                into=wallet,
            )
            funded += amount
        if withdraw_on == offset and _balance(plan.vault) > 0:
            _returned, fee = split.plan_withdraw_early(actor=tenant, plan=plan, today=day)
        run_due_debits(day)
        assert _balance(plan.vault) >= 0
        day += timedelta(days=1)
    plan.refresh_from_db()
    assert plan.closed_at is not None and _balance(plan.vault) == 0
    paid = plan.target if plan.status == "paid" else 0
    assert plan.status in {"paid", "short", "withdrawn"}
    assert _balance(wallet.account) == funded - paid - fee
    assert _balance(fees) - fees_before >= fee
    if plan.status == "paid":
        intent = payments.get_intent(plan.rent_intent)
        assert intent.status == "succeeded" and intent.amount == plan.target
    books_balance()
