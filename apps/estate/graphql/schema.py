"""GraphQL: EstateQueries / EstateMutations (merged into the root schema).

Scoped like REST: what the caller may not see is null (or an empty list). Mutations return
{ok, errors, …} with typed, translated errors (the same DomainErrors as REST and pages)."""

from __future__ import annotations

import graphene
from django.utils.translation import gettext as _

from apps.core.errors import DomainError, NotFound
from apps.core.graphql.types import FieldError, MoneyType, errors_from
from apps.core.money import Money
from apps.identity import api as identity

from .. import selectors, services

MAX_LIST = 200


def _user(info):
    user = getattr(info.context, "user", None)
    return user if getattr(user, "is_authenticated", False) else None


def _first(first) -> int:
    return max(1, min(first or 50, MAX_LIST))


def _unauthenticated():
    return [FieldError(field=None, code="not_authenticated", message=_("Log in first."))]


def _money(amount, currency="XOF"):
    return Money(int(amount or 0), currency)


class EstateOrganizationRef(graphene.ObjectType):
    id = graphene.UUID(required=True)
    name = graphene.String(required=True)


def _org_ref(org):
    return EstateOrganizationRef(id=org.public_id, name=org.name)


class EstateUnitType(graphene.ObjectType):
    id = graphene.UUID(required=True)
    label = graphene.String(required=True)
    kind = graphene.String(required=True)
    rooms = graphene.Int(required=True)
    surface_m2 = graphene.Int()
    furnished = graphene.Boolean(required=True)
    status = graphene.String(required=True)
    market_rent = graphene.Field(MoneyType, required=True)

    @staticmethod
    def resolve_id(unit, info):
        return unit.public_id

    @staticmethod
    def resolve_market_rent(unit, info):
        return _money(unit.market_rent, unit.currency)


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

    @staticmethod
    def resolve_id(prop, info):
        return prop.public_id

    @staticmethod
    def resolve_owner(prop, info):
        return _org_ref(prop.owner)

    @staticmethod
    def resolve_organization(prop, info):
        return _org_ref(prop.organization)

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


class EstateLeaseType(graphene.ObjectType):
    id = graphene.UUID(required=True)
    reference = graphene.String(required=True)
    status = graphene.String(required=True)
    unit_label = graphene.String(required=True)
    property_name = graphene.String(required=True)
    start_date = graphene.Date(required=True)
    end_date = graphene.Date()
    rent = graphene.Field(MoneyType, required=True)
    charges = graphene.Field(MoneyType, required=True)
    deposit_held = graphene.Field(MoneyType, required=True)
    credit = graphene.Field(MoneyType, required=True)
    due_day = graphene.Int(required=True)
    tenants = graphene.List(graphene.NonNull(EstateTenantType), required=True)

    @staticmethod
    def resolve_id(lease, info):
        return lease.public_id

    @staticmethod
    def resolve_unit_label(lease, info):
        return lease.unit.label

    @staticmethod
    def resolve_property_name(lease, info):
        return lease.unit.property.name

    @staticmethod
    def resolve_rent(lease, info):
        return _money(lease.rent, lease.currency)

    @staticmethod
    def resolve_charges(lease, info):
        return _money(lease.charges, lease.currency)

    @staticmethod
    def resolve_deposit_held(lease, info):
        return _money(lease.deposit_paid, lease.currency)

    @staticmethod
    def resolve_credit(lease, info):
        return _money(lease.credit, lease.currency)

    @staticmethod
    def resolve_tenants(lease, info):
        return [
            EstateTenantType(
                id=t.user.public_id,
                full_name=t.user.full_name,
                phone=str(t.user.phone or ""),
                is_primary=t.is_primary,
            )
            for t in lease.lease_tenants.all()
        ]


