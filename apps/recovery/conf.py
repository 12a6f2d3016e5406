"""Recovery's settings: its schedule and its OpenAPI enum names.

Read by `apps.core.conf.assemble` into the settings before Django starts (no models here)."""

from celery.schedules import crontab

# The debtor portal's public host name (apps/core/hosts.py).
HOSTS = {"recover.hokwepay.me": "/recover/"}
# hourly; each case moves one ladder step a day at most, outside quiet hours
BEAT_SCHEDULE = {
    "recovery.daily": {"task": "recovery.daily", "schedule": crontab(minute=5)},
}
# the same field names (status, kind, outcome, action) as other modules' enums
OPENAPI_ENUMS = {
    "RecoveryCaseStatusFilterEnum": "apps.recovery.rest.serializers.CASE_STATUS_FILTER",
    "RecoveryLegalStatusEnum": "apps.recovery.rest.serializers.LEGAL_STATUSES",
    "RecoveryLegalKindEnum": "apps.recovery.rest.serializers.LEGAL_KINDS",
    "RecoveryCallOutcomeEnum": "apps.recovery.rest.serializers.CALL_OUTCOMES",
    "RecoveryVisitOutcomeEnum": "apps.recovery.rest.serializers.VISIT_OUTCOMES",
    "RecoveryCloseOutcomeEnum": "apps.recovery.rest.serializers.CLOSE_OUTCOMES",
    "RecoveryStepActionEnum": "apps.recovery.rest.serializers.STEP_ACTIONS",
    "RecoveryAgingByEnum": "apps.recovery.rest.serializers.AGING_BY",
}
