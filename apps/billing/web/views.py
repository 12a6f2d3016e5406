"""The billing page (/manager/billing/…, « Facturation »), for an organization's finance
members: the plan and its status (the trial's end; a banner with a pay button when an invoice
is overdue or the account restricted), the usage so far, the next invoice's estimate, the
invoices with their PDFs and pay buttons, the payment method, changing the plan (a
confirmation showing the proration), cancelling at the end of the term (a confirmation) and
buying prepaid credits. The staff report (MRR, ARR, churn) is at /manager/billing/staff/.

Owners, managers and accountants read; owners and managers act. Another organization's
invoice is the 404 page; a user who handles no organization's billing gets a refusal. A
DomainError is said on the page. The services are the same as REST and GraphQL."""

from __future__ import annotations

import uuid
from datetime import date
from functools import wraps

from dateutil.relativedelta import relativedelta
from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.errors import DomainError, Forbidden, NotFound
from apps.core.money import format_amount
from apps.core.web.confirm import Confirmation, confirm_flow
from apps.identity import api as identity

from .. import selectors
from ..contracts import ChangeTiming, InvoiceStatus, PaymentMethodKind, SubscriptionStatus
from ..services import customer as customer_service
from ..services import overview

BASE = "estate/_page.html"
INVOICES_ON_HOME = 12
INVOICES_PER_PAGE = 50


