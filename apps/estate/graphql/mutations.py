"""Estate's mutations, all on core's `HokweMutation` (authentication, typed translated
errors, rollback). Root fields are named `estate<Verb><Thing>`; the former names
(createEstateLease, …) remain as deprecated aliases. Class names, hence payload type names,
are unchanged (the apps' fragments use them)."""

from __future__ import annotations

import graphene

from apps.core.errors import NotFound
from apps.core.graphql.mutations import HokweMutation, or_none
from apps.core.graphql.types import Amount
from apps.core.idempotency import fingerprint_of, run_idempotent
from apps.identity import api as identity

from .. import selectors, services
from ..models import DepositSettlement
from ..services.leases import settings_organization, settings_update
from .types import (
    EstateDeductionInput,
    EstateDepositSettlementType,
    EstateDueType,
    EstateLeaseType,
    EstateMandateType,
    EstatePayIntentType,
    EstatePayLinkType,
    EstatePaymentType,
    EstatePropertyType,
    EstateSettingsType,
    EstateStatementType,
    EstateTenantInput,
    EstateTicketType,
    EstateUnitType,
)


class CreateEstateProperty(HokweMutation):
    class Arguments:
        organization_id = graphene.UUID(required=True)
        owner_id = graphene.UUID()
        name = graphene.String(required=True)
        city = graphene.String(required=True)
        address = graphene.String()
        neighbourhood = graphene.String()

    property = graphene.Field(EstatePropertyType)

    @classmethod
    def perform(cls, info, user, *, organization_id, name, city, owner_id=None, address="", neighbourhood=""):
        membership = next(
            (m for m in identity.memberships_of(user) if m.organization_public_id == organization_id), None
        )
        if membership is None:
            raise NotFound(field="organizationId")
        prop = services.property_create(
            actor=user,
            organization_id=membership.organization_id,
            owner_id=identity.get_organization(owner_id).id if owner_id else None,
            name=name,
            city=city,
            address=address or "",
            neighbourhood=neighbourhood or "",
        )
        return {"property": selectors.property_get(user, prop.public_id)}


class CreateEstateUnit(HokweMutation):
    class Arguments:
        property_id = graphene.UUID(required=True)
        label = graphene.String(required=True)
        kind = graphene.String(required=True)
        market_rent = Amount()
        rooms = graphene.Int()

    unit = graphene.Field(EstateUnitType)

    @classmethod
    def perform(cls, info, user, *, property_id, label, kind, market_rent=0, rooms=1):
        prop = selectors.property_get(user, property_id)
        unit = services.unit_create(
            actor=user, property=prop, label=label, kind=kind, market_rent=market_rent or 0, rooms=rooms or 0
        )
        return {"unit": unit}


class CreateEstateLease(HokweMutation):
    class Arguments:
        unit_id = graphene.UUID(required=True)
        tenants = graphene.List(graphene.NonNull(EstateTenantInput), required=True)
        start_date = graphene.Date(required=True)
        end_date = graphene.Date()
        rent = Amount(required=True)
        charges = Amount()
        deposit_months = graphene.Int()
        advance_months = graphene.Int()
        agency_fee = Amount()
        due_day = graphene.Int()
        grace_days = graphene.Int()
        late_fee_policy = graphene.String()
        late_fee_value = Amount()
        late_fee_cap = Amount()
        first_period_rule = graphene.String(description="prorata, full or next (default: the organization's)")
        min_part_payment = Amount(description="The pay link's smallest part payment; empty: 10 % of the rent")

    lease = graphene.Field(EstateLeaseType)

    @classmethod
    def perform(cls, info, user, *, unit_id, tenants, start_date, rent, **options):
        unit = selectors.unit_get(user, unit_id)
        lease = services.lease_create(
            actor=user,
            unit=unit,
            tenants=[services.TenantInput(phone=t.phone, full_name=t.full_name or "") for t in tenants],
            start_date=start_date,
            rent=rent,
            **{k: v for k, v in options.items() if v is not None},
        )
        return {"lease": selectors.lease_get(user, lease.public_id)}


class ChangeEstateLeaseTerms(HokweMutation):
    class Arguments:
        lease_id = graphene.UUID(required=True)
        effective_from = graphene.Date(required=True)
        rent = Amount(required=True)
        charges = Amount()
        reason = graphene.String()

    lease = graphene.Field(EstateLeaseType)

    @classmethod
    def perform(cls, info, user, *, lease_id, effective_from, rent, charges=None, reason=""):
        lease = selectors.lease_get(user, lease_id)
        services.lease_change_terms(
            actor=user,
            lease=lease,
            effective_from=effective_from,
            rent=rent,
            charges=charges,
            reason=reason or "",
        )
        return {"lease": selectors.lease_get(user, lease_id)}


