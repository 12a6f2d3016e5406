"""Estate tables: properties, units, mandates, leases and their versioned terms, rent dues,
payments and their allocation, receipts, expenses, tickets, inspections, owner statements,
deposit settlements, announcements and imports.

Tables only: the rules live in services/, the reads in selectors.py. Invariants the
database can hold are constraints here; the one that needs PostgreSQL (no two active leases
of a unit overlap: an exclusion constraint with btree_gist) is in migration 0002.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.models import BaseModel

from .contracts import (
    AdjustmentKind,
    DueKind,
    DueStatus,
    FirstPeriodRule,
    LateFeePolicy,
    LeaseStatus,
    PaymentMethod,
    PayoutFrequency,
    UnitKind,
    UnitStatus,
)

ORG = "identity.Organization"


def _choices(enum, labels: dict) -> list[tuple[str, str]]:
    return [(member.value, labels[member]) for member in enum]


UNIT_KIND_LABELS = {
    UnitKind.ENTRER_COUCHER: _("single room (entrer-coucher)"),
    UnitKind.ROOM_LIVING: _("room and living room"),
    UnitKind.STUDIO: _("studio"),
    UnitKind.APARTMENT: _("apartment"),
    UnitKind.VILLA: _("villa"),
    UnitKind.SHOP: _("shop"),
    UnitKind.OFFICE: _("office"),
}
UNIT_STATUS_LABELS = {
    UnitStatus.VACANT: _("vacant"),
    UnitStatus.OCCUPIED: _("occupied"),
    UnitStatus.UNDER_WORKS: _("under works"),
}
LEASE_STATUS_LABELS = {
    LeaseStatus.ACTIVE: _("active"),
    LeaseStatus.ENDED: _("ended"),
    LeaseStatus.CANCELED: _("canceled"),
}
LATE_FEE_LABELS = {
    LateFeePolicy.NONE: _("no late fee"),
    LateFeePolicy.FLAT: _("flat amount"),
    LateFeePolicy.PERCENT: _("percentage of the due"),
    LateFeePolicy.PER_DAY: _("amount per day late"),
}
# A due is « une échéance »: its statuses agree with it (« payée »), with a context so that
# another module's "paid" (« payé », a payment) is not the one shown (Django merges catalogues).
DUE_STATUS_LABELS = {
    DueStatus.UPCOMING: pgettext_lazy("rent due", "upcoming"),
    DueStatus.DUE: pgettext_lazy("rent due", "due"),
    DueStatus.PARTIALLY_PAID: pgettext_lazy("rent due", "partially paid"),
    DueStatus.PAID: pgettext_lazy("rent due", "paid"),
    DueStatus.OVERDUE: pgettext_lazy("rent due", "overdue"),
    DueStatus.WRITTEN_OFF: pgettext_lazy("rent due", "written off"),
}
ADJUSTMENT_LABELS = {
    AdjustmentKind.DISCOUNT: _("discount"),
    AdjustmentKind.LATE_FEE: _("late fee"),
    AdjustmentKind.CHARGE: _("charge"),
}
METHOD_LABELS = {
    PaymentMethod.MOBILE_MONEY: _("mobile money"),
    PaymentMethod.CARD: _("card"),
    PaymentMethod.WALLET: _("Hokwe wallet"),
    PaymentMethod.CASH: _("cash"),
    PaymentMethod.BANK_TRANSFER: _("bank transfer"),
    PaymentMethod.IMPORT: _("imported (before Hokwe)"),
    PaymentMethod.DEPOSIT: _("taken from the deposit"),
    PaymentMethod.MOMO_DIRECT: _("MoMo transfer to the agency"),
}


def method_label(method: str) -> str:
    """How a payment was made, as a person reads it (« espèces », « Mobile Money »), never the
    code; "credit" is a payment applied from the tenant's earlier overpayment."""
    if method == "credit":
        return str(_("credit from an earlier payment"))
    return str(METHOD_LABELS.get(method, method))


FREQUENCY_LABELS = {PayoutFrequency.MONTHLY: _("monthly"), PayoutFrequency.QUARTERLY: _("quarterly")}
FIRST_PERIOD_RULE_LABELS = {
    FirstPeriodRule.PRORATA: _("pro rata by day"),
    FirstPeriodRule.FULL: _("a full month"),
    FirstPeriodRule.NEXT: _("nothing: billing starts the next month"),
}
DUE_KIND_LABELS = {
    DueKind.RENT: _("rent"),
    DueKind.OPENING: _("opening balance"),
    DueKind.DEPOSIT: _("deposit"),
    DueKind.FEE: _("agency fee"),
}