def billing_page(methods=("GET",)):
    """Signed-in users only (else the login with `next`); what the user may not see is the
    404 page, what it may not do a 403."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in methods:
                response = HttpResponse(status=405)
                response["Allow"] = ", ".join(methods)
                return response
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            try:
                return view(request, *args, **kwargs)
            except Forbidden:
                raise PermissionDenied from None
            except DomainError as exc:
                if isinstance(exc, NotFound) or getattr(exc, "status", None) == 404:
                    raise Http404 from None
                raise

        wrapper.hokwe_methods = tuple(methods)
        return wrapper

    return decorate


def _money(amount, currency, request) -> str:
    return format_amount(int(amount or 0), currency, (getattr(request, "LANGUAGE_CODE", "fr") or "fr")[:2])


def _org(request, *, manage: bool = False):
    """The organization named by `organization` (query or form), else the first whose billing
    the user handles; none: the refusal."""
    named = request.POST.get("organization") or request.GET.get("organization")
    if named:
        return selectors.organization(request.user, named, manage=manage)
    orgs = selectors.organizations(request.user)
    if not orgs:
        raise PermissionDenied
    return selectors.organization(request.user, orgs[0].public_id, manage=manage)


def _home(org) -> str:
    return reverse("manager:billing") + "?" + urlencode({"organization": org.public_id})


def _with_org(name: str, org, *args, **query) -> str:
    return reverse(name, args=args) + "?" + urlencode({"organization": org.public_id, **query})


def _tone(status: str) -> str:
    if status in (SubscriptionStatus.PAST_DUE, SubscriptionStatus.RESTRICTED, InvoiceStatus.UNCOLLECTIBLE):
        return "bad"
    if status in (SubscriptionStatus.ACTIVE, InvoiceStatus.PAID):
        return "good"
    return ""


def _invoice_row(row, request, *, can_pay: bool) -> dict:
    return {
        "invoice": row,
        "status": row.get_status_display(),
        "tone": "bad"
        if row.status == InvoiceStatus.OPEN and row.due_on and row.due_on < timezone.localdate()
        else _tone(row.status),
        "total": _money(row.total, row.currency, request),
        "due": _money(row.amount_due, row.currency, request),
        "payable": can_pay and row.status in selectors.PAYABLE and row.amount_due > 0,
    }


@billing_page()
def home(request):
    org = _org(request)
    can_manage = identity.can(request.user, selectors.MANAGE, org.id)
    account = overview.account(org)
    sub = account["subscription"]
    currency = account["currency"]
    live = sub is not None and sub.status != SubscriptionStatus.CANCELED
    usage, estimate, usage_error = [], None, ""
    try:
        usage = overview.usage(sub)
        estimate = overview.estimate(sub)
    except DomainError as exc:
        usage_error = str(exc.message)
    overdue = list(selectors.open_invoices(org)[:5])
    today = timezone.localdate()
    late = [i for i in overdue if i.due_on and i.due_on < today]
    context = {
        "org": org,
        "orgs": selectors.organizations(request.user),
        "can_manage": can_manage,
        "sub": sub,
        "live": live,
        "status": sub.get_status_display() if sub else "",
        "tone": _tone(sub.status) if sub else "",
        "customer": account["payment_method"],
        "method_label": account["payment_method"].get_method_display() if account["payment_method"] else "",
        "credits": _money(account["credits"], currency, request),
        "overdue_total": _money(account["amount_overdue"], currency, request),
        "banner": _banner(sub, late, request),
        "first_late": late[0] if late else None,
        "usage": [{"line": line, "amount": _money(line.amount, line.currency, request)} for line in usage],
        "usage_error": usage_error,
        "estimate": _estimate(estimate, request),
        "invoices": [
            _invoice_row(i, request, can_pay=can_manage) for i in selectors.invoices(org)[:INVOICES_ON_HOME]
        ],
        "notes": list(selectors.credit_notes(org)[:INVOICES_ON_HOME]),
        "org_query": urlencode({"organization": org.public_id}),
    }
    return render(request, "billing/manager/home.html", context)


def _banner(sub, late, request) -> dict | None:
    if sub is not None and sub.status == SubscriptionStatus.RESTRICTED:
        return {
            "tone": "error",
            "text": _(
                "Your account is restricted since %(day)s because an invoice is unpaid: new leases and "
                "SMS campaigns are paused. Rent collection is never affected. Pay to restore everything."
            )
            % {"day": sub.restricted_on.strftime("%d/%m/%Y") if sub.restricted_on else ""},
        }
    if late or (sub is not None and sub.status == SubscriptionStatus.PAST_DUE):
        first = late[0] if late else None
        return {
            "tone": "warning",
            "text": _("An invoice is overdue: %(amount)s to pay. Pay it to avoid restrictions.")
            % {"amount": _money(first.amount_due, first.currency, request) if first else ""},
        }
    return None


def _estimate(found, request) -> dict | None:
    if found is None:
        return None
    cur = found.currency
    return {
        "e": found,
        "lines": [
            {"line": line, "amount": _money(line.amount, cur, request), "tax": _money(line.tax, cur, request)}
            for line in found.lines
        ],
        "subtotal": _money(found.subtotal, cur, request),
        "tax": _money(found.tax, cur, request),
        "total": _money(found.total, cur, request),
    }


@billing_page()
def invoices(request):
    """Every invoice, newest first, a page at a time (`before`: the last one seen)."""
    org = _org(request)
    can_manage = identity.can(request.user, selectors.MANAGE, org.id)
    rows = selectors.invoices(org)
    before = request.GET.get("before")
    if before:
        try:
            anchor = selectors.invoices(org).filter(public_id=uuid.UUID(before)).first()
        except ValueError:
            anchor = None
        if anchor is not None:
            rows = rows.filter(created_at__lt=anchor.created_at)
    page = list(rows[: INVOICES_PER_PAGE + 1])
    more = len(page) > INVOICES_PER_PAGE
    page = page[:INVOICES_PER_PAGE]
    return render(
        request,
        "billing/manager/invoices.html",
        {
            "org": org,
            "rows": [_invoice_row(i, request, can_pay=can_manage) for i in page],
            "next_url": _with_org("manager:billing-invoices", org, before=page[-1].public_id) if more else "",
            "home_url": _home(org),
        },
    )


@billing_page()
def invoice_detail(request, invoice_id):
    row = selectors.invoice(request.user, invoice_id)
    org = selectors.invoice_organization(row)
    cur = row.currency
    return render(
        request,
        "billing/manager/invoice.html",
        {
            "org": org,
            "row": _invoice_row(row, request, can_pay=identity.can(request.user, selectors.MANAGE, org.id)),
            "i": row,
            "lines": [
                {
                    "line": line,
                    "amount": _money(line.amount, cur, request),
                    "tax": _money(line.tax, cur, request),
                    "rate": f"{line.tax_rate_bps / 100:g} %".replace(".", ","),
                }
                for line in row.lines.all()
            ],
            "notes": list(row.credit_notes.all()),
            "figures": [
                (_("Subtotal before tax"), _money(row.subtotal, cur, request)),
                (_("Discounts"), _money(row.discount, cur, request)),
                (_("TVA"), _money(row.tax, cur, request)),
                (_("Total including tax"), _money(row.total, cur, request)),
                (_("Paid from prepaid credits"), _money(row.credits_applied, cur, request)),
                (_("Amount paid"), _money(row.amount_paid, cur, request)),
                (_("Still to pay"), _money(row.amount_due, cur, request)),
            ],
            "home_url": _home(org),
        },
    )


@billing_page()
def invoice_pdf(request, invoice_id):
    from .. import documents

    row = selectors.invoice(request.user, invoice_id)
    response = HttpResponse(documents.invoice_pdf(row), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{row.number}.pdf"'
    return response


@billing_page()
def credit_note_pdf(request, credit_note_id):
    from .. import documents

    note = selectors.credit_note(request.user, credit_note_id)
    response = HttpResponse(documents.credit_note_pdf(note), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{note.number}.pdf"'
    return response


@billing_page(methods=("POST",))
def invoice_pay(request, invoice_id):
    """Pay an invoice: money in, so no confirmation code; the pay link's page takes over."""
    from ..services import payment

    row = selectors.invoice(request.user, invoice_id)
    org = selectors.organization(request.user, selectors.invoice_organization(row).public_id, manage=True)
    try:
        return redirect(payment.pay_link(row))
    except DomainError as exc:
        if isinstance(exc, NotFound):
            raise
        messages.error(request, str(exc.message))
        return redirect(_home(org))