class EstateDueType(graphene.ObjectType):
    id = graphene.UUID(required=True)
    reference = graphene.String(required=True)
    lease_id = graphene.UUID(required=True)
    period = graphene.Date(required=True)
    due_date = graphene.Date(required=True)
    status = graphene.String(required=True)
    total = graphene.Field(MoneyType, required=True)
    paid = graphene.Field(MoneyType, required=True)
    outstanding = graphene.Field(MoneyType, required=True)
    unit_label = graphene.String(required=True)
    property_name = graphene.String(required=True)

    @staticmethod
    def resolve_id(due, info):
        return due.public_id

    @staticmethod
    def resolve_lease_id(due, info):
        return due.lease.public_id

    @staticmethod
    def resolve_total(due, info):
        return _money(due.total, due.currency)

    @staticmethod
    def resolve_paid(due, info):
        return _money(due.paid, due.currency)

    @staticmethod
    def resolve_outstanding(due, info):
        return _money(due.outstanding, due.currency)

    @staticmethod
    def resolve_unit_label(due, info):
        return due.lease.unit.label

    @staticmethod
    def resolve_property_name(due, info):
        return due.lease.unit.property.name


class EstateReceiptType(graphene.ObjectType):
    id = graphene.UUID(required=True)
    number = graphene.String(required=True)
    code = graphene.String(required=True)
    period = graphene.Date(required=True)
    amount = graphene.Field(MoneyType, required=True)
    voided = graphene.Boolean(required=True)
    verify_url = graphene.String(required=True)

    @staticmethod
    def resolve_id(q, info):
        return q.public_id

    @staticmethod
    def resolve_period(q, info):
        return q.due.period

    @staticmethod
    def resolve_amount(q, info):
        return _money(q.snapshot["total"], q.snapshot["currency"])

    @staticmethod
    def resolve_voided(q, info):
        return q.voided_at is not None

    @staticmethod
    def resolve_verify_url(q, info):
        from ..documents import verification_url

        return verification_url(q.code)


class EstateTicketType(graphene.ObjectType):
    id = graphene.UUID(required=True)
    title = graphene.String(required=True)
    description = graphene.String(required=True)
    status = graphene.String(required=True)
    priority = graphene.String(required=True)
    property_name = graphene.String(required=True)
    vendor_name = graphene.String(required=True)
    cost = graphene.Int()

    @staticmethod
    def resolve_id(t, info):
        return t.public_id

    @staticmethod
    def resolve_property_name(t, info):
        return t.property.name


class EstateStatementType(graphene.ObjectType):
    id = graphene.UUID(required=True)
    period = graphene.Date(required=True)
    status = graphene.String(required=True)
    owner = graphene.Field(EstateOrganizationRef, required=True)
    collected = graphene.Field(MoneyType, required=True)
    commission = graphene.Field(MoneyType, required=True)
    expenses = graphene.Field(MoneyType, required=True)
    net = graphene.Field(MoneyType, required=True)

    @staticmethod
    def resolve_id(st, info):
        return st.public_id

    @staticmethod
    def resolve_owner(st, info):
        return _org_ref(st.owner)

    @staticmethod
    def resolve_collected(st, info):
        return _money(st.collected, st.currency)

    @staticmethod
    def resolve_commission(st, info):
        return _money(st.commission, st.currency)

    @staticmethod
    def resolve_expenses(st, info):
        return _money(st.expenses, st.currency)

    @staticmethod
    def resolve_net(st, info):
        return _money(st.net, st.currency)


class EstateDashboardType(graphene.ObjectType):
    period = graphene.Date(required=True)
    expected = graphene.Field(MoneyType, required=True)
    collected = graphene.Field(MoneyType, required=True)
    collection_rate = graphene.Int(required=True)
    occupancy = graphene.Int(required=True)
    units = graphene.Int(required=True)
    arrears = graphene.Field(MoneyType, required=True)
    leases_ending_60_days = graphene.Int(required=True)
    open_tickets = graphene.Int(required=True)


class EstatePayLinkType(graphene.ObjectType):
    intent_id = graphene.UUID(required=True)
    amount = graphene.Field(MoneyType, required=True)
    pay_url = graphene.String(required=True)


def _or_none(func):
    try:
        return func()
    except DomainError:
        return None


# --- queries ---------------------------------------------------------------------------------


