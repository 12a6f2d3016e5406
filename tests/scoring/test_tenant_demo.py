"""The demo's tenant side: a demo tenant with a late or unpaid month has contested it and
agreed to bureau reporting; a second run changes nothing."""

import pytest

from apps.scoring import demo
from apps.scoring.models import BureauConsent, RentLineDispute

pytestmark = pytest.mark.django_db


def test_the_demo_tenant_has_a_dispute_and_the_bureau_consent(rent_history):
    ctx = {}
    demo._seed_tenant_side(ctx)
    dispute = RentLineDispute.objects.get()
    assert dispute.user == rent_history.tenant and dispute.status == "open"
    assert dispute.line["code"] != "on_time"
    assert BureauConsent.objects.get(user=rent_history.tenant).given
    assert ctx["scoring_tenant_side"] == str(rent_history.tenant.phone)
    demo._seed_tenant_side(ctx)
    assert RentLineDispute.objects.count() == 1 and BureauConsent.objects.count() == 1
