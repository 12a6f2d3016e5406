"""Cases: opened and kept in step with the arrears (set-based, daily and on every payment),
closed when paid, settled or written off; assignment to collectors; notes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from uuid import UUID

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.bulk import insert_rows
from apps.core.errors import NotFound
from apps.core.logging import get_logger
from apps.core.outbox import publish, publish_many
from apps.estate import api as estate
from apps.estate.contracts import ArrearsRow, LeaseStatus
from apps.identity import api as identity
from apps.identity.contracts import OrgRole
from apps.notifications import api as notifications

from .. import metrics
from ..contracts import (
    CaseKind,
    CaseOutcome,
    CaseStatus,
    EventKind,
    InstallmentStatus,
    PlanStatus,
    PromiseStatus,
    TaskStatus,
)
from ..errors import CaseClosedError, InvalidInput, LeaseOnly
from ..events import CaseClosed, CaseOpened
from ..models import AssignmentRule, Case, CaseEvent, CollectorTask, Ladder, PaymentPlan, Promise, StepRun
from .common import aging_invalidate, event, event_row, require, token

logger = get_logger("hokwe.recovery")

LIVE = [CaseStatus.OPEN, CaseStatus.PROMISED, CaseStatus.PLAN, CaseStatus.LEGAL]


def reminder_key_prefix(case: Case) -> str:
    """Every message the ladder sends for a case carries this idempotency-key prefix, so a
    payment can withdraw the ones not yet sent."""
    return f"recovery:case:{case.public_id}:"


def bulk_set(model, objs: list, fields: list[str]) -> None:
    """Write `fields` of `objs` (saved rows of `model`) back: on PostgreSQL one UPDATE … FROM
    unnest(arrays) — Django's `bulk_update` builds a CASE per field and row, which costs
    more than the rest of a ladder chunk; elsewhere (the embedded SQLite profile) Django's
    `bulk_update`. Same columns written, `updated_at` untouched, like `bulk_update`."""
    if not objs:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_update(objs, fields, batch_size=2000)
        return
    meta = model._meta
    pk = meta.pk
    columns = [meta.get_field(name) for name in fields]
    sets = ", ".join(f'"{f.column}" = v."{f.column}"' for f in columns)
    arrays = ", ".join(f"%s::{f.db_type(connection)}[]" for f in [pk, *columns])
    names = ", ".join(f'"{f.column}"' for f in [pk, *columns])
    sql = (
        f'UPDATE "{meta.db_table}" AS t SET {sets} '  # noqa: S608 - the model's table and columns
        f'FROM unnest({arrays}) AS v({names}) WHERE t."{pk.column}" = v."{pk.column}"'
    )
    params = [[f.get_db_prep_save(getattr(o, f.attname), connection) for o in objs] for f in [pk, *columns]]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text) if text else None
    except InvalidOperation:
        return None


def _pick_collector(rules: list[AssignmentRule], row: ArrearsRow) -> int | None:
    for rule in rules:  # by property first, then neighbourhood, then city (priority breaks ties)
        if rule.property and rule.property == row.property:
            return rule.collector_id
    for rule in rules:
        if (
            not rule.property
            and rule.neighbourhood
            and rule.neighbourhood.casefold() == row.neighbourhood.casefold()
            and (not rule.city or rule.city.casefold() == row.city.casefold())
        ):
            return rule.collector_id
    for rule in rules:
        if not rule.property and not rule.neighbourhood and rule.city.casefold() == row.city.casefold():
            return rule.collector_id
    return None


def _new_case(
    row: ArrearsRow, *, org_id: int, tenant_id: int | None, ladder, collector_id, today: date
) -> Case:
    return Case(
        organization_id=org_id,
        lease=row.lease,
        lease_reference=row.lease_reference,
        tenant_id=tenant_id,
        tenant_name=row.tenant_name[:150],
        tenant_phone=row.tenant_phone[:20],
        owner=row.owner,
        property=row.property,
        property_name=row.property_name[:150],
        unit=row.unit,
        unit_label=row.unit_label[:60],
        city=row.city[:100],
        neighbourhood=row.neighbourhood[:100],
        latitude=_decimal(row.latitude),
        longitude=_decimal(row.longitude),
        departed=row.lease_status != LeaseStatus.ACTIVE,
        currency=row.currency,
        amount_at_open=row.overdue,
        amount_owed=row.overdue,
        oldest_due_date=row.oldest_overdue,
        ladder=ladder,
        collector_id=collector_id,
        next_action_on=today,
        token=token(),
        opened_on=today,
    )


@dataclass
class SyncResult:
    opened: int = 0
    updated: int = 0
    closed: int = 0
    open_cases: int = 0


def cases_sync(*, today: date | None = None, organizations: list[UUID] | None = None) -> SyncResult:
    """Bring the cases in line with the arrears: a case for every lease with something past
    due (active or departed tenant), amounts refreshed, cases whose debt is gone closed as
    paid. Set-based: the arrears come aggregated from estate, the writes go in bulk."""
    today = today or timezone.localdate()
    result = SyncResult()
    org_ids: dict[UUID, int] = {}
    if organizations is not None:
        org_ids = identity.organization_ids(organizations)
    live = Case.objects.filter(kind=CaseKind.RENT, status__in=LIVE)  # loan cases: lending's
    if organizations is not None:
        live = live.filter(organization_id__in=org_ids.values())
    existing = {
        c.lease: c for c in live.only("id", "lease", "amount_owed", "oldest_due_date", "departed", "status")
    }
    rows = [r for r in estate.arrears(today=today, organizations=organizations) if r.overdue > 0]
    missing_orgs = {r.organization for r in rows} - set(org_ids)
    if missing_orgs:
        org_ids.update(identity.organization_ids(missing_orgs))
    new_rows = [r for r in rows if r.lease not in existing]
    tenants = identity.user_ids(r.tenant for r in new_rows if r.tenant)
    ladders = {lad.organization_id: lad for lad in Ladder.objects.filter(is_active=True)}
    rules: dict[int, list[AssignmentRule]] = {}
    for rule in AssignmentRule.objects.order_by("priority", "id"):
        rules.setdefault(rule.organization_id, []).append(rule)

    changed: list[Case] = []
    for row in rows:
        case = existing.pop(row.lease, None)
        if case is None:
            continue
        departed = row.lease_status != LeaseStatus.ACTIVE
        if (case.amount_owed, case.oldest_due_date, case.departed) != (
            row.overdue,
            row.oldest_overdue,
            departed,
        ):
            case.amount_owed, case.oldest_due_date, case.departed = row.overdue, row.oldest_overdue, departed
            changed.append(case)
    with transaction.atomic():
        if changed:
            bulk_set(Case, changed, ["amount_owed", "oldest_due_date", "departed"])
        result.updated = len(changed)
        created: list[Case] = []
        for row in new_rows:
            org_id = org_ids[row.organization]
            created.append(
                _new_case(
                    row,
                    org_id=org_id,
                    tenant_id=tenants.get(row.tenant) if row.tenant else None,
                    ladder=ladders.get(org_id),
                    collector_id=_pick_collector(rules.get(org_id, []), row),
                    today=today,
                )
            )
        insert_rows(Case, created)
        insert_rows(CaseEvent, [event_row(c, EventKind.OPENED, amount=c.amount_owed) for c in created])
        publish_many(
            [
                CaseOpened(
                    case_id=str(case.public_id),
                    organization_id=str(row.organization),
                    lease_id=str(row.lease),
                    tenant_id=str(row.tenant or ""),
                    amount=case.amount_owed,
                    currency=case.currency,
                    oldest_due_date=row.oldest_overdue.isoformat() if row.oldest_overdue else "",
                )
                for case, row in zip(created, new_rows, strict=True)
            ]
        )
        result.opened = len(created)
        metrics.CASES.labels(event="opened").inc(len(created))
    for case in existing.values():  # nothing past due any more
        if _close_if_cleared(case.pk, today=today):
            result.closed += 1
    result.open_cases = len(rows)
    return result


def _close_if_cleared(case_id: int, *, today: date) -> bool:
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case_id)
        if case.status == CaseStatus.CLOSED:
            return False
        row = next(iter(estate.arrears(today=today, leases=[case.lease])), None)
        if row is not None and row.overdue > 0:
            return False
        case.amount_owed = 0
        case.save(update_fields=["amount_owed", "updated_at"])
        _close(case, outcome=CaseOutcome.PAID, actor=None, reason="")
        return True


def _close(case: Case, *, outcome: CaseOutcome, actor, reason: str) -> None:
    """Close a locked case: the ladder stops, open tasks, promises and plans end, reminders not
    yet sent are withdrawn, and CaseClosed goes to scoring and analytics."""
    now = timezone.now()
    case.status = CaseStatus.CLOSED
    case.outcome = outcome
    case.closed_at = now
    case.next_action_on = None
    case.paused_until = None
    case.escalate = False
    case.save(
        update_fields=[
            "status",
            "outcome",
            "closed_at",
            "next_action_on",
            "paused_until",
            "escalate",
            "updated_at",
        ]
    )
    CollectorTask.objects.filter(case=case, status=TaskStatus.OPEN).update(status=TaskStatus.CANCELED)
    Promise.objects.filter(case=case, status=PromiseStatus.PENDING).update(
        status=PromiseStatus.KEPT if outcome == CaseOutcome.PAID else PromiseStatus.CANCELED, resolved_at=now
    )
    plans = PaymentPlan.objects.filter(case=case, status__in=[PlanStatus.PROPOSED, PlanStatus.ACTIVE])
    for plan in plans:
        plan.status = (
            PlanStatus.COMPLETED if outcome == CaseOutcome.PAID and plan.accepted_at else PlanStatus.CANCELED
        )
        plan.resolved_at = now
        plan.save(update_fields=["status", "resolved_at", "updated_at"])
        if plan.status == PlanStatus.COMPLETED:
            plan.installments.exclude(status=InstallmentStatus.PAID).update(status=InstallmentStatus.PAID)
    withdrawn = notifications.cancel_pending(
        idempotency_key_prefix=reminder_key_prefix(case), reason="case closed"
    )
    event(
        case,
        EventKind.CLOSED,
        actor=actor,
        text=reason,
        data={"outcome": str(outcome), "withdrawn": withdrawn},
    )
    publish(
        CaseClosed(
            case_id=str(case.public_id),
            organization_id=str(identity.get_organization(id=case.organization_id).public_id),
            lease_id=str(case.lease or ""),
            tenant_id=str(case.tenant.public_id) if case.tenant_id else "",
            outcome=str(outcome),
            recovered=case.recovered,
            amount_at_open=case.amount_at_open,
            currency=case.currency,
            days_open=(timezone.localdate() - case.opened_on).days,
            broken_promises=case.broken_promises,
            kind=str(case.kind),
            loan_id=str(case.loan or ""),
        )
    )
    metrics.CASES.labels(event=f"closed_{outcome}").inc()
    aging_invalidate(case.organization_id)


def payment_applied(
    *,
    payment_id: str,
    lease_id: str,
    amount: int,
    method: str,
    received_on: str,
    metadata: dict | None = None,
    today: date | None = None,
) -> Case | None:
    """Estate applied money to a lease (any method). The open case records it, promises and
    the plan follow, reminders not yet sent are withdrawn, and the case closes once nothing
    is past due. Idempotent on the payment."""
    from .commitments import payment_progress

    today = today or timezone.localdate()
    with transaction.atomic():
        case = (
            Case.objects.select_for_update()
            .filter(kind=CaseKind.RENT, lease=lease_id, status__in=LIVE)
            .first()
        )
        if case is None:
            return None
        if CaseEvent.objects.filter(case=case, kind=EventKind.PAYMENT, data__payment=payment_id).exists():
            return case  # a redelivered event
        row = next(iter(estate.arrears(today=today, leases=[case.lease])), None)
        overdue = row.overdue if row else 0
        case.recovered += amount
        case.amount_owed = overdue
        case.oldest_due_date = row.oldest_overdue if row else None
        case.save(update_fields=["recovered", "amount_owed", "oldest_due_date", "updated_at"])
        event(
            case,
            EventKind.PAYMENT,
            step=case.last_step,
            amount=amount,
            data={
                "payment": payment_id,
                "method": method,
                "received_on": received_on,
                "collector": str(case.collector.public_id) if case.collector_id else "",
                **{k: v for k, v in (metadata or {}).items() if k.startswith("recovery")},
            },
        )
        withdrawn = notifications.cancel_pending(
            idempotency_key_prefix=reminder_key_prefix(case), reason="payment received"
        )
        if withdrawn:
            StepRun.objects.filter(case=case, run_on=today, status=StepRun.Status.DONE).update(
                status=StepRun.Status.CANCELED
            )
        aging_invalidate(case.organization_id)
        if overdue <= 0:
            _close(case, outcome=CaseOutcome.PAID, actor=None, reason="")
        else:
            payment_progress(case, today=today)
        return case


# --- manager actions ---------------------------------------------------------------------------


def _locked(case: Case) -> Case:
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status == CaseStatus.CLOSED:
        raise CaseClosedError()
    return case


def case_assign(*, actor, case: Case, collector: UUID | None) -> Case:
    """Give the case to a collector of the organization (or to nobody)."""
    require(actor, "recovery.case.manage", case)
    collector_id = None
    if collector is not None:
        info_id = identity.user_ids([collector]).get(UUID(str(collector)))
        roles = identity.role_in(user_id=info_id, organization_id=case.organization_id) if info_id else None
        if info_id is None or roles not in {OrgRole.COLLECTOR, OrgRole.MANAGER, OrgRole.OWNER}:
            raise InvalidInput(_("This person is not a collector of the organization."), field="collector")
        collector_id = info_id
    with transaction.atomic():
        case = _locked(case)
        case.collector_id = collector_id
        case.save(update_fields=["collector", "updated_at"])
        CollectorTask.objects.filter(case=case, status=TaskStatus.OPEN).update(collector_id=collector_id)
        event(case, EventKind.ASSIGNED, actor=actor, data={"collector": str(collector or "")})
    return case


def case_note(*, actor, case: Case, text: str, next_action_on: date | None = None) -> CaseEvent:
    require(actor, "recovery.case.work", case)
    text = (text or "").strip()
    if not text:
        raise InvalidInput(_("Write the note."), field="text")
    with transaction.atomic():
        case = _locked(case)
        if next_action_on is not None:
            if next_action_on < timezone.localdate():
                raise InvalidInput(_("The next action cannot be in the past."), field="next_action_on")
            case.next_action_on = next_action_on
            case.save(update_fields=["next_action_on", "updated_at"])
        return event(case, EventKind.NOTE, actor=actor, text=text)


def case_close(*, actor, case: Case, outcome: str, reason: str = "") -> Case:
    """The manager ends the recovery: `settled` (an arrangement outside Hokwe; the dues stay
    as they are) or `written_off` (estate writes the open dues off, on the ledger). A loan
    case is written off by lending's credit staff (the loan book's write-off), never here."""
    require(actor, "recovery.case.manage", case)
    if outcome not in (CaseOutcome.SETTLED, CaseOutcome.WRITTEN_OFF):
        raise InvalidInput(_("Choose settled or written off."), field="outcome")
    if outcome == CaseOutcome.WRITTEN_OFF and case.kind == CaseKind.LOAN:
        raise LeaseOnly(
            _("A loan is written off by the credit team in lending, which closes this case."), field="outcome"
        )
    with transaction.atomic():
        case = _locked(case)
        if outcome == CaseOutcome.WRITTEN_OFF:
            estate.write_off_lease(actor=actor, lease_public_id=case.lease, reason=reason or _("Written off"))
            case.amount_owed = 0
            case.save(update_fields=["amount_owed", "updated_at"])
        _close(case, outcome=CaseOutcome(outcome), actor=actor, reason=reason)
    return case


def case_by_token(token_value: str) -> Case:
    case = Case.objects.select_related("tenant", "ladder").filter(token=str(token_value)[:32]).first()
    if case is None:
        raise NotFound()
    return case
