"""Partners' REST: API keys (owners and managers, a step-up to create) and webhook endpoints
(also reachable with a key holding webhooks:manage). Thin: parse, call a service, render."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.idempotency import HEADER, fingerprint_of, run_idempotent
from apps.core.pagination import CursorPagination
from apps.core.rest import takes_idempotency_key

from .. import selectors, services
from ..models import Delivery
from . import serializers as s


def _parse(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _with_secret_once(request, operation) -> Response:
    """Honour an Idempotency-Key without storing the secret: `operation()` returns (status,
    body, secret); the first answer carries the secret, a replay the same body with
    `"secret": null` (shown once: revoke the key and make another if the answer was lost)."""
    key = request.headers.get(HEADER)
    if key is None:
        status_code, body, secret = operation()
        return Response(body | {"secret": secret}, status=status_code)
    shown = {}

    def once():
        status_code, body, secret = operation()
        shown["secret"] = secret
        return status_code, body

    status_code, body, replayed = run_idempotent(
        scope=f"user:{request.user.pk}",
        key=key,
        fingerprint=fingerprint_of(request.method, request.path, request.data),
        operation=once,
    )
    response = Response(body | {"secret": shown.get("secret")}, status=status_code)
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return response


class NewestFirst(CursorPagination):
    ordering = ("-created_at", "-id")


def _org_filter(request, permission):
    query = _parse(s.OrganizationQuery, request.query_params.dict())
    if query.get("organization"):
        return selectors.managed_org_id(request.user, query["organization"], permission)
    return None


@extend_schema(tags=["partners"])
class KeyListView(generics.ListAPIView):
    """The organization's API keys (never their secret)."""

    serializer_class = s.KeyOut
    pagination_class = NewestFirst

    def get_queryset(self):
        org = _org_filter(self.request, "partners.key.view")
        return selectors.keys_for(self.request.user, org).select_related("organization")

    @extend_schema(request=s.KeyCreateIn, responses={201: s.KeyCreatedOut})
    @takes_idempotency_key
    def post(self, request, **kwargs):
        """Create a key: get a step-up token first (action `partners.key.create`, target the
        organization's id). The answer holds the key once."""
        data = _parse(s.KeyCreateIn, request.data)
        org = selectors.managed_org_id(request.user, data["organization"])

        def create():
            created = services.key_create(
                actor=request.user,
                organization_id=org,
                name=data["name"],
                scopes=data["scopes"],
                rate=data["rate"],
                step_up_token=data["step_up_token"] or None,
            )
            return status.HTTP_201_CREATED, dict(s.KeyOut(created.key).data), created.secret

        return _with_secret_once(request, create)


@extend_schema(tags=["partners"], request=None, responses={201: s.KeyCreatedOut})
class KeyRotateView(APIView):
    @takes_idempotency_key
    def post(self, request, key_id, **kwargs):
        """A new key; the old one keeps working for the overlap, then expires."""
        key = selectors.key_for(request.user, key_id)

        def rotate():
            created = services.key_rotate(actor=request.user, key=key)
            return status.HTTP_201_CREATED, dict(s.KeyOut(created.key).data), created.secret

        return _with_secret_once(request, rotate)


@extend_schema(tags=["partners"], request=None, responses=s.KeyOut)
class KeyRevokeView(APIView):
    def post(self, request, key_id, **kwargs):
        """Revoke at once: the next call with this key gets 401."""
        key = services.key_revoke(actor=request.user, key=selectors.key_for(request.user, key_id))
        return Response(s.KeyOut(key).data)


@extend_schema(tags=["partners"])
class EndpointListView(generics.ListAPIView):
    serializer_class = s.EndpointOut
    pagination_class = NewestFirst

    def get_queryset(self):
        org = _org_filter(self.request, "partners.endpoint.view")
        return selectors.endpoints_for(self.request.user, org).select_related("organization")

    @extend_schema(request=s.EndpointIn, responses={201: s.EndpointCreatedOut})
    @takes_idempotency_key
    def post(self, request, **kwargs):
        """Add an endpoint; the answer holds its signing secret once."""
        data = _parse(s.EndpointIn, request.data)
        org = selectors.managed_org_id(request.user, data["organization"], "partners.endpoint.manage")

        def create():
            endpoint = services.endpoint_create(
                actor=request.user,
                organization_id=org,
                url=data["url"],
                events=data["events"],
                description=data["description"],
            )
            return status.HTTP_201_CREATED, dict(s.EndpointOut(endpoint).data), endpoint.secret

        return _with_secret_once(request, create)


@extend_schema(tags=["partners"])
class EndpointDetailView(APIView):
    @extend_schema(responses=s.EndpointOut)
    def get(self, request, endpoint_id, **kwargs):
        return Response(s.EndpointOut(selectors.endpoint_for(request.user, endpoint_id)).data)

    @extend_schema(request=s.EndpointUpdateIn, responses=s.EndpointOut)
    def patch(self, request, endpoint_id, **kwargs):
        """Change the URL, the events or the description; `enabled: true` enables a disabled
        endpoint again."""
        endpoint = selectors.endpoint_for(request.user, endpoint_id)
        data = _parse(s.EndpointUpdateIn, request.data)
        endpoint = services.endpoint_update(actor=request.user, endpoint=endpoint, **data)
        return Response(s.EndpointOut(endpoint).data)


@extend_schema(tags=["partners"], request=None, responses=s.EndpointCreatedOut)
class EndpointRotateView(APIView):
    def post(self, request, endpoint_id, **kwargs):
        """A new signing secret (shown once); the old one keeps signing for the overlap."""
        endpoint = services.endpoint_rotate_secret(
            actor=request.user, endpoint=selectors.endpoint_for(request.user, endpoint_id)
        )
        return Response(s.EndpointOut(endpoint).data | {"secret": endpoint.secret})


@extend_schema(tags=["partners"], request=None, responses={202: s.DeliveryOut})
class EndpointTestView(APIView):
    def post(self, request, endpoint_id, **kwargs):
        """Queue a `webhook.test` event to this endpoint."""
        delivery = services.endpoint_send_test(
            actor=request.user, endpoint=selectors.endpoint_for(request.user, endpoint_id)
        )
        return Response(s.DeliveryOut(delivery).data, status=status.HTTP_202_ACCEPTED)


@extend_schema(tags=["partners"])
class DeliveryListView(generics.ListAPIView):
    """The endpoint's deliveries, newest first, each with its attempts."""

    serializer_class = s.DeliveryOut
    pagination_class = NewestFirst

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI schema's pass
            return Delivery.objects.none()
        endpoint = selectors.endpoint_for(self.request.user, self.kwargs["endpoint_id"])
        return selectors.deliveries_for(self.request.user, endpoint)


@extend_schema(tags=["partners"], request=None, responses={202: s.DeliveryOut})
class DeliveryReplayView(APIView):
    def post(self, request, delivery_id, **kwargs):
        """Send this delivery again (a new attempt in its log)."""
        delivery = services.delivery_replay(
            actor=request.user, delivery=selectors.delivery_for(request.user, delivery_id)
        )
        return Response(s.DeliveryOut(delivery).data, status=status.HTTP_202_ACCEPTED)
