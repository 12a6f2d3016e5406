"""identity's REST/GraphQL parity (checked by tests/core/test_transport_parity.py)."""

BOTH = {
    "POST /api/v1/auth/register": "register",
    "POST /api/v1/auth/otp/request": "requestOtp",
    "POST /api/v1/auth/otp/verify": "verifyOtp",
    "POST /api/v1/auth/token/refresh": "refreshToken",
    "POST /api/v1/auth/logout": "logout",
    "POST /api/v1/auth/logout-all": "logoutAll",
    "POST /api/v1/auth/step-up": "startStepUp",
    "POST /api/v1/auth/step-up/verify": "verifyStepUp",
    "PATCH /api/v1/identity/me": "updateMe",
    "POST /api/v1/identity/me/close": "identityCloseAccount",
    "POST /api/v1/identity/organizations": "createOrganization",
    "PATCH /api/v1/identity/organizations/{org_id}": "updateOrganization",
    "POST /api/v1/identity/organizations/{org_id}/invitations": "inviteMember",
    "DELETE /api/v1/identity/organizations/{org_id}/invitations/{invitation_id}": "identityRevokeInvitation",
    "PATCH /api/v1/identity/organizations/{org_id}/members/{member_id}": "changeMemberRole",
    "DELETE /api/v1/identity/organizations/{org_id}/members/{member_id}": "removeMember",
    "POST /api/v1/identity/invitations/code": "requestInvitationCode",
    "POST /api/v1/identity/invitations/accept": "acceptInvitation",
    # second factor and phone number (issue 16)
    "POST /api/v1/identity/me/totp": "identityStartTotpEnrolment",
    "POST /api/v1/identity/me/totp/confirm": "identityConfirmTotpEnrolment",
    "POST /api/v1/identity/me/second-factors/{factor_id}/remove": "identityRemoveSecondFactor",
    "POST /api/v1/identity/me/recovery-codes": "identityCreateRecoveryCodes",
    "POST /api/v1/identity/me/passkeys/options": "identityStartPasskeyRegistration",
    "POST /api/v1/identity/me/passkeys": "identityRegisterPasskey",
    "POST /api/v1/identity/me/phone": "identityRequestPhoneChange",
    "POST /api/v1/identity/me/phone/confirm": "identityConfirmPhoneChange",
}

REST_ONLY: dict[str, str] = {}

GRAPHQL_ONLY: dict[str, str] = {}

MISSING: dict[str, tuple] = {}
