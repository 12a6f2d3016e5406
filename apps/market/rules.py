"""Who may do what in market (identity's one policy)."""

from apps.identity import api as identity

RULES: dict = {}


def register() -> None:
    for permission, rule in RULES.items():
        identity.register_rule(permission, rule)


# --- listings: support or compliance staff moderate listings (staff admins always qualify) ---
RULES.update(
    {
        "market.listing.moderate": identity.has_staff_role(
            identity.StaffRole.SUPPORT, identity.StaffRole.COMPLIANCE
        ),
    }
)


# --- visits: support staff read visit slots and bookings (a seeker calling about their visit) ---
RULES.update({"market.visit.view": identity.has_staff_role(identity.StaffRole.SUPPORT)})


# --- search: support staff read saved searches (a seeker asking why an alert came, or not) ---
RULES.update({"market.search.view": identity.has_staff_role(identity.StaffRole.SUPPORT)})


# --- local services: support and compliance staff suspend a provider (or lift it) ---
RULES.update(
    {
        "market.provider.moderate": identity.has_staff_role(
            identity.StaffRole.SUPPORT, identity.StaffRole.COMPLIANCE
        ),
    }
)
