"""Organizations, members and invitations."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.core.errors import Forbidden
from apps.core.outbox import publish

from ..contracts import OrgRole, OtpPurpose
from ..errors import AlreadyMember, InvalidRole, InvitationInvalid, LastOwner
from ..events import MemberInvited, MemberJoined, MemberRemoved, MemberRoleChanged, OrganizationCreated
from ..models import Invitation, Membership, Organization, User
from ..phones import mask_phone, normalize_phone
from ..policy import forget, require
from .audit import Kind, audit
from .delivery import invitation_sender
from .otp import OtpSent, otp_send, otp_verify
from .step_up import require_step_up
from .tokens import TokenPair, tokens_issue
from .users import user_get_or_create_by_phone

ORG_FIELDS = ("name", "city", "address", "phone", "email", "country")
ROLES = {r.value for r in OrgRole}


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise InvalidRole(field="role")
    return role


@transaction.atomic
def organization_create(
    *,
    actor: User,
    name: str,
    kind: str,
    country: str = "BJ",
    city: str = "",
    address: str = "",
    phone: str = "",
    email: str = "",
) -> Organization:
    """Create an organization; the creator becomes its owner."""
    require(actor, "identity.organization.create")
    org = Organization(
        name=name.strip(),
        kind=kind,
        country=country.upper(),
        city=city,
        address=address,
        phone=normalize_phone(phone) if phone else "",
        email=email,
    )
    org.full_clean()
    org.save()
    Membership.objects.create(organization=org, user=actor, role=OrgRole.OWNER)
    forget(actor)
    publish(OrganizationCreated(organization_public_id=str(org.public_id), kind=org.kind))
    return org


@transaction.atomic
def organization_update(*, actor: User, organization: Organization, **changes) -> Organization:
    require(actor, "identity.organization.update", organization)
    unknown = set(changes) - set(ORG_FIELDS)
    if unknown:
        raise TypeError(f"Unknown organization fields: {sorted(unknown)}")
    if changes.get("phone"):
        changes["phone"] = normalize_phone(changes["phone"])
    for name, value in changes.items():
        setattr(organization, name, value.strip() if isinstance(value, str) else value)
    organization.full_clean()
    organization.save()
    return organization


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _may_manage_role(actor: User, organization: Organization, *roles: str) -> None:
    """Managers handle everyone but owners; only owners grant, change or remove ownership."""
    from ..policy import org_roles

    if OrgRole.OWNER in roles and org_roles(actor).get(organization.pk) != OrgRole.OWNER:
        raise Forbidden()


@transaction.atomic
def member_invite(
    *, actor: User, organization: Organization, phone: str, role: str, link_base: str
) -> tuple[Invitation, str]:
    """Invite a phone number; an SMS carries the link (`link_base` + secret token).
    Returns the invitation and the link (shown once to the inviter, never stored)."""
    require(actor, "identity.member.invite", organization)
    role = _check_role(role)
    _may_manage_role(actor, organization, role)
    e164 = normalize_phone(phone)
    if Membership.objects.filter(organization=organization, user__phone=e164, is_active=True).exists():
        raise AlreadyMember(field="phone")
    Invitation.objects.filter(organization=organization, phone=e164, status=Invitation.Status.PENDING).update(
        status=Invitation.Status.REVOKED
    )
    token = secrets.token_urlsafe(24)
    invitation = Invitation.objects.create(
        organization=organization,
        phone=e164,
        role=role,
        token_hash=_token_digest(token),
        invited_by=actor,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_TTL_DAYS),
    )
    link = f"{link_base.rstrip('/')}/{token}/"
    invitee = User.objects.filter(phone=e164).only("preferred_language").first()
    language = invitee.preferred_language if invitee else actor.preferred_language
    sender = invitation_sender()
    transaction.on_commit(
        lambda: sender.send_invitation(
            phone=e164,
            link=link,
            organization_name=organization.name,
            inviter_name=actor.full_name,
            role=role,
            language=language,
        )
    )
    audit(Kind.MEMBER_INVITED, actor=actor, organization=organization, phone=e164, data={"role": role})
    publish(
        MemberInvited(
            organization_public_id=str(organization.public_id),
            invitation_public_id=str(invitation.public_id),
            role=role,
        )
    )
    return invitation, link


def invitation_by_token(token: str) -> Invitation:
    invitation = (
        Invitation.objects.select_related("organization", "invited_by")
        .filter(token_hash=_token_digest(str(token or "")), status=Invitation.Status.PENDING)
        .first()
    )
    if invitation is None or invitation.expires_at <= timezone.now() or not invitation.organization.is_active:
        raise InvitationInvalid()
    return invitation


def invitation_code_request(*, token: str) -> tuple[OtpSent, str]:
    """Send the code that proves the invitee holds the invited phone. Returns the masked phone."""
    invitation = invitation_by_token(token)
    phone = str(invitation.phone)
    sent = otp_send(phone=phone, purpose=OtpPurpose.INVITATION, binding=str(invitation.public_id))
    return sent, mask_phone(phone)


def invitation_accept(
    *, token: str, code: str, full_name: str = "", issue_tokens: bool = True
) -> tuple[Membership, TokenPair | None]:
    """Accept after the OTP: the account is created if needed, the membership added, and
    the invitee logged in (tokens for the apps; the web page opens a session instead)."""
    invitation = invitation_by_token(token)
    phone = str(invitation.phone)
    otp_verify(phone=phone, purpose=OtpPurpose.INVITATION, code=code, binding=str(invitation.public_id))
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.status != Invitation.Status.PENDING:
            raise InvitationInvalid()
        user, _created = user_get_or_create_by_phone(phone=phone, profile={"full_name": full_name})
        if not user.is_active:
            raise InvitationInvalid()
        membership, created = Membership.objects.get_or_create(
            organization=invitation.organization, user=user, defaults={"role": invitation.role}
        )
        if not created:
            if membership.is_active:
                raise AlreadyMember()
            membership.is_active = True
            membership.role = invitation.role
            membership.save(update_fields=["is_active", "role", "updated_at"])
        invitation.status = Invitation.Status.ACCEPTED
        invitation.accepted_by = user
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["status", "accepted_by", "accepted_at", "updated_at"])
        forget(user)
        pair = tokens_issue(user=user, auth_method="otp") if issue_tokens else None
        audit(
            Kind.MEMBER_JOINED,
            actor=user,
            subject=user,
            organization=invitation.organization,
            data={"role": invitation.role},
        )
        publish(
            MemberJoined(
                organization_public_id=str(invitation.organization.public_id),
                user_public_id=str(user.public_id),
                role=invitation.role,
            )
        )
    return membership, pair


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: Invitation) -> None:
    require(actor, "identity.member.invite", invitation.organization)
    Invitation.objects.filter(pk=invitation.pk, status=Invitation.Status.PENDING).update(
        status=Invitation.Status.REVOKED
    )


def _other_owners(membership: Membership) -> bool:
    return (
        Membership.objects.filter(
            organization_id=membership.organization_id, role=OrgRole.OWNER, is_active=True
        )
        .exclude(pk=membership.pk)
        .exists()
    )


def role_change_target(membership: Membership, role: str) -> str:
    """What a step-up for a role change is bound to: this membership and this new role."""
    return f"membership:{membership.public_id}:role:{role}"


@transaction.atomic
def membership_change_role(
    *, actor: User, membership: Membership, role: str, step_up_token: str | None
) -> Membership:
    """Change a member's role. Needs the step-up OTP of the actor for this exact change."""
    organization = membership.organization
    require(actor, "identity.member.change_role", membership)
    role = _check_role(role)
    _may_manage_role(actor, organization, role, membership.role)
    # Lock the organization's memberships: two concurrent demotions cannot both pass
    # the "last owner" check.
    list(Membership.objects.select_for_update().filter(organization=organization).values_list("pk"))
    membership.refresh_from_db()
    if membership.role == role:
        return membership
    if membership.role == OrgRole.OWNER and not _other_owners(membership):
        raise LastOwner()
    require_step_up(
        actor=actor,
        action="identity.member.change_role",
        target=role_change_target(membership, role),
        token=step_up_token,
    )
    old = membership.role
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    forget(actor)
    audit(
        Kind.ROLE_CHANGED,
        actor=actor,
        subject=membership.user,
        organization=organization,
        data={"from": old, "to": role},
    )
    publish(
        MemberRoleChanged(
            organization_public_id=str(organization.public_id),
            user_public_id=str(membership.user.public_id),
            old_role=old,
            new_role=role,
        )
    )
    return membership


