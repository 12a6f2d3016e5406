"""partners' part of the isolation suite (tests/isolation/cases.py merges it): organization A
has an API key, a webhook endpoint and a delivery. B's owner, an outsider and an anonymous
caller must never reach them, on REST, the « Développeurs » pages and GraphQL."""

from django.urls import reverse

from tests.isolation.framework import GraphQLCase, RestCase, World

SEEDERS = []
REST_CASES = {}
GRAPHQL_CASES = {}
PUBLIC_ROUTES = {}
SELF_SCOPED_GRAPHQL = {}

SECRET_URL = "https://erp-alpha-secret.example/hokwe/webhooks"


def partners_data(world: World) -> None:
    from apps.partners.models import ApiKey, Delivery, WebhookEndpoint
    from apps.partners.services.keys import key_digest

    account = world.user_a  # a key's account is a service account; any user of A will do here
    key = ApiKey.objects.create(
        organization=world.org_a,
        name="ERP Alpha secret",
        environment="test",
        lookup="alphasecret1",
        key_hash=key_digest("hk_test_alphasecret1" + "x" * 43),
        last4="xxxx",
        scopes=["payments:read"],
        account=account,
    )
    endpoint = WebhookEndpoint.objects.create(
        organization=world.org_a,
        url=SECRET_URL,
        events=["payment.succeeded"],
        secret="whsec_alpha_secret_value",
    )
    delivery = Delivery.objects.create(
        endpoint=endpoint,
        event_id="evt_alphasecretevent",
        event_type="payment.succeeded",
        payload={"id": "evt_alphasecretevent", "type": "payment.succeeded", "created": 0, "data": {}},
        status="succeeded",
    )
    world.provide("key_id", key.public_id, "ERP Alpha secret", "alphasecret1")
    world.provide("endpoint_id", endpoint.public_id, SECRET_URL, "whsec_alpha_secret_value")
    world.provide("delivery_id", delivery.public_id, "evt_alphasecretevent")


SEEDERS.append(partners_data)


def _collection(name: str, body):
    """GET lists the caller's own (never A's); POST names A's organization in the body."""

    def case(world: World) -> RestCase:
        return RestCase(
            path=reverse(name, kwargs={"version": "v1"}),
            body={"organization": str(world.org_a.public_id), **body},
            owned=False,
        )

    return case


def _page_post(name: str, body, **ids):
    def case(world: World) -> RestCase:
        kwargs = {k: (world.ids[v] if v in world.ids else v) for k, v in ids.items()}
        return RestCase(
            path=reverse(name, kwargs=kwargs),
            methods=("POST",),
            body={"org": str(world.org_a.public_id), **body},
            owned=not kwargs == {},
        )

    return case


REST_CASES.update(
    {
        "partners-keys": _collection("partners-keys", {"name": "B", "scopes": ["payments:read"]}),
        "partners-endpoints": _collection(
            "partners-endpoints", {"url": "https://b.example/h", "events": ["due.paid"]}
        ),
        "manager:partners-developers": lambda w: RestCase(
            path=reverse("manager:partners-developers"),
            methods=("GET",),
            owned=False,
        ),
        "manager:partners-key-new": _page_post(
            "manager:partners-key-new", {"name": "B", "scopes": "payments:read"}
        ),
        "manager:partners-endpoint-new": _page_post(
            "manager:partners-endpoint-new", {"url": "https://b.example/h", "events": "due.paid"}
        ),
        "manager:partners-key-action": _page_post(
            "manager:partners-key-action", {"confirm_step": "confirm"}, key_id="key_id", action="revoke"
        ),
        "manager:partners-endpoint-action": _page_post(
            "manager:partners-endpoint-action", {}, endpoint_id="endpoint_id", action="test"
        ),
    }
)


def _gql(
    field: str, args: dict, selection: str = "{ ok errors { code } }", kind: str = "mutation", **options
):
    declared = ", ".join(f"${name}: {type_}" for name, (type_, _v) in args.items())
    call = ", ".join(f"{name}: ${name}" for name in args)
    return GraphQLCase(
        query=f"{kind}({declared}) {{ {field}({call}) {selection} }}",
        variables={name: value for name, (_t, value) in args.items()},
        **options,
    )


def _id(w, name):
    return ("UUID!", str(w.ids[name]))


def _org(w):
    return ("UUID!", str(w.org_a.public_id))


GRAPHQL_CASES.update(
    {
        "query.partnersApiKeys": lambda w: _gql(
            "partnersApiKeys",
            {"organizationId": ("UUID", str(w.org_a.public_id))},
            "{ id name prefix }",
            kind="query",
        ),
        "query.partnersWebhookEndpoints": lambda w: _gql(
            "partnersWebhookEndpoints",
            {"organizationId": ("UUID", str(w.org_a.public_id))},
            "{ id url }",
            kind="query",
        ),
        "query.partnersWebhookEndpoint": lambda w: _gql(
            "partnersWebhookEndpoint", {"endpointId": _id(w, "endpoint_id")}, "{ id url }", kind="query"
        ),
        "query.partnersWebhookDeliveries": lambda w: _gql(
            "partnersWebhookDeliveries", {"endpointId": _id(w, "endpoint_id")}, "{ id eventId }", kind="query"
        ),
        "mutation.partnersCreateApiKey": lambda w: _gql(
            "partnersCreateApiKey",
            {
                "organizationId": _org(w),
                "name": ("String!", "B"),
                "scopes": ("[String!]!", ["payments:read"]),
            },
        ),
        "mutation.partnersRotateApiKey": lambda w: _gql("partnersRotateApiKey", {"keyId": _id(w, "key_id")}),
        "mutation.partnersRevokeApiKey": lambda w: _gql("partnersRevokeApiKey", {"keyId": _id(w, "key_id")}),
        "mutation.partnersCreateWebhookEndpoint": lambda w: _gql(
            "partnersCreateWebhookEndpoint",
            {
                "organizationId": _org(w),
                "url": ("String!", "https://b.example/h"),
                "events": ("[String!]!", ["due.paid"]),
            },
        ),
        "mutation.partnersUpdateWebhookEndpoint": lambda w: _gql(
            "partnersUpdateWebhookEndpoint",
            {"endpointId": _id(w, "endpoint_id"), "enabled": ("Boolean", False)},
        ),
        "mutation.partnersRotateWebhookSecret": lambda w: _gql(
            "partnersRotateWebhookSecret", {"endpointId": _id(w, "endpoint_id")}
        ),
        "mutation.partnersSendTestWebhook": lambda w: _gql(
            "partnersSendTestWebhook", {"endpointId": _id(w, "endpoint_id")}
        ),
        "mutation.partnersReplayWebhookDelivery": lambda w: _gql(
            "partnersReplayWebhookDelivery", {"deliveryId": _id(w, "delivery_id")}
        ),
    }
)
