"""Leases: signing (with the legal caps and the no-overlap rule), versioned terms, notice,
end, renewal, move-out with the deposit settlement."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.billing import api as billing
from apps.core.errors import NotFound
from apps.core.outbox import publish
from apps.identity import api as identity
from apps.ledger.contracts import Leg
from apps.payments import api as payments

from .. import domain
from ..contracts import (
    OPEN_DUE_STATUSES,
    DueKind,
    FirstPeriodRule,
    LateFeePolicy,
    LeaseStatus,
    PaymentMethod,
    UnitStatus,
)
from ..errors import DatesOutOfOrder, InvalidInput, InvalidState, LeaseOverlap, NegativeAmount
from ..events import LeaseEnded, LeaseSigned
from ..models import (
    DepositSettlement,
    EstateSettings,
    Lease,
    LeaseTenant,
    LeaseTerms,
    MonthEndRun,
    RentDue,
    RentPayment,
    Unit,
)
from . import ledgering
from .common import check_commission_cap, check_deposit_cap, document_number, require
from .dues import (
    _write_off,
    advance_through,
    dues_cancel_after,
    dues_cancel_from,
    dues_issue_for_lease,
    move_in_dues_issue,
)
from .portfolio import organization_currency

OVERLAP_CONSTRAINT = "estate_lease_no_overlap"


@dataclass(frozen=True)
class TenantInput:
    phone: str
    full_name: str = ""


def tenant_user_for_phone(*, phone: str, full_name: str = ""):
    """The tenant's account (tenants are identity users linked to leases, not members),
    created on first use. identity.api has no "user for this phone" call yet: we use the
    auth user model's manager, as Django's createsuperuser does (docs/estate.md)."""
    from phonenumber_field.phonenumber import PhoneNumber
    from phonenumbers import NumberParseException

    try:
        number = PhoneNumber.from_string(str(phone).strip(), region="BJ")
    except (NumberParseException, ValueError, TypeError):
        number = None
    if number is None or not number.is_valid():
        raise InvalidInput(_("Enter a valid phone number."), field="tenants.phone")
    User = get_user_model()
    user = User.objects.filter(phone=number.as_e164).first()
    if user is None:
        try:
            with transaction.atomic():
                user = User.objects.create_user(
                    number.as_e164, None, full_name=(full_name or "").strip()[:150]
                )
        except IntegrityError:
            user = User.objects.get(phone=number.as_e164)
    return user


def _int(value, field: str, *, minimum: int = 0, error=NegativeAmount) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(_("A whole number is expected."), field=field)
    if value < minimum:
        raise error(field=field)
    return value


def _check_dates(start: date, end: date | None) -> None:
    if end is not None and end < start:
        raise DatesOutOfOrder(field="end_date")


def _overlapping(unit_id: int, start: date, end: date | None, *, exclude: int | None = None):
    qs = Lease.objects.filter(unit_id=unit_id, status=LeaseStatus.ACTIVE).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=start)
    )
    if end is not None:
        qs = qs.filter(start_date__lte=end)
    if exclude:
        qs = qs.exclude(pk=exclude)
    return qs


def _save_checked(lease: Lease, **kwargs) -> None:
    """Save; the database's exclusion constraint (PostgreSQL) has the last word on overlaps."""
    try:
        with transaction.atomic():
            lease.save(**kwargs)
    except IntegrityError as exc:
        if OVERLAP_CONSTRAINT in str(exc):
            raise LeaseOverlap(field="start_date") from None
        raise


# --- the organization's estate settings ---------------------------------------------------------


def settings_for(organization_id: int) -> EstateSettings:
    """The organization's estate settings, created with the defaults on first use."""
    found = EstateSettings.objects.filter(organization_id=organization_id).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return EstateSettings.objects.create(organization_id=organization_id)
    except IntegrityError:
        return EstateSettings.objects.get(organization_id=organization_id)


