"""The borrower's loan pages (/lending/…): « Mes prêts », a product with its simulator, a loan
(offer with the key facts, schedule), repaying (confirmation), withdrawing; another's loan is
the not-found page; the tenant space's panel and menu entry."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.identity.factories import UserFactory
from tests.lending.loans_factories import make_loan, make_product

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(user)
    return client


def test_my_loans_needs_a_login():
    response = Client().get(reverse("lending:loans"))
    assert response.status_code == 302
    assert "next=" in response["Location"]


def test_my_loans_lists_offers_current_loans_and_products_in_french():
    me = UserFactory()
    product = make_product(name="Prêt d'urgence")
    offer = make_loan(me, product, status="approved", principal=75_000)
    active = make_loan(me, product, status="active", principal=120_000)
    make_loan(UserFactory(), product, purpose="Loyer secret d'un autre")
    html = _client(me).get(reverse("lending:loans")).content.decode()
    assert "Mes prêts" in html
    assert offer.number in html and active.number in html
    assert "Loyer secret" not in html
    assert reverse("lending:product", args=[product.public_id]) in html


def test_a_loan_shows_its_schedule_and_what_is_owed():
    me = UserFactory()
    loan = make_loan(me, principal=120_000, term=3, paid=1)
    html = _client(me).get(reverse("lending:loan", args=[loan.public_id])).content.decode()
    assert html.count('data-testid="instalment"') == 3
    assert "Rembourser depuis mon portefeuille" in html
    assert loan.number in html


def test_an_offer_shows_its_key_facts_and_the_accept_button():
    me = UserFactory()
    loan = make_loan(me, status="approved", principal=75_000, term=3)
    html = _client(me).get(reverse("lending:loan", args=[loan.public_id])).content.decode()
    assert 'data-testid="key-facts"' in html
    assert "TEG" in html
    assert reverse("lending:loan-accept", args=[loan.public_id]) in html
    assert "Le coût total est indiqué avant l'acceptation." in html or "Le co\u00fbt total" in html


def test_another_borrowers_loan_is_the_not_found_page():
    loan = make_loan(UserFactory())
    client = _client(UserFactory())
    for name in ("lending:loan", "lending:loan-accept", "lending:loan-repay", "lending:loan-withdraw"):
        response = client.get(reverse(name, args=[loan.public_id]))
        assert response.status_code == 404, name
        assert 'data-testid="loans-not-found"' in response.content.decode()


def test_an_unoffered_product_is_the_not_found_page():
    product = make_product(active=False)
    response = _client(UserFactory()).get(reverse("lending:product", args=[product.public_id]))
    assert response.status_code == 404


def test_withdrawing_an_offer_asks_confirmation_first():
    me = UserFactory()
    loan = make_loan(me, status="approved")
    client = _client(me)
    url = reverse("lending:loan-withdraw", args=[loan.public_id])
    page = client.get(url)
    assert page.status_code == 200
    loan.refresh_from_db()
    assert loan.status == "approved"
    done = client.post(url, {"confirm_step": "confirm"})
    assert done.status_code == 302
    loan.refresh_from_db()
    assert loan.status == "withdrawn"


def test_repaying_more_than_the_wallet_holds_is_said_on_the_form():
    me = UserFactory()
    loan = make_loan(me)
    response = _client(me).post(
        reverse("lending:loan-repay", args=[loan.public_id]), {"amount": 50_000, "key": "k"}
    )
    assert response.status_code == 400
    assert 'data-testid="form-error"' in response.content.decode()
    loan.refresh_from_db()
    assert loan.principal_outstanding == 120_000


def test_the_tenant_space_shows_the_loans_panel():
    from apps.core.panels import registered

    me = UserFactory()
    make_loan(me, principal=120_000)
    (panel,) = [p for p in registered()["estate.tenant"] if p.template == "lending/panels/tenant_loans.html"]

    class Request:
        user = me
        LANGUAGE_CODE = "fr"

    context = panel.context(Request())
    assert context["rows"][0]["active"] is True
