"""System checks: a malformed limits table or master key list stops `manage.py check`
(and every start-up) with a clear message instead of failing on the first payment."""

from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured

from apps.core.crypto import parse_master_keys

from .limits import LimitsTableInvalid, validate_table
from .monitoring import MonitoringRulesInvalid, validate_rules


@register("kyc")
def kyc_settings(app_configs, **kwargs):
    problems = []
    try:
        validate_table(settings.KYC_LIMITS)
    except LimitsTableInvalid as exc:
        problems.append(Error(str(exc), id="kyc.E001"))
    try:
        parse_master_keys(settings.HOKWE_MASTER_KEYS)
    except ImproperlyConfigured as exc:
        problems.append(Error(str(exc), id="kyc.E002"))
    if settings.KYC_PROVIDER not in ("manual", "smile_id", "onfido"):
        problems.append(Error("KYC_PROVIDER must be manual, smile_id or onfido", id="kyc.E003"))
    try:
        validate_rules(settings.KYC_MONITORING_RULES)
    except MonitoringRulesInvalid as exc:
        problems.append(Error(str(exc), id="kyc.E010"))
    return problems
