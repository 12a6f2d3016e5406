from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdsConfig(AppConfig):
    name = "apps.ads"
    label = "ads"
    verbose_name = _("Ads")

    def ready(self):
        from apps.cms import api as cms
        from apps.market import api as market

        from . import tasks  # noqa: F401 -- tasks by name (services enqueue them after commit)
        from .rules import register
        from .services.sponsored import market_source

        register()
        market.register_sponsored_source(market_source)
        cms.register_page_extra("ads/sites/banner.html")
