"""Payments' tables. Invariants the database can hold are constraints: one successful
attempt per intent, a provider transaction bound to one attempt, a webhook event stored
once, refunds never above the amount paid."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import BaseModel

from .contracts import AttemptStatus, IntentStatus, Method, PayoutStatus


def _choices(enum, labels: dict) -> list[tuple[str, str]]:
    return [(member.value, labels.get(member.value, member.value)) for member in enum]


INTENT_STATUS_LABELS = {
    "created": _("created"),
    "pending": _("pending"),
    "succeeded": _("paid"),
    "failed": _("failed"),
    "expired": _("expired"),
    "canceled": _("canceled"),
    "partially_refunded": _("partially refunded"),
    "refunded": _("refunded"),
}
METHOD_LABELS = {
    "mobile_money": _("mobile money"),
    "card": _("bank card"),
    "wallet": _("Hokwe wallet"),
    "cash": _("cash"),
    "bank_transfer": _("bank transfer"),
}
ATTEMPT_STATUS_LABELS = {
    "pending": _("pending"),
    "succeeded": _("succeeded"),
    "failed": _("failed"),
    "mismatch": _("amount mismatch"),
    "late": _("late or duplicate"),
}
PAYOUT_STATUS_LABELS = {
    "requested": _("requested"),
    "processing": _("processing"),
    "paid": _("paid"),
    "failed": _("failed"),
    "canceled": _("canceled"),
}


class PaymentIntent(BaseModel):
    """One amount to collect for one thing (a rent due, an invoice, a top-up), for one payee
    organization, credited to one ledger account. Stripe's PaymentIntent is the model."""

    organization = models.ForeignKey(
        "identity.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("payee")
    )
    payer = models.ForeignKey(
        "identity.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("payer"),
    )
    payer_phone = models.CharField(_("payer phone"), max_length=32, blank=True, default="")
    payer_name = models.CharField(_("payer name"), max_length=150, blank=True, default="")
    created_by = models.ForeignKey(
        "identity.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    amount = models.BigIntegerField(_("amount"))
    currency = models.CharField(_("currency"), max_length=3)
    fee_amount = models.BigIntegerField(_("fee"), default=0)
    fee_basis_points = models.IntegerField(default=0)
    fee_fixed = models.BigIntegerField(default=0)
    purpose_type = models.CharField(_("purpose type"), max_length=100)
    purpose_id = models.CharField(_("purpose id"), max_length=100, blank=True, default="")
    description = models.CharField(_("description"), max_length=200)
    credit_account = models.UUIDField(_("ledger account credited"))
    metadata = models.JSONField(_("metadata"), default=dict, blank=True)
    country = models.CharField(_("country"), max_length=2, default="BJ")
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=_choices(IntentStatus, INTENT_STATUS_LABELS),
        default=IntentStatus.CREATED,
    )
    expires_at = models.DateTimeField(_("expires at"))
    pay_token = models.CharField(max_length=32, unique=True, editable=False)
    idempotency_key = models.CharField(max_length=255, blank=True, default="")
    request_fingerprint = models.CharField(max_length=64, blank=True, default="")
    provider = models.CharField(_("provider"), max_length=30, blank=True, default="")
    method = models.CharField(_("method"), max_length=20, blank=True, default="")
    succeeded_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("expired or canceled at"), null=True, blank=True)
    success_transfer = models.UUIDField(null=True, blank=True, editable=False)
    amount_refunded = models.BigIntegerField(_("amount refunded"), default=0)
    fee_refunded = models.BigIntegerField(default=0, editable=False)
    receipt_number = models.CharField(_("receipt number"), max_length=32, blank=True, default="")
    receipt_code = models.CharField(max_length=16, null=True, blank=True, unique=True, editable=False)

    @property
    def method_label(self) -> str:
        """The method as people read it (« espèces »), for pages and receipts."""
        return str(METHOD_LABELS.get(self.method, self.method))

    class Meta:
        verbose_name = _("payment intent")
        verbose_name_plural = _("payment intents")
        indexes = [
            models.Index(fields=["organization", "-created_at"], name="pay_intent_org_created"),
            models.Index(fields=["payer", "-created_at"], name="pay_intent_payer_created"),
            models.Index(fields=["purpose_type", "purpose_id"], name="pay_intent_purpose"),
            models.Index(
                fields=["expires_at"],
                name="pay_intent_open_expiry",
                condition=Q(status__in=["created", "pending", "failed"]),
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="pay_intent_amount_positive"),
            models.CheckConstraint(
                condition=Q(fee_amount__gte=0) & Q(fee_amount__lte=F("amount")),
                name="pay_intent_fee_in_range",
            ),
            models.CheckConstraint(
                condition=Q(amount_refunded__gte=0) & Q(amount_refunded__lte=F("amount")),
                name="pay_intent_refund_not_above_amount",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in IntentStatus]), name="pay_intent_status_known"
            ),
            models.UniqueConstraint(
                fields=["organization", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="pay_intent_idempotency_key_once",
            ),
            models.UniqueConstraint(
                fields=["organization", "receipt_number"],
                condition=~Q(receipt_number=""),
                name="pay_intent_receipt_number_once",
            ),
        ]

    def __str__(self):
        return f"{self.description} ({self.amount} {self.currency})"


