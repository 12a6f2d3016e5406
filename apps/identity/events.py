"""PUBLIC: the domain events identity publishes (through the outbox). No secrets, ever:
no codes, no tokens, no invitation links."""

from dataclasses import dataclass

from apps.core.events import DomainEvent


@dataclass(frozen=True)
class UserRegistered(DomainEvent):
    name = "identity.UserRegistered"
    user_public_id: str


@dataclass(frozen=True)
class UserClosed(DomainEvent):
    """Personal data was anonymised; other modules anonymise theirs, keep financial records."""

    name = "identity.UserClosed"
    user_public_id: str


@dataclass(frozen=True)
class UserSuspended(DomainEvent):
    name = "identity.UserSuspended"
    user_public_id: str


@dataclass(frozen=True)
class OrganizationCreated(DomainEvent):
    name = "identity.OrganizationCreated"
    organization_public_id: str
    kind: str


@dataclass(frozen=True)
class MemberInvited(DomainEvent):
    name = "identity.MemberInvited"
    organization_public_id: str
    invitation_public_id: str
    role: str


@dataclass(frozen=True)
class MemberJoined(DomainEvent):
    name = "identity.MemberJoined"
    organization_public_id: str
    user_public_id: str
    role: str


@dataclass(frozen=True)
class MemberRoleChanged(DomainEvent):
    name = "identity.MemberRoleChanged"
    organization_public_id: str
    user_public_id: str
    old_role: str
    new_role: str


@dataclass(frozen=True)
class MemberRemoved(DomainEvent):
    name = "identity.MemberRemoved"
    organization_public_id: str
    user_public_id: str
