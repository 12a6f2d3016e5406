"""RecoveryQueries: scoped like REST (the same selectors and services). What the caller may
not see is null or an empty list; a collector sees only the cases assigned to them."""

from __future__ import annotations

import graphene

from apps.core.errors import DomainError
from apps.core.graphql.mutations import clamp_first, current_user, or_none

from .. import selectors, services
from .types import (
    MAX_LIST,
    RecoveryAgingType,
    RecoveryCaseType,
    RecoveryDashboardType,
    RecoveryLadderType,
    RecoveryWorkItemType,
)


class RecoveryQueries(graphene.ObjectType):
    recovery_cases = graphene.List(
        graphene.NonNull(RecoveryCaseType),
        required=True,
        organization_id=graphene.UUID(),
        status=graphene.String(description="open | promised | plan | legal | closed | live"),
        collector_id=graphene.UUID(),
        property_id=graphene.UUID(),
        q=graphene.String(),
        kind=graphene.String(description="rent or loan"),
        without_next_action=graphene.Boolean(),
        first=graphene.Int(default_value=50),
    )
    recovery_case = graphene.Field(RecoveryCaseType, case_id=graphene.UUID(required=True))
    recovery_worklist = graphene.List(
        graphene.NonNull(RecoveryWorkItemType),
        required=True,
        latitude=graphene.Float(),
        longitude=graphene.Float(),
        description="The collector's cases for today, best first.",
    )
    recovery_aging = graphene.Field(
        RecoveryAgingType, organization_id=graphene.UUID(), by=graphene.String(default_value="property")
    )
    recovery_dashboard = graphene.Field(RecoveryDashboardType, organization_id=graphene.UUID())
    recovery_ladder = graphene.Field(RecoveryLadderType, organization_id=graphene.UUID())

    @staticmethod
    def resolve_recovery_cases(root, info, first=50, **filters):
        user = current_user(info)
        if user is None:
            return []

        @or_none
        def load():
            qs = selectors.cases_for(
                user,
                organization=filters.get("organization_id"),
                status=filters.get("status") or None,
                kind=filters.get("kind") or None,
                collector=filters.get("collector_id"),
                property=filters.get("property_id"),
                q=(filters.get("q") or "")[:100],
                without_next_action=bool(filters.get("without_next_action")),
            )
            return list(qs.order_by("-opened_on", "-id")[: clamp_first(first, maximum=MAX_LIST)])

        return load() or []

    @staticmethod
    @or_none
    def resolve_recovery_case(root, info, case_id):
        user = current_user(info)
        return selectors.case_for(user, case_id) if user else None

    @staticmethod
    def resolve_recovery_worklist(root, info, latitude=None, longitude=None):
        user = current_user(info)
        if user is None:
            return []
        try:
            return services.worklist(actor=user, latitude=latitude, longitude=longitude)
        except DomainError:  # a position out of range, or not a collector here
            return []

    @staticmethod
    @or_none
    def resolve_recovery_aging(root, info, organization_id=None, by="property"):
        user = current_user(info)
        if user is None:
            return None
        org_id = selectors.organization_for_report(user, organization_id)
        try:
            return services.aging(actor=user, organization_id=org_id, by=by)
        except DomainError:  # an unknown dimension
            return None

    @staticmethod
    @or_none
    def resolve_recovery_dashboard(root, info, organization_id=None):
        user = current_user(info)
        if user is None:
            return None
        org_id = selectors.organization_for_report(user, organization_id)
        return services.dashboard(actor=user, organization_id=org_id)

    @staticmethod
    @or_none
    def resolve_recovery_ladder(root, info, organization_id=None):
        user = current_user(info)
        if user is None:
            return None
        return selectors.ladder_for(user, selectors.organization_for_report(user, organization_id))
