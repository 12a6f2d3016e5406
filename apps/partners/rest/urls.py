"""Mounted under /api/v1/ (hokwe/urls.py discovers it)."""

from django.urls import path

from . import views

urlpatterns = [
    path("partners/keys", views.KeyListView.as_view(), name="partners-keys"),
    path("partners/keys/<uuid:key_id>/rotate", views.KeyRotateView.as_view(), name="partners-key-rotate"),
    path("partners/keys/<uuid:key_id>/revoke", views.KeyRevokeView.as_view(), name="partners-key-revoke"),
    path("partners/endpoints", views.EndpointListView.as_view(), name="partners-endpoints"),
    path(
        "partners/endpoints/<uuid:endpoint_id>", views.EndpointDetailView.as_view(), name="partners-endpoint"
    ),
    path(
        "partners/endpoints/<uuid:endpoint_id>/rotate-secret",
        views.EndpointRotateView.as_view(),
        name="partners-endpoint-rotate",
    ),
    path(
        "partners/endpoints/<uuid:endpoint_id>/test",
        views.EndpointTestView.as_view(),
        name="partners-endpoint-test",
    ),
    path(
        "partners/endpoints/<uuid:endpoint_id>/deliveries",
        views.DeliveryListView.as_view(),
        name="partners-endpoint-deliveries",
    ),
    path(
        "partners/deliveries/<uuid:delivery_id>/replay",
        views.DeliveryReplayView.as_view(),
        name="partners-delivery-replay",
    ),
]
