from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvestConfig(AppConfig):
    name = "apps.invest"
    label = "invest"
    verbose_name = _("Invest")

    def ready(self):
        from .rules import register

        register()
