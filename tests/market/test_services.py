"""Local services: providers (KYC before active, matching by trade and zone), quote requests
seen only by the matching providers, quotes, acceptance (the constraints decide), payment
through payments (the handler once, replays change nothing), job done, reviews only after a
completed job; hypothesis on the quote state machine."""

import pytest
from django.db import connection
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.kyc.models import KycProfile
from apps.ledger import api as ledger
from apps.market import errors
from apps.market.models import Quote, QuoteRequest, ServiceProvider, ServiceReview
from apps.market.services import providers, quotes
from apps.payments import api as payments
from apps.wallet import api as wallet
from tests.helpers import run_concurrently

pytestmark = pytest.mark.django_db


def sandbox_pay(client, intent_id):
    """Pay an intent by the sandbox provider as the payer would (its page's decision)."""
    checkout = payments.start_payment(intent=intent_id, method="mobile_money", provider="sandbox")
    reference = checkout.url.rstrip("/").split("/")[-1]
    client.post(reverse("payments:sandbox", args=[reference]), {"decision": "approve"})


def _request(w, **fields):
    values = {"actor": w.seeker, "trade": "plumber", "city": "Cotonou", "description": "Fuite sous l'évier"}
    values.update(fields)
    return quotes.request_create(**values)


# --- providers ---


def test_a_provider_is_pending_until_its_kyc_allows_it(market_services_world):
    w = market_services_world
    assert w.plumber.status == "active" and w.electrician.status == "pending"
    assert list(providers.providers_for("electrician", "Cotonou")) == []
    KycProfile.objects.update_or_create(user=w.electrician.user, defaults={"tier": 1})
    providers.refresh_user(w.electrician.user.public_id)
    w.electrician.refresh_from_db()
    assert w.electrician.status == "active"
    assert list(providers.providers_for("electrician", "Cotonou")) == [w.electrician]


def test_signup_refuses_bad_input_and_a_second_profile(market_services_world):
    w = market_services_world
    with pytest.raises(errors.InvalidProvider) as exc:
        providers.provider_signup(
            user=w.seeker, name="X", phone="+2290197000002", trades=["astronaut"], zones=[]
        )
    assert exc.value.field == "trades"
    with pytest.raises(errors.InvalidProvider) as exc:
        providers.provider_signup(user=w.seeker, name="X", phone="+2290197000002", trades=["mover"], zones=[])
    assert exc.value.field == "zones"
    with pytest.raises(errors.InvalidProvider):
        providers.provider_signup(
            user=w.plumber.user,
            name="Encore",
            phone="+2290197000002",
            trades=["mover"],
            zones=[("Cotonou", "")],
        )


def test_providers_for_matches_trade_city_and_neighbourhood(market_services_world):
    w = market_services_world
    assert list(providers.providers_for("plumber", "Cotonou", "Fidjrossè")) == [w.plumber]
    assert list(providers.providers_for("plumber", "porto-novo")) == [w.plumber_pn]
    ServiceProvider.objects.filter(pk=w.plumber.pk).update(status="suspended")
    assert list(providers.providers_for("plumber", "Cotonou")) == []
    with pytest.raises(errors.ProviderNotFound):
        providers.active_provider(w.plumber.public_id)


# --- quote requests: a provider sees only what matches it ---


def test_a_provider_sees_only_matching_or_direct_requests(market_services_world):
    w = market_services_world
    open_req = _request(w)
    direct = _request(w, provider=w.plumber_pn.public_id, city="Cotonou")
    elsewhere = _request(w, city="Parakou")
    other_trade = _request(w, trade="painter")
    seen = set(quotes.requests_for_provider(w.plumber.user))
    assert seen == {open_req}
    assert set(quotes.requests_for_provider(w.plumber_pn.user)) == {direct}
    for hidden in (direct, elsewhere, other_trade):
        with pytest.raises(errors.QuoteRequestNotFound):
            quotes.request_for_provider(w.plumber.user, hidden.public_id)
        with pytest.raises(errors.QuoteRequestNotFound):
            quotes.quote_send(actor=w.plumber.user, request=hidden.public_id, amount=10_000)
    with pytest.raises(errors.ProviderNotActive):
        quotes.requests_for_provider(w.electrician.user)


