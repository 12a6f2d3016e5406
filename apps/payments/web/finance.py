"""Finance staff pages (/manager/payments/finance/…): the suspense queue (apply money held in
suspense to a payment, refund it to the payer, the four-eyes approvals waiting) and the
settlement import (a provider's statement file, FedaPay's API). Hokwe finance staff only
(`payments.admin.change`). Every money action is asked first on core's confirmation page;
a refund (money out) also needs the step-up code sent by SMS. The services check
everything again (four eyes, amounts, one decision per item)."""

from __future__ import annotations

import re
from datetime import timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.core.errors import DomainError
from apps.core.money import format_amount
from apps.core.web.confirm import Confirmation, confirm_flow
from apps.identity import api as identity

from .. import config, services
from ..errors import InvalidPayment
from ..models import PaymentIntent, ReconciliationItem, Settlement, SuspenseDecision
from ..providers.base import ProviderUnavailable
from ..services import settlements as settlement_services
from ..services import suspense as suspense_services

PERMISSION = "payments.admin.change"
TOKEN_RE = re.compile(r"/pay/([A-Za-z0-9_-]{8,40})/?")


def provider_name(code: str) -> str:
    """A provider as people read it (« Kkiapay », « virement bancaire »), never its code."""
    from ..models import METHOD_LABELS
    from ..providers import REGISTRY

    provider = REGISTRY.get(code)
    if provider is not None and getattr(provider, "label", ""):
        return str(provider.label)
    return str(METHOD_LABELS.get(code, code))


def _named(items):
    rows = list(items)
    for item in rows:
        item.provider_name = provider_name(item.provider)
    return rows


def _finance_only(request) -> None:
    if not identity.can(request.user, PERMISSION):
        raise PermissionDenied(_("These pages are for Hokwe finance staff."))


def _lang(request) -> str:
    return getattr(request, "LANGUAGE_CODE", "fr") or "fr"


def _money(request, amount: int, currency: str) -> str:
    return format_amount(amount, currency, _lang(request))


# --- the queue ------------------------------------------------------------------------------------


@login_required
def suspense_queue(request):
    _finance_only(request)
    items = _named(suspense_services.open_items().select_related("intent").order_by("-created_at")[:200])
    waiting = (
        SuspenseDecision.objects.filter(status=SuspenseDecision.Status.AWAITING_APPROVAL)
        .select_related("item", "intent", "requested_by")
        .order_by("created_at")
    )
    recent = (
        SuspenseDecision.objects.exclude(status=SuspenseDecision.Status.AWAITING_APPROVAL)
        .select_related("item", "intent", "requested_by", "approved_by")
        .order_by("-created_at")[:20]
    )
    return render(
        request,
        "payments/finance_suspense.html",
        {
            "items": items,
            "waiting": waiting,
            "recent": recent,
            "threshold_label": ", ".join(
                _money(request, suspense_services.four_eyes_above(), c)
                for c in sorted({i.currency for i in items} | {d.currency for d in waiting})
            ),
        },
    )


def _item_or_404(item_id) -> ReconciliationItem:
    item = ReconciliationItem.objects.select_related("intent", "attempt").filter(public_id=item_id).first()
    if item is None:
        raise Http404
    return item


class ApplyForm(forms.Form):
    target = forms.CharField(
        label=gettext_lazy("Payment: its pay link, pay token or number"),
        max_length=300,
        help_text=gettext_lazy(
            "The pay link the payer received (…/pay/…), its token, or the payment's number. For a rent due, "
            "its pay link."
        ),
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=200, required=False)


class RefundForm(forms.Form):
    phone = forms.CharField(
        label=gettext_lazy("Payer's mobile money number"),
        max_length=32,
        required=False,
        help_text=gettext_lazy("Needed when the provider cannot refund the transaction itself."),
    )
    name = forms.CharField(label=gettext_lazy("Payer's name"), max_length=150, required=False)
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=200, required=False)


def find_intent(text: str) -> PaymentIntent | None:
    """A payment from what finance staff paste: a pay link, a pay token, a public id."""
    text = (text or "").strip()
    if not text:
        return None
    match = TOKEN_RE.search(text)
    token = match.group(1) if match else text
    query = Q(pay_token=token)
    try:
        from uuid import UUID

        query |= Q(public_id=UUID(text))
    except ValueError:
        pass
    return PaymentIntent.objects.select_related("organization").filter(query).first()


@login_required
def suspense_item(request, item_id):
    _finance_only(request)
    item = _item_or_404(item_id)
    item.provider_name = provider_name(item.provider)
    return render(
        request,
        "payments/finance_item.html",
        {
            "item": item,
            "is_open": suspense_services.open_items().filter(pk=item.pk).exists(),
            "decisions": item.decisions.select_related("intent", "requested_by", "approved_by").order_by(
                "-created_at"
            ),
            "apply_form": ApplyForm(),
            "refund_form": RefundForm(initial={"phone": item.intent.payer_phone if item.intent_id else ""}),
            "refundable_at_provider": suspense_services._refundable_at_provider(item) is not None,
            "needs_approval": suspense_services.needs_second_approval(item.amount_provider or 0),
        },
    )


