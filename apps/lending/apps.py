from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LendingConfig(AppConfig):
    name = "apps.lending"
    label = "lending"
    verbose_name = _("HokweEmergencyFund and loans")

    def ready(self):
        from .rules import register

        register()
