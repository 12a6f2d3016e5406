"""The seven standard reports (docs/analytics.md, « Reports »): the manager pages (chart and
table, a query ceiling), REST and GraphQL, the figures from estate's and recovery's rows and
from the rollups, and another organization's figures never shown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.analytics.models import Rollup
from apps.core.money import format_amount
from tests.fixtures.estate import first_of_month, lease_for, managed_property, pay_rent
from tests.helpers import bearer_client, gql
from tests.identity.factories import MembershipFactory, OrganizationFactory, UserFactory

KEYS = ["rent-roll", "delinquency", "income", "occupancy", "payment-methods", "collectors", "cash-flow"]


@dataclass
class ReportWorld:
    agency: object
    manager: object
    property: object
    lease: object
    tenant: object
    other: object  # another agency's owner
    other_agency: object
    month: date  # the first day of this month


def add_rollup(
    org, metric, value, *, period, count=1, dimension="", currency="XOF", scope="org", scope_id=None
):
    """A figure as the rollup engine keeps it (its day row and its month row)."""
    for grain, day in (("d", period), ("m", period.replace(day=1))):
        row, _created = Rollup.objects.get_or_create(
            organization=org,
            scope=scope,
            scope_id=scope_id or org,
            grain=grain,
            period=day,
            metric=metric,
            dimension=dimension,
            currency=currency,
        )
        row.value += value
        row.count += count
        row.save()


@pytest.fixture
def world(db) -> ReportWorld:
    today = timezone.localdate()
    agency = OrganizationFactory(name="Agence Rapports Alpha", kind="agency")
    manager = MembershipFactory(organization=agency, role="owner", user__email="gerant@alpha.test").user
    prop = managed_property(agency, name="Résidence Rapport Alpha")
    tenant = UserFactory(full_name="Locataire Rapport Alpha")
    lease = lease_for(
        manager,
        prop,
        tenant,
        unit_label="RA-1",
        start_date=first_of_month(today, 3),
        rent=100_000,
        charges=0,
        due_day=1,
        grace_days=0,
        deposit_months=0,
    )
    pay_rent(manager, lease, 100_000, received_on=first_of_month(today, 3))  # the oldest due paid
    other_agency = OrganizationFactory(name="Agence Rapports Beta", kind="agency")
    other = MembershipFactory(organization=other_agency, role="owner").user
    org, month = agency.public_id, first_of_month(today)
    for back, (collected, occupied) in enumerate([(300_000, 31), (200_000, 30), (100_000, 29)]):
        period = first_of_month(today, back + 1)
        add_rollup(org, "rent.collected", collected, period=period, dimension="mobile_money")
        add_rollup(
            org,
            "rent.collected",
            collected,
            period=period,
            dimension="mobile_money",
            scope="property",
            scope_id=prop.public_id,
        )
        add_rollup(org, "rent.commission", collected // 10, period=period)
        add_rollup(
            org, "rent.commission", collected // 10, period=period, scope="property", scope_id=prop.public_id
        )
        add_rollup(org, "payouts.paid", collected - collected // 10, period=period)
        add_rollup(org, "units.total_days", 31, period=period, count=31)
        add_rollup(org, "units.occupied_days", occupied, period=period, count=occupied)
        add_rollup(org, "payments.succeeded", 3, period=period, count=3, dimension="mtn")
        add_rollup(org, "payments.failed", 1, period=period, count=1, dimension="mtn")
    # another agency's figure, the same month: never in Alpha's reports
    add_rollup(
        other_agency.public_id, "rent.collected", 777_777, period=first_of_month(today, 1), dimension="cash"
    )
    return ReportWorld(agency, manager, prop, lease, tenant, other, other_agency, month)


def _page(client, key, **query):
    return client.get(reverse("manager:analytics-report", args=[key]), query)


@pytest.mark.parametrize("key", KEYS)
def test_every_report_page_has_a_chart_and_a_table_within_a_query_ceiling(
    client, world, key, django_assert_max_num_queries
):
    client.force_login(world.manager)
    with django_assert_max_num_queries(30):
        response = _page(client, key)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<svg" in body and 'data-testid="report-table"' in body
    for fmt in ("csv", "xlsx", "pdf"):
        assert reverse("manager:analytics-report-export", args=[key, fmt]) in body
    # Beta's figure, as a page writes it or raw (not a bare « 777 »: a random UUID may hold it)
    assert format_amount(777_777, "XOF", "fr") not in body and "777777" not in body


def test_the_reports_list_links_every_report(client, world):
    client.force_login(world.manager)
    body = client.get(reverse("manager:analytics-reports")).content.decode()
    for key in KEYS:
        assert f'data-report="{key}"' in body


def test_rent_roll_rows_come_from_estate_with_balance_and_paid_up_to(world):
    from apps.analytics.services.reports import build, parse_filters, run

    filters = parse_filters({}, organization=world.agency.public_id)
    result = run(build("rent-roll", filters))
    [row] = result.rows
    assert row["lease"] == world.lease.reference and row["tenant"] == "Locataire Rapport Alpha"
    assert row["rent"] == 100_000 and row["currency"] == "XOF"
    assert row["balance"] == 300_000  # three dues fallen due since, the first one paid
    assert row["paid_up_to"] == first_of_month(world.month, 2) - timedelta(days=1)  # the paid month's end
    assert result.totals == [
        {"rent": 100_000, "charges": 0, "deposit": 0, "balance": 300_000, "currency": "XOF"}
    ]


def test_delinquency_ages_the_debt(world):
    from apps.analytics.services.reports import build, parse_filters, run

    today = timezone.localdate()
    filters = parse_filters({"end": today.isoformat()}, organization=world.agency.public_id)
    [row] = run(build("delinquency", filters)).rows
    owed = row["d1_30"] + row["d31_60"] + row["d61_90"] + row["d90_plus"]
    assert owed == row["overdue"] > 0
    late_dues = sum(1 for m in range(3) if first_of_month(today, m) < today)  # past their due date
    assert row["overdue"] == 100_000 * late_dues


def test_income_statement_per_property_and_owner_from_the_rollups(world):
    from apps.analytics.services.reports import build, parse_filters, run

    filters = parse_filters({}, organization=world.agency.public_id)
    result = run(build("income", filters), organization=world.agency.public_id)
    prop_row = next(r for r in result.rows if not r.get("_subtotal"))
    assert prop_row["property"] == "Résidence Rapport Alpha"
    assert (prop_row["collected"], prop_row["commission"], prop_row["net"]) == (600_000, 60_000, 540_000)
    subtotal = next(r for r in result.rows if r.get("_subtotal"))
    assert subtotal["collected"] == 600_000
    assert result.totals[0]["collected"] == 600_000  # the owner's subtotal is not counted twice


def test_occupancy_and_cash_flow_by_month(world):
    from apps.analytics.services.reports import build, parse_filters, run

    filters = parse_filters({}, organization=world.agency.public_id)
    occupancy = run(build("occupancy", filters))
    total = occupancy.totals[0]
    assert total["unit_days"] == 93 and total["occupied_days"] == 90
    assert total["rate"] == 9677  # basis points, for display
    flow = run(build("cash-flow", filters))
    assert flow.totals[0]["collected"] == 600_000 and flow.totals[0]["net"] == 60_000
    assert "svg" not in str(flow.chart.series)  # plain figures; the SVG is drawn from them
    assert [s.kind for s in flow.chart.series] == ["bar", "bar", "line"]


def test_payment_methods_and_providers(world):
    from apps.analytics.services.reports import build, parse_filters, run

    filters = parse_filters({}, organization=world.agency.public_id)
    rows = run(build("payment-methods", filters)).rows
    method = next(r for r in rows if r["name"] == "Mobile money" or "mobile" in r["name"].lower())
    assert method["amount"] == 600_000 and method["share"] == 10_000
    provider = next(r for r in rows if r["name"] == "mtn")
    assert (provider["payments"], provider["failed"], provider["success"]) == (9, 3, 7500)


def test_collector_performance_from_recovery(world):
    from apps.analytics.services.reports import build, parse_filters, run
    from apps.recovery import services as recovery
    from apps.recovery.models import Case

    recovery.ladder_default(organization_id=world.agency.pk)
    recovery.cases_sync(today=timezone.localdate(), organizations=[world.agency.public_id])
    Case.objects.filter(lease=world.lease.public_id).update(collector=world.manager)
    filters = parse_filters({}, organization=world.agency.public_id)
    [row] = run(build("collectors", filters)).rows
    assert row["collector"] == world.manager.full_name and row["cases"] == 1 and row["owed"] > 0


def test_a_property_filter_reads_the_property_scope(world):
    from apps.analytics.services.reports import build, parse_filters, run

    other_property = managed_property(world.agency, name="Résidence Vide")
    filters = parse_filters({"property": str(other_property.public_id)}, organization=world.agency.public_id)
    assert run(build("rent-roll", filters)).rows == []
    assert run(build("cash-flow", filters)).totals == []


def test_a_bad_filter_is_shown_not_a_500(client, world):
    client.force_login(world.manager)
    response = _page(client, "cash-flow", start="2026-13-45")
    assert response.status_code == 200 and "report-warning" in response.content.decode()
    api = bearer_client(world.manager)
    problem = api.get(reverse("analytics-report", kwargs={"version": "v1", "key": "cash-flow"}), {"end": "x"})
    assert problem.status_code == 400 and problem["Content-Type"].startswith("application/problem+json")


def test_another_organization_gets_404_never_the_figures(client, world):
    client.force_login(world.other)
    alpha = {"org": str(world.agency.public_id)}
    for key in KEYS:
        assert _page(client, key, **alpha).status_code == 404
        for fmt in ("csv", "xlsx", "pdf"):
            url = reverse("manager:analytics-report-export", args=[key, fmt])
            assert client.get(url, alpha).status_code == 404
    own = _page(client, "cash-flow").content.decode()
    assert (
        "Agence Rapports Alpha" not in own
        and "600" not in own.split("report-table", 1)[1].split("</table>")[0]
    )
    api = bearer_client(world.other)
    url = reverse("analytics-report", kwargs={"version": "v1", "key": "rent-roll"})
    assert api.get(url, {"organization": str(world.agency.public_id)}).status_code == 404
    assert api.get(url, {"organization": str(world.agency.public_id), "format": "csv"}).status_code == 404


def test_a_collector_and_an_outsider_see_no_reports(client, world):
    collector = MembershipFactory(organization=world.agency, role="collector").user
    client.force_login(collector)
    assert client.get(reverse("manager:analytics-reports")).status_code == 404
    client.force_login(UserFactory())
    assert _page(client, "rent-roll").status_code == 404
    client.logout()
    assert _page(client, "rent-roll").status_code == 302  # to the login page


def test_rest_returns_rows_totals_and_series(world, django_assert_max_num_queries):
    api = bearer_client(world.manager)
    url = reverse("analytics-report", kwargs={"version": "v1", "key": "cash-flow"})
    with django_assert_max_num_queries(20):
        body = api.get(url).json()
    assert body["key"] == "cash-flow" and body["organization"] == str(world.agency.public_id)
    assert body["totals"][0]["collected"] == 600_000
    assert [s["kind"] for s in body["chart"]["series"]] == ["bar", "bar", "line"]
    assert {c["key"] for c in body["columns"]} >= {"month", "collected", "payouts", "net", "currency"}
    assert api.get(reverse("analytics-report", kwargs={"version": "v1", "key": "nope"})).status_code == 404


def test_rest_csv_streams_every_row(world):
    api = bearer_client(world.manager)
    url = reverse("analytics-report", kwargs={"version": "v1", "key": "rent-roll"})
    response = api.get(url, {"format": "csv"})
    assert response.status_code == 200 and response.streaming
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff") and world.lease.reference in text


def test_graphql_analytics_report(world):
    query = """query($key: String!, $org: UUID) { analyticsReport(key: $key, organizationId: $org) {
        key count totals rows chart { labels series { label values } } } }"""
    data = gql(bearer_client(world.manager), query, {"key": "occupancy"})["analyticsReport"]
    assert data["key"] == "occupancy" and data["totals"][0]["unit_days"] == 93
    refused = gql(bearer_client(world.other), query, {"key": "occupancy", "org": str(world.agency.public_id)})
    assert refused["analyticsReport"] is None
