"""The app shell's menu (apps/core/navigation.py): each module registers its entries in its
nav.py; each role sees only its own areas and lands on its own home; the buttons a role may
not use are not shown; messages are styled and announced."""

import re

import pytest
from django.contrib import messages
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.shortcuts import render
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse

from apps.core import navigation
from tests.estate.factories import MandateFactory, OwnerOrgFactory, PropertyFactory
from tests.fixtures.estate import lease_for, managed_property
from tests.identity.factories import MembershipFactory, OrganizationFactory, UserFactory

OFFICE_MENU = {
    "dashboard",
    "properties",
    "leases",
    "dues",
    "receipts",
    "maintenance",
    "statements",
    "recovery",
    "payments",
    "team",
    "kyb",
    "profile",
    "billing",  # « Facturation »: Hokwe's invoices to the organization (owners, managers, accountants)
    "market-visits",  # « Visites »: the agency's calendar of visits (owners and managers)
    "calendar",  # core's own entries (apps/core/navigation.py CORE_ENTRIES)
    "search",
    "market-listings",  # « Annonces »: the agency's listings, its vacant units to publish
    "market-services",  # « Services locaux »: quote requests to movers, plumbers… (« More »)
    "cms-vault",  # « Documents »: the organization's document vault, HokweDoc (« More »)
    "ads-home",  # « Publicité »: the advertiser's balance, campaigns and results (« More »)
    "reports",  # « Rapports »: analytics' standard reports (the office roles)
}


def nav_keys(html: str) -> set[str]:
    """The entries of the app shell's menu on a page (the bar and « More »)."""
    nav = re.search(r'<nav class="appnav[^"]*"[^>]*data-testid="app-nav">(.*?)</nav>', html, re.S)
    assert nav, "the page has no menu"
    return set(re.findall(r'data-nav="([^"]+)"', nav.group(1)))


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def agency(db):
    return OrganizationFactory(name="Agence Les Cocotiers", kind="agency")


def member(org, role, **user):
    return MembershipFactory(organization=org, role=role, user=UserFactory(**user)).user


# --- the registry -------------------------------------------------------------------------------


def test_every_entry_has_a_unique_key_a_mounted_url_and_a_french_label(db):
    from django.utils import translation

    entries, resolvers = navigation.registry()
    keys = [e.key for e in entries]
    assert len(keys) == len(set(keys))
    assert OFFICE_MENU | {"worklist", "point-of-sale", "owner-portal", "tenant-space", "admin"} <= set(keys)
    assert len(resolvers) >= 2  # identity's memberships, estate's landlords and tenants
    parents = {e.key for e in entries if e.parent is None}
    for entry in entries:
        assert reverse(entry.url)
        assert entry.parent is None or entry.parent in parents
        assert entry.roles, entry.key
        with translation.override("en"):
            english = (str(entry.label), str(entry.short_label or ""))
        with translation.override("fr"):
            french = (str(entry.label), str(entry.short_label or ""))
        if entry.key not in {"admin", "maintenance"}:  # « Back-office », « Maintenance »
            assert french[0] != english[0], f"{entry.key}: no French label"
            assert not entry.short_label or french[1] != english[1], f"{entry.key}: no French short label"


def test_roles_come_from_each_module(agency):
    manager = member(agency, "manager")
    assert {"user", "agency.manager"} <= navigation.user_roles(manager)
    merchant = member(OrganizationFactory(kind="merchant"), "collector")
    assert "merchant.collector" in navigation.user_roles(merchant)
    prop = managed_property(agency)
    landlord = member(prop.owner, "owner")
    assert {"owner.owner", "landlord"} <= navigation.user_roles(landlord)
    tenant = UserFactory()
    lease_for(manager, prop, tenant)
    assert "tenant" in navigation.user_roles(tenant)
    assert navigation.user_roles(UserFactory(is_staff=True)) >= {"user", "staff"}
    from django.contrib.auth.models import AnonymousUser

    assert navigation.user_roles(AnonymousUser()) == frozenset()
    assert navigation.build(AnonymousUser(), "/manager/").items == []


def test_patterns_and_the_template_filter(agency):
    menu = navigation.build(member(agency, "viewer"), "/manager/")
    assert menu.has_role("agency.*") and menu.has_role("*.viewer, *.owner")
    assert not menu.has_role("*.owner *.manager")
    template = Template(
        '{% load navigation %}{% if nav|has_role:"*.owner *.manager" %}yes{% else %}no{% endif %}'
    )
    assert template.render(Context({"nav": menu})) == "no"
    assert template.render(Context({"nav": navigation.build(member(agency, "owner"), "/")})) == "yes"
    assert template.render(Context({"nav": None})) == "no"


