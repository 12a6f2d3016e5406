"""Analytics's refusals: DomainError subclasses with a code and a translated message."""

from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError


class AnalyticsError(DomainError):
    code = "analytics_error"
    default_message = _("The operation was refused.")
