"""Who may do what in analytics (identity's one policy)."""

from apps.identity import api as identity
from apps.identity.contracts import OrgRole

RULES: dict = {}

# --- reports and scheduled reports (docs/analytics.md, « Reports »): obj is the organization's id
# the office (owner, manager, accountant, viewer) reads the reports; collectors do not
REPORT_ROLES = (OrgRole.OWNER, OrgRole.MANAGER, OrgRole.ACCOUNTANT, OrgRole.VIEWER)
RULES["analytics.report.view"] = identity.has_org_role(*REPORT_ROLES)
# who subscribes the organization's members to a scheduled report
RULES["analytics.subscription.manage"] = identity.has_org_role(*identity.MANAGE_ROLES)
# back-office (the scheduled reports' subscriptions and deliveries)
RULES.setdefault("analytics.admin.view", identity.ANY_STAFF)
RULES.setdefault("analytics.admin.change", identity.has_staff_role(identity.StaffRole.SUPPORT))


def register() -> None:
    for permission, rule in RULES.items():
        identity.register_rule(permission, rule)
