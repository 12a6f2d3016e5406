"""Recovery's manager pages (/manager/recovery/…): the dashboard, the cases, a case with its
actions, the dunning ladder, the cash handovers. Server-rendered, French first.

Views parse with a form, call a service, render. Every case is loaded through the selectors
scoped to the user: another organization's case, or a case not assigned to the collector
asking, is a 404. A service's DomainError becomes a form error, never a 500."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import F, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.core.errors import DomainError, NotFound
from apps.core.money import Money
from apps.identity import api as identity
from apps.identity.contracts import OrgRole

from .. import documents, selectors, services
from ..contracts import CaseStatus, EventKind, StepAction
from ..models import CASE_STATUS_LABELS, OUTCOME_LABELS, STEP_ACTION_LABELS, Holiday, LegalAction
from . import forms as f

BUCKETS = ("current", "d1_30", "d31_60", "d61_90", "d90_plus")


def bucket_labels() -> dict[str, str]:
    return {
        "current": _("not yet late"),
        "d1_30": _("1–30 days"),
        "d31_60": _("31–60 days"),
        "d61_90": _("61–90 days"),
        "d90_plus": _("over 90 days"),
    }


def event_labels() -> dict[str, str]:
    """The timeline's words (the model's choices are the raw codes)."""
    return {
        "opened": _("Case opened"),
        "reminder": _("Reminder sent"),
        "whatsapp": _("WhatsApp message ready"),
        "task": _("Task for the collector"),
        "call": _("Call"),
        "visit": _("Visit"),
        "payment": _("Payment received"),
        "cash": _("Cash collected"),
        "promise": _("Promise to pay"),
        "promise_kept": _("Promise kept"),
        "promise_broken": _("Promise broken"),
        "plan_proposed": _("Payment plan proposed"),
        "plan_accepted": _("Payment plan accepted"),
        "installment_missed": _("Installment missed"),
        "plan_completed": _("Payment plan completed"),
        "formal_notice": _("Formal notice"),
        "late_fee": _("Late fee"),
        "legal": _("Legal"),
        "note": _("Note"),
        "assigned": _("Collector assigned"),
        "reopened": _("Case reopened"),
        "closed": _("Case closed"),
    }


def commitment_labels() -> dict[str, str]:
    """Promise, plan and installment statuses."""
    return {
        "pending": _("pending"),
        "kept": _("kept"),
        "broken": _("broken"),
        "canceled": _("canceled"),
        "proposed": _("waiting for the tenant"),
        "active": _("running"),
        "completed": _("completed"),
        "paid": _("paid"),
        "missed": _("missed"),
    }


def page(view):
    """Logged-in users only; NotFound (and a service's 404 refusal) becomes the 404 page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404 from None
        except DomainError as exc:
            if getattr(exc, "status", 400) == 404:
                raise Http404 from None
            raise

    return wrapper


def lang(request) -> str:
    return getattr(request, "LANGUAGE_CODE", "fr") or "fr"


def money(request, amount, currency: str = "XOF") -> str:
    return Money(int(amount or 0), currency).format(lang(request))


def form_error(form, exc: DomainError) -> None:
    field = (getattr(exc, "field", "") or "").split(".")[0]
    form.add_error(field if field in form.fields else None, str(exc.message))


def _report_org(request) -> int:
    """The organization whose recovery the page shows: the user's only one, or ?org=."""
    orgs = selectors.report_org_ids(request.user)
    if not orgs:
        raise NotFound()
    wanted = request.GET.get("org") or request.POST.get("org")
    if wanted:
        return selectors.organization_for_report(request.user, wanted)
    return min(orgs)


def org_people(organization_id: int, roles) -> list:
    return identity.members_of(organization_id=organization_id, roles=roles)


def collector_choices(organization_id: int, *, blank: str) -> list[tuple[str, str]]:
    people = org_people(organization_id, [OrgRole.COLLECTOR, OrgRole.MANAGER, OrgRole.OWNER])
    return [("", blank)] + [(str(u.public_id), u.full_name or str(u.phone)) for u in people]


# --- dashboard ---------------------------------------------------------------------------------


def _aging_bar(row) -> list[dict]:
    total = row.total if row else 0
    labels = bucket_labels()
    return [
        {
            "key": b,
            "label": labels[b],
            "amount": getattr(row, b) if row else 0,
            "pct": round(getattr(row, b) * 100 / total, 2) if total else 0,
        }
        for b in BUCKETS
    ]


def _trend(snapshots, width: int = 600, height: int = 160) -> dict:
    """A stacked column per day of the last 90 (inline SVG: no chart library)."""
    if not snapshots:
        return {"columns": [], "width": width, "height": height}
    top = max(sum(getattr(s, b) for b in BUCKETS) for s in snapshots) or 1
    slot = width / max(len(snapshots), 1)
    columns = []
    for i, snap in enumerate(snapshots):
        y = height - 16
        parts = []
        for b in BUCKETS:
            h = round(getattr(snap, b) * (height - 24) / top, 2)
            y = round(y - h, 2)
            parts.append({"key": b, "y": y, "h": h})
        columns.append(
            {
                "x": round(i * slot + slot * 0.1, 2),
                "w": round(max(slot * 0.8, 1), 2),
                "parts": parts,
                "on": snap.on,
                "total": sum(getattr(snap, b) for b in BUCKETS),
            }
        )
    return {
        "columns": columns,
        "width": width,
        "height": height,
        "first": snapshots[0].on,
        "last": snapshots[-1].on,
    }


@page
@require_GET
def dashboard(request):
    if not selectors.report_org_ids(request.user):
        if selectors.collector_org_ids(request.user):
            return redirect("recovery:field")
        raise Http404
    org_id = _report_org(request)
    d = services.dashboard(actor=request.user, organization_id=org_id)
    m = lambda amount: money(request, amount)  # noqa: E731
    total = d["aging"].totals.get("XOF")
    by_step = [
        {
            **row,
            "label": row["step"].label or STEP_ACTION_LABELS.get(StepAction(row["action"]), row["action"]),
            "rate": row["rate_bps"] / 100,
            "recovered_fmt": m(row["recovered"]),
            "owed_fmt": m(row["owed"]),
        }
        for row in d["by_step"]
        if row["step"].is_active or row["cases"]  # a step removed from the ladder keeps its history
    ]
    by_collector = [
        {**row, "rate": row["rate_bps"] / 100, "recovered_fmt": m(row["recovered"])}
        for row in d["by_collector"]
    ]
    status_labels = {str(k): v for k, v in CASE_STATUS_LABELS.items()}
    return render(
        request,
        "recovery/dashboard.html",
        {
            "d": d,
            "recovered_month": m(d["recovered_month"]),
            "owed": m(d["owed"]),
            "by_status": [(status_labels.get(k, k), n) for k, n in sorted(d["by_status"].items())],
            "by_step": by_step,
            "by_collector": by_collector,
            "aging": [{**seg, "amount_fmt": m(seg["amount"])} for seg in _aging_bar(total)],
            "aging_total": m(total.total if total else 0),
            "trend": _trend(d["trend"]),
            "without": [(c, m(c.amount_owed)) for c in d["without_next_action_cases"]],
            "org": org_id,
        },
    )


# --- cases ----------------------------------------------------------------------------------------


def _filtered_cases(request):
    visible = selectors.visible_cases(request.user)
    form = f.CaseFilterForm(request.GET or None)
    form.fields["status"].choices = [("", _("all live")), ("all", _("all"))] + [
        (s.value, CASE_STATUS_LABELS[s]) for s in CaseStatus
    ]
    collectors = (
        visible.filter(collector__isnull=False)
        .values_list("collector__public_id", "collector__full_name")
        .distinct()
        .order_by("collector__full_name")
    )
    form.fields["collector"].choices = [("", _("everyone"))] + [(str(p), n) for p, n in collectors]
    props = visible.values_list("property", "property_name").distinct().order_by("property_name")
    form.fields["property"].choices = [("", _("all properties"))] + [(str(p), n) for p, n in props]
    data = form.cleaned_data if form.is_valid() else {}
    status = data.get("status") or "live"
    qs = selectors.cases_for(
        request.user,
        status=None if status == "all" else status,
        collector=data.get("collector") or None,
        property=data.get("property") or None,
        q=(data.get("q") or "").strip(),
    )
    sort = data.get("sort") or "-amount"
    order = {
        "-amount": [F("amount_owed").desc(), "id"],
        "amount": [F("amount_owed").asc(), "id"],
        "-age": [F("oldest_due_date").asc(nulls_last=True), "id"],
        "age": [F("oldest_due_date").desc(nulls_last=True), "id"],
    }[sort]
    return form, qs.order_by(*order)


@page
@require_GET
def case_list(request):
    form, qs = _filtered_cases(request)
    pager = Paginator(qs, 25).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [
        (c, money(request, c.amount_owed), (today - c.oldest_due_date).days if c.oldest_due_date else 0)
        for c in pager
    ]
    query = urlencode({k: v for k, v in request.GET.items() if k != "page" and v})
    return render(
        request,
        "recovery/case_list.html",
        {
            "form": form,
            "rows": rows,
            "page": pager,
            "query": query,
            "managing": bool(selectors.report_org_ids(request.user)),
        },
    )


@page
@require_GET
def case_export(request):
    """The filtered cases as CSV (French headers; amounts in minor units)."""
    _form, qs = _filtered_cases(request)
    today = timezone.localdate()
    out = io.StringIO()
    out.write("\ufeff")  # Excel opens UTF-8 with a BOM
    writer = csv.writer(out, delimiter=";")
    writer.writerow(
        [
            "Référence bail",
            "Locataire",
            "Téléphone",
            "Bien",
            "Logement",
            "Quartier",
            "Statut",
            "Issue",
            "Dû à l'ouverture",
            "Dû",
            "Recouvré",
            "Devise",
            "Plus ancienne échéance",
            "Jours de retard",
            "Recouvreur",
            "Prochaine action",
            "Ouvert le",
        ]
    )
    for c in qs.iterator(chunk_size=1000):
        writer.writerow(
            [
                c.lease_reference,
                c.tenant_name,
                c.tenant_phone,
                c.property_name,
                c.unit_label,
                c.neighbourhood,
                c.status,
                c.outcome,
                c.amount_at_open,
                c.amount_owed,
                c.recovered,
                c.currency,
                c.oldest_due_date.isoformat() if c.oldest_due_date else "",
                (today - c.oldest_due_date).days if c.oldest_due_date else "",
                c.collector.full_name if c.collector_id else "",
                c.next_action_on.isoformat() if c.next_action_on else "",
                c.opened_on.isoformat(),
            ]
        )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="recouvrement-{today.isoformat()}.csv"'
    return response


def _can_manage(request, case) -> bool:
    return case.organization_id in selectors.managed_org_ids(request.user)


def _case_forms(request, case, bound: dict | None = None) -> dict:
    bound = bound or {}
    today = timezone.localdate()
    assign = bound.get("assign") or f.AssignForm(
        initial={"collector": str(case.collector.public_id) if case.collector_id else ""}
    )
    assign.fields["collector"].choices = collector_choices(case.organization_id, blank=_("nobody"))
    plan = bound.get("plan")
    if plan is None:
        half = case.amount_owed // 2
        plan = f.PlanForm(
            initial={
                "date_1": today + timedelta(days=7),
                "amount_1": case.amount_owed - half,
                "date_2": today + timedelta(days=37),
                "amount_2": half,
            }
        )
    forms_ = {
        "assign": assign,
        "note": bound.get("note") or f.NoteForm(),
        "promise": bound.get("promise") or f.PromiseForm(initial={"amount": case.amount_owed}),
        "plan": plan,
        "notice": bound.get("notice") or f.NoticeForm(),
        "legal": bound.get("legal") or f.LegalForm(),
        "close": bound.get("close") or f.CloseForm(),
    }
    return forms_


def _render_case(request, case, *, bound: dict | None = None, status: int = 200):
    timeline = list(selectors.timeline(case)[:200])
    whatsapp = next((e for e in timeline if e.kind == EventKind.WHATSAPP and e.data.get("url")), None)
    legal_forms = [
        (
            action,
            (bound or {}).get(f"legal_update:{action.public_id}")
            or f.LegalUpdateForm(
                initial={
                    "action": action.public_id,
                    "status": action.status,
                    "reference": action.reference,
                    "cost": action.cost,
                    "notes": action.notes,
                }
            ),
        )
        for action in selectors.legal_of(case)
    ]
    today = timezone.localdate()
    labels, states = event_labels(), commitment_labels()
    return render(
        request,
        "recovery/case_detail.html",
        {
            "case": case,
            "owed": money(request, case.amount_owed, case.currency),
            "at_open": money(request, case.amount_at_open, case.currency),
            "recovered": money(request, case.recovered, case.currency),
            "days_late": (today - case.oldest_due_date).days if case.oldest_due_date else 0,
            "timeline": [
                (e, money(request, e.amount, case.currency) if e.amount else "", labels.get(e.kind, e.kind))
                for e in timeline
            ],
            "promises": [
                (p, money(request, p.amount, p.currency), states.get(p.status, p.status))
                for p in selectors.promises_of(case)
            ],
            "states": states,
            "plans": list(selectors.plans_of(case)),
            "notices": [(n, money(request, n.amount, n.currency)) for n in selectors.notices_of(case)],
            "legal_forms": legal_forms,
            "portal_url": services.portal_url(case),
            "whatsapp": whatsapp,
            "manage": _can_manage(request, case),
            "closed": case.status == CaseStatus.CLOSED,
            "status_label": CASE_STATUS_LABELS.get(CaseStatus(case.status), case.status),
            "outcome_label": OUTCOME_LABELS.get(case.outcome, "") if case.outcome else "",
            **_case_forms(request, case, bound),
        },
        status=status,
    )


@page
@require_GET
def case_detail(request, case_id):
    case = selectors.case_for(request.user, case_id)
    return _render_case(request, case)


def _collector_uuid(value: str):
    return value or None


ACTIONS = ("assign", "note", "promise", "plan", "notice", "legal", "legal_update", "close")


@page
@require_POST
def case_action(request, case_id, action: str):
    case = selectors.case_for(request.user, case_id)
    if action not in ACTIONS:
        raise Http404
    user = request.user
    form_key = action
    if action == "assign":
        form = f.AssignForm(request.POST)
        form.fields["collector"].choices = collector_choices(case.organization_id, blank="")
    elif action == "note":
        form = f.NoteForm(request.POST)
    elif action == "promise":
        form = f.PromiseForm(request.POST)
    elif action == "plan":
        form = f.PlanForm(request.POST)
    elif action == "notice":
        form = f.NoticeForm(request.POST)
    elif action == "legal":
        form = f.LegalForm(request.POST)
    elif action == "legal_update":
        form = f.LegalUpdateForm(request.POST)
        form_key = f"legal_update:{request.POST.get('action', '')}"
    else:
        form = f.CloseForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            done = _do(user, case, action, data)
        except DomainError as exc:
            if getattr(exc, "status", 400) == 404:
                raise Http404 from None
            form_error(form, exc)
        else:
            messages.success(request, done)
            return redirect("manager:recovery-case", case_id=case.public_id)
    case.refresh_from_db()
    return _render_case(request, case, bound={form_key: form}, status=200)


def _do(user, case, action: str, data: dict) -> str:
    if action == "assign":
        services.case_assign(actor=user, case=case, collector=_collector_uuid(data["collector"]))
        return _("Collector assigned.")
    if action == "note":
        services.case_note(
            actor=user, case=case, text=data["text"], next_action_on=data.get("next_action_on")
        )
        return _("Note added.")
    if action == "promise":
        services.promise_create(
            actor=user, case=case, amount=data["amount"], promised_on=data["promised_on"], channel="manager"
        )
        return _("Promise recorded: the ladder waits until its date.")
    if action == "plan":
        plan = services.plan_propose(
            actor=user, case=case, installments=data["installments"], channel="manager"
        )
        try:
            services.plan_accept_start(plan=plan)
        except DomainError:
            return _(
                "Plan proposed. The tenant has no phone to confirm it: they can confirm on their portal."
            )
        return _("Plan proposed: the tenant received a code by SMS to accept it on their portal.")
    if action == "notice":
        notice = services.formal_notice_issue(case=case, actor=user, pay_within_days=data["pay_within_days"])
        return _("Formal notice %(number)s issued and sent.") % {"number": notice.number}
    if action == "legal":
        services.legal_escalate(
            actor=user,
            case=case,
            kind=data["kind"],
            firm=data["firm"],
            contact=data["contact"],
            notes=data["notes"],
        )
        return _("Case handed over.")
    if action == "legal_update":
        legal = LegalAction.objects.filter(case=case, public_id=data["action"]).first()
        if legal is None:
            raise NotFound()
        services.legal_update(
            actor=user,
            action=legal,
            status=data["status"],
            reference=data["reference"],
            cost=data["cost"] if data.get("cost") is not None else None,
            notes=data["notes"],
        )
        return _("Legal follow-up updated.")
    services.case_close(actor=user, case=case, outcome=data["outcome"], reason=data["reason"])
    return _("Case closed.")


@page
@require_GET
def notice_pdf(request, case_id, number: str):
    case = selectors.case_for(request.user, case_id)
    notice = selectors.notice_for_case(case, number)
    content = documents.formal_notice_pdf(notice, language=lang(request))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{notice.number}.pdf"'
    return response


# --- the ladder -------------------------------------------------------------------------------------


def _managed_org(request) -> int:
    org_id = _report_org(request)
    if org_id not in selectors.managed_org_ids(request.user):
        raise NotFound()
    return org_id


@page
@require_http_methods(["GET", "POST"])
def ladder(request):
    org_id = _managed_org(request)
    current = selectors.ladder_for(request.user, org_id)
    steps = list(current.steps.filter(is_active=True).order_by("day_offset", "id")) if current else []
    if request.method == "POST":
        form = f.LadderForm(request.POST)
        formset = f.StepFormSet(request.POST, prefix="steps")
        if form.is_valid() and formset.is_valid():
            rows = [
                services.StepInput(
                    day_offset=s["day_offset"],
                    action=s["action"],
                    label=s.get("label") or "",
                    pay_within_days=s.get("pay_within_days") or 8,
                    min_amount=s.get("min_amount") or 0,
                )
                for s in formset.cleaned_data
                if s and not s.get("DELETE")
            ]
            data = form.cleaned_data
            try:
                services.ladder_save(
                    actor=request.user,
                    organization_id=org_id,
                    steps=rows,
                    name=data["name"],
                    quiet_start=data["quiet_start"],
                    quiet_end=data["quiet_end"],
                    skip_sundays=data["skip_sundays"],
                    skip_holidays=data["skip_holidays"],
                    country=data["country"].upper(),
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Ladder saved."))
                return redirect("manager:recovery-ladder")
    else:
        initial = (
            {
                "name": current.name,
                "country": current.country,
                "quiet_start": current.quiet_start,
                "quiet_end": current.quiet_end,
                "skip_sundays": current.skip_sundays,
                "skip_holidays": current.skip_holidays,
            }
            if current
            else {
                "name": _("Standard ladder"),
                "country": "BJ",
                "quiet_start": "20:00",
                "quiet_end": "08:00",
                "skip_sundays": True,
                "skip_holidays": True,
            }
        )
        form = f.LadderForm(initial=initial)
        formset = f.StepFormSet(
            prefix="steps",
            initial=[
                {
                    "day_offset": s.day_offset,
                    "action": s.action,
                    "label": s.label,
                    "pay_within_days": s.pay_within_days,
                    "min_amount": s.min_amount,
                }
                for s in steps
            ]
            or [
                {"day_offset": d, "action": a, "label": label, "pay_within_days": 8, "min_amount": 0}
                for d, a, label in services.ladder.DEFAULT_STEPS
            ],
        )
    return _render_ladder(request, org_id, current, form, formset, f.HolidayForm())


def _render_ladder(request, org_id, current, form, formset, holiday_form, status=200):
    country = current.country if current else "BJ"
    today = timezone.localdate()
    holidays = Holiday.objects.filter(
        Q(organization_id=org_id) | Q(organization__isnull=True, country=country),
        date__gte=today - timedelta(days=31),
    ).order_by("date")[:100]
    return render(
        request,
        "recovery/ladder.html",
        {
            "ladder": current,
            "form": form,
            "formset": formset,
            "holiday_form": holiday_form,
            "holidays": holidays,
        },
        status=status,
    )


@page
@require_POST
def holiday_new(request):
    org_id = _managed_org(request)
    form = f.HolidayForm(request.POST)
    if form.is_valid():
        try:
            services.holiday_add(
                actor=request.user,
                organization_id=org_id,
                on=form.cleaned_data["date"],
                name=form.cleaned_data["name"],
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Day off added."))
            return redirect("manager:recovery-ladder")
    current = selectors.ladder_for(request.user, org_id)
    return _render_ladder(request, org_id, current, f.LadderForm(), f.StepFormSet(prefix="steps"), form)


# --- cash handovers -------------------------------------------------------------------------------


@page
@require_http_methods(["GET", "POST"])
def handovers(request):
    org_id = _report_org(request)
    collectors = org_people(org_id, [OrgRole.COLLECTOR])
    chosen = request.POST.get("collector") or request.GET.get("collector") or ""
    preview = form = None
    if chosen:
        if request.method == "POST":
            form = f.HandoverForm(request.POST)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    handover = services.handover_create(
                        actor=request.user,
                        organization_id=org_id,
                        collector=data["collector"],
                        declared=data["declared"],
                        idempotency_key=data["idempotency_key"],
                        note=data["note"],
                    )
                except DomainError as exc:
                    if getattr(exc, "status", 400) == 404:
                        raise Http404 from None
                    form_error(form, exc)
                else:
                    messages.success(
                        request,
                        _("Handover recorded: %(amount)s.") % {"amount": money(request, handover.declared)},
                    )
                    return redirect(reverse("manager:recovery-handovers"))
        try:
            preview = services.handover_preview(actor=request.user, organization_id=org_id, collector=chosen)
        except (DomainError, ValueError):
            raise Http404 from None
        if form is None:
            form = f.HandoverForm(
                initial={
                    "collector": chosen,
                    "declared": preview["ledger_balance"] or None,
                    "idempotency_key": f.new_key(),
                }
            )
        preview = {
            **preview,
            "collected_fmt": money(request, preview["collected"]),
            "ledger_fmt": money(request, preview["ledger_balance"]),
            "name": next((c.full_name for c in collectors if str(c.public_id) == str(chosen)), ""),
        }
    past = [
        (h, money(request, h.declared), money(request, h.difference))
        for h in selectors.handovers_for(request.user)[:50]
    ]
    return render(
        request,
        "recovery/handovers.html",
        {"collectors": collectors, "chosen": chosen, "preview": preview, "form": form, "past": past},
    )
