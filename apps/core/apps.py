from importlib import import_module
from importlib.util import find_spec

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        # Each module's handlers.py registers its reactions to events on import.
        for app in settings.HOKWE_APPS:
            if find_spec(f"{app}.handlers") is not None:
                import_module(f"{app}.handlers")

        # Observability (all off unless configured): tracing, error tracking, metrics.
        from . import metrics, sentry, tracing

        tracing.configure_tracing()
        sentry.configure_sentry()
        metrics.register_queue_collector()
        metrics.connect_celery_signals()
