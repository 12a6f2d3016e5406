"""Manager pages (/manager/payments/): payments of my organizations, new pay link, payouts."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_POST

from apps.core.errors import DomainError
from apps.core.money import format_amount
from apps.core.web.confirm import Confirmation, confirm_flow
from apps.identity import api as identity

from .. import api, selectors, services
from ..contracts import OPEN_STATUSES, IntentStatus
from ..models import INTENT_STATUS_LABELS
from .forms import AmountField, PayLinkForm
from .public import qr_svg


def _with_provider_names(attempts):
    """Each attempt with `provider_name`: the provider as people read it (« Kkiapay »)."""
    from ..providers import REGISTRY

    rows = list(attempts)
    for attempt in rows:
        provider = REGISTRY.get(attempt.provider)
        attempt.provider_name = (
            str(provider.label) if provider is not None and provider.label else attempt.provider
        )
    return rows


@login_required
def intent_list(request):
    status = request.GET.get("status", "")
    if status not in IntentStatus.__members__.values():
        status = ""
    q = (request.GET.get("q") or "").strip()[:100]
    qs = selectors.intents_visible_to(request.user).order_by("-created_at")
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(description__icontains=q) | Q(payer_name__icontains=q) | Q(payer_phone__icontains=q))
    return render(
        request,
        "payments/manager_list.html",
        {
            "intents": qs[:100],
            "status": status,
            "q": q,
            "statuses": [(s.value, INTENT_STATUS_LABELS[s]) for s in IntentStatus],
        },
    )


@login_required
def intent_new(request):
    ids = identity.organization_ids_of(request.user, roles=identity.FINANCE_ROLES | identity.COLLECT_ROLES)
    organizations = [identity.get_organization(id=i) for i in sorted(ids)]
    if not organizations:
        raise Http404
    form = PayLinkForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        org = next(o for o in organizations if str(o.public_id) == data["organization"])
        try:
            intent = services.intent_create(
                organization_id=org.id,
                amount=data["amount"],
                currency=services.currency_for(org, None),
                purpose_type="payments.PayLink",
                description=data["description"],
                payer_phone=data["payer_phone"],
                payer_name=data["payer_name"],
                created_by=request.user,
            )
            return redirect("manager:payments-detail", intent_id=intent.public_id)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
    return render(request, "payments/manager_new.html", {"form": form})


@login_required
def intent_detail(request, intent_id):
    try:
        intent = selectors.intent_visible_to(request.user, intent_id)
    except DomainError:
        raise Http404 from None
    url = api.pay_url(intent)
    link = url if url.startswith("http") else request.build_absolute_uri(url)
    return render(
        request,
        "payments/manager_detail.html",
        {
            "intent": intent,
            "pay_link": link,
            "qr": qr_svg(link),
            "attempts": _with_provider_names(intent.attempts.order_by("created_at")),
            "refunds": intent.refunds.order_by("created_at"),
            "receipt_url": api.receipt_url(intent),
            "can_cancel": intent.status in OPEN_STATUSES
            and identity.can(request.user, "payments.intent.cancel", intent),
            "can_refund": intent.status in (IntentStatus.SUCCEEDED, IntentStatus.PARTIALLY_REFUNDED)
            and identity.can(request.user, "payments.intent.refund", intent),
            "refund_form": RefundForm(initial={"amount": intent.amount - intent.amount_refunded}),
        },
    )


# --- irreversible actions: asked first (apps/core/web/confirm.py) ------------------------------


class RefundForm(forms.Form):
    amount = AmountField(label=gettext_lazy("Amount to refund"), min_value=1)
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=200, required=False)


def _intent_or_404(request, intent_id):
    try:
        return selectors.intent_visible_to(request.user, intent_id)
    except DomainError:
        raise Http404 from None


def _payer(intent) -> str:
    if intent.payer_name or intent.payer_phone:
        return intent.payer_name or intent.payer_phone
    if intent.payer_id:
        user = identity.get_user(id=intent.payer_id)
        return user.full_name or str(user.phone)
    return _("the payer")


def _lang(request) -> str:
    return getattr(request, "LANGUAGE_CODE", "fr") or "fr"


@login_required
@require_POST
def intent_cancel(request, intent_id):
    """Cancel an unpaid pay link: its page asks first, then services.intent_cancel."""
    intent = _intent_or_404(request, intent_id)
    detail = reverse("manager:payments-detail", kwargs={"intent_id": intent.public_id})
    amount = format_amount(intent.amount, intent.currency, _lang(request))
    confirmation = Confirmation(
        title=_("Cancel the pay link"),
        question=_("Cancel the pay link of %(amount)s for %(payer)s?")
        % {"amount": amount, "payer": _payer(intent)},
        facts=[(_("Description"), intent.description), (_("Amount"), amount)],
        warning=_("The link stops working at once; a new one has to be created to collect this amount."),
        action_url=reverse("manager:payments-cancel", kwargs={"intent_id": intent.public_id}),
        cancel_url=detail,
        button=_("Cancel the pay link"),
    )

    def perform(*, challenge, code):
        services.intent_cancel(actor=request.user, intent=intent)
        messages.success(request, _("Pay link canceled."))
        return redirect(detail)

    return confirm_flow(
        request, confirmation, key=f"payments.intent.cancel:{intent.public_id}", perform=perform
    )


@login_required
@require_POST
def intent_refund(request, intent_id):
    """Refund a paid intent: the amount and the payer confirmed, then the step-up code sent by
    SMS; services.intent_refund checks the proof itself (bound to the intent and the amount),
    as on REST and GraphQL."""
    intent = _intent_or_404(request, intent_id)
    detail = reverse("manager:payments-detail", kwargs={"intent_id": intent.public_id})
    form = RefundForm(request.POST)
    if not form.is_valid():
        first = next(iter(form.errors.values()))[0]
        messages.error(request, first)
        return redirect(detail)
    value, reason = form.cleaned_data["amount"], form.cleaned_data["reason"]
    amount = format_amount(value, intent.currency, _lang(request))
    payer = _payer(intent)
    try:
        via, number = services.refund_route(intent, value)
    except DomainError as exc:  # a payout would be needed and the payer's number is unknown
        messages.error(request, str(exc.message))
        return redirect(detail)
    route = (
        [(_("Paid back"), _("by a payout to the mobile money number %(number)s") % {"number": number})]
        if via == "payout"
        else []
    )
    binding = {
        "action": "payments.intent.refund",
        "target": str(intent.public_id),
        "amount": value,
        "currency": intent.currency,
    }
    confirmation = Confirmation(
        title=_("Refund a payment"),
        question=_("Refund %(amount)s to %(payer)s?") % {"amount": amount, "payer": payer},
        facts=[
            (_("Description"), intent.description),
            (_("Paid"), format_amount(intent.amount, intent.currency, _lang(request))),
            (_("Refunded"), amount),
            *route,
            *([(_("Reason"), reason)] if reason else []),
        ],
        warning=_("The money leaves your account and goes back to the payer: this cannot be undone."),
        hidden={"amount": value, "reason": reason},
        action_url=reverse("manager:payments-refund", kwargs={"intent_id": intent.public_id}),
        cancel_url=detail,
        button=pgettext("button", "Refund"),
        step_up=True,
        strong=identity.needs_strong_factor(
            request.user, action=binding["action"], amount=binding.get("amount")
        ),
    )

    def send_code():
        challenge = identity.step_up_start(actor=request.user, **binding)
        return challenge.challenge_id, challenge.phone_hint

    def perform(*, challenge, code):
        proof = identity.step_up_verify(actor=request.user, challenge_id=challenge, code=code)
        refund = services.intent_refund(
            actor=request.user,
            intent=intent,
            amount=value,
            reason=reason,
            step_up_token=proof.token,
            idempotency_key=f"web:{challenge}",
        )
        if refund.via == "payout":  # the provider cannot give this back: a payout to the payer
            messages.success(
                request,
                _(
                    "Refund of %(amount)s to %(payer)s requested: the payment provider cannot give it back, "
                    "so it is sent to their mobile money number."
                )
                % {"amount": amount, "payer": payer},
            )
        else:
            messages.success(
                request,
                _("Refund of %(amount)s to %(payer)s requested.") % {"amount": amount, "payer": payer},
            )
        return redirect(detail)

    return confirm_flow(
        request,
        confirmation,
        key=f"payments.intent.refund:{intent.public_id}",
        send_code=send_code,
        perform=perform,
    )


@login_required
def payout_list(request):
    payouts = selectors.payouts_visible_to(request.user).order_by("-created_at")[:100]
    accounts = selectors.payout_accounts_visible_to(request.user)
    return render(
        request,
        "payments/manager_payouts.html",
        {"payouts": payouts, "accounts": accounts},
    )
