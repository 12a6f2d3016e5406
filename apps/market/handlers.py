"""Reactions to other modules' events (`@on(Event)`), thin: they call services."""

from apps.core.events import on
from apps.estate.events import LeaseSigned
from apps.kyc.events import KycTierChanged
from apps.payments.events import PaymentSucceeded

# --- listings: a unit let in estate closes its live listing as let (idempotent) ---


@on(LeaseSigned)
def close_listing_of_let_unit(event: LeaseSigned, *, event_id: str) -> None:
    from .services.listings import close_unit_let

    close_unit_let(event.unit_id)  # estate's unit public id


# --- local services: a quote's payment (payments.PaymentSucceeded, purpose market.Quote),
# and a pending provider whose KYC tier changed ---


@on(PaymentSucceeded)
def quote_payment_succeeded(event: PaymentSucceeded, *, event_id: str) -> None:
    """Once per quote, whatever the replays (services/quotes.py quote_paid)."""
    from .services.quotes import PURPOSE_QUOTE, quote_paid

    if event.purpose_type != PURPOSE_QUOTE:
        return
    quote_paid(
        quote_id=event.purpose_id, intent_id=event.intent_id, amount=event.amount, currency=event.currency
    )


@on(KycTierChanged)
def provider_kyc_changed(event: KycTierChanged, *, event_id: str) -> None:
    from .services.providers import refresh_user

    refresh_user(event.user_public_id)
