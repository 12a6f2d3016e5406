"""The Hokwe project: settings, URL map, Celery app and the GraphQL root schema."""

from .celery import app as celery_app

__all__ = ["celery_app"]
