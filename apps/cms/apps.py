from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "apps.cms"
    label = "cms"
    verbose_name = _("CMS")

    def ready(self):
        from .rules import register

        register()
        # --- sites ---
        from .services.sites import connect_page_cache
        from .web.sites import register_page_context

        connect_page_cache()
        register_page_context()
