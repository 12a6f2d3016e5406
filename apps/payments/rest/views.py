"""REST for the apps (tenant pay app, collector app): thin views over the services.
Everything is scoped: another organization's intent, payout or account is a 404."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.errors import NotFound
from apps.core.idempotency import HEADER, clean_key
from apps.core.money import money_json
from apps.core.pagination import CursorPagination
from apps.core.rest import idempotent, takes_idempotency_key

from .. import selectors, services
from ..models import PaymentIntent
from . import serializers as s


def _parse(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class IntentPagination(CursorPagination):
    ordering = ("-created_at", "-id")


def _intent_out(intent, request, code=status.HTTP_200_OK):
    intent = PaymentIntent.objects.select_related("organization", "payer").get(pk=intent.pk)
    return Response(s.IntentOut(intent, context={"request": request}).data, status=code)


INTENT_EXAMPLE = {
    "id": "7d3e9a10-2b4c-4e8f-a1d6-9c0b5e7f3a21",
    "status": "created",
    "amount": {"amount": 85000, "currency": "XOF", "formatted": "85 000 FCFA"},
    "fee": {"amount": 0, "currency": "XOF", "formatted": "0 FCFA"},
    "amount_refunded": {"amount": 0, "currency": "XOF", "formatted": "0 FCFA"},
    "organization": {"id": "0b6f2a4e-8c1d-4f7a-9e3b-5d2c1a0f9e8d", "name": "Agence Lumière Cotonou"},
    "payer": None,
    "payer_name": "",
    "description": "Loyer juin 2026, appartement B2",
    "purpose": {"type": "payments.PayLink", "id": ""},
    "credit_account": "e41a8b2c-7d3f-4c5e-9b10-2f6a8d4c1e73",
    "metadata": {},
    "expires_at": "2026-06-08T10:00:00Z",
    "created_at": "2026-06-01T10:00:00Z",
    "succeeded_at": None,
    "provider": "",
    "method": "",
    "receipt_number": "",
    "pay_url": "https://app.hokwe.com/pay/pl_4hV9kQ2mX7",
    "receipt_url": "",
}


@extend_schema(tags=["payments"])
@extend_schema_view(get=extend_schema(parameters=[s.IntentListQuery]))
class IntentListView(generics.ListAPIView):
    """My payments: intents of my organizations, and those I pay (query: status, organization)."""

    serializer_class = s.IntentOut
    pagination_class = IntentPagination
    throttle_scope = None

    def get_queryset(self):
        filters = _parse(s.IntentListQuery, self.request.query_params.dict())
        qs = selectors.intents_visible_to(self.request.user).select_related("payer")
        if "status" in filters:
            qs = qs.filter(status=filters["status"])
        if "organization" in filters:
            qs = qs.filter(organization__public_id=filters["organization"])
        return qs

    @extend_schema(
        request=s.IntentCreateIn,
        responses={201: s.IntentOut},
        examples=[
            OpenApiExample(
                "A pay link for a month's rent",
                value={
                    "organization": "0b6f2a4e-8c1d-4f7a-9e3b-5d2c1a0f9e8d",
                    "amount": 85000,
                    "description": "Loyer juin 2026, appartement B2",
                    "payer_phone": "+2290161000099",
                },
                request_only=True,
            ),
            OpenApiExample("Created", value=INTENT_EXAMPLE, response_only=True, status_codes=["201"]),
        ],
    )
    @idempotent()
    def post(self, request, **kwargs):
        """Create a payment intent (a pay link). Send an Idempotency-Key: a double click
        creates one intent."""
        data = _parse(s.IntentCreateIn, request.data)
        org = selectors.organization_for(request.user, data["organization"], "payments.intent.create")
        intent = services.intent_create(
            organization_id=org.id,
            amount=data["amount"],
            currency=data.get("currency") or services.currency_for(org, None),
            purpose_type=data["purpose_type"],
            purpose_id=data["purpose_id"],
            description=data["description"],
            credit_account=data.get("credit_account"),
            payer_phone=data["payer_phone"],
            payer_name=data["payer_name"],
            metadata=data["metadata"],
            expires_at=data.get("expires_at"),
            created_by=request.user,
            credit_account_owned_by_payee=True,
            organization=org,
            idempotency_key=f"rest:{request.user.pk}:{request.headers.get(HEADER, '')}"
            if request.headers.get(HEADER)
            else "",
        )
        return _intent_out(intent, request, status.HTTP_201_CREATED)


@extend_schema(tags=["payments"], responses=s.IntentOut)
class IntentDetailView(APIView):
    def get(self, request, intent_id, **kwargs):
        return _intent_out(selectors.intent_visible_to(request.user, intent_id), request)


@extend_schema(tags=["payments"], request=None, responses=s.IntentOut)
class IntentCancelView(APIView):
    def post(self, request, intent_id, **kwargs):
        intent = selectors.intent_visible_to(request.user, intent_id)
        return _intent_out(services.intent_cancel(actor=request.user, intent=intent), request)


@extend_schema(tags=["payments"], request=s.AttemptIn, responses={201: s.CheckoutOut})
class AttemptView(APIView):
    """Start paying with an online provider: returns what the app opens (Kkiapay's widget
    options, a redirect URL, the sandbox page)."""

    @idempotent()
    def post(self, request, intent_id, **kwargs):
        data = _parse(s.AttemptIn, request.data)
        intent = selectors.intent_visible_to(request.user, intent_id)
        attempt, checkout = services.attempt_start(
            intent=intent, method=data["method"], provider=data.get("provider"), return_url=data["return_url"]
        )
        body = {
            "attempt": attempt.public_id,
            "provider": attempt.provider,
            "method": attempt.method,
            "kind": checkout.kind,
            "url": request.build_absolute_uri(checkout.url) if checkout.url.startswith("/") else checkout.url,
            "widget": checkout.widget,
        }
        return Response(s.CheckoutOut(body).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["payments"], request=s.ConfirmIn, responses=s.IntentOut)
class ConfirmView(APIView):
    """The app's provider SDK reported success: the server verifies with the provider."""

    @idempotent()
    def post(self, request, intent_id, **kwargs):
        data = _parse(s.ConfirmIn, request.data)
        intent = selectors.intent_visible_to(request.user, intent_id)
        attempt = intent.attempts.order_by("-created_at").first()
        if attempt is None:
            raise NotFound()
        services.callback_confirm(intent=intent, provider=attempt.provider, reference=data["transaction_id"])
        return _intent_out(intent, request)