@transaction.atomic
def membership_remove(*, actor: User, membership: Membership) -> None:
    """Remove a member (or leave, for oneself). The last owner cannot go."""
    organization = membership.organization
    require(actor, "identity.member.remove", membership)
    if membership.user_id != actor.pk:
        _may_manage_role(actor, organization, membership.role)
    list(Membership.objects.select_for_update().filter(organization=organization).values_list("pk"))
    if membership.role == OrgRole.OWNER and not _other_owners(membership):
        raise LastOwner()
    membership.is_active = False
    membership.save(update_fields=["is_active", "updated_at"])
    forget(actor)
    audit(Kind.MEMBER_REMOVED, actor=actor, subject=membership.user, organization=organization)
    publish(
        MemberRemoved(
            organization_public_id=str(organization.public_id), user_public_id=str(membership.user.public_id)
        )
    )


def membership_add(*, organization: Organization, user: User, role: str) -> Membership:
    """Back-office and demo data only (no policy check): add or reactivate a membership."""
    try:
        with transaction.atomic():
            membership, created = Membership.objects.get_or_create(
                organization=organization, user=user, defaults={"role": role}
            )
    except IntegrityError:
        membership, created = Membership.objects.get(organization=organization, user=user), False
    if not created and not membership.is_active:
        membership.is_active = True
        membership.save(update_fields=["is_active", "updated_at"])
    forget(user)
    return membership