def settings_organization(actor, public_id=None) -> int:
    """The organization whose settings a caller reads or changes: the one named (one of the
    actor's, else NotFound), or the only one the actor belongs to."""
    memberships = {m.organization_public_id: m.organization_id for m in identity.memberships_of(actor)}
    if public_id is not None:
        from uuid import UUID

        try:
            key = UUID(str(public_id))
        except ValueError:
            raise NotFound(field="organization") from None
        if key not in memberships:
            raise NotFound(field="organization")
        return memberships[key]
    if len(memberships) != 1:
        if not memberships:
            raise NotFound(field="organization")
        raise InvalidInput(_("Name the organization: you belong to several."), field="organization")
    return next(iter(memberships.values()))


def settings_get(*, actor, organization_id: int) -> EstateSettings:
    require(actor, "estate.portfolio.view", organization_id)
    return settings_for(organization_id)


def _check_rule(rule: str) -> str:
    if rule not in FirstPeriodRule.__members__.values():
        raise InvalidInput(_("Unknown first-month rule."), field="first_period_rule")
    return str(rule)


@transaction.atomic
def settings_update(*, actor, organization_id: int, first_period_rule: str) -> EstateSettings:
    """Change the organization's rule for the first month of a lease starting mid-month.
    Signed leases keep the rule they were signed with."""
    require(actor, "estate.portfolio.manage", organization_id)
    found = EstateSettings.objects.select_for_update().filter(pk=settings_for(organization_id).pk).get()
    found.first_period_rule = _check_rule(first_period_rule)
    found.save(update_fields=["first_period_rule", "updated_at"])
    return found


def _issue_through(lease: Lease, today: date) -> date:
    """Dues exist from the first month through the current month (a back-dated lease), the
    advance months (dues.advance_through), and the period the last month-end run issued."""
    last_run = MonthEndRun.objects.order_by("-period").values_list("period", flat=True).first()
    candidates = [domain.month_start(today), advance_through(lease)]
    if last_run:
        candidates.append(last_run)
    return max(candidates)


