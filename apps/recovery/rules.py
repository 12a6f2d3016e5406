"""Who may do what in recovery (identity's one policy; docs/recovery.md has the table).

Managers (owner, manager roles) run the recovery of their organization; accountants and
viewers read it; a collector sees and works only the cases assigned to them."""

from apps.identity import api as identity
from apps.identity.contracts import OrgRole

READ_ALL_ROLES = frozenset({OrgRole.OWNER, OrgRole.MANAGER, OrgRole.ACCOUNTANT, OrgRole.VIEWER})


def _org(obj):
    return getattr(obj, "organization_id", None) or obj


@identity.predicate
def is_assigned_collector(actor, obj) -> bool:
    collector_id = getattr(obj, "collector_id", None)
    if collector_id is None and hasattr(obj, "case"):
        collector_id = obj.case.collector_id
    org_id = getattr(obj, "organization_id", None) or getattr(
        getattr(obj, "case", None), "organization_id", None
    )
    return (
        collector_id is not None
        and collector_id == actor.pk
        and identity.org_roles(actor).get(org_id) == OrgRole.COLLECTOR
    )


def _case_org(obj):
    if hasattr(obj, "case"):
        return obj.case.organization_id
    return _org(obj)


MANAGE = identity.has_org_role(*identity.MANAGE_ROLES, org=_case_org)

RULES = {
    "recovery.case.view": identity.has_org_role(*READ_ALL_ROLES, org=_case_org) | is_assigned_collector,
    "recovery.case.manage": MANAGE,
    # visits, calls, cash and promises taken in the field: managers, or the assigned collector
    "recovery.case.work": MANAGE | is_assigned_collector,
    "recovery.ladder.manage": identity.has_org_role(*identity.MANAGE_ROLES, org=_org),
    "recovery.handover.confirm": identity.has_org_role(*identity.FINANCE_ROLES, org=_org),
    "recovery.report.view": identity.has_org_role(*READ_ALL_ROLES, org=_org),
    # back-office
    "recovery.admin.view": identity.ANY_STAFF,
    "recovery.admin.change": identity.has_staff_role(identity.StaffRole.SUPPORT),
}


def register() -> None:
    for permission, rule in RULES.items():
        identity.register_rule(permission, rule)
