"""Reactions to the events of the modules below (identity). Modules above notifications
call `api.send` directly (calls go down); their keys are declared in the catalogue."""

from apps.core.events import on
from apps.identity.events import UserClosed, UserRegistered

from . import api
from .contracts import TemplateKey


@on(UserRegistered)
def welcome_new_user(event: UserRegistered, *, event_id: str) -> None:
    api.send(event.user_public_id, TemplateKey.WELCOME, {}, idempotency_key=f"welcome:{event_id}")


@on(UserClosed)
def forget_closed_user(event: UserClosed, *, event_id: str) -> None:
    api.erase_user_data(user_public_id=event.user_public_id)
