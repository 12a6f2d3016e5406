"""Estate's settings: legal caps per country, the month-end run, notices.

Read by `apps.core.conf.assemble` into the settings before Django starts (no models here).
docs/estate.md lists every variable."""

from celery.schedules import crontab

from apps.core.conf import env

# Legal caps per country (Benin: loi 2022-30): the deposit is at most `deposit_months` months
# of rent; the agency's commission (letting fee, and the management commission per month) at
# most `agency_fee_bps` basis points of one month's rent. ESTATE_LEGAL_CAPS overrides by JSON:
# {"BJ": {"deposit_months": 3, "agency_fee_bps": 5000}, "TG": {...}}.
ESTATE_LEGAL_CAPS = {
    "BJ": {"deposit_months": 3, "agency_fee_bps": 5000},
    **env.json("ESTATE_LEGAL_CAPS", default={}),
}
ESTATE_DEFAULT_CAPS = env.json("ESTATE_DEFAULT_CAPS", default={"deposit_months": 3, "agency_fee_bps": 5000})
ESTATE_MONTH_END_BATCH_SIZE = env.int("ESTATE_MONTH_END_BATCH_SIZE", default=2000)
ESTATE_SEND_NOTICES = env.bool("ESTATE_SEND_NOTICES", default=True)  # avis d'échéance after the run
ESTATE_PUBLIC_BASE_URL = env("ESTATE_PUBLIC_BASE_URL", default="")  # QR codes and links in SMS/PDF
# Statement matching: a credit line dated within this many days of a due's date scores the date
ESTATE_STATEMENT_MATCH_WINDOW_DAYS = env.int("ESTATE_STATEMENT_MATCH_WINDOW_DAYS", default=10)

BEAT_SCHEDULE = {
    # next month's dues on the 25th (notices ~10 days ahead), statuses and late fees daily
    "estate.month_end": {
        "task": "estate.month_end",
        "schedule": crontab(day_of_month="25", hour=1, minute=0),
    },
    "estate.refresh_dues": {"task": "estate.refresh_dues", "schedule": crontab(hour=0, minute=30)},
}
# choice sets whose field names (status, kind) other modules use too
OPENAPI_ENUMS = {
    "EstateUnitStatusEnum": "apps.estate.contracts.UNIT_STATUS_VALUES",
    "EstateDueStatusEnum": "apps.estate.contracts.DUE_STATUS_VALUES",
    "EstateUnitKindEnum": "apps.estate.contracts.UNIT_KIND_VALUES",
    "EstateAdjustmentKindEnum": "apps.estate.contracts.ADJUSTMENT_KIND_VALUES",
    "EstateTicketStatusEnum": "apps.estate.contracts.TICKET_STATUSES",
    "EstateDeductionKindEnum": "apps.estate.contracts.DEDUCTION_KINDS",
    "EstateStatementLineStatusEnum": "apps.estate.contracts.STATEMENT_LINE_STATUSES",
    "EstateStatementOutcomeEnum": "apps.estate.contracts.STATEMENT_OUTCOMES",
}
