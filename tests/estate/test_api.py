"""REST and GraphQL: problem details with field errors, typed GraphQL errors, the tenant
app, query ceilings on lists, and another agency's objects as 404 / null."""

from datetime import date

import pytest
from django.urls import reverse

from apps.estate import services
from apps.estate.models import Lease, RentDue
from tests.helpers import bearer_client, gql_response, graphql_post
from tests.identity.factories import UserFactory

from .conftest import make_lease
from .factories import UnitFactory

pytestmark = pytest.mark.django_db


def lease_body(unit, **overrides):
    body = {
        "unit": str(unit.public_id),
        "tenants": [{"phone": "+2290161009999", "full_name": "Yannick Gbaguidi"}],
        "start_date": "2026-03-01",
        "rent": 60000,
        "charges": 0,
        "deposit_months": 2,
    }
    body.update(overrides)
    return body


@pytest.mark.parametrize(
    "overrides, field, code, message",
    [
        (
            {"end_date": "2026-01-01"},
            "end_date",
            "end_before_start",
            "La date de fin doit être égale ou postérieure à la date de début.",
        ),
        ({"rent": -100}, "rent", "negative_amount", "Le montant doit être positif."),
        (
            {"deposit_months": 5},
            "deposit_months",
            "deposit_over_legal_cap",
            "La caution ne peut pas dépasser 3 mois de loyer (plafond légal, BJ).",
        ),
        (
            {"agency_fee": 30001},
            "agency_fee",
            "commission_over_legal_cap",
            "La commission d'agence ne peut pas dépasser 50 % d'un mois de loyer (plafond légal, BJ).",
        ),
    ],
)
def test_rest_bad_lease_input_is_a_problem_with_a_field_error(
    clock, manager, unit, overrides, field, code, message
):
    response = bearer_client(manager).post(
        reverse("estate-leases", kwargs={"version": "v1"}), lease_body(unit, **overrides), format="json"
    )
    assert response.status_code == 400
    problem = response.json()
    assert response["Content-Type"] == "application/problem+json"
    assert problem["code"] == code
    assert problem["errors"] == [{"field": field, "code": code, "message": message}]
    assert not Lease.objects.exists()


def test_rest_overlap_is_409_and_unknown_fields_are_refused(lease, manager, unit):
    client = bearer_client(manager)
    response = client.post(
        reverse("estate-leases", kwargs={"version": "v1"}), lease_body(unit), format="json"
    )
    assert response.status_code == 409 and response.json()["code"] == "lease_overlap"
    assert response.json()["errors"][0]["message"] == "Ce logement a déjà un bail actif sur ces dates."
    english = client.post(
        reverse("estate-leases", kwargs={"version": "v1"}),
        lease_body(unit),
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert english.json()["errors"][0]["message"] == "This unit already has an active lease over these dates."
    typo = client.post(
        reverse("estate-leases", kwargs={"version": "v1"}), lease_body(unit, rnet=1), format="json"
    )
    assert typo.status_code == 400 and typo.json()["errors"][0]["code"] == "unknown_field"


def test_rest_payment_over_what_is_due_is_kept_as_credit_and_idempotent(lease, manager):
    client = bearer_client(manager)
    url = reverse("estate-lease-payments", kwargs={"version": "v1", "lease_id": lease.public_id})
    body = {"amount": 250000, "method": "bank_transfer", "received_on": "2026-03-09"}
    first = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="pay-1")
    again = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="pay-1")
    assert first.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert first.json()["kept_as_credit"]["amount"] == 10_000
    lease.refresh_from_db()
    assert lease.credit == 10_000
    assert not RentDue.objects.filter(lease=lease).exclude(status="paid").exists()


def test_rest_lists_have_a_query_ceiling(clock, manager, prop, django_assert_max_num_queries):
    for _ in range(6):
        make_lease(manager, UnitFactory(property=prop), UserFactory())
    client = bearer_client(manager)
    for name in ("estate-leases", "estate-dues", "estate-properties", "estate-tickets", "estate-mandates"):
        with django_assert_max_num_queries(14):
            response = client.get(reverse(name, kwargs={"version": "v1"}))
        assert response.status_code == 200, name
    assert (
        len(
            client.get(reverse("estate-dues", kwargs={"version": "v1"}), {"status": "overdue"}).json()[
                "results"
            ]
        )
        == 12
    )


def test_rest_another_agency_gets_404_everywhere(lease, other_manager):
    client = bearer_client(other_manager)
    due = RentDue.objects.filter(lease=lease).first()
    for name, kwargs, method, body in [
        ("estate-lease", {"lease_id": lease.public_id}, "get", None),
        ("estate-lease-payments", {"lease_id": lease.public_id}, "post", {"amount": 1000, "method": "cash"}),
        ("estate-lease-end", {"lease_id": lease.public_id}, "post", {"end_date": "2026-03-31"}),
        ("estate-due", {"due_id": due.public_id}, "get", None),
        ("estate-due-pay-link", {"due_id": due.public_id}, "post", None),
        ("estate-property", {"property_id": lease.unit.property.public_id}, "patch", {"name": "Volé"}),
    ]:
        response = getattr(client, method)(
            reverse(name, kwargs={"version": "v1", **kwargs}), body, format="json"
        )
        assert response.status_code == 404, name
    assert client.get(reverse("estate-leases", kwargs={"version": "v1"})).json()["results"] == []


