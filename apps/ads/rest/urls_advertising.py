"""REST of ads' advertising part (paths start with `ads/`)."""

urlpatterns: list = []
