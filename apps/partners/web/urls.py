"""Partners' manager pages, mounted under /manager/partners/ (namespace manager:)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.developers, name="partners-developers"),
    path("keys/new", views.key_new, name="partners-key-new"),
    path("keys/<uuid:key_id>/<str:action>", views.key_action, name="partners-key-action"),
    path("endpoints/new", views.endpoint_new, name="partners-endpoint-new"),
    path("endpoints/<uuid:endpoint_id>/", views.endpoint_detail, name="partners-endpoint"),
    path("endpoints/<uuid:endpoint_id>/<str:action>", views.endpoint_action, name="partners-endpoint-action"),
    path("deliveries/<uuid:delivery_id>/replay", views.delivery_replay, name="partners-delivery-replay"),
]
