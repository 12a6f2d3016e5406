"""GraphQL types of kyc. Documents expose a short-lived `viewUrl` issued to the viewer."""

import graphene
from django.utils.translation import gettext as _

from apps.core.errors import DomainError
from apps.core.graphql.types import Amount, FieldError, PublicIdField, UTCDateTime

from ..services.documents import document_link
from ..services.submissions import missing_requirements


class KycLimitsType(graphene.ObjectType):
    tier = graphene.Int(required=True)
    country = graphene.String(required=True)
    currency = graphene.String(required=True)
    max_balance = Amount(required=True, description="Minor units")
    monthly_inflow = Amount(required=True)
    single_transaction = Amount(required=True)
    daily_outflow = Amount(required=True)


class KycDocumentType(graphene.ObjectType):
    id = PublicIdField()
    kind = graphene.String(required=True)
    kind_label = graphene.String(required=True)
    side = graphene.String(required=True)
    content_type = graphene.String(required=True)
    size = graphene.Int(required=True)
    created_at = UTCDateTime(required=True)
    view_url = graphene.String(description="Opens the document for you only, for a few minutes")

    @staticmethod
    def resolve_kind_label(document, info):
        return document.get_kind_display()

    @staticmethod
    def resolve_view_url(document, info):
        try:
            link = document_link(actor=info.context.user, document=document)
        except DomainError:
            return None
        return info.context.build_absolute_uri(link.url)


class _SubmissionFields:
    id = PublicIdField()
    status = graphene.String(required=True)
    status_label = graphene.String(required=True)
    submitted_at = UTCDateTime()
    decided_at = UTCDateTime()
    rejection_reason = graphene.String(required=True)
    rejection_reason_label = graphene.String(required=True, description="Why it was refused, translated")
    rejection_message = graphene.String(required=True)
    missing = graphene.List(graphene.NonNull(graphene.String), required=True)
    documents = graphene.List(graphene.NonNull(KycDocumentType), required=True)

    @staticmethod
    def resolve_status_label(submission, info):
        return submission.get_status_display()

    @staticmethod
    def resolve_rejection_reason_label(submission, info):
        return submission.get_rejection_reason_display() if submission.rejection_reason else ""

    @staticmethod
    def resolve_missing(submission, info):
        return missing_requirements(submission) if submission.status == "draft" else []

    @staticmethod
    def resolve_documents(submission, info):
        return [d for d in submission.documents.all() if d.director_id is None]


class KycSubmissionType(_SubmissionFields, graphene.ObjectType):
    target_tier = graphene.Int(required=True)
    first_name = graphene.String(required=True)
    last_name = graphene.String(required=True)
    date_of_birth = graphene.Date()
    nationality = graphene.String(required=True)
    id_number = graphene.String(required=True)
    id_expiry_date = graphene.Date()
    address = graphene.String(required=True)
    city = graphene.String(required=True)


class MyKycType(graphene.ObjectType):
    tier = graphene.Int(required=True)
    tier_label = graphene.String(required=True)
    country = graphene.String(required=True)
    limits = graphene.Field(KycLimitsType, required=True)
    next_limits = graphene.Field(KycLimitsType, description="The next tier's limits (null at tier 2)")
    how_to_raise = graphene.String(required=True)
    submission = graphene.Field(KycSubmissionType)


class KybDirectorType(graphene.ObjectType):
    id = PublicIdField()
    full_name = graphene.String(required=True)
    role = graphene.String(required=True)
    date_of_birth = graphene.Date()
    id_number = graphene.String(required=True)
    documents = graphene.List(graphene.NonNull(KycDocumentType), required=True)

    @staticmethod
    def resolve_documents(director, info):
        return list(director.documents.all())


class KybSubmissionType(_SubmissionFields, graphene.ObjectType):
    legal_name = graphene.String(required=True)
    rccm_number = graphene.String(required=True)
    ifu_number = graphene.String(required=True)
    registered_address = graphene.String(required=True)
    directors = graphene.List(graphene.NonNull(KybDirectorType), required=True)

    @staticmethod
    def resolve_directors(submission, info):
        return list(submission.directors.all())


class KybType(graphene.ObjectType):
    organization_id = graphene.UUID(required=True)
    verified = graphene.Boolean(
        required=True, description=_("Payouts need an approved business verification")
    )
    submission = graphene.Field(KybSubmissionType)


# --- mutation payloads (shared by several mutations; the apps' fragments name them) ---------


class KycPayload(graphene.ObjectType):
    ok = graphene.Boolean(required=True)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)


class KycSubmissionPayload(KycPayload):
    submission = graphene.Field(KycSubmissionType)


class KycDocumentPayload(KycPayload):
    document = graphene.Field(KycDocumentType)


class KycKybPayload(KycPayload):
    kyb = graphene.Field(KybType)


class KycDirectorPayload(KycPayload):
    director = graphene.Field(KybDirectorType)
