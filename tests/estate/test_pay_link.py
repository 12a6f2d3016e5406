"""The tenant's pay link (/pay/rent/<token>, issue 15): the whole balance, a part (from the
agency's floor) or the next month ahead, through payments' sandbox; refusals are pages with
what to do next, never a 404; a settled due links its receipt. The balance always equals the
ledger's rent receivable."""

from datetime import date

import pytest
from django.db import transaction
from django.db.models import F, Sum
from django.test import TestCase
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.estate import services
from apps.estate.models import CreditMovement, Lease, PaymentAllocation, RentDue, RentPayment
from apps.estate.services import collections
from apps.ledger import api as ledger
from apps.payments import api as payments
from apps.payments.models import PaymentIntent

from .conftest import make_lease

pytestmark = pytest.mark.django_db


@pytest.fixture
def sandbox(settings):
    settings.PAYMENT_PROVIDERS = ["sandbox"]
    settings.PAYMENT_ROUTES = ""
    return settings


def receivable(org) -> int:
    account = ledger.organization_account(organization=org.public_id, code="rent_receivable")
    return ledger.balance(account=account.public_id).posted


def check_ledger(lease):
    """The lease's balance (open dues − credit) is the ledger's rent receivable."""
    lease.refresh_from_db()
    owed = (
        RentDue.objects.filter(lease=lease)
        .exclude(status="written_off")
        .aggregate(left=Sum(F("total") - F("paid")))["left"]
        or 0
    )
    assert receivable(lease.organization) == owed - lease.credit


def pay_through_sandbox(client, pay_url: str):
    """payments' pay page → the sandbox provider → approve (its webhook applies the money)."""
    token = pay_url.rstrip("/").rsplit("/", 1)[-1]
    start = client.post(f"/pay/{token}/start", {"method": "mobile_money"})
    assert start.status_code == 302 and "/pay/sandbox/" in start["Location"], start
    with TestCase.captureOnCommitCallbacks(execute=True):
        approved = client.post(start["Location"], {"decision": "approve", "next": f"/pay/{token}/callback"})
    assert approved.status_code == 302


@pytest.fixture
def small_lease(clock, manager, unit, tenant):
    """40 000 a month from 1 January: January, February and March are owed (120 000)."""
    return make_lease(manager, unit, tenant, rent=40_000, charges=0, deposit_months=0)


def first_due(lease) -> RentDue:
    return RentDue.objects.filter(lease=lease).order_by("period").first()


def test_the_link_offers_balance_part_and_ahead_in_french(client, small_lease):
    due = first_due(small_lease)
    page = client.get(f"/pay/rent/{due.pay_token}")
    assert page.status_code == 200
    text = page.content.decode()
    assert "120\u202f000\u00a0FCFA" in text  # the whole balance
    assert "Payer le solde" in text or "Tout le solde" in text
    assert "Une partie" in text and "4\u202f000\u00a0FCFA" in text  # the floor: 10 % of the rent
    assert "avril 2026" in text  # the next month, ahead
    assert not PaymentIntent.objects.exists()  # reading the page creates nothing


def test_part_payment_through_the_sandbox_goes_to_the_oldest_due(client, sandbox, small_lease):
    due = RentDue.objects.get(lease=small_lease, period=date(2026, 3, 1))  # March's own link
    answer = client.post(f"/pay/rent/{due.pay_token}", {"choice": "part", "amount": "50000"})
    assert answer.status_code == 302 and answer["Location"].startswith(("/pay/", "http"))
    pay_through_sandbox(client, answer["Location"])
    dues = {d.period.month: d for d in RentDue.objects.filter(lease=small_lease)}
    assert (dues[1].paid, dues[1].status) == (40_000, "paid")  # January first
    assert dues[2].paid == 10_000 and dues[2].status == "overdue"  # partly paid, still late
    assert dues[3].paid == 0
    assert dues[1].quittance.voided_at is None
    small_lease.refresh_from_db()
    assert small_lease.credit == 0
    check_ledger(small_lease)