def test_the_current_entry_and_the_phone_bar(agency):
    menu = navigation.build(member(agency, "manager"), "/manager/estate/leases/")
    current = [item.key for item in menu.items if item.current]
    assert current == ["leases"]
    bottom = [item.key for item in menu.items if item.bottom]
    assert (
        bottom == ["dashboard", "leases", "dues", "point-of-sale"]
        or len(bottom) == navigation.BOTTOM_BAR_SIZE
    )
    assert menu.has_overflow and menu.has_secondary
    assert {i.key for i in menu.items if not i.primary} >= {"team", "kyb", "profile"}
    assert menu.current_in_more == ""  # leases: in both bars
    assert navigation.build(member(agency, "owner"), "/manager/estate/receipts/").current_in_more == "phone"
    assert (
        navigation.build(member(agency, "owner"), "/manager/identity/profile/").current_in_more
        == "wide phone"
    )


def test_a_landlord_phone_bar_keeps_the_profile_and_puts_verification_behind_more(agency):
    prop = managed_property(agency)
    menu = navigation.build(member(prop.owner, "owner"), "/manager/estate/portal/")
    assert menu.keys == ["owner-portal", "point-of-sale", "team", "billing", "kyb", "cms-vault", "profile"]
    assert [i.key for i in menu.items if i.bottom] == ["owner-portal", "point-of-sale", "team", "profile"]
    # six: the laptop's bar keeps the main entries, the account's behind « More »
    assert [i.key for i in menu.items if i.primary] == ["owner-portal"]
    assert menu.has_overflow and menu.has_secondary


def test_a_small_menu_fits_the_bar_without_more(db):
    merchant = member(OrganizationFactory(kind="merchant"), "collector")
    menu = navigation.build(merchant, "/merchant/")
    assert menu.keys == ["point-of-sale", "profile"]
    assert all(item.primary and item.bottom for item in menu.items)
    assert not menu.has_overflow and not menu.has_secondary


# --- each role lands on its home and sees only its areas ---------------------------------------


@pytest.mark.parametrize("role", ["owner", "manager", "accountant", "viewer"])
def test_the_agency_office_lands_on_the_dashboard_with_its_menu(agency, role):
    client = logged_in(member(agency, role))
    response = client.get("/manager/")
    assert response.status_code == 200  # the dashboard, in place
    html = response.content.decode()
    keys = nav_keys(html)
    assert "Tableau de bord" in html
    assert {"dashboard", "properties", "leases", "dues", "receipts", "maintenance", "statements"} <= keys
    assert {"recovery", "payments", "profile"} <= keys
    assert "worklist" not in keys and "owner-portal" not in keys
    assert 'data-nav="dashboard" aria-current="page"' in html
    manages = role in {"owner", "manager"}
    assert ({"team", "kyb", "point-of-sale"} <= keys) == manages
    assert ("Nouveau bail" in html) == manages


def test_an_owner_sees_the_whole_office_menu(agency):
    keys = nav_keys(logged_in(member(agency, "owner")).get("/manager/").content.decode())
    assert OFFICE_MENU | {"point-of-sale"} == keys


def test_a_collector_lands_on_the_worklist_and_sees_no_create_button(agency):
    client = logged_in(member(agency, "collector"))
    response = client.get("/manager/")
    assert response.status_code == 302 and response["Location"] == reverse("recovery:field")
    html = client.get(response["Location"]).content.decode()
    assert nav_keys(html) == {"worklist", "point-of-sale", "profile"}
    assert 'data-nav="worklist" aria-current="page"' in html
    for url in ("/manager/estate/leases/", "/manager/estate/properties/", "/manager/estate/tickets/"):
        page = client.get(url).content.decode()
        assert "Nouveau bail" not in page and "Nouveau bien" not in page and "Ouvrir un ticket" not in page


def test_a_viewer_sees_no_create_button(agency):
    client = logged_in(member(agency, "viewer"))
    for url in ("/manager/estate/leases/", "/manager/estate/properties/", "/manager/estate/tickets/"):
        page = client.get(url)
        assert page.status_code == 200
        html = page.content.decode()
        assert "Nouveau bail" not in html and "Nouveau bien" not in html and "Importer" not in html


def test_a_manager_sees_the_create_buttons(agency):
    client = logged_in(member(agency, "manager"))
    assert "Nouveau bail" in client.get("/manager/estate/leases/").content.decode()
    assert "Nouveau bien" in client.get("/manager/estate/properties/").content.decode()


def test_a_merchant_agent_lands_on_the_point_of_sale(db):
    client = logged_in(member(OrganizationFactory(kind="merchant", name="Boutique Sèmè"), "collector"))
    response = client.get("/manager/")
    assert response.status_code == 302 and response["Location"] == reverse("payments:merchant")
    html = client.get(response["Location"]).content.decode()
    assert nav_keys(html) == {"point-of-sale", "profile"}
    report = client.get(reverse("payments:merchant-cash-report")).content.decode()
    assert 'data-nav="cash-report" aria-current="page"' in report  # the area's tab
    assert 'data-nav="point-of-sale" aria-current="page"' in report  # the area, in the bar


