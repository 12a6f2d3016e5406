"""EstateQueries: scoped like REST; what the caller may not see is null (or an empty list).

Root fields are named `estate<Thing>` (docs/api.md, "GraphQL naming"); the tenant app's
former names (myLeases, myDues, myReceipts, myTickets) remain as deprecated aliases."""

from __future__ import annotations

import graphene

from apps.core.graphql.mutations import MAX_PAGE, clamp_first, current_user, or_none
from apps.core.graphql.types import deprecated_alias

from .. import selectors
from .types import (
    EstateDashboardType,
    EstateDueType,
    EstateLeaseType,
    EstatePropertyType,
    EstateReceiptType,
    EstateSettingsType,
    EstateStatementType,
    EstateTicketType,
    EstateUnitType,
)


def _first_arg():
    return graphene.Int(default_value=50)


class EstateQueries(graphene.ObjectType):
    estate_settings = graphene.Field(
        EstateSettingsType,
        organization_id=graphene.UUID(description="Required when you belong to several organizations"),
    )
    estate_properties = graphene.List(graphene.NonNull(EstatePropertyType), required=True, first=_first_arg())
    estate_property = graphene.Field(EstatePropertyType, property_id=graphene.UUID(required=True))
    estate_units = graphene.List(
        graphene.NonNull(EstateUnitType), required=True, property_id=graphene.UUID(required=True)
    )
    estate_leases = graphene.List(
        graphene.NonNull(EstateLeaseType), required=True, status=graphene.String(), first=_first_arg()
    )
    estate_lease = graphene.Field(EstateLeaseType, lease_id=graphene.UUID(required=True))
    estate_dues = graphene.List(
        graphene.NonNull(EstateDueType),
        required=True,
        description="Dues of my organizations, filtered by estate's one due filter set "
        "(the same as REST GET /estate/dues and the dues page).",
        status=graphene.String(description="upcoming | due | partially_paid | paid | overdue | written_off"),
        period=graphene.Date(description="Any day of the month"),
        lease_id=graphene.UUID(),
        property_id=graphene.UUID(),
        q=graphene.String(description="Search in the reference, unit label and tenant names"),
        first=_first_arg(),
    )
    estate_due = graphene.Field(EstateDueType, due_id=graphene.UUID(required=True))
    estate_tickets = graphene.List(graphene.NonNull(EstateTicketType), required=True, first=_first_arg())
    estate_statement = graphene.Field(
        EstateStatementType, owner_id=graphene.UUID(required=True), period=graphene.Date(required=True)
    )
    estate_dashboard = graphene.Field(EstateDashboardType)
    estate_my_leases = graphene.List(
        graphene.NonNull(EstateLeaseType), required=True, description="My leases, as a tenant."
    )
    estate_my_dues = graphene.List(graphene.NonNull(EstateDueType), required=True, first=_first_arg())
    estate_my_due = graphene.Field(
        EstateDueType,
        due_id=graphene.UUID(required=True),
        description="One of my dues with its payUrl (null when not mine).",
    )
    estate_my_receipts = graphene.List(
        graphene.NonNull(EstateReceiptType),
        required=True,
        first=_first_arg(),
        description="My receipts of both kinds, newest first: quittances (Q…) and payment receipts (R…).",
    )
    estate_my_tickets = graphene.List(graphene.NonNull(EstateTicketType), required=True, first=_first_arg())

    @staticmethod
    def resolve_estate_properties(root, info, first=50):
        user = current_user(info)
        return list(selectors.properties_for(user).order_by("name")[: clamp_first(first)]) if user else []

    @staticmethod
    @or_none
    def resolve_estate_property(root, info, property_id):
        user = current_user(info)
        return selectors.property_get(user, property_id) if user else None

    @staticmethod
    def resolve_estate_units(root, info, property_id):
        prop = EstateQueries.resolve_estate_property(root, info, property_id)
        return list(prop.units.order_by("label")[:MAX_PAGE]) if prop else []

    @staticmethod
    def resolve_estate_leases(root, info, status=None, first=50):
        user = current_user(info)
        if user is None:
            return []
        qs = selectors.leases_for(user).prefetch_related("lease_tenants__user").order_by("-created_at")
        if status:
            qs = qs.filter(status=status)
        return list(qs[: clamp_first(first)])

    @staticmethod
    @or_none
    def resolve_estate_lease(root, info, lease_id):
        user = current_user(info)
        return selectors.lease_get(user, lease_id) if user else None

    @staticmethod
    def resolve_estate_dues(
        root, info, status=None, period=None, lease_id=None, property_id=None, q="", first=50
    ):
        user = current_user(info)
        if user is None:
            return []
        filters = selectors.DueFilter(status=status, period=period, lease=lease_id, property=property_id, q=q)
        return list(selectors.dues_filtered(user, filters)[: clamp_first(first)])

    @staticmethod
    @or_none
    def resolve_estate_due(root, info, due_id):
        user = current_user(info)
        return selectors.due_get(user, due_id) if user else None

    @staticmethod
    def resolve_estate_tickets(root, info, first=50):
        user = current_user(info)
        return list(selectors.tickets_for(user).order_by("-created_at")[: clamp_first(first)]) if user else []

    @staticmethod
    @or_none
    def resolve_estate_statement(root, info, owner_id, period):
        """Read: a draft's figures as of now, computed, never stored (estatePrepareStatement
        stores it)."""
        user = current_user(info)
        return selectors.statement_read(user, owner_id=owner_id, period=period) if user else None

    @staticmethod
    def resolve_estate_settings(root, info, organization_id=None):
        from ..services.leases import settings_get, settings_organization

        user = current_user(info)
        if user is None:
            return None
        return or_none(
            lambda: settings_get(actor=user, organization_id=settings_organization(user, organization_id))
        )()

    @staticmethod
    def resolve_estate_dashboard(root, info):
        user = current_user(info)
        if user is None or not selectors.managed_ids(user):
            return None
        return selectors.dashboard(user)

    @staticmethod
    def resolve_estate_my_leases(root, info):
        user = current_user(info)
        if user is None:
            return []
        return list(selectors.tenant_leases(user).prefetch_related("lease_tenants__user")[:MAX_PAGE])

    @staticmethod
    def resolve_estate_my_dues(root, info, first=50):
        user = current_user(info)
        return list(selectors.tenant_dues(user).order_by("-due_date")[: clamp_first(first)]) if user else []

    @staticmethod
    @or_none
    def resolve_estate_my_due(root, info, due_id):
        user = current_user(info)
        return selectors.tenant_due_get(user, due_id) if user else None

    @staticmethod
    def resolve_estate_my_receipts(root, info, first=50):
        user = current_user(info)
        if user is None:
            return []
        lines, _cursor = selectors.tenant_receipts(user, limit=clamp_first(first))
        return lines

    @staticmethod
    def resolve_estate_my_tickets(root, info, first=50):
        user = current_user(info)
        if user is None:
            return []
        return list(selectors.tenant_tickets(user).order_by("-created_at")[: clamp_first(first)])

    # Deprecated aliases (the tenant app's former names), same arguments and results.
    my_leases = deprecated_alias(estate_my_leases, use="estateMyLeases", resolver=resolve_estate_my_leases)
    my_dues = deprecated_alias(estate_my_dues, use="estateMyDues", resolver=resolve_estate_my_dues)
    my_receipts = deprecated_alias(
        estate_my_receipts, use="estateMyReceipts", resolver=resolve_estate_my_receipts
    )
    my_tickets = deprecated_alias(
        estate_my_tickets, use="estateMyTickets", resolver=resolve_estate_my_tickets
    )
