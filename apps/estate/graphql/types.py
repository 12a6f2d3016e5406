"""Estate's GraphQL types (ObjectTypes and InputObjectTypes). Money fields are core's
`MoneyField` (the row's own currency); ids are public UUIDs."""

from __future__ import annotations

import graphene

from apps.core.graphql.types import Amount, MoneyField, UTCDateTime


def _public_id(obj, info):
    return obj.public_id


class EstateOrganizationRef(graphene.ObjectType):
    id = graphene.UUID(required=True)
    name = graphene.String(required=True)

    resolve_id = staticmethod(_public_id)


class EstateUnitType(graphene.ObjectType):
    id = graphene.UUID(required=True)
    label = graphene.String(required=True)
    kind = graphene.String(required=True)
    rooms = graphene.Int(required=True)
    surface_m2 = graphene.Int()
    furnished = graphene.Boolean(required=True)
    status = graphene.String(required=True)
    market_rent = MoneyField()

    resolve_id = staticmethod(_public_id)


class EstatePropertyType(graphene.ObjectType):
    id = graphene.UUID(required=True)
    name = graphene.String(required=True)
    address = graphene.String(required=True)
    neighbourhood = graphene.String(required=True)
    city = graphene.String(required=True)
    latitude = graphene.Float()
    longitude = graphene.Float()
    owner = graphene.Field(EstateOrganizationRef, required=True)
    organization = graphene.Field(EstateOrganizationRef, required=True)

    resolve_id = staticmethod(_public_id)

    @staticmethod
    def resolve_latitude(prop, info):
        return float(prop.latitude) if prop.latitude is not None else None

    @staticmethod
    def resolve_longitude(prop, info):
        return float(prop.longitude) if prop.longitude is not None else None


class EstateTenantType(graphene.ObjectType):
    id = graphene.UUID(required=True)
    full_name = graphene.String(required=True)
    phone = graphene.String()
    is_primary = graphene.Boolean(required=True)

    @staticmethod
    def resolve_id(lease_tenant, info):
        return lease_tenant.user.public_id

    @staticmethod
    def resolve_full_name(lease_tenant, info):
        return lease_tenant.user.full_name

    @staticmethod
    def resolve_phone(lease_tenant, info):
        return str(lease_tenant.user.phone or "")


class EstateLeaseType(graphene.ObjectType):
    id = graphene.UUID(required=True)
    reference = graphene.String(required=True)
    status = graphene.String(required=True)
    unit_label = graphene.String(required=True)
    property_name = graphene.String(required=True)
    start_date = graphene.Date(required=True)
    end_date = graphene.Date()
    rent = MoneyField()
    charges = MoneyField()
    deposit_held = MoneyField("deposit_paid")
    credit = MoneyField()
    due_day = graphene.Int(required=True)
    first_period_rule = graphene.String(required=True)
    tenants = graphene.List(graphene.NonNull(EstateTenantType), required=True)

    resolve_id = staticmethod(_public_id)

    @staticmethod
    def resolve_unit_label(lease, info):
        return lease.unit.label

    @staticmethod
    def resolve_property_name(lease, info):
        return lease.unit.property.name

    @staticmethod
    def resolve_tenants(lease, info):
        return list(lease.lease_tenants.all())


class EstateDueType(graphene.ObjectType):
    id = graphene.UUID(required=True)
    reference = graphene.String(required=True)
    kind = graphene.String(
        required=True,
        description="rent; opening (an imported lease's arrears); deposit, fee (the move-in invoice)",
    )
    lease_id = graphene.UUID(required=True)
    period = graphene.Date(required=True)
    due_date = graphene.Date(required=True)
    status = graphene.String(required=True)
    total = MoneyField()
    paid = MoneyField()
    outstanding = MoneyField()
    unit_label = graphene.String(required=True)
    property_name = graphene.String(required=True)
    pay_url = graphene.String(
        description="The due's pay link (/pay/rent/<token>, absolute); null when nothing is owed on it"
    )

    resolve_id = staticmethod(_public_id)

    @staticmethod
    def resolve_lease_id(due, info):
        return due.lease.public_id

    @staticmethod
    def resolve_pay_url(due, info):
        from django.urls import reverse

        from ..contracts import OPEN_DUE_STATUSES
        from ..documents import public_url

        if due.status not in OPEN_DUE_STATUSES or due.outstanding <= 0:
            return None
        return public_url(reverse("estate:pay-due", args=[due.pay_token]))

    @staticmethod
    def resolve_unit_label(due, info):
        return due.lease.unit.label

    @staticmethod
    def resolve_property_name(due, info):
        return due.lease.unit.property.name


class EstateReceiptType(graphene.ObjectType):
    """One of the tenant's receipts (selectors.TenantReceipt): a quittance (Q…, rent,
    deposit or fee) or the receipt of a payment through payments (R…)."""

    id = graphene.UUID(required=True, description="The quittance, or the payment intent")
    kind = graphene.String(required=True, description="quittance (Q…, /r/q/<code>) | payment (R…, /r/<code>)")
    number = graphene.String(required=True)
    code = graphene.String(required=True)
    due_id = graphene.UUID(description="The due it is for; null for a payment not made on one due")
    due_kind = graphene.String(description="rent, opening, deposit or fee; null without a due")
    period = graphene.Date(description="The due's month; null without a due")
    date = UTCDateTime(required=True, description="Issued (quittance) or paid (payment)")
    amount = MoneyField()
    voided = graphene.Boolean(required=True)
    verify_url = graphene.String(required=True)
    pdf_url = graphene.String(description="The PDF (with your token); null for a payment")

    resolve_id = staticmethod(_public_id)

    @staticmethod
    def resolve_due_id(line, info):
        return line.due_public_id

    @staticmethod
    def resolve_date(line, info):
        return line.issued_at

    @staticmethod
    def resolve_verify_url(line, info):
        from ..documents import verification_url

        return line.verify_url or verification_url(line.code)

    @staticmethod
    def resolve_pdf_url(line, info):
        from ..documents import public_url

        return public_url(line.pdf_path) if line.pdf_path else None


