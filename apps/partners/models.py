"""Partners' tables: organization API keys, webhook endpoints, deliveries and their attempts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import BaseModel


class ApiKey(BaseModel):
    """A partner's server key. Only `lookup` (the public part) and an HMAC of the whole key
    are stored: the secret is shown once, at creation."""

    organization = models.ForeignKey("identity.Organization", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    environment = models.CharField(_("environment"), max_length=4)  # live | test
    lookup = models.CharField(_("key id"), max_length=16, unique=True)
    key_hash = models.CharField(_("key hash"), max_length=64)
    last4 = models.CharField(_("last four"), max_length=4)
    scopes = models.JSONField(_("permissions"), default=list)
    rate = models.CharField(_("rate limit"), max_length=16, blank=True, default="")
    # the service account the key acts as (identity.service_account_create): a rotation keeps it
    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rotated_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="successors"
    )
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    last_used_ip = models.GenericIPAddressField(_("last used from"), null=True, blank=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        indexes = [models.Index(fields=["organization", "revoked_at"], name="partners_key_org")]

    def __str__(self):
        return f"{self.name} (hk_{self.environment}_{self.lookup}…)"

    @property
    def prefix(self) -> str:
        return f"hk_{self.environment}_{self.lookup}"


class WebhookEndpoint(BaseModel):
    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        DISABLED = "disabled", _("disabled")

    organization = models.ForeignKey("identity.Organization", on_delete=models.CASCADE, related_name="+")
    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True, default="")
    events = models.JSONField(_("events"), default=list)
    # signing secrets (whsec_…): shown once; the previous one keeps signing during a rotation
    secret = models.CharField(max_length=64)
    previous_secret = models.CharField(max_length=64, blank=True, default="")
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    disabled_at = models.DateTimeField(_("disabled at"), null=True, blank=True)
    disabled_reason = models.CharField(_("reason"), max_length=200, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        indexes = [models.Index(fields=["organization", "status"], name="partners_endpoint_org")]

    def __str__(self):
        return self.url


class Delivery(BaseModel):
    """One event for one endpoint, tried until it succeeds or its schedule is spent."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENDING = "sending", _("sending")
        SUCCEEDED = "succeeded", _("delivered")
        FAILED = "failed", _("failed")

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.CharField(_("event id"), max_length=40)  # evt_…, the same for every endpoint
    event_type = models.CharField(_("event"), max_length=40)
    payload = models.JSONField()  # the body: {id, type, created, data}
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    retry_index = models.PositiveIntegerField(default=0)  # position in RETRY_DELAYS (0 after a replay)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True, default="")
    delivered_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "event_id"], name="partners_delivery_once"),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="partners_delivery_due"),
            models.Index(fields=["endpoint", "-created_at"], name="partners_delivery_log"),
        ]

    def __str__(self):
        return f"{self.event_type} {self.event_id} → {self.endpoint_id}"


class DeliveryAttempt(models.Model):
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(default=0)
    status_code = models.PositiveIntegerField(null=True, blank=True)
    response_excerpt = models.CharField(max_length=500, blank=True, default="")
    error = models.CharField(max_length=200, blank=True, default="")
    succeeded = models.BooleanField(default=False)

    class Meta:
        ordering = ["delivery", "number"]
        constraints = [
            models.UniqueConstraint(fields=["delivery", "number"], name="partners_attempt_once"),
        ]

    def __str__(self):
        return f"#{self.number} {self.status_code or self.error}"
