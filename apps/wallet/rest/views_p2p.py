"""REST of the wallet's P2P transfers: preview, confirm (201, Idempotency-Key), history,
cancel. Thin: parse, call services/p2p.py, render. Another user's transfer is a 404."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.idempotency import HEADER, clean_key
from apps.core.pagination import CursorPagination
from apps.core.rest import idempotent

from .. import selectors
from ..services import p2p
from . import serializers_p2p as s


def _parse(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _out(row, request, code=status.HTTP_200_OK):
    return Response(s.P2pTransferOut(p2p.p2p_view(row, request.user)).data, status=code)


@extend_schema(tags=["wallet"], request=s.P2pPreviewIn, responses=s.P2pPreviewOut)
class P2pPreviewView(APIView):
    """Step 1: who the money goes to (the receiver's masked name), the fee, whether a step-up
    is needed (then `POST /api/v1/auth/step-up` with step_up_action, step_up_target, the amount
    and the currency). Every refusal known now is answered here. Writes nothing."""

    throttle_scope = "wallet.p2p_preview"  # it tells whether a number has an account

    def post(self, request, **kwargs):
        data = _parse(s.P2pPreviewIn, request.data)
        preview = p2p.p2p_preview(
            actor=request.user,
            phone=data["phone"],
            amount=data["amount"],
            currency=data["currency"],
            note=data.get("note", ""),
        )
        return Response(s.P2pPreviewOut(preview).data)


class P2pPagination(CursorPagination):
    ordering = ("-created_at", "-id")


@extend_schema(tags=["wallet"])
class P2pTransferListView(generics.ListAPIView):
    """GET: your P2P transfers, sent and received, newest first. POST: step 2, send the
    previewed transfer (the Idempotency-Key header is required; above the threshold, the
    step-up token of the preview's operation)."""

    serializer_class = s.P2pTransferOut
    pagination_class = P2pPagination

    def get_queryset(self):
        return selectors.p2p_transfers_of(self.request.user)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        data = [s.P2pTransferOut(p2p.p2p_view(row, request.user)).data for row in page]
        return self.get_paginated_response(data)

    @extend_schema(request=s.P2pConfirmIn, responses={201: s.P2pTransferOut})
    @idempotent()
    def post(self, request, **kwargs):
        data = _parse(s.P2pConfirmIn, request.data)
        key = clean_key(request.headers.get(HEADER, ""))
        transfer = p2p.p2p_confirm(
            actor=request.user,
            preview_token=data["preview_token"],
            idempotency_key=key,
            step_up_token=data.get("step_up_token") or None,
        )
        return _out(transfer, request, status.HTTP_201_CREATED)


@extend_schema(tags=["wallet"], responses=s.P2pTransferOut)
class P2pTransferDetailView(APIView):
    def get(self, request, transfer_id, **kwargs):
        return _out(selectors.p2p_transfer_get(request.user, transfer_id), request)


@extend_schema(tags=["wallet"], request=None, responses=s.P2pTransferOut)
class P2pTransferCancelView(APIView):
    """The sender takes back a transfer still waiting for its receiver to sign up."""

    @idempotent()
    def post(self, request, transfer_id, **kwargs):
        row = selectors.p2p_transfer_get(request.user, transfer_id)
        return _out(p2p.p2p_cancel(actor=request.user, transfer=row), request)
