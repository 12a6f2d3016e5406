"""REST of Cotis'Hokwe (/api/v1/wallet/tontines/…). Thin: load the group the caller may see
(a non-member gets 404 before anything else), parse, call services/tontine.py, render."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.errors import NotFound
from apps.core.rest import idempotent

from ..models import TontineMember
from ..services import tontine
from . import serializers_tontine as s


def _parse(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _page(request, group, code=status.HTTP_200_OK):
    group.refresh_from_db()
    return Response(s.WalletTontineOut(tontine.group_page(group, request.user)).data, status=code)


@extend_schema(tags=["wallet"])
class TontineListView(APIView):
    """GET: my groups (those I organise, hold a seat in, or am invited to). POST: create a
    group (forming); I am its organiser and first member."""

    @extend_schema(responses=s.WalletTontineSummaryOut(many=True))
    def get(self, request, **kwargs):
        rows = tontine.groups_for(request.user).order_by("-created_at", "-id")[:200]
        return Response(s.WalletTontineSummaryOut(rows, many=True).data)

    @extend_schema(request=s.WalletTontineCreateIn, responses={201: s.WalletTontineOut})
    @idempotent()
    def post(self, request, **kwargs):
        data = _parse(s.WalletTontineCreateIn, request.data)
        group = tontine.group_create(actor=request.user, **data)
        return _page(request, group, status.HTTP_201_CREATED)


@extend_schema(tags=["wallet"])
class TontineDetailView(APIView):
    """The group's page: rules, members, rounds (who paid), who is next, the draw's proof."""

    @extend_schema(responses=s.WalletTontineOut)
    def get(self, request, group_id, **kwargs):
        return _page(request, tontine.group_get(request.user, group_id))


@extend_schema(tags=["wallet"])
class TontineInviteView(APIView):
    @extend_schema(request=s.WalletTontineInviteIn, responses={201: s.WalletTontineSeatOut(many=True)})
    @idempotent()
    def post(self, request, group_id, **kwargs):
        """The organiser invites phone numbers (SMS); each accepts with an OTP."""
        group = tontine.group_get(request.user, group_id)
        data = _parse(s.WalletTontineInviteIn, request.data)
        seats = tontine.invite(actor=request.user, group=group, phones=data["phones"])
        return Response(s.WalletTontineSeatOut(seats, many=True).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["wallet"])
class TontineInvitationAcceptView(APIView):
    @extend_schema(request=s.WalletTontineAcceptIn, responses=s.WalletTontineSeatOut)
    def post(self, request, invitation_id, **kwargs):
        """Accept the group's rules: needs the step-up proof of action "wallet.tontine.accept"
        with target the invitation's id (an SMS code)."""
        seat = tontine.invitation_get(request.user, invitation_id)
        data = _parse(s.WalletTontineAcceptIn, request.data)
        seat = tontine.invitation_accept(
            actor=request.user,
            member=seat,
            step_up_token=data.get("step_up_token") or None,
            payout_to=data.get("payout_to") or "wallet",
        )
        return Response(s.WalletTontineSeatOut(seat).data)


@extend_schema(tags=["wallet"])
class TontineInvitationDeclineView(APIView):
    @extend_schema(request=None, responses=s.WalletTontineSeatOut)
    def post(self, request, invitation_id, **kwargs):
        seat = tontine.invitation_get(request.user, invitation_id)
        return Response(
            s.WalletTontineSeatOut(tontine.invitation_decline(actor=request.user, member=seat)).data
        )


@extend_schema(tags=["wallet"])
class TontineStartView(APIView):
    @extend_schema(request=s.WalletTontineStartIn, responses=s.WalletTontineOut)
    def post(self, request, group_id, **kwargs):
        """The organiser starts the cycle: the drawn order's seed is revealed, the rounds made."""
        group = tontine.group_get(request.user, group_id)
        data = _parse(s.WalletTontineStartIn, request.data)
        group = tontine.group_start(actor=request.user, group=group, order=data.get("order"))
        return _page(request, group)


@extend_schema(tags=["wallet"])
class TontineCancelView(APIView):
    @extend_schema(request=None, responses=s.WalletTontineOut)
    def post(self, request, group_id, **kwargs):
        group = tontine.group_get(request.user, group_id)
        return _page(request, tontine.group_cancel(actor=request.user, group=group))


