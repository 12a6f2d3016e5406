"""The demo agency has a screening ready to walk through (waiting for the applicant's consent,
at a known link) and one with its report issued; a second run adds nothing."""

import pytest
from django.test import Client
from django.urls import reverse

from apps.scoring import demo
from apps.scoring.models import ScreeningReport, ScreeningRequest
from tests.estate.factories import UnitFactory
from tests.identity.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


class Ctx(dict):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.logins = []


def test_the_demo_agency_has_a_screening_to_walk_through(db):
    owner = MembershipFactory(role="owner", user__phone="+2290197000001", organization__name="Agence Démo")
    UnitFactory(property__mandate__agency=owner.organization, label="Studio 1")
    tenants = [UserFactory(full_name="Candidat Un"), UserFactory(full_name="Candidate Deux")]
    ctx = Ctx(organizations={"agency": owner.organization}, tenants=tenants)
    demo._seed_screening(ctx)
    pending = ScreeningRequest.objects.get(consent_token=demo.DEMO_SCREENING_TOKEN)
    assert pending.status == "pending" and pending.applicant_phone == str(tenants[0].phone)
    assert any(demo.DEMO_SCREENING_TOKEN in role for role, _phone, _pw in ctx.logins)
    report = ScreeningReport.objects.get()
    assert report.request.applicant == tenants[1] and report.recommendation in (
        "accept",
        "conditions",
        "decline",
    )
    page = Client(HTTP_ACCEPT_LANGUAGE="fr").get(
        reverse("scoring:screening-consent", args=[demo.DEMO_SCREENING_TOKEN])
    )
    assert page.status_code == 200 and "Agence Démo" in page.content.decode()

    demo._seed_screening(ctx)
    assert ScreeningRequest.objects.count() == 2
