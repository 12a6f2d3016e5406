"""Notification tables: templates (versioned), the message log, push devices, preferences,
address opt-outs and delivery receipts."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import BaseModel

from .contracts import Category, Channel, Priority

LANGUAGES = [("fr", _("French")), ("en", _("English"))]


class Template(BaseModel):
    """A staff override of a catalogue text for one key × channel × language. Every edit is
    a new version; exactly one version may be active (the catalogue default applies when
    none is)."""

    key = models.CharField(_("template key"), max_length=80)
    channel = models.CharField(_("channel"), max_length=8, choices=[(c.value, c.value) for c in Channel])
    language = models.CharField(_("language"), max_length=5, choices=LANGUAGES)
    version = models.PositiveIntegerField(_("version"))
    subject = models.CharField(_("subject / title"), max_length=200, blank=True, default="")
    body = models.TextField(_("body"))
    is_active = models.BooleanField(_("active"), default=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("change note"), max_length=200, blank=True, default="")

    class Meta:
        verbose_name = _("template")
        verbose_name_plural = _("templates")
        ordering = ["key", "channel", "language", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "channel", "language", "version"], name="template_version_once"
            ),
            models.UniqueConstraint(
                fields=["key", "channel", "language"], condition=Q(is_active=True), name="template_one_active"
            ),
        ]

    def __str__(self):
        return f"{self.key} · {self.channel} · {self.language} · v{self.version}"


class Message(BaseModel):
    """One message on one channel to one recipient: the delivery log."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("failed")
        SUPPRESSED = "suppressed", _("suppressed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notification_messages",
    )
    recipient_key = models.CharField(_("recipient"), max_length=254, help_text=_("User public id or address"))
    channel = models.CharField(_("channel"), max_length=8, choices=[(c.value, c.value) for c in Channel])
    address = models.CharField(_("address"), max_length=254, blank=True, default="")
    template_key = models.CharField(_("template key"), max_length=80)
    template_version = models.PositiveIntegerField(_("template version"), default=0)
    language = models.CharField(_("language"), max_length=5, default="fr")
    category = models.CharField(_("category"), max_length=16, choices=[(c.value, c.value) for c in Category])
    priority = models.CharField(_("priority"), max_length=16, choices=[(p.value, p.value) for p in Priority])
    subject = models.CharField(_("subject / title"), max_length=300, blank=True, default="")
    body = models.TextField(_("body"), help_text=_("Secrets (one-time codes) are masked."))
    sealed_body = models.TextField(
        _("sealed body"),
        blank=True,
        default="",
        editable=False,
        help_text=_("The real body when it holds a secret, encrypted; wiped once sent or expired."),
    )
    action_url = models.URLField(_("link"), max_length=500, blank=True, default="")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.QUEUED)
    failure_reason = models.CharField(_("failure reason"), max_length=500, blank=True, default="")
    last_error = models.CharField(_("last error"), max_length=1000, blank=True, default="")
    provider = models.CharField(_("provider"), max_length=32, blank=True, default="")
    provider_message_id = models.CharField(_("provider message id"), max_length=200, blank=True, default="")
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    not_before = models.DateTimeField(_("not before"), null=True, blank=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, blank=True, default="")
    segments = models.PositiveSmallIntegerField(_("SMS segments"), default=0)
    # the organization that sent it (its public id), for the usage it is billed for
    organization = models.UUIDField(_("organization"), null=True, blank=True)
    encoding = models.CharField(_("SMS encoding"), max_length=5, blank=True, default="")
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    failed_at = models.DateTimeField(_("failed at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages (delivery log)")
        constraints = [
            # The same event never reaches the same recipient twice on a channel.
            models.UniqueConstraint(
                fields=["idempotency_key", "channel", "recipient_key"],
                condition=~Q(idempotency_key=""),
                name="message_once_per_idempotency_key",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "sending", "sent", "delivered", "failed", "suppressed"]),
                name="message_status_known",
            ),
        ]
        indexes = [
            models.Index(
                fields=["user", "-created_at"], name="message_inbox_idx", condition=Q(channel="inapp")
            ),
            models.Index(
                fields=["user"], name="message_unread_idx", condition=Q(channel="inapp", read_at__isnull=True)
            ),
            models.Index(
                fields=["not_before", "id"], name="message_queued_idx", condition=Q(status="queued")
            ),
            models.Index(fields=["provider", "provider_message_id"], name="message_provider_ref_idx"),
            models.Index(fields=["address"], name="message_address_idx"),
            models.Index(fields=["template_key", "-created_at"], name="message_template_idx"),
        ]

    def __str__(self):
        return f"{self.template_key} → {self.address or self.recipient_key} ({self.channel}, {self.status})"


class PushDevice(BaseModel):
    """An app installation that can receive push notifications (FCM registration token)."""

    class Platform(models.TextChoices):
        ANDROID = "android", "Android"
        IOS = "ios", "iOS"
        WEB = "web", "Web"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_devices")
    token = models.CharField(_("registration token"), max_length=4096, unique=True)
    platform = models.CharField(_("platform"), max_length=8, choices=Platform.choices)
    app = models.CharField(_("app"), max_length=40, blank=True, default="")
    last_seen_at = models.DateTimeField(_("last seen"), auto_now=True)

    class Meta:
        verbose_name = _("push device")
        verbose_name_plural = _("push devices")

    def __str__(self):
        return f"{self.platform} · {self.user_id}"


class Preference(BaseModel):
    """A user's choices: channels turned off per category, quiet hours, marketing opt-out."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    disabled = models.JSONField(
        _("disabled channels"), default=dict, blank=True, help_text=_('{"category": ["sms", "email"]}')
    )
    marketing_opt_out = models.BooleanField(_("no marketing"), default=False)
    quiet_hours_start = models.TimeField(_("quiet hours start"), null=True, blank=True)
    quiet_hours_end = models.TimeField(_("quiet hours end"), null=True, blank=True)
    timezone = models.CharField(_("time zone"), max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return str(self.user_id)


class AddressOptOut(BaseModel):
    """Marketing opt-out of a phone number or e-mail address without an account (STOP)."""

    address = models.CharField(_("address"), max_length=254, unique=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True, default="")

    class Meta:
        verbose_name = _("address opt-out")
        verbose_name_plural = _("address opt-outs")

    def __str__(self):
        return self.address


class DeliveryReceipt(BaseModel):
    """A verified delivery report from a provider, recorded once."""

    provider = models.CharField(_("provider"), max_length=32)
    provider_message_id = models.CharField(_("provider message id"), max_length=200)
    status = models.CharField(_("provider status"), max_length=64)
    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, null=True, blank=True, related_name="receipts"
    )
    payload = models.JSONField(_("payload"), default=dict)

    class Meta:
        verbose_name = _("delivery receipt")
        verbose_name_plural = _("delivery receipts")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "provider_message_id", "status"], name="delivery_receipt_once"
            ),
        ]

    def __str__(self):
        return f"{self.provider} {self.provider_message_id} {self.status}"
