"""Celery tasks: load ids, call a service; idempotent."""

# --- listings: published listings past their term expire (beat, 02:15) ---
from celery import shared_task as _listings_task


@_listings_task(name="market.listings_expire")
def listings_expire() -> int:
    from .services.listings import expire_due

    return expire_due()


# --- search: the daily saved-search alerts (beat, 07:00) ---
from celery import shared_task as _search_task  # noqa: E402


@_search_task(name="market.search_alerts")
def search_alerts() -> dict:
    """One message per user listing the new matches of their saved searches; idempotent."""
    from .services.saved import alerts_run

    return alerts_run()


# --- visits ---
from celery import shared_task as _visits_task  # noqa: E402


@_visits_task(name="market.visit_reminders")
def visit_reminders() -> int:
    """Every 15 minutes (beat): each booked visit's SMS reminder, once."""
    from .services.visits import reminders_run

    return reminders_run()
