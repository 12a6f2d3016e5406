"""Market's manager pages, mounted under /manager/market/ (namespace manager:): listings of
the organization, the visit calendar, applicants, quote requests. Each part appends its own
block of routes (views in web/<part>.py)."""

urlpatterns: list = []
