"""Who may do what in cms (identity's one policy)."""

from apps.identity import api as identity

RULES: dict = {}


def register() -> None:
    for permission, rule in RULES.items():
        identity.register_rule(permission, rule)


# --- sites ---


# --- help ---


# --- news ---
# support staff read the posts' announcements (who was reached, when) in the back-office; the
# posts themselves are edited in Wagtail (/cms/) by the content staff
RULES.update({"cms.news.view": identity.has_staff_role(identity.StaffRole.SUPPORT)})


# --- vault ---
