"""GraphQL: KycQueries / KycMutations (merged into the root schema).

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
from django.utils.translation import gettext as _

from apps.core.errors import DomainError, NotFound
from apps.core.graphql.types import FieldError, errors_from

from .. import selectors
from ..contracts import Tier
from ..errors import FileTooLarge, UploadRefused
from ..models import Submission, TierChoices
from ..services import documents as document_services
from ..services import submissions as submission_services
from ..services.limits import how_to_raise
from .types import KybType, KycDocumentType, KycLimitsType, KycSubmissionType, MyKycType


def _user(info):
    user = getattr(info.context, "user", None)
    return user if getattr(user, "is_authenticated", False) else None


def _unauthenticated() -> list[FieldError]:
    return [FieldError(field=None, code="not_authenticated", message=_("Log in first."))]


def _detailed(submission):
    if submission is None:
        return None
    return selectors.with_details(Submission.objects.filter(pk=submission.pk)).get()


class KycQueries(graphene.ObjectType):
    my_kyc = graphene.Field(
        MyKycType, description="My verification level, limits and verification (null when anonymous)"
    )
    my_kyc_limits = graphene.Field(KycLimitsType, description="The limits of my verification level")
    organization_kyb = graphene.Field(
        KybType,
        organization_id=graphene.UUID(required=True),
        description="An organization's business verification",
    )

    def resolve_my_kyc(root, info):
        user = _user(info)
        if user is None:
            return None
        tier = selectors.tier_of(user)
        country = selectors.country_of_user(user)
        return MyKycType(
            tier=tier,
            tier_label=str(TierChoices(tier).label),
            country=country,
            limits=selectors.limits(country=country, tier=tier),
            next_limits=selectors.limits(country=country, tier=tier + 1) if tier < Tier.FULL else None,
            how_to_raise=how_to_raise(tier),
            submission=_detailed(selectors.open_submission(user) or selectors.latest_submission(user)),
        )

    def resolve_my_kyc_limits(root, info):
        user = _user(info)
        if user is None:
            return None
        return selectors.limits(country=selectors.country_of_user(user), tier=selectors.tier_of(user))

    def resolve_organization_kyb(root, info, organization_id):
        user = _user(info)
        try:
            org = selectors.organization_for(user, organization_id)
        except NotFound:
            return None
        submission = selectors.open_business_submission(org.id) or selectors.latest_business_submission(
            org.id
        )
        return KybType(
            organization_id=org.public_id,
            verified=selectors.organization_verified(org.id),
            submission=_detailed(submission),
        )


class KycPayload(graphene.ObjectType):
    ok = graphene.Boolean(required=True)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)


class KycSubmissionPayload(KycPayload):
    submission = graphene.Field(KycSubmissionType)


class KycDocumentPayload(KycPayload):
    document = graphene.Field(KycDocumentType)


class UpdateKycSubmission(graphene.Mutation):
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

    def mutate(root, info, **data):
        user = _user(info)
        if user is None:
            return KycSubmissionPayload(ok=False, errors=_unauthenticated())
        limits = {
            "first_name": 100,
            "last_name": 100,
            "nationality": 2,
            "id_number": 50,
            "address": 300,
            "city": 100,
        }
        for name, size in limits.items():
            if isinstance(data.get(name), str) and len(data[name]) > size:
                return KycSubmissionPayload(
                    ok=False,
                    errors=[FieldError(field=name, code="max_length", message=_("This value is too long."))],
                )
        try:
            draft = submission_services.draft_for_user(actor=user)
            submission = submission_services.submission_update(actor=user, submission=draft, **data)
        except DomainError as exc:
            return KycSubmissionPayload(ok=False, errors=errors_from(exc))
        return KycSubmissionPayload(ok=True, errors=[], submission=_detailed(submission))


class SubmitKyc(graphene.Mutation):
    """Submit my draft verification for review."""

    Output = KycSubmissionPayload

    def mutate(root, info):
        user = _user(info)
        if user is None:
            return KycSubmissionPayload(ok=False, errors=_unauthenticated())
        try:
            draft = selectors.open_submission(user) or submission_services.draft_for_user(actor=user)
            submission = submission_services.submission_submit(actor=user, submission=draft)
        except DomainError as exc:
            return KycSubmissionPayload(ok=False, errors=errors_from(exc))
        return KycSubmissionPayload(ok=True, errors=[], submission=_detailed(submission))


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


class UploadKycDocument(graphene.Mutation):
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

    def mutate(root, info, kind, content_base64, side="", filename=""):
        user = _user(info)
        if user is None:
            return KycDocumentPayload(ok=False, errors=_unauthenticated())
        try:
            data = decode_upload(content_base64)
            document = document_services.document_upload(
                actor=user, kind=kind, side=side or "", data=data, filename=filename or ""
            )
        except UploadRefused as exc:
            if exc.field == "file":
                exc.field = "contentBase64"
            return KycDocumentPayload(ok=False, errors=errors_from(exc))
        except DomainError as exc:
            return KycDocumentPayload(ok=False, errors=errors_from(exc))
        return KycDocumentPayload(ok=True, errors=[], document=document)


class DeleteKycDocument(graphene.Mutation):
    """Remove a document from my draft verification."""

    class Arguments:
        id = graphene.UUID(required=True)

    Output = KycPayload

    def mutate(root, info, id):
        user = _user(info)
        if user is None:
            return KycPayload(ok=False, errors=_unauthenticated())
        try:
            document = selectors.document_get(user, id)
            document_services.document_delete(actor=user, document=document)
        except DomainError as exc:
            return KycPayload(ok=False, errors=errors_from(exc))
        return KycPayload(ok=True, errors=[])


class KycMutations(graphene.ObjectType):
    update_kyc_submission = UpdateKycSubmission.Field()
    submit_kyc = SubmitKyc.Field()
    upload_kyc_document = UploadKycDocument.Field()
    delete_kyc_document = DeleteKycDocument.Field()
