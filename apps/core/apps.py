from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        # Each module's handlers.py registers its reactions to events on import.
        from .discovery import import_parts

        import_parts("handlers")
        # Each module's messages.py registers its notification templates.
        import_parts("messages")

        # Observability (all off unless configured): tracing, error tracking, metrics.
        from . import metrics, sentry, tracing

        tracing.configure_tracing()
        sentry.configure_sentry()
        metrics.register_queue_collector()
        metrics.connect_celery_signals()
