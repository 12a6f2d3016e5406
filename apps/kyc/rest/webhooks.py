"""Provider callbacks. Smile ID signs a timestamp (base64 HMAC-SHA256 of timestamp +
partner id + "sid_request" under the API key); Onfido signs the raw body (X-SHA2-Signature,
hex HMAC-SHA256 under the webhook token). A forged, stale or unverifiable callback gets 403
and changes nothing; a verified one is recorded once, and its result is read again from the
provider's API before it is applied."""

import logging

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.errors import DomainError, Forbidden

from ..providers.base import CallbackRejected, ProviderError
from ..services.providers import provider_callback_receive
from .serializers import CallbackOut

logger = logging.getLogger("hokwe.kyc.webhooks")


class CallbackSignatureInvalid(Forbidden):
    code = "callback_signature_invalid"
    default_message = _("The callback could not be verified.")


class ProviderUnavailable(DomainError):
    code = "provider_unavailable"
    status = 503
    default_message = _("The verification provider could not be reached; retry later.")


class _Callback(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []
    parser_classes: list = []  # the raw body is verified, never re-serialized
    provider = ""

    @extend_schema(
        request={"application/json": OpenApiTypes.OBJECT}, responses={200: CallbackOut}, tags=["kyc"]
    )
    def post(self, request, **kwargs):
        try:
            outcome = provider_callback_receive(
                provider_name=self.provider, body=request.body, headers=request.headers
            )
        except CallbackRejected as exc:
            logger.warning("kyc_callback_rejected", extra={"provider": self.provider, "why": str(exc)})
            raise CallbackSignatureInvalid() from None
        except ProviderError:
            logger.warning("kyc_callback_unconfirmed", extra={"provider": self.provider}, exc_info=True)
            raise ProviderUnavailable() from None
        return Response({"status": outcome})


class SmileIdCallbackView(_Callback):
    provider = "smile_id"


class OnfidoWebhookView(_Callback):
    provider = "onfido"
