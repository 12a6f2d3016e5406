"""REST of the borrower's loans (under /api/v1/lending/…): the products a tenant may apply
for and their simulation, applying, my loans and one with its schedule, repayments and key
facts, accepting an offer (identity's step-up), withdrawing, repaying from the wallet, a
mobile money pay link, the prepayment quote. Thin: parse, call services/borrower.py, render.
A borrower only ever sees their own loans (another's is 404)."""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.idempotency import HEADER, clean_key
from apps.core.rest import idempotent

from ..services import borrower
from . import serializers_loans as s


def _parse(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _lang(request) -> str:
    return (getattr(request, "LANGUAGE_CODE", "") or "fr")[:2]


def _loan_detail(request, loan):
    loan = borrower.loan_of(request.user, loan.public_id, with_schedule=True)
    return s.LendingLoanDetailOut(borrower.loan_view(loan, _lang(request), detail=True)).data


@extend_schema(tags=["lending"], responses=s.LendingProductOut(many=True))
class ProductListView(APIView):
    """The loan products you may apply for (tenants), with their amount and term ranges."""

    def get(self, request, **kwargs):
        lang = _lang(request)
        return Response(
            [
                s.LendingProductOut(borrower.product_view(p, lang)).data
                for p in borrower.products_for(request.user)
            ]
        )


@extend_schema(tags=["lending"], parameters=[s.LendingSimulationQuery], responses=s.LendingSimulationOut)
class ProductSimulationView(APIView):
    """What a loan of this product would cost: the schedule, the total cost and the TEG
    (nothing is applied for)."""

    def get(self, request, product_id, **kwargs):
        product = borrower.product_for(request.user, product_id)  # not offered: 404
        q = _parse(s.LendingSimulationQuery, request.query_params)
        sim = borrower.simulate(
            product,
            user=request.user,
            amount=q["amount"],
            term=q["term"],
            language=q.get("language") or _lang(request),
        )
        return Response(s.LendingSimulationOut(sim).data)


@extend_schema(tags=["lending"])
class LoanListView(APIView):
    """GET: your loans, newest first (a fixed number of queries). POST: apply for a product
    (201; Idempotency-Key required): the rules decide at once — an offer to accept, a refusal
    with its reasons, or a review by our credit staff."""

    @extend_schema(responses=s.LendingLoanOut(many=True))
    def get(self, request, **kwargs):
        lang = _lang(request)
        rows = borrower.loans_of(request.user)[:100]
        return Response([s.LendingLoanOut(borrower.loan_view(loan, lang)).data for loan in rows])

    @extend_schema(request=s.LendingApplyIn, responses={201: s.LendingLoanDetailOut})
    @idempotent()
    def post(self, request, **kwargs):
        data = _parse(s.LendingApplyIn, request.data)
        key = clean_key(request.headers.get(HEADER, ""))
        loan = borrower.apply_for(
            actor=request.user,
            product_id=data["product"],
            amount=data["amount"],
            term=data["term"],
            purpose=data.get("purpose") or "",
            destination_ref=data.get("destination_ref") or "",
            idempotency_key=key,
        )
        return Response(_loan_detail(request, loan), status=status.HTTP_201_CREATED)


@extend_schema(tags=["lending"], responses=s.LendingLoanDetailOut)
class LoanDetailView(APIView):
    """One of your loans: its terms, its schedule, its repayments, the key facts as accepted."""

    def get(self, request, loan_id, **kwargs):
        loan = borrower.loan_of(request.user, loan_id, with_schedule=True)
        return Response(s.LendingLoanDetailOut(borrower.loan_view(loan, _lang(request), detail=True)).data)


LANGUAGE = OpenApiParameter("language", str, required=False, enum=["fr", "en"])


@extend_schema(tags=["lending"], parameters=[LANGUAGE], responses={(200, "application/pdf"): bytes})
class LoanKeyFactsPdfView(APIView):
    """The key facts statement of your loan or offer, as a PDF."""

    def get(self, request, loan_id, **kwargs):
        loan = borrower.loan_of(request.user, loan_id)
        language = request.query_params.get("language") or _lang(request)
        pdf = borrower.key_facts_pdf(loan, language="en" if language == "en" else "fr")
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="hokwe-{loan.number}.pdf"'
        return response


@extend_schema(tags=["lending"], request=s.LendingAcceptIn, responses=s.LendingLoanDetailOut)
class LoanAcceptView(APIView):
    """Accept your offer: the key facts are kept with the loan and the money is paid out.
    Needs identity's step-up (`POST /api/v1/auth/step-up` with the action `lending.loan.accept`,
    the loan's id as target, its principal and currency)."""

    def post(self, request, loan_id, **kwargs):
        borrower.loan_of(request.user, loan_id)  # another's loan: 404 before anything else
        data = _parse(s.LendingAcceptIn, request.data)
        loan = borrower.accept_offer(actor=request.user, loan_id=loan_id, step_up_token=data["step_up_token"])
        return Response(_loan_detail(request, loan))


@extend_schema(tags=["lending"], request=None, responses=s.LendingLoanDetailOut)
class LoanWithdrawView(APIView):
    """Give up your application or your offer (before the money is paid out)."""

    def post(self, request, loan_id, **kwargs):
        loan = borrower.withdraw_application(actor=request.user, loan_id=loan_id)
        return Response(_loan_detail(request, loan))


@extend_schema(tags=["lending"], request=s.LendingRepayIn, responses={201: s.LendingLoanDetailOut})
class LoanRepayView(APIView):
    """Repay now from your wallet (201; Idempotency-Key required): fees, then interest, then
    principal, the oldest instalment first; paying everything closes the loan."""

    @idempotent()
    def post(self, request, loan_id, **kwargs):
        borrower.loan_of(request.user, loan_id)  # another's loan: 404 before anything else
        data = _parse(s.LendingRepayIn, request.data)
        key = clean_key(request.headers.get(HEADER, ""))
        borrower.repay_from_wallet(
            actor=request.user, loan_id=loan_id, amount=data["amount"], idempotency_key=key
        )
        loan = borrower.loan_of(request.user, loan_id)
        return Response(_loan_detail(request, loan), status=status.HTTP_201_CREATED)


@extend_schema(tags=["lending"], request=s.LendingPayLinkIn, responses={201: s.LendingPayLinkOut})
class LoanPayLinkView(APIView):
    """A mobile money pay link for your loan (201; Idempotency-Key required): default amount,
    what is due now; applied as a repayment when paid."""

    @idempotent()
    def post(self, request, loan_id, **kwargs):
        borrower.loan_of(request.user, loan_id)  # another's loan: 404 before anything else
        data = _parse(s.LendingPayLinkIn, request.data)
        key = clean_key(request.headers.get(HEADER, ""))
        intent = borrower.pay_link(
            actor=request.user, loan_id=loan_id, amount=data.get("amount"), idempotency_key=key
        )
        return Response(s.LendingPayLinkOut(intent).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["lending"], responses=s.LendingPrepaymentOut)
class LoanPrepaymentView(APIView):
    """What paying your loan off today takes (interest not yet due is not charged)."""

    def get(self, request, loan_id, **kwargs):
        loan = borrower.loan_of(request.user, loan_id)
        quote = borrower.prepayment_quote(loan)
        return Response(s.LendingPrepaymentOut({**quote.__dict__, "total": quote.total}).data)