# --- the payment method ------------------------------------------------------------------------


class PaymentMethodForm(forms.Form):
    method = forms.ChoiceField(
        label=gettext_lazy("How you pay"),
        choices=[
            (PaymentMethodKind.MOBILE_MONEY.value, gettext_lazy("Mobile money (automatic)")),
            (PaymentMethodKind.CARD.value, gettext_lazy("Card (a pay link for each invoice)")),
        ],
        widget=forms.RadioSelect,
    )
    payer_phone = forms.CharField(
        label=gettext_lazy("Mobile money number"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    provider = forms.ChoiceField(label=gettext_lazy("Mobile money provider"), required=False)
    use_credits_first = forms.BooleanField(
        label=gettext_lazy("Pay from prepaid credits first"), required=False
    )
    organization = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [("", "—")] + [(p, p) for p in customer_service.providers()]


@billing_page(methods=("GET", "POST"))
def payment_method(request):
    org = _org(request, manage=True)
    cust = selectors.customer(org)
    initial = {
        "method": cust.method if cust and cust.method in customer_service.CHOSEN_METHODS else "mobile_money",
        "payer_phone": cust.payer_phone if cust else "",
        "provider": cust.provider if cust else "",
        "use_credits_first": cust.use_credits_first if cust else True,
        "organization": str(org.public_id),
    }
    form = PaymentMethodForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            customer_service.payment_method_set(
                actor=request.user,
                organization_id=org.id,
                method=data["method"],
                payer_phone=data["payer_phone"],
                provider=data["provider"],
                use_credits_first=data["use_credits_first"],
            )
            messages.success(request, _("Payment method saved."))
            return redirect(_home(org))
        except DomainError as exc:
            if isinstance(exc, NotFound):
                raise
            _form_error(form, exc)
    return render(
        request, "billing/manager/payment_method.html", {"org": org, "form": form, "home_url": _home(org)}
    )


def _form_error(form, exc: DomainError) -> None:
    field = (exc.field or "").split(".")[0]
    form.add_error(field if field in form.fields else None, str(exc.message))


# --- plans: choose, change (the proration shown first), cancel ---------------------------------


def _plan_view(version, request) -> dict:
    cur = version.currency
    prices = []
    for price in version.prices.all():
        amount = _money(price.amount, cur, request)
        if price.kind == "per_unit":
            text = _("%(amount)s per unit") % {"amount": amount}
        elif price.kind == "usage":
            text = _("%(amount)s per %(unit)s") % {
                "amount": amount,
                "unit": (price.metric.unit_name or price.metric.name) if price.metric_id else "",
            }
        else:
            text = amount
        if price.free_units:
            text += " · " + _("%(n)s included") % {"n": price.free_units}
        if price.tier_mode != "none":
            text += " · " + _("by tiers")
        prices.append({"name": price.name, "text": text})
    return {"v": version, "prices": prices}


@billing_page()
def plans(request):
    org = _org(request)
    sub = selectors.subscription(org)
    live = sub is not None and sub.status != SubscriptionStatus.CANCELED
    cust = selectors.customer(org)
    currency = cust.currency if cust else (org.currencies or ("XOF",))[0]
    return render(
        request,
        "billing/manager/plans.html",
        {
            "org": org,
            "sub": sub if live else None,
            "plans": [_plan_view(v, request) for v in selectors.plans_offered(currency)],
            "can_manage": identity.can(request.user, selectors.MANAGE, org.id),
            # an overdue, restricted or paused subscription pays (or resumes) before changing
            "can_change": live and sub.status in (SubscriptionStatus.TRIALING, SubscriptionStatus.ACTIVE),
            "home_url": _home(org),
            "org_query": urlencode({"organization": org.public_id}),
        },
    )


@billing_page(methods=("GET", "POST"))
def plan_choose(request, version_id):
    """Subscribe to the plan, or change to it: now (the proration shown) or at the end of the
    term. The confirmation page states it before anything is done."""
    from ..services import subscriptions

    org = _org(request, manage=True)
    cust = selectors.customer(org)
    version = selectors.offered_version(version_id, cust.currency if cust else None)
    sub = selectors.subscription(org)
    live = sub is not None and sub.status != SubscriptionStatus.CANCELED
    timing = request.POST.get("timing") or request.GET.get("timing") or ChangeTiming.NOW
    if timing not in {t.value for t in ChangeTiming}:
        timing = ChangeTiming.NOW
    key = request.POST.get("key") or uuid.uuid4().hex
    back = _with_org("manager:billing-plans", org)
    cur = version.currency
    hidden = {"organization": str(org.public_id), "timing": timing, "key": key}
    today = timezone.localdate()
    if not live:
        facts = [(_("Plan"), version.plan.name)]
        if version.trial_days:
            facts.append(
                (
                    _("Free trial"),
                    _("%(n)s days, until %(day)s")
                    % {
                        "n": version.trial_days,
                        "day": (today + relativedelta(days=version.trial_days)).strftime("%d/%m/%Y"),
                    },
                )
            )
        confirmation = Confirmation(
            title=_("Subscribe to %(plan)s") % {"plan": version.plan.name},
            question=_("Subscribe %(org)s to the plan %(plan)s?")
            % {"org": org.name, "plan": version.plan.name},
            facts=facts + [(p["name"], p["text"]) for p in _plan_view(version, request)["prices"]],
            action_url=request.path,
            cancel_url=back,
            button=_("Subscribe"),
            hidden=hidden,
            base_template=BASE,
        )

        def perform(*, challenge, code):
            subscriptions.subscribe(
                actor=request.user, organization_id=org.id, version=version, idempotency_key=f"page:{key}"
            )
            messages.success(request, _("Subscribed to %(plan)s.") % {"plan": version.plan.name})
            return redirect(_home(org))

        return confirm_flow(request, confirmation, key=f"billing.subscribe:{org.public_id}", perform=perform)

    if timing == ChangeTiming.NOW:
        preview = overview.change_preview(sub, version, day=today)
        facts = [
            (_("Current plan"), sub.version.plan.name),
            (_("New plan"), version.plan.name),
            (_("Period"), f"{preview.period_start:%d/%m/%Y} – {preview.period_end:%d/%m/%Y}"),
            (_("Credited for the unused part (before tax)"), _money(preview.credit, cur, request)),
            (_("Charged for the rest of the period (before tax)"), _money(preview.charge, cur, request)),
        ]
        question = _("Move %(org)s to %(plan)s today?") % {"org": org.name, "plan": version.plan.name}
        warning = (
            _("Your trial continues on the new plan: nothing is invoiced now.")
            if sub.status == SubscriptionStatus.TRIALING
            else _(
                "A credit note for the unused part and an invoice for the new plan are issued today (TVA added)."
            )
        )
    else:
        facts = [
            (_("Current plan"), sub.version.plan.name),
            (_("New plan"), version.plan.name),
            (_("Starting on"), f"{sub.current_period_end:%d/%m/%Y}"),
        ]
        question = _("Move %(org)s to %(plan)s at the end of the term?") % {
            "org": org.name,
            "plan": version.plan.name,
        }
        warning = _("Nothing changes before the end of the current period.")
    confirmation = Confirmation(
        title=_("Change plan"),
        question=question,
        facts=facts,
        warning=warning,
        action_url=request.path,
        cancel_url=back,
        button=_("Change plan"),
        hidden=hidden,
        base_template=BASE,
    )

    def perform(*, challenge, code):
        subscriptions.change_plan(
            actor=request.user,
            subscription=sub,
            to_version=version,
            timing=ChangeTiming(timing),
            idempotency_key=f"page:{key}",
        )
        messages.success(
            request,
            _("Your plan is changed.")
            if timing == ChangeTiming.NOW
            else _("Your plan will change at the end of the term."),
        )
        return redirect(_home(org))

    return confirm_flow(request, confirmation, key=f"billing.change:{sub.public_id}", perform=perform)


@billing_page(methods=("GET", "POST"))
def cancel(request):
    """Cancel at the end of the term, after a confirmation (a box to tick)."""
    from ..services import subscriptions

    org = _org(request, manage=True)
    sub = selectors.live_subscription(org)
    key = request.POST.get("key") or uuid.uuid4().hex
    end: date = sub.current_period_end
    confirmation = Confirmation(
        title=_("Cancel the subscription"),
        question=_("Cancel %(plan)s for %(org)s at the end of the term, on %(day)s?")
        % {"plan": sub.version.plan.name, "org": org.name, "day": f"{end:%d/%m/%Y}"},
        facts=[(_("Plan"), sub.version.plan.name), (_("Ends on"), f"{end:%d/%m/%Y}")],
        warning=_(
            "The plan's features stay until then; afterwards the free plan applies. Your data, exports and "
            "rent collection are kept."
        ),
        acknowledge=_("I cancel the subscription at the end of the term"),
        action_url=request.path,
        cancel_url=_home(org),
        button=_("Cancel the subscription"),
        hidden={"organization": str(org.public_id), "key": key},
        base_template=BASE,
    )

    def perform(*, challenge, code):
        subscriptions.cancel(actor=request.user, subscription=sub, idempotency_key=f"page:{key}")
        messages.success(request, _("Your subscription ends on %(day)s.") % {"day": f"{end:%d/%m/%Y}"})
        return redirect(_home(org))

    return confirm_flow(request, confirmation, key=f"billing.cancel:{sub.public_id}", perform=perform)


# --- prepaid credits -----------------------------------------------------------------------------


class CreditsForm(forms.Form):
    amount = forms.IntegerField(label=gettext_lazy("Amount of credits"), min_value=1, max_value=100_000_000)
    organization = forms.CharField(widget=forms.HiddenInput)
    key = forms.CharField(widget=forms.HiddenInput)


@billing_page(methods=("GET", "POST"))
def credits(request):
    """Buy prepaid credits: an invoice of the credits, then its pay link."""
    from ..services import payment
    from ..services.invoices import customer_for

    org = _org(request, manage=True)
    balance = overview.credits_balance(org)
    cust = selectors.customer(org)
    currency = cust.currency if cust else (org.currencies or ("XOF",))[0]
    form = CreditsForm(
        request.POST or None,
        initial={"amount": 10_000, "organization": str(org.public_id), "key": uuid.uuid4().hex},
    )
    if request.method == "POST" and form.is_valid():
        try:
            row = payment.buy_credits(
                actor=request.user,
                customer=customer_for(org.id),
                amount=form.cleaned_data["amount"],
                idempotency_key=f"page:{form.cleaned_data['key']}",
            )
            if row.status in selectors.PAYABLE and row.amount_due > 0:
                return redirect(payment.pay_link(row))
            messages.success(request, _("Credits bought."))
            return redirect(_home(org))
        except DomainError as exc:
            if isinstance(exc, NotFound):
                raise
            _form_error(form, exc)
    return render(
        request,
        "billing/manager/credits.html",
        {
            "org": org,
            "form": form,
            "balance": _money(balance, currency, request),
            "currency": currency,
            "home_url": _home(org),
        },
    )
