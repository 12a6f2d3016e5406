"""The Celery application.

Broker by URL (Redis by default; RabbitMQ works with an amqp:// URL). Tasks are acked late
with time limits (settings CELERY_*). The request id of the HTTP request that queued a task
travels in the task headers and is bound into the worker's structured logs.
"""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hokwe.settings.dev")

app = Celery("hokwe")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Defaults for every task: retry transient failures with exponential backoff and jitter.
app.conf.task_annotations = {
    "*": {"retry_backoff": True, "retry_backoff_max": 600, "retry_jitter": True, "max_retries": 8}
}


@signals.before_task_publish.connect
def _carry_request_id(headers=None, **_kwargs):
    from apps.core.context import get_request_id

    request_id = get_request_id()
    if headers is not None and request_id and "request_id" not in headers:
        headers["request_id"] = request_id


@signals.task_prerun.connect
def _bind_request_id(task=None, **_kwargs):
    from apps.core.context import bind_task_context

    request = getattr(task, "request", None)
    bind_task_context(
        request_id=getattr(request, "request_id", None)
        or (getattr(request, "headers", None) or {}).get("request_id"),
        task_name=getattr(task, "name", None),
        task_id=getattr(request, "id", None),
    )


@signals.task_postrun.connect
def _clear_request_id(**_kwargs):
    from apps.core.context import clear_context

    clear_context()
