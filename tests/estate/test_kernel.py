"""Estate on the shared kernel (issue 14): core's gap-free numbering (migrated from estate's
own sequence), the state machines, the one due filter set (REST, GraphQL and the page give
the same dues), money with the row's currency, the renamed GraphQL fields and their
deprecated aliases, and pages that write nothing on a GET."""

import threading
from datetime import date

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from apps.core.models import NumberSequence
from apps.core.statemachine import InvalidTransition
from apps.estate import domain, selectors, services
from apps.estate.contracts import DueStatus
from apps.estate.errors import InvalidInput, InvalidState
from apps.estate.models import Lease, OwnerStatement, Quittance, RentDue, Ticket, Unit
from apps.estate.services.common import document_number
from apps.estate.services.maintenance import TICKET_STATES
from tests.helpers import bearer_client, gql, gql_response
from tests.identity.factories import UserFactory

from .conftest import make_lease
from .factories import MandateFactory, PropertyFactory, UnitFactory

pytestmark = pytest.mark.django_db


# --- numbering ----------------------------------------------------------------------------------


def test_numbers_continue_after_the_values_migrated_from_estates_own_sequence(
    clock, agency, manager, unit, tenant
):
    """Migration 0003 copies every DocumentSequence row into core.NumberSequence (series
    estate.<kind>, scope the organization id); the next numbers follow on, same formats."""
    before = [("estate", "0002_lease_no_overlap")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    DocumentSequence = old.get_model("estate", "DocumentSequence")
    DocumentSequence.objects.create(organization_id=agency.pk, kind="quittance", year=2026, last=41)
    DocumentSequence.objects.create(organization_id=agency.pk, kind="lease", year=2026, last=7)
    DocumentSequence.objects.create(organization_id=agency.pk, kind="receipt", year=2025, last=300)
    with connection.cursor() as cursor:  # the rows' deferred FK checks, before the table is dropped
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())  # 0003 copies, 0004 drops, later ones too

    assert set(NumberSequence.objects.filter(scope=str(agency.pk)).values_list("series", "year", "last")) == {
        ("estate.quittance", 2026, 41),
        ("estate.lease", 2026, 7),
        ("estate.receipt", 2025, 300),
    }
    lease = make_lease(manager, unit, tenant)
    assert lease.reference == "BAIL-2026-000008"
    services.payment_record(actor=manager, lease=lease, amount=80_000, method="bank_transfer")
    assert Quittance.objects.get(due__lease=lease).number == "Q2026-000042"
    assert lease.payments.get().receipt_number == "RE2026-000001"  # a new year starts at 1


def test_number_formats_per_kind(agency):
    with transaction.atomic():
        numbers = [
            document_number(organization_id=agency.pk, kind=kind)
            for kind in ("quittance", "receipt", "lease")
        ]
        again = document_number(organization_id=agency.pk, kind="quittance", when=date(2027, 1, 2))
    year = date.today().year
    assert numbers == [f"Q{year}-000001", f"RE{year}-000001", f"BAIL-{year}-000001"]
    assert again == "Q2027-000001"


def _in_thread(work, results, key):
    def run():
        try:
            results[key] = work()
        except Exception as exc:
            results[key] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_documents_get_consecutive_numbers_and_a_rollback_leaves_no_gap():
    from tests.identity.factories import OrganizationFactory

    org = OrganizationFactory(kind="agency")
    first_has_number, second_started = threading.Event(), threading.Event()
    results = {}

    def first(rollback):
        def work():
            try:
                with transaction.atomic():
                    number = document_number(organization_id=org.pk, kind="quittance", when=date(2026, 5, 1))
                    first_has_number.set()
                    second_started.wait()  # the second transaction is now queued behind our row lock
                    if rollback:
                        raise RuntimeError(number)
                    return number
            except RuntimeError as exc:
                return f"rolled back {exc}"

        return work

    def second():
        first_has_number.wait()
        second_started.set()
        with transaction.atomic():
            return document_number(organization_id=org.pk, kind="quittance", when=date(2026, 5, 1))

    threads = [_in_thread(first(rollback=False), results, "a"), _in_thread(second, results, "b")]
    for thread in threads:
        thread.join()
    assert sorted([results["a"], results["b"]]) == ["Q2026-000001", "Q2026-000002"]

    first_has_number.clear(), second_started.clear()
    threads = [_in_thread(first(rollback=True), results, "c"), _in_thread(second, results, "d")]
    for thread in threads:
        thread.join()
    assert results["c"] == "rolled back Q2026-000003"
    assert results["d"] == "Q2026-000003"  # the rolled-back number is given again: no gap


