"""Recovery's use cases against real PostgreSQL: cases follow the arrears, the ladder walks
once per case and step, payments close cases and withdraw queued reminders, promises and
plans pause the ladder, collectors' writes are idempotent, cash hand-overs reconcile with
the ledger. The calendar is 10 March 2026; the lease started 1 January (dues on the 5th)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.core.errors import IdempotencyConflict, NotFound
from apps.core.models import OutboxEvent
from apps.estate import api as estate
from apps.ledger import api as ledger
from apps.notifications.models import Message
from apps.payments import api as payments
from apps.recovery import services
from apps.recovery.contracts import CaseStatus, PlanStatus, PromiseStatus, StepAction
from apps.recovery.errors import (
    HandoverMismatch,
    PlanDoesNotSumToDebt,
    PromiseAmountInvalid,
    PromiseInPast,
)
from apps.recovery.models import Case, CaseEvent, CashCollection, Ladder, LadderStep, StepRun
from apps.recovery.services.ladder import _next_step
from tests.identity.conftest import SmsInbox
from tests.identity.factories import MembershipFactory

TODAY = date(2026, 3, 10)


@pytest.fixture
def sms():
    from apps.identity import api as identity

    inbox = SmsInbox()
    identity.set_otp_sender(inbox)
    yield inbox
    identity.set_otp_sender(None)


def _run(day=TODAY, hour=11):
    return services.ladder_run(today=day, now=datetime.combine(day, time(hour, 0)).astimezone())


# --- arrears and cases ------------------------------------------------------------------------------


def test_a_case_opens_for_past_due_rent_with_the_ledgers_amount(case, lease, agency):
    # January (64 days), February (33) and March (5) are past due, 80 000 each.
    rows = list(estate.arrears(today=TODAY, leases=[lease.public_id]))
    assert len(rows) == 1
    row = rows[0]
    assert row.overdue == case.amount_owed == case.amount_at_open
    assert (row.d1_30, row.d31_60, row.d61_90, row.d90_plus) == (80_000, 80_000, 80_000, 0)
    assert case.oldest_due_date == date(2026, 1, 5)
    assert case.status == CaseStatus.OPEN and case.ladder is not None
    receivable = ledger.balance(
        account=ledger.organization_account(organization=agency.public_id, code="rent_receivable").public_id
    ).posted
    assert receivable == row.outstanding  # aging agrees with the ledger
    assert OutboxEvent.objects.filter(name="recovery.CaseOpened").count() == 1
    # a second sync opens nothing
    assert services.cases_sync(today=TODAY).opened == 0


def test_aging_groups_by_dimension(case, agency, manager):
    report = services.aging(actor=manager, organization_id=agency.pk, by="property")
    total = report.totals["XOF"]
    assert total.overdue == case.amount_owed
    assert [r.label for r in report.rows] == ["Résidence Fidjrossè"]
    with pytest.raises(NotFound):
        services.aging(actor=manager, organization_id=agency.pk + 10_000, by="property")


# --- the ladder ------------------------------------------------------------------------------------------


def test_ladder_walks_one_step_a_day_and_a_second_run_sends_nothing(case):
    first = _run()
    assert first.steps == 1 and first.messages == 1
    assert StepRun.objects.get(case=case).step.action == StepAction.SMS
    again = _run()
    assert again.steps == 0 and again.messages == 0
    assert Message.objects.filter(idempotency_key__startswith=f"recovery:case:{case.public_id}:").count() == 1
    nxt = _run(TODAY + timedelta(days=1))
    assert nxt.steps == 1
    case.refresh_from_db()
    assert case.last_step.day_offset == 10


def test_no_step_in_quiet_hours_or_on_a_holiday(case, ladder):
    assert _run(hour=22).skipped_quiet == 1
    from apps.recovery.models import Holiday

    Holiday.objects.create(country=ladder.country, date=TODAY, name="Jour férié")
    assert _run().skipped_day_off == 1
    assert StepRun.objects.count() == 0


def test_a_payment_closes_the_case_and_withdraws_queued_reminders(case, manager, lease, pay):
    _run()  # the reminder is queued (delivery happens after commit, which this test holds back)
    queued = Message.objects.get(idempotency_key__startswith=f"recovery:case:{case.public_id}:")
    assert queued.status == "queued"
    pay(lease, case.amount_owed)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.outcome == "paid"
    assert case.recovered == case.amount_at_open
    queued.refresh_from_db()
    assert queued.status == "suppressed" and queued.failure_reason.startswith("canceled")
    assert OutboxEvent.objects.filter(name="recovery.CaseClosed").count() == 1
    assert _run(TODAY + timedelta(days=1)).steps == 0


def test_a_partial_payment_keeps_the_case_open(case, manager, lease, pay):
    pay(lease, 50_000)
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN and case.recovered == 50_000
    assert case.amount_owed == case.amount_at_open - 50_000
    # the same payment event delivered twice moves nothing twice
    payment = CaseEvent.objects.get(case=case, kind="payment")
    services.payment_applied(
        payment_id=payment.data["payment"],
        lease_id=str(lease.public_id),
        amount=50_000,
        method="x",
        received_on="",
    )
    case.refresh_from_db()
    assert case.recovered == 50_000


# --- promises -----------------------------------------------------------------------------------------------


def test_promise_in_the_past_or_over_the_debt_is_refused(case, manager):
    with pytest.raises(PromiseInPast):
        services.promise_create(
            actor=manager, case=case, amount=10_000, promised_on=TODAY - timedelta(days=1)
        )
    with pytest.raises(PromiseAmountInvalid):
        services.promise_create(actor=manager, case=case, amount=case.amount_owed + 1, promised_on=TODAY)


def test_a_promise_pauses_the_ladder_and_a_broken_one_escalates(case, manager):
    services.promise_create(actor=manager, case=case, amount=80_000, promised_on=TODAY + timedelta(days=3))
    assert _run().steps == 0  # paused
    result = services.commitments_check(today=TODAY + timedelta(days=4))
    assert result["promises_broken"] == 1
    case.refresh_from_db()
    assert case.broken_promises == 1 and case.status == CaseStatus.OPEN and case.escalate
    assert case.promises.get().status == PromiseStatus.BROKEN
    assert OutboxEvent.objects.filter(name="recovery.PromiseBroken").count() == 1
    assert _run(TODAY + timedelta(days=4)).steps == 1


def test_a_kept_promise_resumes_the_ladder(case, manager, lease, pay):
    services.promise_create(actor=manager, case=case, amount=80_000, promised_on=TODAY + timedelta(days=3))
    pay(lease, 80_000)
    case.refresh_from_db()
    assert case.promises.get().status == PromiseStatus.KEPT
    assert case.status == CaseStatus.OPEN and case.paused_until is None


# --- plans ---------------------------------------------------------------------------------------------------


def test_a_plan_must_add_up_to_the_debt(case, manager):
    with pytest.raises(PlanDoesNotSumToDebt):
        services.plan_propose(
            actor=manager,
            case=case,
            installments=[(TODAY + timedelta(days=5), 10_000), (TODAY + timedelta(days=35), 10_000)],
        )


def test_plan_accepted_by_otp_then_a_missed_installment_resumes_the_ladder(
    case, manager, lease, sms, django_capture_on_commit_callbacks
):
    _run()  # step 1 done
    third = case.amount_owed // 3  # 80 000: within the tenant's KYC limit per payment
    plan = services.plan_propose(
        actor=None,
        case=case,
        channel="portal",
        installments=[
            (TODAY + timedelta(days=5), third),
            (TODAY + timedelta(days=35), third),
            (TODAY + timedelta(days=65), case.amount_owed - 2 * third),
        ],
    )
    challenge = services.plan_accept_start(plan=plan)
    services.plan_accept_verify(
        plan=plan, challenge_id=challenge.challenge_id, code=sms.last_code(lease_tenant_phone(case))
    )
    case.refresh_from_db()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE and case.status == CaseStatus.PLAN
    assert _run(TODAY + timedelta(days=1)).steps == 0  # paused by the plan
    link = services.installment_pay_link(installment=plan.installments.first())
    assert link.amount == third and "/pay/" in link.pay_url
    services.commitments_check(today=TODAY + timedelta(days=6))
    plan.refresh_from_db()
    case.refresh_from_db()
    assert plan.status == PlanStatus.BROKEN and case.status == CaseStatus.OPEN
    run = _run(TODAY + timedelta(days=6))
    assert run.steps == 1
    case.refresh_from_db()
    assert case.last_step.day_offset == 10  # resumed where it stopped, not from the start


def lease_tenant_phone(case):
    return case.tenant.phone


# --- collectors ------------------------------------------------------------------------------------------------


def test_cash_retried_with_the_same_key_is_counted_once(case, collector, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.cash_collect(actor=collector, case=case, amount=30_000, idempotency_key="app-1")
        again = services.cash_collect(actor=collector, case=case, amount=30_000, idempotency_key="app-1")
    assert first.pk == again.pk
    assert CashCollection.objects.count() == 1
    assert payments.agent_cash_balance(agent=collector.public_id) == 30_000
    with pytest.raises(IdempotencyConflict):
        services.cash_collect(actor=collector, case=case, amount=31_000, idempotency_key="app-1")
    case.refresh_from_db()
    assert case.recovered == 30_000
    assert first.receipt_number


def test_a_collector_works_only_assigned_cases(case, agency, lease):
    other = MembershipFactory(organization=agency, role="collector").user
    with pytest.raises(NotFound):
        services.visit_record(
            actor=other, case=case, outcome="absent", latitude="6.37", longitude="2.39", idempotency_key="v1"
        )
    assert services.worklist(actor=other) == []


def test_visit_is_recorded_with_gps_once(case, collector):
    v1 = services.visit_record(
        actor=collector,
        case=case,
        outcome="absent",
        latitude="6.370000",
        longitude="2.390000",
        idempotency_key="v1",
    )
    v2 = services.visit_record(
        actor=collector,
        case=case,
        outcome="absent",
        latitude="6.370000",
        longitude="2.390000",
        idempotency_key="v1",
    )
    assert v1.pk == v2.pk
    items = services.worklist(actor=collector, latitude="6.37", longitude="2.39")
    assert [i.case.pk for i in items] == [case.pk]


def test_handover_reconciles_with_the_ledger(
    case, collector, manager, agency, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.cash_collect(actor=collector, case=case, amount=40_000, idempotency_key="c1")
    preview = services.handover_preview(
        actor=manager, organization_id=agency.pk, collector=collector.public_id
    )
    assert preview["collected"] == preview["ledger_balance"] == 40_000
    with pytest.raises(HandoverMismatch):
        services.handover_create(
            actor=manager,
            organization_id=agency.pk,
            collector=collector.public_id,
            declared=50_000,
            idempotency_key="h0",
        )
    handover = services.handover_create(
        actor=manager,
        organization_id=agency.pk,
        collector=collector.public_id,
        declared=35_000,
        idempotency_key="h1",
    )
    assert handover.status == "short" and handover.difference == 5_000
    assert payments.agent_cash_balance(agent=collector.public_id) == 5_000
    again = services.handover_create(
        actor=manager,
        organization_id=agency.pk,
        collector=collector.public_id,
        declared=35_000,
        idempotency_key="h1",
    )
    assert again.pk == handover.pk
    assert payments.agent_cash_balance(agent=collector.public_id) == 5_000


# --- notices and closing ---------------------------------------------------------------------------------------


def test_formal_notice_is_numbered_and_sent(case):
    n1 = services.formal_notice_issue(case=case, today=TODAY)
    n2 = services.formal_notice_issue(case=case, today=TODAY)
    assert (n1.number, n2.number) == ("MED-2026-0001", "MED-2026-0002")
    assert n1.pay_by == TODAY + timedelta(days=8) and n1.amount == case.amount_owed
    assert sum(d["outstanding"] for d in n1.dues) == case.amount_owed
    assert Message.objects.filter(template_key="recovery.formal_notice").exists()


def test_write_off_closes_the_case_and_clears_the_dues(
    case, manager, lease, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.case_close(actor=manager, case=case, outcome="written_off", reason="Locataire insolvable")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.outcome == "written_off"
    assert not [r for r in estate.arrears(today=TODAY, leases=[lease.public_id]) if r.overdue]


def test_another_organizations_manager_cannot_act(case, other_manager):
    with pytest.raises(NotFound):
        services.case_note(actor=other_manager, case=case, text="hello")
    with pytest.raises(NotFound):
        services.promise_create(actor=other_manager, case=case, amount=1000, promised_on=TODAY)


def test_dashboard_counts_recovery_by_step(case, manager, lease, agency, pay):
    _run()
    pay(lease, 50_000)
    data = services.dashboard(actor=manager, organization_id=agency.pk, today=TODAY)
    assert data["recovered_month"] == 50_000
    first = next(r for r in data["by_step"] if r["cases"])
    assert first["recovered"] == 50_000 and first["rate_bps"] > 0
    assert data["live_cases"] == 1


# --- the ladder's order, as a property --------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(
    offsets=st.lists(st.integers(min_value=1, max_value=90), min_size=1, max_size=8, unique=True),
    days=st.integers(min_value=0, max_value=120),
    done_mask=st.lists(st.booleans(), min_size=8, max_size=8),
    escalate=st.booleans(),
)
def test_next_step_is_the_first_undone_step_in_order(offsets, days, done_mask, escalate):
    steps = [LadderStep(pk=i + 1, day_offset=o, action="sms") for i, o in enumerate(sorted(offsets))]
    done = {s.pk for s, d in zip(steps, done_mask, strict=False) if d}
    last = max(done) if done else None
    case = Case(amount_owed=1000, escalate=escalate, last_step_id=last)
    step = _next_step(case, steps, done, days)
    after = [s for s in steps if s.pk not in done and (last is None or s.pk > last)]
    if not after:
        assert step is None
    elif escalate or after[0].day_offset <= days:
        assert step is after[0]
    else:
        assert step is None
    assert step is None or step.pk not in done


def test_ladder_save_validates_steps(agency, manager):
    bad = [services.StepInput(day_offset=-5, action="visit")]
    from apps.recovery.errors import LadderInvalid

    with pytest.raises(LadderInvalid):
        services.ladder_save(actor=manager, organization_id=agency.pk, steps=bad)
    ladder = services.ladder_save(
        actor=manager,
        organization_id=agency.pk,
        steps=[
            services.StepInput(day_offset=5, action="sms"),
            services.StepInput(day_offset=30, action="formal_notice"),
        ],
    )
    assert Ladder.objects.filter(organization=agency, is_active=True).count() == 1
    assert list(ladder.steps.filter(is_active=True).values_list("day_offset", flat=True)) == [5, 30]


def test_a_departed_tenants_debt_stays_a_case(case, manager, lease, estate_end_lease):
    estate_end_lease(manager, lease, date(2026, 3, 31))
    result = services.cases_sync(today=TODAY + timedelta(days=30))
    case.refresh_from_db()
    assert result.closed == 0
    assert case.status == CaseStatus.OPEN and case.departed
    assert case.amount_owed == 240_000  # January to March stay owed after the move-out


def test_a_paid_due_is_not_claimed(estate_paid_due):
    """estate's world: the oldest of the lease's dues is paid, the later ones are past due;
    the case claims the later ones only."""
    from tests.fixtures.estate import first_of_month, open_dues

    world = estate_paid_due
    services.cases_sync()
    case = Case.objects.get(lease=world.lease.public_id)
    today = date.today()
    past_due = [d for d in open_dues(world.lease) if d.due_date < today and d.outstanding > 0]
    assert world.paid_due.due_date == first_of_month(today, 2)
    assert case.oldest_due_date == first_of_month(today, 1) > world.paid_due.due_date
    assert case.amount_owed == sum(d.outstanding for d in past_due) > 0
