"""Who may do what in cms (identity's one policy)."""

from apps.identity import api as identity

RULES: dict = {}


def register() -> None:
    for permission, rule in RULES.items():
        identity.register_rule(permission, rule)


# --- sites ---


# --- help ---
# support staff work the ticket queue (status, assignment, notes, replies); staff admins too
RULES.update({"cms.ticket.manage": identity.has_staff_role(identity.StaffRole.SUPPORT)})
# support staff edit the help centre's articles in the Django admin (the fallback of /cms/)
RULES.update({"cms.help.edit": identity.has_staff_role(identity.StaffRole.SUPPORT)})


# --- news ---
# support staff read the posts' announcements (who was reached, when) in the back-office; the
# posts themselves are edited in Wagtail (/cms/) by the content staff
RULES.update({"cms.news.view": identity.has_staff_role(identity.StaffRole.SUPPORT)})


# --- vault ---
# A vault is an organization's (its members read it; owners, managers and accountants file,
# share and delete) or a user's own (the user alone). The object is a document, a folder or
# services.vault.Owner: anything with organization_id and user_id.
RULES.update(
    {
        "cms.vault.view": identity.has_org_role(*identity.READ_ROLES, org=lambda o: o.organization_id)
        | identity.is_self(user_of=lambda o: o.user_id),
        "cms.vault.manage": identity.has_org_role(*identity.FINANCE_ROLES, org=lambda o: o.organization_id)
        | identity.is_self(user_of=lambda o: o.user_id),
    }
)
# support and compliance staff read the vault's access log and documents' metadata (admin)
RULES.update(
    {"cms.vault.audit": identity.has_staff_role(identity.StaffRole.SUPPORT, identity.StaffRole.COMPLIANCE)}
)
