"""The partners' callbacks: `POST /api/v1/invest/callbacks/<partner code>`, signed by the
partner (X-Partner-Signature, apps/invest/providers/signing.py). No login, no CSRF: the
signature is checked by the partner's client, then the callback only names an order; its
content is never trusted — the partner's status call is asked and applied. An unverifiable
callback gets 401 and changes nothing; one about an order we do not know gets 200
`ignored` (a partner must not retry it forever)."""

from __future__ import annotations

import logging

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from ..errors import PartnerUnreachable
from ..models import Partner
from ..providers import BadCallback, PartnerUnavailable, partner_client
from ..services import orders, present
from .serializers import InvestCallbackOut

log = logging.getLogger("hokwe.invest.callbacks")


class PartnerCallbackView(APIView):
    """A partner tells us an order changed: we ask the partner's status call and apply it.
    Answers the order's status, or `ignored` for an order we do not know."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []
    parser_classes: list = []  # the raw body is verified, never re-serialized

    @extend_schema(
        tags=["invest"], request={"application/json": OpenApiTypes.OBJECT}, responses={200: InvestCallbackOut}
    )
    def post(self, request, partner, **kwargs):
        row = Partner.objects.filter(code=partner, active=True).first()
        if row is None:
            raise present.PartnerNotFound()
        try:
            client_order_id = partner_client(row).verify_callback(request.body, request.headers)
        except BadCallback as exc:
            log.warning("invest_callback_refused", extra={"partner": row.code, "why": str(exc)})
            raise present.CallbackRefused() from None
        except PartnerUnavailable:
            raise PartnerUnreachable() from None
        order = orders.order_for_callback(row, client_order_id)
        if order is None:
            log.info("invest_callback_unknown_order", extra={"partner": row.code})
            return Response(InvestCallbackOut({"status": "ignored"}).data)
        order = orders.refresh_order(order)
        return Response(InvestCallbackOut({"status": order.status}).data)