# --- state machines -------------------------------------------------------------------------------


def test_every_due_status_has_an_entry_and_written_off_is_terminal():
    assert domain.DUE_STATES.states == set(DueStatus)
    assert domain.DUE_STATES.terminal(DueStatus.WRITTEN_OFF)
    with pytest.raises(InvalidTransition):
        domain.DUE_STATES.check(DueStatus.WRITTEN_OFF, DueStatus.DUE)
    assert domain.can_move(DueStatus.OVERDUE, DueStatus.PAID)
    assert not domain.can_move(DueStatus.OVERDUE, DueStatus.UPCOMING)


def test_ticket_statuses_follow_their_table(clock, manager, prop):
    assert TICKET_STATES.states == set(Ticket.Status.values)
    assert TICKET_STATES.terminal(Ticket.Status.CLOSED) and TICKET_STATES.terminal(Ticket.Status.CANCELED)
    ticket = services.ticket_open(actor=manager, property=prop, title="Porte")
    services.ticket_update(actor=manager, ticket=ticket, status="canceled")
    with pytest.raises(InvalidState) as refused:
        services.ticket_update(actor=manager, ticket=ticket, status="open")
    assert refused.value.code == "invalid_state" and refused.value.field == "status"


# --- the one due filter set ----------------------------------------------------------------------


@pytest.fixture
def portfolio(clock, manager, prop, unit, tenant):
    """Two properties, three leases, dues of January to March 2026 (January and February
    overdue unless paid), one lease paid up."""
    other_prop = PropertyFactory(mandate=prop.mandate, name="Villa Akpakpa")
    first = make_lease(manager, unit, tenant)
    second = make_lease(manager, UnitFactory(property=prop, label="C4"), UserFactory(full_name="Awa Dossou"))
    third = make_lease(
        manager, UnitFactory(property=other_prop, label="V1"), UserFactory(full_name="Koffi Mensah")
    )
    services.payment_record(actor=manager, lease=second, amount=240_000, method="bank_transfer")
    return {"prop": prop, "other_prop": other_prop, "leases": [first, second, third]}


DUES_QUERY = """query($status: String, $period: Date, $leaseId: UUID, $propertyId: UUID, $q: String) {
  estateDues(status: $status, period: $period, leaseId: $leaseId, propertyId: $propertyId, q: $q, first: 200) {
    reference } }"""


def _filter_cases(portfolio):
    first = portfolio["leases"][0]
    return [
        {},
        {"status": "overdue"},
        {"status": "paid"},
        {"period": "2026-02-01"},
        {"lease": str(first.public_id)},
        {"property": str(portfolio["other_prop"].public_id)},
        {"q": "Dossou"},
        {"status": "overdue", "property": str(portfolio["prop"].public_id), "period": "2026-01-01"},
    ]


def test_rest_graphql_and_the_page_filter_dues_the_same_way(portfolio, manager, client):
    api = bearer_client(manager)
    client.force_login(manager)
    seen = set()
    for case in _filter_cases(portfolio):
        expected = {
            due.reference
            for due in selectors.dues_filtered(
                manager,
                selectors.DueFilter(
                    status=case.get("status"),
                    period=date.fromisoformat(case["period"]) if "period" in case else None,
                    lease=case.get("lease"),
                    property=case.get("property"),
                    q=case.get("q", ""),
                ),
            )
        }
        rest = api.get(reverse("estate-dues", kwargs={"version": "v1"}), {**case, "page_size": 200})
        assert rest.status_code == 200, rest.content
        graphql = gql(
            api,
            DUES_QUERY,
            {
                "status": case.get("status"),
                "period": case.get("period"),
                "leaseId": case.get("lease"),
                "propertyId": case.get("property"),
                "q": case.get("q"),
            },
        )["estateDues"]
        page_query = {**case, "period": case["period"][:7]} if "period" in case else case
        page = client.get(reverse("manager:estate-dues"), page_query)
        assert page.status_code == 200
        assert {d["reference"] for d in rest.json()["results"]} == expected, case
        assert {d["reference"] for d in graphql} == expected, case
        assert {row[0].reference for row in page.context["rows"]} == expected, case
        seen.add(len(expected))
    assert len(seen) > 3  # the cases really select different dues
    assert RentDue.objects.count() == 9