def test_pay_ahead_pays_the_balance_then_next_month_as_credit(client, sandbox, clock, manager, unit, tenant):
    lease = make_lease(
        manager, unit, tenant, rent=40_000, charges=0, deposit_months=0, start_date=date(2026, 3, 1)
    )
    due = first_due(lease)
    answer = client.post(f"/pay/rent/{due.pay_token}", {"choice": "ahead"})
    assert answer.status_code == 302
    intent = PaymentIntent.objects.get()
    assert intent.amount == 80_000  # March owed + April ahead
    pay_through_sandbox(client, answer["Location"])
    due.refresh_from_db()
    lease.refresh_from_db()
    assert due.status == "paid" and lease.credit == 40_000
    assert CreditMovement.objects.get(lease=lease).amount == 40_000
    check_ledger(lease)
    services.month_end_run(period=date(2026, 4, 1))  # April's due takes the credit
    april = RentDue.objects.get(lease=lease, period=date(2026, 4, 1))
    lease.refresh_from_db()
    assert (april.status, april.paid, lease.credit) == ("paid", 40_000, 0)
    check_ledger(lease)
    # nothing left to pay: the page says so, links both receipts, offers May ahead
    page = client.get(f"/pay/rent/{due.pay_token}")
    text = page.content.decode()
    assert page.status_code == 200 and "déjà payé" in text
    assert text.count('data-testid="receipt-link"') == 2 and "mai 2026" in text


@pytest.mark.parametrize(
    ("amount", "message"),
    [("3999", "Un acompte est d’au moins 4\u202f000\u00a0FCFA"), ("120001", "plus que ce qui est dû")],
)
def test_part_below_the_floor_or_above_the_balance_is_refused_and_writes_nothing(
    client, sandbox, small_lease, amount, message
):
    due = first_due(small_lease)
    answer = client.post(f"/pay/rent/{due.pay_token}", {"choice": "part", "amount": amount})
    assert answer.status_code == 400
    text = answer.content.decode()
    assert 'data-testid="amount-error"' in text and message in text
    assert not PaymentIntent.objects.exists() and not RentPayment.objects.exists()


def test_the_agency_floor_and_the_whole_balance_below_it(client, sandbox, small_lease):
    Lease.objects.filter(pk=small_lease.pk).update(min_part_payment=30_000)
    due = first_due(small_lease)
    refused = client.post(f"/pay/rent/{due.pay_token}", {"choice": "part", "amount": "20000"})
    assert refused.status_code == 400 and "30\u202f000" in refused.content.decode()
    assert not PaymentIntent.objects.exists()
    assert client.post(f"/pay/rent/{due.pay_token}", {"choice": "part", "amount": "30000"}).status_code == 302
    # a part equal to the whole balance is allowed even below the floor
    small = make_lease_owing(small_lease, left=10_000)
    assert (
        client.post(f"/pay/rent/{small.pay_token}", {"choice": "part", "amount": "10000"}).status_code == 302
    )


def make_lease_owing(lease, *, left: int) -> RentDue:
    """Settle the lease down to `left` owed on its last due (a bank transfer)."""
    owed = sum(d.outstanding for d in RentDue.objects.filter(lease=lease))
    manager = lease.organization.memberships.get(role="manager").user
    services.payment_record(actor=manager, lease=lease, amount=owed - left, method="bank_transfer")
    return RentDue.objects.filter(lease=lease).order_by("-period").first()


def test_a_part_without_an_amount_is_a_form_error(client, small_lease):
    due = first_due(small_lease)
    answer = client.post(f"/pay/rent/{due.pay_token}", {"choice": "part"})
    assert answer.status_code == 400 and 'data-testid="amount-error"' in answer.content.decode()


def test_paid_due_says_so_in_french_and_links_its_receipt(client, manager, small_lease):
    due = first_due(small_lease)
    services.payment_record(actor=manager, lease=small_lease, amount=120_000, method="bank_transfer")
    due.refresh_from_db()
    page = client.get(f"/pay/rent/{due.pay_token}")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Ce loyer est déjà payé." in text and "Rien à payer" in text
    assert f"/r/q/{due.quittance.code}" in text and 'data-testid="due-receipt"' in text
    assert "Vos quittances" in text
    english = client.get(f"/pay/rent/{due.pay_token}", HTTP_ACCEPT_LANGUAGE="en")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get(f"/pay/rent/{due.pay_token}")
    assert "This rent is already paid." in english.content.decode()


def test_written_off_due_says_it_was_cancelled_not_404(client, manager, small_lease):
    due = first_due(small_lease)
    services.due_write_off(actor=manager, due=due, reason="geste commercial")
    page = client.get(f"/pay/rent/{due.pay_token}")
    assert page.status_code == 200
    text = page.content.decode()
    assert "annulé" in text and 'data-due-status="written_off"' in text
    assert "80\u202f000\u00a0FCFA" in text  # February and March are still owed, payable here


