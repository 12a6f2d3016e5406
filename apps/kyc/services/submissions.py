"""The verification workflow: drafts, submission, staff decisions (four-eyes for tier 2 and
KYB), expiry. State changes go through `_move`, which only allows workflow.TRANSITIONS
(`SUBMISSION_STATES`, a StateMachine)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import AuditCategory, audit_record, snapshot
from apps.core.errors import DomainError, NotFound
from apps.core.outbox import publish
from apps.core.statemachine import StateMachine
from apps.identity import api as identity

from .. import selectors
from ..contracts import ID_DOCUMENT_KINDS, DocumentKind, SubmissionStatus, Tier
from ..errors import FourEyesRequired, InvalidTransition, ReviewerConflict, SubmissionIncomplete
from ..events import KycSubmissionDecided, KycSubmissionSubmitted, OrganizationVerificationChanged
from ..models import Approval, Director, Kind, RejectionReason, Submission
from ..workflow import DECIDABLE, FINAL, TRANSITIONS
from .profiles import profile_recompute

S = SubmissionStatus
SUBMISSION_STATES = StateMachine(TRANSITIONS, error=InvalidTransition)

PERSON_FIELDS = (
    "first_name",
    "last_name",
    "date_of_birth",
    "nationality",
    "id_number",
    "id_expiry_date",
    "address",
    "city",
)
BUSINESS_FIELDS = ("legal_name", "rccm_number", "ifu_number", "registered_address")
AUDITED = ("status", "target_tier", "rejection_reason", "provider", "provider_outcome")


class InvalidSubmissionData(DomainError):
    code = "invalid"


def require_kyb_manage(actor, organization_id: int) -> None:
    """Members who may see the KYB but not change it get 403; anyone else 404."""
    if not identity.can(actor, "kyc.kyb.view", organization_id):
        raise NotFound()
    identity.require(actor, "kyc.kyb.manage", organization_id)


def _lock(submission: Submission) -> Submission:
    return Submission.objects.select_for_update().get(pk=submission.pk)


def _move(submission: Submission, target: S) -> None:
    SUBMISSION_STATES.check(submission.status, target)
    submission.status = target


def _log(action: str, submission: Submission, *, actor, before=None, reason: str = "") -> None:
    audit_record(
        action=action,
        category=AuditCategory.KYC,
        actor=actor,
        organization=submission.organization.public_id if submission.organization_id else None,
        target=submission,
        before=before,
        after=snapshot(submission, fields=list(AUDITED)),
        reason=reason,
    )


# --- drafts ----------------------------------------------------------------------------------


def _copy_entered(source: Submission | None, fields) -> dict:
    return {name: getattr(source, name) for name in fields} if source is not None else {}


@transaction.atomic
def draft_for_user(*, actor) -> Submission:
    """The user's open submission, or a new draft (a re-submission after a rejection or an
    expiry starts from what was entered last time, without the documents)."""
    current = selectors.open_submission(actor)
    if current is not None:
        return current
    previous = selectors.latest_submission(actor)
    target = Tier.IDENTITY
    if previous is not None:
        target = previous.target_tier
        if previous.status == S.APPROVED:
            target = min(Tier.FULL, previous.target_tier + 1)
    return Submission.objects.create(
        subject=Submission.Subject.INDIVIDUAL,
        user=actor,
        target_tier=target,
        previous=previous,
        **_copy_entered(
            previous if previous and previous.personal_data_purged_at is None else None, PERSON_FIELDS
        ),
    )


@transaction.atomic
def draft_for_organization(*, actor, organization_id: int) -> Submission:
    require_kyb_manage(actor, organization_id)
    current = selectors.open_business_submission(organization_id)
    if current is not None:
        return current
    previous = selectors.latest_business_submission(organization_id)
    draft = Submission.objects.create(
        subject=Submission.Subject.BUSINESS,
        user=actor,
        organization_id=organization_id,
        target_tier=Tier.PHONE,
        previous=previous,
        **_copy_entered(previous, BUSINESS_FIELDS),
    )
    if previous is None:
        org = identity.get_organization(id=organization_id)
        draft.legal_name = org.name
        draft.save(update_fields=["legal_name"])
    return draft


def _require_draft(submission: Submission) -> None:
    if submission.status != S.DRAFT:
        raise InvalidTransition(_("Only a draft can be changed. Start a new verification after a decision."))


def _validate_person(data: dict) -> None:
    today = timezone.localdate()
    if "target_tier" in data and data["target_tier"] not in (Tier.IDENTITY, Tier.FULL):
        raise InvalidSubmissionData(_("Choose tier 1 or tier 2."), field="target_tier")
    dob = data.get("date_of_birth")
    if isinstance(dob, date) and not (date(1900, 1, 1) <= dob < today):
        raise InvalidSubmissionData(_("Enter a valid date of birth."), field="date_of_birth")
    expiry = data.get("id_expiry_date")
    if isinstance(expiry, date) and expiry < today:
        raise InvalidSubmissionData(_("This document has expired: use a valid one."), field="id_expiry_date")
    nationality = data.get("nationality")
    if nationality and (len(nationality) != 2 or not nationality.isalpha()):
        raise InvalidSubmissionData(_("Enter a two-letter country code (BJ, CI, SN…)."), field="nationality")


@transaction.atomic
def submission_update(*, actor, submission: Submission, **data) -> Submission:
    """Change what was entered on a draft (the person's own, or an organization's KYB)."""
    submission = _lock(submission)
    _require_draft(submission)
    if submission.is_business:
        require_kyb_manage(actor, submission.organization_id)
        allowed = set(BUSINESS_FIELDS)
    else:
        if submission.user_id != actor.pk:
            raise NotFound()
        allowed = {*PERSON_FIELDS, "target_tier"}
        _validate_person(data)
    unknown = set(data) - allowed
    if unknown:
        raise InvalidSubmissionData(_("Unknown field."), field=sorted(unknown)[0])
    for name, value in data.items():
        if isinstance(value, str):
            value = value.strip()
            if name == "nationality":
                value = value.upper()
        setattr(submission, name, value)
    submission.save()
    return submission


# --- directors (KYB) ------------------------------------------------------------------------


@transaction.atomic
def director_add(
    *, actor, organization_id: int, full_name: str, role: str = "", date_of_birth=None, id_number: str = ""
) -> Director:
    submission = _lock(draft_for_organization(actor=actor, organization_id=organization_id))
    _require_draft(submission)
    full_name = (full_name or "").strip()
    if not full_name:
        raise InvalidSubmissionData(_("Enter the director's full name."), field="full_name")
    if submission.directors.count() >= 20:
        raise InvalidSubmissionData(_("At most 20 directors."), field="full_name")
    return Director.objects.create(
        submission=submission,
        full_name=full_name[:150],
        role=(role or "").strip()[:100],
        date_of_birth=date_of_birth,
        id_number=(id_number or "").strip()[:50],
    )


@transaction.atomic
def director_remove(*, actor, organization_id: int, director_public_id) -> None:
    require_kyb_manage(actor, organization_id)
    submission = selectors.open_business_submission(organization_id)
    if submission is None:
        raise NotFound()
    submission = _lock(submission)
    _require_draft(submission)
    director = selectors.director_get(submission, director_public_id)
    from .documents import documents_discard

    documents_discard(list(director.documents.all()))
    director.delete()


# --- submit ----------------------------------------------------------------------------------


def missing_requirements(submission: Submission) -> list[str]:
    """What still has to be entered or uploaded before submitting (translated labels)."""
    docs = list(submission.documents.all())
    kinds = {d.kind for d in docs if d.director_id is None}
    missing = []
    if submission.is_business:
        for name in BUSINESS_FIELDS:
            if not getattr(submission, name):
                missing.append(str(Submission._meta.get_field(name).verbose_name))
        for kind in (DocumentKind.RCCM, DocumentKind.IFU):
            if kind not in kinds:
                missing.append(str(Kind(kind).label))
        directors = list(submission.directors.all())
        if not directors:
            missing.append(_("at least one director"))
        for director in directors:
            if not any(d.director_id == director.pk and d.kind in ID_DOCUMENT_KINDS for d in docs):
                missing.append(_("identity document of %(name)s") % {"name": director.full_name})
        return missing
    required = ["first_name", "last_name", "date_of_birth", "id_number", "id_expiry_date"]
    if submission.target_tier >= Tier.FULL:
        required += ["address", "city"]
    for name in required:
        if not getattr(submission, name):
            missing.append(str(Submission._meta.get_field(name).verbose_name))
    if not kinds & set(ID_DOCUMENT_KINDS):
        missing.append(_("an ID card, passport or driving licence"))
    if submission.target_tier >= Tier.FULL:
        for kind in (DocumentKind.SELFIE, DocumentKind.PROOF_OF_ADDRESS):
            if kind not in kinds:
                missing.append(str(Kind(kind).label))
    return missing


@transaction.atomic
def submission_submit(*, actor, submission: Submission) -> Submission:
    submission = _lock(submission)
    if submission.is_business:
        require_kyb_manage(actor, submission.organization_id)
    elif submission.user_id != actor.pk:
        raise NotFound()
    _require_draft(submission)
    if (
        not submission.is_business
        and submission.id_expiry_date
        and submission.id_expiry_date < timezone.localdate()
    ):
        raise InvalidSubmissionData(_("This document has expired: use a valid one."), field="id_expiry_date")
    missing = missing_requirements(submission)
    if missing:
        raise SubmissionIncomplete(
            _("Some required information or documents are missing: %(missing)s.")
            % {"missing": ", ".join(missing)},
            missing=missing,
        )
    _move(submission, S.SUBMITTED)
    submission.submitted_at = timezone.now()
    submission.save()
    _log("kyc.submission.submitted", submission, actor=actor)
    publish(
        KycSubmissionSubmitted(
            submission_public_id=str(submission.public_id),
            subject=submission.subject,
            target_tier=submission.target_tier,
        )
    )
    return submission


# --- staff decisions -------------------------------------------------------------------------


def _check_reviewer(actor, submission: Submission) -> None:
    identity.require(actor, "kyc.submission.review", submission, hide=True)
    if submission.user_id == actor.pk:
        raise ReviewerConflict()
    if submission.organization_id and submission.organization_id in identity.organization_ids_of(actor):
        raise ReviewerConflict()


@transaction.atomic
def submission_start_review(*, actor, submission: Submission) -> Submission:
    submission = _lock(submission)
    _check_reviewer(actor, submission)
    if submission.status == S.SUBMITTED:
        before = snapshot(submission, fields=list(AUDITED))
        _move(submission, S.IN_REVIEW)
        submission.save()
        _log("kyc.submission.review_started", submission, actor=actor, before=before)
    return submission


@transaction.atomic
def submission_approve(*, actor, submission: Submission, note: str = "") -> Submission:
    """Record the actor's approval; the submission is approved once it has the approvals
    its level needs (two different staff for tier 2 and KYB)."""
    submission = _lock(submission)
    _check_reviewer(actor, submission)
    if submission.status not in DECIDABLE:
        raise InvalidTransition()
    if Approval.objects.filter(submission=submission, staff=actor).exists():
        raise FourEyesRequired()
    before = snapshot(submission, fields=list(AUDITED))
    Approval.objects.create(submission=submission, staff=actor, note=(note or "")[:300])
    if submission.status == S.SUBMITTED:
        _move(submission, S.IN_REVIEW)
        submission.save()
    count = submission.approvals.count()
    _log(
        "kyc.submission.approval_recorded",
        submission,
        actor=actor,
        before=before,
        reason=f"{count}/{submission.required_approvals}",
    )
    if count < submission.required_approvals:
        return submission
    return _decide(submission, S.APPROVED, actor=actor, via="staff")


@transaction.atomic
def submission_reject(*, actor, submission: Submission, reason: str, message: str = "") -> Submission:
    submission = _lock(submission)
    _check_reviewer(actor, submission)
    if submission.status not in DECIDABLE:
        raise InvalidTransition()
    if reason not in RejectionReason.values:
        raise InvalidSubmissionData(_("Choose a rejection reason."), field="reason")
    submission.rejection_reason = reason
    submission.rejection_message = (message or "").strip()[:500]
    return _decide(submission, S.REJECTED, actor=actor, via="staff")


def _decide(submission: Submission, status: S, *, actor, via: str) -> Submission:
    before = snapshot(submission, fields=list(AUDITED))
    _move(submission, status)
    submission.decided_at = timezone.now()
    submission.decided_by = actor if getattr(actor, "pk", None) else None
    submission.decided_via = via
    submission.save()
    _log(
        f"kyc.submission.{status}", submission, actor=actor, before=before, reason=submission.rejection_reason
    )
    org_public_id = str(submission.organization.public_id) if submission.organization_id else ""
    publish(
        KycSubmissionDecided(
            submission_public_id=str(submission.public_id),
            subject=submission.subject,
            user_public_id=str(submission.user.public_id),
            organization_public_id=org_public_id,
            decision=str(status),
            reason=submission.rejection_reason,
        )
    )
    if submission.is_business:
        if status == S.APPROVED:
            publish(OrganizationVerificationChanged(organization_public_id=org_public_id, verified=True))
    else:
        profile_recompute(user=submission.user, reason="approved" if status == S.APPROVED else "rejected")
    return submission


@transaction.atomic
def submission_decide_by_provider(*, submission: Submission) -> Submission:
    """A provider's clear result approves a level that needs one approval (tier 1)."""
    submission = _lock(submission)
    if submission.status not in DECIDABLE or submission.required_approvals > 1:
        return submission
    return _decide(submission, S.APPROVED, actor=None, via="provider")


# --- expiry ----------------------------------------------------------------------------------


def submissions_expire_due(*, today: date | None = None) -> int:
    """Approved identity verifications whose document expired: expired, tier recomputed."""
    today = today or timezone.localdate()
    done = 0
    due = Submission.objects.filter(subject="individual", status=S.APPROVED, id_expiry_date__lt=today)
    for pk in due.values_list("pk", flat=True)[:1000]:
        with transaction.atomic():
            submission = Submission.objects.select_for_update().select_related("user").get(pk=pk)
            if submission.status != S.APPROVED:
                continue
            before = snapshot(submission, fields=list(AUDITED))
            _move(submission, S.EXPIRED)
            submission.save()
            _log("kyc.submission.expired", submission, actor=None, before=before, reason="id_expired")
            profile_recompute(user=submission.user, reason="expired")
            done += 1
    return done


def is_final(submission: Submission) -> bool:
    return submission.status in FINAL
