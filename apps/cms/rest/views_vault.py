"""REST of the vault (under /api/v1/cms/vault/…): an organization's vault (`organization`, a
public id of one you belong to) or your own (no `organization`): documents (keyset pages,
full-text search), upload (multipart), download (the decrypted bytes, after the permission
check), share links, folders, the access log. Thin: parse, call services/vault.py, render.
Another organization's document is a 404."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.rest import idempotent

from .. import selectors
from ..services import vault as svc
from . import serializers_vault as s

ORG_PARAM = OpenApiParameter(
    "organization", OpenApiTypes.UUID, description="the organization's vault (none: your own)"
)


def _problem(status: int, description: str) -> dict:
    """An error status beyond the ones core documents for every operation (problem details)."""
    return {
        (status, "application/problem+json"): OpenApiResponse(
            response=OpenApiTypes.OBJECT, description=description
        )
    }


GONE = _problem(410, "vault_document_unavailable: the module that generated it no longer has it")
UPLOAD_REFUSED = {
    **_problem(422, "vault_file_infected: the antivirus found a threat"),
    **_problem(503, "vault_scanner_unavailable: the antivirus did not answer; retry later"),
}


def _parse(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def share_url(request, token: str) -> str:
    return request.build_absolute_uri(reverse("cms-vault-share", args=[token]))


def download_response(content: bytes, filename: str, content_type: str, *, inline: bool = False):
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@extend_schema(tags=["cms"])
class VaultDocumentListView(APIView):
    """GET: the vault's documents, newest first (keyset pages: `cursor` from `next_cursor`),
    searched by `q` (names, tags, metadata), filtered by `folder` or `kind`. POST (multipart):
    upload a file (PDF, JPEG, PNG, WebP; checked by its bytes, scanned by the antivirus,
    encrypted at rest)."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        parameters=[
            ORG_PARAM,
            OpenApiParameter("q", str),
            OpenApiParameter("folder", OpenApiTypes.UUID),
            OpenApiParameter("kind", str),
            OpenApiParameter("cursor", str),
            OpenApiParameter("page_size", int),
        ],
        responses=s.VaultDocumentPageOut,
        operation_id="cms_vault_documents_list",
    )
    def get(self, request, **kwargs):
        owner = svc.owner_for(request.user, organization=request.query_params.get("organization"))
        folder = None
        if request.query_params.get("folder"):
            folder = svc._folder(owner, request.query_params["folder"])
        rows = selectors.vault_documents(
            owner,
            query=request.query_params.get("q", ""),
            folder=folder,
            kind=request.query_params.get("kind", ""),
        )
        try:
            size = max(
                1, min(int(request.query_params.get("page_size") or settings.CMS_VAULT_PAGE_SIZE), 200)
            )
            page, cursor = selectors.vault_page(rows, cursor=request.query_params.get("cursor"), limit=size)
        except ValueError:
            raise ValidationError({"cursor": ["Invalid cursor."]}) from None
        return Response(
            {"results": s.VaultDocumentOut(svc.document_views(page), many=True).data, "next_cursor": cursor}
        )

    @extend_schema(
        request=s.VaultUploadIn,
        responses={201: s.VaultDocumentOut, **UPLOAD_REFUSED},
        operation_id="cms_vault_documents_upload",
    )
    @idempotent()
    def post(self, request, **kwargs):
        data = _parse(s.VaultUploadIn, request.data)
        owner = svc.owner_for(request.user, organization=data.get("organization"), manage=True)
        upload = data["file"]
        svc.check_size(upload.size)  # before reading it
        document = svc.document_upload(
            actor=request.user,
            owner=owner,
            data=upload.read(),
            filename=upload.name or "",
            name=data.get("name", ""),
            kind=data.get("kind") or "upload",
            folder_id=data.get("folder"),
            tags=data.get("tags", []),
            where=svc.Where.of(request),
        )
        return Response(
            s.VaultDocumentOut(svc.document_views([document])[0]).data, status=status.HTTP_201_CREATED
        )


