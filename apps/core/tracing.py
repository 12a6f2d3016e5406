"""OpenTelemetry tracing: Django, Celery, psycopg, httpx and Redis, exported over OTLP/HTTP.

Off by default. On with OTEL_ENABLED=true; the exporter reads the standard variables
(OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, OTEL_EXPORTER_OTLP_HEADERS,
OTEL_SERVICE_NAME, OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG, OTEL_RESOURCE_ATTRIBUTES).
The trace and span ids are added to every JSON log line (apps.core.logging), so a log line
leads to its trace and back.

Called once per process from CoreConfig.ready() (web workers, Celery workers, commands).
"""

from __future__ import annotations

import logging
import os

from django.conf import settings

logger = logging.getLogger("hokwe.tracing")

_configured = False


def configure_tracing(*, exporter=None, force: bool = False) -> bool:
    """Install the tracer provider and the instrumentations. `exporter` replaces the OTLP
    exporter (tests pass an InMemorySpanExporter). Returns True when tracing is on."""
    global _configured
    if _configured and not force:
        return True
    if not (settings.OTEL_ENABLED or exporter is not None):
        return False
    from opentelemetry import trace
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor

    resource = Resource.create(
        {
            "service.name": os.environ.get("OTEL_SERVICE_NAME", "hokwe"),
            "service.version": settings.HOKWE_VERSION,
            "deployment.environment": settings.HOKWE_ENVIRONMENT,
        }
    )
    provider = TracerProvider(resource=resource)  # sampler from OTEL_TRACES_SAMPLER
    if exporter is None:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    else:
        provider.add_span_processor(SimpleSpanProcessor(exporter))
    _set_provider(trace, provider)
    _instrument()
    _configured = True
    logger.info("tracing_enabled")
    return True


def _set_provider(trace, provider) -> None:
    # The API allows one global provider per process; tests may install theirs again.
    from opentelemetry.util._once import Once

    trace._TRACER_PROVIDER_SET_ONCE = Once()
    trace._TRACER_PROVIDER = None
    trace.set_tracer_provider(provider)


def _instrument() -> None:
    from opentelemetry.instrumentation.celery import CeleryInstrumentor
    from opentelemetry.instrumentation.django import DjangoInstrumentor
    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
    from opentelemetry.instrumentation.psycopg import PsycopgInstrumentor
    from opentelemetry.instrumentation.redis import RedisInstrumentor

    for instrumentor, kwargs in (
        (DjangoInstrumentor(), {"excluded_urls": "healthz,readyz,metrics"}),
        (CeleryInstrumentor(), {}),
        (PsycopgInstrumentor(), {"enable_commenter": False}),
        (HTTPXClientInstrumentor(), {}),
        (RedisInstrumentor(), {}),
    ):
        if not instrumentor.is_instrumented_by_opentelemetry:
            instrumentor.instrument(**kwargs)
    # Connections opened before this point (a late start, the test runner) are wrapped too.
    from django.db import connections

    for conn in connections.all(initialized_only=True):
        raw = getattr(conn, "connection", None)
        if (
            raw is not None
            and conn.vendor == "postgresql"
            and not hasattr(raw, "_is_instrumented_by_opentelemetry")
        ):
            PsycopgInstrumentor.instrument_connection(raw)


def shutdown_tracing() -> None:
    """Undo `configure_tracing` (tests)."""
    global _configured
    from opentelemetry.instrumentation.celery import CeleryInstrumentor
    from opentelemetry.instrumentation.django import DjangoInstrumentor
    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
    from opentelemetry.instrumentation.psycopg import PsycopgInstrumentor
    from opentelemetry.instrumentation.redis import RedisInstrumentor

    for instrumentor in (
        DjangoInstrumentor(),
        CeleryInstrumentor(),
        PsycopgInstrumentor(),
        HTTPXClientInstrumentor(),
        RedisInstrumentor(),
    ):
        if instrumentor.is_instrumented_by_opentelemetry:
            instrumentor.uninstrument()
    from django.db import connections
    from opentelemetry import trace
    from opentelemetry.sdk.trace import TracerProvider

    for conn in connections.all(initialized_only=True):
        raw = getattr(conn, "connection", None)
        if raw is not None and hasattr(raw, "_is_instrumented_by_opentelemetry"):
            PsycopgInstrumentor.uninstrument_connection(raw)
    _set_provider(trace, TracerProvider())  # nothing recorded, nothing exported
    _configured = False


def current_trace_ids() -> dict[str, str]:
    """{"trace_id", "span_id"} of the active span (hex, as OTLP backends show them), or {}."""
    try:
        from opentelemetry import trace
    except ImportError:  # pragma: no cover -- opentelemetry-api is a runtime dependency
        return {}
    context = trace.get_current_span().get_span_context()
    if not context.is_valid:
        return {}
    return {"trace_id": f"{context.trace_id:032x}", "span_id": f"{context.span_id:016x}"}