@transaction.atomic
def lease_create(
    *,
    actor,
    unit: Unit,
    tenants: list[TenantInput],
    start_date: date,
    rent: int,
    end_date: date | None = None,
    charges: int = 0,
    deposit_months: int = 0,
    advance_months: int = 0,
    agency_fee: int = 0,
    due_day: int = 5,
    grace_days: int = 5,
    late_fee_policy: str = LateFeePolicy.NONE,
    late_fee_value: int = 0,
    late_fee_cap: int = 0,
    signed_document=None,
    today: date | None = None,
    paid_up_to: date | None = None,
    first_period_rule: str | None = None,
    min_part_payment: int | None = None,
    move_in: bool | None = None,
    renewal: bool = False,
) -> Lease:
    """Sign a lease: checks the dates, the amounts, the legal caps (deposit, agency fee) and
    that no active lease of the unit overlaps; issues its first dues (and the past ones of
    a back-dated lease, except the months that begin on or before `paid_up_to`: an imported
    lease's months paid before Hokwe).

    A lease signed in Hokwe (no `paid_up_to`, starting this month or later; `move_in` forces
    it either way) gets its move-in invoice: a deposit due and an agency fee due besides its first rent and advance
    months. `first_period_rule` (default: the organization's) decides the first month of a
    lease starting after the 1st; it is kept on the lease.

    A new lease is a feature of the organization's plan (billing's `estate.new_leases`,
    refused while its Hokwe account is restricted); a `renewal` continues a tenancy and is
    never refused by billing."""
    require(actor, "estate.portfolio.manage", unit)
    if not renewal:
        billing.require(unit.organization_id, "estate.new_leases")
    today = today or timezone.localdate()
    _int(rent, "rent", minimum=1)
    _int(charges, "charges")
    _int(agency_fee, "agency_fee")
    _int(deposit_months, "deposit_months")
    _int(advance_months, "advance_months")
    _int(late_fee_value, "late_fee_value")
    _int(late_fee_cap, "late_fee_cap")
    _check_dates(start_date, end_date)
    if not 1 <= _int(due_day, "due_day") <= 28:
        raise InvalidInput(_("The due day is between 1 and 28."), field="due_day")
    if _int(grace_days, "grace_days") > 60:
        raise InvalidInput(_("At most 60 grace days."), field="grace_days")
    if late_fee_policy not in LateFeePolicy.__members__.values():
        raise InvalidInput(_("Unknown late fee policy."), field="late_fee_policy")
    if late_fee_policy == LateFeePolicy.PERCENT and late_fee_value > 10_000:
        raise InvalidInput(_("A percentage late fee is at most 100 %."), field="late_fee_value")
    if advance_months > 12:
        raise InvalidInput(_("At most 12 months of advance."), field="advance_months")
    if min_part_payment is not None:
        _int(min_part_payment, "min_part_payment", minimum=1)
        if min_part_payment > rent + charges:
            raise InvalidInput(
                _("The minimum part payment cannot exceed one month's rent and charges."),
                field="min_part_payment",
            )
    if first_period_rule in (None, ""):
        first_period_rule = settings_for(unit.organization_id).first_period_rule
    first_period_rule = _check_rule(first_period_rule)
    # the lease is in its unit's currency: one the organization takes money in
    organization_currency(unit.organization_id, unit.currency)
    country = unit.property.country or "BJ"
    check_deposit_cap(country=country, deposit_months=deposit_months)
    check_commission_cap(country=country, rent=rent, fee=agency_fee)
    if not tenants:
        raise InvalidInput(_("A lease needs at least one tenant."), field="tenants")
    users = []
    for tenant in tenants:
        user = tenant_user_for_phone(phone=tenant.phone, full_name=tenant.full_name)
        if user.pk not in {u.pk for u in users}:
            users.append(user)
    unit = Unit.objects.select_for_update().select_related("property").get(pk=unit.pk)
    if _overlapping(unit.pk, start_date, end_date).exists():
        raise LeaseOverlap(field="start_date")
    lease = Lease(
        organization_id=unit.organization_id,
        unit=unit,
        reference=document_number(organization_id=unit.organization_id, kind="lease", when=start_date),
        start_date=start_date,
        end_date=end_date,
        rent=rent,
        charges=charges,
        currency=unit.currency,
        deposit_months=deposit_months,
        deposit_amount=deposit_months * rent,
        advance_months=advance_months,
        agency_fee=agency_fee,
        due_day=due_day,
        grace_days=grace_days,
        late_fee_policy=late_fee_policy,
        late_fee_value=late_fee_value,
        late_fee_cap=late_fee_cap,
        paid_up_to=paid_up_to,
        first_period_rule=first_period_rule,
        min_part_payment=min_part_payment,
    )
    if signed_document is not None:
        lease.signed_document = signed_document
    lease.agreed_on = domain.month_start(start_date)  # the signature's terms, below
    _save_checked(lease)
    LeaseTenant.objects.bulk_create(
        [LeaseTenant(lease=lease, user=user, is_primary=index == 0) for index, user in enumerate(users)]
    )
    LeaseTerms.objects.create(
        lease=lease,
        effective_from=domain.month_start(start_date),
        rent=rent,
        charges=charges,
        reason="signature",
        created_by=actor,
    )
    if start_date <= today and (end_date is None or end_date >= today):
        unit.status = UnitStatus.OCCUPIED
        unit.save(update_fields=["status", "updated_at"])
    # signed in Hokwe: not imported, and not entered after the month it started (a running
    # lease entered by hand had its move-in settled before Hokwe); `move_in` decides otherwise
    signed_in_hokwe = (
        paid_up_to is None and start_date >= domain.month_start(today) if move_in is None else move_in
    )
    if signed_in_hokwe:
        move_in_dues_issue(lease, today=today)
    dues_issue_for_lease(lease, through=_issue_through(lease, today), today=today)
    from ..vault import file_lease

    file_lease(lease, tenant_user_ids=[u.pk for u in users])
    publish(
        LeaseSigned(
            lease_id=str(lease.public_id),
            organization_id=str(unit.organization.public_id),
            unit_id=str(unit.public_id),
            tenant_ids=[str(u.public_id) for u in users],
        )
    )
    return lease


