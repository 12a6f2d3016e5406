"""KYC tables. Tables only: the rules live in services/, the authorization in rules.py.

Document bytes never touch the database: a Document row holds where the encrypted file is
(default storage), the id of the master key that wrapped its data key, and the wrapped key.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import BaseModel

from .contracts import DocumentKind, SubmissionStatus, Tier
from .workflow import OPEN

_OPEN = sorted(str(s) for s in OPEN)  # sorted: a frozenset's order changes per process


class TierChoices(models.IntegerChoices):
    PHONE = Tier.PHONE, _("Tier 0 — phone verified")
    IDENTITY = Tier.IDENTITY, _("Tier 1 — ID document verified")
    FULL = Tier.FULL, _("Tier 2 — ID, selfie and proof of address verified")


class Status(models.TextChoices):
    DRAFT = SubmissionStatus.DRAFT, _("draft")
    SUBMITTED = SubmissionStatus.SUBMITTED, _("submitted")
    IN_REVIEW = SubmissionStatus.IN_REVIEW, _("in review")
    APPROVED = SubmissionStatus.APPROVED, _("approved")
    REJECTED = SubmissionStatus.REJECTED, _("rejected")
    EXPIRED = SubmissionStatus.EXPIRED, _("expired")
    CANCELLED = SubmissionStatus.CANCELLED, _("cancelled")


class Kind(models.TextChoices):
    ID_CARD = DocumentKind.ID_CARD, _("national ID card")
    PASSPORT = DocumentKind.PASSPORT, _("passport")
    DRIVING_LICENCE = DocumentKind.DRIVING_LICENCE, _("driving licence")
    SELFIE = DocumentKind.SELFIE, _("selfie")
    PROOF_OF_ADDRESS = DocumentKind.PROOF_OF_ADDRESS, _("proof of address")
    RCCM = DocumentKind.RCCM, _("RCCM registration")
    IFU = DocumentKind.IFU, _("IFU tax number certificate")


class RejectionReason(models.TextChoices):
    """Shown to the user (translated). Staff pick one; an optional message adds detail."""

    DOCUMENT_UNREADABLE = "document_unreadable", _("The document photo is blurred, cut off or unreadable.")
    DOCUMENT_EXPIRED = "document_expired", _("The identity document has expired.")
    DOCUMENT_MISMATCH = "document_mismatch", _("The details you entered do not match the document.")
    SELFIE_MISMATCH = "selfie_mismatch", _("The selfie does not match the photo on the document.")
    LIVENESS_FAILED = "liveness_failed", _("The selfie check failed. Take a new selfie in good light.")
    ADDRESS_PROOF_INVALID = (
        "address_proof_invalid",
        _("The proof of address is missing, older than three months or not in your name."),
    )
    BUSINESS_DOCUMENTS_INVALID = (
        "business_documents_invalid",
        _("The RCCM or IFU document is missing, unreadable or does not match the organization."),
    )
    DIRECTOR_IDENTITY_INVALID = (
        "director_identity_invalid",
        _("A director's identity document is missing or unreadable."),
    )
    NOT_VERIFIABLE = "not_verifiable", _("We could not verify this identity.")
    OTHER = "other", _("The verification was refused: see the message from our team.")


class KycProfile(models.Model):
    """A user's verification level. No row means tier 0 (every account has a verified phone)."""

    id = models.BigAutoField(primary_key=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kyc_profile", verbose_name=_("user")
    )
    tier = models.PositiveSmallIntegerField(_("tier"), choices=TierChoices.choices, default=Tier.PHONE)
    # When identity closed the account: the retention clock for the documents starts here.
    closed_at = models.DateTimeField(_("account closed at"), null=True, blank=True)
    documents_purged_at = models.DateTimeField(_("documents purged at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("KYC profile")
        verbose_name_plural = _("KYC profiles")
        constraints = [models.CheckConstraint(condition=Q(tier__lte=2), name="kyc_profile_tier_known")]

    def __str__(self):
        return f"{self.user_id} · tier {self.tier}"


class TierLimit(models.Model):
    """Limits of one tier in one country, edited by compliance staff in the admin. They take
    precedence over settings.KYC_LIMITS (the defaults, loadable from the environment).
    country "*" applies to every country without its own row."""

    id = models.BigAutoField(primary_key=True)
    country = models.CharField(
        _("country"), max_length=2, help_text=_("ISO 3166 code (BJ, CI…) or * for all")
    )
    tier = models.PositiveSmallIntegerField(_("tier"), choices=TierChoices.choices)
    currency = models.CharField(_("currency"), max_length=3, default="XOF")
    max_balance = models.BigIntegerField(_("maximum balance"))
    monthly_inflow = models.BigIntegerField(_("monthly inflow"))
    single_transaction = models.BigIntegerField(_("single-transaction maximum"))
    daily_outflow = models.BigIntegerField(_("daily outflow"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("tier limit")
        verbose_name_plural = _("tier limits")
        ordering = ["country", "tier"]
        constraints = [
            models.UniqueConstraint(fields=["country", "tier"], name="kyc_limit_once_per_country_tier"),
            models.CheckConstraint(
                condition=Q(
                    max_balance__gte=0, monthly_inflow__gte=0, single_transaction__gte=0, daily_outflow__gte=0
                ),
                name="kyc_limit_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.country} · tier {self.tier}"


class Submission(BaseModel):
    """One verification request: a person's (individual, target tier 1 or 2) or an
    organization's (business, KYB). The decision record outlives the documents."""

    class Subject(models.TextChoices):
        INDIVIDUAL = "individual", _("individual")
        BUSINESS = "business", _("business (KYB)")

    subject = models.CharField(
        _("subject"), max_length=12, choices=Subject.choices, default=Subject.INDIVIDUAL
    )
    # The person verified (individual) or who filed the KYB (business).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="kyc_submissions",
        verbose_name=_("user"),
    )
    organization = models.ForeignKey(
        "identity.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="kyb_submissions",
        verbose_name=_("organization"),
    )
    target_tier = models.PositiveSmallIntegerField(
        _("requested tier"), choices=TierChoices.choices, default=Tier.IDENTITY
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("previous attempt"),
    )

    # Entered by the person (individual)
    first_name = models.CharField(_("first name"), max_length=100, blank=True, default="")
    last_name = models.CharField(_("last name"), max_length=100, blank=True, default="")
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    nationality = models.CharField(_("nationality"), max_length=2, blank=True, default="")
    id_number = models.CharField(_("ID document number"), max_length=50, blank=True, default="")
    id_expiry_date = models.DateField(_("ID document expiry date"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True, default="")
    city = models.CharField(_("city"), max_length=100, blank=True, default="")
    # Entered by the organization (business)
    legal_name = models.CharField(_("legal name"), max_length=200, blank=True, default="")
    rccm_number = models.CharField(_("RCCM number"), max_length=60, blank=True, default="")
    ifu_number = models.CharField(_("IFU number"), max_length=30, blank=True, default="")
    registered_address = models.CharField(_("registered address"), max_length=300, blank=True, default="")

    # Provider check (Smile ID, Onfido or manual staff review)
    provider = models.CharField(_("provider"), max_length=20, blank=True, default="")
    provider_reference = models.CharField(
        _("provider reference"), max_length=100, blank=True, default="", db_index=True
    )
    provider_outcome = models.CharField(_("provider outcome"), max_length=20, blank=True, default="")
    provider_summary = models.CharField(_("provider summary"), max_length=300, blank=True, default="")
    provider_checked_at = models.DateTimeField(_("provider checked at"), null=True, blank=True)

    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, db_index=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_via = models.CharField(
        _("decided via"), max_length=20, blank=True, default=""
    )  # staff | provider
    rejection_reason = models.CharField(
        _("rejection reason"), max_length=40, choices=RejectionReason.choices, blank=True, default=""
    )
    rejection_message = models.CharField(_("message to the user"), max_length=500, blank=True, default="")
    personal_data_purged_at = models.DateTimeField(_("personal data purged at"), null=True, blank=True)

    class Meta:
        verbose_name = _("verification")
        verbose_name_plural = _("verifications")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(subject="individual", organization__isnull=True)
                    | Q(subject="business", organization__isnull=False)
                ),
                name="kyc_submission_subject_consistent",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[str(s) for s in SubmissionStatus]), name="kyc_submission_status_known"
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""), name="kyc_rejection_has_reason"
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(subject="individual", status__in=_OPEN),
                name="kyc_one_open_submission_per_user",
            ),
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(subject="business", status__in=_OPEN),
                name="kyc_one_open_submission_per_org",
            ),
        ]
        indexes = [models.Index(fields=["status", "submitted_at"], name="kyc_queue_idx")]

    def __str__(self):
        who = self.legal_name or self.organization_id if self.subject == "business" else self.user_id
        return f"{self.get_subject_display()} {who} · {self.get_status_display()}"

    @property
    def is_business(self) -> bool:
        return self.subject == self.Subject.BUSINESS

    @property
    def required_approvals(self) -> int:
        """Four-eyes: tier 2 (and KYB, which unlocks payouts) needs two different staff."""
        return 2 if self.is_business or self.target_tier >= Tier.FULL else 1


