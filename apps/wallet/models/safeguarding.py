"""Safeguarding tables (see docs/wallet.md, "Safeguarding"): the trust bank account's balances
as finance records them, and one report per day and currency comparing them with the e-money
outstanding on the ledger."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import BaseModel

__all__ = ["SafeguardingReport", "TrustBalance"]


class TrustBalance(BaseModel):
    """The trust (safeguarding) bank account's closing balance on a day, in one currency.
    Entered by finance from the bank's statement (who and when are kept); never edited: a
    correction is a new entry for the same day, and the latest entry of a day counts."""

    class Source(models.TextChoices):
        FINANCE = "finance", _("entered by finance")
        STATEMENT = "statement", _("bank statement import")

    currency = models.CharField(_("currency"), max_length=3)
    on = models.DateField(_("balance on"))
    amount = models.BigIntegerField(_("closing balance"))
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.FINANCE)
    reference = models.CharField(_("bank reference"), max_length=200, blank=True, default="")
    note = models.CharField(_("note"), max_length=500, blank=True, default="")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("trust bank balance")
        verbose_name_plural = _("trust bank balances")
        ordering = ("-on", "-created_at")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="wallet_trust_balance_not_negative"),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"), name="wallet_trust_currency_iso"
            ),
        ]
        indexes = [models.Index(fields=["currency", "on", "created_at"], name="wallet_trust_balance_idx")]

    def __str__(self):
        return f"{self.amount} {self.currency} on {self.on}"


class SafeguardingReport(BaseModel):
    """One day's comparison in one currency: e-money outstanding (wallets, pots, vaults, held
    P2P, guarantees: the ledger's `wallet` and `wallet.*` accounts) against the trust bank
    balance. `gap` = safeguarded − outstanding (negative: a shortfall); no bank balance for
    the day or before it: status `missing`, no gap. One row per (day, currency)."""

    class Status(models.TextChoices):
        BALANCED = "balanced", _("balanced")
        GAP = "gap", _("gap")
        MISSING = "missing", _("no bank balance")

    day = models.DateField(_("day"))
    currency = models.CharField(_("currency"), max_length=3)
    outstanding = models.BigIntegerField(_("e-money outstanding"))
    accounts = models.PositiveIntegerField(_("accounts counted"), default=0)
    safeguarded = models.BigIntegerField(_("safeguarded (trust bank balance)"), null=True, blank=True)
    gap = models.BigIntegerField(_("gap (safeguarded − outstanding)"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices)
    source = models.CharField(_("source of the bank balance"), max_length=200, blank=True, default="")
    trust_balance = models.ForeignKey(
        TrustBalance,
        verbose_name=_("bank balance used"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("safeguarding report")
        verbose_name_plural = _("safeguarding reports")
        ordering = ("-day", "currency")
        constraints = [
            models.UniqueConstraint(fields=["day", "currency"], name="wallet_safeguarding_one_per_day"),
            models.CheckConstraint(
                condition=(Q(status="missing", safeguarded__isnull=True, gap__isnull=True))
                | (Q(safeguarded__isnull=False, gap__isnull=False) & ~Q(status="missing")),
                name="wallet_safeguarding_gap_iff_balance",
            ),
        ]

    def __str__(self):
        return f"{self.day} {self.currency} {self.status}"
