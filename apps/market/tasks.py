"""Celery tasks: load ids, call a service; idempotent."""


# --- listings: published listings past their term expire (beat, 02:15) ---
from celery import shared_task as _listings_task


@_listings_task(name="market.listings_expire")
def listings_expire() -> int:
    from .services.listings import expire_due

    return expire_due()
