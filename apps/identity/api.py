"""PUBLIC: what other modules may call in identity.

Authorization (one policy for services, DRF, GraphQL, pages and admin):
    can(actor, "estate.lease.update", lease) -> bool
    require(actor, "estate.lease.update", lease, hide=False)      # Forbidden / NotFound
    register_rule("estate.lease.update",
                  has_org_role(*MANAGE_ROLES, org=lambda lease: lease.organization_id))
    drf_permission(name), resolver_permission(name), page_permission(name), PolicyAdminMixin

Organizations of a user (for scoping selectors):
    organization_ids_of(actor, roles=None) -> set[int]
    memberships_of(actor) -> list[MembershipInfo]
    get_organization(public_id) -> OrganizationInfo; get_user(...) -> UserInfo

Step-up OTP for sensitive operations (payouts, payout numbers, large transfers):
    step_up_start(actor=, action=, target=, amount=, currency=) -> StepUpChallenge
    step_up_verify(actor=, challenge_id=, code=) -> StepUpProof
    require_step_up(actor=, action=, target=, amount=, currency=, token=)  # StepUpRequired

Strong second factor for money actions (TOTP, passkey; never SMS) and the SIM-swap hold:
    register_strong_action("payments.payout.create", hold_after_sim_swap=True)
    # then step_up_start/require_step_up raise SecondFactorRequired (no factor enrolled) or
    # StrongActionHeld (.until) during the 72 h after a phone change or a new device
    set_security_notice_sender(sender)    # apps.notifications: SMS to the old number

Message delivery (apps.notifications registers real senders from its AppConfig.ready):
    set_otp_sender(sender: OtpSender), set_invitation_sender(sender: InvitationSender)

Audit: record_security_event(kind, actor=, subject=, organization=, data=)

Web login by SMS code for another module's pages (the tenant space):
    login_code_request(phone=, language=) -> int     # seconds before a new code may be asked
    session_login_with_code(request, phone=, code=) -> UserInfo   # opens the Django session
"""

from __future__ import annotations

import uuid

from apps.core.errors import NotFound

from .contracts import (
    ALL_ROLES,
    COLLECT_ROLES,
    FINANCE_ROLES,
    MANAGE_ROLES,
    READ_ROLES,
    MembershipInfo,
    OrganizationInfo,
    OrgRole,
    StaffRole,
    UserInfo,
)
from .errors import (
    AccountInactive,
    NotAuthenticated,
    OtpInvalid,
    OtpLocked,
    RetryLater,
    SecondFactorRequired,
    StepUpRequired,
    StrongActionHeld,
    TokenInvalid,
)
from .models import Organization, SecurityEvent, User
from .phones import InvalidPhone, normalize_phone
from .policy import (
    ANY_STAFF,
    PolicyAdminMixin,
    Rule,
    can,
    drf_permission,
    has_org_role,
    has_staff_role,
    is_authenticated,
    is_self,
    org_roles,
    page_permission,
    predicate,
    register_rule,
    registered_permissions,
    require,
    resolver_permission,
)
from .services import users as _users
from .services.audit import audit
from .services.delivery import set_invitation_sender, set_otp_sender, set_security_notice_sender
from .services.protection import register_strong_action
from .services.step_up import require_step_up, step_up_start, step_up_verify
from .services.tokens import tokens_logout_all

__all__ = [
    "ALL_ROLES",
    "ANY_STAFF",
    "COLLECT_ROLES",
    "FINANCE_ROLES",
    "MANAGE_ROLES",
    "READ_ROLES",
    "AccountInactive",
    "InvalidPhone",
    "NotAuthenticated",
    "OrgRole",
    "OtpInvalid",
    "OtpLocked",
    "PolicyAdminMixin",
    "RetryLater",
    "Rule",
    "StaffRole",
    "SecondFactorRequired",
    "StepUpRequired",
    "StrongActionHeld",
    "TokenInvalid",
    "authenticated",
    "can",
    "drf_permission",
    "get_organization",
    "platform_organization",
    "get_user",
    "has_org_role",
    "has_staff_role",
    "is_authenticated",
    "is_self",
    "login_code_request",
    "members_of",
    "normalize_phone",
    "memberships_of",
    "organization_ids",
    "organization_public_ids",
    "organization_ids_of",
    "page_permission",
    "predicate",
    "record_security_event",
    "register_rule",
    "register_strong_action",
    "registered_permissions",
    "require",
    "require_step_up",
    "resolver_permission",
    "revoke_all_sessions",
    "role_in",
    "session_login_with_code",
    "set_invitation_sender",
    "set_otp_sender",
    "set_security_notice_sender",
    "step_up_start",
    "step_up_verify",
    "user_ids",
    "service_account_create",
    "service_account_disable",
    "needs_strong_factor",
    "second_factor_missing",
    "SECOND_FACTOR_ENROL_URL",
]


