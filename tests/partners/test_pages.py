"""« Développeurs » pages, in French: a key created after a confirmation and a step-up code
and shown once, revoked after a confirmation; an endpoint added (its secret shown once), a
test event sent to a real local receiver, a delivery replayed; a member who is not an owner
or a manager gets a page that says why."""

import re

import pytest
from django.urls import reverse

from apps.identity.models import Membership
from apps.partners.models import ApiKey, Delivery, WebhookEndpoint

from .conftest import key_client, member

pytestmark = pytest.mark.django_db


def _secret(response) -> str:
    match = re.search(rb'data-testid="secret">([^<]+)<', response.content)
    assert match, response.content.decode()[:2000]
    return match.group(1).decode()


def test_the_page_is_french_and_lists_keys_and_endpoints(client, owner, org, endpoint):
    client.force_login(owner)
    page = client.get(reverse("manager:partners-developers"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Développeurs" in text and "Clés API" in text and "Créer la clé" in text
    assert endpoint.url in text and "Paiement réussi" in text
    assert endpoint.secret not in text  # a secret is never shown again


def test_a_key_is_created_with_a_confirmation_and_a_code_then_shown_once(client, owner, org, sms):
    client.force_login(owner)
    url = reverse("manager:partners-key-new")
    form = {"org": str(org.public_id), "name": "ERP Palmiers", "scopes": ["payments:read", "estate:read"]}
    confirm = client.post(url, form)
    assert confirm.status_code == 200 and "Créer la clé « ERP Palmiers »" in confirm.content.decode()
    assert not ApiKey.objects.exists()
    hidden = dict(
        re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', confirm.content.decode())
    )
    code_step = client.post(url, {**hidden, "confirm_step": "confirm"})
    assert code_step.status_code == 200 and not ApiKey.objects.exists()
    hidden = dict(
        re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', code_step.content.decode())
    )
    shown = client.post(url, {**hidden, "confirm_step": "code", "code": sms.last_code(owner.phone)})
    assert shown.status_code == 200, shown.content.decode()[:3000]
    secret = _secret(shown)
    key = ApiKey.objects.get()
    assert secret.startswith("hk_test_") and sorted(key.scopes) == ["estate:read", "payments:read"]
    assert "ne sera plus affichée" in shown.content.decode()
    assert key_client(secret).get("/api/v1/estate/dues").status_code == 200
    assert secret not in client.get(reverse("manager:partners-developers")).content.decode()


def test_a_key_is_revoked_after_a_confirmation(client, owner, org, make_key):
    created = make_key(owner, org, ["payments:read"])
    client.force_login(owner)
    url = reverse("manager:partners-key-action", kwargs={"key_id": created.key.public_id, "action": "revoke"})
    confirm = client.post(url)
    assert "Révoquer la clé « ERP »" in confirm.content.decode()
    assert ApiKey.objects.get().revoked_at is None
    done = client.post(url, {"confirm_step": "confirm"})
    assert done.status_code == 302
    assert ApiKey.objects.get().revoked_at is not None
    assert key_client(created.secret).get("/api/v1/payments/intents").status_code == 401


def test_an_endpoint_is_added_tested_and_replayed(client, owner, org, receiver):
    client.force_login(owner)
    added = client.post(
        reverse("manager:partners-endpoint-new"),
        {"org": str(org.public_id), "url": receiver.url, "events": ["payment.succeeded", "due.paid"]},
    )
    assert added.status_code == 200
    secret = _secret(added)
    endpoint = WebhookEndpoint.objects.get()
    assert secret == endpoint.secret and secret.startswith("whsec_")
    detail = reverse("manager:partners-endpoint", kwargs={"endpoint_id": endpoint.public_id})
    sent = client.post(
        reverse(
            "manager:partners-endpoint-action", kwargs={"endpoint_id": endpoint.public_id, "action": "test"}
        )
    )
    assert sent.status_code == 302
    (request,) = receiver.received
    assert request.json["type"] == "webhook.test"
    page = client.get(detail).content.decode()
    assert "Événement de test" in page and "HTTP 200" in page and secret not in page
    delivery = Delivery.objects.get()
    client.post(reverse("manager:partners-delivery-replay", kwargs={"delivery_id": delivery.public_id}))
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and len(receiver.received) == 2


def test_a_bad_url_is_refused_on_the_form(client, owner, org, settings):
    settings.PARTNERS_WEBHOOK_REQUIRE_HTTPS = True
    client.force_login(owner)
    refused = client.post(
        reverse("manager:partners-endpoint-new"),
        {"org": str(org.public_id), "url": "http://erp.example.bj/hook", "events": ["due.paid"]},
    )
    assert refused.status_code == 400 and "https://" in refused.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_an_accountant_is_told_who_manages_keys(client, org):
    accountant = member(org, Membership.Role.ACCOUNTANT)
    client.force_login(accountant)
    page = client.get(reverse("manager:partners-developers"))
    assert page.status_code == 403
    assert "Seuls le propriétaire et les gestionnaires" in page.content.decode()


def test_an_api_key_with_webhooks_manage_adds_an_endpoint(owner, org, make_key, receiver):
    manager_key = key_client(make_key(owner, org, ["webhooks:manage"]).secret)
    created = manager_key.post(
        "/api/v1/partners/endpoints",
        {"organization": str(org.public_id), "url": receiver.url, "events": ["payment.succeeded"]},
        format="json",
    )
    assert created.status_code == 201 and created.json()["secret"].startswith("whsec_")
    listed = manager_key.get("/api/v1/partners/endpoints").json()["results"]
    assert [e["url"] for e in listed] == [receiver.url]
    # but not keys: people only
    assert manager_key.get("/api/v1/partners/keys").status_code == 403
