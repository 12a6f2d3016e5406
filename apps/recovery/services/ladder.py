"""Dunning ladders (échelles de relance) and the daily run.

A run walks every live case one step at a time, in ladder order: the next step not yet done
whose day (from the oldest unpaid due date) has come — or, after a broken promise, the next
step at once. A step is done once per case, ever (StepRun's unique key), so a second run the
same day sends nothing. Cases are locked with SKIP LOCKED: a case being paid right now is
left for the next run; a payment landing after the step withdraws its queued messages.
Before the due date (negative days), courtesy reminders go per due, once per due and step.
Nothing runs in the ladder's quiet hours, on Sundays or public holidays when so configured."""

from __future__ import annotations

import time as clock
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from urllib.parse import quote

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.bulk import insert_rows
from apps.core.logging import get_logger
from apps.core.money import Money
from apps.estate import api as estate
from apps.identity import api as identity
from apps.notifications import api as notifications
from apps.notifications.contracts import SendRequest

from .. import metrics
from ..contracts import MESSAGE_ACTIONS, CaseKind, CaseStatus, EventKind, LegalKind, StepAction, TaskKind
from ..daysoff import is_public_holiday
from ..errors import LadderInvalid
from ..messages import RECOVERY_LOAN_REMINDER, RECOVERY_REMINDER
from ..models import Case, CaseEvent, CollectorTask, Holiday, Ladder, LadderStep, StepRun
from .cases import bulk_set, reminder_key_prefix
from .common import aging_invalidate, event_row, portal_url

logger = get_logger("hokwe.recovery")

# ladder steps that act on the lease: passed over on a loan case
LEASE_ONLY_ACTIONS = frozenset({StepAction.FORMAL_NOTICE, StepAction.LATE_FEE})

DEFAULT_STEPS = (
    (-3, StepAction.SMS, "Rappel courtois avant l'échéance"),
    (3, StepAction.SMS, "Première relance"),
    (10, StepAction.SMS, "Deuxième relance"),
    (10, StepAction.EMAIL, "Deuxième relance (e-mail)"),
    (15, StepAction.CALL, "Appel du recouvreur"),
    (20, StepAction.VISIT, "Visite du recouvreur"),
    (30, StepAction.FORMAL_NOTICE, "Mise en demeure (8 jours)"),
    (45, StepAction.LEGAL, "Transmission à l'huissier"),
)


def ladder_default(*, organization_id: int) -> Ladder:
    """The organization's active ladder, created from Gérerseul's practice when it has none:
    a courtesy SMS 3 days before, reminders at days 3 and 10, a call at 15, a visit at 20, a
    formal notice at 30 with 8 days to pay, the bailiff at 45."""
    with transaction.atomic():
        ladder = (
            Ladder.objects.select_for_update().filter(organization_id=organization_id, is_active=True).first()
        )
        if ladder is not None:
            return ladder
        org = identity.get_organization(id=organization_id)
        ladder = Ladder.objects.create(
            organization_id=organization_id, name=_("Standard ladder"), country=(org.country or "BJ")[:2]
        )
        LadderStep.objects.bulk_create(
            [LadderStep(ladder=ladder, day_offset=d, action=a, label=label) for d, a, label in DEFAULT_STEPS]
        )
        Case.objects.filter(organization_id=organization_id, ladder__isnull=True).exclude(
            status=CaseStatus.CLOSED
        ).update(ladder=ladder)
        return ladder


@dataclass(frozen=True)
class StepInput:
    day_offset: int
    action: str
    label: str = ""
    pay_within_days: int = 8
    min_amount: int = 0