def test_a_refusal_from_payments_is_a_page_not_a_404(client, sandbox, small_lease):
    """payments refuses the intent (here: the agency can no longer receive payments)."""
    small_lease.organization.is_active = False
    small_lease.organization.save(update_fields=["is_active"])
    due = first_due(small_lease)
    answer = client.post(f"/pay/rent/{due.pay_token}", {"choice": "balance"})
    assert answer.status_code not in (404, 500) and answer.status_code >= 400
    text = answer.content.decode()
    assert 'data-testid="pay-refused"' in text and "Que faire" in text
    assert small_lease.organization.name in text
    assert not PaymentIntent.objects.exists()


def test_unknown_token_stays_404(client, db):
    answer = client.get("/pay/rent/not-a-token")
    assert answer.status_code == 404 and "Lien inconnu" in answer.content.decode()


# --- property: part payments and advances keep the balance on the ledger ----------------------

steps = st.lists(
    st.one_of(
        st.tuples(st.just("part"), st.integers(min_value=1, max_value=130_000)),
        st.tuples(st.just("ahead"), st.just(0)),
        st.tuples(st.just("balance"), st.just(0)),
    ),
    min_size=1,
    max_size=5,
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=steps)
def test_any_parts_and_advances_keep_the_balance_equal_to_the_ledger(small_lease, manager, steps):
    with transaction.atomic():
        sid = transaction.savepoint()
        due = first_due(small_lease)
        for choice, amount in steps:
            before = RentPayment.objects.count()
            try:
                info = collections.pay_link_intent(due=due, choice=choice, amount=amount or None)
            except (collections.InvalidInput, collections.NothingDue, collections.NegativeAmount):
                assert RentPayment.objects.count() == before  # a refusal writes nothing
                continue
            paid = payments.record_cash(actor=manager, intent=info.public_id)  # payments' own flow
            collections.payment_from_intent(
                intent_id=str(paid.public_id),
                amount=paid.amount,
                fee=paid.fee_amount,
                currency=paid.currency,
                purpose_type=paid.purpose.type,
                purpose_id=paid.purpose.id,
                method="cash",
                metadata=paid.metadata,
            )
            check_ledger(small_lease)
            # oldest first: no due is paid while an older one is still open
            open_periods = [
                d.period
                for d in RentDue.objects.filter(
                    lease=small_lease, status__in=["due", "overdue", "partially_paid", "upcoming"]
                )
            ]
            paid_periods = [
                a.due.period for a in PaymentAllocation.objects.filter(due__lease=small_lease, amount__gt=0)
            ]
            if open_periods and paid_periods:
                assert max(paid_periods) <= max(open_periods) or min(open_periods) > max(paid_periods)
            small_lease.refresh_from_db()
            if small_lease.credit:
                assert not open_periods  # credit only once every open due is paid
        transaction.savepoint_rollback(sid)


def test_nothing_to_pay_links_the_receipt_pdf_and_the_tenant_space(client, manager, small_lease):
    """Paid: the receipt (its verification page and its PDF in the tenant space) and the
    tenant space are one tap away — no dead end."""
    due = first_due(small_lease)
    services.payment_record(actor=manager, lease=small_lease, amount=120_000, method="bank_transfer")
    due.refresh_from_db()
    text = client.get(f"/pay/rent/{due.pay_token}").content.decode()
    assert f'href="/pay/me/receipts/{due.quittance.public_id}.pdf"' in text
    assert 'data-testid="tenant-space-link"' in text and 'href="/pay/"' in text
    assert "Mon espace locataire" in text
    # the PDF link asks the tenant to log in, then comes back to it
    pdf = client.get(f"/pay/me/receipts/{due.quittance.public_id}.pdf")
    assert pdf.status_code == 302 and pdf["Location"].startswith("/pay/me/login?next=")


def test_a_written_off_due_links_the_last_receipt_and_the_tenant_space(client, manager, small_lease):
    january, february = RentDue.objects.filter(lease=small_lease).order_by("period")[:2]
    services.payment_record(actor=manager, lease=small_lease, amount=40_000, method="bank_transfer")
    services.due_write_off(actor=manager, due=february, reason="geste commercial")
    january.refresh_from_db()
    text = client.get(f"/pay/rent/{february.pay_token}").content.decode()
    assert "annulé" in text and 'data-testid="last-receipt"' in text
    assert f"/r/q/{january.quittance.code}" in text and "janvier 2026" in text
    assert f"/pay/me/receipts/{january.quittance.public_id}.pdf" in text
    assert 'data-testid="tenant-space-link"' in text
