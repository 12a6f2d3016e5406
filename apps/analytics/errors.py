"""Analytics's refusals: DomainError subclasses with a code and a translated message."""

from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError


class AnalyticsError(DomainError):
    code = "analytics_error"
    default_message = _("The operation was refused.")


# --- reports and scheduled reports ---


class InvalidReportFilter(DomainError):
    code = "invalid"
    status = 400
    default_message = _("This value is not valid.")


class SubscriptionRefused(DomainError):
    code = "analytics_subscription_invalid"
    status = 400
    default_message = _("This member cannot be subscribed to this report.")
