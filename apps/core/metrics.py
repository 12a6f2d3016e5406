"""Business and platform metrics that belong to no single module (Prometheus).

Defined here (every alert in deploy/prometheus/ references a metric some module registers;
tests/core/test_observability_files.py checks it):
    hokwe_webhook_lag_seconds{provider}                 observe_webhook_lag(provider, sent_at)
    hokwe_celery_queue_length{queue}                    read from the broker at scrape time
    hokwe_celery_task_duration_seconds{task,outcome}    Celery signals (prerun -> postrun)
    hokwe_celery_task_wait_seconds{task}                published -> started (queue wait)
    hokwe_throttled_total{scope}                        every 429 of apps.core.ratelimit
Other modules own theirs: payments (apps/payments/metrics.py: attempts and successes by
provider and method), notifications (hokwe_notifications_*: OTP SMS sent, failed, latency),
ledger (hokwe_ledger_verify_differences), core outbox (hokwe_outbox_*).
"""

from __future__ import annotations

import logging
import time
from datetime import datetime

from django.conf import settings
from prometheus_client import REGISTRY, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily

logger = logging.getLogger("hokwe.metrics")

THROTTLED = Counter("hokwe_throttled_total", "Requests refused by a rate limit (429)", ["scope"])
WEBHOOK_LAG = Histogram(
    "hokwe_webhook_lag_seconds",
    "Delay between a provider's event time and our receipt of its webhook",
    ["provider"],
    buckets=(0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600),
)
TASK_DURATION = Histogram(
    "hokwe_celery_task_duration_seconds",
    "Celery task run time",
    ["task", "outcome"],
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300),
)
TASK_WAIT = Histogram(
    "hokwe_celery_task_wait_seconds",
    "Time a task waited in its queue (published -> started)",
    ["task"],
    buckets=(0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 900),
)


def observe_webhook_lag(provider: str, sent_at: datetime | float | None) -> None:
    """Record how late a webhook arrived (`sent_at`: the provider's event timestamp)."""
    if sent_at is None:
        return
    sent = sent_at.timestamp() if isinstance(sent_at, datetime) else float(sent_at)
    WEBHOOK_LAG.labels(provider=provider).observe(max(0.0, time.time() - sent))


# --- Celery queue depth (read from the Redis broker when Prometheus scrapes) -----------------


class CeleryQueueCollector:
    """hokwe_celery_queue_length{queue}: LLEN of each monitored queue on a Redis broker
    (Celery's Redis transport keeps a queue as a list; priority lists are summed)."""

    PRIORITY_SEPARATOR = "\x06\x16"

    def __init__(self):
        self._client = None

    def _redis(self):
        if self._client is None:
            import redis

            self._client = redis.Redis.from_url(
                settings.CELERY_BROKER_URL, socket_timeout=1, socket_connect_timeout=1
            )
        return self._client

    def describe(self):
        return [
            GaugeMetricFamily(
                "hokwe_celery_queue_length", "Tasks waiting in a Celery queue", labels=["queue"]
            )
        ]

    def collect(self):
        family = GaugeMetricFamily(
            "hokwe_celery_queue_length", "Tasks waiting in a Celery queue", labels=["queue"]
        )
        if str(getattr(settings, "CELERY_BROKER_URL", "")).startswith(("redis://", "rediss://")):
            try:
                client = self._redis()
                pipe = client.pipeline()
                queues = list(settings.HOKWE_MONITORED_QUEUES)
                for queue in queues:
                    pipe.llen(queue)
                    for priority in range(1, 10):
                        pipe.llen(f"{queue}{self.PRIORITY_SEPARATOR}{priority}")
                lengths = pipe.execute()
                for index, queue in enumerate(queues):
                    family.add_metric([queue], sum(lengths[index * 10 : index * 10 + 10]))
            except Exception:
                logger.warning("celery_queue_length_unavailable", exc_info=True)
        yield family


_queue_collector: CeleryQueueCollector | None = None


def register_queue_collector() -> CeleryQueueCollector:
    global _queue_collector
    if _queue_collector is None:
        _queue_collector = CeleryQueueCollector()
        REGISTRY.register(_queue_collector)
    return _queue_collector


# --- Celery task latency (signals) -----------------------------------------------------------

PUBLISHED_AT_HEADER = "hokwe_published_at"
_started: dict[str, float] = {}


def _on_publish(headers=None, **_kwargs):
    if headers is not None:
        headers.setdefault(PUBLISHED_AT_HEADER, time.time())


def _on_prerun(task_id=None, task=None, **_kwargs):
    now = time.time()
    _started[task_id] = now
    request = getattr(task, "request", None)
    published = getattr(request, PUBLISHED_AT_HEADER, None) or (getattr(request, "headers", None) or {}).get(
        PUBLISHED_AT_HEADER
    )
    if published and not getattr(request, "is_eager", False):
        TASK_WAIT.labels(task=task.name).observe(max(0.0, now - float(published)))


def _on_postrun(task_id=None, task=None, state=None, **_kwargs):
    started = _started.pop(task_id, None)
    if started is not None and task is not None:
        outcome = "success" if state == "SUCCESS" else (state or "unknown").lower()
        TASK_DURATION.labels(task=task.name, outcome=outcome).observe(time.time() - started)


def _serve_worker_metrics(**_kwargs):
    """A Celery worker serves no HTTP: with CELERY_METRICS_PORT it exposes its metrics on
    that port (aggregated over the prefork children when PROMETHEUS_MULTIPROC_DIR is set)."""
    import os

    from prometheus_client import CollectorRegistry, start_http_server

    port = getattr(settings, "CELERY_METRICS_PORT", 0)
    if not port:
        return
    registry = REGISTRY
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    start_http_server(port, registry=registry)


def connect_celery_signals() -> None:
    from celery import signals

    signals.worker_ready.connect(_serve_worker_metrics, weak=False, dispatch_uid="hokwe.metrics.serve")
    signals.before_task_publish.connect(_on_publish, weak=False, dispatch_uid="hokwe.metrics.publish")
    signals.task_prerun.connect(_on_prerun, weak=False, dispatch_uid="hokwe.metrics.prerun")
    signals.task_postrun.connect(_on_postrun, weak=False, dispatch_uid="hokwe.metrics.postrun")
