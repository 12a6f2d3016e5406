"""REST of ads' creators part (paths start with `ads/`)."""

urlpatterns: list = []