class Approval(models.Model):
    """One staff approval of a submission. Two different staff for tier 2 and KYB (the
    unique constraint makes "twice the same person" impossible, even under a race)."""

    id = models.BigAutoField(primary_key=True)
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="approvals")
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("note"), max_length=300, blank=True, default="")
    created_at = models.DateTimeField(_("approved at"), auto_now_add=True)

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        constraints = [
            models.UniqueConstraint(fields=["submission", "staff"], name="kyc_approval_once_per_staff")
        ]

    def __str__(self):
        return f"{self.submission_id} ✓ {self.staff_id}"


class Director(BaseModel):
    """A director (dirigeant) of an organization under KYB, with an identity document."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="directors")
    full_name = models.CharField(_("full name"), max_length=150)
    role = models.CharField(_("role"), max_length=100, blank=True, default="")
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    id_number = models.CharField(_("ID document number"), max_length=50, blank=True, default="")

    class Meta:
        verbose_name = _("director")
        verbose_name_plural = _("directors")
        ordering = ["created_at"]

    def __str__(self):
        return self.full_name


class Document(BaseModel):
    """An uploaded document, encrypted at rest (envelope encryption, see apps/core/crypto.py)."""

    class Side(models.TextChoices):
        FRONT = "front", _("front")
        BACK = "back", _("back")

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="documents")
    director = models.ForeignKey(
        Director, on_delete=models.CASCADE, null=True, blank=True, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    side = models.CharField(_("side"), max_length=5, choices=Side.choices, default=Side.FRONT)
    content_type = models.CharField(_("content type"), max_length=40)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Where the ciphertext is (default storage) and the data key wrapped by a master key.
    storage_name = models.CharField(max_length=200, blank=True, default="")
    key_id = models.CharField(max_length=40, blank=True, default="")
    wrapped_key = models.BinaryField(default=b"", blank=True)
    purged_at = models.DateTimeField(_("purged at"), null=True, blank=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[str(k) for k in DocumentKind]), name="kyc_document_kind_known"
            ),
        ]
        indexes = [models.Index(fields=["key_id"], name="kyc_document_key_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.public_id})"

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class ProviderCallback(models.Model):
    """Each verified provider callback, recorded once (replays are answered, not re-applied)."""

    id = models.BigAutoField(primary_key=True)
    provider = models.CharField(max_length=20)
    event_key = models.CharField(max_length=128)
    reference = models.CharField(max_length=100, blank=True, default="")
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("provider callback")
        verbose_name_plural = _("provider callbacks")
        constraints = [models.UniqueConstraint(fields=["provider", "event_key"], name="kyc_callback_once")]

    def __str__(self):
        return f"{self.provider} {self.reference}"


# --- transaction monitoring (AML): docs/kyc.md "Transaction monitoring" ---------------------------


class MonitoredTransaction(BaseModel):
    """One transaction seen by monitoring (payments hands them over after commit). The rules
    count these rows through the indexes below; nothing here is money of record (the ledger
    is)."""

    class Kind(models.TextChoices):
        COLLECT = "collect", _("collection")
        PAYOUT = "payout", _("payout")
        REFUND = "refund", _("refund")

    source_key = models.CharField(_("source"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    amount = models.BigIntegerField(_("amount"))
    currency = models.CharField(_("currency"), max_length=3)
    occurred_at = models.DateTimeField(_("occurred at"))
    organization = models.ForeignKey(
        "identity.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organization"),
    )
    account = models.CharField(_("account"), max_length=64, blank=True, default="")
    payer_phone = models.CharField(_("payer phone"), max_length=32, blank=True, default="")
    payer_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("payer"),
    )
    provider = models.CharField(_("provider"), max_length=30, blank=True, default="")
    provider_reference = models.CharField(_("provider reference"), max_length=100, blank=True, default="")

    class Meta:
        verbose_name = _("monitored transaction")
        verbose_name_plural = _("monitored transactions")
        ordering = ["-occurred_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["collect", "payout", "refund"]), name="kyc_monitored_kind_known"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="kyc_monitored_amount_positive"),
        ]
        indexes = [
            models.Index(fields=["payer_phone", "occurred_at"], name="kyc_mon_phone_idx"),
            models.Index(fields=["payer_user", "occurred_at"], name="kyc_mon_user_idx"),
            models.Index(fields=["organization", "account", "occurred_at"], name="kyc_mon_account_idx"),
            models.Index(fields=["organization", "kind", "occurred_at"], name="kyc_mon_org_kind_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount} {self.currency} · {self.source_key}"


class AlertRule(models.TextChoices):
    VELOCITY = "velocity", _("velocity: many transactions by one payer")
    LARGE_AMOUNT = "large_amount", _("large amount")
    STRUCTURING = "structuring", _("structuring: amounts just below a cap")
    MANY_PAYERS = "many_payers", _("many payers into one account")
    PAYOUT_AFTER_COLLECTIONS = "payout_after_collections", _("payout right after collections from new payers")


class AlertSeverity(models.IntegerChoices):
    LOW = 1, _("low")
    MEDIUM = 2, _("medium")
    HIGH = 3, _("high")


class AlertStatus(models.TextChoices):
    OPEN = "open", _("open")
    ESCALATED = "escalated", _("escalated")
    DISMISSED = "dismissed", _("dismissed (false positive)")
    REPORTED = "reported", _("reported as suspicious")


ALERT_OPEN_STATUSES = ["escalated", "open"]  # sorted: used in a constraint


class Alert(BaseModel):
    """A rule hit, worked by compliance staff. One undecided alert per rule and subject: a
    new hit attaches its transactions to it (a database constraint, safe under races)."""

    class SubjectKind(models.TextChoices):
        PAYER = "payer", _("payer")
        ACCOUNT = "account", _("receiving account")
        ORGANIZATION = "organization", _("organization")

    rule = models.CharField(_("rule"), max_length=30, choices=AlertRule.choices, db_index=True)
    severity = models.PositiveSmallIntegerField(_("severity"), choices=AlertSeverity.choices)
    score = models.PositiveSmallIntegerField(_("score"), default=0)  # 0-100
    status = models.CharField(
        _("status"), max_length=12, choices=AlertStatus.choices, default=AlertStatus.OPEN, db_index=True
    )
    subject_kind = models.CharField(_("subject"), max_length=12, choices=SubjectKind.choices)
    subject_key = models.CharField(
        max_length=200
    )  # "user:<uuid>", "phone:+229…", "account:<org>:<acct>", "org:<uuid>"
    subject_phone = models.CharField(_("payer phone"), max_length=32, blank=True, default="")
    subject_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("payer"),
    )
    organization = models.ForeignKey(
        "identity.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organization"),
    )
    account = models.CharField(_("account"), max_length=64, blank=True, default="")
    summary = models.CharField(_("what was seen"), max_length=300, blank=True, default="")
    transactions = models.ManyToManyField(
        MonitoredTransaction,
        through="AlertTransaction",
        related_name="alerts",
        verbose_name=_("transactions"),
    )
    last_hit_at = models.DateTimeField(_("last hit"), null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    escalated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("escalated by"),
    )
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.CharField(_("reason for the decision"), max_length=500, blank=True, default="")
    narrative = models.TextField(_("analyst's narrative"), blank=True, default="")

    class Meta:
        verbose_name = _("monitoring alert")
        verbose_name_plural = _("monitoring alerts")
        ordering = ["-severity", "-last_hit_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "subject_key"],
                condition=Q(status__in=ALERT_OPEN_STATUSES),
                name="kyc_alert_one_open_per_rule_subject",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "escalated", "dismissed", "reported"]),
                name="kyc_alert_status_known",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ALERT_OPEN_STATUSES)
                | Q(decided_at__isnull=False, decided_by__isnull=False) & ~Q(decision_reason=""),
                name="kyc_alert_decision_recorded",
            ),
        ]
        indexes = [models.Index(fields=["status", "-severity", "-last_hit_at"], name="kyc_alert_queue_idx")]

    def __str__(self):
        return f"{self.get_rule_display()} · {self.subject_label} · {self.get_status_display()}"

    @property
    def subject_label(self) -> str:
        if self.subject_kind == self.SubjectKind.PAYER:
            return self.subject_phone or str(self.subject_user or "")
        name = self.organization.name if self.organization_id else ""
        return f"{name} {self.account}".strip() if self.subject_kind == self.SubjectKind.ACCOUNT else name

    @property
    def is_decided(self) -> bool:
        return self.status not in ALERT_OPEN_STATUSES


class AlertTransaction(models.Model):
    """A transaction involved in an alert (attached when the alert opened or on a later hit)."""

    id = models.BigAutoField(primary_key=True)
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="links")
    transaction = models.ForeignKey(MonitoredTransaction, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("alert transaction")
        verbose_name_plural = _("alert transactions")
        constraints = [
            models.UniqueConstraint(fields=["alert", "transaction"], name="kyc_alert_transaction_once")
        ]

    def __str__(self):
        return f"{self.alert_id} ← {self.transaction_id}"


class AlertEntry(models.Model):
    """The alert's history as compliance sees it: hits, assignment, notes, decisions,
    exports. (Each staff action is also an audit entry in core's log.)"""

    class Kind(models.TextChoices):
        HIT = "hit", _("rule hit")
        ASSIGNED = "assigned", _("assigned")
        NOTE = "note", _("note")
        ESCALATED = "escalated", _("escalated")
        DISMISSED = "dismissed", _("dismissed")
        REPORTED = "reported", _("reported")
        EXPORTED = "exported", _("report exported")

    id = models.BigAutoField(primary_key=True)
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    text = models.TextField(_("text"), blank=True, default="")
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("alert history entry")
        verbose_name_plural = _("alert history")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.created_at:%Y-%m-%d %H:%M}"
