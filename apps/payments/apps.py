from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "apps.payments"
    label = "payments"
    verbose_name = _("Payments")

    def ready(self):
        from . import metrics, tasks  # noqa: F401 -- Prometheus series; tasks the services enqueue by name
        from .rules import register

        register()
