"""Emergency fund, guarantors and pledged savings (see docs/lending.md, "Emergency fund,
guarantors and pledged savings").

- EmergencyFund: a user's savings vault in one currency. The money sits in a ledger account
  owned by the user, `wallet.vault.fund.<fund public id>` (e-money: it counts in the user's
  balance for kyc and in the safeguarded total, like HokweSplit's vaults), with a goal, a
  withdrawal rule (no lock, or a notice of N days) and optional automatic savings from the
  wallet.
- WithdrawalNotice: a withdrawal asked under a notice rule, paid to the wallet on its date.
- Guarantor: someone who stands behind a loan; invited by phone, accepts or declines by an
  SMS code.
- Pledge: savings of a fund pledged to a loan: a ledger hold on the fund's account, released
  in proportion to the principal repaid, applied to the loan if it is written off.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.models import BaseModel

__all__ = ["EmergencyFund", "Guarantor", "Pledge", "WithdrawalNotice"]


class EmergencyFund(BaseModel):
    class WithdrawalRule(models.TextChoices):
        NO_LOCK = "no_lock", _("withdraw at any time")
        NOTICE = "notice", _("withdraw after a notice period")

    class AutoFrequency(models.TextChoices):
        WEEKLY = "weekly", _("every week")
        MONTHLY = "monthly", _("every month")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("an emergency fund", "open")
        CLOSED = "closed", pgettext_lazy("an emergency fund", "closed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="emergency_funds"
    )
    currency = models.CharField(_("currency"), max_length=3)
    account = models.UUIDField(_("savings ledger account"), unique=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    goal = models.BigIntegerField(_("goal"), default=0)  # minor units; 0: no goal
    withdrawal_rule = models.CharField(
        _("withdrawal rule"), max_length=8, choices=WithdrawalRule.choices, default=WithdrawalRule.NO_LOCK
    )
    notice_days = models.PositiveSmallIntegerField(_("notice period (days)"), default=0)
    # a looser rule asked while a notice rule binds takes effect after the current notice
    pending_rule = models.CharField(max_length=8, choices=WithdrawalRule.choices, blank=True, default="")
    pending_notice_days = models.PositiveSmallIntegerField(default=0)
    pending_rule_from = models.DateField(null=True, blank=True)
    # automatic savings from the wallet
    auto_amount = models.BigIntegerField(_("automatic saving"), default=0)  # 0: none
    auto_frequency = models.CharField(
        _("automatic saving frequency"),
        max_length=8,
        choices=AutoFrequency.choices,
        blank=True,
        default="",
    )
    auto_next_on = models.DateField(_("next automatic saving"), null=True, blank=True)
    auto_missed = models.PositiveSmallIntegerField(_("automatic savings missed in a row"), default=0)

    class Meta:
        verbose_name = _("emergency fund")
        verbose_name_plural = _("emergency funds")
        constraints = [
            models.UniqueConstraint(fields=["user", "currency"], name="lending_one_fund_per_currency"),
            models.CheckConstraint(
                condition=Q(goal__gte=0, auto_amount__gte=0), name="lending_fund_amounts_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(withdrawal_rule="no_lock") | Q(notice_days__gte=1),
                name="lending_fund_notice_days",
            ),
        ]
        indexes = [
            models.Index(
                fields=["auto_next_on"],
                condition=Q(auto_amount__gt=0, status="open"),
                name="lending_fund_auto_idx",
            )
        ]

    def __str__(self):
        return f"{self.user_id} {self.currency}"


class WithdrawalNotice(BaseModel):
    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("a withdrawal notice", "waiting")
        PAID = "paid", pgettext_lazy("a withdrawal notice", "paid")
        CANCELLED = "cancelled", pgettext_lazy("a withdrawal notice", "cancelled")
        FAILED = "failed", pgettext_lazy("a withdrawal notice", "failed")

    fund = models.ForeignKey(EmergencyFund, on_delete=models.PROTECT, related_name="notices")
    amount = models.BigIntegerField(_("amount"))
    paid_amount = models.BigIntegerField(_("amount paid"), default=0)
    available_on = models.DateField(_("available on"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    idempotency_key = models.CharField(max_length=120)
    transfer = models.UUIDField(_("ledger transfer"), null=True, blank=True)
    settled_at = models.DateTimeField(_("settled at"), null=True, blank=True)
    failure = models.CharField(_("reason"), max_length=200, blank=True, default="")

    class Meta:
        verbose_name = _("withdrawal notice")
        verbose_name_plural = _("withdrawal notices")
        constraints = [
            models.UniqueConstraint(fields=["fund", "idempotency_key"], name="lending_notice_idempotency"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="lending_notice_amount_positive"),
        ]
        indexes = [
            models.Index(
                fields=["available_on"], condition=Q(status="pending"), name="lending_notice_due_idx"
            )
        ]


class Guarantor(BaseModel):
    class Status(models.TextChoices):
        INVITED = "invited", pgettext_lazy("a guarantor", "invited")
        ACCEPTED = "accepted", pgettext_lazy("a guarantor", "accepted")
        DECLINED = "declined", pgettext_lazy("a guarantor", "declined")
        REVOKED = "revoked", pgettext_lazy("a guarantor", "withdrawn")

    loan = models.ForeignKey("lending.Loan", on_delete=models.CASCADE, related_name="guarantors")
    phone = models.CharField(_("phone"), max_length=20)  # E.164
    name = models.CharField(_("name"), max_length=120, blank=True, default="")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="guarantees",
    )  # set when the invited person answers (signed in with that phone)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.INVITED)
    pledge_amount = models.BigIntegerField(_("savings pledged"), default=0)  # from their own fund
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("guarantor")
        verbose_name_plural = _("guarantors")
        constraints = [
            models.UniqueConstraint(
                fields=["loan", "phone"],
                condition=~Q(status="revoked"),
                name="lending_guarantor_once_per_loan",
            ),
            models.CheckConstraint(condition=Q(pledge_amount__gte=0), name="lending_guarantor_pledge"),
        ]
        indexes = [models.Index(fields=["phone", "status"], name="lending_guarantor_phone_idx")]


class Pledge(BaseModel):
    """`amount` pledged; `released` given back so far (in proportion to the principal
    repaid); `applied` taken for the loan at a write-off. The ledger hold `hold` covers
    `amount - released - applied` (a release voids the hold and holds the rest again:
    `hold_seq` numbers the holds)."""

    class Status(models.TextChoices):
        HELD = "held", pgettext_lazy("pledged savings", "held")
        RELEASED = "released", pgettext_lazy("pledged savings", "released")
        APPLIED = "applied", pgettext_lazy("pledged savings", "applied to the loan")

    loan = models.ForeignKey("lending.Loan", on_delete=models.PROTECT, related_name="pledges")
    fund = models.ForeignKey(EmergencyFund, on_delete=models.PROTECT, related_name="pledges")
    guarantor = models.ForeignKey(
        Guarantor, on_delete=models.PROTECT, null=True, blank=True, related_name="pledges"
    )  # None: the borrower's own savings
    amount = models.BigIntegerField(_("pledged"))
    currency = models.CharField(_("currency"), max_length=3)
    released = models.BigIntegerField(_("released"), default=0)
    applied = models.BigIntegerField(_("applied to the loan"), default=0)
    hold = models.UUIDField(_("ledger hold"), null=True, blank=True)
    hold_seq = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.HELD)

    class Meta:
        verbose_name = _("pledged savings")
        verbose_name_plural = _("pledged savings")
        constraints = [
            models.UniqueConstraint(fields=["loan", "fund"], name="lending_pledge_once_per_fund"),
            models.CheckConstraint(
                condition=Q(
                    amount__gt=0,
                    released__gte=0,
                    applied__gte=0,
                    released__lte=models.F("amount") - models.F("applied"),
                ),
                name="lending_pledge_within",
            ),
        ]

    @property
    def held(self) -> int:
        return self.amount - self.released - self.applied