def ladder_save(
    *,
    actor,
    organization_id: int,
    steps: list[StepInput],
    name: str | None = None,
    quiet_start: time | None = None,
    quiet_end: time | None = None,
    skip_sundays: bool | None = None,
    skip_holidays: bool | None = None,
    country: str | None = None,
) -> Ladder:
    """Replace the organization's ladder settings and steps. Steps already run keep their
    history (they are deactivated, not deleted, when they leave the ladder)."""
    identity.require(actor, "recovery.ladder.manage", organization_id, hide=True)
    seen = set()
    for s in steps:
        if s.action not in StepAction.__members__.values():
            raise LadderInvalid(_("Unknown action: %(a)s.") % {"a": s.action}, field="steps")
        if not (-60 <= int(s.day_offset) <= 730):
            raise LadderInvalid(_("Days must be between -60 and 730."), field="steps")
        if s.day_offset <= 0 and s.action not in MESSAGE_ACTIONS | {StepAction.WHATSAPP}:
            raise LadderInvalid(_("Before the due date, only reminders can be sent."), field="steps")
        if (s.day_offset, s.action) in seen:
            raise LadderInvalid(_("The same action twice on the same day."), field="steps")
        if not (1 <= s.pay_within_days <= 60) or s.min_amount < 0:
            raise LadderInvalid(field="steps")
        seen.add((s.day_offset, s.action))
    if not steps:
        raise LadderInvalid(_("A ladder needs at least one step."), field="steps")
    with transaction.atomic():
        ladder = ladder_default(organization_id=organization_id)
        ladder = Ladder.objects.select_for_update().get(pk=ladder.pk)
        for attr, value in (
            ("name", name),
            ("quiet_start", quiet_start),
            ("quiet_end", quiet_end),
            ("skip_sundays", skip_sundays),
            ("skip_holidays", skip_holidays),
            ("country", country),
        ):
            if value is not None:
                setattr(ladder, attr, value)
        ladder.save()
        current = {(s.day_offset, s.action): s for s in ladder.steps.all()}
        keep = set()
        for s in steps:
            row = current.get((s.day_offset, s.action))
            if row is None:
                row = LadderStep(ladder=ladder, day_offset=s.day_offset, action=s.action)
            row.label, row.pay_within_days, row.min_amount, row.is_active = (
                s.label[:100],
                s.pay_within_days,
                s.min_amount,
                True,
            )
            row.save()
            keep.add(row.pk)
        ladder.steps.exclude(pk__in=keep).update(is_active=False)
    return ladder


def holiday_add(*, actor, organization_id: int, on: date, name: str) -> Holiday:
    identity.require(actor, "recovery.ladder.manage", organization_id, hide=True)
    if not name.strip():
        raise LadderInvalid(_("Name the day off."), field="name")
    holiday, _created = Holiday.objects.update_or_create(
        organization_id=organization_id, date=on, defaults={"name": name.strip()[:100]}
    )
    return holiday


def is_day_off(ladder: Ladder, day: date) -> bool:
    if ladder.skip_sundays and day.weekday() == 6:
        return True
    if not ladder.skip_holidays:
        return False
    return is_public_holiday(country=ladder.country, day=day, organization_id=ladder.organization_id)


def in_quiet_hours(ladder: Ladder, now: datetime) -> bool:
    t = timezone.localtime(now).time()
    start, end = ladder.quiet_start, ladder.quiet_end
    if start == end:
        return False
    return (start <= t or t < end) if start > end else (start <= t < end)


# --- the run ------------------------------------------------------------------------------------------


@dataclass
class RunResult:
    organizations: int = 0
    skipped_quiet: int = 0
    skipped_day_off: int = 0
    cases_seen: int = 0
    steps: int = 0
    courtesy: int = 0
    messages: int = 0
    tasks: int = 0
    notices: int = 0
    late_fees: int = 0
    legal: int = 0
    seconds: float = 0.0
    by_action: dict = field(default_factory=dict)


def _next_step(case: Case, steps: list[LadderStep], done: set[int], days: int) -> LadderStep | None:
    position = -1
    if case.last_step_id is not None:
        position = next((i for i, s in enumerate(steps) if s.pk == case.last_step_id), -1)
    for i, step in enumerate(steps):
        if step.pk in done or (i <= position and position >= 0):
            continue
        if step.min_amount and case.amount_owed < step.min_amount:
            continue
        if step.day_offset <= days or case.escalate:
            return step
        return None  # steps are in order: the next one's day has not come
    return None


def _whatsapp_link(case: Case, text: str) -> str:
    phone = "".join(ch for ch in case.tenant_phone if ch.isdigit())
    return f"https://wa.me/{phone}?text={quote(text)}" if phone else f"https://wa.me/?text={quote(text)}"


def ladder_run(
    *,
    today: date | None = None,
    now: datetime | None = None,
    organizations: list[int] | None = None,
    chunk_size: int = 1000,
) -> RunResult:
    """Run every active ladder once for `today` (idempotent: run it hourly, it acts once)."""
    started = clock.perf_counter()
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    result = RunResult()
    ladders = Ladder.objects.filter(is_active=True)
    if organizations is not None:
        ladders = ladders.filter(organization_id__in=organizations)
    for ladder in ladders:
        if in_quiet_hours(ladder, now):
            result.skipped_quiet += 1
            continue
        if is_day_off(ladder, today):
            result.skipped_day_off += 1
            continue
        result.organizations += 1
        steps = list(ladder.steps.filter(is_active=True).order_by("day_offset", "id"))
        _courtesy(ladder, [s for s in steps if s.day_offset <= 0], today, result)
        after = [s for s in steps if s.day_offset > 0]
        if after:
            _cases(ladder, after, today, result, chunk_size)
    result.seconds = clock.perf_counter() - started
    metrics.LADDER_SECONDS.observe(result.seconds)
    return result


