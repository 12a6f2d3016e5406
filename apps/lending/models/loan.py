"""A loan from application to closure, and its instalments (see docs/lending.md,
"Lifecycle"). One row per loan, like Fineract: the status says where it is."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.models import BaseModel

from ..contracts import (
    OPEN_STATUSES,
    Amortization,
    BorrowerKind,
    Bucket,
    Destination,
    Frequency,
    InterestMethod,
    LoanStatus,
)
from .product import (
    AMORTIZATION_LABELS,
    BORROWER_LABELS,
    DESTINATION_LABELS,
    FREQUENCY_LABELS,
    METHOD_LABELS,
    LoanProduct,
    _choices,
)

__all__ = ["Instalment", "Loan"]

STATUS_LABELS = {
    LoanStatus.REVIEW: _("in review"),
    LoanStatus.APPROVED: _("offer to accept"),
    LoanStatus.DECLINED: _("declined"),
    LoanStatus.EXPIRED: pgettext_lazy("a loan offer", "expired"),
    LoanStatus.WITHDRAWN: pgettext_lazy("a loan application", "withdrawn"),
    LoanStatus.ACCEPTED: _("accepted, being disbursed"),
    LoanStatus.ACTIVE: _("being repaid"),
    LoanStatus.CLOSED: pgettext_lazy("a loan", "repaid"),
    LoanStatus.WRITTEN_OFF: pgettext_lazy("a loan", "written off"),
}
BUCKET_LABELS = {
    Bucket.CURRENT: _("current"),
    Bucket.B1_30: _("1 to 30 days late"),
    Bucket.B31_60: _("31 to 60 days late"),
    Bucket.B61_90: _("61 to 90 days late"),
    Bucket.B90_PLUS: _("over 90 days late"),
}


class Loan(BaseModel):
    """An application, then an offer, then a loan. The terms are copied from the product
    when the offer is made; the balances (`*_outstanding`) always equal the loan's ledger
    account (services/accounts.py), which the property tests check."""

    number = models.CharField(_("number"), max_length=30, unique=True)  # PRT-2026-000042
    product = models.ForeignKey(LoanProduct, on_delete=models.PROTECT, related_name="loans")
    borrower = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="loans")
    borrower_kind = models.CharField(
        _("borrower"), max_length=10, choices=_choices(BorrowerKind, BORROWER_LABELS)
    )
    organization = models.UUIDField(_("owner organization"), null=True, blank=True)  # landlord advance
    status = models.CharField(
        _("status"), max_length=12, choices=_choices(LoanStatus, STATUS_LABELS), default=LoanStatus.REVIEW
    )
    single_open = models.BooleanField(default=True, editable=False)  # the product's one_open_loan, copied
    idempotency_key = models.CharField(max_length=120, blank=True, default="")
    purpose = models.CharField(_("purpose"), max_length=200, blank=True, default="")
    # the terms (copied from the product at the offer)
    currency = models.CharField(_("currency"), max_length=3)
    principal = models.BigIntegerField(_("principal"))
    term = models.PositiveSmallIntegerField(_("term (instalments)"))
    frequency = models.CharField(_("frequency"), max_length=8, choices=_choices(Frequency, FREQUENCY_LABELS))
    interest_method = models.CharField(
        _("interest"), max_length=10, choices=_choices(InterestMethod, METHOD_LABELS)
    )
    amortization = models.CharField(
        _("amortization"), max_length=20, choices=_choices(Amortization, AMORTIZATION_LABELS)
    )
    annual_rate_bps = models.PositiveIntegerField(_("nominal annual rate (basis points)"))
    grace_periods = models.PositiveSmallIntegerField(_("grace periods"), default=0)
    upfront_fee = models.BigIntegerField(_("upfront fee"), default=0)
    total_interest = models.BigIntegerField(_("total interest"), default=0)
    teg_bps = models.PositiveIntegerField(_("effective annual rate, TEG (basis points)"), default=0)
    first_due_date = models.DateField(_("first due date"), null=True, blank=True)
    destination = models.CharField(
        _("disbursed"), max_length=10, choices=_choices(Destination, DESTINATION_LABELS)
    )
    destination_ref = models.CharField(
        _("disbursed to"), max_length=80, blank=True, default=""
    )  # the rent due's public id, the payout account's…
    # the decision
    score = models.PositiveSmallIntegerField(_("score at the decision"), null=True, blank=True)
    score_band = models.CharField(_("score band at the decision"), max_length=10, blank=True, default="")
    decision_reasons = models.JSONField(_("decision reasons"), default=list, blank=True)  # [{code, text}]
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )  # None: decided by the rules
    offer_expires_at = models.DateTimeField(_("offer expires at"), null=True, blank=True)
    # the acceptance: the key facts statement and the disclosures as shown, kept with the loan
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    key_facts = models.JSONField(_("key facts statement, as accepted"), default=dict, blank=True)
    # disbursement
    disbursed_on = models.DateField(_("disbursed on"), null=True, blank=True)
    disbursement_transfer = models.UUIDField(_("disbursement ledger transfer"), null=True, blank=True)
    account = models.UUIDField(_("loan ledger account"), null=True, blank=True, unique=True)
    # balances (minor units), equal to the ledger
    principal_outstanding = models.BigIntegerField(_("principal owed"), default=0)
    interest_outstanding = models.BigIntegerField(_("interest owed"), default=0)
    fees_outstanding = models.BigIntegerField(_("fees and penalties owed"), default=0)
    # delinquency (the nightly run)
    days_past_due = models.PositiveIntegerField(_("days past due"), default=0)
    bucket = models.CharField(
        _("bucket"), max_length=8, choices=_choices(Bucket, BUCKET_LABELS), default=Bucket.CURRENT
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        constraints = [
            models.UniqueConstraint(
                fields=["product", "borrower"],
                condition=Q(single_open=True, status__in=[s.value for s in OPEN_STATUSES]),
                name="lending_one_open_loan_per_product",
            ),
            models.UniqueConstraint(
                fields=["borrower", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="lending_loan_idempotency",
            ),
            models.CheckConstraint(condition=Q(principal__gt=0), name="lending_loan_principal_positive"),
            models.CheckConstraint(
                condition=Q(
                    principal_outstanding__gte=0, interest_outstanding__gte=0, fees_outstanding__gte=0
                ),
                name="lending_loan_owed_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "bucket"], name="lending_loan_status_idx"),
            models.Index(fields=["organization", "status"], name="lending_loan_org_idx"),
        ]

    def __str__(self):
        return self.number

    @property
    def outstanding(self) -> int:
        return self.principal_outstanding + self.interest_outstanding + self.fees_outstanding


class Instalment(BaseModel):
    """One line of a loan's schedule. A restructuring supersedes the unpaid lines (kept,
    `superseded=True`) and adds the new schedule's lines with the next `version`."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("an instalment", "to pay")
        PARTLY_PAID = "partly_paid", pgettext_lazy("an instalment", "partly paid")
        PAID = "paid", pgettext_lazy("an instalment", "paid")
        WAIVED = "waived", pgettext_lazy("an instalment", "written off")

    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="instalments")
    number = models.PositiveSmallIntegerField(_("number"))
    version = models.PositiveSmallIntegerField(_("schedule version"), default=1)
    superseded = models.BooleanField(_("superseded by a restructuring"), default=False)
    due_date = models.DateField(_("due date"))
    principal = models.BigIntegerField(_("principal"))
    interest = models.BigIntegerField(_("interest"))
    fee = models.BigIntegerField(_("fee"), default=0)
    penalty = models.BigIntegerField(_("late fees"), default=0)
    paid_principal = models.BigIntegerField(default=0)
    paid_interest = models.BigIntegerField(default=0)
    paid_fee = models.BigIntegerField(default=0)  # the fee and the penalties
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)

    class Meta:
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")
        ordering = ["loan", "version", "number"]
        constraints = [
            models.UniqueConstraint(fields=["loan", "version", "number"], name="lending_instalment_once"),
            models.CheckConstraint(
                condition=Q(principal__gte=0, interest__gte=0, fee__gte=0, penalty__gte=0),
                name="lending_instalment_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(
                    paid_principal__gte=0,
                    paid_principal__lte=models.F("principal"),
                    paid_interest__gte=0,
                    paid_interest__lte=models.F("interest"),
                    paid_fee__gte=0,
                    paid_fee__lte=models.F("fee") + models.F("penalty"),
                ),
                name="lending_instalment_paid_within",
            ),
        ]
        indexes = [
            models.Index(
                fields=["due_date"],
                condition=Q(superseded=False, status__in=["pending", "partly_paid"]),
                name="lending_instalment_open_idx",
            )
        ]

    def __str__(self):
        return f"{self.loan_id} #{self.number}"

    @property
    def total(self) -> int:
        return self.principal + self.interest + self.fee + self.penalty

    @property
    def paid(self) -> int:
        return self.paid_principal + self.paid_interest + self.paid_fee

    @property
    def owed(self) -> int:
        return self.total - self.paid
