"""Celery tasks: load ids, call a service; idempotent."""
