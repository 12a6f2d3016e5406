"""REST of HokweSplit (the tenant pay app): my plans, create one for a rent due (201,
Idempotency-Key), pause / resume / cancel, early withdrawal, the schedule. Thin: parse, call
services/split.py, render. Another user's plan is a 404."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.pagination import CursorPagination
from apps.core.rest import idempotent

from .. import selectors
from ..services import split
from . import serializers_split as s


def _parse(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _out(plan, code=status.HTTP_200_OK):
    return Response(s.WalletSplitPlanOut(split.plan_state(plan)).data, status=code)


class SplitPagination(CursorPagination):
    ordering = ("-created_at", "-id")


@extend_schema(tags=["wallet"])
class SplitPlanListView(generics.ListAPIView):
    """GET: my HokweSplit plans, newest first. POST: a plan toward one of my rent dues: the
    target and the date come from the due; the instalments (daily or weekly) from the days
    left (the last takes the remainder)."""

    serializer_class = s.WalletSplitPlanOut
    pagination_class = SplitPagination

    def get_queryset(self):
        return selectors.split_plans_of(self.request.user)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response([s.WalletSplitPlanOut(split.plan_state(p)).data for p in page])

    @extend_schema(request=s.WalletSplitCreateIn, responses={201: s.WalletSplitPlanOut})
    @idempotent()
    def post(self, request, **kwargs):
        data = _parse(s.WalletSplitCreateIn, request.data)
        plan = split.plan_create(
            actor=request.user,
            due=data["due"],
            frequency=data["frequency"],
            source=data["source"],
            withdrawal_rule=data["withdrawal_rule"],
        )
        return _out(plan, status.HTTP_201_CREATED)


@extend_schema(tags=["wallet"], responses=s.WalletSplitPlanOut)
class SplitPlanDetailView(APIView):
    def get(self, request, plan_id, **kwargs):
        """One of my plans: saved so far, the next instalment, the streak."""
        return _out(selectors.split_plan_get(request.user, plan_id))


@extend_schema(tags=["wallet"], responses=s.WalletSplitInstalmentOut(many=True))
class SplitScheduleView(APIView):
    def get(self, request, plan_id, **kwargs):
        """The plan's instalments, in order (paid, missed, to come)."""
        plan = selectors.split_plan_get(request.user, plan_id)
        return Response(s.WalletSplitInstalmentOut(split.plan_schedule(plan), many=True).data)


@extend_schema(tags=["wallet"])
class SplitPauseView(APIView):
    @extend_schema(request=None, responses=s.WalletSplitPlanOut)
    def post(self, request, plan_id, **kwargs):
        """Stop the auto-debits; the vault keeps what is saved, still locked."""
        plan = selectors.split_plan_get(request.user, plan_id)
        return _out(split.plan_pause(actor=request.user, plan=plan))


@extend_schema(tags=["wallet"])
class SplitResumeView(APIView):
    @extend_schema(request=None, responses=s.WalletSplitPlanOut)
    def post(self, request, plan_id, **kwargs):
        """Start again: what is left to save is spread over the days left."""
        plan = selectors.split_plan_get(request.user, plan_id)
        return _out(split.plan_resume(actor=request.user, plan=plan))


@extend_schema(tags=["wallet"])
class SplitCancelView(APIView):
    @extend_schema(request=None, responses=s.WalletSplitPlanOut)
    def post(self, request, plan_id, **kwargs):
        """Stop saving for good: the vault's money goes back to the wallet on the due date (or
        earlier by the plan's early-withdrawal rule)."""
        plan = selectors.split_plan_get(request.user, plan_id)
        return _out(split.plan_cancel(actor=request.user, plan=plan))


@extend_schema(tags=["wallet"])
class SplitWithdrawView(APIView):
    @extend_schema(request=None, responses=s.WalletSplitWithdrawalOut)
    @idempotent()
    def post(self, request, plan_id, **kwargs):
        """Take the savings back before the due date, by the plan's rule (free, with a fee to
        Hokwe, or refused when locked). The plan ends."""
        plan = selectors.split_plan_get(request.user, plan_id)
        returned, fee = split.plan_withdraw_early(actor=request.user, plan=plan)
        plan.refresh_from_db()
        return Response(
            s.WalletSplitWithdrawalOut(
                {"plan": split.plan_state(plan), "returned": returned, "fee": fee}
            ).data
        )
