from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "apps.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from . import metrics  # noqa: F401 -- register the Prometheus series at start-up
        from .otp import register_with_identity
        from .rules import register

        register()

        # Identity sends one-time codes through us without importing us (it is below).
        register_with_identity()
