"""Dashboards (docs/analytics.md, « Dashboards »): the agency's KPI tiles and 12-month chart on
its dashboard, the owner's figures on the owner portal, Hokwe's staff view across
organizations — from rollups only, and never another organization's figures."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from apps.analytics.services.dashboard import agency_dashboard, owner_dashboard, staff_dashboard
from apps.analytics.services.nightly import snapshot_day
from apps.core.money import format_amount
from apps.core.outbox import dispatch, pending_ids
from tests.fixtures.estate import first_of_month, lease_for, managed_property, open_dues, pay_rent
from tests.identity.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.identity.test_admin_and_audit import admin_login, staff

pytestmark = pytest.mark.django_db


def _deliver() -> None:
    for outbox_id in pending_ids():
        dispatch(outbox_id)


@pytest.fixture
def agency_world():
    return build_agency_world()


def build_agency_world() -> dict:
    """An agency with two units (one let since two months ago, its latest due paid today, the two
    before unpaid; one vacant) and another agency with a let unit of its own."""
    today = timezone.localdate()
    agency = OrganizationFactory(name="Agence Tableau", kind="agency")
    manager = MembershipFactory(organization=agency, role="manager").user
    prop = managed_property(agency, name="Résidence Tableau")
    tenant = UserFactory(full_name="Locataire Tableau")
    lease = lease_for(
        manager,
        prop,
        tenant,
        unit_label="T1",
        start_date=first_of_month(today, 2),
        due_day=1,
        grace_days=0,
        deposit_months=0,
    )
    from apps.estate import services as estate_services

    estate_services.unit_create(
        actor=manager, property=prop, label="T2", kind="apartment", market_rent=60_000
    )
    latest = max(open_dues(lease), key=lambda d: d.due_date)
    pay_rent(manager, lease, latest.outstanding, received_on=today)
    other = OrganizationFactory(name="Agence Voisine", kind="agency")
    other_manager = MembershipFactory(organization=other, role="owner").user
    other_prop = managed_property(other, name="Résidence Voisine")
    lease_for(
        other_manager,
        other_prop,
        UserFactory(),
        unit_label="V1",
        start_date=first_of_month(today, 1),
        rent=123_000,
    )
    _deliver()
    snapshot_day(today)
    return {
        "agency": agency,
        "manager": manager,
        "property": prop,
        "lease": lease,
        "paid": latest.outstanding,
        "other": other,
        "other_manager": other_manager,
        "today": today,
    }


def _tiles(board):
    return {t.key: t for t in board.tiles}


def test_the_agency_tiles_are_its_own_figures(agency_world, django_assert_max_num_queries):
    w = agency_world
    with django_assert_max_num_queries(2):
        board = agency_dashboard(w["agency"].public_id, today=w["today"])
    tiles = _tiles(board)
    assert tiles["collected"].value == w["paid"]
    assert tiles["expected"].value == 80_000  # this month's due: 75 000 rent + 5 000 charges
    assert tiles["collection_rate"].value == 10_000  # 100 %
    assert tiles["occupancy"].value == 5_000  # one unit of two
    assert tiles["arrears"].value == 160_000  # the two months before, unpaid
    assert board.collected[-1] == w["paid"] and board.expected[-2] == 80_000
    assert len(board.months) == 12 and board.months[-1] == w["today"].replace(day=1)


def test_the_trend_compares_with_last_month():
    from apps.analytics.services.dashboard import Tile

    assert Tile("collected", 120, 100, "money", "XOF").trend == 2_000  # +20 %
    assert Tile("collected", 120, 100, "money", "XOF").good is True
    assert Tile("arrears", 120, 100, "money", "XOF", "down").good is False
    assert Tile("occupancy", 9_000, 8_500, "bps").trend == 500  # +5 points
    assert Tile("collected", 120, 0, "money").trend is None


def test_the_dashboard_page_shows_the_tiles_and_the_chart(client, agency_world):
    w = agency_world
    client.force_login(w["manager"])
    page = client.get("/manager/", HTTP_ACCEPT_LANGUAGE="fr")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="analytics-dashboard"' in html
    assert format_amount(w["paid"], "XOF", "fr") in html
    assert "<svg" in html and "Attendu et encaissé, 12 derniers mois" in html


def test_another_agency_never_sees_these_figures(client, agency_world):
    w = agency_world
    client.force_login(w["other_manager"])
    html = client.get("/manager/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert format_amount(w["paid"], "XOF", "fr") not in html
    board = agency_dashboard(w["other"].public_id, today=w["today"])
    assert _tiles(board)["collected"].value == 0


def test_the_owner_sees_their_figures_across_agencies(client, agency_world):
    w = agency_world
    owner_user = MembershipFactory(organization=w["property"].owner, role="owner").user
    board = owner_dashboard([w["property"].owner.public_id], today=w["today"])
    assert _tiles(board)["collected"].value == w["paid"]
    client.force_login(owner_user)
    html = client.get("/manager/estate/portal/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert 'data-testid="analytics-dashboard"' in html
    assert format_amount(w["paid"], "XOF", "fr") in html


def test_staff_see_every_organization_at_a_glance(agency_world):
    w = agency_world
    board = staff_dashboard(today=w["today"])
    assert board.units == 3
    assert board.organizations >= 2
    client, _ = admin_login(*staff("support"))
    page = client.get("/admin/analytics/rollup/dashboard/")
    assert page.status_code == 200
    assert 'data-testid="staff-dashboard"' in page.content.decode()


def test_an_empty_organization_gets_a_sentence_not_zeros(client):
    agency = OrganizationFactory(name="Agence Neuve", kind="agency")
    manager = MembershipFactory(organization=agency, role="owner").user
    managed_property(agency, name="Résidence Neuve")
    assert agency_dashboard(agency.public_id, today=date.today()).has_data is False
    client.force_login(manager)
    html = client.get("/manager/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Les chiffres apparaissent ici" in html


# --- the dashboard for the apps: REST and GraphQL, the same figures ---------------------------


def test_the_apps_read_the_agency_dashboard(agency_world, django_assert_max_num_queries):
    from tests.helpers import bearer_client

    w = agency_world
    client = bearer_client(w["manager"])
    with django_assert_max_num_queries(12):
        response = client.get("/api/v1/analytics/dashboard", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200, response.content
    body = response.json()
    tiles = {t["key"]: t for t in body["tiles"]}
    assert body["organization"] == str(w["agency"].public_id) and body["view"] == "agency"
    assert tiles["collected"]["value"] == w["paid"] and tiles["collected"]["unit"] == "money"
    assert tiles["collected"]["label"] == "Reçu ce mois-ci, tous loyers"
    assert tiles["occupancy"] == {**tiles["occupancy"], "value": 5_000, "unit": "bps"}
    assert len(body["months"]) == 12 and body["collected"][-1] == w["paid"]


def test_the_apps_never_read_another_organizations_dashboard(agency_world):
    from tests.helpers import bearer_client

    w = agency_world
    other = bearer_client(w["other_manager"])
    refused = other.get(f"/api/v1/analytics/dashboard?organization={w['agency'].public_id}")
    assert refused.status_code == 404
    assert "tiles" not in refused.json() and refused.json()["status"] == 404  # a problem, no figure
    assert bearer_client(None).get("/api/v1/analytics/dashboard").status_code == 401
    bad = other.get("/api/v1/analytics/dashboard?view=everyone")
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "view"


def test_an_owner_reads_their_figures_in_the_app(agency_world):
    from tests.helpers import bearer_client

    w = agency_world
    owner_user = MembershipFactory(organization=w["property"].owner, role="owner").user
    body = bearer_client(owner_user).get("/api/v1/analytics/dashboard?view=owner").json()
    assert body["view"] == "owner" and body["organization"] is None
    assert {t["key"]: t["value"] for t in body["tiles"]}["collected"] == w["paid"]


def test_graphql_reads_the_same_dashboard(agency_world):
    from tests.helpers import bearer_client, gql

    w = agency_world
    query = "query($org: UUID) { analyticsDashboard(organizationId: $org) { view organization hasData tiles { key value unit } collected } }"
    data = gql(bearer_client(w["manager"]), query, {"org": str(w["agency"].public_id)})["analyticsDashboard"]
    assert {t["key"]: t["value"] for t in data["tiles"]}["collected"] == w["paid"]
    assert data["collected"][-1] == w["paid"] and data["hasData"] is True
    hidden = gql(bearer_client(w["other_manager"]), query, {"org": str(w["agency"].public_id)})
    assert hidden["analyticsDashboard"] is None
