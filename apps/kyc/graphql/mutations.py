"""KycMutations: fill in, submit, upload to and clean my draft verification.

Uploads are base64 in a JSON variable (`contentBase64`) rather than the GraphQL multipart
request spec: the shared /graphql view stays a plain JSON endpoint (CSRF, persisted
queries, size limits unchanged) and no extra, little-maintained package is needed. The
JSON body limit (MAX_REQUEST_BODY_BYTES, 2 MiB) bounds such an upload at about 1.5 MiB,
which a phone-resized photo fits; larger files go through REST multipart
(POST /api/v1/kyc/documents, KYC_MAX_UPLOAD_BYTES)."""

import base64
import binascii

import graphene
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from apps.core.graphql.mutations import HokweMutation

from .. import selectors
from ..errors import FileTooLarge, UploadRefused
from ..services import documents as document_services
from ..services import submissions as submission_services
from .queries import detailed
from .types import KycDocumentPayload, KycPayload, KycSubmissionPayload

MAX_LENGTHS = {
    "first_name": 100,
    "last_name": 100,
    "nationality": 2,
    "id_number": 50,
    "address": 300,
    "city": 100,
}


class UpdateKycSubmission(HokweMutation):
    """Fill in my draft verification (only the fields given change)."""

    class Arguments:
        target_tier = graphene.Int()
        first_name = graphene.String()
        last_name = graphene.String()
        date_of_birth = graphene.Date()
        nationality = graphene.String()
        id_number = graphene.String()
        id_expiry_date = graphene.Date()
        address = graphene.String()
        city = graphene.String()

    Output = KycSubmissionPayload

    @classmethod
    def perform(cls, info, user, **data):
        for name, size in MAX_LENGTHS.items():
            if isinstance(data.get(name), str) and len(data[name]) > size:
                raise ValidationError(
                    {name: ValidationError(_("This value is too long."), code="max_length")}
                )
        draft = submission_services.draft_for_user(actor=user)
        submission = submission_services.submission_update(actor=user, submission=draft, **data)
        return {"submission": detailed(submission)}


class SubmitKyc(HokweMutation):
    """Submit my draft verification for review."""

    Output = KycSubmissionPayload

    @classmethod
    def perform(cls, info, user):
        draft = selectors.open_submission(user) or submission_services.draft_for_user(actor=user)
        submission = submission_services.submission_submit(actor=user, submission=draft)
        return {"submission": detailed(submission)}


def decode_upload(content_base64: str) -> bytes:
    limit = settings.KYC_MAX_UPLOAD_BYTES
    if len(content_base64) > (limit // 3 + 1) * 4 + 4:
        raise FileTooLarge(field="contentBase64")
    if "," in content_base64[:100] and content_base64.startswith("data:"):
        content_base64 = content_base64.split(",", 1)[1]  # a data: URL from a web view
    try:
        return base64.b64decode(content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise UploadRefused(_("The file is not valid base64."), field="contentBase64") from None


class UploadKycDocument(HokweMutation):
    """Upload a document into my draft verification, base64-encoded (about 1.5 MiB at most
    here; use REST multipart for larger files)."""

    class Arguments:
        kind = graphene.String(
            required=True, description="id_card, passport, driving_licence, selfie, proof_of_address"
        )
        content_base64 = graphene.String(required=True)
        side = graphene.String(description="front (default) or back")
        filename = graphene.String(description="The file's name, checked against its content")

    Output = KycDocumentPayload

    @classmethod
    def perform(cls, info, user, *, kind, content_base64, side="", filename=""):
        try:
            document = document_services.document_upload(
                actor=user,
                kind=kind,
                side=side or "",
                data=decode_upload(content_base64),
                filename=filename or "",
            )
        except UploadRefused as exc:
            if exc.field == "file":
                exc.field = "contentBase64"
            raise
        return {"document": document}


class DeleteKycDocument(HokweMutation):
    """Remove a document from my draft verification."""

    class Arguments:
        id = graphene.UUID(required=True)

    Output = KycPayload

    @classmethod
    def perform(cls, info, user, *, id):
        document = selectors.document_get(user, id)
        document_services.document_delete(actor=user, document=document)


class KycMutations(graphene.ObjectType):
    kyc_update_submission = UpdateKycSubmission.Field()
    kyc_submit = SubmitKyc.Field()
    kyc_upload_document = UploadKycDocument.Field()
    kyc_delete_document = DeleteKycDocument.Field()

    # the names before the module prefix (docs/api.md, "GraphQL naming")
    update_kyc_submission = UpdateKycSubmission.Field(deprecation_reason="Use kycUpdateSubmission.")
    submit_kyc = SubmitKyc.Field(deprecation_reason="Use kycSubmit.")
    upload_kyc_document = UploadKycDocument.Field(deprecation_reason="Use kycUploadDocument.")
    delete_kyc_document = DeleteKycDocument.Field(deprecation_reason="Use kycDeleteDocument.")
