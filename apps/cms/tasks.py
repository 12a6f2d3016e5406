"""Celery tasks: load ids, call a service; idempotent."""


# --- sites ---


# --- help ---


# --- news ---
from celery import shared_task as _news_task


@_news_task(name="cms.news_publish_scheduled")
def news_publish_scheduled() -> dict:
    """Every minute (beat): Wagtail's publish_scheduled, then the announcements of the posts
    that went live; idempotent."""
    from .services.news import publish_scheduled

    return publish_scheduled()


# --- vault ---
