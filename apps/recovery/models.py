"""Recovery's tables: dunning ladders (échelles de relance) and their steps, holiday
calendars, assignment rules, cases with their timeline, promises to pay, payment plans
(échéanciers), collector tasks, visits and cash, end-of-day handovers, formal notices
(mises en demeure), legal actions, and the daily aging snapshots.

Estate's leases are referenced by public id (recovery sits above estate); the case keeps a
copy of what locates the debt (property, unit, zone, tenant) for worklists and filters. A loan
case (lending, the layer above, hands it over through the api) keeps the loan's public id and
number instead of the lease's, what lending says is owed and lending's repayment link."""

from __future__ import annotations

import builtins
from datetime import time

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import BaseModel

from .contracts import (
    CallOutcome,
    CaseKind,
    CaseOutcome,
    CaseStatus,
    EventKind,
    HandoverStatus,
    InstallmentStatus,
    LegalKind,
    LegalStatus,
    PlanStatus,
    PromiseStatus,
    StepAction,
    TaskKind,
    TaskStatus,
    VisitOutcome,
)

ORG = "identity.Organization"
USER = settings.AUTH_USER_MODEL

STEP_ACTION_LABELS = {
    StepAction.SMS: _("SMS reminder"),
    StepAction.EMAIL: _("E-mail reminder"),
    StepAction.PUSH: _("Push reminder"),
    StepAction.WHATSAPP: _("WhatsApp message"),
    StepAction.CALL: _("Call by a collector"),
    StepAction.VISIT: _("Visit by a collector"),
    StepAction.FORMAL_NOTICE: _("Formal notice (mise en demeure)"),
    StepAction.LATE_FEE: _("Late fee"),
    StepAction.LEGAL: _("Escalation to a bailiff or lawyer"),
}
CASE_STATUS_LABELS = {
    CaseStatus.OPEN: _("open"),
    CaseStatus.PROMISED: _("promise to pay"),
    CaseStatus.PLAN: _("payment plan"),
    CaseStatus.LEGAL: _("legal"),
    CaseStatus.CLOSED: _("closed"),
}
OUTCOME_LABELS = {
    CaseOutcome.NONE: "-",
    CaseOutcome.PAID: _("paid"),
    CaseOutcome.SETTLED: _("settled"),
    CaseOutcome.WRITTEN_OFF: _("written off"),
    CaseOutcome.RESTRUCTURED: _("restructured"),
}
CASE_KIND_LABELS = {
    CaseKind.RENT: _("rent"),
    CaseKind.LOAN: _("loan"),
}


def _choices(enum, labels=None) -> list[tuple[str, str]]:
    labels = labels or {}
    return [(member.value, labels.get(member, member.value.replace("_", " "))) for member in enum]


