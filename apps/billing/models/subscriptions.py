"""Billing customers (an organization: agency, landlord or merchant) and their
subscriptions (docs/billing.md, "Subscriptions")."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import BaseModel

from ..contracts import ChangeKind, ChangeTiming, PaymentMethodKind, SubscriptionStatus
from .catalog import AddOn, Coupon, PlanVersion, _choices

__all__ = ["Customer", "Subscription", "SubscriptionAddOn", "SubscriptionChange", "CouponRedemption"]

ORG = "identity.Organization"

STATUS_LABELS = {
    SubscriptionStatus.TRIALING: _("trial"),
    SubscriptionStatus.ACTIVE: _("active"),
    SubscriptionStatus.PAST_DUE: _("payment overdue"),
    SubscriptionStatus.RESTRICTED: _("restricted"),
    SubscriptionStatus.PAUSED: _("paused"),
    SubscriptionStatus.CANCELED: _("canceled"),
}
METHOD_LABELS = {
    PaymentMethodKind.MOBILE_MONEY: _("mobile money"),
    PaymentMethodKind.CARD: _("card"),
    PaymentMethodKind.CREDITS: _("prepaid credits"),
    PaymentMethodKind.MANUAL: _("bank transfer or cash"),
}


class Customer(BaseModel):
    """The organization Hokwe bills, with what its invoices print (legal name, IFU, RCCM,
    address) and how it pays. Its ledger accounts: a receivable and a prepaid-credit wallet
    (services/accounts.py)."""

    organization = models.OneToOneField(ORG, on_delete=models.PROTECT, related_name="+")
    legal_name = models.CharField(_("legal name"), max_length=200)
    tax_id = models.CharField(_("IFU"), max_length=30, blank=True, default="")
    rccm = models.CharField(_("RCCM"), max_length=60, blank=True, default="")
    address = models.CharField(_("address"), max_length=300, blank=True, default="")
    country = models.CharField(_("country"), max_length=2, default="BJ")
    email = models.EmailField(_("billing e-mail"), blank=True, default="")
    phone = models.CharField(_("billing phone"), max_length=20, blank=True, default="")
    currency = models.CharField(_("currency"), max_length=3, default="XOF")
    # how it pays: the saved mobile-money number is what the dunning ladder retries
    method = models.CharField(
        _("payment method"),
        max_length=14,
        choices=_choices(PaymentMethodKind, METHOD_LABELS),
        default=PaymentMethodKind.MOBILE_MONEY,
    )
    payer_phone = models.CharField(_("mobile money number"), max_length=20, blank=True, default="")
    provider = models.CharField(_("mobile money provider"), max_length=32, blank=True, default="")
    use_credits_first = models.BooleanField(_("pay from prepaid credits first"), default=True)
    receivable_account = models.UUIDField(_("receivable account"), null=True, blank=True)
    credits_account = models.UUIDField(_("prepaid credits account"), null=True, blank=True)

    class Meta:
        ordering = ["legal_name"]

    def __str__(self):
        return self.legal_name


class Subscription(BaseModel):
    """A customer's plan. Periods are [current_period_start, current_period_end) in days;
    a trial is the first period. `pending_version` is a change at the end of the term."""

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="subscriptions")
    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="subscriptions")
    status = models.CharField(
        _("status"), max_length=10, choices=_choices(SubscriptionStatus, STATUS_LABELS), db_index=True
    )
    started_on = models.DateField(_("started on"))
    trial_ends_on = models.DateField(_("trial ends on"), null=True, blank=True)
    current_period_start = models.DateField(_("period start"))
    current_period_end = models.DateField(_("period end"), db_index=True)  # exclusive: renews on this day
    cancel_at_period_end = models.BooleanField(_("cancels at the end of the term"), default=False)
    pending_version = models.ForeignKey(
        PlanVersion, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    canceled_on = models.DateField(_("canceled on"), null=True, blank=True)
    paused_on = models.DateField(_("paused on"), null=True, blank=True)
    past_due_since = models.DateField(_("overdue since"), null=True, blank=True)
    restricted_on = models.DateField(_("restricted since"), null=True, blank=True)
    # the per-unit quantities read at the period start ({"estate.units": 42}), billed at renewal
    quantities = models.JSONField(_("quantities"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer"],
                condition=~Q(status="canceled"),
                name="billing_one_live_subscription_per_customer",
            ),
            models.CheckConstraint(
                condition=Q(current_period_end__gt=models.F("current_period_start")),
                name="billing_period_not_empty",
            ),
        ]
        indexes = [models.Index(fields=["status", "current_period_end"], name="billing_sub_renewal_idx")]

    def __str__(self):
        return f"{self.customer} · {self.version}"


class SubscriptionAddOn(BaseModel):
    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="addons")
    addon = models.ForeignKey(AddOn, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "addon"],
                condition=Q(ended_on__isnull=True),
                name="billing_one_live_addon",
            )
        ]


class SubscriptionChange(BaseModel):
    """Every change, once: a retried change (same `idempotency_key`) returns this row and
    prorates nothing again."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(_("kind"), max_length=10, choices=_choices(ChangeKind))
    timing = models.CharField(
        _("timing"), max_length=10, choices=_choices(ChangeTiming), default=ChangeTiming.NOW
    )
    from_version = models.ForeignKey(
        PlanVersion, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    to_version = models.ForeignKey(
        PlanVersion, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    effective_on = models.DateField(_("effective on"))
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    invoice = models.UUIDField(_("proration invoice"), null=True, blank=True)
    credit_note = models.UUIDField(_("proration credit note"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True, default="")

    class Meta:
        ordering = ["-created_at"]


class CouponRedemption(BaseModel):
    coupon = models.ForeignKey(Coupon, on_delete=models.PROTECT, related_name="redemptions")
    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="coupons")
    periods_left = models.PositiveSmallIntegerField(_("periods left"), null=True, blank=True)  # None: forever

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["coupon", "subscription"], name="billing_coupon_once_per_subscription"
            )
        ]