class EstateSettings(BaseModel):
    """An organization's estate settings, created on first use (services.settings_for).
    `first_period_rule`: what a lease starting in the middle of a month is billed for that
    month; copied onto the lease at signing (a later change never rewrites a signed lease)."""

    organization = models.OneToOneField(ORG, on_delete=models.CASCADE, related_name="+")
    first_period_rule = models.CharField(
        _("first month of a lease starting mid-month"),
        max_length=8,
        choices=_choices(FirstPeriodRule, FIRST_PERIOD_RULE_LABELS),
        default=FirstPeriodRule.PRORATA,
    )

    class Meta:
        verbose_name = _("estate settings")
        verbose_name_plural = _("estate settings")


class Property(BaseModel):
    """A building or compound. `organization` manages it (an agency, or the owner itself);
    `owner` owns it. When they differ, `mandate` is the management mandate."""

    organization = models.ForeignKey(
        ORG, on_delete=models.PROTECT, related_name="+", verbose_name=_("manager")
    )
    owner = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner"))
    mandate = models.ForeignKey(
        "estate.Mandate", on_delete=models.PROTECT, null=True, blank=True, related_name="properties"
    )
    name = models.CharField(_("name"), max_length=150)
    address = models.CharField(_("address"), max_length=300, blank=True, default="")
    city = models.CharField(_("city"), max_length=100)
    neighbourhood = models.CharField(_("neighbourhood"), max_length=100, blank=True, default="")
    country = models.CharField(_("country"), max_length=2, default="BJ")
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    description = models.TextField(_("description"), blank=True, default="")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("property")
        verbose_name_plural = _("properties")
        indexes = [
            models.Index(fields=["organization", "name"], name="estate_property_org_idx"),
            models.Index(fields=["owner"], name="estate_property_owner_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="estate_property_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="estate_property_longitude_range",
            ),
        ]

    def __str__(self):
        return self.name


class PropertyPhoto(BaseModel):
    property = models.ForeignKey(Property, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to="estate/properties/%Y/%m/")
    caption = models.CharField(_("caption"), max_length=200, blank=True, default="")

    class Meta:
        verbose_name = _("property photo")
        verbose_name_plural = _("property photos")


class Unit(BaseModel):
    """A rentable unit of a property: from an entrer-coucher to a villa or a shop."""

    property = models.ForeignKey(Property, on_delete=models.PROTECT, related_name="units")
    organization = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+")  # = property's
    label = models.CharField(_("label"), max_length=60)
    kind = models.CharField(_("kind"), max_length=20, choices=_choices(UnitKind, UNIT_KIND_LABELS))
    surface_m2 = models.PositiveIntegerField(_("surface (m²)"), null=True, blank=True)
    rooms = models.PositiveSmallIntegerField(_("rooms"), default=1)
    furnished = models.BooleanField(_("furnished"), default=False)
    water_meter = models.CharField(_("water meter no."), max_length=40, blank=True, default="")
    electricity_meter = models.CharField(_("electricity meter no."), max_length=40, blank=True, default="")
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=_choices(UnitStatus, UNIT_STATUS_LABELS),
        default=UnitStatus.VACANT,
    )
    market_rent = models.BigIntegerField(_("market rent"), default=0)
    currency = models.CharField(_("currency"), max_length=3, default="XOF")

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(fields=["property", "label"], name="estate_unit_label_once"),
            models.CheckConstraint(condition=Q(market_rent__gte=0), name="estate_unit_rent_not_negative"),
        ]
        indexes = [models.Index(fields=["organization", "status"], name="estate_unit_org_status_idx")]

    def __str__(self):
        return f"{self.property} · {self.label}"


class Mandate(BaseModel):
    """A management mandate: the agency manages the owner's properties for a commission
    (basis points of the rent collected), from `start_date` to `end_date`."""

    agency = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+", verbose_name=_("agency"))
    owner = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner"))
    commission_bps = models.PositiveIntegerField(_("commission (basis points)"))
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"), null=True, blank=True)
    payout_frequency = models.CharField(
        _("payout frequency"),
        max_length=12,
        choices=_choices(PayoutFrequency, FREQUENCY_LABELS),
        default=PayoutFrequency.MONTHLY,
    )

    class Meta:
        verbose_name = _("management mandate")
        verbose_name_plural = _("management mandates")
        constraints = [
            models.CheckConstraint(condition=Q(commission_bps__lte=10_000), name="estate_mandate_bps_range"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="estate_mandate_dates_ordered",
            ),
            models.CheckConstraint(condition=~Q(agency=models.F("owner")), name="estate_mandate_two_parties"),
        ]

    def __str__(self):
        return f"{self.agency_id} → {self.owner_id} ({self.commission_bps / 100:g} %)"