def _back(item) -> str:
    return reverse("manager:payments-finance-item", kwargs={"item_id": item.public_id})


@login_required
@require_POST
def suspense_apply(request, item_id):
    _finance_only(request)
    item = _item_or_404(item_id)
    back = _back(item)
    form = ApplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, next(iter(form.errors.values()))[0])
        return redirect(back)
    intent = find_intent(form.cleaned_data["target"])
    if intent is None:
        messages.error(
            request, _("No payment has this link, token or number. Copy the pay link the payer received.")
        )
        return redirect(back)
    amount = _money(request, item.amount_provider or 0, item.currency)
    confirmation = Confirmation(
        title=_("Apply money in suspense"),
        question=_("Apply %(amount)s to « %(payment)s »?")
        % {"amount": amount, "payment": intent.description},
        facts=[
            (_("Received"), amount),
            (_("Payment"), intent.description),
            (_("Payee"), intent.organization.name),
            (_("Payer"), intent.payer_name or intent.payer_phone or "-"),
            (_("Amount due"), _money(request, intent.amount, intent.currency)),
        ],
        warning=(
            _("Above %(threshold)s another finance staff member must approve it.")
            % {"threshold": _money(request, suspense_services.four_eyes_above(), item.currency)}
            if suspense_services.needs_second_approval(item.amount_provider or 0)
            else _("The payment is marked paid at once and its receipt is issued.")
        ),
        hidden={"target": form.cleaned_data["target"], "reason": form.cleaned_data["reason"]},
        action_url=reverse("manager:payments-finance-apply", kwargs={"item_id": item.public_id}),
        cancel_url=back,
        button=_("Apply"),
    )

    def perform(*, challenge, code):
        decision = services.suspense_apply(
            actor=request.user, item=item, intent=intent, reason=form.cleaned_data["reason"]
        )
        if decision.status == SuspenseDecision.Status.AWAITING_APPROVAL:
            messages.success(request, _("Request recorded: another finance staff member must approve it."))
        else:
            messages.success(request, _("%(amount)s applied: the payment is paid.") % {"amount": amount})
        return redirect("manager:payments-finance-suspense")

    return confirm_flow(
        request, confirmation, key=f"payments.suspense.apply:{item.public_id}", perform=perform
    )


