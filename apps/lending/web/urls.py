"""Lending's manager pages, mounted under /manager/lending/ (namespace manager:). Each part
appends its own block of routes (views in web/<part>*.py)."""

from django.urls import path

urlpatterns: list = []


# --- landlord advances: « Avance sur loyers » for the owners of an owner organization ---
from . import advance as _advance  # noqa: E402

urlpatterns += [
    path("advances/", _advance.home, name="lending-advances"),
    path("advances/<uuid:organization>/<uuid:product_id>/", _advance.apply, name="lending-advance-apply"),
    path("advances/<uuid:loan_id>", _advance.detail, name="lending-advance"),
    path("advances/<uuid:loan_id>/accept", _advance.accept, name="lending-advance-accept"),
    path("advances/<uuid:loan_id>/withdraw", _advance.withdraw, name="lending-advance-withdraw"),
]
