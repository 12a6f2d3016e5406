"""bureau tables (see docs/scoring.md « Credit bureau reporting »): the tenant's consent to
positive-data reporting, and the monthly exports / submissions per provider."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import BaseModel

__all__ = ["BureauConsent", "BureauExport"]


class BureauConsent(BaseModel):
    """One row per user: do they let Hokwe report their rent payments to the credit bureau?
    Off until the tenant gives it; withdrawing stops the next monthly report (what was sent
    before stays with the bureau, as its rules say). Every change is audited."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bureau_consent"
    )
    given = models.BooleanField(_("given"), default=False)
    given_at = models.DateTimeField(_("given at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    text_version = models.CharField(_("consent text version"), max_length=20, blank=True, default="")

    class Meta:
        verbose_name = _("bureau consent")
        verbose_name_plural = _("bureau consents")

    def __str__(self):
        return f"{self.user_id}: {'given' if self.given else 'not given'}"


class BureauExport(BaseModel):
    """One monthly report to one provider: the file (signed, stored encrypted) or the batch
    sent to the bureau's API. One per (provider, period): a rerun of the month is refused."""

    class Status(models.TextChoices):
        BUILT = "built", _("Built")
        SENT = "sent", _("Sent")
        ACCEPTED = "accepted", _("Accepted")
        FAILED = "failed", _("Failed")

    provider = models.CharField(_("provider"), max_length=30)
    period = models.CharField(_("period"), max_length=7)  # "2026-11": the month reported
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.BUILT)
    subjects = models.PositiveIntegerField(_("tenants"), default=0)
    records = models.PositiveIntegerField(_("rent lines"), default=0)
    file_name = models.CharField(_("file name"), max_length=200, blank=True, default="")
    storage_name = models.CharField(_("stored as"), max_length=300, blank=True, default="")
    key_id = models.CharField(_("encryption key id"), max_length=40, blank=True, default="")
    wrapped_key = models.BinaryField(_("wrapped data key"), blank=True, default=b"")
    sha256 = models.CharField(_("SHA-256 of the plain file"), max_length=64, blank=True, default="")
    signature = models.TextField(_("Ed25519 signature (base64)"), blank=True, default="")
    remote_reference = models.CharField(_("bureau's reference"), max_length=100, blank=True, default="")
    rejected = models.JSONField(_("records the bureau rejected"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True, default="")
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("bureau export")
        verbose_name_plural = _("bureau exports")
        ordering = ("-period", "provider")
        constraints = [
            models.UniqueConstraint(fields=["provider", "period"], name="scoring_one_export_per_month")
        ]

    def __str__(self):
        return f"{self.provider} {self.period}"