class EndEstateLease(HokweMutation):
    class Arguments:
        lease_id = graphene.UUID(required=True)
        end_date = graphene.Date(required=True)

    lease = graphene.Field(EstateLeaseType)

    @classmethod
    def perform(cls, info, user, *, lease_id, end_date):
        services.lease_end(actor=user, lease=selectors.lease_get(user, lease_id), end_date=end_date)
        return {"lease": selectors.lease_get(user, lease_id)}


class RecordEstatePayment(HokweMutation):
    class Arguments:
        lease_id = graphene.UUID(required=True)
        amount = Amount(required=True)
        method = graphene.String(required=True, description="cash | bank_transfer")
        received_on = graphene.Date()
        due_id = graphene.UUID()
        reference = graphene.String()
        idempotency_key = graphene.String()

    payment = graphene.Field(EstatePaymentType)

    @classmethod
    def perform(
        cls,
        info,
        user,
        *,
        lease_id,
        amount,
        method,
        received_on=None,
        due_id=None,
        reference="",
        idempotency_key=None,
    ):
        lease = selectors.lease_get(user, lease_id)
        due = None
        if due_id:
            due = lease.dues.filter(public_id=due_id).first()
            if due is None:
                raise NotFound(field="dueId")
        payment = services.payment_record(
            actor=user,
            lease=lease,
            amount=amount,
            method=method,
            received_on=received_on,
            due=due,
            reference=reference or "",
            idempotency_key=f"graphql:{user.pk}:{idempotency_key}" if idempotency_key else None,
        )
        return {"payment": payment}


class AdjustEstateDue(HokweMutation):
    class Arguments:
        due_id = graphene.UUID(required=True)
        kind = graphene.String(required=True, description="discount | charge | late_fee")
        amount = Amount(required=True)
        label = graphene.String()

    due = graphene.Field(EstateDueType)

    @classmethod
    def perform(cls, info, user, *, due_id, kind, amount, label=""):
        due = selectors.due_get(user, due_id)
        services.due_adjust(actor=user, due=due, kind=kind, amount=amount, label=label or "")
        return {"due": selectors.due_get(user, due_id)}


class RequestEstatePayLink(HokweMutation):
    """The tenant app: a pay link for what is still owed on one of my dues."""

    class Arguments:
        due_id = graphene.UUID(required=True)

    pay_link = graphene.Field(EstatePayLinkType)

    @classmethod
    def perform(cls, info, user, *, due_id):
        due = or_none(selectors.tenant_due_get)(user, due_id) or selectors.due_get(user, due_id)
        return {"pay_link": services.due_pay_link(actor=user, due=due)}


class OpenEstateTicket(HokweMutation):
    """A tenant reports a problem on their lease (leaseId), a manager on a property (propertyId)."""

    class Arguments:
        title = graphene.String(required=True)
        description = graphene.String()
        lease_id = graphene.UUID()
        property_id = graphene.UUID()
        priority = graphene.String()

    ticket = graphene.Field(EstateTicketType)

    @classmethod
    def perform(
        cls, info, user, *, title, description="", lease_id=None, property_id=None, priority="normal"
    ):
        lease = prop = None
        if lease_id:
            lease = or_none(selectors.tenant_lease_get)(user, lease_id) or selectors.lease_get(user, lease_id)
        elif property_id:
            prop = selectors.property_get(user, property_id)
        ticket = services.ticket_open(
            actor=user,
            title=title,
            description=description or "",
            lease=lease,
            property=prop,
            priority=priority or "normal",
        )
        return {"ticket": ticket}


class UpdateEstateTicket(HokweMutation):
    class Arguments:
        ticket_id = graphene.UUID(required=True)
        status = graphene.String()
        vendor_name = graphene.String()
        vendor_phone = graphene.String()
        cost = Amount()

    ticket = graphene.Field(EstateTicketType)

    @classmethod
    def perform(cls, info, user, *, ticket_id, **changes):
        ticket = selectors.ticket_get(user, ticket_id)
        changes = {k: v for k, v in changes.items() if v is not None}
        return {"ticket": services.ticket_update(actor=user, ticket=ticket, **changes)}