def test_tenant_app_my_leases_dues_pay_link_receipts_tickets(lease, manager, tenant):
    services.payment_record(actor=manager, lease=lease, amount=80_000, method="bank_transfer")
    client = bearer_client(tenant)
    assert [
        item["id"]
        for item in client.get(reverse("estate-my-leases", kwargs={"version": "v1"})).json()["results"]
    ] == [str(lease.public_id)]
    dues = client.get(reverse("estate-my-dues", kwargs={"version": "v1"})).json()["results"]
    assert len(dues) == 3
    open_due = next(d for d in dues if d["status"] != "paid")
    link = client.post(reverse("estate-due-pay-link", kwargs={"version": "v1", "due_id": open_due["id"]}))
    assert (
        link.status_code == 201
        and "/pay/" in link.json()["pay_url"]
        and link.json()["amount"]["amount"] == 80_000
    )
    receipts = client.get(reverse("estate-my-receipts", kwargs={"version": "v1"})).json()["results"]
    assert len(receipts) == 1 and "/r/q/" in receipts[0]["verify_url"]
    pdf = client.get(reverse("estate-receipt-pdf", kwargs={"version": "v1", "receipt_id": receipts[0]["id"]}))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    ticket = client.post(
        reverse("estate-my-tickets", kwargs={"version": "v1"}),
        {"lease": str(lease.public_id), "title": "Prise électrique cassée"},
        format="json",
    )
    assert ticket.status_code == 201
    # a stranger sees nothing of it
    stranger = bearer_client(UserFactory())
    assert stranger.get(reverse("estate-my-dues", kwargs={"version": "v1"})).json()["results"] == []
    assert (
        stranger.post(
            reverse("estate-due-pay-link", kwargs={"version": "v1", "due_id": open_due["id"]})
        ).status_code
        == 404
    )


def test_graphql_typed_errors_and_scoping(lease, manager, other_manager, unit, tenant):
    mutation = """mutation($unit: UUID!, $start: Date!, $end: Date, $rent: Amount!, $deposit: Int) {
      estateCreateLease(unitId: $unit, tenants: [{phone: "+2290161008888"}], startDate: $start, endDate: $end, rent: $rent, depositMonths: $deposit) {
        ok errors { field code message } lease { id } } }"""
    client = bearer_client(manager)
    base = {"unit": str(unit.public_id), "start": "2026-06-01", "rent": 50000}
    for variables, code in [
        ({**base, "end": "2026-01-01"}, "end_before_start"),
        ({**base, "deposit": 9}, "deposit_over_legal_cap"),
        (base, "lease_overlap"),
    ]:
        payload = gql_response(client, mutation, variables)["data"]["estateCreateLease"]
        assert payload["ok"] is False and payload["errors"][0]["code"] == code, payload
        assert payload["errors"][0]["message"]
    # A negative rent never reaches the service: the Amount scalar refuses it (HTTP 400).
    negative = graphql_post(client, {"query": mutation, "variables": {**base, "rent": -1}})
    assert negative.status_code == 400
    assert [e["extensions"]["code"] for e in negative.json()["errors"]] == ["invalid_amount"]
    lease_query = "query($id: UUID!) { estateLease(leaseId: $id) { reference tenants { fullName } } }"
    assert (
        gql_response(client, lease_query, {"id": str(lease.public_id)})["data"]["estateLease"]["reference"]
        == lease.reference
    )
    assert (
        gql_response(bearer_client(other_manager), lease_query, {"id": str(lease.public_id)})["data"][
            "estateLease"
        ]
        is None
    )
    record = 'mutation($id: UUID!) { estateRecordPayment(leaseId: $id, amount: 90000, method: "bank_transfer") { ok errors { code } payment { keptAsCredit { amount } } } }'
    assert (
        gql_response(bearer_client(other_manager), record, {"id": str(lease.public_id)})["data"][
            "estateRecordPayment"
        ]["errors"][0]["code"]
        == "not_found"
    )
    mine = gql_response(
        bearer_client(tenant),
        "{ estateMyLeases { reference } estateMyDues { status outstanding { formatted } } }",
    )["data"]
    assert mine["estateMyLeases"] == [{"reference": lease.reference}] and len(mine["estateMyDues"]) == 3
    dashboard = gql_response(client, "{ estateDashboard { collectionRate arrears { amount } units } }")[
        "data"
    ]["estateDashboard"]
    assert dashboard["arrears"]["amount"] == 160_000


def test_dashboard_renders_in_a_bounded_number_of_queries(
    clock, manager, prop, client, django_assert_max_num_queries
):
    client.force_login(manager)

    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("manager:estate-dashboard")).status_code == 200
        return len(ctx)

    make_lease(manager, UnitFactory(property=prop), UserFactory())
    small = count_queries()
    for _ in range(8):
        lease = make_lease(manager, UnitFactory(property=prop), UserFactory(), end_date=date(2026, 4, 30))
        services.payment_record(actor=manager, lease=lease, amount=50_000, method="bank_transfer")
    with django_assert_max_num_queries(small):
        assert client.get(reverse("manager:estate-dashboard")).status_code == 200
    with django_assert_max_num_queries(30):
        client.get(reverse("manager:estate-dashboard"))
