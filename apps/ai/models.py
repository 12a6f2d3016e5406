"""HokweAI's tables (docs/ai.md).

- Thread: a user's conversation with the assistant (its language; the support ticket it was
  handed to, if any).
- Message: one turn — the user's, the assistant's (which engine answered: the LLM or the
  offline assistant, and whether it was a fallback), or a tool's result; the assistant's tool
  calls; the user's rating.
- ToolCall: the audit of every tool call (who, which tool, the arguments with personal data
  masked, the outcome, how long), and the public ids a later call of the thread may refer to
  (« book a visit of the second one »).
- PreparedAction: what a tool prepared but may not do alone (money, a commitment): the user
  confirms it in the app with the step-up code bound to it, before it expires.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.models import BaseModel


class Thread(BaseModel):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ai_threads")
    title = models.CharField(_("title"), max_length=120, blank=True, default="")
    language = models.CharField(_("language"), max_length=5, default="fr")
    support_ticket = models.UUIDField(_("support ticket"), null=True, blank=True)
    last_message_at = models.DateTimeField(_("last message"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("assistant conversation")
        verbose_name_plural = _("assistant conversations")
        ordering = ["-last_message_at", "-id"]
        indexes = [models.Index(fields=["user", "-last_message_at"], name="ai_thread_user_recent")]

    def __str__(self):
        return self.title or str(self.public_id)


class Message(BaseModel):
    class Role(models.TextChoices):
        USER = "user", pgettext_lazy("a message's author", "user")
        ASSISTANT = "assistant", pgettext_lazy("a message's author", "assistant")
        TOOL = "tool", pgettext_lazy("a message's author", "tool")

    class Engine(models.TextChoices):
        LLM = "llm", _("language model")
        OFFLINE = "offline", _("offline assistant")

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    text = models.TextField(_("text"), blank=True, default="")
    engine = models.CharField(_("engine"), max_length=8, choices=Engine.choices, blank=True, default="")
    fallback = models.BooleanField(_("offline fallback"), default=False)
    intent = models.CharField(_("intent"), max_length=40, blank=True, default="")
    tool_calls = models.JSONField(_("tool calls"), default=list, blank=True)  # [{id, name, arguments}]
    tool_call_id = models.CharField(max_length=64, blank=True, default="")
    tokens = models.PositiveIntegerField(_("tokens"), default=0)
    voice = models.BooleanField(_("spoken"), default=False)
    rating = models.SmallIntegerField(_("rating"), null=True, blank=True)  # -1 or 1
    rated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("assistant message")
        verbose_name_plural = _("assistant messages")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__in=[-1, 1]), name="ai_message_rating_sign"
            )
        ]

    def __str__(self):
        return f"{self.role}: {self.text[:40]}"


class ToolCall(BaseModel):
    class Status(models.TextChoices):
        OK = "ok", pgettext_lazy("a tool call", "done")
        PREPARED = "prepared", pgettext_lazy("a tool call", "prepared for confirmation")
        REFUSED = "refused", pgettext_lazy("a tool call", "refused")
        ERROR = "error", pgettext_lazy("a tool call", "failed")

    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, related_name="tool_calls", null=True, blank=True
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("tool"), max_length=60)
    arguments = models.JSONField(_("arguments (masked)"), default=dict)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    summary = models.CharField(_("outcome"), max_length=300, blank=True, default="")
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    engine = models.CharField(_("engine"), max_length=8, blank=True, default="")
    # what a later tool of the thread may refer to (public ids, no personal data): the
    # listings a search found, the listing whose visit slots were shown
    refs = models.JSONField(_("references"), default=dict, blank=True)

    class Meta:
        verbose_name = _("assistant tool call")
        verbose_name_plural = _("assistant tool calls")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name} {self.status}"


class PreparedAction(BaseModel):
    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("a prepared action", "waiting for confirmation")
        DONE = "done", pgettext_lazy("a prepared action", "done")
        CANCELLED = "cancelled", pgettext_lazy("a prepared action", "cancelled")
        EXPIRED = "expired", pgettext_lazy("a prepared action", "expired")
        FAILED = "failed", pgettext_lazy("a prepared action", "failed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ai_actions")
    thread = models.ForeignKey(
        Thread, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    kind = models.CharField(_("kind"), max_length=40)
    params = models.JSONField(_("parameters"), default=dict)
    summary = models.CharField(_("what it does"), max_length=300)
    amount = models.BigIntegerField(_("amount"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True, default="")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    expires_at = models.DateTimeField(_("expires at"))
    result = models.JSONField(_("result"), default=dict, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("action waiting for confirmation")
        verbose_name_plural = _("actions waiting for confirmation")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.kind} {self.status}"
