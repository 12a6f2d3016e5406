"""The merchant point of sale (/merchant/): an agent (collector, manager, owner) takes a
payment on the spot: cash with a numbered receipt at once, a QR code of the pay link, or a
mobile money request pushed to the payer's phone; and the end-of-day cash report."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.errors import DomainError
from apps.core.money import format_amount
from apps.identity import api as identity

from .. import api, selectors, services
from ..contracts import PAID_STATUSES, IntentStatus
from .forms import MerchantPaymentForm
from .public import qr_svg

PURPOSE = "payments.MerchantSale"  # a QR pay link or a push made at the point of sale


def _organizations(user):
    ids = identity.organization_ids_of(user, roles=identity.COLLECT_ROLES)
    return [identity.get_organization(id=i) for i in sorted(ids)]


def _agent_required(view):
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        organizations = _organizations(request.user)
        if not organizations:
            raise Http404
        return view(request, *args, organizations=organizations, **kwargs)

    wrapper.__name__ = view.__name__
    return wrapper


@_agent_required
def home(request, organizations):
    form = MerchantPaymentForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        org = next(o for o in organizations if str(o.public_id) == data["organization"])
        form_key = request.POST.get("form_key", "")[:100]
        try:
            if data["action"] == "cash":
                intent = services.merchant_cash_sale(
                    actor=request.user,
                    organization_id=org.id,
                    amount=data["amount"],
                    currency=None,  # the organization's own
                    description=data["description"],
                    payer_name=data["payer_name"],
                    payer_phone=data["payer_phone"],
                    idempotency_key=form_key,
                )
                messages.success(request, _("Cash recorded. Receipt issued."))
                return redirect("payments:merchant-detail", intent_id=intent.public_id)
            intent = services.intent_create(
                organization_id=org.id,
                amount=data["amount"],
                currency=services.currency_for(org, None),
                purpose_type=PURPOSE,
                description=data["description"],
                payer_phone=data["payer_phone"],
                payer_name=data["payer_name"],
                created_by=request.user,
                idempotency_key=form_key,
            )
            if intent.status != "created":  # the same form sent twice: show what the first did
                return redirect("payments:merchant-detail", intent_id=intent.public_id)
            if data["action"] == "push":
                services.attempt_push(
                    actor=request.user, intent=intent, phone=data["payer_phone"], operator=data["operator"]
                )
                messages.info(request, _("Request sent: the payer approves it on the phone."))
            return redirect("payments:merchant-detail", intent_id=intent.public_id)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
    recent = (
        selectors.intents_visible_to(request.user)
        .filter(created_by=request.user)
        .order_by("-created_at")[:10]
    )
    today = selectors.cash_report(agent=request.user, organization_id=None, day=timezone.localdate())
    return render(
        request,
        "payments/merchant_home.html",
        {
            "form": form,
            "recent": recent,
            "form_key": _key(),
            "today": today,
            "single": len(organizations) == 1,
        },
    )


def _key() -> str:
    import secrets

    return secrets.token_urlsafe(12)


def _live(intent) -> bool:
    """Still waiting for the payer: the page polls until paid, failed or expired."""
    return (
        intent.status in (IntentStatus.CREATED, IntentStatus.PENDING) and intent.expires_at > timezone.now()
    )


def _share_text(intent, receipt_link: str) -> str:
    return _("Receipt no. %(number)s — %(amount)s — %(what)s — %(payee)s: %(link)s") % {
        "number": intent.receipt_number,
        "amount": format_amount(intent.amount, intent.currency),
        "what": intent.description,
        "payee": intent.organization.name,
        "link": receipt_link,
    }


def _detail_context(request, intent) -> dict:
    link = api.pay_url(intent)
    link = link if link.startswith("http") else request.build_absolute_uri(link)
    receipt_link = api.receipt_url(intent)
    if receipt_link and not receipt_link.startswith("http"):
        receipt_link = request.build_absolute_uri(receipt_link)
    share = {}
    if intent.receipt_number and receipt_link:
        text = _share_text(intent, receipt_link)
        phone = intent.payer_phone or ""
        share = {
            "text": text,
            "whatsapp": f"https://wa.me/{phone.lstrip('+')}?text={quote(text)}",
            "sms": f"sms:{phone}?body={quote(text)}",
        }
    live = _live(intent)
    return {
        "intent": intent,
        "pay_link": link,
        "qr": qr_svg(link) if live else "",
        "pending": intent.attempts.filter(status="pending").order_by("-created_at").first(),
        "receipt_url": receipt_link,
        "live": live,
        "paid": intent.status in PAID_STATUSES,
        "share": share,
    }


def _visible_intent(request, intent_id):
    try:
        return selectors.intent_visible_to(request.user, intent_id)
    except DomainError:
        raise Http404 from None


@_agent_required
def detail(request, intent_id, organizations):
    intent = _visible_intent(request, intent_id)
    return render(request, "payments/merchant_detail.html", _detail_context(request, intent))


@_agent_required
def status(request, intent_id, organizations):
    """The payer's status, polled by the detail page (htmx, every 2 s) while it is open. Once
    the payment is paid or failed, the answer also replaces the QR panel with the receipt
    (an out-of-band swap) and carries no trigger: the polling stops."""
    intent = _visible_intent(request, intent_id)
    context = _detail_context(request, intent)
    return render(request, "payments/merchant_status.html", {**context, "swap_panel": not context["live"]})


@_agent_required
def cash_report(request, organizations):
    try:
        day = date.fromisoformat(request.GET["day"]) if request.GET.get("day") else timezone.localdate()
    except ValueError:
        day = timezone.localdate()
    report = selectors.cash_report(agent=request.user, organization_id=None, day=day)
    return render(request, "payments/merchant_cash_report.html", {"report": report, "day": day})
