"""The product hosts whose prefix has no page of its own without a token (the debtor portal,
the checkout) land on a page saying where the personal link comes from, not on a 404."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("host", "words"),
    [
        ("recover.hokwepay.me", ["lien personnel", "liste de terrain"]),
        ("checkout.hokwepay.me", ["HokweCheckout", "documentation de l’API"]),
    ],
)
def test_a_product_host_root_lands_on_its_page(settings, host, words):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, host]
    response = Client().get("/", HTTP_HOST=host, HTTP_ACCEPT_LANGUAGE="fr", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain and response.redirect_chain[0][1] == 302
    page = response.content.decode()
    for word in words:
        assert word in page
