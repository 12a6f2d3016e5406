"""The investor's pages, mounted at the site root under /invest/ (nothing else uses that
prefix: the API's invest routes live under /api/v1/invest/)."""

from django.urls import path

from . import actions, views

app_name = "invest"

urlpatterns = [
    path("invest/", views.home, name="home"),
    path("invest/products/", views.products, name="products"),
    path("invest/products/<str:code>/", views.product, name="product"),
    path("invest/profile/", views.profile, name="profile"),
    path("invest/orders/<uuid:order_id>/", views.order, name="order"),
    path("invest/plans/", views.plans, name="plans"),
    # the writes (actions.py): each through a confirmation page
    path("invest/products/<str:code>/order", actions.order_new, name="order-new"),
    path("invest/orders/<uuid:order_id>/cancel", actions.order_cancel, name="order-cancel"),
    path("invest/plans/new", actions.plan_new, name="plan-new"),
    path("invest/plans/<uuid:plan_id>/status", actions.plan_status, name="plan-status"),
    path("invest/plans/<uuid:plan_id>/cancel", actions.plan_cancel, name="plan-cancel"),
]
