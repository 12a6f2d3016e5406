"""Repayments and the billing of what falls due (docs/lending.md, "Repayments and
allocation" and "Accounting").

- `Repayment`: one payment towards a loan, whatever its channel: how much came in, how it
  was allocated (per component and per instalment), what was prepaid, what went back to the
  wallet, and the one ledger transfer that credited the loan's account.
- `InstalmentBilling`: the instalment's interest and fee became receivable (posted on the
  loan's account) — at its due date by the nightly `bill_due`, or earlier, accrued to the
  day, when the loan is paid off before it. One row per instalment: it is what makes the
  billing idempotent and set-based (`NOT EXISTS`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.models import BaseModel

from .loan import Instalment, Loan

__all__ = ["InstalmentBilling", "Repayment"]


class Repayment(BaseModel):
    class Channel(models.TextChoices):
        WALLET = "wallet", _("from the wallet")
        FUND = "fund", _("from the emergency fund")
        MOMO = "momo", _("mobile money (pay link)")
        CASH = "cash", _("cash through a collector")
        RENTS = "rents", _("deducted from the rents collected")
        PREPAYMENT = "prepayment", _("early repayment")

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="repayments")
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    currency = models.CharField(_("currency"), max_length=3)
    # what the source gave (allocated + excess)
    amount = models.BigIntegerField(_("amount received"))
    # the allocation, per component (their sum is what the loan's account was credited)
    fees = models.BigIntegerField(_("fees and late fees paid"), default=0)
    interest = models.BigIntegerField(pgettext_lazy("a repayment", "interest paid"), default=0)
    principal = models.BigIntegerField(_("principal paid"), default=0)
    prepaid = models.BigIntegerField(
        _("paid before it was due"), default=0
    )  # the part of the principal paid on instalments not yet due
    excess = models.BigIntegerField(_("excess returned to the wallet"), default=0)
    # [{"instalment": public id, "number", "version", "fees", "interest", "principal"}]
    allocation = models.JSONField(_("allocation per instalment"), default=list, blank=True)
    closed_loan = models.BooleanField(_("closed the loan"), default=False)
    paid_on = models.DateField(_("paid on"))
    idempotency_key = models.CharField(max_length=200)
    source_account = models.UUIDField(_("paid from (ledger account)"))
    transfer = models.UUIDField(_("ledger transfer"), null=True, blank=True)  # source → the loan
    excess_transfer = models.UUIDField(_("excess ledger transfer"), null=True, blank=True)
    intent = models.UUIDField(_("payment intent"), null=True, blank=True)  # a pay link or cash
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )  # None: the system (auto-debit, the rents' deduction, a pay link)

    class Meta:
        verbose_name = _("repayment")
        verbose_name_plural = _("repayments")
        ordering = ["loan", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["loan", "idempotency_key"], name="lending_repayment_once"),
            models.CheckConstraint(
                condition=Q(amount__gt=0, fees__gte=0, interest__gte=0, principal__gte=0, excess__gte=0)
                & Q(
                    amount=models.F("fees")
                    + models.F("interest")
                    + models.F("principal")
                    + models.F("excess")
                ),
                name="lending_repayment_allocated",
            ),
        ]

    def __str__(self):
        return f"{self.loan_id}: {self.amount} {self.currency}"

    @property
    def allocated(self) -> int:
        return self.fees + self.interest + self.principal


class InstalmentBilling(BaseModel):
    """The instalment's interest and fee posted as receivable (Dr the loan's account, Cr
    interest and fee income). `accrued` rows bill less than the line, early: a payoff."""

    instalment = models.OneToOneField(Instalment, on_delete=models.CASCADE, related_name="billing")
    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="+")
    interest = models.BigIntegerField(default=0)
    fee = models.BigIntegerField(default=0)
    billed_on = models.DateField()
    accrued = models.BooleanField(default=False)  # billed before its due date, to the day
    transfer_key = models.CharField(max_length=120, unique=True)

    class Meta:
        verbose_name = _("instalment billed")
        verbose_name_plural = _("instalments billed")
        constraints = [
            models.CheckConstraint(
                condition=Q(interest__gte=0, fee__gte=0), name="lending_billing_not_negative"
            )
        ]
