"""HokweAI's reactions: a closed account's conversations are erased with its personal data
(identity's UserClosed); nothing the assistant kept is a financial record."""

from apps.core.events import on
from apps.identity.events import UserClosed

from .models import PreparedAction, Thread, ToolCall


@on(UserClosed)
def erase_conversations(event: UserClosed, *, event_id: str) -> None:
    Thread.objects.filter(user__public_id=event.user_public_id).delete()
    ToolCall.objects.filter(user__public_id=event.user_public_id).delete()
    PreparedAction.objects.filter(user__public_id=event.user_public_id).delete()
