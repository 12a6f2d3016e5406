from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdsConfig(AppConfig):
    name = "apps.ads"
    label = "ads"
    verbose_name = _("Ads")

    def ready(self):
        from .rules import register

        register()
