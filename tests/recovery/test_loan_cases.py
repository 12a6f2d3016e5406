"""Loan cases (a loan debt lending hands over through recovery.api): opened once per loan,
left alone by the daily sync of rent cases, kept up to date and closed by lending only; the
ladder's reminders carry lending's repayment link; lease-only actions refuse them with a
translated error; the pages show the kind, the loan number and what is owed; another
organization never sees them. The calendar is 10 March 2026 (tests/recovery/conftest.py)."""

from __future__ import annotations

import html
import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from apps.core.money import Money
from apps.recovery import api as recovery
from apps.recovery import services
from apps.recovery.contracts import LoanCaseRequest
from apps.recovery.errors import InvalidInput, LeaseOnly
from apps.recovery.models import Case, StepRun
from tests.identity.factories import UserFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 10)


def request_for(org, borrower=None, *, loan=None, outstanding=45_000) -> LoanCaseRequest:
    borrower = borrower or UserFactory(full_name="Awa Emprunteuse")
    loan = loan or uuid.uuid4()
    return LoanCaseRequest(
        organization=org.public_id,
        loan=loan,
        loan_reference="PRT-2026-000042",
        borrower=borrower.public_id,
        borrower_name=borrower.full_name,
        borrower_phone=str(borrower.phone),
        outstanding=outstanding,
        currency="XOF",
        oldest_due_date=TODAY - timedelta(days=65),
        pay_url=f"https://hokwe.test/lending/loans/{loan}/pay-link",
    )


@pytest.fixture
def loan_case(clock, agency, ladder):
    info = recovery.open_loan_case(request_for(agency), today=TODAY)
    return Case.objects.get(public_id=info.public_id)


def text(response) -> str:
    return html.unescape(response.content.decode()).replace("\u00a0", " ").replace("\u202f", " ")


def test_opening_is_idempotent_per_loan(clock, agency, ladder):
    req = request_for(agency)
    first = recovery.open_loan_case(req, today=TODAY)
    again = recovery.open_loan_case(req, today=TODAY)
    assert first.public_id == again.public_id and first.kind == "loan" and first.lease is None
    assert first.loan == req.loan and first.loan_reference == "PRT-2026-000042"
    assert Case.objects.filter(loan=req.loan).count() == 1
    case = Case.objects.get(loan=req.loan)
    assert case.amount_owed == case.amount_at_open == 45_000 and case.ladder == ladder
    # the database holds it too: a second open case for the loan is refused
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.create(
            organization=agency, kind="loan", loan=req.loan, currency="XOF", amount_at_open=1,
            amount_owed=1, token="t" * 20, opened_on=TODAY,
        )  # fmt: skip
    # and a loan case without a loan, or with a lease, is refused
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.create(
            organization=agency, kind="loan", currency="XOF", amount_at_open=1, amount_owed=1,
            token="u" * 20, opened_on=TODAY,
        )  # fmt: skip


def test_bad_requests_are_refused(clock, agency):
    with pytest.raises(InvalidInput):
        recovery.open_loan_case(request_for(agency, outstanding=0))
    with pytest.raises(InvalidInput):
        recovery.update_loan_case(loan=uuid.uuid4(), outstanding=5)  # not Money
    with pytest.raises(InvalidInput):
        recovery.close_loan_case(loan=uuid.uuid4(), reason="settled")
    assert recovery.close_loan_case(loan=uuid.uuid4(), reason="paid") is None  # no case: nothing


def test_the_daily_sync_leaves_loan_cases_alone(loan_case, case):
    result = services.cases_sync(today=TODAY)
    loan_case.refresh_from_db()
    assert loan_case.status == "open" and loan_case.amount_owed == 45_000
    assert result.closed == 0
    services.daily_run(today=TODAY, now=datetime(2026, 3, 10, 10, tzinfo=ZoneInfo("Africa/Porto-Novo")))
    loan_case.refresh_from_db()
    assert loan_case.status == "open"


def test_update_records_the_payment_once_and_closes_when_paid(loan_case):
    info = recovery.update_loan_case(
        loan=loan_case.loan, outstanding=Money(30_000, "XOF"), paid=15_000, payment="lending.Repayment:1"
    )
    assert info.amount_owed == 30_000 and info.recovered == 15_000 and info.status == "open"
    again = recovery.update_loan_case(
        loan=loan_case.loan, outstanding=Money(30_000, "XOF"), paid=15_000, payment="lending.Repayment:1"
    )
    assert again.recovered == 15_000
    with pytest.raises(InvalidInput):
        recovery.update_loan_case(loan=loan_case.loan, outstanding=Money(30_000, "EUR"))
    closed = recovery.update_loan_case(
        loan=loan_case.loan, outstanding=Money(0, "XOF"), paid=30_000, payment="lending.Repayment:2"
    )
    assert closed.status == "closed" and closed.outcome == "paid" and closed.recovered == 45_000
    # the loan falls behind again later: a new case, the closed one stays as history
    reopened = recovery.open_loan_case(request_for(loan_case.organization, loan=loan_case.loan), today=TODAY)
    assert reopened.public_id != loan_case.public_id