def test_a_provider_never_sees_another_providers_quote(market_services_world, market_applications_world):
    w = market_services_world
    req = _request(w, city="Cotonou")
    KycProfile.objects.update_or_create(user=w.agency_manager, defaults={"tier": 1})
    rival = providers.provider_signup(
        user=w.agency_manager,
        name="Rival",
        phone="+2290197000003",
        trades=["plumber"],
        zones=[("Cotonou", "")],
    )
    theirs = quotes.quote_send(actor=rival.user, request=req, amount=30_000)
    mine = quotes.quote_send(actor=w.plumber.user, request=req, amount=25_000)
    assert list(quotes.quotes_of_provider(w.plumber.user)) == [mine]
    with pytest.raises(errors.QuoteNotFound):
        quotes.quote_for(w.plumber.user, theirs.public_id)
    with pytest.raises(errors.QuoteNotFound):
        quotes.quote_withdraw(actor=w.plumber.user, quote=theirs.public_id)
    # the requester compares both, cheapest first
    assert list(quotes.quotes_for_request(w.seeker, req)) == [mine, theirs]
    with pytest.raises(errors.QuoteRequestNotFound):
        quotes.quotes_for_request(w.plumber.user, req)


def test_an_agency_sends_its_maintenance_ticket(market_services_world):
    from apps.estate.models import Ticket
    from tests.estate.factories import PropertyFactory

    w = market_services_world
    prop = PropertyFactory(organization=w.agency, city="Cotonou", neighbourhood="Akpakpa")
    ticket = Ticket.objects.create(
        organization=w.agency, property=prop, title="Robinet cassé", description="Cuisine, 2e étage"
    )
    req = quotes.request_create(
        actor=w.agency_manager,
        trade="plumber",
        organization=w.agency.public_id,
        maintenance_ticket=ticket.public_id,
        provider=w.plumber.public_id,
    )
    assert req.maintenance_ticket == ticket.public_id and req.organization_id == w.agency.id
    assert "Robinet cassé" in req.description and req.city == "Cotonou" and req.neighbourhood == "Akpakpa"
    # not a member: refused; another organization's ticket: refused
    with pytest.raises(errors.InvalidQuote) as exc:
        quotes.request_create(
            actor=w.seeker,
            trade="plumber",
            organization=w.agency.public_id,
            maintenance_ticket=ticket.public_id,
        )
    assert exc.value.field == "organization"
    from tests.identity.factories import MembershipFactory

    outsider = MembershipFactory(role="manager")
    with pytest.raises(errors.InvalidQuote) as exc:
        quotes.request_create(
            actor=outsider.user,
            trade="plumber",
            organization=outsider.organization.public_id,
            maintenance_ticket=ticket.public_id,
        )
    assert exc.value.field == "maintenance_ticket"


@pytest.mark.parametrize("amount", [0, -5, 10**13, "100", 1.5, True])
def test_a_quote_amount_is_a_positive_integer(market_services_world, amount):
    w = market_services_world
    req = _request(w)
    with pytest.raises(errors.InvalidQuote) as exc:
        quotes.quote_send(actor=w.plumber.user, request=req, amount=amount)
    assert exc.value.field == "amount"
    assert not Quote.objects.exists()


def test_one_live_quote_per_provider(market_services_world):
    w = market_services_world
    req = _request(w)
    quote = quotes.quote_send(actor=w.plumber.user, request=req, amount=20_000)
    assert quote.currency == "XOF"
    with pytest.raises(errors.AlreadyQuoted):
        quotes.quote_send(actor=w.plumber.user, request=req, amount=18_000)
    quotes.quote_withdraw(actor=w.plumber.user, quote=quote)
    assert quotes.quote_send(actor=w.plumber.user, request=req, amount=18_000).amount == 18_000


# --- acceptance, payment, job done, review ---


def _accepted(w, amount=25_000):
    req = _request(w)
    q = quotes.quote_send(actor=w.plumber.user, request=req, amount=amount)
    quotes.quote_accept(actor=w.seeker, quote=q)
    q.refresh_from_db()
    return q


def test_accept_declines_the_others(market_services_world):
    w = market_services_world
    req = _request(w)
    KycProfile.objects.update_or_create(user=w.agency_manager, defaults={"tier": 1})
    rival = providers.provider_signup(
        user=w.agency_manager,
        name="Rival",
        phone="+2290197000003",
        trades=["plumber"],
        zones=[("Cotonou", "")],
    )
    a = quotes.quote_send(actor=w.plumber.user, request=req, amount=25_000)
    b = quotes.quote_send(actor=rival.user, request=req, amount=30_000)
    with pytest.raises(errors.QuoteNotFound):
        quotes.quote_accept(actor=w.plumber.user, quote=a)
    quotes.quote_accept(actor=w.seeker, quote=a)
    a.refresh_from_db(), b.refresh_from_db(), req.refresh_from_db()
    assert (a.status, b.status, req.status) == ("accepted", "declined", "accepted")
    with pytest.raises(errors.InvalidQuoteState):
        quotes.quote_accept(actor=w.seeker, quote=b)