@extend_schema(tags=["cms"])
class VaultDocumentView(APIView):
    """One document (GET), renamed, moved, tagged or its metadata changed (PATCH), deleted
    (DELETE; a legal document the platform generated stays until its retention date)."""

    @extend_schema(responses=s.VaultDocumentOut, operation_id="cms_vault_document_retrieve")
    def get(self, request, document_id, **kwargs):
        document = svc.document_get(request.user, document_id)
        return Response(s.VaultDocumentOut(svc.document_views([document])[0]).data)

    @extend_schema(
        request=s.VaultDocumentUpdateIn,
        responses=s.VaultDocumentOut,
        operation_id="cms_vault_document_update",
    )
    def patch(self, request, document_id, **kwargs):
        data = _parse(s.VaultDocumentUpdateIn, request.data)
        document = svc.document_update(
            actor=request.user,
            document_id=document_id,
            name=data.get("name"),
            folder_id=data["folder"] if "folder" in data else ...,
            tags=data.get("tags"),
            metadata=data.get("metadata"),
        )
        return Response(s.VaultDocumentOut(svc.document_views([document])[0]).data)

    @extend_schema(responses={204: None}, operation_id="cms_vault_document_delete")
    def delete(self, request, document_id, **kwargs):
        svc.document_delete(actor=request.user, document_id=document_id, where=svc.Where.of(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


DOWNLOAD_TYPES = ("application/pdf", "image/jpeg", "image/png", "image/webp", "application/octet-stream")


@extend_schema(tags=["cms"])
class VaultDocumentDownloadView(APIView):
    """The document's bytes (decrypted for an upload, rendered by its module for a generated
    one); every download is in the access log."""

    @extend_schema(
        operation_id="cms_vault_document_download",
        responses={**{(200, media): OpenApiTypes.BINARY for media in DOWNLOAD_TYPES}, **GONE},
    )
    def get(self, request, document_id, **kwargs):
        _doc, content, filename, content_type = svc.document_open(
            request.user, document_id, where=svc.Where.of(request)
        )
        return download_response(content, filename, content_type)


@extend_schema(tags=["cms"])
class VaultShareListView(APIView):
    """GET: the document's share links. POST: a new link (`hours`, default 72; `phone`: the
    link opens after a code sent by SMS to that phone). The link is given once."""

    @extend_schema(responses=s.VaultShareOut(many=True), operation_id="cms_vault_shares_list")
    def get(self, request, document_id, **kwargs):
        document = svc.document_get(request.user, document_id, manage=True)
        return Response([s.VaultShareOut(svc.share_view(x)).data for x in selectors.vault_shares(document)])

    @extend_schema(
        request=s.VaultShareIn, responses={201: s.VaultShareOut}, operation_id="cms_vault_share_create"
    )
    @idempotent()
    def post(self, request, document_id, **kwargs):
        data = _parse(s.VaultShareIn, request.data)
        share, token = svc.share_create(
            actor=request.user,
            document_id=document_id,
            hours=data.get("hours"),
            phone=data.get("phone", ""),
            where=svc.Where.of(request),
        )
        return Response(
            s.VaultShareOut(svc.share_view(share, url=share_url(request, token))).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema(tags=["cms"], request=None, responses=s.VaultShareOut)
class VaultShareRevokeView(APIView):
    """Revoke a share link: it answers 410 from now on."""

    def post(self, request, share_id, **kwargs):
        share = svc.share_revoke(actor=request.user, share_id=share_id, where=svc.Where.of(request))
        return Response(s.VaultShareOut(svc.share_view(share)).data)


@extend_schema(tags=["cms"])
class VaultFolderListView(APIView):
    """GET: the vault's folders (a tree: parents first, with depth and path). POST: a folder."""

    @extend_schema(
        parameters=[ORG_PARAM], responses=s.VaultFolderOut(many=True), operation_id="cms_vault_folders_list"
    )
    def get(self, request, **kwargs):
        owner = svc.owner_for(request.user, organization=request.query_params.get("organization"))
        return Response(s.VaultFolderOut(svc.folder_views(selectors.vault_folders(owner)), many=True).data)

    @extend_schema(
        request=s.VaultFolderIn, responses={201: s.VaultFolderOut}, operation_id="cms_vault_folder_create"
    )
    @idempotent()
    def post(self, request, **kwargs):
        data = _parse(s.VaultFolderIn, request.data)
        owner = svc.owner_for(request.user, organization=data.get("organization"), manage=True)
        folder = svc.folder_create(
            actor=request.user, owner=owner, name=data["name"], parent_id=data.get("parent")
        )
        return Response(s.VaultFolderOut(svc.folder_views([folder])[0]).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["cms"])
class VaultFolderView(APIView):
    """Rename or move a folder (PATCH; never inside itself), delete an empty one (DELETE)."""

    @extend_schema(request=s.VaultFolderUpdateIn, responses=s.VaultFolderOut)
    def patch(self, request, folder_id, **kwargs):
        data = _parse(s.VaultFolderUpdateIn, request.data)
        current = svc.folder_get(request.user, folder_id, manage=True)
        parent = (
            data["parent"] if "parent" in data else (current.parent.public_id if current.parent_id else None)
        )
        folder = svc.folder_move(
            actor=request.user, folder_id=folder_id, parent_id=parent, name=data.get("name")
        )
        return Response(s.VaultFolderOut(svc.folder_views([folder])[0]).data)

    @extend_schema(responses={204: None})
    def delete(self, request, folder_id, **kwargs):
        svc.folder_delete(actor=request.user, folder_id=folder_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["cms"], parameters=[ORG_PARAM], responses=s.VaultAccessOut(many=True))
class VaultAccessLogView(APIView):
    """Who opened, downloaded, shared, uploaded or deleted what, when, from where (the last 100)."""

    def get(self, request, **kwargs):
        owner = svc.owner_for(request.user, organization=request.query_params.get("organization"))
        return Response(s.VaultAccessOut(svc.access_views(selectors.vault_access_log(owner)), many=True).data)
