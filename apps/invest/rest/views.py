"""REST of HokweInvest (under /api/v1/invest/…): the catalogue and its product sheets, the
investor questionnaire and profile, orders (placing one holds the cash in the wallet and
sends it to the partner after the commit), the portfolio and its positions, monthly plans.
Thin: parse, call the services, render (services/present.py, shared with GraphQL). Everything is
the caller's own: another investor's order or plan is a 404."""

from __future__ import annotations

import logging

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.idempotency import HEADER, clean_key
from apps.core.pagination import CursorPagination
from apps.core.rest import idempotent

from .. import questionnaire, selectors
from ..models import Order
from ..services import orders, plans, present
from ..services import profile as profile_service
from . import serializers as s

log = logging.getLogger(__name__)
PAGING = ("cursor", "page_size")


def _parse(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _filters(request) -> dict:
    """The query string less the pagination's own parameters (read by the paginator)."""
    return {k: v for k, v in request.query_params.items() if k not in PAGING}


def send_after_commit(order_pk: int) -> None:
    """Send a placed order to its partner once the request's transaction has committed (no
    network call under a lock). A failure leaves it created: the polling run sends it."""
    try:
        orders.send_order(Order.objects.get(pk=order_pk))
    except Exception:  # never fail the answer of an order already recorded
        log.exception("invest order %s: sending after commit failed; the polling run retries", order_pk)


# --- the catalogue ---


@extend_schema(tags=["invest"], parameters=[s.InvestProductQuery], responses=s.InvestProductOut(many=True))
class ProductListView(APIView):
    """The products offered (funds, UMOA-Titres, BRVM shares), lowest risk first."""

    def get(self, request, **kwargs):
        q = _parse(s.InvestProductQuery, request.query_params)
        rows = selectors.products(kind=q.get("kind"))
        return Response([s.InvestProductOut(present.product(p)).data for p in rows])


@extend_schema(tags=["invest"], responses=s.InvestProductSheetOut)
class ProductDetailView(APIView):
    """A product's sheet in plain words: its risk (1-7), horizon, fees, cut-off, settlement,
    minimum, latest NAV or price, past performance (with its warning), the partner and its
    licence, and for UMOA-Titres the coming auctions. `product` is its id or its code."""

    def get(self, request, product, **kwargs):
        return Response(s.InvestProductSheetOut(present.sheet(selectors.product(product))).data)


@extend_schema(tags=["invest"], parameters=[s.InvestPriceQuery], responses=s.InvestPriceHistoryOut)
class ProductPricesView(APIView):
    """The product's NAVs or closing prices, oldest first."""

    def get(self, request, product, **kwargs):
        row = selectors.product(product)
        q = _parse(s.InvestPriceQuery, request.query_params)
        return Response(s.InvestPriceHistoryOut(present.price_history(row, q["days"])).data)


# --- the questionnaire and the profile ---


@extend_schema(tags=["invest"], responses=s.InvestQuestionOut(many=True))
class QuestionnaireView(APIView):
    """The investor questionnaire, in the response's language."""

    def get(self, request, **kwargs):
        return Response(s.InvestQuestionOut(questionnaire.questions_payload(), many=True).data)


@extend_schema(tags=["invest"])
class ProfileView(APIView):
    """GET: your investor profile (404 before the questionnaire). POST: answer the
    questionnaire (again at any time): your profile, the highest risk that fits and why."""

    @extend_schema(responses=s.InvestProfileOut)
    def get(self, request, **kwargs):
        return Response(s.InvestProfileOut(present.profile(present.own_profile(request.user))).data)

    @extend_schema(request=s.InvestProfileIn, responses=s.InvestProfileOut)
    def post(self, request, **kwargs):
        data = _parse(s.InvestProfileIn, request.data)
        row = profile_service.submit_questionnaire(actor=request.user, answers=data["answers"])
        return Response(s.InvestProfileOut(present.profile(row)).data)


# --- orders ---


class OrderPages(CursorPagination):
    ordering = ("-created_at", "-id")


@extend_schema(tags=["invest"])
class OrderListView(generics.ListAPIView):
    """GET: your orders, newest first, a page at a time. POST: place an order (201;
    Idempotency-Key required): funds, UMOA-Titres `subscribe` an amount (or `redeem` an
    amount or a quantity); shares `buy` / `sell` a quantity at a limit price. Needs a
    verified identity (level 2) and the questionnaire; a product riskier than your profile
    needs `acknowledge_risk`. The cash is reserved in your wallet at once; the answer says
    which NAV a fund order goes to (`nav_date`, `after_cutoff`)."""

    pagination_class = OrderPages
    serializer_class = s.InvestOrderOut

    def get_queryset(self):
        return Order.objects.none()  # the list is read in get() (the caller's own)

    @extend_schema(parameters=[s.InvestOrderQuery], responses=s.InvestOrderOut(many=True))
    def get(self, request, **kwargs):
        q = _parse(s.InvestOrderQuery, _filters(request))
        rows = selectors.orders_of(request.user, status=q.get("status")).select_related("plan")
        page = self.paginate_queryset(rows)
        max_risk = present.max_risk_of(request.user)
        return self.get_paginated_response([s.InvestOrderOut(present.order(o, max_risk)).data for o in page])

    @extend_schema(request=s.InvestOrderIn, responses={201: s.InvestOrderDetailOut})
    @idempotent()
    def post(self, request, **kwargs):
        data = _parse(s.InvestOrderIn, request.data)
        key = clean_key(request.headers.get(HEADER, ""))
        order = orders.place_order(
            actor=request.user,
            product=data["product"],
            side=data["side"],
            idempotency_key=key,
            amount=data.get("amount"),
            quantity=data.get("quantity"),
            limit_price=data.get("limit_price"),
            acknowledge_risk=data["acknowledge_risk"],
            step_up_token=data.get("step_up_token") or None,
            send=False,  # after the commit: the Idempotency-Key wrapper holds a transaction
        )
        pk = order.pk
        transaction.on_commit(lambda: send_after_commit(pk))
        body = s.InvestOrderDetailOut(present.order_detail(request.user, order.public_id)).data
        return Response(body, status=status.HTTP_201_CREATED)


@extend_schema(tags=["invest"], responses=s.InvestOrderDetailOut)
class OrderDetailView(APIView):
    """One of your orders, with its executions."""

    def get(self, request, order_id, **kwargs):
        return Response(s.InvestOrderDetailOut(present.order_detail(request.user, order_id)).data)


@extend_schema(tags=["invest"], request=None, responses=s.InvestOrderDetailOut)
class OrderCancelView(APIView):
    """Cancel an order the partner has not executed yet (the partner is asked); the cash
    reserved goes back to your wallet."""

    def post(self, request, order_id, **kwargs):
        selectors.order_of(request.user, order_id)  # another's order: 404 before anything else
        row = orders.cancel_order(actor=request.user, order=order_id)
        return Response(s.InvestOrderDetailOut(present.order_detail(request.user, row.public_id)).data)


# --- the portfolio ---


@extend_schema(tags=["invest"], responses=s.InvestPortfolioOut)
class PortfolioView(APIView):
    """Your portfolio at the latest valuation: value, cost, gains (unrealised, realised),
    dividends and coupons, cash put in and taken out, time- and money-weighted returns."""

    def get(self, request, **kwargs):
        return Response(s.InvestPortfolioOut(present.portfolio(selectors.portfolio_of(request.user))).data)


@extend_schema(tags=["invest"], responses=s.InvestPositionOut(many=True))
class PositionListView(APIView):
    """What you hold, product by product, at the latest valuation."""

    def get(self, request, **kwargs):
        rows = selectors.positions_of(request.user)[:500]
        return Response([s.InvestPositionOut(present.position(p)).data for p in rows])


# --- plans ---


@extend_schema(tags=["invest"])
class PlanListView(APIView):
    """GET: your monthly investment plans (not the cancelled ones). POST: invest an amount
    every month on a day (1-28) from your wallet (201); your coming rent always comes first:
    when the wallet cannot keep it, the plan pauses and tells you."""

    @extend_schema(responses=s.InvestPlanOut(many=True))
    def get(self, request, **kwargs):
        rows = selectors.plans_of(request.user).order_by("created_at", "id")[:100]
        return Response([s.InvestPlanOut(present.plan(p)).data for p in rows])

    @extend_schema(request=s.InvestPlanIn, responses={201: s.InvestPlanOut})
    @idempotent()
    def post(self, request, **kwargs):
        data = _parse(s.InvestPlanIn, request.data)
        row = plans.create_plan(
            actor=request.user,
            product=data["product"],
            amount=data["amount"],
            day=data["day"],
            acknowledge_risk=data["acknowledge_risk"],
        )
        return Response(s.InvestPlanOut(present.plan(row)).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["invest"])
class PlanDetailView(APIView):
    """GET: one of your plans. PATCH: change its amount or its day."""

    @extend_schema(responses=s.InvestPlanOut)
    def get(self, request, plan_id, **kwargs):
        return Response(s.InvestPlanOut(present.plan(selectors.plan_of(request.user, plan_id))).data)

    @extend_schema(request=s.InvestPlanUpdateIn, responses=s.InvestPlanOut)
    def patch(self, request, plan_id, **kwargs):
        selectors.plan_of(request.user, plan_id)  # another's plan: 404 before the body
        data = _parse(s.InvestPlanUpdateIn, request.data)
        row = plans.update_plan(
            actor=request.user, plan=plan_id, amount=data.get("amount"), day=data.get("day")
        )
        return Response(s.InvestPlanOut(present.plan(row)).data)


class _PlanStatusView(APIView):
    target = ""

    def post(self, request, plan_id, **kwargs):
        row = plans.set_plan_status(actor=request.user, plan=plan_id, status=self.target)
        return Response(s.InvestPlanOut(present.plan(row)).data)


@extend_schema(tags=["invest"], request=None, responses=s.InvestPlanOut)
class PlanPauseView(_PlanStatusView):
    """Pause the plan (nothing is invested until you resume it)."""

    target = "paused"


@extend_schema(tags=["invest"], request=None, responses=s.InvestPlanOut)
class PlanResumeView(_PlanStatusView):
    """Resume the plan (the next investment on its day from today)."""

    target = "active"


@extend_schema(tags=["invest"], request=None, responses=s.InvestPlanOut)
class PlanCancelView(_PlanStatusView):
    """Stop the plan for good."""

    target = "cancelled"
