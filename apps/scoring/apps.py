from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "apps.scoring"
    label = "scoring"
    verbose_name = _("HokweScoring (rent score, screening, valuation, bureau)")

    def ready(self):
        from .rules import register
        from .vault import register as register_vault_sources

        register()
        register_vault_sources()  # the vault (cms) opens the screening reports through scoring
