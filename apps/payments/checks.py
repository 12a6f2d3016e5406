"""System checks: a malformed PAYMENT_MAX_AMOUNT stops `manage.py check` (and every
start-up) with a clear message instead of failing on the first payment."""

from django.conf import settings
from django.core.checks import Error, register

from .limits import PaymentLimitsInvalid, validate_table


@register("payments")
def payment_settings(app_configs, **kwargs):
    try:
        validate_table(settings.PAYMENT_MAX_AMOUNT)
    except PaymentLimitsInvalid as exc:
        return [Error(str(exc), id="payments.E001")]
    return []