class PaymentAttempt(BaseModel):
    """One try to pay an intent with one method at one provider."""

    intent = models.ForeignKey(PaymentIntent, on_delete=models.CASCADE, related_name="attempts")
    method = models.CharField(_("method"), max_length=20, choices=_choices(Method, METHOD_LABELS))
    provider = models.CharField(_("provider"), max_length=30)
    provider_reference = models.CharField(_("provider reference"), max_length=100, blank=True, default="")
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=_choices(AttemptStatus, ATTEMPT_STATUS_LABELS),
        default=AttemptStatus.PENDING,
    )
    token = models.CharField(max_length=32, unique=True, editable=False)
    amount_reported = models.BigIntegerField(_("amount reported by the provider"), null=True, blank=True)
    currency_reported = models.CharField(max_length=3, blank=True, default="")
    provider_fees = models.BigIntegerField(null=True, blank=True)
    failure_code = models.CharField(max_length=60, blank=True, default="")
    failure_message = models.CharField(max_length=300, blank=True, default="")
    recorded_by = models.ForeignKey(
        "identity.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    debit_account = models.UUIDField(null=True, blank=True, editable=False)  # ledger account debited
    provider_data = models.JSONField(default=dict, blank=True)  # last status answer, for support
    completed_at = models.DateTimeField(null=True, blank=True)
    # "starting": recorded and committed, the provider's checkout (start or push) not applied
    # yet. The provider is called outside any transaction; a crash between the two is
    # resolved by the sweeper (services.provider_calls_recover).
    provider_call = models.CharField(
        _("provider call"),
        max_length=10,
        blank=True,
        default="",
        choices=[("", "—"), ("starting", _("starting"))],
    )
    provider_call_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("payment attempt")
        verbose_name_plural = _("payment attempts")
        constraints = [
            # One success only, ever: the database refuses a second successful attempt.
            models.UniqueConstraint(
                fields=["intent"], condition=Q(status="succeeded"), name="pay_attempt_one_success_per_intent"
            ),
            models.UniqueConstraint(
                fields=["provider", "provider_reference"],
                condition=~Q(provider_reference=""),
                name="pay_attempt_provider_reference_once",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in AttemptStatus]), name="pay_attempt_status_known"
            ),
        ]
        indexes = [
            models.Index(
                fields=["provider", "created_at"], name="pay_attempt_pending", condition=Q(status="pending")
            ),
            models.Index(
                fields=["provider_call_at"], name="pay_attempt_call_waiting", condition=~Q(provider_call="")
            ),
        ]

    def __str__(self):
        return f"{self.provider} {self.provider_reference or self.public_id}"