class Ladder(BaseModel):
    """An organization's dunning ladder: steps by days from the due date, sent outside quiet
    hours and never on a day off of its calendar. One active ladder per organization."""

    organization = models.ForeignKey(ORG, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    is_active = models.BooleanField(_("active"), default=True)
    country = models.CharField(_("country (holidays, legal wording)"), max_length=2, default="BJ")
    quiet_start = models.TimeField(_("quiet hours from"), default=time(20, 0))
    quiet_end = models.TimeField(_("quiet hours until"), default=time(8, 0))
    skip_sundays = models.BooleanField(_("no step on Sundays"), default=True)
    skip_holidays = models.BooleanField(_("no step on public holidays"), default=True)

    class Meta:
        verbose_name = _("dunning ladder")
        verbose_name_plural = _("dunning ladders")
        constraints = [
            models.UniqueConstraint(
                fields=["organization"], condition=Q(is_active=True), name="recovery_one_active_ladder"
            )
        ]

    def __str__(self):
        return self.name


class LadderStep(BaseModel):
    ladder = models.ForeignKey(Ladder, on_delete=models.CASCADE, related_name="steps")
    day_offset = models.SmallIntegerField(
        _("days from the due date"), help_text=_("Negative: before the due date.")
    )
    action = models.CharField(_("action"), max_length=16, choices=_choices(StepAction, STEP_ACTION_LABELS))
    label = models.CharField(_("label"), max_length=100, blank=True, default="")
    pay_within_days = models.PositiveSmallIntegerField(
        _("days to pay (formal notice)"), default=8, help_text=_("Formal notice: the deadline it gives.")
    )
    min_amount = models.BigIntegerField(_("only from this amount owed"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("ladder step")
        verbose_name_plural = _("ladder steps")
        ordering = ["day_offset", "id"]
        constraints = [
            models.UniqueConstraint(fields=["ladder", "day_offset", "action"], name="recovery_step_unique"),
            models.CheckConstraint(
                condition=Q(day_offset__gte=-60) & Q(day_offset__lte=730), name="recovery_step_offset_range"
            ),
            models.CheckConstraint(condition=Q(min_amount__gte=0), name="recovery_step_min_amount"),
        ]

    def __str__(self):
        return f"J{self.day_offset:+d} {self.get_action_display()}"


class Holiday(BaseModel):
    """A day off: national (organization empty) or the organization's own."""

    organization = models.ForeignKey(ORG, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    country = models.CharField(_("country"), max_length=2, default="BJ")
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("public holiday")
        verbose_name_plural = _("public holidays")
        constraints = [
            models.UniqueConstraint(
                fields=["country", "date"],
                condition=Q(organization__isnull=True),
                name="recovery_holiday_national",
            ),
            models.UniqueConstraint(
                fields=["organization", "date"],
                condition=Q(organization__isnull=False),
                name="recovery_holiday_org",
            ),
        ]

    def __str__(self):
        return f"{self.date} {self.name}"


class AssignmentRule(BaseModel):
    """New cases go to a collector by property, else by zone (city / neighbourhood)."""

    organization = models.ForeignKey(ORG, on_delete=models.CASCADE, related_name="+")
    collector = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    property = models.UUIDField(_("property"), null=True, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True, default="")
    neighbourhood = models.CharField(_("neighbourhood"), max_length=100, blank=True, default="")
    priority = models.PositiveSmallIntegerField(_("priority"), default=100, help_text=_("Lower first."))

    class Meta:
        verbose_name = _("assignment rule")
        verbose_name_plural = _("assignment rules")
        ordering = ["priority", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(property__isnull=False) | ~Q(city="") | ~Q(neighbourhood=""),
                name="recovery_rule_has_a_target",
            )
        ]


class Case(BaseModel):
    """One debt, from the first overdue due to paid, settled or written off: a tenant's rent
    arrears on a lease (`kind` rent, opened and closed by the daily sync) or a loan handed
    over by lending (`kind` loan, opened, updated and closed by lending through the api)."""

    # no single-column index: recovery_case_work_idx starts with it (docs/performance.md)
    organization = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+", db_index=False)
    kind = models.CharField(
        _("kind"), max_length=8, choices=_choices(CaseKind, CASE_KIND_LABELS), default=CaseKind.RENT
    )
    lease = models.UUIDField(_("lease"), db_index=True, null=True, blank=True)
    lease_reference = models.CharField(_("lease reference"), max_length=30, blank=True, default="")
    loan = models.UUIDField(_("loan"), null=True, blank=True)
    loan_reference = models.CharField(_("loan number"), max_length=30, blank=True, default="")
    pay_url = models.CharField(_("repayment link"), max_length=300, blank=True, default="")
    tenant = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    tenant_name = models.CharField(_("tenant"), max_length=150, blank=True, default="")
    tenant_phone = models.CharField(_("tenant phone"), max_length=20, blank=True, default="")
    owner = models.UUIDField(_("owner"), null=True, blank=True)
    property = models.UUIDField(_("property"), db_index=True, null=True, blank=True)
    property_name = models.CharField(_("property"), max_length=150, blank=True, default="")
    unit = models.UUIDField(_("unit"), null=True, blank=True)
    unit_label = models.CharField(_("unit"), max_length=60, blank=True, default="")
    city = models.CharField(_("city"), max_length=100, blank=True, default="")
    neighbourhood = models.CharField(_("neighbourhood"), max_length=100, blank=True, default="")
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    departed = models.BooleanField(_("tenant has left"), default=False)
    currency = models.CharField(_("currency"), max_length=3)
    amount_at_open = models.BigIntegerField(_("owed when opened"))
    amount_owed = models.BigIntegerField(_("owed now"))
    recovered = models.BigIntegerField(_("recovered"), default=0)
    oldest_due_date = models.DateField(_("oldest unpaid due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=_choices(CaseStatus, CASE_STATUS_LABELS), default=CaseStatus.OPEN
    )
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=_choices(CaseOutcome, OUTCOME_LABELS), blank=True, default=""
    )
    ladder = models.ForeignKey(Ladder, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    last_step = models.ForeignKey(
        LadderStep,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last step"),
    )
    escalate = models.BooleanField(_("escalate at the next run"), default=False)
    # no single-column index: recovery_case_collector_idx starts with it
    collector = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    paused_until = models.DateField(_("ladder paused until"), null=True, blank=True)
    next_action_on = models.DateField(_("next action"), null=True, blank=True)
    broken_promises = models.PositiveSmallIntegerField(_("broken promises"), default=0)
    # unique by the constraint below (unique=True would add a LIKE pattern index no query uses)
    token = models.CharField(_("debtor portal token"), max_length=32)
    opened_on = models.DateField(_("opened on"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("recovery case")
        verbose_name_plural = _("recovery cases")
        constraints = [
            models.UniqueConstraint(fields=["token"], name="recovery_case_token_key"),
            models.UniqueConstraint(
                fields=["lease"], condition=~Q(status="closed"), name="recovery_one_open_case_per_lease"
            ),
            models.UniqueConstraint(
                fields=["loan"],
                condition=~Q(status="closed") & Q(loan__isnull=False),
                name="recovery_one_open_case_per_loan",
            ),
            models.CheckConstraint(
                condition=(Q(kind="rent") & Q(lease__isnull=False) & Q(loan__isnull=True))
                | (Q(kind="loan") & Q(loan__isnull=False) & Q(lease__isnull=True)),
                name="recovery_case_kind_target",
            ),
            models.CheckConstraint(condition=Q(amount_owed__gte=0), name="recovery_case_owed_not_negative"),
            models.CheckConstraint(
                condition=Q(recovered__gte=0), name="recovery_case_recovered_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(
                    status="closed",
                    closed_at__isnull=False,
                    outcome__in=["paid", "settled", "written_off", "restructured"],
                )
                | (~Q(status="closed") & Q(closed_at__isnull=True) & Q(outcome="")),
                name="recovery_case_closed_consistent",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "status", "next_action_on"], name="recovery_case_work_idx"),
            models.Index(fields=["collector", "status"], name="recovery_case_collector_idx"),
        ]

    def __str__(self):
        return f"{self.reference} · {self.tenant_name}"

    @builtins.property
    def is_loan(self) -> bool:
        return self.kind == CaseKind.LOAN

    @builtins.property  # `property` is a field of the case
    def reference(self) -> str:
        """The lease's reference, or the loan's number for a loan case."""
        return self.loan_reference if self.kind == CaseKind.LOAN else self.lease_reference


class CaseEvent(BaseModel):
    """The case timeline: every reminder, call, visit, payment, promise, note."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=_choices(EventKind))
    actor = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    step = models.ForeignKey(LadderStep, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    amount = models.BigIntegerField(_("amount"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True, default="")
    data = models.JSONField(_("details"), default=dict, blank=True)
    happened_at = models.DateTimeField(_("when"))

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case timeline")
        indexes = [models.Index(fields=["case", "-happened_at"], name="recovery_event_case_idx")]


class StepRun(BaseModel):
    """A ladder step done for a case (or, before the due date, for a due): once, ever. The
    unique key is what makes a second run of the same day send nothing twice."""

    class Status(models.TextChoices):
        DONE = "done", _("done")
        SKIPPED = "skipped", _("skipped (a later step applied)")
        CANCELED = "canceled", _("canceled (paid meanwhile)")

    # no single-column index: recovery_step_once (step, subject) starts with it
    step = models.ForeignKey(LadderStep, on_delete=models.CASCADE, related_name="runs", db_index=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, null=True, blank=True, related_name="step_runs")
    subject = models.CharField(_("subject"), max_length=60)  # "case:<id>" or "due:<uuid>"
    run_on = models.DateField(_("run on"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DONE)
    messages = models.PositiveIntegerField(_("messages"), default=0)
    amount_owed = models.BigIntegerField(_("owed at the step"), default=0)

    class Meta:
        verbose_name = _("step run")
        verbose_name_plural = _("step runs")
        constraints = [models.UniqueConstraint(fields=["step", "subject"], name="recovery_step_once")]


class CollectorTask(BaseModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    collector = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    kind = models.CharField(_("kind"), max_length=8, choices=_choices(TaskKind))
    step = models.ForeignKey(LadderStep, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    due_on = models.DateField(_("to do on"))
    status = models.CharField(
        _("status"), max_length=10, choices=_choices(TaskStatus), default=TaskStatus.OPEN
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("collector task")
        verbose_name_plural = _("collector tasks")
        indexes = [models.Index(fields=["collector", "status", "due_on"], name="recovery_task_worklist_idx")]


class Promise(BaseModel):
    """A promise to pay (promesse de paiement): the ladder waits until its date."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="promises")
    amount = models.BigIntegerField(_("amount"))
    currency = models.CharField(_("currency"), max_length=3)
    promised_on = models.DateField(_("promised for"))
    recovered_before = models.BigIntegerField(_("recovered before the promise"))
    status = models.CharField(
        _("status"), max_length=10, choices=_choices(PromiseStatus), default=PromiseStatus.PENDING
    )
    made_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    channel = models.CharField(
        _("made through"), max_length=12, default="manager"
    )  # portal, collector, manager
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("promise to pay")
        verbose_name_plural = _("promises to pay")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="recovery_promise_positive"),
            models.UniqueConstraint(
                fields=["case"], condition=Q(status="pending"), name="recovery_one_pending_promise"
            ),
        ]


class PaymentPlan(BaseModel):
    """An échéancier: the debt split into installments; the tenant accepts it by OTP."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="plans")
    total = models.BigIntegerField(_("total"))
    currency = models.CharField(_("currency"), max_length=3)
    status = models.CharField(
        _("status"), max_length=10, choices=_choices(PlanStatus), default=PlanStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    channel = models.CharField(_("proposed through"), max_length=12, default="manager")
    recovered_before = models.BigIntegerField(_("recovered before the plan"), default=0)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    challenge = models.CharField(_("OTP challenge"), max_length=64, blank=True, default="")
    resolved_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("payment plan")
        verbose_name_plural = _("payment plans")
        constraints = [
            models.CheckConstraint(condition=Q(total__gt=0), name="recovery_plan_positive"),
            models.UniqueConstraint(
                fields=["case"], condition=Q(status__in=["proposed", "active"]), name="recovery_one_live_plan"
            ),
        ]


class Installment(BaseModel):
    plan = models.ForeignKey(PaymentPlan, on_delete=models.CASCADE, related_name="installments")
    seq = models.PositiveSmallIntegerField(_("no."))
    due_on = models.DateField(_("due on"))
    amount = models.BigIntegerField(_("amount"))
    paid = models.BigIntegerField(_("paid"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=_choices(InstallmentStatus), default=InstallmentStatus.PENDING
    )

    class Meta:
        verbose_name = _("installment")
        verbose_name_plural = _("installments")
        ordering = ["seq"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "seq"], name="recovery_installment_seq"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="recovery_installment_positive"),
            models.CheckConstraint(
                condition=Q(paid__gte=0) & Q(paid__lte=models.F("amount")),
                name="recovery_installment_paid_range",
            ),
        ]

    @property
    def outstanding(self) -> int:
        return self.amount - self.paid


class Call(BaseModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="calls")
    collector = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=14, choices=_choices(CallOutcome))
    note = models.TextField(_("note"), blank=True, default="")
    called_at = models.DateTimeField(_("called at"))
    idempotency_key = models.CharField(_("idempotency key"), max_length=100)

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        constraints = [
            models.UniqueConstraint(fields=["collector", "idempotency_key"], name="recovery_call_once")
        ]


class Visit(BaseModel):
    """A field visit with where and when it happened (the collector app's GPS fix)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="visits")
    collector = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=14, choices=_choices(VisitOutcome))
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    accuracy_m = models.PositiveIntegerField(_("GPS accuracy (m)"), null=True, blank=True)
    distance_m = models.PositiveIntegerField(_("distance from the property (m)"), null=True, blank=True)
    visited_at = models.DateTimeField(_("visited at"))  # the device's time
    note = models.TextField(_("note"), blank=True, default="")
    idempotency_key = models.CharField(_("idempotency key"), max_length=100)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        constraints = [
            models.UniqueConstraint(fields=["collector", "idempotency_key"], name="recovery_visit_once"),
            models.CheckConstraint(
                condition=Q(latitude__gte=-90)
                & Q(latitude__lte=90)
                & Q(longitude__gte=-180)
                & Q(longitude__lte=180),
                name="recovery_visit_gps_range",
            ),
        ]


class CashHandover(BaseModel):
    """End of day: a collector hands the cash over to the agency, checked against the ledger
    (what payments recorded on the collector's cash account)."""

    organization = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+")
    collector = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("day"))
    currency = models.CharField(_("currency"), max_length=3)
    collected = models.BigIntegerField(_("collected (receipts)"))
    ledger_balance = models.BigIntegerField(_("held per the ledger"))
    declared = models.BigIntegerField(_("handed over"))
    difference = models.BigIntegerField(_("difference"))  # ledger_balance - declared
    status = models.CharField(_("status"), max_length=10, choices=_choices(HandoverStatus))
    received_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    transfer = models.UUIDField(_("ledger transfer"))
    idempotency_key = models.CharField(_("idempotency key"), max_length=100, unique=True)
    note = models.TextField(_("note"), blank=True, default="")

    class Meta:
        verbose_name = _("cash handover")
        verbose_name_plural = _("cash handovers")
        constraints = [models.CheckConstraint(condition=Q(declared__gt=0), name="recovery_handover_positive")]


class CashCollection(BaseModel):
    """Cash a collector received (through payments: numbered receipt, SMS to the tenant)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="cash")
    collector = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    amount = models.BigIntegerField(_("amount"))
    currency = models.CharField(_("currency"), max_length=3)
    payment = models.UUIDField(_("rent payment"))
    receipt_number = models.CharField(_("receipt no."), max_length=30, blank=True, default="")
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    collected_at = models.DateTimeField(_("collected at"))
    idempotency_key = models.CharField(_("idempotency key"), max_length=100)
    handover = models.ForeignKey(
        CashHandover, on_delete=models.SET_NULL, null=True, blank=True, related_name="collections"
    )

    class Meta:
        verbose_name = _("cash collection")
        verbose_name_plural = _("cash collections")
        constraints = [
            models.UniqueConstraint(fields=["collector", "idempotency_key"], name="recovery_cash_once"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="recovery_cash_positive"),
        ]


class FormalNotice(BaseModel):
    """A mise en demeure: numbered per organization and year, addressed, with a deadline."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="notices")
    number = models.CharField(_("number"), max_length=30)
    organization = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+")
    issued_on = models.DateField(_("issued on"))
    pay_by = models.DateField(_("to pay by"))
    amount = models.BigIntegerField(_("amount claimed"))
    currency = models.CharField(_("currency"), max_length=3)
    country = models.CharField(_("country"), max_length=2, default="BJ")
    language = models.CharField(_("language"), max_length=5, default="fr")
    dues = models.JSONField(_("dues claimed"), default=list)  # [{period, due_date, total, paid}]
    step = models.ForeignKey(LadderStep, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("formal notice")
        verbose_name_plural = _("formal notices")
        constraints = [
            models.UniqueConstraint(fields=["organization", "number"], name="recovery_notice_number_unique")
        ]


class LegalAction(BaseModel):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="legal_actions")
    kind = models.CharField(_("kind"), max_length=8, choices=_choices(LegalKind))
    firm = models.CharField(_("bailiff / lawyer"), max_length=150, blank=True, default="")
    contact = models.CharField(_("contact"), max_length=150, blank=True, default="")
    reference = models.CharField(_("their reference"), max_length=60, blank=True, default="")
    status = models.CharField(
        _("status"), max_length=12, choices=_choices(LegalStatus), default=LegalStatus.REFERRED
    )
    cost = models.BigIntegerField(_("cost"), default=0)
    notes = models.TextField(_("notes"), blank=True, default="")

    class Meta:
        verbose_name = _("legal action")
        verbose_name_plural = _("legal actions")


class AgingSnapshot(BaseModel):
    """An organization's aging of one day (the trend chart); today's is computed live."""

    organization = models.ForeignKey(ORG, on_delete=models.CASCADE, related_name="+")
    on = models.DateField(_("day"))
    currency = models.CharField(_("currency"), max_length=3)
    current = models.BigIntegerField(default=0)
    d1_30 = models.BigIntegerField(default=0)
    d31_60 = models.BigIntegerField(default=0)
    d61_90 = models.BigIntegerField(default=0)
    d90_plus = models.BigIntegerField(default=0)
    leases = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("aging snapshot")
        verbose_name_plural = _("aging snapshots")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "on", "currency"], name="recovery_aging_once_a_day"
            )
        ]