class Lease(BaseModel):
    """A lease (bail) of one unit to one or more tenants. `rent` and `charges` are the
    terms in force now; LeaseTerms keeps every version with the date it applies from."""

    organization = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="leases")
    # Numbered per organization and year (BAIL-2026-000001): unique within the organization.
    reference = models.CharField(_("reference"), max_length=30)
    tenants = models.ManyToManyField(settings.AUTH_USER_MODEL, through="estate.LeaseTenant", related_name="+")
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=_choices(LeaseStatus, LEASE_STATUS_LABELS),
        default=LeaseStatus.ACTIVE,
    )
    rent = models.BigIntegerField(_("rent"))
    charges = models.BigIntegerField(_("charges"), default=0)
    currency = models.CharField(_("currency"), max_length=3, default="XOF")
    deposit_months = models.PositiveSmallIntegerField(_("deposit (months of rent)"), default=0)
    deposit_amount = models.BigIntegerField(_("deposit"), default=0)
    deposit_paid = models.BigIntegerField(_("deposit held"), default=0)
    deposit_intent = models.UUIDField(_("deposit payment"), null=True, blank=True)
    advance_months = models.PositiveSmallIntegerField(_("advance (months of rent)"), default=0)
    agency_fee = models.BigIntegerField(_("agency fee"), default=0)
    due_day = models.PositiveSmallIntegerField(_("due day"), default=5)
    grace_days = models.PositiveSmallIntegerField(_("grace days"), default=5)
    late_fee_policy = models.CharField(
        _("late fee"),
        max_length=10,
        choices=_choices(LateFeePolicy, LATE_FEE_LABELS),
        default=LateFeePolicy.NONE,
    )
    late_fee_value = models.BigIntegerField(_("late fee value"), default=0)  # amount, or basis points
    late_fee_cap = models.BigIntegerField(_("late fee monthly cap"), default=0)  # 0: no cap
    credit = models.BigIntegerField(_("tenant credit"), default=0)
    # The smallest part payment the pay link accepts (the agency's floor); empty: 10 % of
    # the rent (services.collections.part_payment_floor). Paying the whole balance is always
    # allowed, even below the floor.
    min_part_payment = models.BigIntegerField(_("minimum part payment"), null=True, blank=True)
    # The first month of a lease starting after the 1st: pro rata by day, a full month, or
    # no due (billing starts the next month). The organization's rule at signing.
    first_period_rule = models.CharField(
        _("first month"),
        max_length=8,
        choices=_choices(FirstPeriodRule, FIRST_PERIOD_RULE_LABELS),
        default=FirstPeriodRule.PRORATA,
    )
    notice_given_on = models.DateField(_("notice given on"), null=True, blank=True)
    notice_by = models.CharField(_("notice given by"), max_length=10, blank=True, default="")
    renewed_from = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="renewal"
    )
    signed_document = models.FileField(_("signed lease (PDF)"), upload_to="estate/leases/%Y/", blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    # Onboarding: every month that begins on or before this date was paid before Hokwe
    # (no due is issued for it); empty for a lease signed in Hokwe.
    paid_up_to = models.DateField(_("paid before Hokwe up to"), null=True, blank=True)
    import_batch = models.ForeignKey(
        "estate.ImportBatch", on_delete=models.SET_NULL, null=True, blank=True, related_name="leases"
    )
    # When the rent in force was agreed: the latest LeaseTerms' effective_from, kept by the
    # lease services as they write terms; empty: the start (no terms written). What the
    # valuations read newest first (estate_lease_agreed_idx), instead of the latest terms of
    # every lease of a city aggregated per request.
    agreed_on = models.DateField(_("rent agreed on"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("lease")
        verbose_name_plural = _("leases")
        indexes = [
            models.Index(fields=["organization", "status"], name="estate_lease_org_status_idx"),
            models.Index(fields=["status", "id"], name="estate_lease_status_id_idx"),
            models.Index(
                F("currency"),
                Coalesce("agreed_on", "start_date").desc(),
                F("id").desc(),
                name="estate_lease_agreed_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(rent__gt=0), name="estate_lease_rent_positive"),
            models.CheckConstraint(condition=Q(charges__gte=0), name="estate_lease_charges_not_negative"),
            models.CheckConstraint(condition=Q(credit__gte=0), name="estate_lease_credit_not_negative"),
            models.CheckConstraint(
                condition=Q(min_part_payment__isnull=True) | Q(min_part_payment__gt=0),
                name="estate_lease_min_part_payment_positive",
            ),
            models.CheckConstraint(
                condition=Q(deposit_paid__gte=0) & Q(deposit_amount__gte=0) & Q(agency_fee__gte=0),
                name="estate_lease_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="estate_lease_dates_ordered",
            ),
            models.CheckConstraint(condition=Q(due_day__gte=1, due_day__lte=28), name="estate_lease_due_day"),
            models.UniqueConstraint(fields=["organization", "reference"], name="estate_lease_reference_once"),
        ]

    def __str__(self):
        return self.reference


class LeaseTenant(BaseModel):
    """A tenant of a lease: an identity user (not a member of the organization)."""

    lease = models.ForeignKey(Lease, on_delete=models.CASCADE, related_name="lease_tenants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    is_primary = models.BooleanField(_("primary tenant"), default=False)

    class Meta:
        verbose_name = _("tenant")
        verbose_name_plural = _("tenants")
        constraints = [models.UniqueConstraint(fields=["lease", "user"], name="estate_lease_tenant_once")]
        indexes = [models.Index(fields=["user"], name="estate_lease_tenant_user_idx")]


class LeaseTerms(BaseModel):
    """One version of a lease's money terms, in force from `effective_from` (the first of a
    month) until the next version. Dues copy the terms of their period when they are
    issued, so a new version never rewrites a due that exists."""

    lease = models.ForeignKey(Lease, on_delete=models.CASCADE, related_name="terms")
    effective_from = models.DateField(_("in force from"))
    rent = models.BigIntegerField(_("rent"))
    charges = models.BigIntegerField(_("charges"), default=0)
    reason = models.CharField(_("reason"), max_length=200, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("lease terms")
        verbose_name_plural = _("lease terms")
        constraints = [
            models.UniqueConstraint(fields=["lease", "effective_from"], name="estate_terms_once_per_date"),
            models.CheckConstraint(condition=Q(rent__gt=0) & Q(charges__gte=0), name="estate_terms_amounts"),
        ]


class RentDue(BaseModel):
    """An échéance: what one lease owes for one period (a month)."""

    # No single-column indexes for these two: the composite indexes below start with each
    # (and the month-end inserts every row through all of a table's indexes).
    organization = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+", db_index=False)
    lease = models.ForeignKey(Lease, on_delete=models.PROTECT, related_name="dues", db_index=False)
    period = models.DateField(_("period"))  # first day of the month
    due_date = models.DateField(_("due date"))
    grace_until = models.DateField(_("grace until"))
    rent = models.BigIntegerField(_("rent"))
    charges = models.BigIntegerField(_("charges"), default=0)
    adjustments = models.BigIntegerField(_("adjustments"), default=0)  # signed sum of the adjustments
    total = models.BigIntegerField(_("total"))  # rent + charges + adjustments
    paid = models.BigIntegerField(_("paid"), default=0)
    commission_bps = models.PositiveIntegerField(_("commission (basis points)"), default=0)
    currency = models.CharField(_("currency"), max_length=3, default="XOF")
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=_choices(DueStatus, DUE_STATUS_LABELS),
        default=DueStatus.UPCOMING,
    )
    reference = models.CharField(_("reference"), max_length=40)
    # unique by the constraint below (unique=True would add a pattern index no query uses)
    pay_token = models.CharField(_("pay link token"), max_length=32)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    # "rent": a month's rent; "opening": the arrears owed when the lease was imported (one
    # due, on the last month paid before Hokwe); "deposit" and "fee": the move-in invoice's
    # deposit (held for the tenant, never the owner's) and agency fee (all the agency's).
    # Only "rent" counts in the collection rates.
    kind = models.CharField(
        _("kind"),
        max_length=10,
        choices=_choices(DueKind, DUE_KIND_LABELS),
        default=DueKind.RENT,
    )

    class Meta:
        verbose_name = _("rent due")
        verbose_name_plural = _("rent dues")
        constraints = [
            models.UniqueConstraint(
                fields=["lease", "period", "kind"], name="estate_due_once_per_period_and_kind"
            ),
            models.UniqueConstraint(fields=["pay_token"], name="estate_rentdue_pay_token_key"),
            models.CheckConstraint(condition=Q(total__gte=0), name="estate_due_total_not_negative"),
            models.CheckConstraint(
                condition=Q(paid__gte=0) & Q(paid__lte=models.F("total")), name="estate_due_paid_range"
            ),
            models.CheckConstraint(
                condition=Q(total=models.F("rent") + models.F("charges") + models.F("adjustments")),
                name="estate_due_total_is_sum",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "period"], name="estate_due_org_period_idx"),
            models.Index(fields=["organization", "status", "due_date"], name="estate_due_org_status_idx"),
            models.Index(fields=["lease", "due_date"], name="estate_due_lease_date_idx"),
        ]

    def __str__(self):
        return self.reference

    @property
    def outstanding(self) -> int:
        return max(self.total - self.paid, 0)


class DueAdjustment(BaseModel):
    """A discount (lowers the due), a late fee or a charge (raises it). Posted to the ledger."""

    due = models.ForeignKey(RentDue, on_delete=models.PROTECT, related_name="adjustment_rows")
    kind = models.CharField(_("kind"), max_length=10, choices=_choices(AdjustmentKind, ADJUSTMENT_LABELS))
    amount = models.BigIntegerField(_("amount"))  # positive; a discount is subtracted
    label = models.CharField(_("label"), max_length=200, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ledger_transfer = models.UUIDField(_("ledger transfer"), null=True, blank=True)

    class Meta:
        verbose_name = _("adjustment")
        verbose_name_plural = _("adjustments")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="estate_adjustment_positive")]


class RentPayment(BaseModel):
    """Money received for a lease, whatever the channel. A payment through payments is
    named by its intent (at most once); its allocation to dues is PaymentAllocation, what
    is left is tenant credit."""

    organization = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+")
    lease = models.ForeignKey(Lease, on_delete=models.PROTECT, related_name="payments")
    amount = models.BigIntegerField(_("amount"))
    currency = models.CharField(_("currency"), max_length=3, default="XOF")
    method = models.CharField(_("method"), max_length=16, choices=_choices(PaymentMethod, METHOD_LABELS))
    received_on = models.DateField(_("received on"))
    intent = models.UUIDField(_("payment intent"), null=True, blank=True, unique=True)
    reference = models.CharField(_("reference"), max_length=100, blank=True, default="")
    receipt_number = models.CharField(_("receipt no."), max_length=30, blank=True, default="")
    to_credit = models.BigIntegerField(_("kept as credit"), default=0)
    refunded = models.BigIntegerField(_("refunded"), default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ledger_transfer = models.UUIDField(_("ledger transfer"), null=True, blank=True)
    idempotency_key = models.CharField(max_length=120, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("rent payment")
        verbose_name_plural = _("rent payments")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="estate_payment_positive"),
            models.CheckConstraint(
                condition=Q(to_credit__gte=0) & Q(to_credit__lte=models.F("amount")),
                name="estate_payment_credit_range",
            ),
        ]
        indexes = [models.Index(fields=["organization", "received_on"], name="estate_payment_org_date_idx")]


class PaymentAllocation(BaseModel):
    """The part of a payment (or of tenant credit, or of the deposit) that paid a due."""

    due = models.ForeignKey(RentDue, on_delete=models.PROTECT, related_name="allocations")
    payment = models.ForeignKey(
        RentPayment, on_delete=models.PROTECT, null=True, blank=True, related_name="allocations"
    )
    amount = models.BigIntegerField(_("amount"))  # negative: a refund taken back
    commission = models.BigIntegerField(_("commission"), default=0)  # the agency's share of `amount`
    from_credit = models.BooleanField(_("from tenant credit"), default=False)
    applied_on = models.DateField(_("applied on"))

    class Meta:
        verbose_name = _("payment allocation")
        verbose_name_plural = _("payment allocations")
        indexes = [models.Index(fields=["applied_on"], name="estate_alloc_date_idx")]


class CreditMovement(BaseModel):
    """Every change of a lease's tenant credit: + an overpayment, − credit used on a due."""

    lease = models.ForeignKey(Lease, on_delete=models.PROTECT, related_name="credit_movements")
    amount = models.BigIntegerField(_("amount"))
    payment = models.ForeignKey(
        RentPayment, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    due = models.ForeignKey(RentDue, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reason = models.CharField(_("reason"), max_length=120, blank=True, default="")

    class Meta:
        verbose_name = _("credit movement")
        verbose_name_plural = _("credit movements")


class Quittance(BaseModel):
    """The rent receipt of a fully paid due. Its content is frozen when it is issued
    (`snapshot`): editing the lease later never changes it. `code` is printed with a QR code
    that opens the public verification page."""

    due = models.OneToOneField(RentDue, on_delete=models.PROTECT, related_name="quittance")
    organization = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("number"), max_length=30)
    code = models.CharField(_("verification code"), max_length=20, unique=True)
    issued_at = models.DateTimeField(_("issued at"))
    snapshot = models.JSONField(_("content"))
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    void_reason = models.CharField(_("void reason"), max_length=200, blank=True, default="")

    class Meta:
        verbose_name = _("rent receipt")
        verbose_name_plural = _("rent receipts")
        constraints = [
            models.UniqueConstraint(fields=["organization", "number"], name="estate_quittance_number")
        ]


class Expense(BaseModel):
    """A cost charged to the owner (a repair, a fee), deducted on the owner statement."""

    organization = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+")
    property = models.ForeignKey(Property, on_delete=models.PROTECT, related_name="expenses")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    label = models.CharField(_("label"), max_length=200)
    amount = models.BigIntegerField(_("amount"))
    currency = models.CharField(_("currency"), max_length=3, default="XOF")
    incurred_on = models.DateField(_("date"))
    statement = models.ForeignKey(
        "estate.OwnerStatement", on_delete=models.PROTECT, null=True, blank=True, related_name="expense_rows"
    )

    class Meta:
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="estate_expense_positive")]


class Ticket(BaseModel):
    """A maintenance ticket: reported by a tenant (or the manager), assigned to a vendor;
    its cost is charged to the owner as an expense."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        ASSIGNED = "assigned", _("assigned")
        IN_PROGRESS = "in_progress", _("in progress")
        RESOLVED = "resolved", _("resolved")
        CLOSED = "closed", _("closed")
        CANCELED = "canceled", _("canceled")

    class Priority(models.TextChoices):
        LOW = "low", _("low")
        NORMAL = "normal", _("normal")
        URGENT = "urgent", _("urgent")

    organization = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+")
    property = models.ForeignKey(Property, on_delete=models.PROTECT, related_name="tickets")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="tickets")
    lease = models.ForeignKey(Lease, on_delete=models.PROTECT, null=True, blank=True, related_name="tickets")
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"), blank=True, default="")
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    vendor_name = models.CharField(_("vendor"), max_length=150, blank=True, default="")
    vendor_phone = models.CharField(_("vendor phone"), max_length=20, blank=True, default="")
    cost = models.BigIntegerField(_("cost"), null=True, blank=True)
    expense = models.OneToOneField(
        Expense, on_delete=models.PROTECT, null=True, blank=True, related_name="ticket"
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("maintenance ticket")
        verbose_name_plural = _("maintenance tickets")
        indexes = [models.Index(fields=["organization", "status"], name="estate_ticket_org_status_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(cost__isnull=True) | Q(cost__gte=0), name="estate_ticket_cost")
        ]


class TicketPhoto(BaseModel):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to="estate/tickets/%Y/%m/")

    class Meta:
        verbose_name = _("ticket photo")
        verbose_name_plural = _("ticket photos")


class Inspection(BaseModel):
    """An état des lieux (move-in or move-out): rooms, items with a state, comment and photos,
    meter readings and keys handed over; signed by OTP by the tenant and the agent, then
    locked and printed (PDF). A move-out is drawn from the move-in and compares with it."""

    class Kind(models.TextChoices):
        MOVE_IN = "move_in", _("move-in")
        MOVE_OUT = "move_out", _("move-out")

    organization = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+")
    lease = models.ForeignKey(Lease, on_delete=models.PROTECT, related_name="inspections")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    inspected_on = models.DateField(_("date"))
    notes = models.TextField(_("notes"), blank=True, default="")
    move_in = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )  # a move-out's move-in
    tenant_signed_name = models.CharField(_("signed by the tenant"), max_length=150, blank=True, default="")
    tenant_signed_at = models.DateTimeField(null=True, blank=True)
    manager_signed_name = models.CharField(_("signed by the manager"), max_length=150, blank=True, default="")
    manager_signed_at = models.DateTimeField(null=True, blank=True)
    locked_at = models.DateTimeField(null=True, blank=True)
    document = models.FileField(upload_to="estate/inspections/pdf/%Y/%m/", blank=True)

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        constraints = [models.UniqueConstraint(fields=["lease", "kind"], name="estate_inspection_once")]

    @property
    def is_signed(self) -> bool:
        return bool(self.tenant_signed_at and self.manager_signed_at)

    @property
    def is_editable(self) -> bool:
        """Once a side signed, what it signed cannot change."""
        return not (self.tenant_signed_at or self.manager_signed_at or self.locked_at)


class InspectionRoom(BaseModel):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(_("room"), max_length=60)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("inspection room")
        verbose_name_plural = _("inspection rooms")

    def __str__(self) -> str:
        return self.name


class InspectionItem(BaseModel):
    class Condition(models.TextChoices):
        NEW = "new", pgettext_lazy("inspection", "new")
        GOOD = "good", pgettext_lazy("inspection", "good condition")
        WORN = "worn", pgettext_lazy("inspection", "fair wear and tear")
        POOR = "poor", pgettext_lazy("inspection", "poor condition")
        BROKEN = "broken", pgettext_lazy("inspection", "out of order")

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="items")
    room = models.ForeignKey(InspectionRoom, on_delete=models.CASCADE, related_name="items")
    element = models.CharField(_("element"), max_length=80)
    condition = models.CharField(_("condition"), max_length=10, choices=Condition.choices)
    comment = models.CharField(_("comment"), max_length=300, blank=True, default="")
    position = models.PositiveSmallIntegerField(default=0)
    move_in_item = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )  # on a move-out: the same item at move-in
    deduction = models.BigIntegerField(_("deduction"), default=0)  # move-out, lease currency

    class Meta:
        ordering = ["room__position", "position", "id"]
        verbose_name = _("inspection item")
        verbose_name_plural = _("inspection items")


class InspectionPhoto(BaseModel):
    item = models.ForeignKey(InspectionItem, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to="estate/inspections/%Y/%m/")

    class Meta:
        ordering = ["id"]


class InspectionMeter(BaseModel):
    class Kind(models.TextChoices):
        ELECTRICITY = "electricity", _("electricity (SBEE)")
        WATER = "water", _("water (SONEB)")

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="meters")
    kind = models.CharField(_("meter"), max_length=12, choices=Kind.choices)
    number = models.CharField(_("meter no."), max_length=40, blank=True, default="")
    index = models.PositiveBigIntegerField(_("index"), null=True, blank=True)
    photo = models.ImageField(_("photo"), upload_to="estate/inspections/%Y/%m/", blank=True)

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "kind"], name="estate_inspection_meter_once")
        ]


class InspectionKey(BaseModel):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="keys")
    kind = models.CharField(_("key"), max_length=60)
    count = models.PositiveSmallIntegerField(_("count"), default=1)

    class Meta:
        ordering = ["id"]


class OwnerStatement(BaseModel):
    """A relevé de gérance: per owner, per month, rent collected − commission − expenses =
    net to the owner. Closing it moves the money on the ledger."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        CLOSED = "closed", _("closed")

    organization = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+")
    period = models.DateField(_("month"))
    collected = models.BigIntegerField(_("rent collected"), default=0)
    commission = models.BigIntegerField(_("commission"), default=0)
    expenses = models.BigIntegerField(_("expenses"), default=0)
    carried_over = models.BigIntegerField(_("carried over"), default=0)  # expenses beyond last month's share
    net = models.BigIntegerField(_("net to the owner"), default=0)
    currency = models.CharField(_("currency"), max_length=3, default="XOF")
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ledger_transfer = models.UUIDField(_("ledger transfer"), null=True, blank=True)
    lines = models.JSONField(_("lines"), default=list)

    class Meta:
        verbose_name = _("owner statement")
        verbose_name_plural = _("owner statements")
        constraints = [
            models.UniqueConstraint(fields=["organization", "owner", "period"], name="estate_statement_once")
        ]


class DepositSettlement(BaseModel):
    """Move-out: the deposit held, the deductions listed, the refund to the tenant."""

    lease = models.OneToOneField(Lease, on_delete=models.PROTECT, related_name="deposit_settlement")
    held = models.BigIntegerField(_("deposit held"))
    deductions = models.JSONField(_("deductions"), default=list)  # [{"label", "amount", "kind"}]
    deducted = models.BigIntegerField(_("deducted"))
    refund = models.BigIntegerField(_("refund"))
    refund_reference = models.CharField(_("refund reference"), max_length=60, blank=True, default="")
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("deposit settlement")
        verbose_name_plural = _("deposit settlements")
        constraints = [
            models.CheckConstraint(
                condition=Q(deducted__gte=0)
                & Q(refund__gte=0)
                & Q(held=models.F("deducted") + models.F("refund")),
                name="estate_settlement_sums",
            )
        ]


class Announcement(BaseModel):
    organization = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+")
    property = models.ForeignKey(Property, on_delete=models.PROTECT, related_name="announcements")
    title = models.CharField(_("title"), max_length=120)
    message = models.TextField(_("message"), max_length=600)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recipients = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")


class ImportBatch(BaseModel):
    """An onboarding import (CSV/XLSX): previewed (dry run), then applied all at once."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("previewed")
        APPLIED = "applied", _("applied")
        REFUSED = "refused", _("refused")
        UNDONE = "undone", _("undone")

    organization = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(_("file"), max_length=200)
    content = models.BinaryField(_("content"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    summary = models.JSONField(_("summary"), default=dict)
    errors = models.JSONField(_("errors"), default=list)
    # what an applied import created besides its leases: {"properties": [id], "units": [id]}
    created_objects = models.JSONField(_("created objects"), default=dict)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")


class MonthEndRun(BaseModel):
    """One month-end run per period: serialises concurrent runs (row lock) and records
    what the last run did."""

    period = models.DateField(_("period"), unique=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    leases_seen = models.PositiveIntegerField(default=0)
    dues_created = models.PositiveIntegerField(default=0)
    batches = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("month-end run")
        verbose_name_plural = _("month-end runs")

    def __str__(self):
        return f"{self.period:%Y-%m}"


# --- Statement import and matching (issue 16): MoMo merchant and bank statements -----------------


class StatementImport(BaseModel):
    """One statement file imported by an agency (a MoMo merchant export, a bank CSV or a
    camt.053 XML). `file_hash` (SHA-256 of the bytes) is unique per organization: the same
    file imported twice imports nothing the second time. Dry runs store nothing."""

    class Format(models.TextChoices):
        MTN_MOMO = "mtn_momo", _("MTN MoMo merchant statement (CSV)")
        MOOV_MONEY = "moov_money", _("Moov Money merchant statement (CSV)")
        BANK_CSV = "bank_csv", _("bank statement (CSV)")
        CAMT053 = "camt053", _("bank statement (camt.053 XML)")

    organization = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+")
    format = models.CharField(_("format"), max_length=12, choices=Format.choices)
    filename = models.CharField(_("file"), max_length=200)
    file_hash = models.CharField(_("file fingerprint"), max_length=64)
    currency = models.CharField(_("currency"), max_length=3)
    lines_read = models.PositiveIntegerField(_("credit lines read"), default=0)
    lines_new = models.PositiveIntegerField(_("new lines"), default=0)
    lines_known = models.PositiveIntegerField(_("lines already imported"), default=0)
    lines_skipped = models.PositiveIntegerField(_("lines skipped (debits, failed)"), default=0)
    matched = models.PositiveIntegerField(_("applied automatically"), default=0)
    to_review = models.PositiveIntegerField(_("to review"), default=0)
    total = models.BigIntegerField(_("credits imported"), default=0)
    applied = models.BigIntegerField(_("applied automatically"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("statement import")
        verbose_name_plural = _("statement imports")
        constraints = [
            models.UniqueConstraint(fields=["organization", "file_hash"], name="estate_statement_file_once")
        ]
        indexes = [models.Index(fields=["organization", "created_at"], name="estate_stmtimport_org_idx")]


class StatementLine(BaseModel):
    """One credit line of a statement. `fingerprint` (the source and the transaction id, or
    date + amount + reference + phone and its rank among identical lines of the file) is
    unique per organization: a line present in two overlapping files is imported once. A line
    is applied at most once: each payment it made carries the idempotency key
    `estate:statement-line:<public id>:<part>` (unique), and `StatementLinePart.payment` is
    unique."""

    class Status(models.TextChoices):
        MATCHED = "matched", pgettext_lazy("statement line", "applied automatically")
        REVIEW = "review", pgettext_lazy("statement line", "to review")
        UNMATCHED = "unmatched", pgettext_lazy("statement line", "no match")
        CONFIRMED = "confirmed", pgettext_lazy("statement line", "confirmed")
        IGNORED = "ignored", pgettext_lazy("statement line", "ignored")

    organization = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+")
    statement = models.ForeignKey(StatementImport, on_delete=models.PROTECT, related_name="lines")
    line_number = models.PositiveIntegerField(_("line"))
    source = models.CharField(_("source"), max_length=12)
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    transaction_id = models.CharField(_("transaction id"), max_length=80, blank=True, default="")
    booked_on = models.DateField(_("date"))
    amount = models.BigIntegerField(_("amount"))
    currency = models.CharField(_("currency"), max_length=3)
    payer_phone = models.CharField(_("payer phone"), max_length=20, blank=True, default="")
    payer_name = models.CharField(_("payer"), max_length=150, blank=True, default="")
    reference = models.CharField(_("reference"), max_length=300, blank=True, default="")
    label = models.CharField(_("label"), max_length=300, blank=True, default="")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    score = models.PositiveSmallIntegerField(_("score"), default=0)
    reasons = models.JSONField(_("why"), default=list)
    # the engine's suggestions: [{"due": due id, "score": n, "reasons": [...]}]
    candidates = models.JSONField(_("candidates"), default=list)
    suggested_due = models.ForeignKey(
        RentDue, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    applied_amount = models.BigIntegerField(_("applied"), default=0)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("statement line")
        verbose_name_plural = _("statement lines")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "fingerprint"], name="estate_statement_line_once"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="estate_statement_line_credit"),
            models.CheckConstraint(
                condition=Q(applied_amount__gte=0) & Q(applied_amount__lte=models.F("amount")),
                name="estate_statement_line_applied_range",
            ),
        ]
        indexes = [
            models.Index(
                fields=["organization", "status", "booked_on"], name="estate_stmtline_org_status_idx"
            )
        ]


class StatementLinePart(BaseModel):
    """What a statement line paid: one part per lease (a split line has several), each one
    estate payment (method bank_transfer or momo_direct) recorded once."""

    line = models.ForeignKey(StatementLine, on_delete=models.PROTECT, related_name="parts")
    lease = models.ForeignKey(Lease, on_delete=models.PROTECT, related_name="+")
    due = models.ForeignKey(RentDue, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    amount = models.BigIntegerField(_("amount"))
    payment = models.OneToOneField(RentPayment, on_delete=models.PROTECT, related_name="statement_part")

    class Meta:
        verbose_name = _("statement line part")
        verbose_name_plural = _("statement line parts")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="estate_statement_part_positive")
        ]


class StatementRule(BaseModel):
    """A learned rule: money from this phone pays for this lease (saved when a manager
    confirms such a line; removable). The next imports use it."""

    organization = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+")
    phone = models.CharField(_("phone"), max_length=20)
    lease = models.ForeignKey(Lease, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("matching rule")
        verbose_name_plural = _("matching rules")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "phone", "lease"], name="estate_statement_rule_once"
            )
        ]
