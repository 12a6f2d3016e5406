"""Field collectors: today's worklist, calls, visits with GPS, cash through payments, and the
end-of-day cash handover reconciled against the ledger. Every write carries the app's
idempotency key: a collector app on a bad network may retry, it is counted once."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from uuid import UUID

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.errors import IdempotencyConflict, NotFound
from apps.estate import api as estate
from apps.identity import api as identity
from apps.payments import api as payments

from ..contracts import (
    CallOutcome,
    CaseStatus,
    EventKind,
    HandoverStatus,
    PromiseStatus,
    TaskStatus,
    VisitOutcome,
)
from ..errors import HandoverMismatch, InvalidInput
from ..models import Call, Case, CashCollection, CashHandover, CollectorTask, Promise, Visit
from .common import event, organization_currency, refuse_for_loan, require


def _key(value: str) -> str:
    value = (value or "").strip()
    if not value or len(value) > 100:
        raise InvalidInput(
            _("An idempotency key (1 to 100 characters) is required."), field="Idempotency-Key"
        )
    return value


def _coord(value, field_name: str, limit: int) -> Decimal:
    try:
        d = Decimal(str(value)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError, TypeError):
        raise InvalidInput(field=field_name)
    if not d.is_finite() or abs(d) > limit:
        raise InvalidInput(_("This GPS position is not valid."), field=field_name)
    return d


def distance_m(lat1, lon1, lat2, lon2) -> int | None:
    """Great-circle distance in metres (haversine); None when a point is unknown."""
    if None in (lat1, lon1, lat2, lon2):
        return None
    p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
    dp, dl = p2 - p1, math.radians(float(lon2) - float(lon1))
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return int(round(2 * 6_371_000 * math.asin(math.sqrt(a))))


def _when(value: datetime | None) -> datetime:
    now = timezone.now()
    if value is None:
        return now
    if timezone.is_naive(value):
        raise InvalidInput(_("Give the time with its time zone."), field="at")
    if value > now + timezone.timedelta(minutes=10):
        raise InvalidInput(_("This time is in the future."), field="at")
    return value


# --- worklist -----------------------------------------------------------------------------------------


@dataclass
class WorkItem:
    case: Case
    score: int
    distance_m: int | None
    reasons: list[str] = field(default_factory=list)
    tasks: list[CollectorTask] = field(default_factory=list)
    promise_due: date | None = None


def worklist(
    *, actor, latitude=None, longitude=None, today: date | None = None, limit: int = 200
) -> list[WorkItem]:
    """The collector's cases for today, best first: amount owed, age of the debt, a promise
    falling due, an open call or visit task, and nearness to where the collector stands."""
    today = today or timezone.localdate()
    lat = _coord(latitude, "latitude", 90) if latitude not in (None, "") else None
    lon = _coord(longitude, "longitude", 180) if longitude not in (None, "") else None
    cases = list(
        Case.objects.filter(collector=actor)
        .exclude(status=CaseStatus.CLOSED)
        .filter(organization_id__in=identity.organization_ids_of(actor))
        .order_by("id")[:2000]
    )
    tasks: dict[int, list[CollectorTask]] = {}
    for task in CollectorTask.objects.filter(
        case__in=cases, status=TaskStatus.OPEN, due_on__lte=today
    ).order_by("due_on"):
        tasks.setdefault(task.case_id, []).append(task)
    promises = dict(
        Promise.objects.filter(case__in=cases, status=PromiseStatus.PENDING).values_list(
            "case_id", "promised_on"
        )
    )
    items = []
    for case in cases:
        reasons, score = [], 0
        score += min(case.amount_owed // 10_000, 50) * 2  # up to 100 for 500 000 owed
        age = (today - case.oldest_due_date).days if case.oldest_due_date else 0
        score += min(age, 120) // 2  # up to 60
        promised = promises.get(case.pk)
        if promised is not None and promised <= today:
            score += 80
            reasons.append(_("promise due"))
        case_tasks = tasks.get(case.pk, [])
        if case_tasks:
            score += 50
            reasons.append(_("task to do"))
        if case.next_action_on is not None and case.next_action_on <= today:
            score += 20
        dist = distance_m(lat, lon, case.latitude, case.longitude)
        if dist is not None:
            score -= min(dist // 500, 60)  # -1 per 500 m, up to 30 km
        items.append(WorkItem(case, score, dist, reasons, case_tasks, promised))
    items.sort(key=lambda i: (-i.score, i.distance_m if i.distance_m is not None else 10**9, i.case.pk))
    return items[:limit]


# --- calls and visits ---------------------------------------------------------------------------------


def _replayed(model, actor, key: str, **same):
    row = model.objects.filter(collector=actor, idempotency_key=key).first()
    if row is None:
        return None
    if any(getattr(row, k) != v for k, v in same.items()):
        raise IdempotencyConflict(field="Idempotency-Key")
    return row


def _finish_tasks(case: Case, kind: str) -> None:
    CollectorTask.objects.filter(case=case, kind=kind, status=TaskStatus.OPEN).update(
        status=TaskStatus.DONE, done_at=timezone.now()
    )


def call_record(
    *,
    actor,
    case: Case,
    outcome: str,
    idempotency_key: str,
    note: str = "",
    called_at: datetime | None = None,
) -> Call:
    require(actor, "recovery.case.work", case)
    key = _key(idempotency_key)
    if outcome not in CallOutcome.__members__.values():
        raise InvalidInput(field="outcome")
    existing = _replayed(Call, actor, key, case_id=case.pk, outcome=outcome)
    if existing:
        return existing
    try:
        with transaction.atomic():
            call = Call.objects.create(
                case=case,
                collector=actor,
                outcome=outcome,
                note=note[:2000],
                called_at=_when(called_at),
                idempotency_key=key,
            )
            _finish_tasks(case, "call")
            event(case, EventKind.CALL, actor=actor, text=note, data={"outcome": outcome}, at=call.called_at)
            return call
    except IntegrityError:  # the same retry, concurrently
        return _replayed(Call, actor, key, case_id=case.pk, outcome=outcome)


def visit_record(
    *,
    actor,
    case: Case,
    outcome: str,
    latitude,
    longitude,
    idempotency_key: str,
    accuracy_m: int | None = None,
    visited_at: datetime | None = None,
    note: str = "",
) -> Visit:
    """A visit with its GPS fix and time (the device's), and how far it was from the
    property; closes the open visit task."""
    require(actor, "recovery.case.work", case)
    key = _key(idempotency_key)
    if outcome not in VisitOutcome.__members__.values():
        raise InvalidInput(field="outcome")
    lat, lon = _coord(latitude, "latitude", 90), _coord(longitude, "longitude", 180)
    if accuracy_m is not None and (
        isinstance(accuracy_m, bool) or not isinstance(accuracy_m, int) or not 0 <= accuracy_m <= 100_000
    ):
        raise InvalidInput(field="accuracy_m")
    existing = _replayed(Visit, actor, key, case_id=case.pk, outcome=outcome)
    if existing:
        return existing
    try:
        with transaction.atomic():
            visit = Visit.objects.create(
                case=case,
                collector=actor,
                outcome=outcome,
                latitude=lat,
                longitude=lon,
                accuracy_m=accuracy_m,
                distance_m=distance_m(lat, lon, case.latitude, case.longitude),
                visited_at=_when(visited_at),
                note=note[:2000],
                idempotency_key=key,
            )
            _finish_tasks(case, "visit")
            event(
                case,
                EventKind.VISIT,
                actor=actor,
                text=note,
                data={
                    "outcome": outcome,
                    "latitude": str(lat),
                    "longitude": str(lon),
                    "accuracy_m": accuracy_m,
                    "distance_m": visit.distance_m,
                },
                at=visit.visited_at,
            )
            return visit
    except IntegrityError:
        return _replayed(Visit, actor, key, case_id=case.pk, outcome=outcome)


# --- cash ------------------------------------------------------------------------------------------------


def cash_collect(
    *, actor, case: Case, amount: int, idempotency_key: str, latitude=None, longitude=None
) -> CashCollection:
    """The collector received cash: through payments (a numbered receipt, sent to the tenant
    by SMS at once), applied by estate to the oldest dues; the case follows through the
    payment event. A retry with the same key returns the first collection."""
    require(actor, "recovery.case.work", case)
    refuse_for_loan(case)  # cash for a loan is recorded on lending's repayment link
    key = _key(idempotency_key)
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise InvalidInput(_("The amount must be positive."), field="amount")
    existing = _replayed(CashCollection, actor, key, case_id=case.pk, amount=amount)
    if existing:
        return existing
    if case.status == CaseStatus.CLOSED:
        from ..errors import CaseClosedError

        raise CaseClosedError()
    if amount > case.amount_owed:
        raise InvalidInput(_("The amount is more than what is owed."), field="amount")
    lat = _coord(latitude, "latitude", 90) if latitude not in (None, "") else None
    lon = _coord(longitude, "longitude", 180) if longitude not in (None, "") else None
    try:
        with transaction.atomic():
            payment = estate.record_cash(
                actor=actor,
                lease_public_id=case.lease,
                amount=amount,
                idempotency_key=f"recovery:cash:{actor.public_id}:{key}",
                reference=f"Recouvrement {case.lease_reference}",
            )
            collection = CashCollection.objects.create(
                case=case,
                collector=actor,
                amount=amount,
                currency=case.currency,
                payment=payment.public_id,
                receipt_number=payment.receipt_number,
                latitude=lat,
                longitude=lon,
                collected_at=timezone.now(),
                idempotency_key=key,
            )
            event(
                case,
                EventKind.CASH,
                actor=actor,
                amount=amount,
                data={"receipt": payment.receipt_number, "payment": str(payment.public_id)},
            )
            return collection
    except IntegrityError:
        row = _replayed(CashCollection, actor, key, case_id=case.pk, amount=amount)
        if row is None:
            raise
        return row


def _collector(organization_id: int, collector: UUID):
    user_id = identity.user_ids([collector]).get(UUID(str(collector)))
    if user_id is None or identity.role_in(user_id=user_id, organization_id=organization_id) is None:
        raise NotFound()
    return user_id


def handover_preview(*, actor, organization_id: int, collector: UUID) -> dict:
    """What the collector should hand over: receipts not yet handed over, and what the ledger
    says they hold (the cash-on-hand account payments credited for every cash receipt)."""
    identity.require(actor, "recovery.handover.confirm", organization_id, hide=True)
    user_id = _collector(organization_id, collector)
    pending = CashCollection.objects.filter(
        collector_id=user_id, case__organization_id=organization_id, handover__isnull=True
    )
    collected = pending.aggregate(s=Sum("amount"))["s"] or 0
    currency = organization_currency(organization_id)
    return {
        "collector": UUID(str(collector)),
        "collections": pending.count(),
        "collected": collected,
        "ledger_balance": payments.agent_cash_balance(agent=UUID(str(collector)), currency=currency),
        "currency": currency,
    }


def handover_create(
    *, actor, organization_id: int, collector: UUID, declared: int, idempotency_key: str, note: str = ""
) -> CashHandover:
    """The manager counts the cash the collector hands over. More than the ledger says the
    collector holds is refused (count again); less is recorded as short, and the difference
    stays on the collector's cash account."""
    identity.require(actor, "recovery.handover.confirm", organization_id, hide=True)
    # a key is the receiving manager's own (the column is unique across organizations)
    key = f"{actor.pk}:{hashlib.sha256(_key(idempotency_key).encode()).hexdigest()[:48]}"
    existing = CashHandover.objects.filter(idempotency_key=key).first()
    if existing is not None:
        if existing.declared != declared or existing.organization_id != organization_id:
            raise IdempotencyConflict(field="Idempotency-Key")
        return existing
    preview = handover_preview(actor=actor, organization_id=organization_id, collector=collector)
    if isinstance(declared, bool) or not isinstance(declared, int) or declared <= 0:
        raise InvalidInput(_("The amount must be positive."), field="declared")
    if declared > preview["ledger_balance"]:
        raise HandoverMismatch(field="declared")
    user_id = _collector(organization_id, collector)
    org = identity.get_organization(id=organization_id)
    with transaction.atomic():
        transfer = payments.cash_handover(
            actor=actor,
            agent=UUID(str(collector)),
            organization=org.public_id,
            amount=declared,
            idempotency_key=f"recovery:{key}",
        )
        difference = preview["ledger_balance"] - declared
        handover = CashHandover.objects.create(
            organization_id=organization_id,
            collector_id=user_id,
            day=timezone.localdate(),
            currency=preview["currency"],
            collected=preview["collected"],
            ledger_balance=preview["ledger_balance"],
            declared=declared,
            difference=difference,
            status=HandoverStatus.BALANCED if difference == 0 else HandoverStatus.SHORT,
            received_by=actor,
            transfer=transfer,
            idempotency_key=key,
            note=note[:2000],
        )
        CashCollection.objects.filter(
            collector_id=user_id, case__organization_id=organization_id, handover__isnull=True
        ).update(handover=handover)
        return handover


def task_complete(*, actor, task: CollectorTask) -> CollectorTask:
    require(actor, "recovery.case.work", task.case)
    if task.status == TaskStatus.OPEN:
        task.status = TaskStatus.DONE
        task.done_at = timezone.now()
        task.save(update_fields=["status", "done_at", "updated_at"])
    return task
