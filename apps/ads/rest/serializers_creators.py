"""REST bodies of ads' creators part (strict: an unknown field is refused; amounts out through
MoneyField, in the row's currency)."""

from django.core.files.storage import default_storage
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.core.rest import AmountField, MoneyField, StrictSerializer

from ..models import Creator, CreatorJob
from ..services.creators import failure_label


def _url(name: str) -> str:
    return default_storage.url(name) if name else ""


class AdsCreatorIn(StrictSerializer):
    display_name = serializers.CharField(max_length=80)
    skills = serializers.ListField(
        child=serializers.ChoiceField(choices=Creator.Skill.choices), min_length=1, max_length=3
    )
    city = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    bio = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    revenue_share = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("Share in the ad results of your content, when a job offers it"),
    )


class AdsCreatorOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    display_name = serializers.CharField()
    skills = serializers.ListField(child=serializers.CharField())
    city = serializers.CharField()
    bio = serializers.CharField()
    revenue_share = serializers.BooleanField()
    suspended = serializers.BooleanField()
    earnings = MoneyField(allow_null=True, help_text=_("What Hokwe owes you now (not paid out yet)"))


class AdsJobIn(StrictSerializer):
    advertiser = serializers.UUIDField(help_text=_("Your advertiser (agency or owner)"))
    listing = serializers.UUIDField(help_text=_("One of the advertiser's own listings"))
    title = serializers.CharField(max_length=120)
    brief = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    kind = serializers.ChoiceField(
        choices=CreatorJob.Kind.choices, required=False, default=CreatorJob.Kind.PHOTO
    )
    price = AmountField(min_value=1)
    due_on = serializers.DateField(required=False, allow_null=True, default=None)
    revenue_share_bp = serializers.IntegerField(
        min_value=0,
        max_value=5000,
        required=False,
        default=0,
        help_text=_("Basis points of the ad spend (100 = 1 %)"),
    )


class AdsJobQuery(StrictSerializer):
    advertiser = serializers.UUIDField(required=False, allow_null=True, default=None)
    status = serializers.ChoiceField(
        choices=CreatorJob.Status.choices, required=False, allow_blank=True, default=""
    )
    cursor = serializers.CharField(required=False, allow_blank=True)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=200)


class AdsOpenJobQuery(StrictSerializer):
    city = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Default: your profile's city"),
    )
    cursor = serializers.CharField(required=False, allow_blank=True)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=200)


class AdsFeedbackIn(StrictSerializer):
    feedback = serializers.CharField(max_length=4000)


class AdsReviewIn(StrictSerializer):
    decision = serializers.ChoiceField(choices=[("approve", _("approve")), ("reject", _("reject"))])


class AdsDeliverableIn(StrictSerializer):
    file = serializers.FileField(help_text=_("A photo (JPEG, PNG, WebP) or a video (MP4, MOV, WebM)"))
    caption = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class AdsDeliverableOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    kind = serializers.CharField()
    status = serializers.CharField()
    review = serializers.CharField()
    caption = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    duration_ms = serializers.IntegerField(allow_null=True)
    url = serializers.SerializerMethodField(
        help_text=_("The web version (a photo, or the MP4 once converted)")
    )
    poster = serializers.SerializerMethodField()
    failure = serializers.SerializerMethodField(help_text=_("Why the conversion failed"))
    attached = serializers.SerializerMethodField(help_text=_("Added to the listing's photos"))
    created_at = serializers.DateTimeField()

    def get_url(self, obj) -> str:
        return _url(obj.web.name)

    def get_poster(self, obj) -> str:
        return _url(obj.poster.name)

    def get_failure(self, obj) -> str:
        return failure_label(obj.failure)

    def get_attached(self, obj) -> bool:
        return obj.listing_photo is not None


class AdsJobOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    advertiser = serializers.UUIDField(source="advertiser.public_id")
    advertiser_name = serializers.CharField(source="advertiser.name")
    listing = serializers.UUIDField()
    title = serializers.CharField()
    brief = serializers.CharField()
    kind = serializers.CharField()
    city = serializers.CharField()
    price = MoneyField()
    due_on = serializers.DateField(allow_null=True)
    revenue_share_bp = serializers.IntegerField()
    status = serializers.CharField()
    creator = serializers.SerializerMethodField()
    feedback = serializers.CharField()
    payout_problem = serializers.CharField(source="payout_failure")
    assigned_at = serializers.DateTimeField(allow_null=True)
    delivered_at = serializers.DateTimeField(allow_null=True)
    accepted_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()

    def get_creator(self, obj) -> str | None:
        return obj.creator.display_name if obj.creator_id else None


class AdsJobDetailOut(AdsJobOut):
    deliverables = AdsDeliverableOut(many=True, source="deliverable_rows")
