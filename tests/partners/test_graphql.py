"""Partners on GraphQL: the same services as REST (create with a step-up, rotate, revoke;
endpoints, test event, replay), the secret only in the creating payload."""

import pytest

from apps.partners.models import ApiKey
from tests.helpers import bearer_client, gql

pytestmark = pytest.mark.django_db

CREATE = """mutation($org: UUID!, $token: String) {
  partnersCreateApiKey(organizationId: $org, name: "ERP", scopes: ["payments:read"], stepUpToken: $token) {
    ok errors { code } secret apiKey { id prefix scopes }
  }
}"""


def test_keys_on_graphql(owner, org, step_up):
    client = bearer_client(owner)
    refused = gql(client, CREATE, {"org": str(org.public_id), "token": None})["partnersCreateApiKey"]
    assert refused["ok"] is False and refused["errors"][0]["code"] == "step_up_required"
    made = gql(client, CREATE, {"org": str(org.public_id), "token": step_up(owner, org)})[
        "partnersCreateApiKey"
    ]
    assert made["ok"] and made["secret"].startswith(made["apiKey"]["prefix"])
    listed = gql(client, "{ partnersApiKeys { id prefix } }")["partnersApiKeys"]
    assert [k["id"] for k in listed] == [made["apiKey"]["id"]] and "secret" not in str(listed)
    rotated = gql(
        client,
        "mutation($id: UUID!) { partnersRotateApiKey(keyId: $id) { ok secret apiKey { id } } }",
        {"id": made["apiKey"]["id"]},
    )["partnersRotateApiKey"]
    assert rotated["ok"] and rotated["secret"] != made["secret"]
    revoked = gql(
        client,
        "mutation($id: UUID!) { partnersRevokeApiKey(keyId: $id) { ok apiKey { revokedAt } } }",
        {"id": rotated["apiKey"]["id"]},
    )["partnersRevokeApiKey"]
    assert revoked["ok"] and revoked["apiKey"]["revokedAt"]
    assert ApiKey.objects.filter(revoked_at__isnull=True).count() == 1  # the old one, in its overlap


def test_endpoints_on_graphql(owner, org, receiver):
    client = bearer_client(owner)
    made = gql(
        client,
        """mutation($org: UUID!, $url: String!) {
          partnersCreateWebhookEndpoint(organizationId: $org, url: $url, events: ["due.paid"]) {
            ok errors { code } secret endpoint { id status events }
          }
        }""",
        {"org": str(org.public_id), "url": receiver.url},
    )["partnersCreateWebhookEndpoint"]
    assert made["ok"] and made["secret"].startswith("whsec_") and made["endpoint"]["events"] == ["due.paid"]
    endpoint_id = made["endpoint"]["id"]
    tested = gql(
        client,
        "mutation($id: UUID!) { partnersSendTestWebhook(endpointId: $id) { ok delivery { id status eventType } } }",
        {"id": endpoint_id},
    )["partnersSendTestWebhook"]
    assert tested["ok"] and tested["delivery"]["eventType"] == "webhook.test"
    from apps.partners import services

    services.deliver_due()
    deliveries = gql(
        client,
        "query($id: UUID!) { partnersWebhookDeliveries(endpointId: $id) { id status attemptLog { statusCode } } }",
        {"id": endpoint_id},
    )["partnersWebhookDeliveries"]
    assert deliveries[0]["status"] == "succeeded" and deliveries[0]["attemptLog"] == [{"statusCode": 200}]
    replayed = gql(
        client,
        "mutation($id: UUID!) { partnersReplayWebhookDelivery(deliveryId: $id) { ok delivery { status } } }",
        {"id": deliveries[0]["id"]},
    )["partnersReplayWebhookDelivery"]
    assert replayed["ok"] and replayed["delivery"]["status"] == "pending"
    disabled = gql(
        client,
        "mutation($id: UUID!) { partnersUpdateWebhookEndpoint(endpointId: $id, enabled: false) { ok endpoint { status } } }",
        {"id": endpoint_id},
    )["partnersUpdateWebhookEndpoint"]
    assert disabled["endpoint"]["status"] == "disabled"
