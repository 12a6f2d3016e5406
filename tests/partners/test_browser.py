"""« Développeurs » in a real browser, on a phone (390 px) and a laptop (1366 px): French, no
sideways scroll with a 56-character key and a long webhook URL; a test event sent from the
endpoint's page reaches a real local receiver and shows in the log."""

import pytest

from apps.partners import services
from apps.partners.models import ApiKey
from tests.identity.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"


@pytest.fixture
def owner(db):
    agency = OrganizationFactory(name="Agence Développeurs", kind="agency")
    return MembershipFactory(
        organization=agency, role="owner", user=UserFactory(full_name="Rosine Agossou")
    ).user


@pytest.mark.parametrize("width,height", [(390, 844), (1366, 768)])
def test_developers_page_on_a_phone_and_a_laptop(browser, live_server, owner, receiver, width, height):
    org = owner.memberships.get().organization
    account = UserFactory(phone=None, full_name="API · ERP")
    ApiKey.objects.create(
        organization=org,
        name="ERP de l'agence avec un nom assez long",
        environment="test",
        lookup="abcdefghijkl",
        key_hash="0" * 64,
        last4="Zz9_",
        scopes=["payments:read", "payments:write", "estate:read", "webhooks:manage"],
        account=account,
    )
    long_url = receiver.url + "/" + "chemin-tres-long-" * 4
    endpoint = services.endpoint_create(
        actor=owner, organization_id=org.pk, url=long_url, events=["payment.succeeded", "due.paid"]
    )
    page = browser.new_page(locale="fr-FR", viewport={"width": width, "height": height})
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/manager/login/")
    page.fill("input[name=username]", str(owner.phone))
    page.fill("input[name=password]", "secret-pass-123")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/manager/partners/")
    page.wait_for_selector("h1:has-text('Développeurs')")
    assert page.is_visible("text=Clés API") and page.is_visible("text=hk_test_abcdefghijkl…Zz9_")
    assert page.evaluate(OVERFLOW) <= 0
    page.click(f"a[href*='{endpoint.public_id}']")
    page.wait_for_selector("h1:has-text('Adresse de webhook')")
    page.click("[data-testid=send-test]")
    page.wait_for_selector("text=Événement de test")
    page.wait_for_selector("[data-testid=delivery] .pill.succeeded")
    assert [r.json["type"] for r in receiver.received] == ["webhook.test"]
    assert page.evaluate(OVERFLOW) <= 0
