"""Delivery receipts from the SMS providers, verified as each provider documents:
Twilio signs (X-Twilio-Signature, HMAC-SHA1 with the auth token); Africa's Talking and
Orange do not, so their callback URL carries a secret token compared in constant time.
A forged or unverifiable callback gets 403 and changes nothing."""

import hmac
import logging

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.errors import DomainError, Forbidden

from .. import services
from ..providers import africastalking, orange, twilio

logger = logging.getLogger("hokwe.notifications.webhooks")


class CallbackRejected(Forbidden):
    code = "callback_signature_invalid"
    default_message = _("The callback could not be verified.")


class CallbackMalformed(DomainError):
    code = "callback_malformed"
    default_message = _("The callback body is not a delivery report.")


def _token_ok(given: str, expected: str) -> bool:
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


class _Callback(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []

    def _record(self, provider: str, report, payload: dict) -> Response:
        if not report.provider_message_id:
            raise CallbackMalformed()
        services.receipt_record(provider=provider, report=report, payload=payload)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TwilioCallbackView(_Callback):
    parser_classes = [FormParser]

    @extend_schema(request=None, responses={204: None}, summary="Twilio status callback (signed)")
    def post(self, request, **kwargs):
        params = {key: request.POST.get(key, "") for key in request.POST}
        base = settings.NOTIFICATIONS_PUBLIC_BASE_URL.rstrip("/")
        url = f"{base}{request.get_full_path()}" if base else request.build_absolute_uri()
        if not twilio.verify(
            url, params, request.headers.get("X-Twilio-Signature", ""), settings.TWILIO_AUTH_TOKEN
        ):
            logger.warning("twilio_callback_rejected")
            raise CallbackRejected()
        return self._record("twilio", twilio.parse_report(params), params)


class AfricasTalkingCallbackView(_Callback):
    parser_classes = [FormParser]

    @extend_schema(
        request=None, responses={204: None}, summary="Africa's Talking delivery report (secret URL)"
    )
    def post(self, request, token, **kwargs):
        if not _token_ok(token, settings.AFRICASTALKING_CALLBACK_TOKEN):
            logger.warning("africastalking_callback_rejected")
            raise CallbackRejected()
        form = {key: request.POST.get(key, "") for key in request.POST}
        return self._record("africastalking", africastalking.parse_report(form), form)


class OrangeCallbackView(_Callback):
    parser_classes = [JSONParser]

    @extend_schema(request=None, responses={204: None}, summary="Orange SMS delivery receipt (secret URL)")
    def post(self, request, token, **kwargs):
        if not _token_ok(token, settings.ORANGE_SMS_CALLBACK_TOKEN):
            logger.warning("orange_callback_rejected")
            raise CallbackRejected()
        payload = request.data if isinstance(request.data, dict) else {}
        try:
            report = orange.parse_report(payload)
        except (KeyError, TypeError, AttributeError):
            raise CallbackMalformed()
        return self._record("orange", report, payload)
