"""The manager lists' totals and filters: the rent roll's totals row (one aggregate query,
the sum of the filtered dues), receipts searched by number or tenant and filtered by month
and kind, payments searched and filtered by status; another organization's rows never
appear."""

import re
from datetime import date

import pytest
from django.db.models import Sum
from django.urls import reverse

from apps.core.money import format_amount
from apps.estate import selectors, services
from apps.estate.models import Quittance, RentDue
from apps.estate.services.dues import move_in_invoice
from apps.estate.web.views.dues import _due_totals
from tests.identity.factories import UserFactory

from .conftest import make_lease
from .factories import MandateFactory, PropertyFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, manager, clock):
    client.force_login(manager)
    return client


@pytest.fixture
def rent_roll(manager, lease, prop, other_manager, other_agency):
    """Our lease (Jan-Mar 2026 at 80 000, January paid, February partly), a second tenant's
    lease from March (its deposit and first month paid), and another agency's lease."""
    services.payment_record(actor=manager, lease=lease, amount=110_000, method="cash", reference="C1")
    tenant2 = UserFactory(full_name="Awa Sagbo")
    lease2 = make_lease(
        manager,
        UnitFactory(property=prop, label="C4"),
        tenant2,
        start_date=date(2026, 3, 1),
        rent=50_000,
        charges=0,
    )
    paid = sum(d.total for d in move_in_invoice(lease2))
    services.payment_record(actor=manager, lease=lease2, amount=paid, method="bank_transfer", reference="M1")
    theirs = PropertyFactory(mandate=MandateFactory(agency=other_agency), name="Villa Concurrente")
    # started in 2025: lease references are unique across organizations while each one numbers its own
    other = make_lease(
        other_manager,
        UnitFactory(property=theirs, label="Z9"),
        UserFactory(full_name="Zita Autre"),
        start_date=date(2025, 12, 1),
    )
    services.payment_record(actor=other_manager, lease=other, amount=240_000, method="cash", reference="Z1")
    return {"lease": lease, "lease2": lease2, "other": other}


def totals_in(body: str) -> dict[str, str]:
    return {
        name: re.search(rf'data-testid="total-{name}">([^<]+)<', body).group(1)
        for name in ("due", "paid", "left")
    }


def expected(dues) -> dict[str, str]:
    sums = dues.aggregate(t=Sum("total"), p=Sum("paid"))
    return {
        "due": format_amount(sums["t"], "XOF", "fr"),
        "paid": format_amount(sums["p"], "XOF", "fr"),
        "left": format_amount(sums["t"] - sums["p"], "XOF", "fr"),
    }


def test_the_rent_roll_totals_are_the_sum_of_the_filtered_dues(signed_in, manager, rent_roll):
    ours = RentDue.objects.filter(lease__in=[rent_roll["lease"], rent_roll["lease2"]])
    body = signed_in.get(reverse("manager:estate-dues")).content.decode()
    assert totals_in(body) == expected(ours)
    assert "Total (" in body and "échéances)" in body
    assert "Zita Autre" not in body and "Villa Concurrente" not in body

    body = signed_in.get(reverse("manager:estate-dues"), {"status": "overdue"}).content.decode()
    assert totals_in(body) == expected(ours.filter(status="overdue"))
    body = signed_in.get(reverse("manager:estate-dues"), {"q": "Awa"}).content.decode()
    assert totals_in(body) == expected(ours.filter(lease=rent_roll["lease2"]))
    # htmx's partial carries the totals too
    partial = signed_in.get(reverse("manager:estate-dues"), {"period": "2026-03"}, HTTP_HX_REQUEST="true")
    assert totals_in(partial.content.decode()) == expected(ours.filter(period=date(2026, 3, 1)))


def test_the_totals_are_one_aggregate_query_whatever_the_number_of_dues(
    signed_in, manager, rent_roll, django_assert_num_queries, django_assert_max_num_queries
):
    qs = selectors.dues_filtered(manager, selectors.DueFilter(q="a")).prefetch_related(
        "lease__lease_tenants__user"
    )
    with django_assert_num_queries(1):
        totals = _due_totals(qs)
    assert [t["currency"] for t in totals] == ["XOF"]
    with django_assert_max_num_queries(25):
        assert signed_in.get(reverse("manager:estate-dues")).status_code == 200


def test_no_due_no_totals_row(signed_in):
    body = signed_in.get(reverse("manager:estate-dues")).content.decode()
    assert 'data-testid="dues-total"' not in body