@extend_schema(tags=["wallet"])
class TontineContributeView(APIView):
    @extend_schema(request=None, responses={201: s.WalletTontineContributionPaidOut})
    @idempotent()
    def post(self, request, group_id, **kwargs):
        """Pay my next contribution (and its penalty if late) from my wallet now."""
        group = tontine.group_get(request.user, group_id)
        row = tontine.contribute(actor=request.user, group=group)
        return Response(s.WalletTontineContributionPaidOut(row).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["wallet"])
class TontinePayLinkView(APIView):
    @extend_schema(request=None, responses={201: s.WalletTontinePayLinkOut})
    @idempotent()
    def post(self, request, group_id, **kwargs):
        """A pay link (mobile money…) for my next contribution, crediting the pot."""
        group = tontine.group_get(request.user, group_id)
        link = tontine.pay_link(actor=request.user, group=group)
        return Response(s.WalletTontinePayLinkOut(link).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["wallet"])
class TontineCashView(APIView):
    @extend_schema(request=s.WalletTontineCashIn, responses={201: s.WalletTontineContributionPaidOut})
    @idempotent()
    def post(self, request, group_id, **kwargs):
        """The organiser (the group's collector) records a member's contribution paid in cash."""
        group = tontine.group_get(request.user, group_id)
        data = _parse(s.WalletTontineCashIn, request.data)
        member = TontineMember.objects.filter(group=group, public_id=data["member"], status="active").first()
        if member is None:
            raise NotFound(field="member")
        row = tontine.record_cash(actor=request.user, group=group, member=member)
        return Response(s.WalletTontineContributionPaidOut(row).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["wallet"])
class TontineBidView(APIView):
    @extend_schema(request=s.WalletTontineBidIn, responses={201: s.WalletTontineBidOut})
    @idempotent()
    def post(self, request, group_id, **kwargs):
        """Bid a discount for the next pot (bidding order; a new bid replaces mine)."""
        group = tontine.group_get(request.user, group_id)
        data = _parse(s.WalletTontineBidIn, request.data)
        row = tontine.bid(actor=request.user, group=group, discount=data["discount"])
        return Response(s.WalletTontineBidOut(row).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["wallet"])
class TontineReplaceView(APIView):
    @extend_schema(request=s.WalletTontineReplaceIn, responses={201: s.WalletTontineSeatOut})
    @idempotent()
    def post(self, request, group_id, member_id, **kwargs):
        """The organiser invites someone to take a member's place (they buy the seat back)."""
        group = tontine.group_get(request.user, group_id)
        member = TontineMember.objects.filter(group=group, public_id=member_id).first()
        if member is None:
            raise NotFound(field="member")
        data = _parse(s.WalletTontineReplaceIn, request.data)
        seat = tontine.member_replace(actor=request.user, group=group, member=member, phone=data["phone"])
        return Response(s.WalletTontineSeatOut(seat).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["wallet"])
class TontinePayoutView(APIView):
    @extend_schema(request=s.WalletTontinePayoutIn, responses=s.WalletTontineSeatOut)
    def patch(self, request, group_id, **kwargs):
        """Where my pot goes: my wallet, or straight to my landlord (one of my rent dues)."""
        group = tontine.group_get(request.user, group_id)
        data = _parse(s.WalletTontinePayoutIn, request.data)
        seat = tontine.set_payout(
            actor=request.user, group=group, payout_to=data["payout_to"], rent_due=data.get("rent_due")
        )
        return Response(s.WalletTontineSeatOut(seat).data)


@extend_schema(tags=["wallet"])
class TontineLeaveView(APIView):
    @extend_schema(request=None, responses=s.WalletTontineSeatOut)
    def post(self, request, group_id, member_id, **kwargs):
        """A member who has not received leaves mid-cycle (themself, or the organiser for them):
        the past pots give their contribution back, the order closes up, the last round goes."""
        group = tontine.group_get(request.user, group_id)
        member = TontineMember.objects.filter(group=group, public_id=member_id).first()
        if member is None:
            raise NotFound(field="member")
        return Response(
            s.WalletTontineSeatOut(tontine.member_leave(actor=request.user, group=group, member=member)).data
        )
