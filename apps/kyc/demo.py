"""Demo KYC (idempotent): tenants at tier 0, 1 and 2, one verification waiting in the staff
queue (/admin/kyc/submission/?queue=waiting), one rejection with its reason, the demo
agency's business verification approved (payouts allowed), and the first landlord (Mathieu
Adjovi, no RCCM) with an approved identity verification — his payouts' path."""

from __future__ import annotations

import io
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from PIL import Image, ImageDraw

from .models import Submission
from .services import documents, submissions

COMPLIANCE_PHONE = "+2290190000003"
ADMIN_PHONE = "+2290190000001"


def _image(label: str, color) -> bytes:
    image = Image.new("RGB", (640, 400), color)
    ImageDraw.Draw(image).text((24, 24), f"DEMO — {label}", fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


def _pdf(label: str) -> bytes:
    return f"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% DEMO {label}\ntrailer << /Root 1 0 R >>\n%%EOF\n".encode()


def _person(user, *, tier: int, first: str, last: str, submit: bool = True) -> Submission:
    draft = submissions.draft_for_user(actor=user)
    submissions.submission_update(
        actor=user,
        submission=draft,
        target_tier=tier,
        first_name=first,
        last_name=last,
        date_of_birth=date(1991, 3, 14),
        nationality="BJ",
        id_number=f"DEMO-{user.pk:06d}",
        id_expiry_date=date.today() + timedelta(days=4 * 365),
        address="Fidjrossè, rue 12.145",
        city="Cotonou",
    )
    documents.document_upload(
        actor=user, kind="id_card", data=_image("CNI", (40, 90, 160)), filename="cni.jpg"
    )
    if tier >= 2:
        documents.document_upload(
            actor=user, kind="selfie", data=_image("selfie", (160, 90, 40)), filename="selfie.jpg"
        )
        documents.document_upload(
            actor=user, kind="proof_of_address", data=_pdf("facture SBEE"), filename="sbee.pdf"
        )
    draft.refresh_from_db()
    return submissions.submission_submit(actor=user, submission=draft) if submit else draft


def _business(org_id: int, owner, *, name: str) -> Submission:
    draft = submissions.draft_for_organization(actor=owner, organization_id=org_id)
    submissions.submission_update(
        actor=owner,
        submission=draft,
        legal_name=name,
        rccm_number=f"RB/COT/24 B {org_id:05d}",
        ifu_number=f"32024{org_id:08d}",
        registered_address="Haie Vive, lot 214, Cotonou",
    )
    director = submissions.director_add(
        actor=owner, organization_id=org_id, full_name=owner.full_name, role="gérant(e)"
    )
    documents.kyb_document_upload(
        actor=owner, organization_id=org_id, kind="rccm", data=_pdf("RCCM"), filename="rccm.pdf"
    )
    documents.kyb_document_upload(
        actor=owner, organization_id=org_id, kind="ifu", data=_pdf("IFU"), filename="ifu.pdf"
    )
    documents.kyb_document_upload(
        actor=owner,
        organization_id=org_id,
        kind="id_card",
        data=_image("CNI dirigeant", (60, 120, 60)),
        director_public_id=director.public_id,
        filename="cni.jpg",
    )
    draft.refresh_from_db()
    return submissions.submission_submit(actor=owner, submission=draft)


def _landlord_identity(org, reviewer) -> None:
    """The demo landlord's (+2290196000001) approved identity verification (an ID card, tier
    1): what an owner-kind organization's payouts need instead of a KYB."""
    if org is None:
        return
    User = get_user_model()
    owner = User.objects.filter(memberships__organization=org, memberships__role="owner").first()
    if owner is None or Submission.objects.filter(user=owner, subject="individual").exists():
        return
    first, _sep, last = owner.full_name.partition(" ")
    submission = _person(owner, tier=1, first=first, last=last or first)
    submissions.submission_approve(actor=reviewer, submission=submission)


def seed(ctx) -> None:
    User = get_user_model()
    reviewer = User.objects.filter(phone=COMPLIANCE_PHONE).first()
    second = User.objects.filter(phone=ADMIN_PHONE).first()
    tenants = ctx.get("tenants") or []
    if reviewer is None or second is None or len(tenants) < 4:
        return  # identity's demo did not run
    plan = [
        (tenants[0], 2, "approve"),
        (tenants[1], 1, "approve"),
        (tenants[2], 1, "pending"),  # waits in the staff queue
        (tenants[3], 1, "reject"),
    ]
    for user, tier, outcome in plan:
        if Submission.objects.filter(user=user, subject="individual").exists():
            continue
        first, _sep, last = user.full_name.partition(" ")
        submission = _person(user, tier=tier, first=first, last=last or first)
        if outcome == "approve":
            for staff in (reviewer, second)[: submission.required_approvals]:
                submission = submissions.submission_approve(actor=staff, submission=submission)
        elif outcome == "reject":
            submissions.submission_reject(
                actor=reviewer,
                submission=submission,
                reason="document_unreadable",
                message="La photo est floue : reprenez-la à la lumière du jour.",
            )
    organizations = ctx.get("organizations") or {}
    _landlord_identity(organizations.get("landlord0"), reviewer)
    # The agency has an RCCM: its payouts need its KYB. The first landlord (Mathieu Adjovi, a
    # person without RCCM) is paid out on his own identity verification instead.
    for key in ("agency",):
        org = organizations.get(key)
        if org is None or Submission.objects.filter(organization=org, subject="business").exists():
            continue
        owner = User.objects.filter(memberships__organization=org, memberships__role="owner").first()
        if owner is None:
            continue
        submission = _business(org.pk, owner, name=org.name)
        submissions.submission_approve(actor=reviewer, submission=submission)
        submissions.submission_approve(actor=second, submission=submission)
    seed_monitoring(organizations.get("agency"), tenants)


def seed_monitoring(organization, payers, *, now=None) -> list[str]:
    """Transaction monitoring's queue (/admin/kyc/alert/?queue=undecided): a tenant paying the
    agency just under 2 000 000 FCFA three times in two days (structuring), another paying
    6 000 000 FCFA at once (large amount). Synthetic transactions (source "demo:monitoring:…"),
    observed once: running the seed again adds nothing."""
    from django.utils import timezone

    from .contracts import ObservedTransaction
    from .services import monitoring

    if organization is None or len(payers) < 2:
        return []
    now = now or timezone.now()
    plan = [
        (payers[-1], 1_950_000, 47),
        (payers[-1], 1_900_000, 30),
        (payers[-1], 1_980_000, 2),
        (payers[0], 6_000_000, 5),
    ]
    alerts = []
    for i, (payer, amount, hours_ago) in enumerate(plan):
        outcome = monitoring.observe(
            ObservedTransaction(
                source_key=f"demo:monitoring:{i}",
                kind="collect",
                amount=amount,
                currency="XOF",
                occurred_at=now - timedelta(hours=hours_ago),
                organization_public_id=str(organization.public_id),
                account="demo-owners-payable",
                payer_phone=str(payer.phone),
                payer_public_id=str(payer.public_id),
                provider="sandbox",
                provider_reference=f"sbx_demo_monitoring_{i}",
            )
        )
        alerts += outcome.alert_ids
    return alerts
