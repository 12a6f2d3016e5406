"""PUBLIC: what other modules (scoring, lending, analytics) may call in recovery.

    from apps.recovery import api as recovery
    recovery.cases_of_tenant(user_public_id) -> [CaseInfo]   (the tenant's recovery history)

Events (apps.recovery.events): CaseOpened, PromiseBroken, CaseClosed.
"""

from __future__ import annotations

from uuid import UUID

from .contracts import CaseInfo, CaseOutcome, CaseStatus
from .models import Case

__all__ = ["case_info", "cases_of_tenant", "tenant_recovery"]


def case_info(case: Case) -> CaseInfo:
    return CaseInfo(
        public_id=case.public_id,
        organization=case.organization.public_id,
        lease=case.lease,
        tenant=case.tenant.public_id if case.tenant_id else None,
        status=CaseStatus(case.status),
        outcome=CaseOutcome(case.outcome),
        amount_owed=case.amount_owed,
        recovered=case.recovered,
        currency=case.currency,
        opened_on=case.opened_on,
        oldest_due_date=case.oldest_due_date,
        broken_promises=case.broken_promises,
    )


def cases_of_tenant(user_public_id: UUID) -> list[CaseInfo]:
    rows = Case.objects.select_related("organization", "tenant").filter(tenant__public_id=user_public_id)
    return [case_info(c) for c in rows.order_by("-opened_on", "-id")]


# --- scoring (the rent score's features): recovery history counted, set-based ---


def tenant_recovery(user_ids):
    """{user public id: TenantRecovery}: cases opened, closed paid / settled / written off,
    still open, promises kept and broken, every organization. Two queries."""
    from .services.scoring_reads import tenant_recovery as counted

    return counted(user_ids)
