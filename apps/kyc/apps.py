from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KycConfig(AppConfig):
    name = "apps.kyc"
    label = "kyc"
    verbose_name = _("KYC and business verification")

    def ready(self):
        from . import checks  # noqa: F401 -- system checks of the limits table and master keys
        from .rules import register

        register()
