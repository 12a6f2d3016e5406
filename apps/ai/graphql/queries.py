"""AiQueries: every root field starts with `ai` (docs/api.md). The caller's own
conversations and prepared actions only (another's resolves to null)."""

import graphene
from django.utils.translation import gettext_lazy as _

from apps.core.graphql.mutations import current_user, or_none
from apps.identity.api import authenticated

from .. import selectors
from ..services import present
from .types import AiActionType, AiThreadType


class AiQueries(graphene.ObjectType):
    ai_threads = graphene.List(
        graphene.NonNull(AiThreadType), required=True, description=_("Your conversations, the latest first.")
    )
    ai_thread = graphene.Field(
        AiThreadType,
        thread_id=graphene.UUID(required=True),
        description=_("One conversation with its messages."),
    )
    ai_action = graphene.Field(
        AiActionType,
        action_id=graphene.UUID(required=True),
        description=_("An action the assistant prepared, waiting for your confirmation."),
    )

    @staticmethod
    def resolve_ai_threads(root, info):
        user = authenticated(current_user(info))
        return [present.thread(row) for row in selectors.threads_of(user)[:50]]

    @staticmethod
    @or_none
    def resolve_ai_thread(root, info, thread_id):
        row = selectors.thread_of(authenticated(current_user(info)), thread_id)
        return {**present.thread(row), "messages": [present.message(m) for m in selectors.messages_of(row)]}

    @staticmethod
    @or_none
    def resolve_ai_action(root, info, action_id):
        return present.action(selectors.action_of(authenticated(current_user(info)), action_id))