class SendEstateAnnouncement(HokweMutation):
    class Arguments:
        property_id = graphene.UUID(required=True)
        title = graphene.String(required=True)
        message = graphene.String(required=True)

    recipients = graphene.Int()

    @classmethod
    def perform(cls, info, user, *, property_id, title, message):
        prop = selectors.property_get(user, property_id)
        sent = services.announcement_send(actor=user, property=prop, title=title, message=message)
        return {"recipients": sent.recipients}


class CloseEstateStatement(HokweMutation):
    class Arguments:
        statement_id = graphene.UUID(required=True)

    statement = graphene.Field(EstateStatementType)

    @classmethod
    def perform(cls, info, user, *, statement_id):
        statement = selectors.statement_get(user, statement_id)
        if statement.organization_id not in selectors.managed_ids(user):
            raise NotFound()
        services.statement_close(actor=user, statement=statement)
        return {"statement": selectors.statement_get(user, statement_id)}


# --- added for REST parity (issue 14): property/unit edits, mandates, notice, deposit, write-off --------


def _once(user, *, operation: str, key: str | None, arguments: dict, run) -> str:
    """Run `run()` (returning the public id of what it wrote) once per idempotency key of
    this user, with core's idempotency records: a retry with the same key and arguments gets
    the first result back; the same key with other arguments is refused (409). Without a
    key, `run()` simply runs. A refused operation stores nothing: the key can be used again."""
    if not key:
        return str(run())
    _status, body, _replayed = run_idempotent(
        scope=f"graphql:user:{user.pk}",
        key=key,
        fingerprint=fingerprint_of(operation, arguments),
        operation=lambda: (200, str(run())),
    )
    return body


class UpdateEstateProperty(HokweMutation):
    """Edit a property (the fields given; latitude and longitude null together remove the
    GPS point). Same service and checks as REST PATCH /estate/properties/{id}."""

    class Arguments:
        property_id = graphene.UUID(required=True)
        name = graphene.String()
        city = graphene.String()
        address = graphene.String()
        neighbourhood = graphene.String()
        latitude = graphene.Float()
        longitude = graphene.Float()
        description = graphene.String()
        is_active = graphene.Boolean()

    property = graphene.Field(EstatePropertyType)

    NULLABLE = frozenset({"latitude", "longitude"})

    @classmethod
    def perform(cls, info, user, *, property_id, **changes):
        prop = selectors.property_get(user, property_id)
        changes = {k: v for k, v in changes.items() if v is not None or k in cls.NULLABLE}
        services.property_update(actor=user, property=prop, **changes)
        return {"property": selectors.property_get(user, property_id)}


class UpdateEstateUnit(HokweMutation):
    """Edit a unit (the fields given; surfaceM2 may be null). Same service and checks as
    REST PATCH /estate/units/{id}."""

    class Arguments:
        unit_id = graphene.UUID(required=True)
        label = graphene.String()
        kind = graphene.String()
        market_rent = Amount()
        surface_m2 = graphene.Int()
        rooms = graphene.Int()
        furnished = graphene.Boolean()
        water_meter = graphene.String()
        electricity_meter = graphene.String()
        status = graphene.String(description="vacant | occupied | under_works")

    unit = graphene.Field(EstateUnitType)

    NULLABLE = frozenset({"surface_m2"})

    @classmethod
    def perform(cls, info, user, *, unit_id, **changes):
        unit = selectors.unit_get(user, unit_id)
        changes = {k: v for k, v in changes.items() if v is not None or k in cls.NULLABLE}
        services.unit_update(actor=user, unit=unit, **changes)
        return {"unit": selectors.unit_get(user, unit_id)}


class CreateEstateMandate(HokweMutation):
    """The agency (one of my organizations) manages an owner's properties for a commission.
    The owner must have invited me into its organization first."""

    class Arguments:
        agency_id = graphene.UUID(required=True)
        owner_id = graphene.UUID(required=True)
        commission_bps = graphene.Int(required=True, description="1000 = 10 % of the rent collected")
        start_date = graphene.Date(required=True)
        end_date = graphene.Date()
        payout_frequency = graphene.String(description="monthly | quarterly (default monthly)")

    mandate = graphene.Field(EstateMandateType)

    @classmethod
    def perform(
        cls,
        info,
        user,
        *,
        agency_id,
        owner_id,
        commission_bps,
        start_date,
        end_date=None,
        payout_frequency=None,
    ):
        membership = next(
            (m for m in identity.memberships_of(user) if m.organization_public_id == agency_id), None
        )
        if membership is None:
            raise NotFound(field="agencyId")
        mandate = services.mandate_create(
            actor=user,
            agency_id=membership.organization_id,
            owner_id=identity.get_organization(owner_id).id,
            commission_bps=commission_bps,
            start_date=start_date,
            end_date=end_date,
            payout_frequency=payout_frequency or "monthly",
        )
        return {"mandate": selectors.mandates_for(user).get(pk=mandate.pk)}


