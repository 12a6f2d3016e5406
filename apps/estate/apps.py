from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EstateConfig(AppConfig):
    name = "apps.estate"
    label = "estate"
    verbose_name = _("Property management")

    def ready(self):
        from . import metrics  # noqa: F401 -- Prometheus series
        from .rules import register

        register()

        from apps.billing import api as billing

        from .services.billing_reads import units_under_management

        billing.register_quantity_source("estate.units", units_under_management)

        from .vault_sources import register as register_vault_sources

        register_vault_sources()  # the vault (cms) opens estate's quittances through estate

        from apps.cms import api as cms

        from .selectors import news_audience

        cms.register_audience_source("estate", news_audience)

        from .site_pay_links import register as register_pay_links

        register_pay_links()  # « find my pay link » (cms) sends a tenant's open pay links by SMS
