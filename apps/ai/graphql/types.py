"""GraphQL types of HokweAI: they read the dicts of apps/ai/services/present.py, so GraphQL
and REST say the same."""

import graphene
from django.utils.translation import gettext_lazy as _

from apps.core.graphql.types import MoneyField, UTCDateTime


class AiMessageType(graphene.ObjectType):
    class Meta:
        name = "AiMessage"

    id = graphene.UUID(required=True)
    role = graphene.String(required=True, description=_("user or assistant"))
    text = graphene.String(required=True)
    engine = graphene.String(required=True, description=_("llm or offline (empty for the user's)"))
    fallback = graphene.Boolean(
        required=True, description=_("The offline assistant answered for a failed model")
    )
    tools = graphene.List(graphene.NonNull(graphene.String), required=True)
    rating = graphene.Int()
    created_at = UTCDateTime(required=True)


class AiThreadType(graphene.ObjectType):
    class Meta:
        name = "AiThread"

    id = graphene.UUID(required=True)
    title = graphene.String(required=True)
    language = graphene.String(required=True)
    support_ticket = graphene.UUID()
    last_message_at = UTCDateTime()
    messages = graphene.List(graphene.NonNull(AiMessageType))


class AiActionType(graphene.ObjectType):
    class Meta:
        name = "AiAction"

    id = graphene.UUID(required=True)
    kind = graphene.String(required=True)
    summary = graphene.String(required=True)
    amount = MoneyField("amount.amount", currency="amount.currency", required=False)
    status = graphene.String(required=True)
    expires_at = UTCDateTime(required=True)
    step_up_action = graphene.String(required=True)
    step_up_target = graphene.String(required=True)