@pytest.mark.parametrize(("reason", "owed"), [("written_off", 0), ("restructured", 45_000)])
def test_lending_closes_a_loan_case(loan_case, reason, owed):
    info = recovery.close_loan_case(loan=loan_case.loan, reason=reason, note="credit committee")
    assert info.status == "closed" and info.outcome == reason and info.amount_owed == owed
    assert recovery.close_loan_case(loan=loan_case.loan, reason=reason) is None


def test_lease_only_actions_refuse_a_loan_case(loan_case, manager):
    with pytest.raises(LeaseOnly) as refused:
        services.formal_notice_issue(actor=manager, case=loan_case)
    assert refused.value.code == "recovery_lease_only" and refused.value.status == 409
    with pytest.raises(LeaseOnly):
        services.debt_pay_link(case=loan_case, actor=manager)
    with pytest.raises(LeaseOnly):
        services.plan_propose(
            actor=manager,
            case=loan_case,
            installments=[(TODAY + timedelta(days=5), 20_000), (TODAY + timedelta(days=35), 25_000)],
        )
    with pytest.raises(LeaseOnly):
        services.cash_collect(actor=manager, case=loan_case, amount=1_000, idempotency_key="k")
    with pytest.raises(LeaseOnly):
        services.case_close(actor=manager, case=loan_case, outcome="written_off")
    # case-generic work goes on: a note, a promise, settling
    services.case_note(actor=manager, case=loan_case, text="Appelé, promet vendredi")
    services.promise_create(
        actor=manager, case=loan_case, amount=10_000, promised_on=TODAY + timedelta(days=3)
    )
    services.case_close(actor=manager, case=loan_case, outcome="settled")


def test_the_rest_refusal_is_a_problem_not_a_500(loan_case, manager, client):
    client.force_login(manager)
    url = reverse("recovery-case-notices", kwargs={"version": "v1", "case_id": loan_case.public_id})
    response = client.post(url, {"pay_within_days": 8}, content_type="application/json")
    assert response.status_code == 409 and response.json()["code"] == "recovery_lease_only"


def test_the_ladder_reminds_with_the_loan_template_and_passes_lease_steps(loan_case):
    from apps.notifications.models import Message

    now = datetime(2026, 3, 10, 10, tzinfo=ZoneInfo("Africa/Porto-Novo"))
    services.ladder_run(today=TODAY, now=now)
    sent = Message.objects.filter(idempotency_key__startswith=f"recovery:case:{loan_case.public_id}:")
    assert sent.exists()
    assert all(m.template_key == "recovery.loan_reminder" for m in sent)
    for day in range(1, 40):  # one step a day: the formal notice is passed over, never issued
        services.ladder_run(today=TODAY + timedelta(days=day), now=now + timedelta(days=day))
    assert not loan_case.notices.exists()
    assert StepRun.objects.filter(case=loan_case, step__action="formal_notice", status="skipped").exists()


def test_pages_show_the_loan_case(loan_case, case, manager, client):
    client.force_login(manager)
    detail = client.get(reverse("manager:recovery-case", args=[loan_case.public_id]))
    body = text(detail)
    assert detail.status_code == 200
    assert "PRT-2026-000042" in body and "45 000 FCFA" in body and "pay-link" in body
    assert "Proposer un échéancier" not in body
    listing = text(client.get(reverse("manager:recovery-cases") + "?kind=loan"))
    assert "PRT-2026-000042" in listing and "Brice Zinsou" not in listing
    rents = text(client.get(reverse("manager:recovery-cases") + "?kind=rent"))
    assert "PRT-2026-000042" not in rents and "Brice Zinsou" in rents
    portal = client.get(reverse("recovery:portal", args=[loan_case.token]))
    assert portal.status_code == 200 and "pay-link" in text(portal)
    api = client.get(reverse("recovery-cases", kwargs={"version": "v1"}) + "?kind=loan")
    assert api.status_code == 200
    rows = api.json()["results"]
    assert [r["loan_reference"] for r in rows] == ["PRT-2026-000042"] and rows[0]["lease"] is None


def test_another_organization_never_sees_a_loan_case(loan_case, other_manager, client):
    client.force_login(other_manager)
    assert client.get(reverse("manager:recovery-case", args=[loan_case.public_id])).status_code == 404
    assert "PRT-2026-000042" not in text(client.get(reverse("manager:recovery-cases") + "?kind=loan"))