def test_a_bad_filter_value_is_refused_with_its_field():
    with pytest.raises(InvalidInput) as refused:
        selectors.DueFilter(status="late")
    assert refused.value.field == "status"
    assert selectors.DueFilter(period=date(2026, 2, 17)).period == date(2026, 2, 1)


# --- money: the row's currency, the portfolio's on aggregates ---------------------------------------


def test_money_carries_the_rows_currency_and_the_dashboard_the_portfolios(clock, manager, unit, tenant):
    unit.organization.currencies = ["XOF", "XAF"]  # staff enabled XAF for this agency
    unit.organization.save()
    Unit.objects.filter(pk=unit.pk).update(currency="XAF")
    unit.refresh_from_db()
    lease = make_lease(manager, unit, tenant)
    assert Lease.objects.get(pk=lease.pk).currency == "XAF"
    api = bearer_client(manager)
    body = api.get(reverse("estate-lease", kwargs={"version": "v1", "lease_id": lease.public_id})).json()
    assert body["rent"] == {"amount": 75_000, "currency": "XAF", "formatted": "75\u202f000\u00a0FCFA"}
    dashboard = api.get(reverse("estate-dashboard", kwargs={"version": "v1"})).json()
    assert dashboard["currency"] == "XAF" and dashboard["expected"]["currency"] == "XAF"
    data = gql(
        api, "{ estateDashboard { currency arrears { currency } } estateLeases { depositHeld { currency } } }"
    )
    assert data["estateDashboard"] == {"currency": "XAF", "arrears": {"currency": "XAF"}}
    assert data["estateLeases"] == [{"depositHeld": {"currency": "XAF"}}]


def test_an_empty_portfolio_has_its_countrys_currency(agency, manager):
    dashboard = bearer_client(manager).get(reverse("estate-dashboard", kwargs={"version": "v1"})).json()
    assert dashboard["currency"] == "XOF" and dashboard["arrears"]["amount"] == 0  # the agency is in Benin


# --- GraphQL: the new names and the deprecated aliases -----------------------------------------------


def test_renamed_fields_and_their_aliases_both_work(lease, manager, tenant, unit):
    tenant_api = bearer_client(tenant)
    new = gql(tenant_api, "{ estateMyDues { reference } estateMyLeases { reference } }")
    old = gql(tenant_api, "{ myDues { reference } myLeases { reference } }")
    assert new["estateMyDues"] == old["myDues"] and len(new["estateMyDues"]) == 3
    assert new["estateMyLeases"] == old["myLeases"] == [{"reference": lease.reference}]

    api = bearer_client(manager)
    for field, label in (("estateCreateUnit", "N1"), ("createEstateUnit", "N2")):
        payload = gql(
            api,
            f'mutation($p: UUID!) {{ {field}(propertyId: $p, label: "{label}", kind: "studio", marketRent: 40000) '
            "{ ok errors { code } unit { label marketRent { amount currency } } } }",
            {"p": str(unit.property.public_id)},
        )[field]
        assert payload == {
            "ok": True,
            "errors": [],
            "unit": {"label": label, "marketRent": {"amount": 40000, "currency": "XOF"}},
        }
    schema = gql_response(
        api,
        '{ __type(name: "Query") { fields(includeDeprecated: true) { name isDeprecated deprecationReason } } }',
    )["data"]["__type"]["fields"]
    by_name = {f["name"]: f for f in schema}
    assert by_name["myDues"]["deprecationReason"] == "Use estateMyDues."
    assert not by_name["estateMyDues"]["isDeprecated"]


