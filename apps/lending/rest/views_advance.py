"""REST of landlord advances (under /api/v1/lending/advances…): the owner organizations the
caller is an owner of, the landlord products, an organization's eligibility (its rents under
management and the limit), a simulation, applying, the advances of the caller's organizations
with their schedule and repayments (the rents deducted before the payouts), accepting an offer
(identity's step-up) and withdrawing. Thin: parse, call services/advance.py, render. Another
organization's advance is a 404."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.idempotency import HEADER, clean_key
from apps.core.rest import idempotent

from ..services import advance, borrower
from . import serializers_advance as s
from .serializers_loans import LendingAcceptIn, LendingProductOut


def _parse(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _lang(request) -> str:
    return (getattr(request, "LANGUAGE_CODE", "") or "fr")[:2]


def _detail(request, loan_id):
    loan = advance.advance_detail(request.user, loan_id)
    return s.LendingAdvanceDetailOut(advance.advance_view(loan, _lang(request), detail=True)).data


@extend_schema(tags=["lending"], responses=s.LendingAdvanceOrganizationOut(many=True))
class AdvanceOrganizationListView(APIView):
    """The owner organizations you are an owner of (an advance is asked for one of them)."""

    def get(self, request, **kwargs):
        return Response(
            [s.LendingAdvanceOrganizationOut(o).data for o in advance.owned_organizations(request.user)]
        )


@extend_schema(tags=["lending"], responses=LendingProductOut(many=True))
class AdvanceProductListView(APIView):
    """The advance products offered to landlords."""

    def get(self, request, **kwargs):
        lang = _lang(request)
        return Response(
            [LendingProductOut(borrower.product_view(p, lang)).data for p in advance.landlord_products()]
        )


@extend_schema(tags=["lending"], responses=s.LendingAdvanceEligibilityOut)
class AdvanceEligibilityView(APIView):
    """Your organization's rents under management (12 months billed, collected and net), the
    advance they allow now and why not when they do not."""

    def get(self, request, organization, product_id, **kwargs):
        product = advance.landlord_product(product_id)
        found = advance.eligibility(actor=request.user, organization=organization, product=product)
        return Response(s.LendingAdvanceEligibilityOut(advance.eligibility_view(found)).data)


@extend_schema(
    tags=["lending"], parameters=[s.LendingAdvanceSimulationQuery], responses=s.LendingAdvanceSimulationOut
)
class AdvanceSimulationView(APIView):
    """What an advance would cost (schedule, total cost, TEG) and whether the rents allow it;
    nothing is applied for."""

    def get(self, request, organization, product_id, **kwargs):
        product = advance.landlord_product(product_id)
        advance.eligibility(actor=request.user, organization=organization, product=product)  # yours, or 404
        q = _parse(s.LendingAdvanceSimulationQuery, request.query_params)
        sim = advance.simulate_advance(
            actor=request.user,
            organization=organization,
            product=product,
            amount=q["amount"],
            term=q["term"],
            language=q.get("language") or _lang(request),
        )
        sim["eligibility"] = advance.eligibility_view(sim["eligibility"])
        return Response(s.LendingAdvanceSimulationOut(sim).data)


@extend_schema(tags=["lending"])
class AdvanceListView(APIView):
    """GET: the advances of the organizations you own, newest first. POST: ask for an advance
    on an organization's rents (201; Idempotency-Key required): decided at once — an offer to
    accept, or a refusal with its reasons."""

    @extend_schema(responses=s.LendingAdvanceOut(many=True))
    def get(self, request, **kwargs):
        lang = _lang(request)
        rows = advance.advances_of(request.user)[:100]
        return Response([s.LendingAdvanceOut(advance.advance_view(loan, lang)).data for loan in rows])

    @extend_schema(request=s.LendingAdvanceApplyIn, responses={201: s.LendingAdvanceDetailOut})
    @idempotent()
    def post(self, request, **kwargs):
        data = _parse(s.LendingAdvanceApplyIn, request.data)
        loan = advance.advance_apply(
            actor=request.user,
            organization=data["organization"],
            product=advance.landlord_product(data["product"]),
            amount=data["amount"],
            term=data["term"],
            purpose=data.get("purpose") or "",
            idempotency_key=clean_key(request.headers.get(HEADER, "")),
        )
        return Response(_detail(request, loan.public_id), status=status.HTTP_201_CREATED)


@extend_schema(tags=["lending"], responses=s.LendingAdvanceDetailOut)
class AdvanceDetailView(APIView):
    """One advance of your organizations: its terms, schedule, repayments and key facts."""

    def get(self, request, loan_id, **kwargs):
        return Response(_detail(request, loan_id))


@extend_schema(tags=["lending"], request=LendingAcceptIn, responses=s.LendingAdvanceDetailOut)
class AdvanceAcceptView(APIView):
    """Accept the offer (its applicant): the key facts are kept and the advance is paid to the
    organization's balance. Needs identity's step-up (action `lending.loan.accept`, the
    advance's id as target, its principal and currency)."""

    def post(self, request, loan_id, **kwargs):
        data = _parse(LendingAcceptIn, request.data)
        advance.accept_advance(actor=request.user, loan_id=loan_id, step_up_token=data["step_up_token"])
        return Response(_detail(request, loan_id))


@extend_schema(tags=["lending"], request=None, responses=s.LendingAdvanceDetailOut)
class AdvanceWithdrawView(APIView):
    """Give up the application or the offer (before the money is paid out)."""

    def post(self, request, loan_id, **kwargs):
        advance.withdraw_advance(actor=request.user, loan_id=loan_id)
        return Response(_detail(request, loan_id))
