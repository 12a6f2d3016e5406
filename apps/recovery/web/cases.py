"""The cases pages: the list with filters and its CSV export, a case with its actions
(assign, note, promise, plan, notice, legal, close) and its formal notices as PDF."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.core.errors import DomainError, NotFound
from apps.core.money import format_amount
from apps.core.web.confirm import Confirmation, confirm_flow
from apps.identity import api as identity

from .. import documents, selectors, services
from ..contracts import CaseStatus, EventKind
from ..errors import CaseClosedError, InvalidState
from ..models import CASE_STATUS_LABELS, OUTCOME_LABELS, LegalAction
from . import forms as f
from .common import collector_choices, commitment_labels, event_labels, form_error, lang, page


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
    props = (
        visible.filter(property__isnull=False)
        .values_list("property", "property_name")
        .distinct()
        .order_by("property_name")
    )
    form.fields["property"].choices = [("", _("all properties"))] + [(str(p), n) for p, n in props]
    data = form.cleaned_data if form.is_valid() else {}
    status = data.get("status") or "live"
    qs = selectors.cases_for(
        request.user,
        status=None if status == "all" else status,
        kind=data.get("kind") or None,
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
    rows = [(c, (today - c.oldest_due_date).days if c.oldest_due_date else 0) for c in pager]
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
    """The filtered cases as CSV (the same export as the API's)."""
    _form, qs = _filtered_cases(request)
    response = HttpResponse(services.cases_csv(qs), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="recouvrement-{stamp}.csv"'
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
            "days_late": (today - case.oldest_due_date).days if case.oldest_due_date else 0,
            "timeline": [(e, labels.get(e.kind, e.kind)) for e in timeline],
            "promises": [(p, states.get(p.status, p.status)) for p in selectors.promises_of(case)],
            "states": states,
            "plans": list(selectors.plans_of(case)),
            "notices": list(selectors.notices_of(case)),
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
        if action == "close" and data["outcome"] == "written_off":
            return _write_off_confirm(request, case, data)
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


WRITE_OFF_ACTION = "recovery.case.write_off"


def _write_off_confirm(request, case, data: dict):
    """Writing a debt off asks first (« Passer en perte 240 000 FCFA dus par Brice Zinsou ? »),
    then the step-up code sent by SMS (identity), bound to this case and this amount; then
    services.case_close. The step-up is checked here, on the page: the service takes no token
    (REST and GraphQL keep their rules)."""
    amount = format_amount(case.amount_owed, case.currency, lang(request))
    tenant = case.tenant_name or case.tenant_phone or case.reference
    case_url = reverse("manager:recovery-case", kwargs={"case_id": case.public_id})
    binding = {
        "action": WRITE_OFF_ACTION,
        "target": str(case.public_id),
        "amount": case.amount_owed,
        "currency": case.currency,
    }
    confirmation = Confirmation(
        title=_("Write the debt off"),
        question=_("Write off %(amount)s owed by %(tenant)s?") % {"amount": amount, "tenant": tenant},
        facts=[
            (_("Tenant"), tenant),
            (_("Amount written off"), amount),
            *([(_("Reason"), data["reason"])] if data.get("reason") else []),
        ],
        warning=_(
            "The open dues are written off on the ledger and the case is closed: this cannot be undone."
        ),
        hidden={"outcome": "written_off", "reason": data.get("reason", "")},
        action_url=reverse(
            "manager:recovery-case-action", kwargs={"case_id": case.public_id, "action": "close"}
        ),
        cancel_url=case_url,
        button=_("Write off"),
        step_up=True,
        strong=identity.needs_strong_factor(
            request.user, action=binding["action"], amount=binding.get("amount")
        ),
        base_template="recovery/_page.html",
    )

    def send_code():
        challenge = identity.step_up_start(actor=request.user, **binding)
        return challenge.challenge_id, challenge.phone_hint

    def perform(*, challenge, code):
        proof = identity.step_up_verify(actor=request.user, challenge_id=challenge, code=code)
        with transaction.atomic():
            current = type(case).objects.select_for_update().get(pk=case.pk)
            if current.status == CaseStatus.CLOSED:
                raise CaseClosedError()
            try:
                identity.require_step_up(
                    actor=request.user, **{**binding, "amount": current.amount_owed}, token=proof.token
                )
            except identity.StepUpRequired:
                raise InvalidState(
                    _("The amount changed since the code was sent: check it and confirm again.")
                ) from None
            services.case_close(
                actor=request.user, case=current, outcome="written_off", reason=data.get("reason", "")
            )
        messages.success(request, _("Case closed: %(amount)s written off.") % {"amount": amount})
        return redirect(case_url)

    return confirm_flow(
        request,
        confirmation,
        key=f"{WRITE_OFF_ACTION}:{case.public_id}",
        send_code=send_code,
        perform=perform,
    )


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
        services.promise_create(actor=user, case=case, amount=data["amount"], promised_on=data["promised_on"])
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
