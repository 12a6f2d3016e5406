"""The demo opens visit slots of the demo listing over the next days (but Sunday), hosted by
the agency's manager; a second run changes nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.core.management.commands.seed_demo import DemoContext
from apps.market import demo
from apps.market.models import Listing, VisitSlot
from apps.market.services import visits
from tests.estate.factories import MandateFactory, PropertyFactory, UnitFactory
from tests.identity.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_demo_opens_visit_slots_once():
    from apps.kyc.models import Submission

    agency = OrganizationFactory(name="Les Cocotiers")
    owner = UserFactory(phone="+2290197000001")
    MembershipFactory(organization=agency, user=owner, role="owner")
    manager = UserFactory(phone=demo.DEMO_VISIT_HOST, full_name="Serge Dossou")
    MembershipFactory(organization=agency, user=manager, role="manager")
    Submission.objects.create(subject="business", user=owner, organization=agency, status="approved")
    prop = PropertyFactory(
        mandate=MandateFactory(agency=agency),
        name=demo.DEMO_PROPERTY,
        city="Cotonou",
        neighbourhood="Fidjrossè",
    )
    UnitFactory(property=prop, label="C1", kind="chambre_salon", rooms=2, market_rent=55_000, status="vacant")
    ctx = DemoContext()
    ctx["organizations"] = {"agency": agency}
    demo.seed(ctx)
    listing = Listing.objects.get(public_id=ctx["market_listing"])
    today = timezone.localdate()
    days = [today + timedelta(days=n) for n in range(1, 7) if (today + timedelta(days=n)).weekday() != 6]
    slots = VisitSlot.objects.filter(listing=listing)
    assert slots.count() == 3 * len(days)
    assert set(slots.values_list("host_id", flat=True)) == {manager.pk}
    assert {timezone.localtime(s.starts_at).date() for s in slots} == set(days)
    assert len(visits.open_slots(listing)) == slots.count()
    demo.seed(ctx)
    assert VisitSlot.objects.filter(listing=listing).count() == 3 * len(days)
