"""Small views that exercise the kernel's REST behaviour (errors, pagination, limits)."""

from django.urls import include, path, re_path
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.errors import Conflict
from apps.core.models import OutboxEvent
from apps.core.rest import StrictSerializer
from hokwe import urls as project_urls


class RentInput(StrictSerializer):
    amount = serializers.IntegerField(min_value=1)
    phone = serializers.CharField()


class EchoView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    def post(self, request, version):
        data = RentInput(data=request.data)
        data.is_valid(raise_exception=True)
        if data.validated_data["amount"] == 409:
            raise Conflict(field="amount")
        if data.validated_data["amount"] == 500:
            raise ZeroDivisionError("secret internals")
        return Response(data.validated_data)


class EventSerializer(serializers.ModelSerializer):
    class Meta:
        model = OutboxEvent
        fields = ["event_id", "name"]


class EventList(ListAPIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    serializer_class = EventSerializer
    queryset = OutboxEvent.objects.all()
    pagination_class = None

    def get_paginator(self):
        from apps.core.pagination import CursorPagination

        paginator = CursorPagination()
        paginator.ordering = "-occurred_at"
        return paginator

    @property
    def paginator(self):
        if not hasattr(self, "_paginator"):
            self._paginator = self.get_paginator()
        return self._paginator


test_api = [path("echo/", EchoView.as_view()), path("events/", EventList.as_view())]

urlpatterns = [
    re_path(r"^api/(?P<version>v1)/test/", include(test_api)),
    *project_urls.urlpatterns,
]
handler404 = project_urls.handler404
handler500 = project_urls.handler500
handler400 = project_urls.handler400


class CreateThing(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    from apps.core.rest import idempotent

    @idempotent()
    def post(self, request, version):
        data = RentInput(data=request.data)
        data.is_valid(raise_exception=True)
        row = OutboxEvent.objects.create(name="tests.Thing", payload=data.validated_data)
        return Response({"id": str(row.event_id), **data.validated_data}, status=201)


urlpatterns.insert(0, re_path(r"^api/(?P<version>v1)/test/things/$", CreateThing.as_view()))