class EstatePayIntentType(graphene.ObjectType):
    """A payments intent to pay (the app opens `payUrl`)."""

    intent_id = graphene.UUID(required=True)
    status = graphene.String(required=True)
    amount = MoneyField()
    pay_url = graphene.String(required=True)
    provider = graphene.String(required=True, description="Empty until an attempt is started")
    method = graphene.String(required=True, description="Empty until an attempt is started")
    expires_at = UTCDateTime(required=True)
    choice = graphene.String(required=True, description="balance | part | ahead")

    @staticmethod
    def resolve_intent_id(intent, info):
        return intent.public_id

    @staticmethod
    def resolve_status(intent, info):
        return str(intent.status)

    @staticmethod
    def resolve_choice(intent, info):
        return (intent.metadata or {}).get("choice", "balance")


class EstateTicketType(graphene.ObjectType):
    id = graphene.UUID(required=True)
    title = graphene.String(required=True)
    description = graphene.String(required=True)
    status = graphene.String(required=True)
    priority = graphene.String(required=True)
    property_name = graphene.String(required=True)
    vendor_name = graphene.String(required=True)
    cost = Amount()

    resolve_id = staticmethod(_public_id)

    @staticmethod
    def resolve_property_name(t, info):
        return t.property.name


class EstateStatementType(graphene.ObjectType):
    id = graphene.UUID(description="Null for a draft read before it is prepared (estatePrepareStatement).")
    period = graphene.Date(required=True)
    status = graphene.String(required=True)
    owner = graphene.Field(EstateOrganizationRef, required=True)
    collected = MoneyField()
    commission = MoneyField()
    expenses = MoneyField()
    net = MoneyField()

    @staticmethod
    def resolve_id(statement, info):
        return statement.public_id if statement.pk is not None else None


class EstateDashboardType(graphene.ObjectType):
    """Read from `selectors.dashboard` (a dict, with the portfolio's currency)."""

    period = graphene.Date(required=True)
    currency = graphene.String(required=True)
    expected = MoneyField()
    collected = MoneyField()
    collection_rate = graphene.Int(required=True)
    occupancy = graphene.Int(required=True)
    units = graphene.Int(required=True)
    arrears = MoneyField()
    leases_ending_60_days = graphene.Int(required=True)
    open_tickets = graphene.Int(required=True)

    @staticmethod
    def resolve_collection_rate(d, info):
        return d["rate"]

    @staticmethod
    def resolve_leases_ending_60_days(d, info):
        return len(d["ending"])

    @staticmethod
    def resolve_open_tickets(d, info):
        return d["tickets_open"]


class EstatePayLinkType(graphene.ObjectType):
    """A payments intent for what is still owed."""

    intent_id = graphene.UUID(required=True)
    amount = MoneyField()
    pay_url = graphene.String(required=True)

    @staticmethod
    def resolve_intent_id(intent, info):
        return intent.public_id


class EstatePaymentType(graphene.ObjectType):
    id = graphene.UUID(required=True)
    amount = MoneyField()
    kept_as_credit = MoneyField("to_credit")
    receipt_number = graphene.String(required=True)

    resolve_id = staticmethod(_public_id)


class EstateMandateType(graphene.ObjectType):
    id = graphene.UUID(required=True)
    agency = graphene.Field(EstateOrganizationRef, required=True)
    owner = graphene.Field(EstateOrganizationRef, required=True)
    commission_bps = graphene.Int(required=True, description="1000 = 10 % of the rent collected")
    start_date = graphene.Date(required=True)
    end_date = graphene.Date()
    payout_frequency = graphene.String(required=True)

    resolve_id = staticmethod(_public_id)


class EstateDeductionType(graphene.ObjectType):
    label = graphene.String(required=True)
    amount = MoneyField(currency="currency")
    kind = graphene.String(required=True, description="rent | damage | other")


class EstateDepositSettlementType(graphene.ObjectType):
    id = graphene.UUID(required=True)
    held = MoneyField(currency="lease.currency")
    deducted = MoneyField(currency="lease.currency")
    refund = MoneyField(currency="lease.currency")
    deductions = graphene.List(graphene.NonNull(EstateDeductionType), required=True)
    refund_reference = graphene.String(
        required=True, description="payments' refund id, or 'offline' for a deposit received outside Hokwe"
    )

    resolve_id = staticmethod(_public_id)

    @staticmethod
    def resolve_deductions(settlement, info):
        currency = settlement.lease.currency
        return [{**item, "currency": currency} for item in settlement.deductions or []]


class EstateDeductionInput(graphene.InputObjectType):
    label = graphene.String(required=True)
    amount = Amount(required=True)
    kind = graphene.String(description="rent | damage | other (default other)")


class EstateTenantInput(graphene.InputObjectType):
    phone = graphene.String(required=True)
    full_name = graphene.String()


class EstateSettingsType(graphene.ObjectType):
    """An organization's estate settings."""

    organization_id = graphene.UUID(required=True)
    first_period_rule = graphene.String(
        required=True, description="prorata, full or next: the first month of a lease starting after the 1st"
    )

    @staticmethod
    def resolve_organization_id(found, info):
        from apps.identity import api as identity

        return identity.get_organization(id=found.organization_id).public_id
