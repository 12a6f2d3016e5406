"""Reads, scoped to what the actor may see (another person's or organization's KYC is a
NotFound, never a Forbidden)."""

from __future__ import annotations

import uuid

import phonenumbers
from django.conf import settings
from django.db.models import Count, Prefetch, QuerySet

from apps.core.errors import NotFound
from apps.identity import api as identity

from .contracts import Limits, SubmissionStatus, Tier
from .limits import from_table
from .models import Approval, Director, Document, KycProfile, Submission, TierLimit
from .workflow import DECIDABLE, OPEN

S = SubmissionStatus


def _uuid(value) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (ValueError, TypeError, AttributeError):
        raise NotFound() from None


# --- tiers and limits ------------------------------------------------------------------------


def tier_of(user) -> int:
    if user is None or getattr(user, "pk", None) is None:
        return 0
    return KycProfile.objects.filter(user_id=user.pk).values_list("tier", flat=True).first() or 0


def country_of_user(user) -> str:
    """From the phone number (+229 → BJ): Hokwe accounts are phone-first."""
    phone = getattr(user, "phone", None)
    region = None
    try:
        if isinstance(phone, str) and phone:
            phone = phonenumbers.parse(phone, None)
        if phone:
            region = phonenumbers.region_code_for_number(phone)
    except (phonenumbers.NumberParseException, AttributeError, TypeError):
        region = None
    return region or settings.KYC_DEFAULT_COUNTRY


def limits(*, country: str, tier: int) -> Limits:
    """Compliance's row for (country, tier), else the "*" row, else settings.KYC_LIMITS."""
    rows = {row.country: row for row in TierLimit.objects.filter(tier=tier, country__in=[country, "*"])}
    row = rows.get(country) or rows.get("*")
    if row is not None:
        return Limits(
            tier=tier,
            country=country,
            currency=row.currency,
            max_balance=row.max_balance,
            monthly_inflow=row.monthly_inflow,
            single_transaction=row.single_transaction,
            daily_outflow=row.daily_outflow,
            source="database",
        )
    return from_table(settings.KYC_LIMITS, country=country, tier=tier)


# --- submissions ------------------------------------------------------------------------------


def open_submission(user) -> Submission | None:
    return Submission.objects.filter(user_id=user.pk, subject="individual", status__in=list(OPEN)).first()


def latest_submission(user) -> Submission | None:
    return (
        Submission.objects.filter(user_id=user.pk, subject="individual")
        .order_by("-created_at", "-id")
        .first()
    )


def latest_business_submission(organization_id: int) -> Submission | None:
    return (
        Submission.objects.filter(organization_id=organization_id, subject="business")
        .order_by("-created_at", "-id")
        .first()
    )


def open_business_submission(organization_id: int) -> Submission | None:
    return Submission.objects.filter(
        organization_id=organization_id, subject="business", status__in=list(OPEN)
    ).first()


def organization_verified(organization_id: int) -> bool:
    return Submission.objects.filter(
        organization_id=organization_id, subject="business", status=S.APPROVED
    ).exists()


# --- the individual path to payouts (a landlord without RCCM) ----------------------------------


def approved_identity(user_id: int) -> Submission | None:
    """The person's latest approved individual verification at the level that verified an ID
    document (tier 1 or more), while their tier still says so (an expired or closed one
    lowered it); None otherwise."""
    tier = KycProfile.objects.filter(user_id=user_id).values_list("tier", flat=True).first() or 0
    if tier < Tier.IDENTITY:
        return None
    return (
        Submission.objects.filter(
            user_id=user_id, subject="individual", status=S.APPROVED, target_tier__gte=Tier.IDENTITY
        )
        .order_by("-decided_at", "-id")
        .first()
    )


def verified_name(user_id: int) -> str | None:
    """The name on the person's approved identity verification ("First Last"), or None."""
    submission = approved_identity(user_id)
    if submission is None:
        return None
    name = " ".join(part for part in (submission.first_name.strip(), submission.last_name.strip()) if part)
    return name or None


def owner_identity_verified(organization_id: int) -> bool:
    """An owner-kind organization (a landlord, a person): its owner's identity is verified."""
    owners = identity.members_of(organization_id=organization_id, roles=[identity.OrgRole.OWNER])
    return any(approved_identity(owner.id) is not None for owner in owners)


def with_details(qs: QuerySet) -> QuerySet:
    """Documents, directors and approvals in three queries, whatever the page size."""
    return qs.select_related("user", "organization", "decided_by").prefetch_related(
        Prefetch("documents", queryset=Document.objects.order_by("created_at")),
        Prefetch("directors", queryset=Director.objects.prefetch_related("documents")),
        Prefetch("approvals", queryset=Approval.objects.select_related("staff")),
    )


def submission_for_review(actor, public_id) -> Submission:
    submission = with_details(Submission.objects.all()).filter(public_id=_uuid(public_id)).first()
    if submission is None or not identity.can(actor, "kyc.submission.review", submission):
        raise NotFound()
    return submission


def review_queue() -> QuerySet:
    return (
        Submission.objects.filter(status__in=list(DECIDABLE))
        .select_related("user", "organization")
        .annotate(approval_count=Count("approvals"))
        .order_by("submitted_at", "id")
    )


# --- documents -------------------------------------------------------------------------------


def documents_of(user) -> QuerySet:
    """The user's own identity documents (every attempt), newest first."""
    return (
        Document.objects.filter(submission__user_id=user.pk, submission__subject="individual")
        .select_related("submission")
        .order_by("-created_at", "-id")
    )


def document_get(actor, public_id, *, permission: str = "kyc.document.view_own") -> Document:
    document = Document.objects.select_related("submission").filter(public_id=_uuid(public_id)).first()
    if document is None or not identity.can(actor, permission, document):
        raise NotFound()
    return document


def document_by_public_id(public_id) -> Document | None:
    return Document.objects.select_related("submission").filter(public_id=_uuid(public_id)).first()


def organization_for(actor, public_id, permission: str = "kyc.kyb.view"):
    """An organization the actor may see the KYB of (NotFound otherwise)."""
    try:
        org = identity.get_organization(_uuid(public_id))
    except NotFound:
        raise NotFound() from None
    if not identity.can(actor, permission, org.id):
        raise NotFound()
    return org


def director_get(submission: Submission, public_id) -> Director:
    director = Director.objects.filter(submission=submission, public_id=_uuid(public_id)).first()
    if director is None:
        raise NotFound(field="director")
    return director
