"""Cotis'Hokwe tables: rent tontines (docs/wallet.md, "Cotis'Hokwe").

A group (organiser, contribution, frequency, rules) has members (invited by phone, active
once they accept the rules by OTP), one round per member (each round's beneficiary takes the
pot), one contribution row per member and round, and bids when the order is by bidding.
The money is on the ledger: the group's pot is the account `wallet.pot.<group public id>`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.models import BaseModel

__all__ = ["TontineBid", "TontineContribution", "TontineGroup", "TontineMember", "TontineRound"]


class TontineGroup(BaseModel):
    class Status(models.TextChoices):
        FORMING = "forming", _("forming")
        ACTIVE = "active", _("active")
        COMPLETED = "completed", pgettext_lazy("a tontine group", "completed")
        CANCELLED = "cancelled", pgettext_lazy("a tontine group", "cancelled")

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("weekly")
        MONTHLY = "monthly", _("monthly")

    class Order(models.TextChoices):
        FIXED = "fixed", _("fixed (organiser's list)")
        DRAWN = "drawn", _("drawn (verifiable lottery)")
        BIDDING = "bidding", _("bidding (discount for the pot)")

    name = models.CharField(_("name"), max_length=120)
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="organised_tontines"
    )
    currency = models.CharField(_("currency"), max_length=3)
    contribution = models.BigIntegerField(_("contribution per round"))
    frequency = models.CharField(_("frequency"), max_length=8, choices=Frequency.choices)
    start_date = models.DateField(_("first due date"))
    max_members = models.PositiveSmallIntegerField(_("maximum members"))
    order_method = models.CharField(_("payout order"), max_length=8, choices=Order.choices)
    # rules (accepted by each member with their OTP; `rules_digest` is what they accepted)
    late_penalty = models.BigIntegerField(_("late penalty"), default=0)
    grace_days = models.PositiveSmallIntegerField(_("days before a round closes"), default=2)
    commission_bps = models.PositiveIntegerField(_("organiser commission (basis points)"), default=0)
    guarantee_required = models.BooleanField(_("guarantee after one's turn"), default=True)
    rules_digest = models.CharField(_("rules digest"), max_length=64)
    # drawn order: the commitment (sha256 of the seed) is public from creation, the seed at start
    seed = models.CharField(_("seed"), max_length=64)
    seed_hash = models.CharField(_("seed hash"), max_length=64)
    seed_revealed = models.BooleanField(_("seed revealed"), default=False)
    pot_account = models.UUIDField(_("pot ledger account"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.FORMING)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("tontine group")
        verbose_name_plural = _("tontine groups")

    def __str__(self):
        return self.name


class TontineMember(BaseModel):
    class Status(models.TextChoices):
        INVITED = "invited", _("invited")
        ACTIVE = "active", _("active")
        DECLINED = "declined", _("declined")
        REPLACED = "replaced", _("replaced")
        CANCELLED = "cancelled", _("invitation cancelled")
        LEFT = "left", _("left the group")

    class PayoutTo(models.TextChoices):
        WALLET = "wallet", _("my wallet")
        RENT = "rent", _("my landlord (rent due)")

    group = models.ForeignKey(TontineGroup, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tontine_seats",
    )
    phone = models.CharField(_("phone"), max_length=20)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.INVITED)
    position = models.PositiveSmallIntegerField(_("position in the payout order"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_rules = models.CharField(_("rules accepted (digest)"), max_length=64, blank=True, default="")
    payout_to = models.CharField(
        _("pot paid to"), max_length=8, choices=PayoutTo.choices, default=PayoutTo.WALLET
    )
    rent_due = models.UUIDField(_("rent due to pay with the pot"), null=True, blank=True)
    replaces = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by"
    )
    guarantee_hold = models.UUIDField(_("guarantee hold"), null=True, blank=True)
    guarantee_amount = models.BigIntegerField(_("guarantee held"), default=0)
    defaults = models.PositiveSmallIntegerField(_("defaults"), default=0)

    class Meta:
        verbose_name = _("tontine member")
        verbose_name_plural = _("tontine members")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "phone"],
                condition=models.Q(status__in=["invited", "active"]),
                name="tontine_member_one_seat_per_phone",
            ),
        ]

    def __str__(self):
        return f"{self.phone} in {self.group_id}"


class TontineRound(BaseModel):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        PAID = "paid", _("pot paid")
        CANCELLED = "cancelled", pgettext_lazy("a tontine round", "cancelled")

    group = models.ForeignKey(TontineGroup, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField(_("round"))
    due_date = models.DateField(_("due date"), db_index=True)
    close_date = models.DateField(_("closes on"), db_index=True)
    beneficiary = models.ForeignKey(
        TontineMember, on_delete=models.PROTECT, null=True, blank=True, related_name="rounds_received"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    collected = models.BigIntegerField(_("contributions collected"), default=0)
    penalties = models.BigIntegerField(_("penalties collected"), default=0)
    commission = models.BigIntegerField(_("organiser commission"), default=0)
    discount = models.BigIntegerField(_("bid discount shared"), default=0)
    paid_out = models.BigIntegerField(_("paid to the beneficiary"), default=0)
    paid_at = models.DateTimeField(_("pot paid at"), null=True, blank=True)
    payout_transfer = models.UUIDField(_("payout transfer"), null=True, blank=True)
    rent_intent = models.UUIDField(_("rent intent paid"), null=True, blank=True)

    class Meta:
        verbose_name = _("tontine round")
        verbose_name_plural = _("tontine rounds")
        constraints = [
            models.UniqueConstraint(fields=["group", "number"], name="tontine_round_number"),
            # nobody receives twice in a cycle
            models.UniqueConstraint(fields=["group", "beneficiary"], name="tontine_round_one_pot_per_member"),
        ]

    def __str__(self):
        return f"round {self.number} of {self.group_id}"


class TontineContribution(BaseModel):
    class Status(models.TextChoices):
        DUE = "due", _("due")
        LATE = "late", _("late")
        PAID = "paid", _("paid")
        DEFAULTED = "defaulted", _("defaulted")

    class Method(models.TextChoices):
        WALLET = "wallet", _("wallet")
        AUTO = "auto", _("automatic debit")
        PAY_LINK = "pay_link", _("pay link")
        CASH = "cash", _("cash (collector)")
        GUARANTEE = "guarantee", _("guarantee applied")
        WITHHELD = "withheld", _("withheld from the member's pot")

    round = models.ForeignKey(TontineRound, on_delete=models.CASCADE, related_name="contributions")
    member = models.ForeignKey(TontineMember, on_delete=models.PROTECT, related_name="contributions")
    amount = models.BigIntegerField(_("amount"))
    penalty = models.BigIntegerField(_("penalty"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DUE)
    method = models.CharField(_("paid by"), max_length=10, choices=Method.choices, blank=True, default="")
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    transfer = models.UUIDField(_("ledger transfer"), null=True, blank=True)
    intent = models.UUIDField(_("pay link intent"), null=True, blank=True)
    collector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    attempts = models.PositiveSmallIntegerField(_("automatic debit attempts"), default=0)
    last_error = models.CharField(_("last refusal"), max_length=60, blank=True, default="")

    class Meta:
        verbose_name = _("tontine contribution")
        verbose_name_plural = _("tontine contributions")
        constraints = [models.UniqueConstraint(fields=["round", "member"], name="tontine_contribution_once")]
        indexes = [models.Index(fields=["status", "round"], name="tontine_contrib_status")]

    def __str__(self):
        return f"{self.member_id} for {self.round_id}"


class TontineBid(BaseModel):
    round = models.ForeignKey(TontineRound, on_delete=models.CASCADE, related_name="bids")
    member = models.ForeignKey(TontineMember, on_delete=models.PROTECT, related_name="bids")
    discount = models.BigIntegerField(_("discount offered"))

    class Meta:
        verbose_name = _("tontine bid")
        verbose_name_plural = _("tontine bids")
        constraints = [models.UniqueConstraint(fields=["round", "member"], name="tontine_bid_once")]
