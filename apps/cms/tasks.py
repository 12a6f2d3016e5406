"""Celery tasks: load ids, call a service; idempotent."""


# --- sites ---


# --- help ---


# --- news ---


# --- vault ---
