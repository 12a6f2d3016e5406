"""Base model and the transactional outbox tables."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    """Every Hokwe table: a bigint primary key that never leaves the server, a public UUID
    that does, and creation/update timestamps (UTC)."""

    id = models.BigAutoField(primary_key=True)
    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class OutboxEvent(models.Model):
    """A domain event written in the same transaction as the change that caused it, then
    dispatched to the registered handlers by Celery after commit (at-least-once)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        DISPATCHED = "dispatched", _("dispatched")
        FAILED = "failed", _("failed")

    id = models.BigAutoField(primary_key=True)
    event_id = models.UUIDField(_("event id"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=120)  # indexed below (no LIKE pattern index)
    payload = models.JSONField(_("payload"))
    request_id = models.CharField(_("request id"), max_length=128, blank=True, default="")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True, default="")
    occurred_at = models.DateTimeField(_("occurred at"), auto_now_add=True)
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbox event")
        verbose_name_plural = _("outbox events")
        indexes = [
            models.Index(
                fields=["occurred_at"],
                name="outbox_pending_idx",
                condition=models.Q(status="pending"),
            ),
            # the admin's filter by name; db_index=True would add a LIKE pattern index that no
            # query uses and that every published event paid for
            models.Index(fields=["name"], name="core_outboxevent_name_e5c905c3"),
        ]

    def __str__(self):
        return f"{self.name} {self.event_id}"


class HandledEvent(models.Model):
    """One row per (event, handler) that ran to completion: handlers run exactly once per
    event even when the event is delivered more than once."""

    id = models.BigAutoField(primary_key=True)
    event = models.ForeignKey(OutboxEvent, on_delete=models.CASCADE, related_name="handled")
    handler = models.CharField(_("handler"), max_length=200)
    handled_at = models.DateTimeField(_("handled at"), auto_now_add=True)

    class Meta:
        verbose_name = _("handled event")
        verbose_name_plural = _("handled events")
        constraints = [
            models.UniqueConstraint(fields=["event", "handler"], name="handled_event_once"),
        ]

    def __str__(self):
        return f"{self.handler} @ {self.event_id}"


class IdempotencyRecord(models.Model):
    """The stored outcome of a request made with an Idempotency-Key.

    Written in the same transaction as the operation it protects: a concurrent duplicate
    waits on the unique index, then reads the committed outcome; a failed operation rolls
    its record back, so the client may retry with the same key.
    """

    id = models.BigAutoField(primary_key=True)
    scope = models.CharField(_("scope"), max_length=200)
    key = models.CharField(_("key"), max_length=255)
    fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    response_status = models.PositiveSmallIntegerField(_("response status"))
    response_body = models.JSONField(_("response body"), null=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("idempotency record")
        verbose_name_plural = _("idempotency records")
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="idempotency_key_once_per_scope")
        ]

    def __str__(self):
        return f"{self.scope} {self.key}"


class AuditEntry(models.Model):
    """The sensitive-action audit log (money, KYC, payout accounts, staff actions): who,
    what, when, from where, before and after. Append-only: the model refuses updates and
    deletes, and on PostgreSQL a trigger refuses them too (migration 0003). Written through
    `apps.core.audit.audit_record`. Security events (logins, OTP, roles, impersonation) live
    in identity's SecurityEvent log."""

    class Category(models.TextChoices):
        MONEY = "money", _("money")
        PAYOUT_ACCOUNT = "payout_account", _("payout account")
        KYC = "kyc", _("KYC")
        ROLES = "roles", _("roles and access")
        STAFF = "staff", _("staff action")
        SETTINGS = "settings", _("settings")

    id = models.BigAutoField(primary_key=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, db_index=True)
    action = models.CharField(_("action"), max_length=100, db_index=True)  # "payments.payout.approved"
    # Who: public ids, not foreign keys (core sits below identity; the log outlives accounts).
    actor_public_id = models.UUIDField(_("actor"), null=True, blank=True, db_index=True)
    actor_label = models.CharField(_("actor (as shown)"), max_length=200, blank=True, default="")
    actor_is_staff = models.BooleanField(_("staff"), default=False)
    organization_public_id = models.UUIDField(_("organization"), null=True, blank=True, db_index=True)
    target_type = models.CharField(_("target type"), max_length=100, blank=True, default="")
    target_public_id = models.CharField(_("target"), max_length=64, blank=True, default="", db_index=True)
    target_label = models.CharField(_("target (as shown)"), max_length=200, blank=True, default="")
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True, default="")
    # From where
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=200, blank=True, default="")
    request_id = models.CharField(_("request id"), max_length=128, blank=True, default="", db_index=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_public_id"], name="audit_target_idx")]

    def __str__(self):
        return f"{self.action} · {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The audit log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit log is append-only")


class NumberSequence(models.Model):
    """The last number given in one series of gap-free document numbers (receipts, leases,
    formal notices…), per scope (usually an organization) and year. Written only by
    `apps.core.numbering.next_number`, in the caller's transaction."""

    id = models.BigAutoField(primary_key=True)
    series = models.CharField(_("series"), max_length=40)
    scope = models.CharField(_("scope"), max_length=64)
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("number sequence")
        verbose_name_plural = _("number sequences")
        constraints = [
            models.UniqueConstraint(fields=["series", "scope", "year"], name="core_number_sequence_once")
        ]

    def __str__(self):
        return f"{self.series} {self.scope} {self.year}: {self.last}"
