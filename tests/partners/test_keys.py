"""Organization API keys: hashed (the secret is never stored), scoped (403 problem outside the
scopes), rotated with an overlap, revoked at once (401, in every client), rate limited per
key (429 with Retry-After)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.identity.models import Membership
from apps.partners import services
from apps.partners.models import ApiKey
from tests.helpers import bearer_client

from .conftest import key_client, member

pytestmark = pytest.mark.django_db


def _intent_body(org):
    return {
        "organization": str(org.public_id),
        "amount": 75_000,
        "currency": "XOF",
        "description": "Loyer décembre 2026 — Appartement B2",
        "purpose_type": "partner.Rent",
        "purpose_id": "apt-b2-2026-12",
        "payer_name": "Brice Zinsou",
        "payer_phone": "+2290161000001",
    }


def test_the_secret_is_shown_once_and_never_stored(owner, org, make_key):
    created = make_key(owner, org, ["payments:read"])
    assert created.secret.startswith("hk_test_") and len(created.secret) == len("hk_test_") + 12 + 43
    row = ApiKey.objects.get(pk=created.key.pk)
    stored = " ".join(str(value) for value in row.__dict__.values())
    assert created.secret not in stored and created.secret[len(row.prefix) :] not in stored
    assert row.key_hash == services.keys.key_digest(created.secret) and len(row.key_hash) == 64
    assert services.key_authenticate(created.secret) == row
    # one character off: refused, though the lookup part matches
    wrong = created.secret[:-1] + ("A" if created.secret[-1] != "A" else "B")
    assert services.key_authenticate(wrong) is None


def test_creating_a_key_needs_an_owner_or_manager_and_a_step_up(owner, org, sms):
    from apps.core.errors import Forbidden
    from apps.identity.errors import StepUpRequired

    with pytest.raises(StepUpRequired):
        services.key_create(actor=owner, organization_id=org.pk, name="ERP", scopes=["payments:read"])
    accountant = member(org, Membership.Role.ACCOUNTANT)
    with pytest.raises(Forbidden):
        services.key_create(actor=accountant, organization_id=org.pk, name="ERP", scopes=["payments:read"])


def test_a_read_key_cannot_create_an_intent(owner, org, make_key):
    reader = key_client(make_key(owner, org, ["payments:read"]).secret)
    refused = reader.post("/api/v1/payments/intents", _intent_body(org), format="json")
    assert refused.status_code == 403
    assert refused["Content-Type"].startswith("application/problem+json")
    assert refused.json()["code"] == "scope_missing"
    assert reader.get("/api/v1/payments/intents").status_code == 200
    # not a route keys may call at all (deny by default)
    assert reader.get("/api/v1/identity/me").status_code == 403


def test_a_write_key_creates_an_intent_for_its_organization_only(owner, org, other_org, make_key):
    writer = key_client(make_key(owner, org, ["payments:write", "payments:read"]).secret)
    created = writer.post(
        "/api/v1/payments/intents", _intent_body(org), format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert created.status_code == 201, created.content
    intent = created.json()
    assert writer.get(f"/api/v1/payments/intents/{intent['id']}").json()["status"] == intent["status"]
    elsewhere = writer.post("/api/v1/payments/intents", _intent_body(other_org), format="json")
    assert elsewhere.status_code in (403, 404)


def test_rotation_keeps_the_old_key_for_the_overlap_then_it_expires(owner, org, make_key, settings):
    settings.PARTNERS_KEY_ROTATION_OVERLAP_HOURS = 24
    old = make_key(owner, org, ["payments:read"])
    now = timezone.now()
    new = services.key_rotate(actor=owner, key=old.key, now=now)
    assert new.secret != old.secret and new.key.scopes == ["payments:read"]
    assert new.key.account_id == old.key.account_id
    assert key_client(old.secret).get("/api/v1/payments/intents").status_code == 200
    assert key_client(new.secret).get("/api/v1/payments/intents").status_code == 200
    old.key.refresh_from_db()
    assert old.key.expires_at == now + timedelta(hours=24)
    assert services.key_authenticate(old.secret, now=now + timedelta(hours=24, seconds=1)) is None
    assert services.key_authenticate(new.secret, now=now + timedelta(hours=24, seconds=1)) is not None
    ApiKey.objects.filter(pk=old.key.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert key_client(old.secret).get("/api/v1/payments/intents").status_code == 401
    assert key_client(new.secret).get("/api/v1/payments/intents").status_code == 200


def test_a_revoked_key_gets_401_at_once_in_another_client(owner, org, make_key):
    created = make_key(owner, org, ["payments:read"])
    partner_a = key_client(created.secret)  # the partner's server
    partner_b = key_client(created.secret)  # a second process of the same partner
    assert partner_a.get("/api/v1/payments/intents").status_code == 200
    assert partner_b.get("/api/v1/payments/intents").status_code == 200
    revoked = bearer_client(owner).post(f"/api/v1/partners/keys/{created.key.public_id}/revoke")
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    for client in (partner_b, partner_a):
        answer = client.get("/api/v1/payments/intents")
        assert answer.status_code == 401
        assert answer.json()["code"] == "api_key_invalid"
    # its service account can nothing any more either
    account = ApiKey.objects.get(pk=created.key.pk).account
    assert not account.is_active


def test_each_key_has_its_own_rate_limit(owner, org, make_key):
    limited = make_key(owner, org, ["payments:read"], name="limited")
    free = make_key(owner, org, ["payments:read"], name="free")
    ApiKey.objects.filter(pk=limited.key.pk).update(rate="2/min")
    client = key_client(limited.secret)
    assert [client.get("/api/v1/payments/intents").status_code for _ in range(2)] == [200, 200]
    refused = client.get("/api/v1/payments/intents")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    assert refused.json()["code"] == "throttled"
    assert key_client(free.secret).get("/api/v1/payments/intents").status_code == 200


def test_last_use_is_recorded(owner, org, make_key):
    created = make_key(owner, org, ["payments:read"])
    key_client(created.secret).get("/api/v1/payments/intents", REMOTE_ADDR="203.0.113.7")
    row = ApiKey.objects.get(pk=created.key.pk)
    assert row.last_used_at is not None and row.last_used_ip == "203.0.113.7"


def test_unknown_and_malformed_keys_get_401(db):
    assert key_client("hk_test_" + "a" * 55).get("/api/v1/payments/intents").status_code == 401
    assert key_client("hk_live_short").get("/api/v1/payments/intents").status_code == 401


def test_a_retried_creation_makes_one_key_and_never_stores_its_secret(owner, org, step_up):
    from apps.core.models import IdempotencyRecord

    client = bearer_client(owner)
    body = {"organization": str(org.public_id), "name": "ERP", "scopes": ["payments:read"]}
    token = step_up(owner, org)
    first = client.post(
        "/api/v1/partners/keys",
        {**body, "step_up_token": token},
        format="json",
        HTTP_IDEMPOTENCY_KEY="erp-key",
    )
    assert first.status_code == 201 and first.json()["secret"].startswith("hk_test_")
    again = client.post(
        "/api/v1/partners/keys",
        {**body, "step_up_token": token},
        format="json",
        HTTP_IDEMPOTENCY_KEY="erp-key",
    )
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"] and again.json()["secret"] is None
    assert ApiKey.objects.count() == 1
    stored = " ".join(str(r.response_body) for r in IdempotencyRecord.objects.all())
    assert first.json()["secret"] not in stored
