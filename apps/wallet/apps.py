from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WalletConfig(AppConfig):
    name = "apps.wallet"
    label = "wallet"
    verbose_name = _("HokweWallet (wallet, Cotis'Hokwe, HokweSplit)")

    def ready(self):
        from .rules import register

        register()