class GiveEstateLeaseNotice(HokweMutation):
    """Notice (congé) by the tenant or the landlord: the planned end is set (not already
    past), the lease stays active until the move-out (estateEndLease)."""

    class Arguments:
        lease_id = graphene.UUID(required=True)
        given_on = graphene.Date(required=True)
        end_date = graphene.Date(required=True)
        by = graphene.String(description="tenant | landlord (default tenant)")

    lease = graphene.Field(EstateLeaseType)

    @classmethod
    def perform(cls, info, user, *, lease_id, given_on, end_date, by=None):
        lease = selectors.lease_get(user, lease_id)
        services.lease_give_notice(
            actor=user, lease=lease, given_on=given_on, end_date=end_date, by=by or "tenant"
        )
        return {"lease": selectors.lease_get(user, lease_id)}


class SettleEstateDeposit(HokweMutation):
    """Move-out: the deductions listed (unpaid rent goes to the dues, damage to the owner),
    the rest refunded to the tenant through payments (stepUpToken: identity's step-up OTP),
    or recorded as refunded outside for a deposit received outside Hokwe. Send an
    idempotencyKey: a retry returns the first settlement."""

    class Arguments:
        lease_id = graphene.UUID(required=True)
        deductions = graphene.List(graphene.NonNull(EstateDeductionInput))
        step_up_token = graphene.String()
        idempotency_key = graphene.String()

    settlement = graphene.Field(EstateDepositSettlementType)

    @classmethod
    def perform(cls, info, user, *, lease_id, deductions=None, step_up_token=None, idempotency_key=None):
        lease = selectors.lease_get(user, lease_id)
        items = [{"label": d.label, "amount": d.amount, "kind": d.kind or "other"} for d in deductions or []]

        def settle():
            return services.deposit_settle(
                actor=user, lease=lease, deductions=items, step_up_token=step_up_token or None
            ).public_id

        settlement_id = _once(
            user,
            operation="estateSettleDeposit",
            key=idempotency_key,
            arguments={"lease": str(lease_id), "deductions": items},
            run=settle,
        )
        return {
            "settlement": DepositSettlement.objects.select_related("lease").get(
                public_id=settlement_id, lease=lease
            )
        }


class WriteOffEstateDue(HokweMutation):
    """Give up what is still owed on an open due (its accrual reversed on the ledger). Send
    an idempotencyKey: a retry returns the due instead of a refusal."""

    class Arguments:
        due_id = graphene.UUID(required=True)
        reason = graphene.String()
        idempotency_key = graphene.String()

    due = graphene.Field(EstateDueType)

    @classmethod
    def perform(cls, info, user, *, due_id, reason="", idempotency_key=None):
        due = selectors.due_get(user, due_id)

        def write_off():
            return services.due_write_off(actor=user, due=due, reason=reason or "").public_id

        _once(
            user,
            operation="estateWriteOffDue",
            key=idempotency_key,
            arguments={"due": str(due_id), "reason": reason or ""},
            run=write_off,
        )
        return {"due": selectors.due_get(user, due_id)}


class PrepareEstateStatement(HokweMutation):
    """Store the owner statement of a month as a draft with its figures as of now (reading
    `estateStatement` writes nothing); its id is the one estateCloseStatement takes."""

    class Arguments:
        owner_id = graphene.UUID(required=True)
        period = graphene.Date(required=True, description="Any day of the month")
        organization_id = graphene.UUID(description="The managing organization, if several")

    statement = graphene.Field(EstateStatementType)

    @classmethod
    def perform(cls, info, user, *, owner_id, period, organization_id=None):
        org_pk, owner_pk = selectors.statement_scope(user, owner_id=owner_id, organization_id=organization_id)
        statement = services.statement_get_or_refresh(
            actor=user, organization_id=org_pk, owner_id=owner_pk, period=period
        )
        return {"statement": selectors.statement_get(user, statement.public_id)}


