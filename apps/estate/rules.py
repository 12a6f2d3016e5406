"""Who may do what in estate (identity's one policy; docs/estate.md has the table).

Objects carry `organization_id` (the managing organization: an agency, or an owner that
manages alone); the owner portal checks the owner organization; tenants are checked
against the lease's tenants."""

from apps.identity import api as identity


def _org(obj):
    return getattr(obj, "organization_id", None) or obj


def _lease_id(obj):
    if obj is None:
        return None
    if hasattr(obj, "lease_id"):
        return obj.lease_id
    return obj.pk


@identity.predicate
def is_tenant(actor, obj) -> bool:
    from .models import LeaseTenant

    lease_id = _lease_id(obj)
    return lease_id is not None and LeaseTenant.objects.filter(lease_id=lease_id, user_id=actor.pk).exists()


RULES = {
    "estate.portfolio.view": identity.has_org_role(*identity.READ_ROLES, org=_org),
    "estate.portfolio.manage": identity.has_org_role(*identity.MANAGE_ROLES, org=_org),
    "estate.payment.record": identity.has_org_role(
        *(identity.COLLECT_ROLES | identity.FINANCE_ROLES), org=_org
    ),
    "estate.finance.manage": identity.has_org_role(*identity.FINANCE_ROLES, org=_org),
    "estate.ticket.manage": identity.has_org_role(*identity.MANAGE_ROLES, org=_org),
    # the owner portal: members of the owner organization (obj: the owner organization)
    "estate.owner.view": identity.has_org_role(*identity.READ_ROLES, org=_org),
    # tenants: their own leases, dues, receipts and tickets
    "estate.tenant.view": is_tenant,
    # back-office
    "estate.admin.view": identity.ANY_STAFF,
    "estate.admin.change": identity.has_staff_role(identity.StaffRole.SUPPORT),
}


def register() -> None:
    for permission, rule in RULES.items():
        identity.register_rule(permission, rule)
