"""Mounted under /manager/kyc/ in the `manager:` namespace (hokwe/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.kyb_index, name="kyc_index"),
    path("organizations/<uuid:org_id>/", views.kyb_page, name="kyc_organization"),
]
