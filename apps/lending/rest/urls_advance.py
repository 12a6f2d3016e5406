"""REST routes of landlord advances (under /api/v1/lending/advances…)."""

from django.urls import path

from . import views_advance as v

urlpatterns: list = [
    path("lending/advances", v.AdvanceListView.as_view(), name="lending-advances"),
    path(
        "lending/advances/organizations",
        v.AdvanceOrganizationListView.as_view(),
        name="lending-advance-organizations",
    ),
    path("lending/advances/products", v.AdvanceProductListView.as_view(), name="lending-advance-products"),
    path(
        "lending/advances/organizations/<uuid:organization>/products/<uuid:product_id>/eligibility",
        v.AdvanceEligibilityView.as_view(),
        name="lending-advance-eligibility",
    ),
    path(
        "lending/advances/organizations/<uuid:organization>/products/<uuid:product_id>/simulation",
        v.AdvanceSimulationView.as_view(),
        name="lending-advance-simulation",
    ),
    path("lending/advances/<uuid:loan_id>", v.AdvanceDetailView.as_view(), name="lending-advance"),
    path(
        "lending/advances/<uuid:loan_id>/accept", v.AdvanceAcceptView.as_view(), name="lending-advance-accept"
    ),
    path(
        "lending/advances/<uuid:loan_id>/withdraw",
        v.AdvanceWithdrawView.as_view(),
        name="lending-advance-withdraw",
    ),
]
