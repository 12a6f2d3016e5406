"""Partners' mutations (HokweMutation), on the same services as REST and the pages. Named
`partners<Verb><Thing>`."""

from __future__ import annotations

import graphene

from apps.core.graphql.mutations import HokweMutation

from .. import selectors, services
from .types import PartnersApiKeyType, PartnersDeliveryType, PartnersWebhookEndpointType


class PartnersCreateApiKey(HokweMutation):
    class Arguments:
        organization_id = graphene.UUID(required=True)
        name = graphene.String(required=True)
        scopes = graphene.List(graphene.NonNull(graphene.String), required=True)
        rate = graphene.String()
        step_up_token = graphene.String(description="identity's step-up for partners.key.create")

    api_key = graphene.Field(PartnersApiKeyType)
    secret = graphene.String(description="The whole key, shown this once")

    @classmethod
    def perform(cls, info, user, *, organization_id, name, scopes, rate="", step_up_token=None):
        org = selectors.managed_org_id(user, organization_id)
        created = services.key_create(
            actor=user,
            organization_id=org,
            name=name,
            scopes=scopes,
            rate=rate or "",
            step_up_token=step_up_token,
        )
        return {"api_key": created.key, "secret": created.secret}


class PartnersRotateApiKey(HokweMutation):
    class Arguments:
        key_id = graphene.UUID(required=True)

    api_key = graphene.Field(PartnersApiKeyType)
    secret = graphene.String()

    @classmethod
    def perform(cls, info, user, *, key_id):
        created = services.key_rotate(actor=user, key=selectors.key_for(user, key_id))
        return {"api_key": created.key, "secret": created.secret}


class PartnersRevokeApiKey(HokweMutation):
    class Arguments:
        key_id = graphene.UUID(required=True)

    api_key = graphene.Field(PartnersApiKeyType)

    @classmethod
    def perform(cls, info, user, *, key_id):
        return {"api_key": services.key_revoke(actor=user, key=selectors.key_for(user, key_id))}


class PartnersCreateWebhookEndpoint(HokweMutation):
    class Arguments:
        organization_id = graphene.UUID(required=True)
        url = graphene.String(required=True)
        events = graphene.List(graphene.NonNull(graphene.String), required=True)
        description = graphene.String()

    endpoint = graphene.Field(PartnersWebhookEndpointType)
    secret = graphene.String(description="whsec_…, shown this once")

    @classmethod
    def perform(cls, info, user, *, organization_id, url, events, description=""):
        org = selectors.managed_org_id(user, organization_id, "partners.endpoint.manage")
        endpoint = services.endpoint_create(
            actor=user, organization_id=org, url=url, events=events, description=description or ""
        )
        return {"endpoint": endpoint, "secret": endpoint.secret}


class PartnersUpdateWebhookEndpoint(HokweMutation):
    class Arguments:
        endpoint_id = graphene.UUID(required=True)
        url = graphene.String()
        events = graphene.List(graphene.NonNull(graphene.String))
        description = graphene.String()
        enabled = graphene.Boolean()

    endpoint = graphene.Field(PartnersWebhookEndpointType)

    @classmethod
    def perform(cls, info, user, *, endpoint_id, **changes):
        endpoint = selectors.endpoint_for(user, endpoint_id)
        return {"endpoint": services.endpoint_update(actor=user, endpoint=endpoint, **changes)}


class PartnersRotateWebhookSecret(HokweMutation):
    class Arguments:
        endpoint_id = graphene.UUID(required=True)

    endpoint = graphene.Field(PartnersWebhookEndpointType)
    secret = graphene.String()

    @classmethod
    def perform(cls, info, user, *, endpoint_id):
        endpoint = services.endpoint_rotate_secret(
            actor=user, endpoint=selectors.endpoint_for(user, endpoint_id)
        )
        return {"endpoint": endpoint, "secret": endpoint.secret}


class PartnersSendTestWebhook(HokweMutation):
    class Arguments:
        endpoint_id = graphene.UUID(required=True)

    delivery = graphene.Field(PartnersDeliveryType)

    @classmethod
    def perform(cls, info, user, *, endpoint_id):
        endpoint = selectors.endpoint_for(user, endpoint_id)
        return {"delivery": services.endpoint_send_test(actor=user, endpoint=endpoint)}


class PartnersReplayWebhookDelivery(HokweMutation):
    class Arguments:
        delivery_id = graphene.UUID(required=True)

    delivery = graphene.Field(PartnersDeliveryType)

    @classmethod
    def perform(cls, info, user, *, delivery_id):
        delivery = selectors.delivery_for(user, delivery_id)
        return {"delivery": services.delivery_replay(actor=user, delivery=delivery)}


class PartnersMutations(graphene.ObjectType):
    partners_create_api_key = PartnersCreateApiKey.Field()
    partners_rotate_api_key = PartnersRotateApiKey.Field()
    partners_revoke_api_key = PartnersRevokeApiKey.Field()
    partners_create_webhook_endpoint = PartnersCreateWebhookEndpoint.Field()
    partners_update_webhook_endpoint = PartnersUpdateWebhookEndpoint.Field()
    partners_rotate_webhook_secret = PartnersRotateWebhookSecret.Field()
    partners_send_test_webhook = PartnersSendTestWebhook.Field()
    partners_replay_webhook_delivery = PartnersReplayWebhookDelivery.Field()
