"""REST of the emergency fund and guarantors: thin (parse, call services/fund.py,
guarantors.py, render). A user only ever sees their own fund, the guarantors of their own
loans and the guarantee requests addressed to their own phone number."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.idempotency import HEADER, clean_key
from apps.core.rest import idempotent

from .. import selectors
from ..errors import FundNotFound, GuarantorNotFound, LoanNotFound, NoticeNotFound
from ..services import fund as fund_service
from ..services import guarantors
from . import serializers_fund as s

CURRENCY = OpenApiParameter("currency", str, required=False, description="ISO 4217 code (default XOF)")


def _parse(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _own_fund(request, currency: str):
    fund = fund_service.fund_of(request.user, currency.upper())
    if fund is None:
        raise FundNotFound(field="currency")
    return fund


def fund_out(fund) -> dict:
    """The fund as REST and GraphQL show it (a dict of plain values)."""
    info = fund_service.fund_info(fund)
    return {
        "public_id": fund.public_id,
        "currency": fund.currency,
        "balance": info.balance,
        "pledged": info.pledged,
        "available": info.available,
        "goal": fund.goal,
        "withdrawal_rule": fund.withdrawal_rule,
        "notice_days": fund.notice_days,
        "pending_rule": fund.pending_rule,
        "pending_rule_from": fund.pending_rule_from,
        "auto_amount": fund.auto_amount,
        "auto_frequency": fund.auto_frequency,
        "auto_next_on": fund.auto_next_on,
        "months_saving": info.months_saving,
    }


@extend_schema(tags=["lending"])
class FundView(APIView):
    """GET: your emergency fund in a currency (404 when you have none). POST: open it (201;
    Idempotency-Key): a goal, a withdrawal rule (no lock, or a notice of 1 to 90 days).
    PATCH: change the goal or the rule (a looser rule binds only after the current notice)."""

    @extend_schema(parameters=[CURRENCY], responses=s.FundOut)
    def get(self, request, **kwargs):
        currency = _parse(s.FundCurrencyQuery, request.query_params)["currency"]
        return Response(s.FundOut(fund_out(_own_fund(request, currency))).data)

    @extend_schema(request=s.FundOpenIn, responses={201: s.FundOut})
    @idempotent()
    def post(self, request, **kwargs):
        data = _parse(s.FundOpenIn, request.data)
        fund = fund_service.open_fund(
            actor=request.user,
            currency=data["currency"].upper(),
            goal=data["goal"],
            withdrawal_rule=data["withdrawal_rule"],
            notice_days=data["notice_days"],
        )
        return Response(s.FundOut(fund_out(fund)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.FundSettingsIn, responses=s.FundOut)
    def patch(self, request, **kwargs):
        data = _parse(s.FundSettingsIn, request.data)
        fund = fund_service.configure(
            actor=request.user,
            fund=_own_fund(request, data["currency"]),
            goal=data.get("goal"),
            withdrawal_rule=data.get("withdrawal_rule"),
            notice_days=data.get("notice_days"),
        )
        return Response(s.FundOut(fund_out(fund)).data)


@extend_schema(tags=["lending"])
class FundAutomaticView(APIView):
    """Automatic savings from your wallet: an amount every week or month (0 stops them)."""

    @extend_schema(request=s.FundAutomaticIn, responses=s.FundOut)
    def post(self, request, **kwargs):
        data = _parse(s.FundAutomaticIn, request.data)
        fund = fund_service.set_automatic(
            actor=request.user,
            fund=_own_fund(request, data["currency"]),
            amount=data["amount"],
            frequency=data.get("frequency") or "",
            start=data.get("start"),
        )
        return Response(s.FundOut(fund_out(fund)).data)


@extend_schema(tags=["lending"])
class FundDepositView(APIView):
    """Move money from your wallet into your emergency fund (201; Idempotency-Key required)."""

    @extend_schema(request=s.FundMoveIn, responses={201: s.FundMovementOut})
    @idempotent()
    def post(self, request, **kwargs):
        data = _parse(s.FundMoveIn, request.data)
        fund = _own_fund(request, data["currency"])
        key = clean_key(request.headers.get(HEADER, ""))
        result = fund_service.deposit(
            actor=request.user, fund=fund, amount=data["amount"], idempotency_key=key
        )
        body = {
            "transfer": result.public_id,
            "amount": data["amount"],
            "currency": fund.currency,
            "fund": fund_out(fund),
        }
        return Response(s.FundMovementOut(body).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["lending"])
class FundWithdrawalListView(APIView):
    """GET: your withdrawals, newest first. POST: withdraw to your wallet (201;
    Idempotency-Key required): paid now with no lock (`paid`), else on `available_on`
    (`pending`, cancellable until then)."""

    @extend_schema(parameters=[CURRENCY], responses=s.FundWithdrawalOut(many=True))
    def get(self, request, **kwargs):
        currency = _parse(s.FundCurrencyQuery, request.query_params)["currency"]
        rows = selectors.own_fund_withdrawals(request.user, currency.upper())[:50]
        return Response(s.FundWithdrawalOut(rows, many=True).data)

    @extend_schema(request=s.FundMoveIn, responses={201: s.FundWithdrawalOut})
    @idempotent()
    def post(self, request, **kwargs):
        data = _parse(s.FundMoveIn, request.data)
        key = clean_key(request.headers.get(HEADER, ""))
        notice = fund_service.withdraw(
            actor=request.user,
            fund=_own_fund(request, data["currency"]),
            amount=data["amount"],
            idempotency_key=key,
        )
        return Response(s.FundWithdrawalOut(notice).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["lending"])
class FundWithdrawalCancelView(APIView):
    """Cancel a withdrawal still waiting for its notice (the money stays in the fund)."""

    @extend_schema(request=None, responses=s.FundWithdrawalOut)
    def post(self, request, withdrawal_id, **kwargs):
        notice = selectors.own_fund_withdrawals(request.user).filter(public_id=withdrawal_id).first()
        if notice is None:
            raise NoticeNotFound(field="withdrawal_id")
        notice = fund_service.cancel_notice(actor=request.user, notice=notice)
        return Response(s.FundWithdrawalOut(notice).data)


@extend_schema(tags=["lending"])
class LoanGuarantorListView(APIView):
    """GET: the guarantors of your loan. POST: ask someone by phone number to stand
    guarantor (201; Idempotency-Key): an SMS with the link where they answer."""

    def _loan(self, request, loan_id):
        loan = selectors.own_loan_for_guarantors(request.user, loan_id)
        if loan is None:
            raise LoanNotFound(field="loan_id")
        return loan

    @extend_schema(responses=s.GuarantorOut(many=True))
    def get(self, request, loan_id, **kwargs):
        loan = self._loan(request, loan_id)
        rows = loan.guarantors.exclude(status="revoked").select_related("loan").order_by("created_at")
        return Response(s.GuarantorOut(rows, many=True).data)

    @extend_schema(request=s.GuarantorInviteIn, responses={201: s.GuarantorOut})
    @idempotent()
    def post(self, request, loan_id, **kwargs):
        data = _parse(s.GuarantorInviteIn, request.data)
        row = guarantors.invite(
            actor=request.user, loan=self._loan(request, loan_id), phone=data["phone"], name=data["name"]
        )
        return Response(s.GuarantorOut(row).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["lending"])
class LoanGuarantorRevokeView(APIView):
    """Take back a guarantee request (before the loan is accepted); a pledge is released."""

    @extend_schema(request=None, responses=s.GuarantorOut)
    def post(self, request, loan_id, guarantor_id, **kwargs):
        loan = selectors.own_loan_for_guarantors(request.user, loan_id)
        row = loan.guarantors.filter(public_id=guarantor_id).first() if loan is not None else None
        if row is None:
            raise GuarantorNotFound(field="guarantor_id")
        return Response(s.GuarantorOut(guarantors.revoke(actor=request.user, guarantor=row)).data)


def _request(request, guarantee_id):
    row = guarantors.requests_for(request.user).filter(public_id=guarantee_id).first()
    if row is None:
        raise GuarantorNotFound(field="guarantee_id")
    return row


@extend_schema(tags=["lending"])
class GuaranteeRequestListView(APIView):
    """The guarantee requests addressed to your phone number, newest first."""

    @extend_schema(responses=s.GuaranteeRequestOut(many=True))
    def get(self, request, **kwargs):
        return Response(s.GuaranteeRequestOut(guarantors.requests_for(request.user)[:50], many=True).data)


@extend_schema(tags=["lending"])
class GuaranteeAcceptView(APIView):
    """Accept to stand guarantor, with identity's step-up (`POST /api/v1/auth/step-up`,
    action `lending.guarantee.accept`, target the request's id, amount the loan's principal
    and currency); optionally pledge savings of your own emergency fund."""

    @extend_schema(request=s.GuaranteeAcceptIn, responses=s.GuaranteeRequestOut)
    def post(self, request, guarantee_id, **kwargs):
        data = _parse(s.GuaranteeAcceptIn, request.data)
        row = guarantors.accept(
            actor=request.user,
            guarantor=_request(request, guarantee_id),
            step_up_token=data["step_up_token"],
            pledge=data["pledge"],
        )
        return Response(s.GuaranteeRequestOut(row).data)


@extend_schema(tags=["lending"])
class GuaranteeDeclineView(APIView):
    """Decline to stand guarantor (no code needed)."""

    @extend_schema(request=None, responses=s.GuaranteeRequestOut)
    def post(self, request, guarantee_id, **kwargs):
        row = guarantors.decline(actor=request.user, guarantor=_request(request, guarantee_id))
        return Response(s.GuaranteeRequestOut(row).data)
