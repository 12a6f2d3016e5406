"""Cms's manager pages, mounted under /manager/cms/ (namespace manager:): the organization's
vault (HokweDoc), the help centre from inside the manager. Each part appends its block."""

urlpatterns: list = []


# --- help ---


# --- vault ---
