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
from celery import shared_task as _vault_task  # noqa: E402


@_vault_task(name="cms.vault_purge_expired")
def vault_purge_expired() -> int:
    """Uploads past their retention date leave the vault (file deleted); generated legal
    documents only after their legal retention (services.vault.purge_expired)."""
    from .services import vault

    return vault.purge_expired()