def test_receipts_are_searched_by_number_and_tenant_and_filtered_by_month_and_kind(signed_in, rent_roll):
    url = reverse("manager:estate-receipts")
    ours = Quittance.objects.filter(due__lease__in=[rent_roll["lease"], rent_roll["lease2"]])
    theirs = Quittance.objects.filter(due__lease=rent_roll["other"])
    assert ours.count() >= 3 and theirs.exists()

    body = signed_in.get(url).content.decode()
    assert all(f">{q.number}<" in body for q in ours)
    assert "Zita Autre" not in body and "Villa Concurrente" not in body

    one = ours.filter(due__kind="rent").order_by("issued_at").first()
    assert f">{one.number}<" in signed_in.get(url, {"q": one.number}).content.decode()
    by_name = signed_in.get(url, {"q": "Awa"}).content.decode()
    assert "Awa Sagbo" in by_name and "Brice Zinsou" not in by_name
    deposit = signed_in.get(url, {"kind": "deposit"}).content.decode()
    deposits = ours.filter(due__kind="deposit")
    assert deposits.exists()
    assert all(f">{q.number}<" in deposit for q in deposits)
    assert all(f">{q.number}<" not in deposit for q in ours.exclude(due__kind="deposit"))
    january = signed_in.get(url, {"period": "2026-01"}).content.decode()
    assert all(
        (f">{q.number}<" in january) == (q.due.period == date(2026, 1, 1)) for q in ours.select_related("due")
    )
    # another agency's receipt number is never found, a wrong kind or month is ignored
    their_number = theirs.first().number
    found = signed_in.get(url, {"q": their_number}).content.decode()
    assert "Zita Autre" not in found
    assert signed_in.get(url, {"kind": "nonsense", "period": "hier"}).status_code == 200


def test_the_receipt_selector_refuses_an_unknown_kind(manager):
    from apps.estate.errors import InvalidInput

    with pytest.raises(InvalidInput):
        list(selectors.quittances_filtered(manager, kind="bonus"))


def test_payments_are_searched_and_filtered_by_status(signed_in, agency, other_agency):
    from apps.payments import services as payments

    def intent(org, description, name):
        return payments.intent_create(
            organization_id=org.id,
            amount=15_000,
            currency="XOF",
            purpose_type="payments.PayLink",
            description=description,
            payer_name=name,
        )

    intent(agency, "Loyer mars Awa", "Awa Sagbo")
    intent(agency, "Frais de dossier", "Brice Zinsou")
    intent(other_agency, "Loyer concurrent", "Zita Autre")
    url = reverse("manager:payments-list")
    body = signed_in.get(url).content.decode()
    assert "Loyer mars Awa" in body and "Frais de dossier" in body and "Loyer concurrent" not in body
    body = signed_in.get(url, {"q": "awa"}).content.decode()
    assert "Loyer mars Awa" in body and "Frais de dossier" not in body
    assert "Loyer concurrent" not in signed_in.get(url, {"q": "Zita"}).content.decode()
    body = signed_in.get(url, {"status": "succeeded"}).content.decode()
    assert "Loyer mars Awa" not in body and "Aucun paiement ne correspond." in body
    assert "Loyer mars Awa" in signed_in.get(url, {"status": "created"}).content.decode()
    assert "Loyer mars Awa" in signed_in.get(url, {"status": "bogus"}).content.decode()


def test_cash_handovers_are_filtered_by_status_in_french(signed_in, agency, manager, lease, other_manager):
    from apps.recovery import services as recovery
    from apps.recovery.models import Case
    from tests.identity.factories import MembershipFactory

    collector = MembershipFactory(
        organization=agency, role="collector", user=UserFactory(full_name="Gildas Tossou")
    ).user
    recovery.ladder_default(organization_id=agency.pk)
    recovery.cases_sync(today=date(2026, 3, 10))
    case = Case.objects.get(lease=lease.public_id)
    Case.objects.filter(pk=case.pk).update(collector=collector)
    case.refresh_from_db()
    recovery.cash_collect(actor=collector, case=case, amount=40_000, idempotency_key="c1")
    recovery.handover_create(
        actor=manager,
        organization_id=agency.pk,
        collector=collector.public_id,
        declared=35_000,
        idempotency_key="h1",
    )
    url = reverse("manager:recovery-handovers")
    body = signed_in.get(url).content.decode()
    assert "Gildas Tossou" in body and "manque d&#x27;espèces" in body.replace("'", "&#x27;")
    assert ">short<" not in body
    assert "Gildas Tossou</td>" in signed_in.get(url, {"status": "short"}).content.decode()
    assert "Gildas Tossou</td>" not in signed_in.get(url, {"status": "balanced"}).content.decode()
    assert "Gildas Tossou</td>" in signed_in.get(url, {"status": "bogus"}).content.decode()
    # another organization's manager never sees it
    signed_in.force_login(other_manager)
    assert "Gildas Tossou</td>" not in signed_in.get(url).content.decode()
