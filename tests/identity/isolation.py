"""identity's part of the isolation suite (tests/isolation/cases.py merges it): the
module-prefixed GraphQL names (issue 14) get the same cases as the old names, which stay
as deprecated aliases and keep their own cases in cases.py; the mutations added for REST
parity (closing my account, revoking an invitation) get their own cases here."""

import dataclasses
import re

from tests.isolation import cases as base

RENAMED = {
    "query.organization": "identityOrganization",
    "mutation.register": "identityRegister",
    "mutation.requestOtp": "identityRequestOtp",
    "mutation.verifyOtp": "identityVerifyOtp",
    "mutation.refreshToken": "identityRefreshToken",
    "mutation.logout": "identityLogout",
    "mutation.logoutAll": "identityLogoutAll",
    "mutation.updateMe": "identityUpdateMe",
    "mutation.createOrganization": "identityCreateOrganization",
    "mutation.updateOrganization": "identityUpdateOrganization",
    "mutation.inviteMember": "identityInviteMember",
    "mutation.requestInvitationCode": "identityRequestInvitationCode",
    "mutation.acceptInvitation": "identityAcceptInvitation",
    "mutation.changeMemberRole": "identityChangeMemberRole",
    "mutation.removeMember": "identityRemoveMember",
    "mutation.startStepUp": "identityStartStepUp",
    "mutation.verifyStepUp": "identityVerifyStepUp",
}


def renamed_case(make, old: str, new: str):
    """The case written for the old field name, sent to the new one."""

    def case(world):
        found = make(world)
        return dataclasses.replace(
            found, query=re.sub(rf"(\{{\s*){old}\b", rf"\g<1>{new}", found.query, count=1)
        )

    return case


def renamed(table: dict[str, str]) -> tuple[dict, dict, dict]:
    """(GRAPHQL_CASES, PUBLIC_GRAPHQL, SELF_SCOPED_GRAPHQL) for the new names of `table`
    ({"mutation.oldName": "newName"}), from what cases.py says about the old ones."""
    cases, public, self_scoped = {}, {}, {}
    for key, new in table.items():
        kind, old = key.split(".", 1)
        new_key = f"{kind}.{new}"
        if key in base.GRAPHQL_CASES:
            cases[new_key] = renamed_case(base.GRAPHQL_CASES[key], old, new)
        if key in base.PUBLIC_GRAPHQL:
            public[new_key] = base.PUBLIC_GRAPHQL[key]
        if key in base.SELF_SCOPED_GRAPHQL:
            self_scoped[new_key] = base.SELF_SCOPED_GRAPHQL[key]
    return cases, public, self_scoped


GRAPHQL_CASES, PUBLIC_GRAPHQL, SELF_SCOPED_GRAPHQL = renamed(RENAMED)


def gql_revoke_invitation(world):
    """A's pending invitation, revoked by someone else: refused, and still pending."""
    return base._gql(
        "identityRevokeInvitation",
        {
            "organizationId": ("UUID!", str(world.ids["org_id"])),
            "invitationId": ("UUID!", str(world.ids["invitation_id"])),
        },
        "{ ok errors { code } invitation { id phone status } }",
    )


def gql_close_account(world):
    """Acts on the caller's own account only, and never without the caller's step-up proof."""
    return base._gql("identityCloseAccount", {"stepUpToken": ("String", "not-a-step-up-token")}, owned=False)


GRAPHQL_CASES["mutation.identityRevokeInvitation"] = gql_revoke_invitation
GRAPHQL_CASES["mutation.identityCloseAccount"] = gql_close_account


# « Mot de passe oublié ? » (apps/identity/web/password_reset.py): anonymous by nature, the
# same answer for every number; the code and new-password steps act on the session's own
# reset only.
PUBLIC_ROUTES = {
    "manager:identity_password_reset": "password reset by SMS code, the phone (page)",
    "manager:identity_password_reset_code": "password reset, the code of this session's reset (page)",
    "manager:identity_password_reset_new": "password reset, the new password once this session's code was right",
}


# --- second factor (issue 16): A's owner has an authenticator app and a pending one ----------


def second_factor_data(world):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    confirmed = TOTPDevice.objects.create(
        user=world.user_a, name="Téléphone de A (isolation)", confirmed=True
    )
    pending = TOTPDevice.objects.create(user=world.user_a, name="Tablette de A (isolation)", confirmed=False)
    world.provide("factor_id", f"totp:{confirmed.pk}", confirmed.name, confirmed.key)
    world.provide("totp_device_id", f"totp:{pending.pk}", pending.name, pending.key)
    return lambda: sorted(
        TOTPDevice.objects.filter(user=world.user_a).values_list("pk", "confirmed", "last_t")
    )


SEEDERS = [second_factor_data]


def gql_remove_second_factor(world):
    """A's authenticator app, removed by someone else: not found, still there."""
    return base._gql(
        "identityRemoveSecondFactor",
        {"factorId": ("String!", world.ids["factor_id"]), "stepUpToken": ("String", "not-a-step-up-token")},
    )


def gql_confirm_totp_enrolment(world):
    """A's pending enrolment, confirmed by someone else: not found, still pending."""
    return base._gql(
        "identityConfirmTotpEnrolment",
        {"deviceId": ("String!", world.ids["totp_device_id"]), "code": ("String!", "123456")},
    )


GRAPHQL_CASES["mutation.identityRemoveSecondFactor"] = gql_remove_second_factor
GRAPHQL_CASES["mutation.identityConfirmTotpEnrolment"] = gql_confirm_totp_enrolment
SELF_SCOPED_GRAPHQL.update(
    {
        "mutation.identityStartTotpEnrolment": "a new authenticator app of the caller's own",
        "mutation.identityCreateRecoveryCodes": "the caller's own recovery codes (strong step-up)",
        "mutation.identityStartPasskeyRegistration": "options for the caller's own new passkey",
    }
)


def gql_register_passkey(world):
    """Registers on the caller's own account only (no pending challenge of A's is reachable)."""
    return base._gql("identityRegisterPasskey", {"credential": ("JSONString!", '{"id": "x"}')}, owned=False)


def gql_request_phone_change(world):
    """A code to a new number for the caller's own account."""
    return base._gql("identityRequestPhoneChange", {"phone": ("String!", "+2290196777555")}, owned=False)


def gql_confirm_phone_change(world):
    """Changes the caller's own number, and only with the code sent for the caller."""
    return base._gql(
        "identityConfirmPhoneChange",
        {"phone": ("String!", "+2290196777555"), "code": ("String!", "123456")},
        owned=False,
    )


GRAPHQL_CASES["mutation.identityRegisterPasskey"] = gql_register_passkey
GRAPHQL_CASES["mutation.identityRequestPhoneChange"] = gql_request_phone_change
GRAPHQL_CASES["mutation.identityConfirmPhoneChange"] = gql_confirm_phone_change
