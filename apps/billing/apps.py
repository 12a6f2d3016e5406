from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "apps.billing"
    label = "billing"
    verbose_name = _("Billing")

    def ready(self):
        from .rules import register

        register()

        from .vault_sources import register as register_vault_sources

        register_vault_sources()  # the vault (cms) opens billing's invoices through billing

        from .site_pricing import register as register_site_pricing

        register_site_pricing()  # hokwe.com's pricing table (cms) reads billing's catalog
