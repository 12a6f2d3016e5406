"""KycMutations: fill in, submit, upload to and clean my draft verification; fill in, add
and remove directors of, upload to and submit an organization's KYB draft (the same
services and checks as REST: someone outside the organization gets `not_found`, a member
who may see the KYB but not change it `forbidden`).

Uploads are base64 in a JSON variable (`contentBase64`) rather than the GraphQL multipart
request spec: the shared /graphql view stays a plain JSON endpoint (CSRF, persisted
queries, size limits unchanged) and no extra, little-maintained package is needed. The
JSON body limit (MAX_REQUEST_BODY_BYTES, 2 MiB) bounds such an upload at about 1.5 MiB,
which a phone-resized photo fits; larger files go through REST multipart
(POST /api/v1/kyc/documents or /api/v1/kyc/organizations/{id}/documents,
KYC_MAX_UPLOAD_BYTES)."""

import base64
import binascii

import graphene
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from apps.core.errors import NotFound
from apps.core.graphql.mutations import HokweMutation

from .. import selectors
from ..errors import FileTooLarge, UploadRefused
from ..services import documents as document_services
from ..services import submissions as submission_services
from .queries import detailed, kyb_of
from .types import KycDirectorPayload, KycDocumentPayload, KycKybPayload, KycPayload, KycSubmissionPayload

# The REST serializers' max_length, checked before the services (which store what they get).
MAX_LENGTHS = {
    "first_name": 100,
    "last_name": 100,
    "nationality": 2,
    "id_number": 50,
    "address": 300,
    "city": 100,
}
KYB_MAX_LENGTHS = {"legal_name": 200, "rccm_number": 60, "ifu_number": 30, "registered_address": 300}
DIRECTOR_MAX_LENGTHS = {"full_name": 150, "role": 100, "id_number": 50}


def check_lengths(data: dict, limits: dict[str, int]) -> None:
    for name, size in limits.items():
        if isinstance(data.get(name), str) and len(data[name]) > size:
            raise ValidationError({name: ValidationError(_("This value is too long."), code="max_length")})


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
        check_lengths(data, MAX_LENGTHS)
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


# --- an organization's KYB ------------------------------------------------------------------


class UpdateOrganizationKyb(HokweMutation):
    """Fill in the organization's KYB draft (only the fields given change)."""

    class Arguments:
        organization_id = graphene.UUID(required=True)
        legal_name = graphene.String()
        rccm_number = graphene.String()
        ifu_number = graphene.String()
        registered_address = graphene.String()

    Output = KycKybPayload

    @classmethod
    def perform(cls, info, user, *, organization_id, **data):
        org = selectors.organization_for(user, organization_id)
        check_lengths(data, KYB_MAX_LENGTHS)
        data = {name: value for name, value in data.items() if value is not None}
        draft = submission_services.draft_for_organization(actor=user, organization_id=org.id)
        submission_services.submission_update(actor=user, submission=draft, **data)
        return {"kyb": kyb_of(org)}


class AddDirector(HokweMutation):
    """Add a director to the organization's KYB draft (then upload their identity document
    with kycUploadOrganizationDocument and `directorId`)."""

    class Arguments:
        organization_id = graphene.UUID(required=True)
        full_name = graphene.String(required=True)
        role = graphene.String()
        date_of_birth = graphene.Date()
        id_number = graphene.String()

    Output = KycDirectorPayload

    @classmethod
    def perform(cls, info, user, *, organization_id, **data):
        org = selectors.organization_for(user, organization_id)
        check_lengths(data, DIRECTOR_MAX_LENGTHS)
        data = {name: value for name, value in data.items() if value is not None}
        director = submission_services.director_add(actor=user, organization_id=org.id, **data)
        return {"director": director}


class RemoveDirector(HokweMutation):
    """Remove a director (and their documents) from the organization's KYB draft."""

    class Arguments:
        organization_id = graphene.UUID(required=True)
        director_id = graphene.UUID(required=True)

    Output = KycKybPayload

    @classmethod
    def perform(cls, info, user, *, organization_id, director_id):
        org = selectors.organization_for(user, organization_id)
        try:
            submission_services.director_remove(
                actor=user, organization_id=org.id, director_public_id=director_id
            )
        except NotFound as exc:
            if exc.field == "director":
                exc.field = "directorId"
            raise
        return {"kyb": kyb_of(org)}


class UploadOrganizationDocument(HokweMutation):
    """Upload the organization's RCCM or IFU, or (with `directorId`) a director's identity
    document, into its KYB draft, base64-encoded (about 1.5 MiB at most here; use REST
    multipart for larger files)."""

    class Arguments:
        organization_id = graphene.UUID(required=True)
        kind = graphene.String(
            required=True,
            description="rccm or ifu; with directorId: id_card, passport or driving_licence",
        )
        content_base64 = graphene.String(required=True)
        side = graphene.String(description="front (default) or back")
        director_id = graphene.UUID(description="A director's id, for their identity document")
        filename = graphene.String(description="The file's name, checked against its content")

    Output = KycDocumentPayload

    @classmethod
    def perform(
        cls, info, user, *, organization_id, kind, content_base64, side="", director_id=None, filename=""
    ):
        org = selectors.organization_for(user, organization_id)
        try:
            document = document_services.kyb_document_upload(
                actor=user,
                organization_id=org.id,
                kind=kind,
                side=side or "",
                director_public_id=director_id,
                data=decode_upload(content_base64),
                filename=filename or "",
            )
        except (UploadRefused, NotFound) as exc:
            exc.field = {"file": "contentBase64", "director": "directorId"}.get(exc.field, exc.field)
            raise
        return {"document": document}


class SubmitOrganizationKyb(HokweMutation):
    """Submit the organization's KYB draft for review (`kyc_submission_incomplete` lists what is
    missing)."""

    class Arguments:
        organization_id = graphene.UUID(required=True)

    Output = KycKybPayload

    @classmethod
    def perform(cls, info, user, *, organization_id):
        org = selectors.organization_for(user, organization_id)
        draft = selectors.open_business_submission(org.id)
        if draft is None or draft.status != "draft":
            draft = submission_services.draft_for_organization(actor=user, organization_id=org.id)
        submission_services.submission_submit(actor=user, submission=draft)
        return {"kyb": kyb_of(org)}


class KycMutations(graphene.ObjectType):
    kyc_update_submission = UpdateKycSubmission.Field()
    kyc_submit = SubmitKyc.Field()
    kyc_upload_document = UploadKycDocument.Field()
    kyc_delete_document = DeleteKycDocument.Field()
    kyc_update_organization_kyb = UpdateOrganizationKyb.Field()
    kyc_add_director = AddDirector.Field()
    kyc_remove_director = RemoveDirector.Field()
    kyc_upload_organization_document = UploadOrganizationDocument.Field()
    kyc_submit_organization_kyb = SubmitOrganizationKyb.Field()

    # the names before the module prefix (docs/api.md, "GraphQL naming")
    update_kyc_submission = UpdateKycSubmission.Field(deprecation_reason="Use kycUpdateSubmission.")
    submit_kyc = SubmitKyc.Field(deprecation_reason="Use kycSubmit.")
    upload_kyc_document = UploadKycDocument.Field(deprecation_reason="Use kycUploadDocument.")
    delete_kyc_document = DeleteKycDocument.Field(deprecation_reason="Use kycDeleteDocument.")
