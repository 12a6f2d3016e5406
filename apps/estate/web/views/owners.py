"""Owner statements (read on GET, prepared on POST, closed after a confirmation and a code
sent by SMS) and the owner portal."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.core.errors import DomainError
from apps.core.money import format_amount
from apps.core.web.confirm import Confirmation, confirm_flow
from apps.identity import api as identity

from ... import documents, domain, selectors, services
from ...errors import InvalidState
from .. import forms as f
from .common import _error, _lang, _orgs, _pdf, page


@page
@require_http_methods(["GET", "POST"])
def statement_list(request):
    orgs = dict(_orgs(request))
    period = request.GET.get("period") or domain.add_months(
        domain.month_start(timezone.localdate()), -1
    ).strftime("%Y-%m")
    try:
        month = date.fromisoformat(period + "-01")
    except ValueError:
        month = domain.month_start(timezone.localdate())
    pairs = [
        (org_id, owner_id)
        for org_id, owner_id in selectors.properties_for(request.user)
        .values_list("organization_id", "owner_id")
        .distinct()
        .order_by("organization_id", "owner_id")
        if org_id in orgs
    ]
    if request.method == "POST" and request.POST.get("action") == "prepare":
        # the drafts are written here, on a POST (reading the page writes nothing)
        for org_id, owner_id in pairs:
            services.statement_get_or_refresh(
                actor=request.user, organization_id=org_id, owner_id=owner_id, period=month
            )
        messages.success(request, _("Statements prepared."))
        return redirect(f"{reverse('manager:estate-statements')}?period={period}")
    statements = selectors.statement_previews(request.user, pairs=pairs, period=month)
    expense_form = f.ExpenseForm(request.POST or None)
    props = list(selectors.properties_for(request.user).order_by("name"))
    expense_form.fields["property"].choices = [(str(p.public_id), p.name) for p in props]
    if request.method == "POST" and expense_form.is_valid():
        data = expense_form.cleaned_data
        try:
            services.expense_create(
                actor=request.user,
                property=selectors.property_get(request.user, data["property"]),
                label=data["label"],
                amount=data["amount"],
                incurred_on=data["incurred_on"],
            )
            messages.success(request, _("Expense recorded."))
            return redirect(f"{reverse('manager:estate-statements')}?period={period}")
        except DomainError as exc:
            _error(expense_form, exc)
    lang = _lang(request)
    rows = [
        (
            s,
            format_amount(s.collected, s.currency, lang),
            format_amount(s.commission, s.currency, lang),
            format_amount(s.expenses, s.currency, lang),
            format_amount(s.net, s.currency, lang),
            bool(s.pk) and _can_close(request, s),  # collectors and viewers see no close button
        )
        for s in statements
    ]
    return render(
        request,
        "estate/statements.html",
        {
            "rows": rows,
            "period": period,
            "label": services.period_label(month, _lang(request)),
            "expense_form": expense_form,
        },
    )


@page
@require_http_methods(["GET", "POST"])
def statement_detail(request, statement_id):
    """GET: the statement's PDF. A POST (the old « Close » form) only asks: the confirmation."""
    if request.method == "POST":
        return statement_close(request, statement_id)
    statement = selectors.statement_get(request.user, statement_id)
    return _pdf(
        documents.statement_pdf(selectors.statement_as_of_now(statement), language=_lang(request)),
        f"releve-{statement.period:%Y-%m}.pdf",
    )


def _can_close(request, statement) -> bool:
    return identity.can(request.user, "estate.finance.manage", statement)


@page
@require_GET
def statement_page(request, statement_id):
    """The statement as a page: its figures, its status, the PDF, and « Close and pay over »."""
    statement = selectors.statement_as_of_now(selectors.statement_get(request.user, statement_id))
    lang = _lang(request)
    m = lambda amount: format_amount(amount, statement.currency, lang)  # noqa: E731
    closed = statement.status != statement.Status.DRAFT
    return render(
        request,
        "estate/statement_detail.html",
        {
            "s": statement,
            "label": services.period_label(statement.period, lang),
            "closed": closed,
            "can_close": not closed and _can_close(request, statement),
            "in_progress": statement.period >= domain.month_start(timezone.localdate()),
            "figures": [
                (_("Collected"), m(statement.collected)),
                (_("Commission"), m(statement.commission)),
                (_("Expenses"), m(statement.expenses)),
            ],
            "net": m(statement.net),
        },
    )


CLOSE_ACTION = "estate.statement.close"