def test_pay_credits_the_providers_wallet_once(
    market_services_world, client, django_capture_on_commit_callbacks
):
    w = market_services_world
    q = _accepted(w)
    with pytest.raises(errors.InvalidQuoteState):
        quotes.job_done(actor=w.plumber.user, quote=q)
    intent = quotes.quote_pay(actor=w.seeker, quote=q)
    assert quotes.quote_pay(actor=w.seeker, quote=q).public_id == intent.public_id  # one intent per quote
    assert intent.amount == 25_000 and intent.purpose.type == "market.Quote"
    account = wallet.wallet_info(w.plumber.user, "XOF").account
    assert intent.credit_account == account
    with django_capture_on_commit_callbacks(execute=True):
        sandbox_pay(client, intent.public_id)
    q.refresh_from_db()
    assert q.status == "paid" and q.paid_at is not None
    paid_at = q.paid_at
    assert ledger.balance(account=account).posted == 25_000 - intent.fee_amount
    # the event replayed: nothing changes
    quotes.quote_paid(
        quote_id=str(q.public_id), intent_id=str(intent.public_id), amount=25_000, currency="XOF"
    )
    q.refresh_from_db()
    assert q.status == "paid" and q.paid_at == paid_at
    with pytest.raises(errors.InvalidQuoteState):
        quotes.quote_pay(actor=w.seeker, quote=q)


def test_a_payment_of_another_intent_or_amount_changes_nothing(market_services_world):
    w = market_services_world
    q = _accepted(w)
    intent = quotes.quote_pay(actor=w.seeker, quote=q)
    quotes.quote_paid(quote_id=str(q.public_id), intent_id=str(intent.public_id), amount=1, currency="XOF")
    quotes.quote_paid(quote_id=str(q.public_id), intent_id=str(q.public_id), amount=25_000, currency="XOF")
    q.refresh_from_db()
    assert q.status == "accepted"


def _paid(w):
    q = _accepted(w)
    intent = quotes.quote_pay(actor=w.seeker, quote=q)
    quotes.quote_paid(
        quote_id=str(q.public_id), intent_id=str(intent.public_id), amount=q.amount, currency="XOF"
    )
    q.refresh_from_db()
    return q


def test_review_only_after_the_job_is_confirmed_and_once(market_services_world):
    w = market_services_world
    q = _paid(w)
    with pytest.raises(errors.InvalidQuoteState):
        quotes.review(actor=w.seeker, quote=q, rating=5)
    with pytest.raises(errors.InvalidQuoteState):
        quotes.job_confirm(actor=w.seeker, quote=q)  # the provider has not marked it done
    quotes.job_done(actor=w.plumber.user, quote=q)
    with pytest.raises(errors.QuoteNotFound):
        quotes.job_confirm(actor=w.plumber.user, quote=q)  # only the requester confirms
    quotes.job_confirm(actor=w.seeker, quote=q)
    with pytest.raises(errors.QuoteNotFound):
        quotes.review(actor=w.plumber.user, quote=q, rating=5)
    with pytest.raises(errors.InvalidQuote):
        quotes.review(actor=w.seeker, quote=q, rating=6)
    quotes.review(actor=w.seeker, quote=q, rating=4, comment="Rapide et propre")
    with pytest.raises(errors.AlreadyReviewed):
        quotes.review(actor=w.seeker, quote=q, rating=1)
    w.plumber.refresh_from_db()
    assert (w.plumber.jobs_done, w.plumber.rating_sum, w.plumber.rating_count) == (1, 4, 1)
    assert providers.rating(w.plumber) == 4.0
    assert QuoteRequest.objects.get(pk=q.request_id).status == "completed"
    assert ServiceReview.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_quotes_accepted_at_once_one_wins(market_services_world):
    if connection.vendor != "postgresql":
        pytest.skip("row locks")
    w = market_services_world
    req = _request(w)
    KycProfile.objects.update_or_create(user=w.agency_manager, defaults={"tier": 1})
    rival = providers.provider_signup(
        user=w.agency_manager,
        name="Rival",
        phone="+2290197000003",
        trades=["plumber"],
        zones=[("Cotonou", "")],
    )
    a = quotes.quote_send(actor=w.plumber.user, request=req, amount=25_000)
    b = quotes.quote_send(actor=rival.user, request=req, amount=30_000)
    results = run_concurrently(
        [lambda q=x: quotes.quote_accept(actor=w.seeker, quote=q.public_id) for x in (a, b)]
    )
    assert sorted(type(r).__name__ for r in results) == ["InvalidQuoteState", "Quote"], results
    assert Quote.objects.filter(status="accepted").count() == 1