class Refund(BaseModel):
    """Money given back. At an online provider: `requested` (recorded with a ledger hold on
    the caller's account, committed), then the provider is called outside any transaction,
    then `succeeded` (hold posted) or `failed` (hold voided) in a new transaction. A refund
    left `requested` by a timeout or a crash is sent again by the sweeper under the same
    key (providers refund once per key)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("requested")
        SUCCEEDED = "succeeded", _("succeeded")
        FAILED = "failed", _("failed")

    intent = models.ForeignKey(PaymentIntent, on_delete=models.PROTECT, related_name="refunds")
    amount = models.BigIntegerField(_("amount"))
    currency = models.CharField(max_length=3)
    fee_amount = models.BigIntegerField(_("fee given back"), default=0, editable=False)
    reason = models.CharField(_("reason"), max_length=300, blank=True, default="")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REQUESTED)
    requested_by = models.ForeignKey(
        "identity.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    provider_reference = models.CharField(max_length=100, blank=True, default="")
    hold = models.UUIDField(null=True, blank=True, editable=False)  # the ledger hold while requested
    transfer = models.UUIDField(null=True, blank=True, editable=False)
    idempotency_key = models.CharField(max_length=255, blank=True, default="")
    failure_reason = models.CharField(_("failure reason"), max_length=300, blank=True, default="")
    provider_call_at = models.DateTimeField(null=True, blank=True, editable=False)  # last asked
    completed_at = models.DateTimeField(null=True, blank=True)
    # How the money goes back: by the provider that collected it, or — when that provider
    # cannot (a partial refund at Kkiapay, any at FedaPay) — by a payout to the payer's mobile
    # money number (Payout.refund links them; a failed payout may be retried by a new one).
    via = models.CharField(
        _("refunded through"),
        max_length=10,
        choices=[("provider", _("the payment provider")), ("payout", _("a payout to the payer"))],
        default="provider",
    )

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        indexes = [
            models.Index(
                fields=["provider_call_at"], name="pay_refund_requested", condition=Q(status="requested")
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="pay_refund_amount_positive"),
            models.CheckConstraint(
                condition=Q(status__in=["requested", "succeeded", "failed"]), name="pay_refund_status_known"
            ),
            models.UniqueConstraint(
                fields=["intent", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="pay_refund_idempotency_key_once",
            ),
        ]


class WebhookEvent(models.Model):
    """A provider's callback, stored raw and once (unique per provider event id), acked at
    once, then processed by a Celery task that asks the provider before anything moves."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("received")
        PROCESSED = "processed", _("processed")
        IGNORED = "ignored", _("ignored")
        FAILED = "failed", _("failed")

    id = models.BigAutoField(primary_key=True)
    provider = models.CharField(_("provider"), max_length=30)
    config = models.UUIDField(null=True, blank=True)  # provider configuration it came through
    event_id = models.CharField(_("event id"), max_length=200)
    event_type = models.CharField(_("event type"), max_length=60, blank=True, default="")
    reference = models.CharField(_("transaction reference"), max_length=100, blank=True, default="")
    body = models.TextField(_("raw body"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.RECEIVED)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True, default="")
    received_at = models.DateTimeField(_("received at"), auto_now_add=True, db_index=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("webhook event")
        verbose_name_plural = _("webhook events")
        constraints = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="pay_webhook_event_once"),
        ]

    def __str__(self):
        return f"{self.provider} {self.event_type} {self.event_id}"


