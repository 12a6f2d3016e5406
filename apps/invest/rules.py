"""Who may do what in invest (identity's one policy): any staff reads the admin; finance
(and staff admins) edit partners and products, repair orders, pay distributions, reconcile."""

from apps.identity import api as identity

RULES: dict = {
    "invest.admin.view": identity.ANY_STAFF,
    "invest.admin.manage": identity.has_staff_role(identity.StaffRole.FINANCE),
}


def register() -> None:
    for permission, rule in RULES.items():
        identity.register_rule(permission, rule)
