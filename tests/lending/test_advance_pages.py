"""Landlord advances' manager pages: the owner sees their organization's rents and limit,
simulates, applies, reads the offer and its confirmation; the agency's manager gets the
not-found page; nobody gets a 500."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.lending.models import Loan

from .test_advance import landlord_world

pytestmark = pytest.mark.django_db


def test_owner_pages_from_the_limit_to_the_offer(client):
    world = landlord_world()
    client.force_login(world.landlord)
    home = client.get(reverse("manager:lending-advances"))
    assert home.status_code == 200
    text = home.content.decode()
    assert world.owner.name in text and 'data-testid="advance-limit"' in text

    url = reverse("manager:lending-advance-apply", args=[world.owner.public_id, world.product.public_id])
    page = client.get(url)
    assert page.status_code == 200 and 'data-testid="advance-rents"' in page.content.decode()
    sim = client.post(url, {"amount": 200_000, "term": 2, "do": "simulate", "key": "k1"})
    assert sim.status_code == 200 and 'data-testid="advance-simulation"' in sim.content.decode()

    applied = client.post(
        url, {"amount": 200_000, "term": 2, "do": "apply", "key": "k1", "purpose": "Toiture"}
    )
    loan = Loan.objects.get(organization=world.owner.public_id)
    assert applied.status_code == 302 and applied["Location"] == reverse(
        "manager:lending-advance", args=[loan.public_id]
    )
    detail = client.get(applied["Location"])
    body = detail.content.decode()
    assert (
        detail.status_code == 200
        and 'data-testid="advance-accept"' in body
        and 'data-testid="advance-facts"' in body
    )

    confirm = client.get(reverse("manager:lending-advance-accept", args=[loan.public_id]))
    assert confirm.status_code == 200

    # the agency managing the properties is not the owner: the not-found page, never the advance
    client.force_login(world.manager)
    other = client.get(reverse("manager:lending-advance", args=[loan.public_id]))
    assert other.status_code == 404 and loan.number not in other.content.decode()
    assert client.get(url).status_code == 404
    assert 'data-testid="advance-no-org"' in client.get(reverse("manager:lending-advances")).content.decode()


def test_an_owner_without_history_is_told_why(client):
    world = landlord_world(months_paid=0)
    client.force_login(world.landlord)
    page = client.get(
        reverse("manager:lending-advance-apply", args=[world.owner.public_id, world.product.public_id])
    )
    assert page.status_code == 200
    assert 'data-testid="advance-not-eligible"' in page.content.decode()
    assert 'data-testid="advance-form"' not in page.content.decode()
