"""REST bodies of the vault (HokweDoc): strict in (an unknown field is refused)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.core.rest import StrictSerializer

from ..contracts import DocumentKind

DOCUMENT_KINDS = [k.value for k in DocumentKind]
ORIGINS = ["generated", "uploaded"]
SHARE_STATES = ["active", "expired", "revoked", "locked"]


class VaultDocumentOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=DOCUMENT_KINDS)
    kind_label = serializers.CharField()
    origin = serializers.ChoiceField(choices=ORIGINS)
    organization = serializers.UUIDField(allow_null=True, help_text=_("null: your own vault"))
    folder = serializers.UUIDField(allow_null=True)
    tags = serializers.ListField(child=serializers.CharField())
    metadata = serializers.JSONField()
    size = serializers.IntegerField(help_text=_("bytes (0 when rendered on demand)"))
    content_type = serializers.CharField()
    checksum = serializers.CharField(help_text=_("SHA-256 of the uploaded file"))
    source = serializers.CharField(help_text=_("the module that generated it, e.g. estate.quittance"))
    created_at = serializers.DateTimeField()
    retain_until = serializers.DateField(allow_null=True)


class VaultDocumentPageOut(serializers.Serializer):
    results = VaultDocumentOut(many=True)
    next_cursor = serializers.CharField(allow_null=True)


class VaultUploadIn(StrictSerializer):
    file = serializers.FileField()
    organization = serializers.UUIDField(required=False, allow_null=True)
    name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    kind = serializers.ChoiceField(choices=DOCUMENT_KINDS, required=False)
    folder = serializers.UUIDField(required=False, allow_null=True)
    tags = serializers.ListField(child=serializers.CharField(max_length=40), required=False)


class VaultDocumentUpdateIn(StrictSerializer):
    name = serializers.CharField(required=False, max_length=200)
    folder = serializers.UUIDField(required=False, allow_null=True)
    tags = serializers.ListField(child=serializers.CharField(max_length=40), required=False)
    metadata = serializers.JSONField(required=False)


class VaultShareIn(StrictSerializer):
    hours = serializers.IntegerField(required=False, min_value=1)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=30)


class VaultShareOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    document = serializers.UUIDField()
    expires_at = serializers.DateTimeField()
    revoked_at = serializers.DateTimeField(allow_null=True)
    state = serializers.ChoiceField(choices=SHARE_STATES)
    with_code = serializers.BooleanField()
    opened_count = serializers.IntegerField()
    url = serializers.CharField(help_text=_("the link, given once when it is made"))


class VaultFolderOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    name = serializers.CharField()
    parent = serializers.UUIDField(allow_null=True)
    depth = serializers.IntegerField()
    path = serializers.CharField()


class VaultFolderIn(StrictSerializer):
    organization = serializers.UUIDField(required=False, allow_null=True)
    name = serializers.CharField(max_length=120)
    parent = serializers.UUIDField(required=False, allow_null=True)


class VaultFolderUpdateIn(StrictSerializer):
    name = serializers.CharField(required=False, max_length=120)
    parent = serializers.UUIDField(required=False, allow_null=True)


class VaultAccessOut(serializers.Serializer):
    at = serializers.DateTimeField()
    action = serializers.CharField()
    action_label = serializers.CharField()
    document = serializers.UUIDField()
    document_name = serializers.CharField()
    actor = serializers.UUIDField(allow_null=True)
    actor_name = serializers.CharField()
    ip = serializers.CharField()
    user_agent = serializers.CharField()