def authenticated(actor):
    """`actor` when signed in, else NotAuthenticated (401, code `not_authenticated`): for
    reads of "my" things (`authenticated(current_user(info))` in a GraphQL resolver)."""
    if not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated()
    return actor


def organization_ids_of(actor, roles=None) -> set[int]:
    """Internal ids of the active organizations where `actor` holds one of `roles` (any
    role when None) — to filter another module's querysets:
    `Lease.objects.filter(organization_id__in=organization_ids_of(actor))`."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return set()
    wanted = {str(r) for r in roles} if roles else None
    return {org_id for org_id, role in org_roles(actor).items() if wanted is None or role in wanted}


def memberships_of(actor) -> list[MembershipInfo]:
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return []
    roles = org_roles(actor)
    public_ids = dict(Organization.objects.filter(id__in=roles).values_list("id", "public_id"))
    return [
        MembershipInfo(organization_id=org_id, organization_public_id=public_ids[org_id], role=role)
        for org_id, role in sorted(roles.items())
    ]


def _org_info(org: Organization) -> OrganizationInfo:
    return OrganizationInfo(
        id=org.pk,
        public_id=org.public_id,
        name=org.name,
        kind=org.kind,
        country=org.country,
        city=org.city,
        is_active=org.is_active,
        currencies=tuple(org.currencies or ()),
    )


def get_organization(public_id=None, *, id: int | None = None) -> OrganizationInfo:
    """One organization by public id (or internal id). NotFound otherwise. No access check:
    the caller checks with `can` / `require`."""
    try:
        query = {"pk": id} if id is not None else {"public_id": uuid.UUID(str(public_id))}
        return _org_info(Organization.objects.get(**query))
    except (Organization.DoesNotExist, ValueError):
        raise NotFound()


def get_user(public_id=None, *, id: int | None = None) -> UserInfo:
    try:
        query = {"pk": id} if id is not None else {"public_id": uuid.UUID(str(public_id))}
        user = User.objects.get(**query)
    except (User.DoesNotExist, ValueError):
        raise NotFound()
    return UserInfo(
        id=user.pk,
        public_id=user.public_id,
        phone=str(user.phone) if user.phone else None,
        full_name=user.full_name,
        preferred_language=user.preferred_language,
        status=user.status,
        is_staff=user.is_staff,
        staff_role=user.staff_role,
    )


def _user_info(user: User) -> UserInfo:
    return UserInfo(
        id=user.pk,
        public_id=user.public_id,
        phone=str(user.phone) if user.phone else None,
        full_name=user.full_name,
        preferred_language=user.preferred_language,
        status=user.status,
        is_staff=user.is_staff,
        staff_role=user.staff_role,
    )


def login_code_request(*, phone: str, language: str | None = None) -> int:
    """Send a login code by SMS (an unknown number gets an account when the code is used).
    Returns the seconds before a new code may be asked. Identity's rate limits, cooldown and
    lockout apply: `RetryLater` (and its `OtpLocked`), an invalid number (field `phone`)."""
    return _users.login_code_request(phone=phone, language=language).resend_after


def session_login_with_code(request, *, phone: str, code: str) -> UserInfo:
    """Verify the login code of `phone` and open a web session for its account (the same
    rules as identity's own code login: `OtpInvalid`, `OtpLocked`, `AccountInactive`)."""
    from django.contrib.auth import login

    user, _created = _users.user_for_login_code(phone=phone, code=code)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return _user_info(user)


def user_ids(public_ids) -> dict[uuid.UUID, int]:
    """Internal keys of many users at once (for foreign keys set in bulk); unknown ids are
    left out."""
    wanted = {uuid.UUID(str(p)) for p in public_ids if p}
    return dict(User.objects.filter(public_id__in=wanted).values_list("public_id", "pk")) if wanted else {}


def organization_ids(public_ids) -> dict[uuid.UUID, int]:
    """Internal keys of many organizations at once; unknown ids are left out."""
    wanted = {uuid.UUID(str(p)) for p in public_ids if p}
    return (
        dict(Organization.objects.filter(public_id__in=wanted).values_list("public_id", "pk"))
        if wanted
        else {}
    )


def organization_public_ids(ids) -> dict[int, uuid.UUID]:
    """Public ids of many organizations at once, by internal key (a batch's events)."""
    wanted = {int(i) for i in ids if i}
    return dict(Organization.objects.filter(pk__in=wanted).values_list("pk", "public_id")) if wanted else {}


def members_of(*, organization_id: int, roles) -> list[UserInfo]:
    """Active members of the organization holding one of `roles`, by name."""
    users = (
        User.objects.filter(
            memberships__organization_id=organization_id,
            memberships__is_active=True,
            memberships__role__in=[str(r) for r in roles],
            status="active",
        )
        .order_by("full_name")
        .distinct()
    )
    return [
        UserInfo(
            id=u.pk,
            public_id=u.public_id,
            phone=str(u.phone) if u.phone else None,
            full_name=u.full_name,
            preferred_language=u.preferred_language,
            status=u.status,
            is_staff=u.is_staff,
            staff_role=u.staff_role,
        )
        for u in users
    ]


def role_in(*, user_id: int, organization_id: int) -> str | None:
    """The user's active role in the organization, or None."""
    from .models import Membership

    return (
        Membership.objects.filter(
            user_id=user_id, organization_id=organization_id, is_active=True, organization__is_active=True
        )
        .values_list("role", flat=True)
        .first()
    )


def record_security_event(
    kind: str, *, actor=None, subject=None, organization_id: int | None = None, data=None
):
    """Append to the security audit log (e.g. payments: "payout number changed").
    `kind` is one of SecurityEvent.Kind values; never pass secrets in `data`."""
    if kind not in SecurityEvent.Kind.values:
        raise ValueError(f"Unknown security event kind {kind!r}")
    organization = Organization(pk=organization_id) if organization_id else None
    audit(kind, actor=actor, subject=subject, organization=organization, data=data)


def revoke_all_sessions(user) -> int:
    """Log a user out of every device (e.g. after a compliance decision)."""
    return tokens_logout_all(user=user)


def service_account_create(*, organization_id: int, role: str, name: str):
    """A user with no phone nor password, member of one organization with `role` (partners'
    API keys act through one). It cannot log in; the caller authenticates for it."""
    from .services.service_accounts import service_account_create as create

    return create(organization_id=organization_id, role=role, name=name)


def service_account_disable(*, user_id: int) -> None:
    """The service account can nothing from now on (membership inactive, suspended)."""
    from .services.service_accounts import service_account_disable as disable

    disable(user_id=user_id)


def platform_organization(*, name: str, country: str = "BJ", currencies=("XOF",)) -> OrganizationInfo:
    """An organization Hokwe itself runs (the e-money issuer the wallet's top-ups are paid to),
    created on first use. It has no member and never gets one (only code uses it), so it is
    found among the memberless organizations of that name, kind merchant and country: a
    customer's organization that took the same name (it always has its owner) is never
    returned."""
    found = (
        Organization.objects.filter(
            name=name, kind=Organization.Kind.MERCHANT, country=country, memberships__isnull=True
        )
        .order_by("id")
        .first()
    )
    if found is None:
        found = Organization.objects.create(
            name=name, kind=Organization.Kind.MERCHANT, country=country, currencies=list(currencies)
        )
    return _org_info(found)


# --- issue 19 (wallet pages, W3): is a step-up answerable before it starts? -------------------
SECOND_FACTOR_ENROL_URL = SecondFactorRequired.enrol_url  # the « Sécurité » page: add an authenticator app


def needs_strong_factor(actor, *, action: str, amount: int | None = None) -> bool:
    """True when the step-up of `action` (for `amount`) is answered only by an authenticator
    app, a passkey or a recovery code, never an SMS code (a confirmation page says so)."""
    from .services.protection import needs_strong_factor as needs

    return needs(actor, action=action, amount=amount)


def second_factor_missing(actor, *, action: str, amount: int | None = None) -> bool:
    """True when the step-up of `action` (for `amount`) needs an authenticator app or a passkey
    that `actor` has not enrolled: show SECOND_FACTOR_ENROL_URL instead of a code step."""
    from .services.factor_status import second_factor_missing as missing

    return missing(actor, action=action, amount=amount)