class EstateQueries(graphene.ObjectType):
    estate_properties = graphene.List(
        graphene.NonNull(EstatePropertyType), required=True, first=graphene.Int(default_value=50)
    )
    estate_property = graphene.Field(EstatePropertyType, property_id=graphene.UUID(required=True))
    estate_units = graphene.List(
        graphene.NonNull(EstateUnitType), required=True, property_id=graphene.UUID(required=True)
    )
    estate_leases = graphene.List(
        graphene.NonNull(EstateLeaseType),
        required=True,
        status=graphene.String(),
        first=graphene.Int(default_value=50),
    )
    estate_lease = graphene.Field(EstateLeaseType, lease_id=graphene.UUID(required=True))
    estate_dues = graphene.List(
        graphene.NonNull(EstateDueType),
        required=True,
        status=graphene.String(),
        lease_id=graphene.UUID(),
        period=graphene.Date(),
        first=graphene.Int(default_value=50),
    )
    estate_due = graphene.Field(EstateDueType, due_id=graphene.UUID(required=True))
    estate_tickets = graphene.List(
        graphene.NonNull(EstateTicketType), required=True, first=graphene.Int(default_value=50)
    )
    estate_statement = graphene.Field(
        EstateStatementType, owner_id=graphene.UUID(required=True), period=graphene.Date(required=True)
    )
    estate_dashboard = graphene.Field(EstateDashboardType)
    my_leases = graphene.List(
        graphene.NonNull(EstateLeaseType), required=True, description="My leases, as a tenant."
    )
    my_dues = graphene.List(
        graphene.NonNull(EstateDueType), required=True, first=graphene.Int(default_value=50)
    )
    my_receipts = graphene.List(
        graphene.NonNull(EstateReceiptType), required=True, first=graphene.Int(default_value=50)
    )
    my_tickets = graphene.List(
        graphene.NonNull(EstateTicketType), required=True, first=graphene.Int(default_value=50)
    )

    @staticmethod
    def resolve_estate_properties(root, info, first=50):
        user = _user(info)
        return list(selectors.properties_for(user).order_by("name")[: _first(first)]) if user else []

    @staticmethod
    def resolve_estate_property(root, info, property_id):
        user = _user(info)
        return _or_none(lambda: selectors.property_get(user, property_id)) if user else None

    @staticmethod
    def resolve_estate_units(root, info, property_id):
        user = _user(info)
        prop = _or_none(lambda: selectors.property_get(user, property_id)) if user else None
        return list(prop.units.order_by("label")[:MAX_LIST]) if prop else []

    @staticmethod
    def resolve_estate_leases(root, info, status=None, first=50):
        user = _user(info)
        if user is None:
            return []
        qs = selectors.leases_for(user).prefetch_related("lease_tenants__user").order_by("-created_at")
        if status:
            qs = qs.filter(status=status)
        return list(qs[: _first(first)])

    @staticmethod
    def resolve_estate_lease(root, info, lease_id):
        user = _user(info)
        return _or_none(lambda: selectors.lease_get(user, lease_id)) if user else None

    @staticmethod
    def resolve_estate_dues(root, info, status=None, lease_id=None, period=None, first=50):
        user = _user(info)
        if user is None:
            return []
        qs = selectors.dues_for(user).order_by("-due_date", "-id")
        if status:
            qs = qs.filter(status=status)
        if lease_id:
            qs = qs.filter(lease__public_id=lease_id)
        if period:
            qs = qs.filter(period=period.replace(day=1))
        return list(qs[: _first(first)])

    @staticmethod
    def resolve_estate_due(root, info, due_id):
        user = _user(info)
        return _or_none(lambda: selectors.due_get(user, due_id)) if user else None

    @staticmethod
    def resolve_estate_tickets(root, info, first=50):
        user = _user(info)
        return list(selectors.tickets_for(user).order_by("-created_at")[: _first(first)]) if user else []

    @staticmethod
    def resolve_estate_statement(root, info, owner_id, period):
        user = _user(info)
        if user is None:
            return None
        pairs = (
            selectors.properties_for(user)
            .filter(owner__public_id=owner_id)
            .values_list("organization_id", "owner_id")
        )
        pair = pairs.first()
        if pair is None:
            return None
        statement = services.statement_get_or_refresh(
            actor=user, organization_id=pair[0], owner_id=pair[1], period=period
        )
        return selectors.statement_get(user, statement.public_id)

    @staticmethod
    def resolve_estate_dashboard(root, info):
        user = _user(info)
        if user is None or not selectors.managed_ids(user):
            return None
        d = selectors.dashboard(user)
        return EstateDashboardType(
            period=d["period"],
            expected=_money(d["expected"]),
            collected=_money(d["collected"]),
            collection_rate=d["rate"],
            occupancy=d["occupancy"],
            units=d["units"],
            arrears=_money(d["arrears"]),
            leases_ending_60_days=len(d["ending"]),
            open_tickets=d["tickets_open"],
        )

    @staticmethod
    def resolve_my_leases(root, info):
        user = _user(info)
        return (
            list(selectors.tenant_leases(user).prefetch_related("lease_tenants__user")[:MAX_LIST])
            if user
            else []
        )

    @staticmethod
    def resolve_my_dues(root, info, first=50):
        user = _user(info)
        return list(selectors.tenant_dues(user).order_by("-due_date")[: _first(first)]) if user else []

    @staticmethod
    def resolve_my_receipts(root, info, first=50):
        user = _user(info)
        return list(selectors.tenant_quittances(user).order_by("-issued_at")[: _first(first)]) if user else []

    @staticmethod
    def resolve_my_tickets(root, info, first=50):
        user = _user(info)
        return list(selectors.tenant_tickets(user).order_by("-created_at")[: _first(first)]) if user else []


