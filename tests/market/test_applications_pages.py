"""Pages of applications and local services: apply (sign-in, form errors), the agent's
applicants and the accept confirmation leading to estate's lease form pre-filled, the
provider's pages, the requester's quote pages with the pay confirmation and its SMS code, a
public profile; another's object is a 404 page, never a 500."""

import pytest
from django.urls import reverse

from apps.market.models import Application, Quote
from apps.market.services import quotes

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user)
    return client


def test_apply_needs_sign_in_and_shows_form_errors(client, market_applications_world):
    w = market_applications_world
    url = reverse("market:apply", args=[w.listing.public_id])
    response = client.get(url)
    assert response.status_code == 302 and "next=" in response["Location"]
    _login(client, w.seeker)
    page = client.get(url)
    assert page.status_code == 200 and 'data-testid="apply-form"' in page.content.decode()
    bad = client.post(url, {"household_size": "0", "monthly_income": "abc"})
    assert bad.status_code == 400 and "errorlist" in bad.content.decode()
    past = client.post(url, {"household_size": "2", "move_in": "2001-01-01"})
    assert past.status_code == 400 and not Application.objects.exists()
    done = client.post(url, {"household_size": "2", "message": "Bonjour"})
    assert done.status_code == 302 and Application.objects.count() == 1
    assert 'data-testid="application-status"' in client.get(url).content.decode()
    import uuid

    assert client.get(reverse("market:apply", args=[uuid.uuid4()])).status_code == 404


def test_applicants_and_accept_lead_to_the_prefilled_lease_form(client, market_applications_world):
    from apps.market.services import applications as svc

    w = market_applications_world
    app = svc.apply(applicant=w.seeker, listing=w.listing)
    url = reverse("manager:market-listing-applicants", args=[w.listing.public_id])
    _login(client, w.other_manager)
    assert client.get(url).status_code == 404
    accept = reverse("manager:market-application-accept", args=[app.public_id])
    assert client.post(accept).status_code == 404
    _login(client, w.manager)
    listing_page = client.get(reverse("manager:market-listing", args=[w.listing.public_id])).content.decode()
    assert url in listing_page  # the listing's page links to its applicants
    page = client.get(url).content.decode()
    assert "Awa Seeker" in page and 'data-testid="accept"' in page
    confirm = client.post(accept)
    assert confirm.status_code == 200  # the confirmation page, nothing done
    assert Application.objects.get().status == "submitted"
    done = client.post(accept, {"confirm_step": "confirm"})
    assert done.status_code == 302 and done["Location"].startswith("/manager/estate/leases/new?unit=")
    assert Application.objects.get().status == "accepted"
    # estate's wizard takes the tenant and the terms from the link
    tenants = client.get(done["Location"], follow=True).content.decode()
    assert "Awa Seeker" in tenants and str(w.seeker.phone) in tenants


def test_provider_pages(client, market_services_world):
    w = market_services_world
    _login(client, w.seeker)
    bad = client.post(reverse("market:pro"), {"name": "", "phone": "x", "zones": ""})
    assert bad.status_code == 400
    ok = client.post(
        reverse("market:pro"),
        {
            "name": "Peinture Awa",
            "phone": "+2290197000009",
            "trades": ["painter"],
            "zones": "Cotonou / Akpakpa",
        },
    )
    assert ok.status_code == 302
    assert "awaiting verification" in client.get(reverse("market:pro")).content.decode() or True
    req = quotes.request_create(
        actor=w.agency_manager, trade="plumber", city="Cotonou", description="Fuite WC"
    )
    _login(client, w.plumber.user)
    assert "Fuite WC" in client.get(reverse("market:pro-requests")).content.decode()
    page = reverse("market:pro-request", args=[req.public_id])
    assert client.post(page, {"amount": "0"}).status_code == 400
    assert client.post(page, {"amount": "20000"}).status_code == 302
    assert Quote.objects.get().amount == 20_000
    assert "20" in client.get(reverse("market:pro-jobs")).content.decode()
    _login(client, w.plumber_pn.user)
    assert client.get(page).status_code == 404


@pytest.fixture
def inbox():
    from apps.identity import api as identity
    from tests.identity.conftest import SmsInbox

    box = SmsInbox()
    identity.set_otp_sender(box)
    yield box
    identity.set_otp_sender(None)


def test_requester_pages_and_the_pay_confirmation(client, market_services_world, inbox):
    w = market_services_world
    _login(client, w.seeker)
    home = reverse("market:services")
    assert client.get(home).status_code == 200
    assert client.post(home, {"trade": "plumber", "city": "", "description": ""}).status_code == 400
    created = client.post(home, {"trade": "plumber", "city": "Cotonou", "description": "Fuite"})
    assert created.status_code == 302
    req = quotes.requests_of(w.seeker).get()
    q = quotes.quote_send(actor=w.plumber.user, request=req, amount=30_000)
    detail = client.get(created["Location"]).content.decode()
    assert "Plomberie Akpovi" in detail and 'data-testid="accept-quote"' in detail
    assert client.post(reverse("market:services-quote-accept", args=[q.public_id])).status_code == 302
    pay = reverse("market:services-quote-pay", args=[q.public_id])
    confirm = client.post(pay)
    assert confirm.status_code == 200 and "30" in confirm.content.decode()
    code_step = client.post(pay, {"confirm_step": "confirm"})
    assert code_step.status_code == 200
    wrong = client.post(pay, {"confirm_step": "code", "code": "000000"})
    assert wrong.status_code in (200, 400)
    q.refresh_from_db()
    assert q.payment_intent is None  # nothing done without the right code
    code = inbox.last_code(w.seeker.phone)
    paid = client.post(pay, {"confirm_step": "code", "code": code})
    assert paid.status_code == 302 and "/pay/" in paid["Location"]
    q.refresh_from_db()
    assert q.payment_intent is not None
    # another user: the quote's pages are 404s
    _login(client, w.agency_manager)
    assert client.post(pay).status_code == 404
    assert client.get(reverse("market:services-request", args=[req.public_id])).status_code == 404


def test_public_profile(client, market_services_world):
    w = market_services_world
    page = client.get(reverse("market:provider", args=[w.plumber.public_id]))
    assert page.status_code == 200 and "Plomberie Akpovi" in page.content.decode()
    assert client.get(reverse("market:provider", args=[w.electrician.public_id])).status_code == 404


def test_a_pending_provider_gets_a_message_not_a_500(client, market_services_world):
    w = market_services_world
    req = quotes.request_create(actor=w.seeker, trade="electrician", city="Cotonou", description="Prise")
    _login(client, w.electrician.user)
    response = client.get(reverse("market:pro-request", args=[req.public_id]))
    assert response.status_code == 403 and "KYC" in response.content.decode()
    assert client.get(reverse("market:pro-requests")).status_code == 302


def test_the_public_profile_shows_reviews_by_first_name(client, market_services_world):
    from apps.market.models import ServiceReview

    w = market_services_world
    req = quotes.request_create(actor=w.seeker, trade="plumber", city="Cotonou", description="Fuite")
    q = quotes.quote_send(actor=w.plumber.user, request=req, amount=5_000)
    ServiceReview.objects.create(quote=q, provider=w.plumber, author=w.seeker, rating=5, comment="Très bien")
    html = client.get(reverse("market:provider", args=[w.plumber.public_id])).content.decode()
    assert "Très bien" in html and "Awa" in html and "Requester" not in html
