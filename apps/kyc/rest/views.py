"""REST: thin views — parse, call a service, render. Someone else's KYC is a 404."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.gateway import body_limit
from apps.core.pagination import CursorPagination
from apps.core.rest import idempotent

from .. import selectors
from ..contracts import Tier
from ..errors import FileTooLarge
from ..models import Submission, TierChoices
from ..services import documents as document_services
from ..services import submissions as submission_services
from . import serializers as s

NO_CONTENT = OpenApiResponse(description="No content")
UPLOAD_BODY_LIMIT = settings.KYC_MAX_UPLOAD_BYTES + 64 * 1024  # the file plus the multipart envelope


def parse(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def read_upload(uploaded) -> bytes:
    if uploaded.size is not None and uploaded.size > settings.KYC_MAX_UPLOAD_BYTES:
        raise FileTooLarge(field="file")
    return uploaded.read(settings.KYC_MAX_UPLOAD_BYTES + 1)


def _detailed(submission: Submission | None) -> Submission | None:
    if submission is None:
        return None
    return selectors.with_details(Submission.objects.filter(pk=submission.pk)).get()


def _limits(user):
    tier = selectors.tier_of(user)
    country = selectors.country_of_user(user)
    current = selectors.limits(country=country, tier=tier)
    following = selectors.limits(country=country, tier=tier + 1) if tier < Tier.FULL else None
    return tier, country, current, following


# --- my KYC ----------------------------------------------------------------------------------


class MyKycView(APIView):
    @extend_schema(
        responses={200: s.MyKycOut},
        tags=["kyc"],
        summary="My verification level, limits and current verification",
    )
    def get(self, request, **kwargs):
        tier, country, current, _following = _limits(request.user)
        submission = selectors.open_submission(request.user) or selectors.latest_submission(request.user)
        data = {
            "tier": tier,
            "tier_label": str(TierChoices(tier).label),
            "country": country,
            "limits": current,
            "submission": _detailed(submission),
        }
        return Response(s.MyKycOut(data).data)


class MyLimitsView(APIView):
    @extend_schema(
        responses={200: s.MyLimitsOut}, tags=["kyc"], summary="My limits, and those of the next tier"
    )
    def get(self, request, **kwargs):
        _tier, _country, current, following = _limits(request.user)
        return Response(s.MyLimitsOut({"current": current, "next": following}).data)


class MySubmissionView(APIView):
    @extend_schema(
        request=s.SubmissionUpdateIn,
        responses={200: s.SubmissionOut},
        tags=["kyc"],
        summary="Fill in my draft verification",
    )
    def patch(self, request, **kwargs):
        data = parse(s.SubmissionUpdateIn, request.data)
        draft = submission_services.draft_for_user(actor=request.user)
        submission = submission_services.submission_update(actor=request.user, submission=draft, **data)
        return Response(s.SubmissionOut(_detailed(submission)).data)


class MySubmissionSubmitView(APIView):
    @extend_schema(
        request=None,
        responses={200: s.SubmissionOut},
        tags=["kyc"],
        summary="Submit my verification for review",
    )
    def post(self, request, **kwargs):
        draft = selectors.open_submission(request.user)
        if draft is None:
            draft = submission_services.draft_for_user(actor=request.user)
        submission = submission_services.submission_submit(actor=request.user, submission=draft)
        return Response(s.SubmissionOut(_detailed(submission)).data)


class DocumentPagination(CursorPagination):
    ordering = ("-created_at", "-id")


@body_limit(UPLOAD_BODY_LIMIT)
class MyDocumentsView(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(responses={200: s.DocumentPage}, tags=["kyc"], summary="My documents (every attempt)")
    def get(self, request, **kwargs):
        paginator = DocumentPagination()
        page = paginator.paginate_queryset(selectors.documents_of(request.user), request, view=self)
        return paginator.get_paginated_response(s.DocumentOut(page, many=True).data)

    @extend_schema(
        request={"multipart/form-data": s.DocumentUploadIn},
        responses={201: s.DocumentOut},
        tags=["kyc"],
        summary="Upload a document into my draft verification",
    )
    @idempotent()
    def post(self, request, **kwargs):
        data = parse(s.DocumentUploadIn, request.data)
        uploaded = data["file"]
        document = document_services.document_upload(
            actor=request.user,
            kind=data["kind"],
            side=data.get("side", ""),
            data=read_upload(uploaded),
            filename=uploaded.name or "",
            content_type=uploaded.content_type or "",
        )
        return Response(s.DocumentOut(document).data, status=status.HTTP_201_CREATED)


class MyDocumentView(APIView):
    @extend_schema(responses={204: NO_CONTENT}, tags=["kyc"], summary="Remove a document from my draft")
    def delete(self, request, document_id, **kwargs):
        document = selectors.document_get(request.user, document_id)
        document_services.document_delete(actor=request.user, document=document)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DocumentLinkView(APIView):
    @extend_schema(
        responses={200: s.DocumentLinkOut},
        tags=["kyc"],
        summary="A short-lived link to view a document (for me only)",
    )
    def get(self, request, document_id, **kwargs):
        document = selectors.document_get(request.user, document_id)
        link = document_services.document_link(actor=request.user, document=document)
        return Response(
            s.DocumentLinkOut(
                {"url": request.build_absolute_uri(link.url), "expires_at": link.expires_at}
            ).data
        )


class _PassThrough(BaseRenderer):
    """Lets image/PDF Accept headers through content negotiation; the view writes the body."""

    format = "bin"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class _Jpeg(_PassThrough):
    media_type = "image/jpeg"


class _Pdf(_PassThrough):
    media_type = "application/pdf"


@extend_schema(
    responses={(200, "image/jpeg"): OpenApiTypes.BINARY, (200, "application/pdf"): OpenApiTypes.BINARY},
    tags=["kyc"],
    summary="Open a document through its signed link",
    description="The link works for the user it was issued to, until it expires, while they may still see the document. Every view is audited.",
)
class DocumentFileView(APIView):
    renderer_classes = [JSONRenderer, _Jpeg, _Pdf]

    def get(self, request, token, **kwargs):
        document, content = document_services.document_read(actor=request.user, token=token)
        response = HttpResponse(content, content_type=document.content_type)
        disposition = "inline" if document.is_image else "attachment"
        extension = "jpg" if document.is_image else "pdf"
        response["Content-Disposition"] = (
            f'{disposition}; filename="{document.kind}-{document.public_id.hex[:8]}.{extension}"'
        )
        response["Cache-Control"] = "no-store, private"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox; frame-ancestors 'none'"
        response["X-Content-Type-Options"] = "nosniff"
        response["Referrer-Policy"] = "no-referrer"
        return response


# --- KYB of an organization --------------------------------------------------------------------


def _kyb_payload(org) -> dict:
    submission = selectors.open_business_submission(org.id) or selectors.latest_business_submission(org.id)
    return {
        "organization_id": org.public_id,
        "verified": selectors.organization_verified(org.id),
        "submission": _detailed(submission),
    }


class KybView(APIView):
    @extend_schema(
        responses={200: s.KybOut}, tags=["kyc"], summary="An organization's business verification (KYB)"
    )
    def get(self, request, org_id, **kwargs):
        org = selectors.organization_for(request.user, org_id)
        return Response(s.KybOut(_kyb_payload(org)).data)

    @extend_schema(
        request=s.KybUpdateIn,
        responses={200: s.KybOut},
        tags=["kyc"],
        summary="Fill in the organization's KYB draft",
    )
    def patch(self, request, org_id, **kwargs):
        org = selectors.organization_for(request.user, org_id)
        data = parse(s.KybUpdateIn, request.data)
        draft = submission_services.draft_for_organization(actor=request.user, organization_id=org.id)
        submission_services.submission_update(actor=request.user, submission=draft, **data)
        return Response(s.KybOut(_kyb_payload(org)).data)


class KybDirectorsView(APIView):
    @extend_schema(
        request=s.DirectorIn,
        responses={201: s.DirectorOut},
        tags=["kyc"],
        summary="Add a director to the KYB draft",
    )
    @idempotent()
    def post(self, request, org_id, **kwargs):
        org = selectors.organization_for(request.user, org_id)
        data = parse(s.DirectorIn, request.data)
        director = submission_services.director_add(actor=request.user, organization_id=org.id, **data)
        return Response(s.DirectorOut(director).data, status=status.HTTP_201_CREATED)


class KybDirectorView(APIView):
    @extend_schema(responses={204: NO_CONTENT}, tags=["kyc"], summary="Remove a director from the KYB draft")
    def delete(self, request, org_id, director_id, **kwargs):
        org = selectors.organization_for(request.user, org_id)
        submission_services.director_remove(
            actor=request.user, organization_id=org.id, director_public_id=director_id
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


@body_limit(UPLOAD_BODY_LIMIT)
class KybDocumentsView(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": s.KybDocumentUploadIn},
        responses={201: s.DocumentOut},
        tags=["kyc"],
        summary="Upload an RCCM, IFU or director's ID into the KYB draft",
    )
    @idempotent()
    def post(self, request, org_id, **kwargs):
        org = selectors.organization_for(request.user, org_id)
        data = parse(s.KybDocumentUploadIn, request.data)
        document = document_services.kyb_document_upload(
            actor=request.user,
            organization_id=org.id,
            kind=data["kind"],
            side=data.get("side", ""),
            director_public_id=data.get("director"),
            data=read_upload(data["file"]),
            filename=data["file"].name or "",
            content_type=data["file"].content_type or "",
        )
        return Response(s.DocumentOut(document).data, status=status.HTTP_201_CREATED)


class KybSubmitView(APIView):
    @extend_schema(
        request=None,
        responses={200: s.KybOut},
        tags=["kyc"],
        summary="Submit the organization's KYB for review",
    )
    def post(self, request, org_id, **kwargs):
        org = selectors.organization_for(request.user, org_id)
        draft = selectors.open_business_submission(org.id)
        if draft is None or draft.status != "draft":
            draft = submission_services.draft_for_organization(actor=request.user, organization_id=org.id)
        submission_services.submission_submit(actor=request.user, submission=draft)
        return Response(s.KybOut(_kyb_payload(org)).data)
