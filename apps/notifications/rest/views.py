"""Inbox, push devices and preferences of the signed-in user. Thin: parse, call a service or
a selector (always scoped to request.user: another user's ids answer 404), render."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.rest import idempotent

from .. import selectors, services
from ..models import Message, PushDevice
from .serializers import (
    DeviceRegisterSerializer,
    DeviceSerializer,
    InboxMessageSerializer,
    MarkedSerializer,
    PreferenceSerializer,
    PreferenceUpdateSerializer,
    UnreadCountSerializer,
)


class InboxListView(generics.ListAPIView):
    serializer_class = InboxMessageSerializer

    @extend_schema(
        parameters=[OpenApiParameter("unread", bool, description="Only unread messages")],
        summary="In-app inbox of the signed-in user, newest first",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return Message.objects.none()
        unread = self.request.query_params.get("unread", "").lower() in ("1", "true", "yes")
        return selectors.inbox_list(user=self.request.user, unread_only=unread)


class InboxDetailView(APIView):
    @extend_schema(responses=InboxMessageSerializer, summary="One inbox message")
    def get(self, request, message_id, **kwargs):
        message = selectors.inbox_get(user=request.user, public_id=message_id)
        return Response(InboxMessageSerializer(message).data)


class InboxReadView(APIView):
    @extend_schema(request=None, responses=InboxMessageSerializer, summary="Mark one message read")
    def post(self, request, message_id, **kwargs):
        message = services.inbox_mark_read(user=request.user, public_id=message_id)
        return Response(InboxMessageSerializer(message).data)


class InboxReadAllView(APIView):
    @extend_schema(request=None, responses=MarkedSerializer, summary="Mark every message read")
    def post(self, request, **kwargs):
        return Response({"marked": services.inbox_mark_all_read(user=request.user)})


class UnreadCountView(APIView):
    @extend_schema(responses=UnreadCountSerializer, summary="Number of unread inbox messages")
    def get(self, request, **kwargs):
        return Response({"unread": selectors.inbox_unread_count(user=request.user)})


class DeviceListView(generics.ListAPIView):
    serializer_class = DeviceSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return PushDevice.objects.none()
        return selectors.device_list(user=self.request.user)

    @extend_schema(
        request=DeviceRegisterSerializer,
        responses={201: DeviceSerializer},
        summary="Register this app installation for push",
    )
    @idempotent()
    def post(self, request, **kwargs):
        serializer = DeviceRegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        device = services.device_register(user=request.user, **serializer.validated_data)
        return Response(DeviceSerializer(device).data, status=status.HTTP_201_CREATED)


class DeviceDetailView(APIView):
    @extend_schema(responses={204: None}, summary="Unregister a device (sign-out, uninstall)")
    def delete(self, request, device_id, **kwargs):
        services.device_unregister(user=request.user, public_id=device_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PreferenceView(APIView):
    @extend_schema(responses=PreferenceSerializer, summary="Notification preferences")
    def get(self, request, **kwargs):
        return Response(PreferenceSerializer(selectors.preference_for(user=request.user)).data)

    @extend_schema(
        request=PreferenceUpdateSerializer, responses=PreferenceSerializer, summary="Change preferences"
    )
    def patch(self, request, **kwargs):
        serializer = PreferenceUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "timezone" in data:
            data["zone"] = data.pop("timezone")
        preference = services.preference_update(user=request.user, **data)
        return Response(PreferenceSerializer(preference).data)
