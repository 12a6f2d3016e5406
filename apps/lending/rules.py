"""Who may do what in lending (identity's one policy; docs/lending.md has the table).

Each part appends its own block of rules to RULES."""

from apps.identity import api as identity

RULES: dict = {
    # credit staff: products, manual review, restructuring, write-off, the portfolio reports
    "lending.admin.view": identity.ANY_STAFF,
}


def register() -> None:
    for permission, rule in RULES.items():
        identity.register_rule(permission, rule)


# --- the lifecycle: credit staff (finance or compliance; staff admins always qualify) decide
# the applications in manual review ---
RULES.update(
    {
        "lending.loan.review": identity.has_staff_role(
            identity.StaffRole.FINANCE, identity.StaffRole.COMPLIANCE
        ),
    }
)


# --- loan products: credit staff (finance or compliance) configure them ---
RULES.update(
    {
        "lending.product.change": identity.has_staff_role(
            identity.StaffRole.FINANCE, identity.StaffRole.COMPLIANCE
        ),
    }
)


# --- delinquency: credit staff restructure (finance or compliance), write off (finance) and
# read the portfolio reports (finance or compliance); staff admins always qualify ---
RULES.update(
    {
        "lending.loan.restructure": identity.has_staff_role(
            identity.StaffRole.FINANCE, identity.StaffRole.COMPLIANCE
        ),
        "lending.loan.write_off": identity.has_staff_role(identity.StaffRole.FINANCE),
        "lending.report.view": identity.has_staff_role(
            identity.StaffRole.FINANCE, identity.StaffRole.COMPLIANCE
        ),
    }
)
