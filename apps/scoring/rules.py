"""Who may do what in scoring (identity's one policy; docs/scoring.md has the table).

Each part (score, screening, valuation, bureau) appends its own block of rules to RULES."""

from apps.identity import api as identity

RULES: dict = {
    # risk and compliance staff: models, disputes, the access log, bureau exports
    "scoring.admin.view": identity.ANY_STAFF,
}


def register() -> None:
    for permission, rule in RULES.items():
        identity.register_rule(permission, rule)


# --- tenant screening: managers of the unit's organization request, read and decide; the
# thresholds are the organization's (owners and managers) ---
RULES.update(
    {
        "scoring.screening.manage": identity.has_org_role(
            *identity.MANAGE_ROLES, org=lambda obj: getattr(obj, "organization_id", obj)
        ),
    }
)


# --- tenant side and bureau: staff decide disputes (support, compliance); compliance reads
# the bureau exports (staff admins always qualify) ---
RULES.update(
    {
        "scoring.dispute.decide": identity.has_staff_role(
            identity.StaffRole.SUPPORT, identity.StaffRole.COMPLIANCE
        ),
        "scoring.bureau.manage": identity.has_staff_role(identity.StaffRole.COMPLIANCE),
    }
)


# --- the scorecard: risk staff (compliance; staff admins always qualify) activate a version ---
RULES.update({"scoring.model.activate": identity.has_staff_role(identity.StaffRole.COMPLIANCE)})
