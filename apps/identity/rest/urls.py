"""Mounted under /api/v1/ (hokwe/urls.py discovers it)."""

from django.urls import path

from . import views

urlpatterns = [
    path("auth/register", views.RegisterView.as_view(), name="identity-register"),
    path("auth/otp/request", views.OtpRequestView.as_view(), name="identity-otp-request"),
    path("auth/otp/verify", views.OtpVerifyView.as_view(), name="identity-otp-verify"),
    path("auth/token/refresh", views.RefreshView.as_view(), name="identity-token-refresh"),
    path("auth/logout", views.LogoutView.as_view(), name="identity-logout"),
    path("auth/logout-all", views.LogoutAllView.as_view(), name="identity-logout-all"),
    path("auth/step-up", views.StepUpStartView.as_view(), name="identity-step-up"),
    path("auth/step-up/verify", views.StepUpVerifyView.as_view(), name="identity-step-up-verify"),
    path("identity/me", views.MeView.as_view(), name="identity-me"),
    path("identity/me/close", views.CloseAccountView.as_view(), name="identity-me-close"),
    path("identity/organizations", views.OrganizationListView.as_view(), name="identity-organizations"),
    path(
        "identity/organizations/<uuid:org_id>",
        views.OrganizationDetailView.as_view(),
        name="identity-organization",
    ),
    path(
        "identity/organizations/<uuid:org_id>/members",
        views.MemberListView.as_view(),
        name="identity-members",
    ),
    path(
        "identity/organizations/<uuid:org_id>/members/<uuid:member_id>",
        views.MemberDetailView.as_view(),
        name="identity-member",
    ),
    path(
        "identity/organizations/<uuid:org_id>/invitations",
        views.InvitationListView.as_view(),
        name="identity-invitations",
    ),
    path(
        "identity/organizations/<uuid:org_id>/invitations/<uuid:invitation_id>",
        views.InvitationDetailView.as_view(),
        name="identity-invitation",
    ),
    path("identity/invitations/code", views.InvitationCodeView.as_view(), name="identity-invitation-code"),
    path(
        "identity/invitations/accept", views.InvitationAcceptView.as_view(), name="identity-invitation-accept"
    ),
    # second factor and phone number (issue 16)
    path("identity/me/security", views.SecurityView.as_view(), name="identity-security"),
    path("identity/me/totp", views.TotpStartView.as_view(), name="identity-totp-start"),
    path("identity/me/totp/confirm", views.TotpConfirmView.as_view(), name="identity-totp-confirm"),
    path("identity/me/passkeys/options", views.PasskeyOptionsView.as_view(), name="identity-passkey-options"),
    path("identity/me/passkeys", views.PasskeyRegisterView.as_view(), name="identity-passkeys"),
    path(
        "identity/me/second-factors/<str:factor_id>/remove",
        views.SecondFactorRemoveView.as_view(),
        name="identity-second-factor-remove",
    ),
    path("identity/me/recovery-codes", views.RecoveryCodesView.as_view(), name="identity-recovery-codes"),
    path("identity/me/phone", views.PhoneChangeRequestView.as_view(), name="identity-phone-change"),
    path(
        "identity/me/phone/confirm",
        views.PhoneChangeConfirmView.as_view(),
        name="identity-phone-change-confirm",
    ),
]