@extend_schema(tags=["payments"], request=None, responses=s.IntentOut)
class WalletPayView(APIView):
    @idempotent()
    def post(self, request, intent_id, **kwargs):
        intent = selectors.intent_visible_to(request.user, intent_id)
        services.wallet_pay(actor=request.user, intent=intent)
        return _intent_out(intent, request)


@extend_schema(tags=["payments"], request=s.PushIn, responses=s.IntentOut)
class PushView(APIView):
    """Collector app: push a mobile money request to the payer's phone."""

    @idempotent()
    def post(self, request, intent_id, **kwargs):
        data = _parse(s.PushIn, request.data)
        intent = selectors.intent_visible_to(request.user, intent_id)
        services.attempt_push(
            actor=request.user, intent=intent, phone=data["phone"], operator=data["operator"]
        )
        return _intent_out(intent, request)


@extend_schema(tags=["payments"], request=s.RefundIn, responses={201: s.RefundOut})
class RefundView(APIView):
    """Refund (managers, owners; finance staff): needs a step-up OTP for action
    "payments.intent.refund", target the intent id, and the amount."""

    @idempotent()
    def post(self, request, intent_id, **kwargs):
        data = _parse(s.RefundIn, request.data)
        intent = selectors.intent_visible_to(request.user, intent_id)
        refund = services.intent_refund(
            actor=request.user,
            intent=intent,
            amount=data.get("amount"),
            reason=data["reason"],
            step_up_token=data.get("step_up_token"),
        )
        return Response(s.RefundOut(refund).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["payments"], request=s.CashIn, responses={201: s.IntentOut})