ACTIONS = st.lists(
    st.sampled_from(["withdraw", "accept", "pay", "paid", "done", "confirm", "review", "cancel"]),
    max_size=8,
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=ACTIONS)
def test_the_quote_state_machine_never_skips_a_step(market_services_world, actions):
    """Whatever the order of the actions, a quote only moves sent → accepted → paid →
    completed (or withdrawn/declined), a review exists only for a completed quote, and
    the provider's counters match its reviews and completed jobs."""
    w = market_services_world
    req = _request(w)
    q = quotes.quote_send(actor=w.plumber.user, request=req, amount=10_000)
    allowed = {
        "sent": {"sent", "accepted", "withdrawn", "declined"},
        "accepted": {"accepted", "paid"},
        "paid": {"paid", "completed"},
        "completed": {"completed"},
        "withdrawn": {"withdrawn"},
        "declined": {"declined"},
    }
    intent = None
    for action in actions:
        before = Quote.objects.get(pk=q.pk).status
        try:
            if action == "withdraw":
                quotes.quote_withdraw(actor=w.plumber.user, quote=q)
            elif action == "accept":
                quotes.quote_accept(actor=w.seeker, quote=q)
            elif action == "pay":
                intent = quotes.quote_pay(actor=w.seeker, quote=q)
            elif action == "paid" and intent is not None:
                quotes.quote_paid(
                    quote_id=str(q.public_id), intent_id=str(intent.public_id), amount=10_000, currency="XOF"
                )
            elif action == "done":
                quotes.job_done(actor=w.plumber.user, quote=q)
            elif action == "confirm":
                quotes.job_confirm(actor=w.seeker, quote=q)
            elif action == "review":
                quotes.review(actor=w.seeker, quote=q, rating=3)
            elif action == "cancel":
                quotes.request_cancel(actor=w.seeker, request=req)
        except (errors.InvalidQuoteState, errors.AlreadyReviewed):
            pass
        after = Quote.objects.get(pk=q.pk).status
        assert after in allowed[before], (action, before, after)
    final = Quote.objects.get(pk=q.pk)
    assert ServiceReview.objects.filter(quote=final).exists() <= (final.status == "completed")
    provider = ServiceProvider.objects.get(pk=w.plumber.pk)
    completed = Quote.objects.filter(provider=provider, status="completed").count()
    reviews = ServiceReview.objects.filter(provider=provider)
    assert provider.jobs_done == completed
    assert provider.rating_count == reviews.count() and provider.rating_sum == 3 * reviews.count()


def test_staff_suspend_a_provider_in_the_admin(market_services_world):
    from tests.identity.factories import UserFactory
    from tests.wallet.test_safeguarding import admin_client

    w = market_services_world
    staff = UserFactory(is_staff=True, staff_role="support")
    client = admin_client(staff)
    url = reverse("admin:market_serviceprovider_changelist")
    assert client.get(url).status_code == 200
    response = client.post(url, {"action": "suspend_selected", "_selected_action": [w.plumber.pk]})
    assert response.status_code == 302
    w.plumber.refresh_from_db()
    assert w.plumber.status == "suspended"
    with pytest.raises(errors.ProviderNotFound):
        providers.provider_suspend(staff=w.seeker, provider=w.plumber, suspended=False)
    providers.provider_suspend(staff=staff, provider=w.plumber, suspended=False)
    w.plumber.refresh_from_db()
    assert w.plumber.status == "active"


def test_a_provider_photo_is_resized_without_its_exif(market_services_world, client):
    import io

    from django.core.files.storage import default_storage
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    w = market_services_world
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 900), "orange").save(buffer, "JPEG", exif=exif)
    upload = SimpleUploadedFile("work.jpg", buffer.getvalue(), content_type="image/jpeg")
    photo = providers.photo_add(actor=w.plumber.user, upload=upload, caption="Salle de bain")
    assert set(photo.sizes) == {"thumb", "medium", "large"}
    with default_storage.open(photo.original.name) as stored:
        data = stored.read()
    assert b"SecretCam" not in data
    with default_storage.open(photo.sizes["thumb"]) as thumb:
        assert max(Image.open(thumb).size) <= 320
    client.force_login(w.plumber.user)
    bad = client.post(
        reverse("market:pro-photo"), {"photo": SimpleUploadedFile("x.jpg", b"not an image", "image/jpeg")}
    )
    assert bad.status_code == 302
    assert w.plumber.photos.count() == 1
    with pytest.raises(errors.ProviderNotFound):
        providers.photo_remove(actor=w.plumber_pn.user, photo_id=photo.public_id)
    providers.photo_remove(actor=w.plumber.user, photo_id=photo.public_id)
    assert w.plumber.photos.count() == 0
