"""Celery tasks: load ids, call a service; idempotent. Each part appends its own."""
