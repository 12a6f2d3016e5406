"""Mounted under /api/v1/ (paths start with `invest/`)."""

from django.urls import path

from . import urls_statements, webhooks
from . import views as v

urlpatterns: list = [
    path("invest/products", v.ProductListView.as_view(), name="invest-products"),
    path("invest/products/<str:product>", v.ProductDetailView.as_view(), name="invest-product"),
    path("invest/products/<str:product>/prices", v.ProductPricesView.as_view(), name="invest-product-prices"),
    path("invest/questionnaire", v.QuestionnaireView.as_view(), name="invest-questionnaire"),
    path("invest/profile", v.ProfileView.as_view(), name="invest-profile"),
    path("invest/orders", v.OrderListView.as_view(), name="invest-orders"),
    path("invest/orders/<uuid:order_id>", v.OrderDetailView.as_view(), name="invest-order"),
    path("invest/orders/<uuid:order_id>/cancel", v.OrderCancelView.as_view(), name="invest-order-cancel"),
    path("invest/portfolio", v.PortfolioView.as_view(), name="invest-portfolio"),
    path("invest/positions", v.PositionListView.as_view(), name="invest-positions"),
    path("invest/plans", v.PlanListView.as_view(), name="invest-plans"),
    path("invest/plans/<uuid:plan_id>", v.PlanDetailView.as_view(), name="invest-plan"),
    path("invest/plans/<uuid:plan_id>/pause", v.PlanPauseView.as_view(), name="invest-plan-pause"),
    path("invest/plans/<uuid:plan_id>/resume", v.PlanResumeView.as_view(), name="invest-plan-resume"),
    path("invest/plans/<uuid:plan_id>/cancel", v.PlanCancelView.as_view(), name="invest-plan-cancel"),
    path(
        "invest/callbacks/<slug:partner>",
        webhooks.PartnerCallbackView.as_view(),
        name="invest-partner-callback",
    ),
    # the investor's documents (statements, fiscal summary): their own file
    *urls_statements.urlpatterns,
]
