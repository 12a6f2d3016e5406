"""Applications from a listing: apply once while live, withdraw, the manager's applicants,
accept (the others declined and told, the listing reserved, estate's lease form pre-filled),
decline, and the screening hook scoring calls."""

import uuid
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from django.db import connection
from django.utils import timezone

from apps.core.models import OutboxEvent
from apps.market import api as market_api
from apps.market import errors
from apps.market.models import Application, Listing
from apps.market.services import applications as svc
from apps.notifications.models import Message
from tests.helpers import run_concurrently

pytestmark = pytest.mark.django_db


def test_apply_publishes_the_event_once(market_applications_world):
    w = market_applications_world
    app = svc.apply(applicant=w.seeker, listing=w.listing, message="Je suis intéressée", household_size=2)
    assert app.status == "submitted" and app.organization_id == w.agency.id
    event = OutboxEvent.objects.get(name="market.ApplicationSubmitted")
    assert event.payload["application_id"] == str(app.public_id)
    assert event.payload["unit_id"] == str(w.unit.public_id)
    with pytest.raises(errors.AlreadyApplied):
        svc.apply(applicant=w.seeker, listing=w.listing)
    assert Application.objects.count() == 1


def test_apply_again_after_withdrawing(market_applications_world):
    w = market_applications_world
    app = svc.apply(applicant=w.seeker, listing=w.listing)
    svc.withdraw(actor=w.seeker, application=app)
    again = svc.apply(applicant=w.seeker, listing=w.listing)
    assert again.pk != app.pk


@pytest.mark.parametrize(
    "fields,field",
    [
        ({"household_size": 0}, "household_size"),
        ({"monthly_income": -1}, "monthly_income"),
        ({"message": "x" * 2001}, "message"),
        ({"move_in": "past"}, "move_in"),
    ],
)
def test_bad_input_is_a_field_error(market_applications_world, fields, field):
    w = market_applications_world
    if fields.get("move_in") == "past":
        fields = {"move_in": timezone.localdate() - timedelta(days=1)}
    with pytest.raises(errors.InvalidApplication) as exc:
        svc.apply(applicant=w.seeker, listing=w.listing, **fields)
    assert exc.value.field == field
    assert not Application.objects.exists()


def test_no_application_to_a_draft_a_sale_or_ones_own(market_applications_world):
    w = market_applications_world
    with pytest.raises(errors.InvalidApplication):
        svc.apply(applicant=w.manager, listing=w.listing)
    Listing.objects.filter(pk=w.listing.pk).update(purpose="sale")
    with pytest.raises(errors.InvalidApplication):
        svc.apply(applicant=w.seeker, listing=w.listing)
    Listing.objects.filter(pk=w.listing.pk).update(purpose="rent", status="draft")
    with pytest.raises(errors.ListingNotFound):
        svc.apply(applicant=w.seeker, listing=w.listing)


def test_only_the_manager_sees_the_applicants(market_applications_world):
    w = market_applications_world
    svc.apply(applicant=w.seeker, listing=w.listing)
    rows = svc.applicants(w.manager, w.listing)
    assert [r.name for r in rows] == ["Awa Seeker"] and rows[0].screening_state == ""
    for outsider in (w.other_manager, w.seeker2):
        with pytest.raises(errors.ListingNotFound):
            svc.applicants(outsider, w.listing)


def test_accept_declines_the_others_reserves_and_prefills_the_lease(
    market_applications_world, django_capture_on_commit_callbacks
):
    w = market_applications_world
    move_in = timezone.localdate() + timedelta(days=10)
    chosen = svc.apply(applicant=w.seeker, listing=w.listing, move_in=move_in)
    other = svc.apply(applicant=w.seeker2, listing=w.listing)
    with django_capture_on_commit_callbacks(execute=True):
        url = svc.accept(actor=w.manager, application=chosen)
    chosen.refresh_from_db()
    other.refresh_from_db()
    w.listing.refresh_from_db()
    assert chosen.status == "accepted" and other.status == "declined" and other.decline_reason
    assert w.listing.status == "reserved"
    assert chosen.lease_prefill["tenant_phone"] == str(w.seeker.phone)
    assert chosen.lease_prefill["rent"] == 90_000 and chosen.lease_prefill["deposit_months"] == 3
    parsed = urlparse(url)
    assert parsed.path == "/manager/estate/leases/new"
    query = parse_qs(parsed.query)
    assert query["unit"] == [str(w.unit.public_id)]
    assert query["tenant_name"] == ["Awa Seeker"] and query["start_date"] == [move_in.isoformat()]
    keys = set(Message.objects.values_list("template_key", flat=True))
    assert {"market.application_accepted", "market.application_declined"} <= keys
    with pytest.raises(errors.InvalidApplicationState):
        svc.accept(actor=w.manager, application=chosen)


def test_another_agency_cannot_accept_or_decline(market_applications_world):
    w = market_applications_world
    app = svc.apply(applicant=w.seeker, listing=w.listing)
    with pytest.raises(errors.ApplicationNotFound):
        svc.accept(actor=w.other_manager, application=app)
    with pytest.raises(errors.ApplicationNotFound):
        svc.decline(actor=w.seeker, application=app, reason="non")
    app.refresh_from_db()
    assert app.status == "submitted"


def test_decline_with_a_reason(market_applications_world, django_capture_on_commit_callbacks):
    w = market_applications_world
    app = svc.apply(applicant=w.seeker, listing=w.listing)
    with pytest.raises(errors.InvalidApplication):
        svc.decline(actor=w.manager, application=app, reason="x" * 301)
    with django_capture_on_commit_callbacks(execute=True):
        svc.decline(actor=w.manager, application=app, reason="Dossier incomplet")
    app.refresh_from_db()
    assert app.status == "declined" and app.decline_reason == "Dossier incomplet"
    bodies = Message.objects.filter(template_key="market.application_declined").values_list("body", flat=True)
    assert bodies and all("Dossier incomplet" in body for body in bodies)


def test_applications_of_is_the_seekers_own(market_applications_world):
    w = market_applications_world
    mine = svc.apply(applicant=w.seeker, listing=w.listing)
    svc.apply(applicant=w.seeker2, listing=w.listing)
    assert list(svc.applications_of(w.seeker)) == [mine]
    with pytest.raises(errors.ApplicationNotFound):
        svc.application_of(w.seeker2, mine.public_id)


def test_attach_screening_keeps_the_first(market_applications_world):
    w = market_applications_world
    app = svc.apply(applicant=w.seeker, listing=w.listing)
    first, second = uuid.uuid4(), uuid.uuid4()
    assert market_api.attach_screening(app.public_id, first)
    market_api.attach_screening(app.public_id, second)
    app.refresh_from_db()
    assert app.screening == first
    assert market_api.attach_screening(uuid.uuid4(), first) is False
    facts = market_api.application_screening_facts(app.public_id)
    assert facts.applicant_phone == str(w.seeker.phone) and facts.rent == 90_000


@pytest.mark.django_db(transaction=True)
def test_two_accepts_at_once_one_wins(market_applications_world):
    """Two managers accept two applicants at the same moment: one accepted, never two."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks")
    w = market_applications_world
    a = svc.apply(applicant=w.seeker, listing=w.listing)
    b = svc.apply(applicant=w.seeker2, listing=w.listing)
    results = run_concurrently(
        [lambda app=x: svc.accept(actor=w.manager, application=app.public_id) for x in (a, b)]
    )
    assert sorted(type(r).__name__ for r in results) == ["InvalidApplicationState", "str"], results
    assert Application.objects.filter(status="accepted").count() == 1
