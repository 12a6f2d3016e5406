from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LendingConfig(AppConfig):
    name = "apps.lending"
    label = "lending"
    verbose_name = _("HokweEmergencyFund and loans")

    def ready(self):
        from .rules import register
        from .services.scoring_source import register as register_scoring_source

        register()
        register_scoring_source()  # the loans as features of the rent score
