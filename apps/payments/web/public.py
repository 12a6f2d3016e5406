"""Public pages: the pay link (/pay/<token>), the sandbox simulator page, receipts
(/r/<code>) and the embeddable checkout (/checkout/<token>).

The payer has no account here: the unguessable token is the only authority, so these
POSTs are CSRF-exempt (no ambient cookie is used; the checkout also runs in a third-party
iframe where our cookies are not sent). The server never trusts the browser's success
callback: it asks the provider (services.callback_confirm)."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from apps.core.errors import DomainError
from apps.core.gateway import allow_partner_framing

from .. import api, config, selectors, services
from ..contracts import OPEN_STATUSES, PAID_STATUSES, Method
from ..models import PaymentAttempt, SandboxTransaction
from ..providers import sandbox as sandbox_provider


def qr_svg(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


def _intent_or_404(token: str):
    try:
        return selectors.intent_by_pay_token(token)
    except DomainError:
        raise Http404 from None


def _context(request, intent, *, embedded: bool, error: str = ""):
    is_open = intent.status in OPEN_STATUSES and intent.expires_at > timezone.now()
    methods = []
    if is_open:
        for method in (Method.MOBILE_MONEY, Method.CARD):
            try:
                name = config.route(
                    method=method, country=intent.country, organization_id=intent.organization_id
                )
            except DomainError:
                continue
            methods.append({"method": method.value, "provider": name})
    pending = intent.attempts.filter(status="pending").order_by("-created_at").first()
    return {
        "intent": intent,
        "payee": intent.organization.name,
        "is_open": is_open,
        "is_paid": intent.status in PAID_STATUSES,
        "methods": methods,
        "pending": pending,
        "embedded": embedded,
        "error": error,
        "receipt_url": api.receipt_url(intent),
        "sandbox": "sandbox" in settings.PAYMENT_PROVIDERS,
        "base_path": "payments:checkout" if embedded else "payments:pay",
    }


@require_http_methods(["GET"])
def checkout_landing(request):
    """/checkout/ without a token: checkout.hokwepay.me's root, for someone who typed it."""
    return render(request, "payments/checkout_landing.html")


@require_http_methods(["GET"])
def pay(request, token: str, embedded: bool = False):
    intent = _intent_or_404(token)
    template = "payments/checkout.html" if embedded else "payments/pay.html"
    return render(request, template, _context(request, intent, embedded=embedded))


@csrf_exempt
@require_POST
def pay_start(request, token: str, embedded: bool = False):
    intent = _intent_or_404(token)
    method = request.POST.get("method", Method.MOBILE_MONEY)
    back = reverse("payments:checkout" if embedded else "payments:pay", args=[token])
    callback = reverse("payments:checkout-callback" if embedded else "payments:pay-callback", args=[token])
    try:
        attempt, checkout = services.attempt_start(
            intent=intent, method=method, return_url=request.build_absolute_uri(callback)
        )
    except DomainError as exc:
        context = _context(request, intent, embedded=embedded, error=str(exc.message))
        return render(
            request, "payments/checkout.html" if embedded else "payments/pay.html", context, status=409
        )
    if checkout.kind == "widget":
        return render(
            request,
            "payments/widget.html",
            {
                **_context(request, intent, embedded=embedded),
                "attempt": attempt,
                "widget": checkout.widget,
                "widget_url": checkout.url,
                "callback": callback,
                "back": back,
            },
        )
    if checkout.kind == "sandbox":
        return redirect(f"{checkout.url}?next={callback}")
    return redirect(checkout.url or back)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def pay_callback(request, token: str, embedded: bool = False):
    """Where the provider (or our widget page) sends the payer back. Verified server-side."""
    intent = _intent_or_404(token)
    data = request.POST if request.method == "POST" else request.GET
    reference = data.get("transaction_id") or data.get("transactionId") or data.get("id") or ""
    attempt = intent.attempts.order_by("-created_at").first()
    if reference and attempt is not None:
        try:
            services.callback_confirm(intent=intent, provider=attempt.provider, reference=reference)
        except DomainError:
            pass  # shown as still pending; the webhook or reconciliation decides
    return redirect(reverse("payments:checkout" if embedded else "payments:pay", args=[token]))


def receipt(request, code: str):
    try:
        intent = selectors.intent_by_receipt_code(code)
    except DomainError:
        raise Http404 from None
    if intent.status not in PAID_STATUSES:
        raise Http404
    return render(
        request,
        "payments/receipt.html",
        {
            "intent": intent,
            "payee": intent.organization.name,
        },
    )


# --- the sandbox provider's own page --------------------------------------------------------


def _sandbox_row(reference: str) -> SandboxTransaction:
    if "sandbox" not in settings.PAYMENT_PROVIDERS:
        raise Http404
    row = SandboxTransaction.objects.filter(reference=reference, kind="collect").first()
    if row is None:
        raise Http404
    return row


@csrf_exempt
@require_http_methods(["GET", "POST"])
def sandbox(request, reference: str):
    row = _sandbox_row(reference)
    attempt = (
        PaymentAttempt.objects.select_related("intent__organization")
        .filter(token=row.partner_reference)
        .first()
    )
    next_url = request.GET.get("next") or request.POST.get("next") or ""
    if not next_url.startswith("/") or next_url.startswith("//"):
        next_url = reverse("payments:pay", args=[attempt.intent.pay_token]) if attempt else "/"
    # The provider step of the embedded checkout runs inside the partner's iframe: framed by
    # the checkout's partner hosts only (docs/checkout.md); reached from a pay link, DENY.
    in_checkout = next_url.startswith("/checkout/")
    if request.method == "POST":
        decision = request.POST.get("decision")
        if decision not in ("approve", "decline"):
            response = HttpResponseBadRequest("decision")
            return allow_partner_framing(response) if in_checkout else response
        if row.status == "PENDING":
            row.status = "SUCCESS" if decision == "approve" else "FAILED"
            row.save(update_fields=["status", "updated_at"])
            # Like a real provider, the simulator calls our webhook endpoint's service.
            body = sandbox_provider.SandboxProvider().webhook_body(row)
            services.webhook_receive(
                provider="sandbox", headers={"X-Sandbox-Secret": sandbox_provider.webhook_secret()}, body=body
            )
        separator = "&" if "?" in next_url else "?"
        return redirect(f"{next_url}{separator}transaction_id={row.reference}")
    response = render(
        request,
        "payments/sandbox.html",
        {
            "row": row,
            "attempt": attempt,
            "next": next_url,
            "embedded": in_checkout,
        },
    )
    return allow_partner_framing(response) if in_checkout else response
