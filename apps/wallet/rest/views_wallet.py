"""REST of the wallet itself: the wallet, its balance, usage and limits, top-ups, withdrawals,
the statement (JSON pages, CSV, PDF), rent dues paid from the wallet. Thin: parse, call
services, render. A user only ever sees their own wallet (every read is scoped to
request.user)."""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.idempotency import HEADER, clean_key
from apps.core.rest import idempotent
from apps.kyc import api as kyc
from apps.ledger import api as ledger
from apps.payments import api as payments

from .. import selectors
from ..services import rent, statement, topups, wallets, withdrawals
from . import serializers_wallet as s


def _parse(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _currency(request) -> str:
    return _parse(s.WalletCurrencyQuery, request.query_params)["currency"].upper()


def _wallet_out(wallet):
    info = wallets.wallet_info(wallet)
    return s.WalletOut(info).data


def _topup_out(row):
    intent = payments.get_intent(row.intent) if row.intent else None
    data = {
        "public_id": row.public_id,
        "status": row.status,
        "amount": row.amount,
        "currency": row.currency,
        "intent": row.intent,
        "pay_url": intent.pay_url if intent else "",
        "created_at": row.created_at,
        "credited_at": row.credited_at,
    }
    return s.WalletTopUpOut(data).data


def _withdrawal_out(row):
    data = {
        "public_id": row.public_id,
        "status": row.status,
        "amount": row.amount,
        "currency": row.currency,
        "phone": f"****{row.phone[-4:]}",
        "failure_reason": row.failure_reason,
        "created_at": row.created_at,
        "completed_at": row.completed_at,
    }
    return s.WalletWithdrawalOut(data).data


CURRENCY = OpenApiParameter("currency", str, required=False, description="ISO 4217 code (default XOF)")


@extend_schema(tags=["wallet"], parameters=[CURRENCY], responses=s.WalletOut)
class WalletView(APIView):
    """Your wallet in a currency (created on first use): status, balance, available."""

    def get(self, request, **kwargs):
        return Response(_wallet_out(wallets.wallet_for(request.user, _currency(request))))


@extend_schema(tags=["wallet"], parameters=[CURRENCY], responses=s.WalletBalanceOut)
class WalletBalanceView(APIView):
    def get(self, request, **kwargs):
        wallet = wallets.wallet_for(request.user, _currency(request))
        balance = ledger.balance(account=wallet.account)
        return Response(
            s.WalletBalanceOut(
                {"balance": balance.posted, "available": balance.available, "currency": wallet.currency}
            ).data
        )


@extend_schema(tags=["wallet"], parameters=[CURRENCY], responses=s.WalletUsageOut)
class WalletUsageView(APIView):
    """What you used (stored totals) against your verification level's limits (kyc)."""

    def get(self, request, **kwargs):
        currency = _currency(request)
        used = wallets.usage(request.user, currency)
        limits = kyc.limits_for(request.user)
        data = {
            "tier": limits.tier,
            "currency": currency,
            "balance": used.balance,
            "inflow_this_month": used.inflow_this_month,
            "outflow_today": used.outflow_today,
            "max_balance": limits.max_balance,
            "monthly_inflow": limits.monthly_inflow,
            "daily_outflow": limits.daily_outflow,
            "single_transaction": limits.single_transaction,
        }
        return Response(s.WalletUsageOut(data).data)


@extend_schema(tags=["wallet"])
class TopUpListView(APIView):
    """GET: your top-ups, newest first. POST: top up by mobile money (201; Idempotency-Key
    required): pay the returned intent at `pay_url`; the wallet is credited when it is paid."""

    @extend_schema(parameters=[CURRENCY], responses=s.WalletTopUpOut(many=True))
    def get(self, request, **kwargs):
        rows = selectors.own_topups(request.user, _currency(request))[:50]
        return Response([_topup_out(row) for row in rows])

    @extend_schema(request=s.WalletTopUpIn, responses={201: s.WalletTopUpOut})
    @idempotent()
    def post(self, request, **kwargs):
        data = _parse(s.WalletTopUpIn, request.data)
        key = clean_key(request.headers.get(HEADER, ""))
        row, _intent = topups.topup_start(
            actor=request.user, amount=data["amount"], currency=data["currency"].upper(), idempotency_key=key
        )
        return Response(_topup_out(row), status=status.HTTP_201_CREATED)


@extend_schema(tags=["wallet"])
class WithdrawalListView(APIView):
    """GET: your withdrawals. POST: withdraw to your own mobile money number (201;
    Idempotency-Key required; the strong step-up of `wallet.withdrawal.create` on your
    wallet's id with the amount and currency: `POST /api/v1/auth/step-up`)."""

    @extend_schema(parameters=[CURRENCY], responses=s.WalletWithdrawalOut(many=True))
    def get(self, request, **kwargs):
        rows = selectors.own_withdrawals(request.user, _currency(request))[:50]
        return Response([_withdrawal_out(row) for row in rows])

    @extend_schema(request=s.WalletWithdrawalIn, responses={201: s.WalletWithdrawalOut})
    @idempotent()
    def post(self, request, **kwargs):
        data = _parse(s.WalletWithdrawalIn, request.data)
        key = clean_key(request.headers.get(HEADER, ""))
        row = withdrawals.withdrawal_request(
            actor=request.user,
            amount=data["amount"],
            currency=data["currency"].upper(),
            phone=data.get("phone") or None,
            step_up_token=data.get("step_up_token") or None,
            idempotency_key=key,
        )
        return Response(_withdrawal_out(row), status=status.HTTP_201_CREATED)


def _statement_query(request):
    data = _parse(s.WalletStatementQuery, request.query_params)
    wallet = wallets.wallet_for(request.user, data["currency"].upper())
    return wallet, data


@extend_schema(tags=["wallet"], parameters=[s.WalletStatementQuery], responses=s.WalletStatementOut)
class StatementView(APIView):
    """Your statement: posted lines with the running balance, oldest first; page with
    `after=next_after`. A fixed number of queries per page."""

    def get(self, request, **kwargs):
        wallet, q = _statement_query(request)
        opening, lines, next_after = statement.statement_page(
            wallet, start=q.get("start"), end=q.get("end"), after=q.get("after"), limit=q["limit"]
        )
        cur = wallet.currency
        body = {
            "opening_balance": opening,
            "currency": cur,
            "lines": [{**line.__dict__, "currency": cur} for line in lines],
            "next_after": next_after,
        }
        return Response(s.WalletStatementOut(body).data)


def _language(request, q) -> str:
    return q.get("language") or (getattr(request, "LANGUAGE_CODE", "") or "fr")[:2]


@extend_schema(tags=["wallet"], parameters=[s.WalletStatementQuery], responses={(200, "text/csv"): bytes})
class StatementCsvView(APIView):
    def get(self, request, **kwargs):
        wallet, q = _statement_query(request)
        text = statement.statement_csv(
            wallet, start=q.get("start"), end=q.get("end"), language=_language(request, q)
        )
        response = HttpResponse(text, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="hokwe-wallet-{wallet.currency}.csv"'
        return response


@extend_schema(
    tags=["wallet"], parameters=[s.WalletStatementQuery], responses={(200, "application/pdf"): bytes}
)
class StatementPdfView(APIView):
    def get(self, request, **kwargs):
        wallet, q = _statement_query(request)
        pdf = statement.statement_pdf(
            wallet, start=q.get("start"), end=q.get("end"), language=_language(request, q)
        )
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="hokwe-wallet-{wallet.currency}.pdf"'
        return response


def _due_out(due):
    return s.WalletRentDueOut(due).data


@extend_schema(tags=["wallet"], responses=s.WalletRentDueOut(many=True))
class RentDueListView(APIView):
    """Your open rent dues (every lease you are a tenant of), oldest first."""

    def get(self, request, **kwargs):
        return Response([_due_out(d) for d in rent.open_dues(request.user)])


@extend_schema(tags=["wallet"], request=s.WalletPayDueIn, responses={201: s.WalletPaidDueOut})
class RentDuePayView(APIView):
    """Pay what is still owed on one of your dues from your wallet (201; Idempotency-Key
    required). The landlord's agency is paid and the quittance issued."""

    @idempotent()
    def post(self, request, due_id, **kwargs):
        data = _parse(s.WalletPayDueIn, request.data)
        rent.own_due(request.user, due_id)  # another's due: 404 before anything else
        key = clean_key(request.headers.get(HEADER, ""))
        wallet = wallets.wallet_for(request.user, data["currency"].upper())
        info = rent.pay_rent_due(
            actor=request.user,
            due=due_id,
            account=wallet.account,
            idempotency_key=f"wallet:due:{request.user.public_id}:{key}",
            out_of=wallet,
            step_up_token=data.get("step_up_token") or None,
        )
        return Response(s.WalletPaidDueOut(info).data, status=status.HTTP_201_CREATED)
