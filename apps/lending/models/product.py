"""Loan products (configured by credit staff in the admin): see docs/lending.md, "Loan
products". Validation (a zero instalment, a TEG above the usury ceiling) lives in
services/products.py and runs when the product is saved."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import BaseModel

from ..contracts import Amortization, BorrowerKind, Destination, Frequency, InterestMethod

__all__ = ["LoanProduct"]


def _choices(enum, labels: dict) -> list[tuple[str, str]]:
    return [(member.value, labels[member]) for member in enum]


BORROWER_LABELS = {BorrowerKind.TENANT: _("tenant"), BorrowerKind.LANDLORD: _("landlord")}
DESTINATION_LABELS = {
    Destination.WALLET: _("to the borrower's wallet"),
    Destination.RENT_DUE: _("straight to the landlord (rent due)"),
    Destination.PAYOUT: _("to the owner's balance (payout)"),
}
METHOD_LABELS = {
    InterestMethod.FLAT: _("flat (on the initial principal)"),
    InterestMethod.DECLINING: _("declining balance"),
}
AMORTIZATION_LABELS = {
    Amortization.EQUAL_INSTALMENTS: _("equal instalments"),
    Amortization.EQUAL_PRINCIPAL: _("equal principal"),
}
FREQUENCY_LABELS = {Frequency.WEEKLY: _("weekly"), Frequency.MONTHLY: _("monthly")}


class LoanProduct(BaseModel):
    """What a loan may be: amounts, term, price, fees, repayment rhythm, who is eligible and
    what the borrower is told. A loan copies the terms it was offered (a product edited later
    never changes an existing loan)."""

    class ExcessRule(models.TextChoices):
        TO_WALLET = "to_wallet", _("the excess goes back to the wallet")
        REFUSE = "refuse", _("a payment above what is owed is refused")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name (French)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True, default="")
    summary = models.TextField(_("summary (French)"), blank=True, default="")
    summary_en = models.TextField(_("summary (English)"), blank=True, default="")
    borrower_kind = models.CharField(
        _("borrower"), max_length=10, choices=_choices(BorrowerKind, BORROWER_LABELS)
    )
    destination = models.CharField(
        _("disbursed"), max_length=10, choices=_choices(Destination, DESTINATION_LABELS)
    )
    country = models.CharField(_("country"), max_length=2, default="BJ")  # the usury ceiling's
    currency = models.CharField(_("currency"), max_length=3, default="XOF")
    # amounts in minor units; term in instalments
    min_amount = models.BigIntegerField(_("minimum amount"))
    max_amount = models.BigIntegerField(_("maximum amount"))
    min_term = models.PositiveSmallIntegerField(_("shortest term (instalments)"), default=1)
    max_term = models.PositiveSmallIntegerField(_("longest term (instalments)"), default=12)
    frequency = models.CharField(
        _("repayment frequency"), max_length=8, choices=_choices(Frequency, FREQUENCY_LABELS)
    )
    align_to_rent_date = models.BooleanField(_("monthly instalments fall on the rent date"), default=True)
    # price
    interest_method = models.CharField(
        _("interest"), max_length=10, choices=_choices(InterestMethod, METHOD_LABELS)
    )
    amortization = models.CharField(
        _("amortization"), max_length=20, choices=_choices(Amortization, AMORTIZATION_LABELS)
    )
    annual_rate_bps = models.PositiveIntegerField(_("nominal annual rate (basis points)"))
    grace_periods = models.PositiveSmallIntegerField(
        _("grace periods (interest only, no principal)"), default=0
    )
    upfront_fee_bps = models.PositiveIntegerField(_("upfront fee (basis points of the principal)"), default=0)
    upfront_fee_fixed = models.BigIntegerField(_("upfront fee (fixed amount)"), default=0)
    late_fee_bps = models.PositiveIntegerField(_("late fee (basis points of the instalment)"), default=0)
    late_fee_fixed = models.BigIntegerField(_("late fee (fixed amount)"), default=0)
    late_fee_after_days = models.PositiveSmallIntegerField(_("late fee after (days)"), default=3)
    allocation_order = models.JSONField(
        _("allocation order"), default=list, blank=True
    )  # ["fees", "interest", "principal"] (contracts.Component); empty: the default
    excess_rule = models.CharField(
        _("payment above what is owed"),
        max_length=10,
        choices=ExcessRule.choices,
        default=ExcessRule.TO_WALLET,
    )
    prepayment_allowed = models.BooleanField(_("prepayment allowed"), default=True)
    # eligibility
    min_score_band = models.CharField(_("minimum score band"), max_length=10, default="fair")
    review_band = models.CharField(
        _("band sent to manual review"), max_length=10, blank=True, default="weak"
    )  # the grey band: neither approved nor declined automatically
    min_tenure_months = models.PositiveSmallIntegerField(_("minimum tenure (months)"), default=0)
    min_kyc_tier = models.PositiveSmallIntegerField(_("minimum KYC tier"), default=1)
    one_open_loan = models.BooleanField(_("one open loan per borrower"), default=True)
    requires_guarantor = models.BooleanField(_("a guarantor is required"), default=False)
    pledge_bps = models.PositiveIntegerField(_("savings pledged (basis points of the principal)"), default=0)
    # what the borrower is told before accepting (kept with the loan when accepted)
    disclosures = models.TextField(_("disclosures (French)"), blank=True, default="")
    disclosures_en = models.TextField(_("disclosures (English)"), blank=True, default="")
    active = models.BooleanField(_("offered"), default=True)

    class Meta:
        verbose_name = _("loan product")
        verbose_name_plural = _("loan products")
        constraints = [
            models.CheckConstraint(condition=Q(min_amount__gt=0), name="lending_product_min_positive"),
            models.CheckConstraint(
                condition=Q(max_amount__gte=models.F("min_amount")), name="lending_product_amounts_ordered"
            ),
            models.CheckConstraint(condition=Q(min_term__gte=1), name="lending_product_term_positive"),
            models.CheckConstraint(
                condition=Q(max_term__gte=models.F("min_term")), name="lending_product_terms_ordered"
            ),
        ]

    def __str__(self):
        return self.name