class PayEstateMyLease(HokweMutation):
    """The tenant pays their lease, with the pay link's rules: choice `balance` (all it
    owes), `part` (`amount`, from the lease's floor up to the balance) or `ahead` (the
    balance and the next month). Answers the payment intent: open its payUrl. Errors:
    part_below_floor, amount_above_balance, nothing_due; another's lease: not_found. Send
    an idempotencyKey: a retry returns the same intent."""

    class Arguments:
        lease_id = graphene.UUID(required=True)
        choice = graphene.String(required=True, description="balance | part | ahead")
        amount = Amount(description="For part only")
        idempotency_key = graphene.String()

    intent = graphene.Field(EstatePayIntentType)

    @classmethod
    def perform(cls, info, user, *, lease_id, choice, amount=None, idempotency_key=None):
        from apps.payments import api as payments

        from ..errors import InvalidInput
        from ..services.collections import PAY_CHOICES, lease_pay_intent

        lease = selectors.tenant_lease_get(user, lease_id)
        if choice not in PAY_CHOICES:
            raise InvalidInput(field="choice")
        intent_id = _once(
            user,
            operation="estatePayMyLease",
            key=idempotency_key,
            arguments={"lease": str(lease_id), "choice": choice, "amount": amount},
            run=lambda: lease_pay_intent(lease=lease, choice=choice, amount=amount).public_id,
        )
        return {"intent": payments.get_intent(intent_id)}


class UpdateEstateSettings(HokweMutation):
    """Change the organization's rule for the first month of a lease starting after the 1st."""

    class Arguments:
        organization_id = graphene.UUID()
        first_period_rule = graphene.String(required=True)

    settings = graphene.Field(EstateSettingsType)

    @classmethod
    def perform(cls, info, user, *, first_period_rule, organization_id=None):
        found = settings_update(
            actor=user,
            organization_id=settings_organization(user, organization_id),
            first_period_rule=first_period_rule,
        )
        return {"settings": found}


class EstateMutations(graphene.ObjectType):
    estate_create_property = CreateEstateProperty.Field()
    estate_create_unit = CreateEstateUnit.Field()
    estate_create_lease = CreateEstateLease.Field()
    estate_change_lease_terms = ChangeEstateLeaseTerms.Field()
    estate_end_lease = EndEstateLease.Field()
    estate_record_payment = RecordEstatePayment.Field()
    estate_adjust_due = AdjustEstateDue.Field()
    estate_request_pay_link = RequestEstatePayLink.Field()
    estate_open_ticket = OpenEstateTicket.Field()
    estate_update_ticket = UpdateEstateTicket.Field()
    estate_send_announcement = SendEstateAnnouncement.Field()
    estate_close_statement = CloseEstateStatement.Field()
    estate_prepare_statement = PrepareEstateStatement.Field()
    estate_update_property = UpdateEstateProperty.Field()
    estate_update_unit = UpdateEstateUnit.Field()
    estate_create_mandate = CreateEstateMandate.Field()
    estate_give_lease_notice = GiveEstateLeaseNotice.Field()
    estate_settle_deposit = SettleEstateDeposit.Field()
    estate_write_off_due = WriteOffEstateDue.Field()
    estate_update_settings = UpdateEstateSettings.Field()
    estate_pay_my_lease = PayEstateMyLease.Field()

    # deprecated aliases: the former names
    create_estate_property = CreateEstateProperty.Field(deprecation_reason="Use estateCreateProperty.")
    create_estate_unit = CreateEstateUnit.Field(deprecation_reason="Use estateCreateUnit.")
    create_estate_lease = CreateEstateLease.Field(deprecation_reason="Use estateCreateLease.")
    change_estate_lease_terms = ChangeEstateLeaseTerms.Field(deprecation_reason="Use estateChangeLeaseTerms.")
    end_estate_lease = EndEstateLease.Field(deprecation_reason="Use estateEndLease.")
    record_estate_payment = RecordEstatePayment.Field(deprecation_reason="Use estateRecordPayment.")
    adjust_estate_due = AdjustEstateDue.Field(deprecation_reason="Use estateAdjustDue.")
    request_estate_pay_link = RequestEstatePayLink.Field(deprecation_reason="Use estateRequestPayLink.")
    open_estate_ticket = OpenEstateTicket.Field(deprecation_reason="Use estateOpenTicket.")
    update_estate_ticket = UpdateEstateTicket.Field(deprecation_reason="Use estateUpdateTicket.")
    send_estate_announcement = SendEstateAnnouncement.Field(deprecation_reason="Use estateSendAnnouncement.")
    close_estate_statement = CloseEstateStatement.Field(deprecation_reason="Use estateCloseStatement.")
