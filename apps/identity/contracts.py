"""PUBLIC: what crosses the identity boundary (stdlib only).

Other modules receive these frozen dataclasses from apps.identity.api, never model
instances to write through, and implement the sender protocols to deliver identity's
messages (apps.notifications registers real ones from its AppConfig.ready).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol
from uuid import UUID


class OrgRole(StrEnum):
    """Roles of a member inside an organization (agency, owner, merchant)."""

    OWNER = "owner"
    MANAGER = "manager"
    ACCOUNTANT = "accountant"
    COLLECTOR = "collector"
    VIEWER = "viewer"


class StaffRole(StrEnum):
    """Roles of Hokwe staff in the back-office."""

    SUPPORT = "support"
    COMPLIANCE = "compliance"
    FINANCE = "finance"
    ADMIN = "admin"


class OrgKind(StrEnum):
    AGENCY = "agency"
    OWNER = "owner"
    MERCHANT = "merchant"


class OtpPurpose(StrEnum):
    LOGIN = "login"
    REGISTER = "register"
    INVITATION = "invitation"
    STEP_UP = "step_up"
    PHONE_CHANGE = "phone_change"


# Role sets other modules use when they register their permission rules, so that one
# table (docs/identity.md) says who may do what in every module.
ALL_ROLES = frozenset(OrgRole)
MANAGE_ROLES = frozenset({OrgRole.OWNER, OrgRole.MANAGER})
FINANCE_ROLES = frozenset({OrgRole.OWNER, OrgRole.MANAGER, OrgRole.ACCOUNTANT})
COLLECT_ROLES = frozenset({OrgRole.OWNER, OrgRole.MANAGER, OrgRole.COLLECTOR})
READ_ROLES = ALL_ROLES


@dataclass(frozen=True)
class UserInfo:
    id: int  # internal key, for foreign keys inside the server only
    public_id: UUID
    phone: str | None  # E.164; None once the account is closed
    full_name: str
    preferred_language: str
    status: str
    is_staff: bool
    staff_role: str


@dataclass(frozen=True)
class OrganizationInfo:
    id: int  # internal key, for foreign keys inside the server only
    public_id: UUID
    name: str
    kind: str
    country: str
    city: str
    is_active: bool
    # ISO 4217 codes the organization takes money in, its own first ("XOF" for Benin).
    currencies: tuple[str, ...] = ()


@dataclass(frozen=True)
class MembershipInfo:
    organization_id: int
    organization_public_id: UUID
    role: str


@dataclass(frozen=True)
class StepUpChallenge:
    """A step-up OTP was sent to the actor's phone for this exact operation."""

    challenge_id: str
    expires_at: datetime
    phone_hint: str
    # How to answer: "sms" (a code sent to phone_hint), "totp" (the authenticator app's
    # code) or "passkey" (sign `webauthn_options`, a JSON PublicKeyCredentialRequestOptions).
    method: str = "sms"
    webauthn_options: str = ""


@dataclass(frozen=True)
class StepUpProof:
    """Returned when the step-up OTP is verified: a single-use token bound to the
    operation (action, target, amount) that the operation's service consumes."""

    token: str
    expires_at: datetime


class OtpSender(Protocol):
    """Delivers a one-time code (SMS in production). The code must never be stored."""

    def send_otp(self, *, phone: str, code: str, purpose: str, language: str) -> None: ...


class InvitationSender(Protocol):
    """Delivers an invitation link by SMS. The link carries a secret: never store it."""

    def send_invitation(
        self, *, phone: str, link: str, organization_name: str, inviter_name: str, role: str, language: str
    ) -> None: ...


class SecurityNoticeSender(Protocol):
    """Tells a person that their account's protection changed: a phone-number change (to the
    OLD number and the e-mail) or a login from a new device, and until when payouts are held.
    `kind` is "phone_changed" or "new_device"; `until` an aware datetime."""

    def send_security_notice(
        self, *, kind: str, phone: str | None, email: str | None, until: datetime, language: str
    ) -> None: ...