@transaction.atomic
def lease_change_terms(
    *, actor, lease: Lease, effective_from: date, rent: int, charges: int | None = None, reason: str = ""
) -> LeaseTerms:
    """A new rent from a month on. Dues already issued are never rewritten: the change
    starts after the last issued period."""
    require(actor, "estate.portfolio.manage", lease)
    lease = Lease.objects.select_for_update().get(pk=lease.pk)
    if lease.status != LeaseStatus.ACTIVE:
        raise InvalidState(_("Only an active lease can change its terms."))
    _int(rent, "rent", minimum=1)
    charges = lease.charges if charges is None else _int(charges, "charges")
    effective_from = domain.month_start(effective_from)
    last = (
        RentDue.objects.filter(lease=lease)
        .exclude(kind__in=(DueKind.DEPOSIT, DueKind.FEE))
        .order_by("-period")
        .values_list("period", flat=True)
        .first()
    )
    if last is not None and effective_from <= last:
        first_free = domain.add_months(last, 1)
        raise InvalidInput(
            _("Dues are issued up to %(last)s: the new terms can apply from %(first)s at the earliest.")
            % {"last": last.strftime("%m/%Y"), "first": first_free.strftime("%m/%Y")},
            field="effective_from",
        )
    terms, _created = LeaseTerms.objects.update_or_create(
        lease=lease,
        effective_from=effective_from,
        defaults={"rent": rent, "charges": charges, "reason": reason[:200], "created_by": actor},
    )
    lease.rent, lease.charges = rent, charges
    lease.agreed_on = max(lease.agreed_on or effective_from, effective_from)
    lease.save(update_fields=["rent", "charges", "agreed_on", "updated_at"])
    return terms


