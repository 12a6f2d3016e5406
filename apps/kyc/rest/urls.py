"""Mounted under /api/v1/ (hokwe/urls.py discovers it)."""

from django.urls import path

from . import views, webhooks

urlpatterns = [
    path("kyc/me", views.MyKycView.as_view(), name="kyc-me"),
    path("kyc/limits", views.MyLimitsView.as_view(), name="kyc-limits"),
    path("kyc/submission", views.MySubmissionView.as_view(), name="kyc-submission"),
    path("kyc/submission/submit", views.MySubmissionSubmitView.as_view(), name="kyc-submit"),
    path("kyc/documents", views.MyDocumentsView.as_view(), name="kyc-documents"),
    path("kyc/documents/<uuid:document_id>", views.MyDocumentView.as_view(), name="kyc-document"),
    path("kyc/documents/<uuid:document_id>/link", views.DocumentLinkView.as_view(), name="kyc-document-link"),
    path("kyc/files/<str:token>", views.DocumentFileView.as_view(), name="kyc-file"),
    path("kyc/organizations/<uuid:org_id>", views.KybView.as_view(), name="kyc-kyb"),
    path(
        "kyc/organizations/<uuid:org_id>/directors",
        views.KybDirectorsView.as_view(),
        name="kyc-kyb-directors",
    ),
    path(
        "kyc/organizations/<uuid:org_id>/directors/<uuid:director_id>",
        views.KybDirectorView.as_view(),
        name="kyc-kyb-director",
    ),
    path(
        "kyc/organizations/<uuid:org_id>/documents",
        views.KybDocumentsView.as_view(),
        name="kyc-kyb-documents",
    ),
    path("kyc/organizations/<uuid:org_id>/submit", views.KybSubmitView.as_view(), name="kyc-kyb-submit"),
    path("kyc/callbacks/smile-id", webhooks.SmileIdCallbackView.as_view(), name="kyc-callback-smile-id"),
    path("kyc/callbacks/onfido", webhooks.OnfidoWebhookView.as_view(), name="kyc-callback-onfido"),
]
