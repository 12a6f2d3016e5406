"""PUBLIC: frozen dataclasses and enums crossing the boundary (stdlib only)."""


# --- sites ---


# --- help ---


# --- news ---
# The audiences of a news post; an audience source answers for the last three ("everyone" is
# their union).
NEWS_AUDIENCES = ("everyone", "tenants", "landlords", "agencies")
NEWS_SOURCE_AUDIENCES = ("tenants", "landlords", "agencies")


# --- vault ---
