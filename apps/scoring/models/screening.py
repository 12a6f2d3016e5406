"""HokweTenantScreening's tables (docs/scoring.md « Tenant screening »): each organization's
thresholds, a manager's request about an applicant (a phone number) for a unit with the
applicant's consent, and the report issued from it (a frozen snapshot, 30 days)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import BaseModel

__all__ = ["ScreeningPolicy", "ScreeningReport", "ScreeningRequest"]

ORG = "identity.Organization"
USER = settings.AUTH_USER_MODEL


class ScreeningPolicy(BaseModel):
    """An organization's thresholds for the recommendation (one row per organization; the
    defaults apply until the managers save their own). Ratios in basis points of the declared
    monthly income (3,300 = 33 %)."""

    organization = models.OneToOneField(ORG, on_delete=models.CASCADE, related_name="+")
    accept_min_score = models.PositiveSmallIntegerField(_("accept from score"), default=680)
    decline_below_score = models.PositiveSmallIntegerField(_("decline below score"), default=550)
    accept_max_ratio_bps = models.PositiveIntegerField(_("accept up to rent-to-income (bps)"), default=3300)
    decline_above_ratio_bps = models.PositiveIntegerField(
        _("decline above rent-to-income (bps)"), default=5000
    )
    decline_unpaid_months = models.PositiveSmallIntegerField(
        _("decline from unpaid months (24 months)"), default=3
    )
    decline_written_off = models.BooleanField(_("decline after a written-off debt"), default=True)
    conditions_deposit_months = models.PositiveSmallIntegerField(
        _("deposit asked with conditions (months)"), default=3
    )
    updated_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("screening policy")
        verbose_name_plural = _("screening policies")
        constraints = [
            models.CheckConstraint(
                condition=Q(decline_below_score__lte=models.F("accept_min_score")),
                name="scoring_policy_scores_ordered",
            ),
            models.CheckConstraint(
                condition=Q(accept_max_ratio_bps__lte=models.F("decline_above_ratio_bps")),
                name="scoring_policy_ratios_ordered",
            ),
        ]


class ScreeningRequest(BaseModel):
    """A manager asks to screen the applicant holding `applicant_phone` for a unit. The
    applicant opens the link sent by SMS (`consent_token`), sees what will be shared, declares
    their income and consents with a code sent to that phone; they may withdraw at any time."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for consent")
        CONSENTED = "consented", _("consent given")
        ISSUED = "issued", _("report issued")
        WITHDRAWN = "withdrawn", _("consent withdrawn")

    class Decision(models.TextChoices):
        NONE = "", _("no decision yet")
        ACCEPTED = "accepted", _("accepted")
        CONDITIONS = "conditions", _("accepted with conditions")
        DECLINED = "declined", _("declined")

    number = models.CharField(_("number"), max_length=30, unique=True)
    organization = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    unit = models.UUIDField(_("unit"))
    unit_label = models.CharField(_("unit"), max_length=220)
    country = models.CharField(_("country"), max_length=2, default="BJ")
    rent = models.BigIntegerField(_("monthly rent"))
    currency = models.CharField(_("currency"), max_length=3)
    deposit_cap_months = models.PositiveSmallIntegerField(_("legal deposit cap (months)"), default=3)
    applicant_phone = models.CharField(_("applicant's phone"), max_length=20)
    applicant_name = models.CharField(
        _("applicant's name (as given)"), max_length=150, blank=True, default=""
    )
    applicant = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    consent_token = models.CharField(max_length=32, unique=True)
    declared_income = models.BigIntegerField(_("declared monthly income"), null=True, blank=True)
    consented_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    consent_expires_at = models.DateTimeField(_("consent expires"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("consent withdrawn"), null=True, blank=True)
    decision = models.CharField(
        _("decision"), max_length=12, choices=Decision.choices, default=Decision.NONE, blank=True
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    note = models.CharField(_("note"), max_length=300, blank=True, default="")

    class Meta:
        verbose_name = _("screening request")
        verbose_name_plural = _("screening requests")
        indexes = [
            models.Index(fields=["organization", "-created_at"], name="scoring_screen_org_idx"),
            models.Index(fields=["applicant_phone"], name="scoring_screen_phone_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(rent__gt=0), name="scoring_screen_rent_positive"),
            models.CheckConstraint(
                condition=Q(declared_income__isnull=True) | Q(declared_income__gt=0),
                name="scoring_screen_income_positive",
            ),
        ]

    def __str__(self):
        return self.number


class ScreeningReport(BaseModel):
    """The report issued for a consented request: a frozen snapshot of what the applicant
    agreed to share, the recommendation by the organization's thresholds, and its reasons.
    Readable for 30 days while the consent stands; a billable usage event when issued."""

    class Recommendation(models.TextChoices):
        ACCEPT = "accept", _("accept")
        CONDITIONS = "conditions", _("accept with conditions")
        DECLINE = "decline", _("decline")

    request = models.OneToOneField(ScreeningRequest, on_delete=models.CASCADE, related_name="report")
    number = models.CharField(_("number"), max_length=30, unique=True)
    issued_at = models.DateTimeField(_("issued"))
    expires_at = models.DateTimeField(_("expires"))
    recommendation = models.CharField(_("recommendation"), max_length=12, choices=Recommendation.choices)
    conditions = models.JSONField(_("conditions"), default=list)  # ["guarantor", "deposit"]
    deposit_months = models.PositiveSmallIntegerField(_("deposit asked (months)"), default=0)
    reasons = models.JSONField(_("reasons"), default=list)  # [{"code", "params"}], main first
    snapshot = models.JSONField(_("what was shared"), default=dict)
    adverse_notice_sent_at = models.DateTimeField(_("adverse-action notice sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("screening report")
        verbose_name_plural = _("screening reports")

    def __str__(self):
        return self.number
