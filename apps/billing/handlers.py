"""Reactions to other modules' events (`@on(Event)`), thin: they call services."""


# --- metering ---
from django.conf import settings
from django.utils import timezone

from apps.core.events import event_type, on
from apps.notifications import events as _notifications_events  # noqa: F401 -- registers MessageSent

from .services import metering


def meter(event, *, event_id: str) -> None:
    """A metered event (settings BILLING_METERED_EVENTS): counted once into its
    organization's usage."""
    metering.record_event(event.name, event.to_payload(), event_id, timezone.now())


for _name in settings.BILLING_METERED_EVENTS:
    try:
        on(event_type(_name))(meter)
    except KeyError:  # an event type no installed module declares: nothing to meter
        pass