def test_a_landlord_lands_on_the_owner_portal(agency):
    prop = PropertyFactory(
        mandate=MandateFactory(agency=agency, owner=OwnerOrgFactory()), name="Villa Adjovi"
    )
    client = logged_in(member(prop.owner, "owner"))
    response = client.get("/manager/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Villa Adjovi" in html
    keys = nav_keys(html)
    assert "owner-portal" in keys and not keys & {"dashboard", "leases", "recovery", "payments"}


def test_a_tenant_without_organization_lands_on_the_tenant_space(agency):
    manager = member(agency, "manager")
    tenant = UserFactory()
    lease_for(manager, managed_property(agency), tenant)
    response = logged_in(tenant).get("/manager/")
    assert response.status_code == 302 and response["Location"] == reverse("estate:tenant-home")


def test_a_tenant_who_works_at_an_agency_lands_on_the_dashboard_and_keeps_the_tenant_space(agency):
    manager = member(agency, "manager")
    lease_for(manager, managed_property(agency), manager)
    response = logged_in(manager).get("/manager/")
    assert response.status_code == 200
    assert "tenant-space" in nav_keys(response.content.decode())


def test_staff_land_on_the_back_office(db):
    response = logged_in(UserFactory(is_staff=True)).get("/manager/")
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")


def test_a_person_with_nothing_yet_gets_the_welcome_page(db):
    response = logged_in(UserFactory()).get("/manager/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bienvenue" in html and 'data-testid="tenant-space-link"' in html
    assert nav_keys(html) == {"profile"}


def test_one_menu_on_every_module_page(agency):
    """The per-module menus are gone: each page carries the same menu, and the area's own
    pages as tabs."""
    client = logged_in(member(agency, "owner"))
    urls = [
        "/manager/estate/",
        "/manager/estate/statements/",
        "/manager/recovery/",
        "/manager/recovery/cases/",
        "/manager/payments/",
        "/manager/identity/profile/",
        "/manager/identity/organizations/",
        "/manager/kyc/",
        "/merchant/",
    ]
    for url in urls:
        html = client.get(url).content.decode()
        assert nav_keys(html) == OFFICE_MENU | {"point-of-sale"}, url
        assert html.count('data-testid="app-nav"') == 1, url
    cases = client.get("/manager/recovery/cases/").content.decode()
    tabs = re.search(r'data-testid="section-nav">(.*?)</nav>', cases, re.S).group(1)
    assert re.findall(r'data-nav="([^"]+)"', tabs) == [
        "recovery",
        "recovery-cases",
        "recovery-ladder",
        "recovery-handovers",
    ]
    assert 'data-nav="recovery-cases" aria-current="page"' in tabs
    assert 'data-nav="recovery" aria-current="page"' in cases  # the area, in the bar
    payments = client.get("/manager/payments/").content.decode()
    assert 'data-nav="pay-link-new"' in payments and 'data-nav="payouts"' in payments


def test_the_menu_speaks_french(agency):
    html = logged_in(member(agency, "owner")).get("/manager/").content.decode()
    for word in ("Biens", "Baux", "Échéances", "Quittances", "Relevés", "Recouvrement", "Paiements", "Plus"):
        assert f">{word}<" in html, word
    assert 'aria-label="Menu principal"' in html


# --- messages -----------------------------------------------------------------------------------


def test_messages_are_styled_and_announced(agency):
    request = RequestFactory().get("/manager/")
    SessionMiddleware(lambda r: None).process_request(request)
    MessageMiddleware(lambda r: None).process_request(request)
    request.user = member(agency, "manager")
    messages.success(request, "Bail créé.")
    messages.info(request, "Pour information.")
    messages.warning(request, "Attention.")
    messages.error(request, "Refusé.")
    html = render(request, "manager/home.html").content.decode()
    assert '<li class="message success" role="status">Bail créé.</li>' in html
    assert '<li class="message info" role="status">Pour information.</li>' in html
    assert '<li class="message warning" role="alert">Attention.</li>' in html
    assert '<li class="message error" role="alert">Refusé.</li>' in html


def test_no_menu_rather_than_a_second_error_when_the_database_fails(agency):
    """The 500 page of a broken transaction still renders: the menu is left out."""
    from django.db import DatabaseError, connection, transaction

    request = RequestFactory().get("/manager/estate/")
    request.user = member(agency, "manager")
    with transaction.atomic():
        with pytest.raises(DatabaseError), connection.cursor() as cursor:
            cursor.execute("SELECT no_such_column FROM no_such_table")
        menu = navigation.for_request(request)  # PostgreSQL refuses every query now
        transaction.set_rollback(True)
    assert menu.items == [] and menu.home is None
