"""The agency's global search (/manager/search/?q=): tenants by name or by phone written the
local way, units, lease references, rent receipt and payment receipt numbers — never another
organization's rows, in a bounded number of queries."""

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.core.web.search import phone_variants, providers
from apps.estate.models import Quittance
from tests.fixtures.estate import lease_for, managed_property, pay_rent
from tests.identity.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/manager/search/"


@pytest.fixture
def world(time_machine):
    time_machine.move_to("2026-03-10T11:00:00+00:00", tick=False)
    agency = OrganizationFactory(name="Agence Cherche", kind="agency")
    manager = MembershipFactory(organization=agency, role="manager").user
    prop = managed_property(agency, name="Résidence Akpakpa")
    tenant = UserFactory(full_name="Brice Zinsou", phone="+2290197000001")
    lease = lease_for(manager, prop, tenant, unit_label="B2")
    pay_rent(manager, lease, 80_000, received_on=date(2026, 1, 5))

    other = OrganizationFactory(name="Agence Autre", kind="agency")
    other_manager = MembershipFactory(organization=other, role="owner").user
    other_prop = managed_property(other, name="Résidence Secrète Zinsou")
    other_tenant = UserFactory(full_name="Brice Zinsou-Autre", phone="+2290197000002")
    # (lease references are numbered per organization and year but unique overall: another year)
    other_lease = lease_for(
        other_manager, other_prop, other_tenant, unit_label="B2-AUTRE", start_date=date(2025, 12, 1)
    )
    pay_rent(other_manager, other_lease, 80_000, received_on=date(2026, 1, 5))
    return {
        "manager": manager,
        "lease": lease,
        "tenant": tenant,
        "other_lease": other_lease,
        "other_manager": other_manager,
        "receipt": Quittance.objects.get(due__lease=lease),
        "other_receipt": Quittance.objects.get(due__lease=other_lease),
    }


def _search(user, q) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(URL, {"q": q})
    assert response.status_code == 200
    return response.content.decode()


def test_phone_variants_read_the_local_ways_of_writing_a_number():
    assert "97000001" in phone_variants("97 00 00 01")
    assert "2290197000001" in phone_variants("+229 01 97 00 00 01")
    assert "2290197000001" in phone_variants("00229 01 97 00 00 01")
    assert "97000001" in phone_variants("+229 97 00 00 01")  # before the 01 prefix
    assert phone_variants("Zinsou") == [] and phone_variants("12") == []


def test_providers_are_discovered_from_the_modules():
    assert {"estate", "payments"} <= {label for label, _f in providers()}


def test_finds_a_tenant_by_name_and_never_another_organizations(world):
    html = _search(world["manager"], "zinsou")
    assert "Brice Zinsou" in html and 'data-kind="tenant"' in html
    assert str(world["lease"].public_id) in html
    assert "Zinsou-Autre" not in html and "Résidence Secrète" not in html
    assert str(world["other_lease"].public_id) not in html


@pytest.mark.parametrize(
    "written", ["97 00 00 01", "01 97 00 00 01", "+229 01 97 00 00 01", "+229 97 00 00 01"]
)
def test_finds_a_tenant_by_phone_written_locally(world, written):
    html = _search(world["manager"], written)
    assert "Brice Zinsou" in html
    assert "+229 01 97 00 00 01" in html  # shown as people read it


def test_another_organizations_tenant_is_not_found_by_phone(world):
    html = _search(world["manager"], "97 00 00 02")
    assert "Zinsou-Autre" not in html
    assert "Rien trouvé pour" in html


def test_finds_a_lease_by_reference_and_a_unit(world):
    lease = world["lease"]
    html = _search(world["manager"], lease.reference)
    assert 'data-kind="lease"' in html and lease.reference in html
    html = _search(world["manager"], "Akpakpa")
    assert 'data-kind="unit"' in html and "Résidence Akpakpa · B2" in html


def test_finds_a_rent_receipt_by_number_only_in_the_users_organizations(world):
    receipt, other = world["receipt"], world["other_receipt"]
    html = _search(world["manager"], receipt.number)
    assert 'data-kind="receipt"' in html and f"/manager/estate/receipts/{receipt.public_id}.pdf" in html
    assert str(other.public_id) not in html  # the same number exists in the other agency
    html = _search(world["other_manager"], other.number)
    assert str(other.public_id) in html and str(receipt.public_id) not in html


def test_a_user_without_organization_finds_nothing(world):
    html = _search(UserFactory(), "Zinsou")
    assert "Brice Zinsou" not in html


def test_short_query_and_the_shell_box(world):
    html = _search(world["manager"], "z")
    assert "Saisissez au moins 2 caractères." in html
    assert 'data-testid="shell-search"' in html  # the box in the app shell
    client = Client()
    client.force_login(world["manager"])
    page = client.get("/manager/estate/leases/", {"q": "zinsou"}).content.decode()
    assert 'data-testid="shell-search"' in page
    assert 'name="q" value=""' in page  # the shell box does not echo a list's own filter


def test_anonymous_is_sent_to_the_login():
    response = Client().get(URL, {"q": "Zinsou"})
    assert response.status_code == 302 and "/manager/login/" in response["Location"]


def test_search_runs_in_a_bounded_number_of_queries(world):
    manager, prop = world["manager"], world["lease"].unit.property
    for i in range(30):
        lease_for(manager, prop, UserFactory(full_name=f"Zinsou Famille {i}"), unit_label=f"Z{i}")
    client = Client()
    client.force_login(manager)
    client.get(URL, {"q": "x"})  # session, menu and caches warmed
    with CaptureQueriesContext(connection) as queries:
        html = client.get(URL, {"q": "zinsou"}).content.decode()
    assert html.count('data-kind="tenant"') == 20  # the limit per provider
    assert len(queries) <= 25, [q["sql"][:120] for q in queries]


def _paid_intent(organization, number: str, code: str):
    import uuid

    from django.utils import timezone

    from apps.payments.models import PaymentIntent

    return PaymentIntent.objects.create(
        organization=organization,
        amount=80_000,
        currency="XOF",
        purpose_type="test",
        description="Loyer de mars",
        payer_name="Brice Zinsou",
        credit_account=uuid.uuid4(),
        expires_at=timezone.now(),
        pay_token=f"tok-{code}",
        status="succeeded",
        succeeded_at=timezone.now(),
        receipt_number=number,
        receipt_code=code,
    )


def test_finds_a_payment_receipt_by_number_only_in_the_users_organizations(world):
    mine = world["lease"].organization
    other = world["other_lease"].organization
    _paid_intent(mine, "R2026-000123", "codemine1")
    _paid_intent(other, "R2026-000124", "codeother1")
    html = _search(world["manager"], "R2026-00012")
    assert 'data-kind="payment"' in html and "R2026-000123" in html and "/r/codemine1" in html
    assert "R2026-000124" not in html and "codeother1" not in html