def test_a_mutation_that_fails_rolls_back_and_says_why(lease, manager):
    payload = gql(
        bearer_client(manager),
        'mutation($id: UUID!) { estateEndLease(leaseId: $id, endDate: "2025-01-01") { ok errors { field code } } }',
        {"id": str(lease.public_id)},
    )["estateEndLease"]
    assert payload["ok"] is False and payload["errors"][0]["code"]
    lease.refresh_from_db()
    assert lease.status == "active"
    anonymous = gql(
        APIClient(),
        'mutation($id: UUID!) { estateEndLease(leaseId: $id, endDate: "2026-04-30") { ok errors { code } } }',
        {"id": str(lease.public_id)},
    )["estateEndLease"]
    assert anonymous == {"ok": False, "errors": [{"code": "not_authenticated"}]}


# --- a GET writes nothing -------------------------------------------------------------------------


WRITES = ("INSERT", "UPDATE", "DELETE")


def _writes(ctx) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)]


def test_reading_the_statements_page_writes_nothing_preparing_them_is_a_post(portfolio, manager, client):
    client.force_login(manager)
    services.expense_create(
        actor=manager,
        property=portfolio["prop"],
        label="Peinture",
        amount=12_000,
        incurred_on=date(2026, 3, 2),
    )
    url = reverse("manager:estate-statements")
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(url, {"period": "2026-03"})
    assert page.status_code == 200
    assert _writes(ctx) == []
    assert not OwnerStatement.objects.exists()
    (preview,) = [row[0] for row in page.context["rows"]]
    assert preview.pk is None and preview.expenses == 12_000 and preview.collected > 0

    assert client.post(f"{url}?period=2026-03", {"action": "prepare"}).status_code == 302
    statement = OwnerStatement.objects.get()
    assert (statement.period, statement.expenses, statement.collected) == (
        date(2026, 3, 1),
        12_000,
        preview.collected,
    )
    # the draft's PDF is drawn from figures as of now, still without writing
    services.expense_create(
        actor=manager, property=portfolio["prop"], label="Serrure", amount=3_000, incurred_on=date(2026, 3, 5)
    )
    with CaptureQueriesContext(connection) as ctx:
        pdf = client.get(reverse("manager:estate-statement", args=[statement.public_id]))
    assert pdf.content.startswith(b"%PDF") and _writes(ctx) == []
    statement.refresh_from_db()
    assert statement.expenses == 12_000


def test_the_other_manager_pages_write_nothing_on_get(portfolio, manager, client):
    client.force_login(manager)
    lease = portfolio["leases"][0]
    for url in (
        reverse("manager:estate-dashboard"),
        reverse("manager:estate-dues"),
        reverse("manager:estate-leases"),
        reverse("manager:estate-lease", args=[lease.public_id]),
        reverse("manager:estate-receipts"),
        reverse("manager:estate-tickets"),
        reverse("manager:estate-properties"),
    ):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200, url
        assert [sql for sql in _writes(ctx) if "django_session" not in sql] == [], url


def test_two_agencies_each_number_their_leases_from_one(manager, unit, tenant, other_agency, other_manager):
    """Lease references are numbered per organization and year, so two agencies' first leases
    of 2026 are both BAIL-2026-000001 (unique within each organization, not across them)."""
    from django.db import IntegrityError

    other_unit = UnitFactory(
        property=PropertyFactory(mandate=MandateFactory(agency=other_agency, start_date=date(2025, 1, 1))),
        label="A1",
        market_rent=60_000,
    )
    mine = make_lease(manager, unit, tenant)
    theirs = make_lease(other_manager, other_unit, UserFactory(full_name="Prisca Amoussou"))
    assert mine.reference == theirs.reference == "BAIL-2026-000001"
    with pytest.raises(IntegrityError), transaction.atomic():
        Lease.objects.filter(pk=theirs.pk).update(organization=mine.organization)