@page
@require_POST
def statement_close(request, statement_id):
    """Close a month and pay the net over to the landlord, in three POSTs: the confirmation
    (« Verser 535 900 FCFA à Famille Adjovi ? », a box to tick for a month in progress), the
    code sent by SMS (identity's step-up, bound to this statement and this amount), the close.

    The step-up is checked here, on the page: services.statement_close takes no token (REST
    and GraphQL callers keep their rules)."""
    statement = selectors.statement_get(request.user, statement_id)
    page_url = reverse("manager:estate-statement-page", args=[statement.public_id])
    if statement.status != statement.Status.DRAFT:
        messages.info(request, _("This statement is already closed."))
        return redirect(page_url)
    if not _can_close(request, statement):
        messages.error(request, _("You are not allowed to close statements."))
        return redirect(page_url)
    # the figures as of now, written on the draft (a POST): the amount confirmed is the amount paid
    statement = services.statement_get_or_refresh(
        actor=request.user,
        organization_id=statement.organization_id,
        owner_id=statement.owner_id,
        period=statement.period,
    )
    lang = _lang(request)
    net = format_amount(statement.net, statement.currency, lang)
    owner = statement.owner.name
    month = services.period_label(statement.period, lang)
    in_progress = statement.period >= domain.month_start(timezone.localdate())
    binding = {
        "action": CLOSE_ACTION,
        "target": str(statement.public_id),
        "amount": statement.net,
        "currency": statement.currency,
    }
    confirmation = Confirmation(
        title=_("Close the statement of %(month)s") % {"month": month},
        question=_("Pay %(amount)s to %(owner)s?") % {"amount": net, "owner": owner},
        facts=[
            (_("Landlord"), owner),
            (_("Month"), month),
            (_("Collected"), format_amount(statement.collected, statement.currency, lang)),
            (_("Commission"), format_amount(statement.commission, statement.currency, lang)),
            (_("Expenses"), format_amount(statement.expenses, statement.currency, lang)),
            (_("Paid over to the landlord"), net),
        ],
        warning=(
            _("%(month)s is not over: rent received after closing will not be on this statement.")
            % {"month": month}
            if in_progress
            else _("Closing is final: the statement can no longer change.")
        ),
        acknowledge=_("I am closing a month in progress") if in_progress else "",
        action_url=reverse("manager:estate-statement-close", args=[statement.public_id]),
        cancel_url=page_url,
        button=_("Close and pay over"),
        step_up=True,
        strong=identity.needs_strong_factor(
            request.user, action=binding["action"], amount=binding.get("amount")
        ),
        base_template="estate/_page.html",
    )

    def send_code():
        challenge = identity.step_up_start(actor=request.user, **binding)
        return challenge.challenge_id, challenge.phone_hint

    def perform(*, challenge, code):
        proof = identity.step_up_verify(actor=request.user, challenge_id=challenge, code=code)
        with transaction.atomic():
            current = services.statement_get_or_refresh(
                actor=request.user,
                organization_id=statement.organization_id,
                owner_id=statement.owner_id,
                period=statement.period,
            )
            try:
                identity.require_step_up(
                    actor=request.user, **{**binding, "amount": current.net}, token=proof.token
                )
            except identity.StepUpRequired:
                raise InvalidState(
                    _("The amount changed since the code was sent: check it and confirm again.")
                ) from None
            services.statement_close(actor=request.user, statement=current)
        messages.success(
            request,
            _("Statement closed: %(amount)s paid over to %(owner)s.") % {"amount": net, "owner": owner},
        )
        return redirect(page_url)

    return confirm_flow(
        request,
        confirmation,
        key=f"{CLOSE_ACTION}:{statement.public_id}",
        send_code=send_code,
        perform=perform,
    )


@page
@require_GET
def owner_portal(request):
    if not selectors.owner_ids(request.user):
        raise Http404
    data = selectors.owner_overview(request.user)
    lang = _lang(request)
    m = lambda amount: format_amount(amount, data["currency"], lang)  # noqa: E731
    return render(
        request,
        "estate/owner_portal.html",
        {
            "d": data,
            "expected": m(data["expected"]),
            "collected": m(data["collected"]),
            "arrears": m(data["arrears"]),
            "expenses": [(e, format_amount(e.amount, e.currency, lang)) for e in data["expenses"]],
            "statements": [
                (s, services.period_label(s.period, lang), format_amount(s.net, s.currency, lang))
                for s in data["statements"]
            ],
        },
    )