class CashView(APIView):
    """Collector app: record cash at once (a numbered receipt): a sale (amount, what is
    paid, the currency or the organization's own), or an existing intent. Always send an
    Idempotency-Key: a retry on a bad network is then counted once."""

    @takes_idempotency_key
    def post(self, request, **kwargs):
        data = _parse(s.CashIn, request.data)
        org = selectors.organization_for(request.user, data["organization"], "payments.merchant.collect")
        if "intent" in data:
            return self._pay_intent(request, org, data)
        intent = services.merchant_cash_sale(
            actor=request.user,
            organization_id=org.id,
            amount=data["amount"],
            currency=data.get("currency"),
            description=data["description"],
            payer_name=data["payer_name"],
            payer_phone=data["payer_phone"],
            idempotency_key=clean_key(request.headers[HEADER]) if HEADER in request.headers else "",
        )
        return _intent_out(intent, request, status.HTTP_201_CREATED)

    @idempotent()
    def _pay_intent(self, request, org, data):
        intent = selectors.intent_visible_to(request.user, data["intent"])
        if intent.organization_id != org.id:
            raise NotFound(field="intent")
        intent = services.cash_record(actor=request.user, intent=intent)
        return _intent_out(intent, request, status.HTTP_201_CREATED)


@extend_schema(tags=["payments"], parameters=[s.CashReportQuery], responses=s.CashReportOut)
class CashReportView(APIView):
    """End-of-day cash report of the calling agent."""

    def get(self, request, **kwargs):
        data = _parse(s.CashReportQuery, request.query_params.dict())
        org_id = None
        if "organization" in data:
            org_id = selectors.organization_for(
                request.user, data["organization"], "payments.merchant.report"
            ).id
        report = selectors.cash_report(
            agent=request.user, organization_id=org_id, day=data.get("day") or timezone.localdate()
        )
        totals = [money_json(total, currency) for currency, total in report["totals"].items()]
        return Response(s.CashReportOut({**report, "totals": totals}).data)


class _Pagination(CursorPagination):
    ordering = ("-created_at", "-id")


@extend_schema(tags=["payments"])
class PayoutAccountListView(generics.ListAPIView):
    serializer_class = s.PayoutAccountOut
    pagination_class = _Pagination

    def get_queryset(self):
        return selectors.payout_accounts_visible_to(self.request.user)

    @extend_schema(request=s.PayoutAccountIn, responses={201: s.PayoutAccountOut})
    @idempotent()
    def post(self, request, **kwargs):
        """Add a payout account: step-up OTP for action "payments.payout_account.create",
        target "<organization id>:<E.164 number or account number>"."""
        data = _parse(s.PayoutAccountIn, request.data)
        org = selectors.organization_for(request.user, data["organization"], "payments.payout_account.manage")
        account = services.payout_account_create(
            actor=request.user,
            organization_id=org.id,
            kind=data["kind"],
            holder_name=data["holder_name"],
            phone=data["phone"],
            operator=data["operator"],
            bank_name=data["bank_name"],
            account_number=data["account_number"],
            step_up_token=data.get("step_up_token"),
        )
        return Response(s.PayoutAccountOut(account).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["payments"], request=s.StepUpIn, responses={204: None})
class PayoutAccountRemoveView(APIView):
    def post(self, request, payout_account_id, **kwargs):
        data = _parse(s.StepUpIn, request.data)
        account = selectors.payout_account_visible_to(request.user, payout_account_id)
        services.payout_account_remove(
            actor=request.user, account=account, step_up_token=data.get("step_up_token")
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["payments"])
class PayoutListView(generics.ListAPIView):
    serializer_class = s.PayoutOut
    pagination_class = _Pagination

    def get_queryset(self):
        return selectors.payouts_visible_to(self.request.user)

    @extend_schema(request=s.PayoutIn, responses={201: s.PayoutOut})
    @idempotent()
    def post(self, request, **kwargs):
        """Pay out from the organization's balance: step-up OTP for action
        "payments.payout.create", target the organization id, and the amount."""
        data = _parse(s.PayoutIn, request.data)
        org = selectors.organization_for(request.user, data["organization"], "payments.payout.create")
        account = selectors.payout_account_visible_to(request.user, data["payout_account"])
        payout = services.payout_request(
            actor=request.user,
            organization_id=org.id,
            account=account,
            amount=data["amount"],
            currency=data.get("currency") or services.currency_for(org, None),
            step_up_token=data.get("step_up_token"),
        )
        payout.refresh_from_db()
        return Response(s.PayoutOut(payout).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["payments"], responses=s.PayoutOut)
class PayoutDetailView(APIView):
    def get(self, request, payout_id, **kwargs):
        return Response(s.PayoutOut(selectors.payout_visible_to(request.user, payout_id)).data)
