"""Market's pages outside /manager/, mounted at the site root (hokwe/urls.py): the public
market under /market/ (search, map, listing pages, sitemap), the booking web app under
/booking/, the seeker's and the provider's pages. Each part appends its block of routes
(views in web/<part>.py)."""

app_name = "market"

urlpatterns: list = []
