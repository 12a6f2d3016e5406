"""REST bodies of visits and booking (strict in: an unknown field is refused)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.core.rest import StrictSerializer

from ..models import VisitBooking

BOOKING_STATUSES = [s.value for s in VisitBooking.Status]


class MarketVisitSlotOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    meeting_point = serializers.CharField()


class MarketHostSlotOut(MarketVisitSlotOut):
    listing = serializers.UUIDField(source="listing.public_id")
    listing_title = serializers.CharField(source="listing.title")


class MarketVisitSlotsIn(StrictSerializer):
    starts_at = serializers.DateTimeField(help_text=_("When the (first) slot starts"))
    ends_at = serializers.DateTimeField(help_text=_("When it ends: 15 minutes to 3 hours later"))
    repeat_weeks = serializers.IntegerField(
        min_value=0,
        max_value=52,
        required=False,
        default=0,
        help_text=_("The same slot every week for N more weeks"),
    )
    meeting_point = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class MarketBookIn(StrictSerializer):
    slot = serializers.UUIDField(help_text=_("The open slot's id"))
    name = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    phone = serializers.CharField(
        max_length=32,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Required when not signed in"),
    )


class MarketRescheduleIn(StrictSerializer):
    slot = serializers.UUIDField(help_text=_("Another open slot of the same listing"))


class MarketMarkIn(StrictSerializer):
    status = serializers.ChoiceField(choices=["done", "no_show"])


class MarketCalendarQuery(StrictSerializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()

    def validate(self, attrs):
        from datetime import timedelta

        if attrs["end"] <= attrs["start"] or attrs["end"] - attrs["start"] > timedelta(days=62):
            raise serializers.ValidationError({"end": _("After the start, and at most 62 days later.")})
        return attrs


class MarketVisitListingOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    title = serializers.CharField()
    city = serializers.CharField()
    neighbourhood = serializers.CharField()


class MarketVisitOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    status = serializers.ChoiceField(choices=BOOKING_STATUSES)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    listing = MarketVisitListingOut()
    slot = serializers.UUIDField(source="slot.public_id")
    seeker_name = serializers.CharField()
    seeker_phone = serializers.CharField()
    place = serializers.SerializerMethodField()
    canceled_by = serializers.CharField()
    code = serializers.SerializerMethodField(help_text=_("The booking's code: to the seeker only"))

    def get_place(self, obj) -> str:
        from ..services.visits import place_of

        return place_of(obj)

    def get_code(self, obj) -> str | None:
        return obj.code if self.context.get("show_code") else None
