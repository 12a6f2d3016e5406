"""REST of ads' social part (paths start with `ads/`)."""

urlpatterns: list = []
