"""Partners' GraphQL types. A secret appears only in the payload that created or rotated it."""

from __future__ import annotations

import graphene

from apps.core.graphql.types import PublicIdField, UTCDateTime


class PartnersApiKeyType(graphene.ObjectType):
    id = PublicIdField()
    organization_id = graphene.UUID(required=True)
    name = graphene.String(required=True)
    prefix = graphene.String(required=True)
    last4 = graphene.String(required=True)
    scopes = graphene.List(graphene.NonNull(graphene.String), required=True)
    rate = graphene.String(required=True)
    created_at = UTCDateTime(required=True)
    expires_at = UTCDateTime()
    revoked_at = UTCDateTime()
    last_used_at = UTCDateTime()
    last_used_ip = graphene.String()

    @staticmethod
    def resolve_organization_id(key, info):
        return key.organization.public_id


class PartnersWebhookEndpointType(graphene.ObjectType):
    id = PublicIdField()
    organization_id = graphene.UUID(required=True)
    url = graphene.String(required=True)
    description = graphene.String(required=True)
    events = graphene.List(graphene.NonNull(graphene.String), required=True)
    status = graphene.String(required=True)
    disabled_at = UTCDateTime()
    disabled_reason = graphene.String(required=True)
    created_at = UTCDateTime(required=True)

    @staticmethod
    def resolve_organization_id(endpoint, info):
        return endpoint.organization.public_id


class PartnersDeliveryAttemptType(graphene.ObjectType):
    number = graphene.Int(required=True)
    started_at = UTCDateTime(required=True)
    duration_ms = graphene.Int(required=True)
    status_code = graphene.Int()
    response_excerpt = graphene.String(required=True)
    error = graphene.String(required=True)
    succeeded = graphene.Boolean(required=True)


class PartnersDeliveryType(graphene.ObjectType):
    id = PublicIdField()
    event_id = graphene.String(required=True)
    event_type = graphene.String(required=True)
    status = graphene.String(required=True)
    attempts = graphene.Int(required=True)
    next_attempt_at = UTCDateTime()
    last_status_code = graphene.Int()
    delivered_at = UTCDateTime()
    created_at = UTCDateTime(required=True)
    attempt_log = graphene.List(graphene.NonNull(PartnersDeliveryAttemptType), required=True)

    @staticmethod
    def resolve_attempt_log(delivery, info):
        return list(delivery.attempt_log.all())
