"""Core's panels (apps/core/panels.py), through a real one: the wallet's « Mon portefeuille » in
the tenant's space (slot `estate.tenant`, apps/wallet/panels.py). Discovery finds a module's
`panels.py` without core or estate naming it; a slot renders the panels that answer a context
and nothing for those that answer None; the page that declares the slot shows it; panels come
in their order; a slot nobody fills renders nothing; the tag needs a request."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from apps.core.panels import registered, render_slot

pytestmark = pytest.mark.django_db


def _request(user=None):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/pay/")
    request.user = user or AnonymousUser()
    request.LANGUAGE_CODE = "fr"
    return request


def test_discovery_finds_the_wallets_panel_for_the_tenant_space():
    found = registered().get("estate.tenant", ())
    wallet = [p for p in found if p.template == "wallet/panels/tenant.html"]
    assert len(wallet) == 1
    assert wallet[0].context.__module__ == "apps.wallet.panels"


def test_a_panel_answering_none_shows_nothing():
    # the wallet's panel has nothing to say to an anonymous visitor
    assert str(render_slot(_request(), "estate.tenant")).count('data-testid="wallet-panel"') == 0


def test_a_slot_renders_the_panel_with_the_users_own_balance(fund):
    from apps.wallet.services import wallets
    from tests.identity.factories import UserFactory

    user, other = UserFactory(), UserFactory()
    fund(wallets.wallet_for(user), 42_500)
    fund(wallets.wallet_for(other), 99_000)
    html = str(render_slot(_request(user), "estate.tenant"))
    assert 'data-testid="wallet-panel"' in html
    assert "42\u202f500" in html and "99\u202f000" not in html
    assert f'href="{reverse("wallet:home")}"' in html


def test_a_user_without_a_wallet_sees_zero_and_nothing_is_created():
    from apps.wallet.models import Wallet
    from tests.identity.factories import UserFactory

    user = UserFactory()
    html = str(render_slot(_request(user), "estate.tenant"))
    assert 'data-testid="wallet-panel"' in html and "0\u00a0FCFA" in html.replace("\u202f", "\u00a0")
    assert not Wallet.objects.filter(user_id=user.pk).exists()


def test_an_unknown_slot_renders_nothing():
    from tests.identity.factories import UserFactory

    assert str(render_slot(_request(UserFactory()), "nobody.fills.this")) == ""


def test_every_slots_panels_come_in_their_order_and_their_templates_exist():
    from django.template.loader import get_template

    for slot, found in registered().items():
        assert [p.order for p in found] == sorted(p.order for p in found), slot
        for panel in found:
            assert panel.slot == slot
            get_template(panel.template)  # TemplateDoesNotExist otherwise


def test_the_tag_without_a_request_renders_nothing():
    from django.template import Context, Template

    html = Template('{% load panels %}[{% panels "estate.tenant" %}]').render(Context({}))
    assert html == "[]"


def test_the_tenant_space_shows_the_wallet_panel(split_world_for_panels, fund):
    from apps.wallet.services import wallets

    tenant = split_world_for_panels
    fund(wallets.wallet_for(tenant), 15_000)
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(tenant)
    body = client.get(reverse("estate:tenant-home")).content.decode()
    assert 'data-testid="wallet-panel"' in body and "15\u202f000" in body
    assert "Mon portefeuille" in body


@pytest.fixture
def split_world_for_panels(db):
    """A tenant with a lease (the tenant space's home lists their leases and its slot)."""
    from django.utils import timezone

    from tests.fixtures.estate import agency_property, first_of_month, lease_for
    from tests.identity.factories import MembershipFactory, UserFactory

    membership = MembershipFactory(role="owner")
    prop = agency_property(membership.user, membership.organization.pk, name="Résidence Panneaux")
    tenant = UserFactory(full_name="Awa Panneau")
    lease_for(
        membership.user, prop, tenant, start_date=first_of_month(timezone.localdate(), -1), deposit_months=0
    )
    return tenant


@pytest.fixture
def fund(db):
    import uuid

    from apps.ledger import api as ledger
    from apps.wallet.services import wallets

    clearing = ledger.system_account(code="provider_clearing.sandbox", currency="XOF").public_id

    def _fund(wallet, amount):
        return wallets.move(
            idempotency_key=f"test:panels:{uuid.uuid4()}",
            code="wallet.topup",
            debit=clearing,
            credit=wallet.account,
            amount=amount,
            currency=wallet.currency,
            into=wallet,
        )

    return _fund