# --- mutations -------------------------------------------------------------------------------


class _Payload:
    ok = graphene.Boolean(required=True)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)


def _run(payload_class, info, work, key: str):
    user = _user(info)
    if user is None:
        return payload_class(ok=False, errors=_unauthenticated())
    try:
        return payload_class(ok=True, errors=[], **{key: work(user)})
    except DomainError as exc:
        return payload_class(ok=False, errors=errors_from(exc))


class EstateTenantInput(graphene.InputObjectType):
    phone = graphene.String(required=True)
    full_name = graphene.String()


class CreateEstateProperty(_Payload, graphene.Mutation):
    class Arguments:
        organization_id = graphene.UUID(required=True)
        owner_id = graphene.UUID()
        name = graphene.String(required=True)
        city = graphene.String(required=True)
        address = graphene.String()
        neighbourhood = graphene.String()

    property = graphene.Field(EstatePropertyType)

    @staticmethod
    def mutate(root, info, organization_id, name, city, owner_id=None, address="", neighbourhood=""):
        def work(user):
            org = next(
                (m for m in identity.memberships_of(user) if m.organization_public_id == organization_id),
                None,
            )
            if org is None:
                raise NotFound(field="organizationId")
            owner = identity.get_organization(owner_id).id if owner_id else None
            prop = services.property_create(
                actor=user,
                organization_id=org.organization_id,
                owner_id=owner,
                name=name,
                city=city,
                address=address or "",
                neighbourhood=neighbourhood or "",
            )
            return selectors.property_get(user, prop.public_id)

        return _run(CreateEstateProperty, info, work, "property")


class CreateEstateUnit(_Payload, graphene.Mutation):
    class Arguments:
        property_id = graphene.UUID(required=True)
        label = graphene.String(required=True)
        kind = graphene.String(required=True)
        market_rent = graphene.Int()
        rooms = graphene.Int()

    unit = graphene.Field(EstateUnitType)

    @staticmethod
    def mutate(root, info, property_id, label, kind, market_rent=0, rooms=1):
        def work(user):
            prop = selectors.property_get(user, property_id)
            return services.unit_create(
                actor=user,
                property=prop,
                label=label,
                kind=kind,
                market_rent=market_rent or 0,
                rooms=rooms or 0,
            )

        return _run(CreateEstateUnit, info, work, "unit")


class CreateEstateLease(_Payload, graphene.Mutation):
    class Arguments:
        unit_id = graphene.UUID(required=True)
        tenants = graphene.List(graphene.NonNull(EstateTenantInput), required=True)
        start_date = graphene.Date(required=True)
        end_date = graphene.Date()
        rent = graphene.Int(required=True)
        charges = graphene.Int()
        deposit_months = graphene.Int()
        advance_months = graphene.Int()
        agency_fee = graphene.Int()
        due_day = graphene.Int()
        grace_days = graphene.Int()
        late_fee_policy = graphene.String()
        late_fee_value = graphene.Int()
        late_fee_cap = graphene.Int()

    lease = graphene.Field(EstateLeaseType)

    @staticmethod
    def mutate(root, info, unit_id, tenants, start_date, rent, **options):
        def work(user):
            unit = selectors.unit_get(user, unit_id)
            values = {k: v for k, v in options.items() if v is not None}
            lease = services.lease_create(
                actor=user,
                unit=unit,
                tenants=[services.TenantInput(phone=t.phone, full_name=t.full_name or "") for t in tenants],
                start_date=start_date,
                rent=rent,
                **values,
            )
            return selectors.lease_get(user, lease.public_id)

        return _run(CreateEstateLease, info, work, "lease")


