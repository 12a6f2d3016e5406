"""Provider webhooks: a plain Django view (no DRF on the hot path). Verify the signature
or shared secret (constant time), store the raw event once, ack 2xx at once; a Celery task
confirms with the provider's API and applies. A forged call gets 401 and changes nothing."""

from __future__ import annotations

import logging

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from apps.core.errors import DomainError, problem

from .. import metrics, providers, services
from ..providers.base import WebhookRejected

logger = logging.getLogger("hokwe.payments")
MAX_BODY = 64 * 1024


@csrf_exempt
@require_http_methods(["POST", "PUT"])  # MTN MoMo calls back with PUT or POST
def receive(request, provider: str, config_id=None, **kwargs):
    if not providers.known(provider) or provider in providers.OFFLINE:
        return problem(404, code="not_found", instance=request.path)
    body = request.body
    if len(body) > MAX_BODY:
        return problem(413, code="body_too_large", instance=request.path)
    try:
        event, created = services.webhook_receive(
            provider=provider, headers=request.headers, body=body, config_id=config_id
        )
    except WebhookRejected as exc:
        metrics.WEBHOOKS.labels(provider=provider, outcome="rejected").inc()
        logger.warning("payments_webhook_rejected", extra={"provider": provider, "reason": str(exc)})
        return problem(
            401, code="invalid_signature", detail="Invalid webhook signature.", instance=request.path
        )
    except DomainError:
        return problem(404, code="not_found", instance=request.path)
    return JsonResponse({"received": True, "duplicate": not created})
