"""The loans' admin: the book with its filters and the review queue, a loan's detail with its
instalments, the decide page (credit staff decide with a reason, audited; support cannot)."""

import pytest
from django.urls import reverse

from apps.core.models import AuditEntry
from apps.lending.contracts import LoanStatus
from apps.lending.services import applications
from tests.identity.test_admin_and_audit import admin_login, staff
from tests.lending.conftest import good_tenant

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_review(lending_world):
    newcomer, _lease, _m = good_tenant(months=1, city="Lokossa")
    loan = applications.apply(
        actor=newcomer, product=lending_world.emergency, amount=50_000, term=4, idempotency_key="adm"
    )
    assert loan.status == LoanStatus.REVIEW
    return loan


def test_the_review_queue_lists_the_application_and_finance_decides_it(in_review):
    officer, device = staff("finance")
    client, _ = admin_login(officer, device)
    queue = client.get(reverse("admin:lending_loan_changelist") + "?queue=review")
    assert queue.status_code == 200
    assert in_review.number in queue.content.decode()
    detail = client.get(reverse("admin:lending_loan_change", args=[in_review.pk]))
    assert detail.status_code == 200
    decide = reverse("admin:lending_loan_decide", args=[in_review.pk])
    page = client.get(decide)
    assert page.status_code == 200 and in_review.number in page.content.decode()
    response = client.post(decide, {"decision": "approve", "reason": "Garant connu de l'agence"})
    assert response.status_code == 302
    in_review.refresh_from_db()
    assert in_review.status == LoanStatus.APPROVED and in_review.decided_by_id == officer.pk
    assert AuditEntry.objects.filter(
        action="lending.loan.decided", reason="Garant connu de l'agence"
    ).exists()


def test_support_reads_the_book_but_cannot_decide(in_review):
    agent, device = staff("support")
    client, _ = admin_login(agent, device)
    assert client.get(reverse("admin:lending_loan_changelist")).status_code == 200
    decide = reverse("admin:lending_loan_decide", args=[in_review.pk])
    assert client.post(decide, {"decision": "approve", "reason": "x"}).status_code == 403
    in_review.refresh_from_db()
    assert in_review.status == LoanStatus.REVIEW


def test_a_disbursed_loan_shows_its_instalments(lending_world, lending_otp):
    from apps.lending.services import acceptance

    loan = applications.apply(
        actor=lending_world.tenant,
        product=lending_world.emergency,
        amount=50_000,
        term=4,
        idempotency_key="adm2",
    )
    loan = acceptance.accept(
        actor=lending_world.tenant, loan=loan, step_up_token=lending_otp(lending_world.tenant, loan)
    )
    officer, device = staff("compliance")
    client, _ = admin_login(officer, device)
    page = client.get(reverse("admin:lending_loan_change", args=[loan.pk])).content.decode()
    assert loan.number in page
    assert page.count('class="field-due_date"') == 4  # the four instalments, inline
