"""The demo publishes the agency's vacant « chambre salon » C1 of Résidence Les Palmiers
(Fidjrossè, Cotonou), verified by Hokwe; a second run changes nothing."""

import pytest

from apps.core.management.commands.seed_demo import DemoContext
from apps.market import demo
from apps.market.models import Listing
from tests.estate.factories import MandateFactory, PropertyFactory, UnitFactory
from tests.identity.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_demo_publishes_the_vacant_unit_once():
    from apps.kyc.models import Submission

    agency = OrganizationFactory(name="Les Cocotiers")
    owner = UserFactory(phone="+2290197000001")
    MembershipFactory(organization=agency, user=owner, role="owner")
    Submission.objects.create(subject="business", user=owner, organization=agency, status="approved")
    prop = PropertyFactory(
        mandate=MandateFactory(agency=agency),
        name=demo.DEMO_PROPERTY,
        city="Cotonou",
        neighbourhood="Fidjrossè",
        latitude=6.3554,
        longitude=2.3660,
    )
    unit = UnitFactory(
        property=prop, label="C1", kind="chambre_salon", rooms=2, market_rent=55_000, status="vacant"
    )
    ctx = DemoContext()
    ctx["organizations"] = {"agency": agency}
    demo.seed(ctx)
    listing = Listing.objects.get(unit=unit.public_id)
    assert listing.status == "published" and listing.verified
    assert listing.title == demo.DEMO_TITLE and listing.price == 55_000
    assert (listing.neighbourhood, listing.city) == ("Fidjrossè", "Cotonou")
    assert (listing.latitude, listing.longitude) == pytest.approx((6.3554, 2.3660))
    assert "fidjrosse" in listing.search_text
    demo.seed(ctx)
    assert Listing.objects.count() == 1
