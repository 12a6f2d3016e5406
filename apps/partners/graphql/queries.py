"""PartnersQueries: scoped like REST (the same selectors). What the caller may not see is
null or an empty list."""

from __future__ import annotations

import graphene

from apps.core.graphql.mutations import clamp_first, current_user, or_none

from .. import selectors
from .types import PartnersApiKeyType, PartnersDeliveryType, PartnersWebhookEndpointType


def _org(user, organization_id, permission):
    return selectors.managed_org_id(user, organization_id, permission) if organization_id else None


class PartnersQueries(graphene.ObjectType):
    partners_api_keys = graphene.List(
        graphene.NonNull(PartnersApiKeyType), required=True, organization_id=graphene.UUID()
    )
    partners_webhook_endpoints = graphene.List(
        graphene.NonNull(PartnersWebhookEndpointType), required=True, organization_id=graphene.UUID()
    )
    partners_webhook_endpoint = graphene.Field(
        PartnersWebhookEndpointType, endpoint_id=graphene.UUID(required=True)
    )
    partners_webhook_deliveries = graphene.List(
        graphene.NonNull(PartnersDeliveryType),
        required=True,
        endpoint_id=graphene.UUID(required=True),
        first=graphene.Int(default_value=50),
    )

    @staticmethod
    def resolve_partners_api_keys(root, info, organization_id=None):
        user = current_user(info)
        if user is None:
            return []
        load = or_none(
            lambda: list(selectors.keys_for(user, _org(user, organization_id, "partners.key.view")))
        )
        return load() or []

    @staticmethod
    def resolve_partners_webhook_endpoints(root, info, organization_id=None):
        user = current_user(info)
        if user is None:
            return []
        load = or_none(
            lambda: list(selectors.endpoints_for(user, _org(user, organization_id, "partners.endpoint.view")))
        )
        return load() or []

    @staticmethod
    @or_none
    def resolve_partners_webhook_endpoint(root, info, endpoint_id):
        user = current_user(info)
        return selectors.endpoint_for(user, endpoint_id) if user else None

    @staticmethod
    def resolve_partners_webhook_deliveries(root, info, endpoint_id, first=50):
        user = current_user(info)
        if user is None:
            return []

        @or_none
        def load():
            endpoint = selectors.endpoint_for(user, endpoint_id)
            return list(selectors.deliveries_for(user, endpoint)[: clamp_first(first, maximum=200)])

        return load() or []
