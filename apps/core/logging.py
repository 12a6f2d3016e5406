"""Structured logs: one JSON object per line (structlog), stdlib logging routed through it.

Every line carries the request id (HTTP requests and the Celery tasks they queued) and, when
tracing is on, the OpenTelemetry trace_id and span_id.
"""

import logging.config

import structlog


def add_trace_ids(_logger, _method, event_dict):
    """OpenTelemetry trace and span ids of the active span (when tracing is on)."""
    from .tracing import current_trace_ids

    for key, value in current_trace_ids().items():
        event_dict.setdefault(key, value)
    return event_dict


_SHARED = [
    structlog.contextvars.merge_contextvars,
    add_trace_ids,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
    structlog.processors.StackInfoRenderer(),
]


def configure_logging(*, level: str = "INFO", fmt: str = "json") -> None:
    renderer = (
        structlog.dev.ConsoleRenderer(colors=False)
        if fmt == "console"
        else structlog.processors.JSONRenderer()
    )
    logging.config.dictConfig(
        {
            "version": 1,
            "disable_existing_loggers": False,
            "formatters": {
                "structlog": {
                    "()": structlog.stdlib.ProcessorFormatter,
                    "processors": [
                        structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                        structlog.processors.format_exc_info,
                        renderer,
                    ],
                    "foreign_pre_chain": _SHARED,
                }
            },
            "handlers": {
                "default": {"class": "logging.StreamHandler", "formatter": "structlog"},
            },
            "root": {"handlers": ["default"], "level": level},
            "loggers": {
                "django.db.backends": {"level": "WARNING"},
                "django.server": {"level": "INFO" if fmt == "console" else "WARNING"},
            },
        }
    )
    structlog.configure(
        processors=[
            *_SHARED,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


def get_logger(name: str):
    return structlog.get_logger(name)
