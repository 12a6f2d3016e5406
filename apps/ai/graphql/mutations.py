"""AiMutations: ask (the final answer; REST streams it), rate, hand off, erase, and confirm or
cancel a prepared action (with the step-up proof)."""

import graphene

from apps.core.graphql.mutations import HokweMutation

from ..services import actions, assistant, conversations, present
from .types import AiActionType, AiMessageType, AiThreadType


class AiAsk(HokweMutation):
    """Ask the assistant (a new conversation without threadId); the answer comes whole."""

    atomic = False  # the model is called with no transaction open

    class Arguments:
        text = graphene.String(required=True)
        thread_id = graphene.UUID()

    thread = graphene.Field(AiThreadType)
    question = graphene.Field(AiMessageType)
    answer = graphene.Field(AiMessageType)
    action = graphene.Field(AiActionType)

    @classmethod
    def perform(cls, info, user, *, text, thread_id=None):
        return present.answer(assistant.ask(actor=user, thread=thread_id, text=text))


class AiRateMessage(HokweMutation):
    """Rate an answer: 1 useful, -1 not useful."""

    class Arguments:
        message_id = graphene.UUID(required=True)
        rating = graphene.Int(required=True)

    message = graphene.Field(AiMessageType)

    @classmethod
    def perform(cls, info, user, *, message_id, rating):
        return {"message": present.message(conversations.rate(actor=user, message=message_id, rating=rating))}


class AiHandoff(HokweMutation):
    """Hand the conversation to a human (a support ticket with its transcript)."""

    atomic = False

    class Arguments:
        thread_id = graphene.UUID(required=True)

    thread = graphene.Field(AiThreadType)

    @classmethod
    def perform(cls, info, user, *, thread_id):
        return {"thread": present.thread(conversations.handoff(actor=user, thread=thread_id))}


class AiEraseThread(HokweMutation):
    """Erase a conversation."""

    class Arguments:
        thread_id = graphene.UUID(required=True)

    @classmethod
    def perform(cls, info, user, *, thread_id):
        conversations.erase(actor=user, thread=thread_id)
        return {}


class AiConfirmAction(HokweMutation):
    """Confirm a prepared action with the step-up proof of (ai.action.confirm, its id, its
    amount, its currency): done once, by the module that owns it."""

    atomic = False

    class Arguments:
        action_id = graphene.UUID(required=True)
        step_up_token = graphene.String()

    action = graphene.Field(AiActionType)

    @classmethod
    def perform(cls, info, user, *, action_id, step_up_token=None):
        row = actions.confirm_action(actor=user, action=action_id, step_up_token=step_up_token or None)
        return {"action": present.action(row)}


class AiCancelAction(HokweMutation):
    """Cancel a prepared action: nothing is done."""

    class Arguments:
        action_id = graphene.UUID(required=True)

    action = graphene.Field(AiActionType)

    @classmethod
    def perform(cls, info, user, *, action_id):
        return {"action": present.action(actions.cancel_action(actor=user, action=action_id))}


class AiMutations(graphene.ObjectType):
    ai_ask = AiAsk.Field()
    ai_rate_message = AiRateMessage.Field()
    ai_handoff = AiHandoff.Field()
    ai_erase_thread = AiEraseThread.Field()
    ai_confirm_action = AiConfirmAction.Field()
    ai_cancel_action = AiCancelAction.Field()
