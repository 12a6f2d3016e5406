"""Per-request / per-task context (request id) carried into logs and Celery tasks."""

import re
import threading
import uuid
from contextvars import ContextVar

import structlog

_request_id: ContextVar[str | None] = ContextVar("hokwe_request_id", default=None)
_local = threading.local()  # stack of contexts saved by running tasks, per thread


def _saved() -> list:
    if not hasattr(_local, "stack"):
        _local.stack = []
    return _local.stack


_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,128}$")


def new_request_id() -> str:
    return uuid.uuid4().hex


def clean_request_id(value: str | None) -> str:
    """Accept a caller's request id only when it looks like one; otherwise make ours."""
    if value and _VALID_REQUEST_ID.match(value):
        return value
    return new_request_id()


def get_request_id() -> str | None:
    return _request_id.get()


def bind_request(request_id: str):
    token = _request_id.set(request_id)
    structlog.contextvars.bind_contextvars(request_id=request_id)
    return token


def unbind_request(token) -> None:
    _request_id.reset(token)
    structlog.contextvars.unbind_contextvars("request_id")


def bind_task_context(*, request_id: str | None, task_name: str | None, task_id: str | None):
    """Bind a task's ids; the previous values are restored after the task (eager tasks run
    inside a request and must not wipe its context)."""
    previous = structlog.contextvars.get_contextvars()
    rid = request_id or previous.get("request_id") or new_request_id()
    _saved().append((previous, _request_id.set(rid)))
    structlog.contextvars.bind_contextvars(request_id=rid, task=task_name, task_id=task_id)


def clear_context() -> None:
    if not _saved():
        return
    previous, token = _saved().pop()
    _request_id.reset(token)
    structlog.contextvars.clear_contextvars()
    structlog.contextvars.bind_contextvars(**previous)
