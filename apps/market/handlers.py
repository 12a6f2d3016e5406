"""Reactions to other modules' events (`@on(Event)`), thin: they call services."""


# --- listings: a unit let in estate closes its live listing as let (idempotent) ---
from apps.core.events import on  # noqa: E402
from apps.estate.events import LeaseSigned  # noqa: E402


@on(LeaseSigned)
def close_listing_of_let_unit(event: LeaseSigned, *, event_id: str) -> None:
    from .services.listings import close_unit_let

    close_unit_let(event.unit_id)  # estate's unit public id