class ChangeEstateLeaseTerms(_Payload, graphene.Mutation):
    class Arguments:
        lease_id = graphene.UUID(required=True)
        effective_from = graphene.Date(required=True)
        rent = graphene.Int(required=True)
        charges = graphene.Int()
        reason = graphene.String()

    lease = graphene.Field(EstateLeaseType)

    @staticmethod
    def mutate(root, info, lease_id, effective_from, rent, charges=None, reason=""):
        def work(user):
            lease = selectors.lease_get(user, lease_id)
            services.lease_change_terms(
                actor=user,
                lease=lease,
                effective_from=effective_from,
                rent=rent,
                charges=charges,
                reason=reason or "",
            )
            return selectors.lease_get(user, lease_id)

        return _run(ChangeEstateLeaseTerms, info, work, "lease")


class EndEstateLease(_Payload, graphene.Mutation):
    class Arguments:
        lease_id = graphene.UUID(required=True)
        end_date = graphene.Date(required=True)

    lease = graphene.Field(EstateLeaseType)

    @staticmethod
    def mutate(root, info, lease_id, end_date):
        def work(user):
            lease = selectors.lease_get(user, lease_id)
            services.lease_end(actor=user, lease=lease, end_date=end_date)
            return selectors.lease_get(user, lease_id)

        return _run(EndEstateLease, info, work, "lease")


class EstatePaymentType(graphene.ObjectType):
    id = graphene.UUID(required=True)
    amount = graphene.Field(MoneyType, required=True)
    kept_as_credit = graphene.Field(MoneyType, required=True)
    receipt_number = graphene.String(required=True)

    @staticmethod
    def resolve_id(p, info):
        return p.public_id

    @staticmethod
    def resolve_amount(p, info):
        return _money(p.amount, p.currency)

    @staticmethod
    def resolve_kept_as_credit(p, info):
        return _money(p.to_credit, p.currency)


class RecordEstatePayment(_Payload, graphene.Mutation):
    class Arguments:
        lease_id = graphene.UUID(required=True)
        amount = graphene.Int(required=True)
        method = graphene.String(required=True, description="cash | bank_transfer")
        received_on = graphene.Date()
        due_id = graphene.UUID()
        reference = graphene.String()
        idempotency_key = graphene.String()

    payment = graphene.Field(EstatePaymentType)

    @staticmethod
    def mutate(
        root,
        info,
        lease_id,
        amount,
        method,
        received_on=None,
        due_id=None,
        reference="",
        idempotency_key=None,
    ):
        def work(user):
            lease = selectors.lease_get(user, lease_id)
            due = None
            if due_id:
                due = lease.dues.filter(public_id=due_id).first()
                if due is None:
                    raise NotFound(field="dueId")
            return services.payment_record(
                actor=user,
                lease=lease,
                amount=amount,
                method=method,
                received_on=received_on,
                due=due,
                reference=reference or "",
                idempotency_key=f"graphql:{user.pk}:{idempotency_key}" if idempotency_key else None,
            )

        return _run(RecordEstatePayment, info, work, "payment")


class AdjustEstateDue(_Payload, graphene.Mutation):
    class Arguments:
        due_id = graphene.UUID(required=True)
        kind = graphene.String(required=True, description="discount | charge | late_fee")
        amount = graphene.Int(required=True)
        label = graphene.String()

    due = graphene.Field(EstateDueType)

    @staticmethod
    def mutate(root, info, due_id, kind, amount, label=""):
        def work(user):
            due = selectors.due_get(user, due_id)
            services.due_adjust(actor=user, due=due, kind=kind, amount=amount, label=label or "")
            return selectors.due_get(user, due_id)

        return _run(AdjustEstateDue, info, work, "due")