class ProviderConfig(BaseModel):
    """A provider's keys: the platform's (organization empty) or an organization's own
    account. Secrets are encrypted (Fernet, PAYMENT_CONFIG_KEY); env keys are the default."""

    organization = models.ForeignKey(
        "identity.Organization", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    provider = models.CharField(_("provider"), max_length=30)
    is_enabled = models.BooleanField(_("enabled"), default=True)
    live = models.BooleanField(_("live mode"), default=False)
    public_key = models.CharField(_("public key"), max_length=200, blank=True, default="")
    secrets_encrypted = models.TextField(blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("provider configuration")
        verbose_name_plural = _("provider configurations")
        constraints = [
            models.UniqueConstraint(fields=["organization", "provider"], name="pay_config_once_per_org"),
            models.UniqueConstraint(
                fields=["provider"], condition=Q(organization__isnull=True), name="pay_config_once_platform"
            ),
        ]

    def __str__(self):
        return f"{self.provider} ({self.organization or 'Hokwe'})"


class ProviderRoute(BaseModel):
    """Routing: which provider serves a method in a country (per organization or global)."""

    organization = models.ForeignKey(
        "identity.Organization", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    method = models.CharField(_("method"), max_length=20, choices=_choices(Method, METHOD_LABELS))
    country = models.CharField(_("country"), max_length=2, default="*", help_text=_("* for any country"))
    provider = models.CharField(_("provider"), max_length=30)
    priority = models.PositiveSmallIntegerField(_("priority"), default=100)

    class Meta:
        verbose_name = _("provider route")
        verbose_name_plural = _("provider routes")
        ordering = ["priority"]


class ReconciliationReport(BaseModel):
    provider = models.CharField(_("provider"), max_length=30)
    day = models.DateField(_("day"))
    checked = models.PositiveIntegerField(_("transactions checked"), default=0)
    matched = models.PositiveIntegerField(_("matched"), default=0)
    flagged = models.PositiveIntegerField(_("flagged"), default=0)
    settled = models.PositiveIntegerField(_("pending intents settled"), default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("reconciliation report")
        verbose_name_plural = _("reconciliation reports")
        constraints = [models.UniqueConstraint(fields=["provider", "day"], name="pay_recon_once_per_day")]
        ordering = ["-day", "provider"]

    def __str__(self):
        return f"{self.provider} {self.day}"


class ReconciliationItem(BaseModel):
    """A difference between the provider and us, found by reconciliation or when a webhook
    is applied. Money that is not ours to credit sits in the ledger's suspense account."""

    class Kind(models.TextChoices):
        PAID_NOT_RECORDED = "paid_not_recorded", _("paid at the provider, not recorded with us")
        AMOUNT_MISMATCH = "amount_mismatch", _("amount or currency differs")
        UNKNOWN = "unknown_transaction", _("unknown transaction")
        LATE = "late_payment", _("paid after expiry or twice: refund due")
        MISSING = "missing_at_provider", _("recorded with us, not at the provider")
        SETTLEMENT_MISMATCH = "settlement_mismatch", _("settled by the provider, not paid with us")

    report = models.ForeignKey(
        ReconciliationReport, on_delete=models.CASCADE, null=True, blank=True, related_name="items"
    )
    provider = models.CharField(_("provider"), max_length=30)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    provider_reference = models.CharField(_("provider reference"), max_length=100, blank=True, default="")
    intent = models.ForeignKey(
        PaymentIntent, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    attempt = models.ForeignKey(
        PaymentAttempt, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    amount_provider = models.BigIntegerField(null=True, blank=True)
    amount_expected = models.BigIntegerField(null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True, default="")
    detail = models.CharField(max_length=300, blank=True, default="")
    suspense_transfer = models.UUIDField(null=True, blank=True)
    refund_due = models.BooleanField(_("refund due"), default=False)
    resolved = models.BooleanField(_("resolved"), default=False)

    class Meta:
        verbose_name = _("reconciliation item")
        verbose_name_plural = _("reconciliation items")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "provider_reference", "kind"],
                condition=~Q(provider_reference=""),
                name="pay_recon_item_once",
            ),
        ]


class SandboxTransaction(BaseModel):
    """The sandbox provider's own book: what a real provider would hold on its side."""

    reference = models.CharField(max_length=40, unique=True)
    kind = models.CharField(max_length=12, default="collect")  # collect | payout | refund
    amount = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=12, default="PENDING")
    partner_reference = models.CharField(max_length=64, blank=True, default="")
    phone = models.CharField(max_length=32, blank=True, default="")

    class Meta:
        verbose_name = _("sandbox transaction")
        verbose_name_plural = _("sandbox transactions")


class PayoutAccount(BaseModel):
    """Where an organization's money is paid out: a mobile money number or a bank account.
    Added or removed only with a step-up OTP; payouts go only to verified accounts."""

    class Kind(models.TextChoices):
        MOBILE_MONEY = "mobile_money", _("mobile money")
        BANK_ACCOUNT = "bank_account", _("bank account")

    organization = models.ForeignKey(
        "identity.Organization", on_delete=models.CASCADE, related_name="+", verbose_name=_("organization")
    )
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    phone = models.CharField(_("mobile money number"), max_length=32, blank=True, default="")
    operator = models.CharField(_("operator"), max_length=30, blank=True, default="")
    bank_name = models.CharField(_("bank"), max_length=100, blank=True, default="")
    account_number = models.CharField(_("account number (IBAN/RIB)"), max_length=40, blank=True, default="")
    holder_name = models.CharField(_("account holder"), max_length=150)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    # How it was verified, and why it waits for staff when it does (shown to the owner):
    # "step_up" (an agency's number, the owner's OTP), "name_lookup" (a landlord's number
    # whose holder, per the operator, is the person of the identity verification), "staff".
    verified_via = models.CharField(_("verified by"), max_length=12, blank=True, default="")
    verification_note = models.CharField(_("verification"), max_length=300, blank=True, default="")
    looked_up_name = models.CharField(
        _("holder's name at the operator"), max_length=150, blank=True, default=""
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        "identity.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("payout account")
        verbose_name_plural = _("payout accounts")

    def __str__(self):
        return self.masked

    @property
    def masked(self) -> str:
        value = self.phone if self.kind == self.Kind.MOBILE_MONEY else self.account_number
        tail = value[-4:] if value else ""
        label = self.operator.upper() if self.kind == self.Kind.MOBILE_MONEY else self.bank_name
        return f"{label} ****{tail}".strip()


class PayoutSchedule(BaseModel):
    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("weekly (Mondays)")
        MONTHLY = "monthly", _("monthly (the 1st)")

    organization = models.OneToOneField("identity.Organization", on_delete=models.CASCADE, related_name="+")
    payout_account = models.ForeignKey(PayoutAccount, on_delete=models.CASCADE, related_name="+")
    frequency = models.CharField(_("frequency"), max_length=8, choices=Frequency.choices)
    minimum_amount = models.BigIntegerField(_("minimum amount"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("payout schedule")
        verbose_name_plural = _("payout schedules")


class Payout(BaseModel):
    """Money sent out by the payout provider: to an organization's payout account, or (purpose
    `refund`) to a payer's mobile money number, for a refund the collecting provider cannot
    make (then `payout_account` is empty and `refund` names the refund)."""

    class Purpose(models.TextChoices):
        PAYOUT = "payout", _("payout")
        REFUND = "refund", _("refund to the payer")

    organization = models.ForeignKey(
        "identity.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("organization")
    )
    payout_account = models.ForeignKey(
        PayoutAccount, on_delete=models.PROTECT, related_name="payouts", null=True, blank=True
    )
    purpose = models.CharField(_("purpose"), max_length=8, choices=Purpose.choices, default=Purpose.PAYOUT)
    payee_phone = models.CharField(_("payee's number"), max_length=32, blank=True, default="")
    payee_operator = models.CharField(_("payee's operator"), max_length=30, blank=True, default="")
    payee_name = models.CharField(_("payee"), max_length=150, blank=True, default="")
    refund = models.ForeignKey(
        Refund,
        on_delete=models.PROTECT,
        related_name="payouts",
        null=True,
        blank=True,
        verbose_name=_("refund"),
    )
    amount = models.BigIntegerField(_("amount"))
    currency = models.CharField(_("currency"), max_length=3)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=_choices(PayoutStatus, PAYOUT_STATUS_LABELS),
        default=PayoutStatus.REQUESTED,
    )
    source_account = models.UUIDField(editable=False)  # ledger account debited
    hold = models.UUIDField(null=True, blank=True, editable=False)  # the ledger hold
    provider = models.CharField(_("provider"), max_length=30)
    provider_reference = models.CharField(_("provider reference"), max_length=100, blank=True, default="")
    requested_by = models.ForeignKey(
        "identity.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    scheduled = models.BooleanField(_("scheduled"), default=False)
    failure_reason = models.CharField(_("failure reason"), max_length=300, blank=True, default="")
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    idempotency_key = models.CharField(max_length=255, blank=True, default="")
    # "sending": claimed and committed, the provider's answer not applied yet (the payout
    # stays `requested` and can no longer be canceled). A send cut by a timeout or a crash
    # is looked up at the provider under our reference (the payout's public id) by the
    # sweeper, and sent only if the provider does not have it.
    provider_call = models.CharField(
        _("provider call"),
        max_length=10,
        blank=True,
        default="",
        choices=[("", "—"), ("sending", _("sending"))],
    )
    provider_call_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("payout")
        verbose_name_plural = _("payouts")
        indexes = [
            models.Index(
                fields=["provider_call_at"], name="pay_payout_call_waiting", condition=~Q(provider_call="")
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="pay_payout_amount_positive"),
            models.CheckConstraint(
                condition=Q(payout_account__isnull=False)
                | (Q(purpose="refund") & Q(refund__isnull=False) & ~Q(payee_phone="")),
                name="pay_payout_has_a_destination",
            ),
            models.UniqueConstraint(
                fields=["provider", "provider_reference"],
                condition=~Q(provider_reference=""),
                name="pay_payout_provider_reference_once",
            ),
            models.UniqueConstraint(
                fields=["organization", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="pay_payout_idempotency_key_once",
            ),
        ]

    @property
    def destination(self) -> str:
        """Where it went, masked (« MTN ****0001 »): the payout account, or the payer's number."""
        if self.payout_account_id is not None:
            return self.payout_account.masked
        tail = self.payee_phone[-4:] if self.payee_phone else ""
        return f"{self.payee_operator.upper()} ****{tail}".strip()


# --- suspense decisions and settlements (finance; docs/payments.md "Suspense and settlements") ---


class SuspenseDecision(BaseModel):
    """What finance staff decided for money held in suspense (a ReconciliationItem with a
    suspense transfer): apply it to an intent, or send it back to the payer. Above
    PAYMENT_SUSPENSE_FOUR_EYES_ABOVE a request waits for another finance staff member's
    approval (four eyes). One live decision per item: the database refuses a second."""

    class Action(models.TextChoices):
        APPLY = "apply", _("apply to a payment")
        REFUND = "refund", _("refund to the payer")

    class Status(models.TextChoices):
        AWAITING_APPROVAL = "awaiting_approval", _("awaiting approval")
        SENDING = "sending", _("being sent")  # a refund recorded, its ledger hold taken
        AWAITING_PAYOUT = "awaiting_payout", _("awaiting payout")  # left to the payout path
        DONE = "done", _("done")
        REJECTED = "rejected", _("rejected")
        FAILED = "failed", _("failed")

    LIVE_STATUSES = ("awaiting_approval", "sending", "awaiting_payout", "done")

    item = models.ForeignKey(ReconciliationItem, on_delete=models.PROTECT, related_name="decisions")
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    amount = models.BigIntegerField(_("amount"))
    currency = models.CharField(_("currency"), max_length=3)
    intent = models.ForeignKey(
        PaymentIntent, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    payee_phone = models.CharField(_("payer's number"), max_length=32, blank=True, default="")
    payee_name = models.CharField(_("payer's name"), max_length=150, blank=True, default="")
    reason = models.CharField(_("reason"), max_length=300, blank=True, default="")
    requested_by = models.ForeignKey(
        "identity.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    approved_by = models.ForeignKey(
        "identity.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    provider = models.CharField(_("provider"), max_length=30, blank=True, default="")
    provider_reference = models.CharField(max_length=100, blank=True, default="")
    hold = models.UUIDField(null=True, blank=True, editable=False)  # a refund's ledger hold
    transfer = models.UUIDField(null=True, blank=True, editable=False)  # the posted movement
    failure_reason = models.CharField(_("failure reason"), max_length=300, blank=True, default="")
    idempotency_key = models.CharField(max_length=255, blank=True, default="")

    class Meta:
        verbose_name = _("suspense decision")
        verbose_name_plural = _("suspense decisions")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="pay_suspense_amount_positive"),
            models.UniqueConstraint(
                fields=["item"],
                condition=Q(status__in=["awaiting_approval", "sending", "awaiting_payout", "done"]),
                name="pay_suspense_one_live_decision",
            ),
            models.UniqueConstraint(
                fields=["requested_by", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="pay_suspense_idempotency_key_once",
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("requested_by")),
                name="pay_suspense_four_eyes",
            ),
        ]

    def __str__(self):
        return f"{self.action} {self.amount} {self.currency}"


class Settlement(BaseModel):
    """A provider paid our balance out to Hokwe's bank: recorded once per (provider,
    reference), posted clearing → bank and the provider's fees."""

    class Source(models.TextChoices):
        API = "api", _("provider API")
        FILE = "file", _("statement file")
        MANUAL = "manual", _("typed in")

    provider = models.CharField(_("provider"), max_length=30)
    reference = models.CharField(_("settlement reference"), max_length=100)
    currency = models.CharField(_("currency"), max_length=3)
    gross = models.BigIntegerField(_("gross"))
    fees = models.BigIntegerField(_("fees"), default=0)
    settled_on = models.DateField(_("settled on"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    filename = models.CharField(_("file"), max_length=200, blank=True, default="")
    transfer = models.UUIDField(null=True, blank=True, editable=False)
    lines_count = models.PositiveIntegerField(_("transactions"), default=0)
    mismatches = models.PositiveIntegerField(_("mismatches"), default=0)
    imported_by = models.ForeignKey(
        "identity.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("settlement")
        verbose_name_plural = _("settlements")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "reference"], name="pay_settlement_once"),
            models.CheckConstraint(
                condition=Q(fees__gte=0) & Q(fees__lte=F("gross")), name="pay_settlement_fees_in_range"
            ),
        ]

    @property
    def net(self) -> int:
        return self.gross - self.fees

    def __str__(self):
        return f"{self.provider} {self.reference}"


class SettlementLine(models.Model):
    """One provider transaction inside a settlement, checked against our attempts. A
    transaction is settled once: the same line in two files is recorded once."""

    class Outcome(models.TextChoices):
        MATCHED = "matched", _("matched")
        SUSPENSE = "suspense", _("in suspense")
        MISMATCH = "mismatch", _("mismatch")

    id = models.BigAutoField(primary_key=True)
    settlement = models.ForeignKey(Settlement, on_delete=models.CASCADE, related_name="lines")
    provider = models.CharField(max_length=30)
    transaction_reference = models.CharField(_("transaction"), max_length=100)
    amount = models.BigIntegerField(_("amount"))
    fees = models.BigIntegerField(_("fees"), default=0)
    currency = models.CharField(max_length=3)
    outcome = models.CharField(_("check"), max_length=10, choices=Outcome.choices)
    attempt = models.ForeignKey(
        PaymentAttempt, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("settlement line")
        verbose_name_plural = _("settlement lines")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "transaction_reference"], name="pay_settlement_line_once"
            ),
        ]

    def __str__(self):
        return f"{self.provider} {self.transaction_reference}"
