"""Recovery's use cases (private to the app: other modules go through apps.recovery.api)."""

from .aging import DIMENSIONS, AgingReport, AgingRow, aging, aging_for, aging_snapshot
from .cases import (
    SyncResult,
    case_assign,
    case_by_token,
    case_close,
    case_note,
    cases_sync,
    payment_applied,
    reminder_key_prefix,
)
from .commitments import (
    commitments_check,
    debt_pay_link,
    installment_pay_link,
    plan_accept,
    plan_accept_start,
    plan_accept_verify,
    plan_cancel,
    plan_propose,
    promise_cancel,
    promise_create,
)
from .common import notice_url, portal_url
from .daily import DailyResult, daily_run
from .exports import cases_csv
from .field import (
    WorkItem,
    call_record,
    cash_collect,
    distance_m,
    handover_create,
    handover_preview,
    task_complete,
    visit_record,
    worklist,
)
from .ladder import RunResult, StepInput, holiday_add, ladder_default, ladder_run, ladder_save
from .notices import formal_notice_issue, legal_escalate, legal_update
from .reports import dashboard

__all__ = [
    "DIMENSIONS",
    "AgingReport",
    "AgingRow",
    "DailyResult",
    "RunResult",
    "StepInput",
    "SyncResult",
    "WorkItem",
    "aging",
    "aging_for",
    "aging_snapshot",
    "call_record",
    "case_assign",
    "case_by_token",
    "case_close",
    "case_note",
    "cases_csv",
    "cases_sync",
    "cash_collect",
    "commitments_check",
    "daily_run",
    "dashboard",
    "debt_pay_link",
    "distance_m",
    "formal_notice_issue",
    "handover_create",
    "handover_preview",
    "holiday_add",
    "installment_pay_link",
    "ladder_default",
    "ladder_run",
    "ladder_save",
    "legal_escalate",
    "legal_update",
    "notice_url",
    "payment_applied",
    "plan_accept",
    "plan_accept_start",
    "plan_accept_verify",
    "plan_cancel",
    "plan_propose",
    "portal_url",
    "promise_cancel",
    "promise_create",
    "reminder_key_prefix",
    "task_complete",
    "visit_record",
    "worklist",
]
