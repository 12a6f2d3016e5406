"""Ledger tables. The invariants the database can hold are constraints or triggers:

- an account's stored totals never go negative, and a limited account never passes its
  limit (CHECK constraints: a last line of defence behind the service's own check);
- a transfer's idempotency key is unique; a hold is resolved (posted or voided) at most
  once and a transfer is reversed at most once (UNIQUE);
- transfers and postings are never updated nor deleted, and an account with postings is
  never deleted (triggers, migration 0002).

Amounts are BIGINT minor units. Writes go through services/ only.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import BaseModel

from .contracts import AccountKind, OwnerType, TransferKind

MAX_CODE = 60


def one(queryset):
    """The first row of `queryset` or None, *without* the ORDER BY id that QuerySet.first()
    adds: on a lookup by a unique column, that ORDER BY … LIMIT 1 can make PostgreSQL walk
    the primary key instead of using the unique index."""
    for row in queryset.order_by()[:1]:
        return row
    return None


class Account(BaseModel):
    code = models.CharField(_("code"), max_length=MAX_CODE)
    name = models.CharField(_("name"), max_length=200)
    currency = models.CharField(_("currency"), max_length=3)
    kind = models.CharField(_("kind"), max_length=12, choices=[(k.value, k.value) for k in AccountKind])
    owner_type = models.CharField(
        _("owner type"), max_length=12, choices=[(o.value, o.value) for o in OwnerType]
    )
    # The ledger sits above identity, so owners are real foreign keys (docs/ledger.md,
    # "Owners"): referential integrity, and scoping is a join. PROTECT: an owner with
    # money on the books cannot disappear.
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner (user)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    owner_organization = models.ForeignKey(
        "identity.Organization",
        verbose_name=_("owner (organization)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    debits_must_not_exceed_credits = models.BooleanField(_("debits must not exceed credits"), default=False)
    credits_must_not_exceed_debits = models.BooleanField(_("credits must not exceed debits"), default=False)
    debits_posted = models.BigIntegerField(_("debits posted"), default=0)
    credits_posted = models.BigIntegerField(_("credits posted"), default=0)
    debits_pending = models.BigIntegerField(_("debits pending"), default=0)
    credits_pending = models.BigIntegerField(_("credits pending"), default=0)
    posting_count = models.BigIntegerField(_("postings"), default=0)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("ledger account")
        verbose_name_plural = _("ledger accounts")
        constraints = [
            # One account per (owner, code, currency).
            models.UniqueConstraint(
                fields=["code", "currency"],
                condition=Q(owner_type=OwnerType.SYSTEM),
                name="ledger_account_unique_system",
            ),
            models.UniqueConstraint(
                fields=["owner_organization", "code", "currency"],
                condition=Q(owner_type=OwnerType.ORGANIZATION),
                name="ledger_account_unique_organization",
            ),
            models.UniqueConstraint(
                fields=["owner_user", "code", "currency"],
                condition=Q(owner_type=OwnerType.USER),
                name="ledger_account_unique_user",
            ),
            models.CheckConstraint(
                condition=(
                    Q(owner_type=OwnerType.SYSTEM, owner_user__isnull=True, owner_organization__isnull=True)
                    | Q(
                        owner_type=OwnerType.ORGANIZATION,
                        owner_user__isnull=True,
                        owner_organization__isnull=False,
                    )
                    | Q(owner_type=OwnerType.USER, owner_user__isnull=False, owner_organization__isnull=True)
                ),
                name="ledger_account_owner_matches_type",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in AccountKind]), name="ledger_account_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"), name="ledger_account_currency_iso"
            ),
            models.CheckConstraint(
                condition=Q(debits_posted__gte=0)
                & Q(credits_posted__gte=0)
                & Q(debits_pending__gte=0)
                & Q(credits_pending__gte=0),
                name="ledger_account_totals_not_negative",
            ),
            models.CheckConstraint(
                condition=~Q(debits_must_not_exceed_credits=True, credits_must_not_exceed_debits=True),
                name="ledger_account_one_limit",
            ),
            # The limits, counted with pending amounts (TigerBeetle's rule).
            models.CheckConstraint(
                condition=Q(debits_must_not_exceed_credits=False)
                | Q(debits_posted__lte=F("credits_posted") - F("debits_pending")),
                name="ledger_account_debits_within_credits",
            ),
            models.CheckConstraint(
                condition=Q(credits_must_not_exceed_debits=False)
                | Q(credits_posted__lte=F("debits_posted") - F("credits_pending")),
                name="ledger_account_credits_within_debits",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.currency} ({self.owner_type})"

    @property
    def debit_normal(self) -> bool:
        return AccountKind(self.kind).debit_normal

    def signed(self, debits: int, credits: int) -> int:
        """debits/credits -> a balance signed by the account's normal side."""
        return debits - credits if self.debit_normal else credits - debits