class RequestEstatePayLink(_Payload, graphene.Mutation):
    """The tenant app: a pay link for what is still owed on one of my dues."""

    class Arguments:
        due_id = graphene.UUID(required=True)

    pay_link = graphene.Field(EstatePayLinkType)

    @staticmethod
    def mutate(root, info, due_id):
        def work(user):
            due = _or_none(lambda: selectors.tenant_due_get(user, due_id)) or selectors.due_get(user, due_id)
            intent = services.due_pay_link(actor=user, due=due)
            return EstatePayLinkType(
                intent_id=intent.public_id,
                amount=_money(intent.amount, intent.currency),
                pay_url=intent.pay_url,
            )

        return _run(RequestEstatePayLink, info, work, "pay_link")


class OpenEstateTicket(_Payload, graphene.Mutation):
    """A tenant reports a problem on their lease (leaseId), a manager on a property (propertyId)."""

    class Arguments:
        title = graphene.String(required=True)
        description = graphene.String()
        lease_id = graphene.UUID()
        property_id = graphene.UUID()
        priority = graphene.String()

    ticket = graphene.Field(EstateTicketType)

    @staticmethod
    def mutate(root, info, title, description="", lease_id=None, property_id=None, priority="normal"):
        def work(user):
            lease = prop = None
            if lease_id:
                lease = _or_none(lambda: selectors.tenant_lease_get(user, lease_id)) or selectors.lease_get(
                    user, lease_id
                )
            elif property_id:
                prop = selectors.property_get(user, property_id)
            return services.ticket_open(
                actor=user,
                title=title,
                description=description or "",
                lease=lease,
                property=prop,
                priority=priority or "normal",
            )

        return _run(OpenEstateTicket, info, work, "ticket")


class UpdateEstateTicket(_Payload, graphene.Mutation):
    class Arguments:
        ticket_id = graphene.UUID(required=True)
        status = graphene.String()
        vendor_name = graphene.String()
        vendor_phone = graphene.String()
        cost = graphene.Int()

    ticket = graphene.Field(EstateTicketType)

    @staticmethod
    def mutate(root, info, ticket_id, **changes):
        def work(user):
            ticket = selectors.ticket_get(user, ticket_id)
            return services.ticket_update(
                actor=user, ticket=ticket, **{k: v for k, v in changes.items() if v is not None}
            )

        return _run(UpdateEstateTicket, info, work, "ticket")


class SendEstateAnnouncement(_Payload, graphene.Mutation):
    class Arguments:
        property_id = graphene.UUID(required=True)
        title = graphene.String(required=True)
        message = graphene.String(required=True)

    recipients = graphene.Int()

    @staticmethod
    def mutate(root, info, property_id, title, message):
        def work(user):
            prop = selectors.property_get(user, property_id)
            return services.announcement_send(
                actor=user, property=prop, title=title, message=message
            ).recipients

        return _run(SendEstateAnnouncement, info, work, "recipients")


class CloseEstateStatement(_Payload, graphene.Mutation):
    class Arguments:
        statement_id = graphene.UUID(required=True)

    statement = graphene.Field(EstateStatementType)

    @staticmethod
    def mutate(root, info, statement_id):
        def work(user):
            statement = selectors.statement_get(user, statement_id)
            if statement.organization_id not in selectors.managed_ids(user):
                raise NotFound()
            services.statement_close(actor=user, statement=statement)
            return selectors.statement_get(user, statement_id)

        return _run(CloseEstateStatement, info, work, "statement")


class EstateMutations(graphene.ObjectType):
    create_estate_property = CreateEstateProperty.Field()
    create_estate_unit = CreateEstateUnit.Field()
    create_estate_lease = CreateEstateLease.Field()
    change_estate_lease_terms = ChangeEstateLeaseTerms.Field()
    end_estate_lease = EndEstateLease.Field()
    record_estate_payment = RecordEstatePayment.Field()
    adjust_estate_due = AdjustEstateDue.Field()
    request_estate_pay_link = RequestEstatePayLink.Field()
    open_estate_ticket = OpenEstateTicket.Field()
    update_estate_ticket = UpdateEstateTicket.Field()
    send_estate_announcement = SendEstateAnnouncement.Field()
    close_estate_statement = CloseEstateStatement.Field()
