"""Reactions to the events of the modules below (identity, kyc). Modules above notifications
call `api.send` directly (calls go down); their keys are declared in the catalogue."""

from django.utils import translation

from apps.core.events import on
from apps.identity import api as identity_api
from apps.identity.events import UserClosed, UserRegistered
from apps.kyc import api as kyc_api
from apps.kyc.events import KycSubmissionDecided

from . import api
from .contracts import TemplateKey


@on(UserRegistered)
def welcome_new_user(event: UserRegistered, *, event_id: str) -> None:
    api.send(event.user_public_id, TemplateKey.WELCOME, {}, idempotency_key=f"welcome:{event_id}")


@on(UserClosed)
def forget_closed_user(event: UserClosed, *, event_id: str) -> None:
    api.erase_user_data(user_public_id=event.user_public_id)


@on(KycSubmissionDecided)
def tell_the_user_about_a_kyc_decision(event: KycSubmissionDecided, *, event_id: str) -> None:
    if event.decision == "approved":
        api.send(event.user_public_id, TemplateKey.KYC_APPROVED, {}, idempotency_key=f"kyc:{event_id}")
        return
    language = identity_api.get_user(event.user_public_id).preferred_language
    with translation.override(language):
        reason = str(kyc_api.rejection_reason_label(event.reason))
    api.send(
        event.user_public_id, TemplateKey.KYC_REJECTED, {"reason": reason}, idempotency_key=f"kyc:{event_id}"
    )