class Transfer(BaseModel):
    """One journal entry. Immutable once written (a trigger refuses UPDATE and DELETE):
    a hold is posted or voided by a *new* transfer pointing at it, a mistake is corrected
    by a reversing transfer."""

    # unique by the constraint below (unique=True would add a pattern index no query uses,
    # and every posting of a transfer would pay for it)
    idempotency_key = models.CharField(_("idempotency key"), max_length=200)
    # sha256 of the request's content: a retry with the same key must carry the same content.
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    kind = models.CharField(_("kind"), max_length=16, choices=[(k.value, k.value) for k in TransferKind])
    code = models.CharField(_("code"), max_length=MAX_CODE)
    description = models.CharField(_("description"), max_length=500, blank=True, default="")
    reference = models.CharField(_("reference"), max_length=200, blank=True, default="")
    metadata = models.JSONField(_("metadata"), default=dict, blank=True)
    # At most one resolution per hold and one reversal per transfer: partial UNIQUE indexes
    # below (most transfers have neither, and a partial index costs them nothing).
    hold = models.ForeignKey(
        "self",
        verbose_name=_("hold"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resolutions",
        db_index=False,
    )
    reverses = models.ForeignKey(
        "self",
        verbose_name=_("reverses"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversals",
        db_index=False,
    )
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    # No index on the creation time: every write would pay for it and no read needs it
    # (statements and as-of balances read the postings' (account, created_at) index).
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        constraints = [
            models.UniqueConstraint(fields=["idempotency_key"], name="ledger_transfer_idempotency_key_key"),
            models.UniqueConstraint(
                fields=["hold"], condition=Q(hold__isnull=False), name="ledger_transfer_resolves_hold_once"
            ),
            models.UniqueConstraint(
                fields=["reverses"], condition=Q(reverses__isnull=False), name="ledger_transfer_reversed_once"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in TransferKind]), name="ledger_transfer_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(
                    kind__in=[TransferKind.POST_PENDING, TransferKind.VOID_PENDING], hold__isnull=False
                )
                | Q(kind__in=[TransferKind.POSTED, TransferKind.PENDING], hold__isnull=True),
                name="ledger_transfer_hold_iff_resolution",
            ),
            models.CheckConstraint(
                condition=Q(kind=TransferKind.PENDING) | Q(expires_at__isnull=True),
                name="ledger_transfer_expiry_only_on_holds",
            ),
        ]
        indexes = [
            models.Index(
                fields=["reference"], name="ledger_transfer_reference_idx", condition=~Q(reference="")
            ),
            models.Index(
                fields=["expires_at"],
                name="ledger_hold_expiry_idx",
                condition=Q(kind="pending", expires_at__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.idempotency_key}"


class Posting(models.Model):
    """One leg of a transfer on one account. `sequence` numbers the account's postings
    (1, 2, 3 …) and `balance_after` is the account's posted balance (debits − credits)
    after it: statements and as-of balances read them through the (account, sequence)
    and (account, created_at) indexes, never by summing."""

    id = models.BigAutoField(primary_key=True)
    # No FOREIGN KEY constraints here (db_constraint=False): their per-row checks cost
    # 30-40 % of the batch throughput, and what they would guard is held otherwise — a
    # posting is written in the same statement (or COPY) as its transfer, under the lock of
    # its account; transfers and postings can never be deleted (trigger); an account with
    # postings can never be deleted (trigger); ledger_verify reports any orphan posting.
    transfer = models.ForeignKey(
        Transfer, on_delete=models.PROTECT, related_name="postings", db_constraint=False
    )
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="postings", db_index=False, db_constraint=False
    )
    sequence = models.BigIntegerField(_("sequence"))
    is_debit = models.BooleanField(_("debit"))
    amount = models.BigIntegerField(_("amount"))
    currency = models.CharField(_("currency"), max_length=3)
    pending = models.BooleanField(_("pending"), default=False)
    code = models.CharField(_("code"), max_length=MAX_CODE)
    balance_after = models.BigIntegerField(_("balance after (debits − credits)"))
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("posting")
        verbose_name_plural = _("postings")
        constraints = [
            models.UniqueConstraint(fields=["account", "sequence"], name="ledger_posting_account_sequence"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="ledger_posting_amount_positive"),
        ]
        indexes = [
            # as-of balances and statement periods: the last/first posting around an instant
            # (postings of one batch share their timestamp; the sequence breaks the tie).
            models.Index(fields=["account", "created_at", "sequence"], name="ledger_posting_account_time"),
        ]

    def __str__(self):
        side = "D" if self.is_debit else "C"
        return f"{side} {self.amount} {self.currency}"