def _courtesy(ladder: Ladder, steps: list[LadderStep], today: date, result: RunResult) -> None:
    """Reminders before (or on) the due date, per due: only the latest step that applies."""
    if not steps:
        return
    org = identity.get_organization(id=ladder.organization_id)
    horizon = max(-s.day_offset for s in steps)
    dues = estate.upcoming_dues(
        organization=org.public_id, due_from=today, due_to=today + timedelta(days=horizon)
    )
    if not dues:
        return
    subjects = [f"due:{d.due}" for d in dues]
    done = set(StepRun.objects.filter(step__in=steps, subject__in=subjects).values_list("step_id", "subject"))
    runs, requests = [], []
    for due in dues:
        days = (today - due.due_date).days  # <= 0
        step = next((s for s in reversed(steps) if s.day_offset <= days), None)
        subject = f"due:{due.due}"
        if (
            step is None
            or (step.pk, subject) in done
            or any((s.pk, subject) in done for s in steps if s.day_offset > step.day_offset)
        ):
            continue
        runs.append(StepRun(step=step, subject=subject, run_on=today, amount_owed=due.outstanding))
        if step.action in MESSAGE_ACTIONS:
            requests.append(
                SendRequest(
                    recipient=str(due.tenant) if due.tenant else due.tenant_phone,
                    template_key=RECOVERY_REMINDER,
                    context={
                        "tenant_name": due.tenant_name or "-",
                        "amount": Money(due.outstanding, due.currency).to_dict(),
                        "oldest_due_date": due.due_date.isoformat(),
                        "days_late": 0,
                        "property_name": due.property_name,
                        "pay_url": due.pay_url,
                    },
                    channels=(str(step.action),),
                    idempotency_key=f"recovery:due:{due.due}:step:{step.public_id}",
                    organization=str(org.public_id),
                )
            )
    requests = [r for r in requests if r.recipient]
    with transaction.atomic():
        StepRun.objects.bulk_create(runs, ignore_conflicts=True)
        if requests:
            notifications.send_many(requests)
    result.courtesy += len(runs)
    result.messages += len(requests)


def _cases(ladder: Ladder, steps: list[LadderStep], today: date, result: RunResult, chunk_size: int) -> None:
    ids = list(
        Case.objects.filter(ladder=ladder, status__in=[CaseStatus.OPEN, CaseStatus.PROMISED])
        .filter(Q(paused_until__isnull=True) | Q(paused_until__lt=today))
        .order_by("id")
        .values_list("id", flat=True)
    )
    for start in range(0, len(ids), chunk_size):
        _chunk(ladder, steps, ids[start : start + chunk_size], today, result)


def _chunk(ladder: Ladder, steps: list[LadderStep], ids: list[int], today: date, result: RunResult) -> None:
    by_id = {s.pk: s for s in steps}
    with transaction.atomic():
        cases = list(
            Case.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("tenant")
            .filter(pk__in=ids, status__in=[CaseStatus.OPEN, CaseStatus.PROMISED])
            .filter(Q(paused_until__isnull=True) | Q(paused_until__lt=today))
        )
        result.cases_seen += len(cases)
        done: dict[int, set[int]] = {}
        acted_today: set[int] = set()  # one step per case and day: a second run moves nothing
        for case_id, step_id, run_on in StepRun.objects.filter(case_id__in=[c.pk for c in cases]).values_list(
            "case_id", "step_id", "run_on"
        ):
            done.setdefault(case_id, set()).add(step_id)
            if run_on == today:
                acted_today.add(case_id)
        runs, events, tasks, requests, touched = [], [], [], [], []
        organization = str(identity.get_organization(id=ladder.organization_id).public_id)
        specials: list[tuple[Case, LadderStep]] = []
        for case in cases:
            if case.amount_owed <= 0 or case.oldest_due_date is None or case.pk in acted_today:
                continue
            days = (today - case.oldest_due_date).days
            step = _next_step(case, steps, done.get(case.pk, set()), days)
            if step is None:
                continue
            runs.append(
                StepRun(
                    step=step,
                    case=case,
                    subject=f"case:{case.pk}",
                    run_on=today,
                    amount_owed=case.amount_owed,
                )
            )
            case.last_step = step
            case.escalate = False
            result.by_action[step.action] = result.by_action.get(step.action, 0) + 1
            if step.action in MESSAGE_ACTIONS:
                recipient = str(case.tenant.public_id) if case.tenant_id else case.tenant_phone
                if recipient:
                    requests.append(_reminder(case, step, recipient, days, organization=organization))
                events.append(
                    event_row(
                        case,
                        EventKind.REMINDER,
                        step=step,
                        amount=case.amount_owed,
                        data={"channel": step.action},
                    )
                )
            elif step.action == StepAction.WHATSAPP:
                text = (
                    _("Hello %(name)s, %(amount)s of rent is unpaid. Pay here: %(url)s")
                    if case.kind != CaseKind.LOAN
                    else _("Hello %(name)s, %(amount)s of your loan is unpaid. Repay here: %(url)s")
                ) % {
                    "name": case.tenant_name or "",
                    "amount": Money(case.amount_owed, case.currency).format("fr"),
                    "url": pay_url(case),
                }
                events.append(
                    event_row(
                        case,
                        EventKind.WHATSAPP,
                        step=step,
                        amount=case.amount_owed,
                        text=text,
                        data={"url": _whatsapp_link(case, text)},
                    )
                )
            elif step.action in (StepAction.CALL, StepAction.VISIT):
                tasks.append(
                    CollectorTask(
                        case=case,
                        collector_id=case.collector_id,
                        kind=TaskKind.CALL if step.action == StepAction.CALL else TaskKind.VISIT,
                        step=step,
                        due_on=today,
                    )
                )
                events.append(event_row(case, EventKind.TASK, step=step, data={"kind": step.action}))
            elif case.kind == CaseKind.LOAN and step.action in LEASE_ONLY_ACTIONS:
                # a formal notice on the lease or the lease's late fees: not for a loan debt
                # (lending charges its own late fees); the step is passed, the next one follows
                runs[-1].status = StepRun.Status.SKIPPED
            else:
                specials.append((case, step))
            touched.append(case)
        insert_rows(StepRun, runs)  # the unique key refuses a concurrent duplicate: the chunk rolls back
        insert_rows(CollectorTask, tasks)
        insert_rows(CaseEvent, events)
        for case, step in specials:
            _special(ladder, case, step, today, result)
        for case in touched:
            nxt = next(
                (s for s in steps if s.day_offset > (case.last_step.day_offset if case.last_step else 0)),
                None,
            )
            case.next_action_on = (
                max(case.oldest_due_date + timedelta(days=nxt.day_offset), today + timedelta(days=1))
                if nxt
                else None
            )
        bulk_set(Case, touched, ["last_step", "escalate", "next_action_on", "status"])
        if requests:
            notifications.send_many(requests)
        result.steps += len(runs)
        result.tasks += len(tasks)
        result.messages += len(requests)
        for run in runs:
            metrics.STEPS_RUN.labels(action=by_id[run.step_id].action, status="done").inc()


