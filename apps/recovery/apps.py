from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecoveryConfig(AppConfig):
    name = "apps.recovery"
    label = "recovery"
    verbose_name = _("Rent recovery")

    def ready(self):
        from . import metrics  # noqa: F401 -- Prometheus series
        from .rules import register

        register()

        from .vault_sources import register as register_vault_sources

        register_vault_sources()  # the vault (cms) opens recovery's formal notices through recovery
