"""scoring's handler of market.ApplicationSubmitted: the screening request is opened for the
applicant (the consent SMS as usual), attached to the application once, and its state shown
in the listing's applicants."""

import pytest

from apps.market.services import applications as svc
from apps.notifications.models import Message
from apps.scoring.handlers import screen_market_application
from apps.scoring.models import ScreeningRequest

pytestmark = pytest.mark.django_db


def test_an_application_opens_the_screening_request_once(
    market_applications_world, django_capture_on_commit_callbacks
):
    w = market_applications_world
    with django_capture_on_commit_callbacks(execute=True):
        app = svc.apply(applicant=w.seeker, listing=w.listing)
    app.refresh_from_db()
    req = ScreeningRequest.objects.get()
    assert app.screening == req.public_id
    assert req.applicant_phone == str(w.seeker.phone) and req.rent == 90_000
    assert req.organization_id == w.agency.id and req.requested_by_id == w.manager.id
    assert Message.objects.filter(template_key="scoring.screening_consent_request").exists()
    rows = svc.applicants(w.manager, w.listing)
    assert rows[0].screening_state == "pending" and rows[0].screening_label
    # the event delivered again: no second request
    from apps.market.events import ApplicationSubmitted

    event = ApplicationSubmitted(
        application_id=str(app.public_id),
        listing_id=str(w.listing.public_id),
        organization_id=str(w.agency.public_id),
        unit_id=str(w.unit.public_id),
        applicant_id=str(w.seeker.public_id),
    )
    screen_market_application(event, event_id="replay")
    assert ScreeningRequest.objects.count() == 1


def test_an_independent_owners_listing_opens_no_request(
    market_applications_world, django_capture_on_commit_callbacks
):
    from apps.market.models import Listing
    from tests.identity.factories import UserFactory

    w = market_applications_world
    owner = UserFactory()
    listing = Listing.objects.create(
        owner=owner, kind="studio", title="Studio", price=40_000, city="Cotonou", status="published"
    )
    with django_capture_on_commit_callbacks(execute=True):
        app = svc.apply(applicant=w.seeker, listing=listing)
    app.refresh_from_db()
    assert app.screening is None and not ScreeningRequest.objects.exists()


def test_scoring_registers_its_valuation_as_the_price_estimator(market_applications_world):
    import uuid

    from apps.market.services import moderation
    from apps.scoring.handlers import _market_price_estimate

    assert _market_price_estimate(uuid.uuid4()) is None  # an unknown unit: no estimate
    assert _market_price_estimate in moderation._ESTIMATORS


def test_a_unit_scoring_cannot_screen_for_opens_nothing_and_raises_nothing(market_applications_world):
    import uuid

    from apps.market.models import Listing
    from apps.scoring.services.market_applications import screen_application

    w = market_applications_world
    Listing.objects.filter(pk=w.listing.pk).update(unit=uuid.uuid4())  # not a unit of estate
    app = svc.apply(applicant=w.seeker, listing=Listing.objects.get(pk=w.listing.pk))
    assert screen_application(str(app.public_id)) is None
    assert not ScreeningRequest.objects.exists()
    assert screen_application(str(uuid.uuid4())) is None  # an unknown application
