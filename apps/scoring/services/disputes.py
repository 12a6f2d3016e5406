"""« Contester une ligne »: a tenant disputes one month of their rent history; staff decide
within SCORING_DISPUTE_DAYS (the admin, /admin/scoring/rentlinedispute/), audited.

- open: only a line the tenant actually has (their own rent_lines), one open dispute per line;
- decide (staff): upheld → the line is left out of the score (features skip it, see
  `excluded_lines`) and of the bureau reports; rejected → the line stands. Each decision is an
  audit entry (before/after) and rescores the tenant after commit;
- a dispute past its deadline shows as overdue in the admin (filter « overdue »).
"""

from __future__ import annotations

import logging
from dataclasses import asdict
from datetime import timedelta
from uuid import UUID

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.core.audit import AuditCategory, audit_record, snapshot

from ..contracts import RentLine
from ..errors import DisputeAlreadyDecided, DisputeAlreadyOpen, DisputeDecisionInvalid, RentLineNotFound
from ..models import RentLineDispute

DISPUTE_FIELDS = ["status", "decision_note", "decided_at"]
logger = logging.getLogger(__name__)
DECIDE = "scoring.dispute.decide"  # rules.py: support and compliance staff


def _lines_of(user) -> list[RentLine]:
    from .features import rent_lines  # (services/features.py)

    return list(rent_lines(user.public_id, months=24))


def line_json(line: RentLine) -> dict:
    data = asdict(line)
    data.update(
        lease=str(line.lease),
        organization=str(line.organization),
        due_date=line.due_date.isoformat(),
        code=str(line.code),
    )
    return data


def find_line(user, *, lease: UUID, month: str) -> RentLine:
    for line in _lines_of(user):
        if line.lease == lease and line.month == month:
            return line
    raise RentLineNotFound(field="month")


def open_dispute(*, actor, lease: UUID, month: str, reason: str, details: str = "") -> RentLineDispute:
    """The signed-in tenant disputes one of their own lines (another's line: not found)."""
    if reason not in RentLineDispute.Reason.values:
        raise DisputeDecisionInvalid(field="reason")
    line = find_line(actor, lease=lease, month=month)
    earlier = RentLineDispute.objects.filter(user=actor, lease=lease, month=month).values_list(
        "status", flat=True
    )
    statuses = set(earlier)
    if "open" in statuses:
        raise DisputeAlreadyOpen(field="month")
    if statuses:  # decided once: the decision stands
        raise DisputeAlreadyDecided(field="month")
    try:
        with transaction.atomic():
            return RentLineDispute.objects.create(
                user=actor,
                lease=line.lease,
                organization=line.organization,
                month=line.month,
                reason=reason,
                details=(details or "").strip()[:2000],
                line=line_json(line),
                respond_by=timezone.localdate() + timedelta(days=settings.SCORING_DISPUTE_DAYS),
            )
    except IntegrityError:  # a concurrent twin won the unique open-dispute constraint
        raise DisputeAlreadyOpen(field="month") from None


def decide(*, actor, dispute: RentLineDispute, decision: str, note: str = "") -> RentLineDispute:
    """Staff's decision (upheld / rejected), once, audited; the tenant is rescored after commit."""
    from apps.core.errors import Forbidden
    from apps.identity import api as identity

    if not identity.can(actor, DECIDE, dispute):
        raise Forbidden()
    if decision not in (RentLineDispute.Status.UPHELD, RentLineDispute.Status.REJECTED):
        raise DisputeDecisionInvalid(field="decision")
    with transaction.atomic():
        locked = RentLineDispute.objects.select_for_update().get(pk=dispute.pk)
        if locked.status != RentLineDispute.Status.OPEN:
            raise DisputeAlreadyDecided()
        before = snapshot(locked, fields=DISPUTE_FIELDS)
        locked.status = decision
        locked.decision_note = (note or "").strip()[:2000]
        locked.decided_at = timezone.now()
        locked.decided_by = actor
        locked.save(update_fields=["status", "decision_note", "decided_at", "decided_by", "updated_at"])
        audit_record(
            action=f"scoring.dispute.{decision}",
            category=AuditCategory.STAFF,
            actor=actor,
            organization=locked.organization,
            target=locked,
            before=before,
            after=snapshot(locked, fields=DISPUTE_FIELDS),
            reason=locked.decision_note or decision,
        )
        user_id = locked.user.public_id
        transaction.on_commit(lambda: _rescore(user_id))
        transaction.on_commit(lambda: _tell_tenant(locked))
    return locked


def _rescore(user_id: UUID) -> None:
    """The tenant's score again once the decision is committed (an upheld line no longer
    counts); a failure leaves the nightly rescore to catch up."""
    from .scores import rescore

    try:
        rescore(user_id, reason="dispute decided")
    except Exception:
        logger.warning("scoring_dispute_rescore_failed", exc_info=True)


def _tell_tenant(dispute: RentLineDispute) -> None:
    """The decision by SMS, once (keyed on the dispute), with the link to its page."""
    from django.urls import reverse

    from apps.notifications import api as notifications

    from ..messages import DISPUTE_REJECTED, DISPUTE_UPHELD

    base = (
        getattr(settings, "ESTATE_PUBLIC_BASE_URL", "")
        or getattr(settings, "PAYMENT_PUBLIC_BASE_URL", "")
        or "https://hokwe.com"
    )
    url = base.rstrip("/") + reverse("scoring:score-dispute", args=[dispute.public_id])
    key = DISPUTE_UPHELD if dispute.status == RentLineDispute.Status.UPHELD else DISPUTE_REJECTED
    try:
        notifications.send(
            dispute.user.public_id,
            key,
            {"month": dispute.month, "dispute_url": url},
            idempotency_key=f"scoring.dispute.{dispute.public_id}",
        )
    except Exception:
        logger.warning("scoring_dispute_notice_failed", exc_info=True)


def excluded_lines(user_ids) -> dict[UUID, set[tuple[UUID, str]]]:
    """{user public id: {(lease, "YYYY-MM")}}: the lines an upheld dispute takes out of the
    score and of bureau reports (features_for reads it, one query)."""
    out: dict[UUID, set[tuple[UUID, str]]] = {}
    rows = RentLineDispute.objects.filter(user__public_id__in=list(user_ids), status="upheld").values_list(
        "user__public_id", "lease", "month"
    )
    for user_id, lease, month in rows:
        out.setdefault(user_id, set()).add((lease, month))
    return out


def disputes_of(user):
    return RentLineDispute.objects.filter(user=user).order_by("-created_at", "-id")


def dispute_of(user, dispute_id) -> RentLineDispute:
    from apps.core.errors import NotFound

    try:
        return RentLineDispute.objects.get(user=user, public_id=dispute_id)
    except (RentLineDispute.DoesNotExist, ValueError, TypeError):
        raise NotFound(field="disputeId") from None


def state_by_line(user) -> dict[tuple[UUID, str], RentLineDispute]:
    """The latest dispute of each of the user's lines (to show « contested » on the line)."""
    latest: dict[tuple[UUID, str], RentLineDispute] = {}
    for dispute in disputes_of(user):
        latest.setdefault((dispute.lease, dispute.month), dispute)
    return latest


def overdue():
    return RentLineDispute.objects.filter(status="open", respond_by__lt=timezone.localdate())
