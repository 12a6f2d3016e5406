from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "apps.scoring"
    label = "scoring"
    verbose_name = _("HokweScoring (rent score, screening, valuation, bureau)")

    def ready(self):
        from .rules import register

        register()
