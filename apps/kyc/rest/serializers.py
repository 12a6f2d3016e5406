"""REST shapes. Input serializers are strict (unknown fields refused); outputs never carry
internal keys, storage names or key material."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.core.rest import StrictSerializer, UTCDateTimeField

from ..contracts import ID_DOCUMENT_KINDS
from ..models import Document, Kind
from ..services.documents import BUSINESS_KINDS, PERSON_KINDS
from ..services.submissions import missing_requirements


def _choices(kinds):
    return [(k, Kind(k).label) for k in Kind.values if k in {str(x) for x in kinds}]


# --- inputs ----------------------------------------------------------------------------------


class SubmissionUpdateIn(StrictSerializer):
    target_tier = serializers.ChoiceField(choices=[(1, "1"), (2, "2")], required=False)
    first_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    nationality = serializers.CharField(max_length=2, required=False, allow_blank=True)
    id_number = serializers.CharField(max_length=50, required=False, allow_blank=True)
    id_expiry_date = serializers.DateField(required=False, allow_null=True)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    city = serializers.CharField(max_length=100, required=False, allow_blank=True)


class DocumentUploadIn(StrictSerializer):
    kind = serializers.ChoiceField(choices=_choices(PERSON_KINDS))
    side = serializers.ChoiceField(choices=Document.Side.choices, required=False)
    file = serializers.FileField(
        help_text=_("JPEG, PNG, WebP or PDF (selfie: image only); checked by content")
    )


class KybUpdateIn(StrictSerializer):
    legal_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    rccm_number = serializers.CharField(max_length=60, required=False, allow_blank=True)
    ifu_number = serializers.CharField(max_length=30, required=False, allow_blank=True)
    registered_address = serializers.CharField(max_length=300, required=False, allow_blank=True)


class DirectorIn(StrictSerializer):
    full_name = serializers.CharField(max_length=150)
    role = serializers.CharField(max_length=100, required=False, allow_blank=True)
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    id_number = serializers.CharField(max_length=50, required=False, allow_blank=True)


class KybDocumentUploadIn(StrictSerializer):
    kind = serializers.ChoiceField(choices=_choices({*BUSINESS_KINDS, *ID_DOCUMENT_KINDS}))
    side = serializers.ChoiceField(choices=Document.Side.choices, required=False)
    director = serializers.UUIDField(
        required=False, help_text=_("A director's id, for their identity document")
    )
    file = serializers.FileField()


# --- outputs ---------------------------------------------------------------------------------


class LimitsOut(serializers.Serializer):
    tier = serializers.IntegerField()
    country = serializers.CharField()
    currency = serializers.CharField()
    max_balance = serializers.IntegerField()
    monthly_inflow = serializers.IntegerField()
    single_transaction = serializers.IntegerField()
    daily_outflow = serializers.IntegerField()


class MyLimitsOut(serializers.Serializer):
    current = LimitsOut()
    next = LimitsOut(allow_null=True, help_text=_("The limits of the next tier (null at tier 2)"))


class DocumentOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    kind = serializers.CharField(
        help_text=_("id_card, passport, driving_licence, selfie, proof_of_address, rccm, ifu")
    )
    kind_label = serializers.CharField(source="get_kind_display")
    side = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    created_at = UTCDateTimeField()
    purged = serializers.SerializerMethodField()

    def get_purged(self, document) -> bool:
        return document.purged_at is not None


class DocumentPage(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = DocumentOut(many=True)


class DocumentLinkOut(serializers.Serializer):
    url = serializers.CharField(help_text=_("Opens the document for you only, until expires_at"))
    expires_at = UTCDateTimeField()


class _SubmissionBase(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    status = serializers.CharField(
        help_text=_("draft, submitted, in_review, approved, rejected, expired, cancelled")
    )
    status_label = serializers.CharField(source="get_status_display")
    submitted_at = UTCDateTimeField(allow_null=True)
    decided_at = UTCDateTimeField(allow_null=True)
    rejection_reason = serializers.CharField(help_text=_("A rejection reason code, empty unless rejected"))
    rejection_reason_label = serializers.SerializerMethodField()
    rejection_message = serializers.CharField()
    missing = serializers.SerializerMethodField(
        help_text=_("What is still needed before submitting (drafts)")
    )
    documents = serializers.SerializerMethodField()

    def get_rejection_reason_label(self, submission) -> str:
        return submission.get_rejection_reason_display() if submission.rejection_reason else ""

    def get_missing(self, submission) -> list[str]:
        return missing_requirements(submission) if submission.status == "draft" else []

    @extend_schema_field(DocumentOut(many=True))
    def get_documents(self, submission) -> list[dict]:
        docs = [d for d in submission.documents.all() if d.director_id is None]
        return DocumentOut(docs, many=True).data


class SubmissionOut(_SubmissionBase):
    target_tier = serializers.IntegerField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    date_of_birth = serializers.DateField(allow_null=True)
    nationality = serializers.CharField()
    id_number = serializers.CharField()
    id_expiry_date = serializers.DateField(allow_null=True)
    address = serializers.CharField()
    city = serializers.CharField()


class MyKycOut(serializers.Serializer):
    tier = serializers.IntegerField()
    tier_label = serializers.CharField()
    country = serializers.CharField()
    limits = LimitsOut()
    submission = SubmissionOut(allow_null=True, help_text=_("The open verification, else the latest one"))


class DirectorOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    full_name = serializers.CharField()
    role = serializers.CharField()
    date_of_birth = serializers.DateField(allow_null=True)
    id_number = serializers.CharField()
    documents = DocumentOut(many=True, source="documents.all")


class KybSubmissionOut(_SubmissionBase):
    legal_name = serializers.CharField()
    rccm_number = serializers.CharField()
    ifu_number = serializers.CharField()
    registered_address = serializers.CharField()
    directors = DirectorOut(many=True, source="directors.all")


class KybOut(serializers.Serializer):
    organization_id = serializers.UUIDField()
    verified = serializers.BooleanField(help_text=_("Payouts need an approved business verification"))
    submission = KybSubmissionOut(allow_null=True)


class CallbackOut(serializers.Serializer):
    status = serializers.CharField(help_text="applied, replayed, pending or ignored")
