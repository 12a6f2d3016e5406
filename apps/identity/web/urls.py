"""Mounted under /manager/identity/ in the `manager:` namespace (hokwe/urls.py)."""

from django.urls import path
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from . import password_reset, security, views
from .oidc import oidc_only

urlpatterns = [
    path("login/code/", views.login_code_request, name="identity_login_otp"),
    path("login/code/verify/", views.login_code_verify, name="identity_login_code"),
    path("password/reset/", password_reset.reset_request, name="identity_password_reset"),
    path("password/reset/code/", password_reset.reset_code, name="identity_password_reset_code"),
    path("password/reset/new/", password_reset.reset_new_password, name="identity_password_reset_new"),
    path(
        "oidc/authenticate/",
        oidc_only(OIDCAuthenticationRequestView.as_view()),
        name="oidc_authentication_init",
    ),
    path(
        "oidc/callback/",
        oidc_only(OIDCAuthenticationCallbackView.as_view()),
        name="oidc_authentication_callback",
    ),
    path("profile/", views.profile, name="identity_profile"),
    # « Sécurité »: second factor (issue 16)
    path("security/", security.security, name="identity_security"),
    path("security/totp/", security.totp_enrol, name="identity_security_totp"),
    path("security/passkeys/options/", security.passkey_options, name="identity_security_passkey_options"),
    path("security/passkeys/", security.passkey_register, name="identity_security_passkey"),
    path("security/recovery-codes/", security.recovery_codes, name="identity_security_recovery"),
    path("security/phone/", security.phone_change, name="identity_security_phone"),
    path("security/<str:factor_id>/remove/", security.factor_remove, name="identity_security_remove"),
    path("organizations/", views.organization_list, name="identity_organizations"),
    path(
        "organizations/<uuid:org_id>/settings/",
        views.organization_settings,
        name="identity_organization_settings",
    ),
    path(
        "organizations/<uuid:org_id>/members/",
        views.organization_members,
        name="identity_organization_members",
    ),
    path(
        "organizations/<uuid:org_id>/members/<uuid:member_id>/role/",
        views.member_role_start,
        name="identity_member_role",
    ),
    path(
        "organizations/<uuid:org_id>/members/<uuid:member_id>/role/confirm/",
        views.member_role_confirm,
        name="identity_member_role_confirm",
    ),
    path(
        "organizations/<uuid:org_id>/members/<uuid:member_id>/remove/",
        views.member_remove,
        name="identity_member_remove",
    ),
    path(
        "organizations/<uuid:org_id>/invitations/<uuid:invitation_id>/revoke/",
        views.invitation_revoke,
        name="identity_invitation_revoke",
    ),
    path("invitations/", views.invitation_start, name="identity_invitation_start"),
    path("invitations/<str:token>/", views.invitation_accept, name="identity_invitation_accept"),
]
