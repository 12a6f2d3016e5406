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