def pay_url(case: Case) -> str:
    """Where a reminder sends the debtor: the debtor portal of a rent case; for a loan case,
    lending's repayment link (the portal when lending gave none)."""
    if case.kind == CaseKind.LOAN and case.pay_url:
        return case.pay_url
    return portal_url(case)


def _reminder(
    case: Case, step: LadderStep, recipient: str, days: int, *, organization: str | None = None
) -> SendRequest:
    if case.kind == CaseKind.LOAN:
        template, context = (
            RECOVERY_LOAN_REMINDER,
            {
                "tenant_name": case.tenant_name or "-",
                "amount": Money(case.amount_owed, case.currency).to_dict(),
                "oldest_due_date": case.oldest_due_date.isoformat(),
                "days_late": days,
                "loan_number": case.loan_reference,
                "pay_url": pay_url(case),
            },
        )
    else:
        template, context = (
            RECOVERY_REMINDER,
            {
                "tenant_name": case.tenant_name or "-",
                "amount": Money(case.amount_owed, case.currency).to_dict(),
                "oldest_due_date": case.oldest_due_date.isoformat(),
                "days_late": days,
                "property_name": f"{case.property_name}, {case.unit_label}",
                "pay_url": portal_url(case),
            },
        )
    return SendRequest(
        recipient=recipient,
        template_key=template,
        context=context,
        channels=(str(step.action),) if step.action != StepAction.PUSH else ("push", "inapp"),
        idempotency_key=f"{reminder_key_prefix(case)}step:{step.public_id}",
        organization=organization,
    )


def _special(ladder: Ladder, case: Case, step: LadderStep, today: date, result: RunResult) -> None:
    """Formal notice, late fee, legal: one case at a time (rare, and each writes more)."""
    from .notices import formal_notice_issue, legal_escalate

    if step.action == StepAction.FORMAL_NOTICE:
        formal_notice_issue(case=case, step=step, today=today)
        result.notices += 1
    elif step.action == StepAction.LATE_FEE:
        added = estate.apply_late_fees(case.lease, today=today)
        CaseEvent.objects.create(
            case=case, kind=EventKind.LATE_FEE, step=step, amount=added, happened_at=timezone.now()
        )
        if added:
            case.amount_owed += added
            Case.objects.filter(pk=case.pk).update(amount_owed=case.amount_owed)
            aging_invalidate(case.organization_id)
        result.late_fees += 1
    elif step.action == StepAction.LEGAL:
        legal_escalate(actor=None, case=case, kind=LegalKind.BAILIFF, step=step)
        case.status = CaseStatus.LEGAL
        result.legal += 1