@login_required
@require_POST
def suspense_refund(request, item_id):
    _finance_only(request)
    item = _item_or_404(item_id)
    back = _back(item)
    form = RefundForm(request.POST)
    if not form.is_valid():
        messages.error(request, next(iter(form.errors.values()))[0])
        return redirect(back)
    data = form.cleaned_data
    amount = _money(request, item.amount_provider or 0, item.currency)
    at_provider = suspense_services._refundable_at_provider(item) is not None
    to = (
        _("the payer, through %(provider)s") % {"provider": provider_name(item.provider)}
        if at_provider
        else data["phone"]
    )
    binding = {
        "action": suspense_services.REFUND_ACTION,
        "target": str(item.public_id),
        "amount": item.amount_provider,
        "currency": item.currency,
    }
    confirmation = Confirmation(
        title=_("Refund money in suspense"),
        question=_("Send %(amount)s back to %(to)s?") % {"amount": amount, "to": to or _("the payer")},
        facts=[
            (_("Received"), amount),
            (_("Transaction"), f"{provider_name(item.provider)} {item.provider_reference}"),
            *([(_("Reason"), data["reason"])] if data["reason"] else []),
        ],
        warning=_("The money leaves Hokwe and goes back to the payer: this cannot be undone."),
        hidden={"phone": data["phone"], "name": data["name"], "reason": data["reason"]},
        action_url=reverse("manager:payments-finance-refund", kwargs={"item_id": item.public_id}),
        cancel_url=back,
        button=_("Refund"),
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
        decision = services.suspense_refund(
            actor=request.user,
            item=item,
            phone=data["phone"],
            name=data["name"],
            reason=data["reason"],
            step_up_token=proof.token,
            idempotency_key=f"web:{challenge}",
        )
        messages.success(request, _decision_message(decision, amount))
        return redirect("manager:payments-finance-suspense")

    return confirm_flow(
        request,
        confirmation,
        key=f"payments.suspense.refund:{item.public_id}",
        send_code=send_code,
        perform=perform,
    )


def _decision_message(decision: SuspenseDecision, amount: str) -> str:
    Status = SuspenseDecision.Status
    return {
        Status.AWAITING_APPROVAL: _("Request recorded: another finance staff member must approve it."),
        Status.DONE: _("%(amount)s sent back to the payer.") % {"amount": amount},
        Status.SENDING: _("Refund of %(amount)s asked of the provider: its answer is awaited.")
        % {"amount": amount},
        Status.AWAITING_PAYOUT: _("Payout of %(amount)s to the payer under way.") % {"amount": amount},
        Status.FAILED: _("The refund failed: %(reason)s. The money stays in suspense.")
        % {"reason": decision.failure_reason or "-"},
    }.get(decision.status, _("Done."))


def _decision_or_404(decision_id) -> SuspenseDecision:
    decision = (
        SuspenseDecision.objects.select_related("item", "intent", "requested_by")
        .filter(public_id=decision_id)
        .first()
    )
    if decision is None:
        raise Http404
    return decision


@login_required
@require_POST
def decision_approve(request, decision_id):
    _finance_only(request)
    decision = _decision_or_404(decision_id)
    queue = reverse("manager:payments-finance-suspense")
    amount = _money(request, decision.amount, decision.currency)
    if decision.requested_by_id == request.user.pk:
        messages.error(
            request, _("Another finance staff member must approve this request: not the one who made it.")
        )
        return redirect(queue)
    refund = decision.action == SuspenseDecision.Action.REFUND
    what = (
        _("Send %(amount)s back to the payer?") % {"amount": amount}
        if refund
        else _("Apply %(amount)s to « %(payment)s »?")
        % {"amount": amount, "payment": decision.intent.description}
    )
    confirmation = Confirmation(
        title=_("Approve a request"),
        question=what,
        facts=[
            (_("Requested by"), decision.requested_by.full_name or str(decision.requested_by.phone)),
            (_("Amount"), amount),
            *([(_("Reason"), decision.reason)] if decision.reason else []),
        ],
        warning=_("You are the second pair of eyes: check the amount and the payment before approving."),
        action_url=reverse("manager:payments-finance-approve", kwargs={"decision_id": decision.public_id}),
        cancel_url=queue,
        button=_("Approve"),
        step_up=refund,
    )

    def send_code():
        challenge = identity.step_up_start(
            actor=request.user,
            action=suspense_services.REFUND_ACTION,
            target=str(decision.item.public_id),
            amount=decision.amount,
            currency=decision.currency,
        )
        return challenge.challenge_id, challenge.phone_hint

    def perform(*, challenge, code):
        token = None
        if refund:
            token = identity.step_up_verify(actor=request.user, challenge_id=challenge, code=code).token
        done = services.suspense_approve(actor=request.user, decision=decision, step_up_token=token)
        messages.success(request, _decision_message(done, amount) if refund else _("Approved and applied."))
        return redirect(queue)

    return confirm_flow(
        request,
        confirmation,
        key=f"payments.suspense.approve:{decision.public_id}",
        send_code=send_code if refund else None,
        perform=perform,
    )


@login_required
@require_POST
def decision_reject(request, decision_id):
    _finance_only(request)
    decision = _decision_or_404(decision_id)
    try:
        services.suspense_reject(
            actor=request.user, decision=decision, reason=request.POST.get("reason", "")[:200]
        )
        messages.success(request, _("Request rejected: the money stays in suspense."))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("manager:payments-finance-suspense")


# --- settlements ------------------------------------------------------------------------------------


class StatementForm(forms.Form):
    provider = forms.ChoiceField(label=gettext_lazy("Provider"))
    file = forms.FileField(label=gettext_lazy("Settlement statement (CSV)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [(p, p.capitalize()) for p in sorted(settlement_services.COLUMNS)]


class FedapayForm(forms.Form):
    since = forms.DateField(label=gettext_lazy("From"), widget=forms.DateInput(attrs={"type": "date"}))


@login_required
def settlements(request):
    _finance_only(request)
    result = None
    statement_form = StatementForm()
    fedapay_form = FedapayForm(initial={"since": timezone.localdate() - timedelta(days=7)})
    if request.method == "POST":
        try:
            if request.POST.get("source") == "fedapay":
                fedapay_form = FedapayForm(request.POST)
                if fedapay_form.is_valid():
                    result = services.fedapay_import(
                        since=fedapay_form.cleaned_data["since"], actor=request.user
                    )
            else:
                statement_form = StatementForm(request.POST, request.FILES)
                if statement_form.is_valid():
                    upload = statement_form.cleaned_data["file"]
                    if upload.size > settlement_services.MAX_FILE_BYTES:
                        raise InvalidPayment(_("The file is too large (5 MB at most)."), field="file")
                    result = services.file_import(
                        provider=statement_form.cleaned_data["provider"],
                        content=upload.read(),
                        filename=upload.name,
                        actor=request.user,
                    )
        except DomainError as exc:
            messages.error(request, str(exc.message))
        except ProviderUnavailable:  # said on the page; nothing was recorded
            messages.error(
                request, _("FedaPay does not answer. Try again in a moment: nothing was recorded.")
            )
    return render(
        request,
        "payments/finance_settlements.html",
        {
            "statement_form": statement_form,
            "fedapay_form": fedapay_form,
            "fedapay_enabled": "fedapay" in config.online_providers(),
            "result": result,
            "settlements": Settlement.objects.order_by("-created_at")[:30],
        },
    )
