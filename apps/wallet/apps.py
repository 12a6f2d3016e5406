from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WalletConfig(AppConfig):
    name = "apps.wallet"
    label = "wallet"
    verbose_name = _("HokweWallet (wallet, Cotis'Hokwe, HokweSplit)")

    def ready(self):
        from apps.kyc import api as kyc

        from .rules import register
        from .services.wallets import WalletUsageSource

        register()
        # kyc's cumulative limits (balance, inflow this month, outflow today) read the
        # wallet's stored totals (docs/wallet.md, "KYC limits")
        kyc.set_usage_source(WalletUsageSource())