@transaction.atomic
def lease_update(*, actor, lease: Lease, **changes) -> Lease:
    """Edit what does not touch money already billed (due day, grace, late fees, the
    signed PDF, the planned end). Rent changes go through lease_change_terms."""
    require(actor, "estate.portfolio.manage", lease)
    allowed = {
        "due_day",
        "grace_days",
        "late_fee_policy",
        "late_fee_value",
        "late_fee_cap",
        "end_date",
        "signed_document",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise InvalidInput(_("This field cannot be changed here."), field=sorted(unknown)[0])
    lease = Lease.objects.select_for_update().get(pk=lease.pk)
    if "end_date" in changes:
        _check_dates(lease.start_date, changes["end_date"])
        if _overlapping(lease.unit_id, lease.start_date, changes["end_date"], exclude=lease.pk).exists():
            raise LeaseOverlap(field="end_date")
    if "due_day" in changes and not 1 <= _int(changes["due_day"], "due_day") <= 28:
        raise InvalidInput(_("The due day is between 1 and 28."), field="due_day")
    for name, value in changes.items():
        setattr(lease, name, value)
    _save_checked(lease)
    return lease


@transaction.atomic
def lease_give_notice(
    *, actor, lease: Lease, given_on: date, end_date: date, by: str = "tenant", today: date | None = None
) -> Lease:
    """Notice (congé) by the tenant or the landlord: the planned end is set, the lease stays
    active until the move-out (lease_end). The planned end cannot be already past: a
    departure that has happened is a move-out, not a notice."""
    require(actor, "estate.portfolio.manage", lease)
    lease = Lease.objects.select_for_update().get(pk=lease.pk)
    if lease.status != LeaseStatus.ACTIVE:
        raise InvalidState(_("Only an active lease can be given notice."))
    if by not in ("tenant", "landlord"):
        raise InvalidInput(_("Notice is given by the tenant or the landlord."), field="by")
    _check_dates(lease.start_date, end_date)
    if end_date < given_on:
        raise DatesOutOfOrder(_("The end date must be on or after the notice date."), field="end_date")
    if end_date < (today or timezone.localdate()):
        raise DatesOutOfOrder(
            _("The planned end date is already past: record the move-out instead."), field="end_date"
        )
    lease.notice_given_on, lease.notice_by, lease.end_date = given_on, by, end_date
    _save_checked(lease)
    return lease


@transaction.atomic
def lease_end(*, actor, lease: Lease, end_date: date) -> Lease:
    """The tenant moved out on `end_date`: unpaid dues of later months are written off,
    the unit is vacant again."""
    require(actor, "estate.portfolio.manage", lease)
    lease = Lease.objects.select_for_update().select_related("organization").get(pk=lease.pk)
    if lease.status != LeaseStatus.ACTIVE:
        raise InvalidState(_("This lease is not active."))
    _check_dates(lease.start_date, end_date)
    lease.status, lease.end_date, lease.ended_on = LeaseStatus.ENDED, end_date, end_date
    lease.save(update_fields=["status", "end_date", "ended_on", "updated_at"])
    dues_cancel_after(lease, end_date=domain.month_start(end_date))
    if not Lease.objects.filter(unit_id=lease.unit_id, status=LeaseStatus.ACTIVE).exists():
        Unit.objects.filter(pk=lease.unit_id).update(status=UnitStatus.VACANT)
    publish(
        LeaseEnded(
            lease_id=str(lease.public_id),
            organization_id=str(lease.organization.public_id),
            end_date=end_date.isoformat(),
        )
    )
    return lease


@transaction.atomic
def lease_renew(
    *, actor, lease: Lease, start_date: date, end_date: date | None = None, rent: int | None = None
) -> Lease:
    """A new lease for the same unit and tenants, from `start_date`; the old one ends the
    day before. The renewal bills its months from the one `start_date` falls in: the old
    lease's dues of those months are taken back (what was paid on them becomes credit). The
    deposit held and the tenant credit carry over."""
    require(actor, "estate.portfolio.manage", lease)
    old = Lease.objects.select_for_update().get(pk=lease.pk)
    if old.status != LeaseStatus.ACTIVE:
        raise InvalidState(_("Only an active lease can be renewed."))
    if start_date <= old.start_date:
        raise DatesOutOfOrder(_("The renewal starts after the current lease started."), field="start_date")
    old.status, old.end_date, old.ended_on = (
        LeaseStatus.ENDED,
        start_date - timedelta(days=1),
        start_date - timedelta(days=1),
    )
    old.save(update_fields=["status", "end_date", "ended_on", "updated_at"])
    # The renewal bills its months from its first one: the old lease's dues of those months
    # (issued by a month-end run or as advance months) are taken back, what was paid on them
    # becoming the tenant's credit, carried over below.
    dues_cancel_from(old, period=domain.month_start(start_date))
    tenants = [
        TenantInput(phone=str(t.user.phone), full_name=t.user.full_name)
        for t in old.lease_tenants.select_related("user").order_by("-is_primary", "id")
    ]
    new = lease_create(
        actor=actor,
        unit=old.unit,
        tenants=tenants,
        start_date=start_date,
        end_date=end_date,
        rent=rent or old.rent,
        charges=old.charges,
        deposit_months=old.deposit_months,
        due_day=old.due_day,
        grace_days=old.grace_days,
        late_fee_policy=old.late_fee_policy,
        late_fee_value=old.late_fee_value,
        late_fee_cap=old.late_fee_cap,
        min_part_payment=old.min_part_payment,
        # the old lease's dues of the renewal's first month were taken back: bill it whole;
        # the deposit held carries over (no new deposit due)
        first_period_rule=FirstPeriodRule.FULL,
        move_in=False,
        renewal=True,
    )
    new.renewed_from = old
    new.deposit_paid, new.deposit_intent = old.deposit_paid, old.deposit_intent
    new.save(update_fields=["renewed_from", "deposit_paid", "deposit_intent", "updated_at"])
    old.deposit_paid = 0
    old.save(update_fields=["deposit_paid"])
    if old.credit:
        from .collections import _credit, credit_apply

        amount = old.credit
        _credit(old, -amount, reason="carried to the renewal")
        _credit(new, amount, reason="carried from the previous lease")
        credit_apply(lease_id=new.pk)
    return new


# --- move-out: the deposit ------------------------------------------------------------------------


DEDUCTION_KINDS = ("rent", "damage", "other")


@transaction.atomic
def deposit_settle(
    *, actor, lease: Lease, deductions: list[dict], step_up_token: str | None = None
) -> DepositSettlement:
    """Settle the deposit of an ended lease: list the deductions (unpaid rent is applied to
    the open dues; damages go to the owner), refund the rest to the tenant through payments
    (a refund of the deposit payment, step-up OTP) — or, for a deposit received outside
    Hokwe, record the refund made outside.

    A provider that cannot give that part back (Kkiapay reverts whole payments only, FedaPay
    refunds none) does not block the settlement: payments pays the refund to the tenant's
    mobile money number (the deposit payment's payer) by a payout, sent after this commits,
    with the same hold and step-up (docs/payments.md, "Refunds paid by a payout"). Without a
    known mobile money number it is refused (`refund_destination_unknown`) and nothing is
    settled."""
    from .collections import _apply_payment, _lease_locked

    require(actor, "estate.finance.manage", lease)
    lease = _lease_locked(lease.pk)
    if lease.status != LeaseStatus.ENDED:
        raise InvalidState(_("End the lease before settling the deposit."))
    if DepositSettlement.objects.filter(lease=lease).exists():
        raise InvalidState(_("The deposit is already settled."))
    # An unpaid deposit due is cancelled first (mirror legs: D deposits_held; C receivable):
    # the deposit never pays itself, and what is settled is only what was received.
    for due in (
        RentDue.objects.select_for_update()
        .filter(lease=lease, kind=DueKind.DEPOSIT, status__in=OPEN_DUE_STATUSES)
        .select_related("lease__organization", "lease__unit__property__owner")
    ):
        _write_off(due, reason=_("Deposit settled at move-out"))
    clean, total = [], 0
    for index, item in enumerate(deductions or []):
        label = str(item.get("label", "")).strip()[:200]
        amount = item.get("amount")
        kind = item.get("kind", "other")
        if not label:
            raise InvalidInput(_("Describe each deduction."), field=f"deductions.{index}.label")
        if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
            raise NegativeAmount(field=f"deductions.{index}.amount")
        if kind not in DEDUCTION_KINDS:
            raise InvalidInput(_("Unknown deduction kind."), field=f"deductions.{index}.kind")
        clean.append({"label": label, "amount": amount, "kind": kind})
        total += amount
    if total > lease.deposit_paid:
        raise InvalidInput(_("The deductions exceed the deposit held."), field="deductions")
    refund = lease.deposit_paid - total
    accounts = ledgering.Accounts()
    org, cur = lease.organization.public_id, lease.currency
    held = accounts.deposits_held(org, cur)
    rent_part = sum(d["amount"] for d in clean if d["kind"] == "rent")
    other_part = total - rent_part
    if rent_part:
        ledgering.post_legs(
            key=f"estate:deposit-rent:{lease.public_id}",
            code="estate_deposit_to_rent",
            legs=[Leg.debit(held, rent_part, cur), Leg.credit(accounts.receivable(org, cur), rent_part, cur)],
            reference=f"estate.Lease:{lease.public_id}",
        )
        _apply_payment(
            lease=lease,
            amount=rent_part,
            method=PaymentMethod.DEPOSIT,
            received_on=timezone.localdate(),
            recorded_by=actor,
        )
    if other_part:
        ledgering.post_legs(
            key=f"estate:deposit-damage:{lease.public_id}",
            code="estate_deposit_deduction",
            legs=[
                Leg.debit(held, other_part, cur),
                Leg.credit(
                    accounts.owners_payable(lease.unit.property.owner.public_id, cur), other_part, cur
                ),
            ],
            reference=f"estate.Lease:{lease.public_id}",
        )
    reference = ""
    if refund:
        if lease.deposit_intent:
            result = payments.refund(
                actor=actor,
                intent=lease.deposit_intent,
                amount=refund,
                reason=f"Remboursement de caution {lease.reference}",
                step_up_token=step_up_token,
                idempotency_key=f"estate:deposit-refund:{lease.public_id}",
            )
            reference = str(result.public_id)
            if RentPayment.objects.filter(intent=lease.deposit_intent).exists():
                # paid through a due's intent, credited to the receivable: payments' refund
                # debits the receivable, so the deposit held pays it back to it
                ledgering.post_legs(
                    key=f"estate:deposit-refund-due:{lease.public_id}",
                    code="estate_deposit_refund",
                    legs=[
                        Leg.debit(held, refund, cur),
                        Leg.credit(accounts.receivable(org, cur), refund, cur),
                    ],
                    reference=f"estate.Lease:{lease.public_id}",
                )
        else:
            ledgering.post_legs(
                key=f"estate:deposit-refund:{lease.public_id}",
                code="estate_deposit_refund_offline",
                legs=[Leg.debit(held, refund, cur), Leg.credit(accounts.offline(org, cur), refund, cur)],
                reference=f"estate.Lease:{lease.public_id}",
            )
            reference = "offline"
    settlement = DepositSettlement.objects.create(
        lease=lease,
        held=lease.deposit_paid,
        deductions=clean,
        deducted=total,
        refund=refund,
        refund_reference=reference,
        settled_by=actor,
    )
    lease.deposit_paid = 0
    lease.save(update_fields=["deposit_paid", "updated_at"])
    return settlement


def deposit_record_offline(*, actor, lease: Lease, amount: int, reference: str = "") -> Lease:
    """A deposit received outside Hokwe (onboarding, bank): posted on the ledger. When the
    lease has an open deposit due (its move-in invoice), it is recorded as an offline payment
    on that due (the due's accrual already credits deposits_held)."""
    from .collections import _record_offline

    require(actor, "estate.finance.manage", lease)
    _int(amount, "amount", minimum=1)
    due = open_deposit_due(lease)
    if due is not None:
        _record_offline(
            actor=actor,
            lease=lease,
            amount=amount,
            method=PaymentMethod.BANK_TRANSFER,
            received_on=timezone.localdate(),
            due=due,
            reference=reference or f"Caution {lease.reference}",
            idempotency_key=None,
        )
        return Lease.objects.get(pk=lease.pk)
    with transaction.atomic():
        lease = Lease.objects.select_for_update().select_related("organization").get(pk=lease.pk)
        accounts = ledgering.Accounts()
        org, cur = lease.organization.public_id, lease.currency
        ledgering.post_legs(
            key=f"estate:deposit-offline:{lease.public_id}:{lease.deposit_paid}",
            code="estate_deposit_offline",
            legs=[
                Leg.debit(accounts.offline(org, cur), amount, cur),
                Leg.credit(accounts.deposits_held(org, cur), amount, cur),
            ],
            reference=f"estate.Lease:{lease.public_id}",
            description=reference,
        )
        lease.deposit_paid += amount
        lease.save(update_fields=["deposit_paid", "updated_at"])
        return lease


def open_deposit_due(lease: Lease) -> RentDue | None:
    return (
        RentDue.objects.filter(lease=lease, kind=DueKind.DEPOSIT, status__in=OPEN_DUE_STATUSES)
        .order_by("due_date", "id")
        .first()
    )


def organization_of(lease: Lease):
    return identity.get_organization(id=lease.organization_id)
