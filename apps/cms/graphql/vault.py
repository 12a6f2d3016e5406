"""Cms vault: GraphQL root fields (named cmsVault<Thing>), owned by the vault part. The same
services as REST (services/vault.py): an organization's vault (`organization`) or your own.
Uploads and downloads are REST (multipart, bytes); GraphQL lists, searches, renames, moves,
shares and revokes. Another organization's document is null / not_found."""

import graphene
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError
from apps.core.graphql.mutations import HokweMutation, clamp_first, current_user, or_none
from apps.core.graphql.types import PublicIdField, UTCDateTime
from apps.identity.api import authenticated

from .. import selectors
from ..services import vault as svc


class CmsVaultDocumentType(graphene.ObjectType):
    class Meta:
        name = "CmsVaultDocument"
        description = _("A document of a vault (HokweDoc)")

    id = PublicIdField()
    name = graphene.String(required=True)
    kind = graphene.String(required=True)
    kind_label = graphene.String(required=True)
    origin = graphene.String(required=True)
    organization = graphene.UUID()
    folder = graphene.UUID()
    tags = graphene.List(graphene.NonNull(graphene.String), required=True)
    metadata = graphene.JSONString(required=True)
    size = graphene.Int(required=True)
    content_type = graphene.String(required=True)
    checksum = graphene.String(required=True)
    source = graphene.String(required=True)
    created_at = UTCDateTime(required=True)
    retain_until = graphene.Date()
    download_url = graphene.String(required=True, description=_("REST download (bearer token)"))

    def resolve_download_url(row, info):
        return reverse(
            "cms-vault-document-download", kwargs={"version": "v1", "document_id": row["public_id"]}
        )


class CmsVaultDocumentPageType(graphene.ObjectType):
    class Meta:
        name = "CmsVaultDocumentPage"

    items = graphene.List(graphene.NonNull(CmsVaultDocumentType), required=True)
    next_cursor = graphene.String()


class CmsVaultFolderType(graphene.ObjectType):
    class Meta:
        name = "CmsVaultFolder"

    id = PublicIdField()
    name = graphene.String(required=True)
    parent = graphene.UUID()
    depth = graphene.Int(required=True)
    path = graphene.String(required=True)


class CmsVaultShareType(graphene.ObjectType):
    class Meta:
        name = "CmsVaultShare"

    id = PublicIdField()
    document = graphene.UUID(required=True)
    expires_at = UTCDateTime(required=True)
    revoked_at = UTCDateTime()
    state = graphene.String(required=True)
    with_code = graphene.Boolean(required=True)
    opened_count = graphene.Int(required=True)
    url = graphene.String(required=True, description=_("The link, given once when it is made"))


class CmsVaultAccessType(graphene.ObjectType):
    class Meta:
        name = "CmsVaultAccess"

    at = UTCDateTime(required=True)
    action = graphene.String(required=True)
    action_label = graphene.String(required=True)
    document = graphene.UUID(required=True)
    document_name = graphene.String(required=True)
    actor = graphene.UUID()
    actor_name = graphene.String(required=True)
    ip = graphene.String(required=True)
    user_agent = graphene.String(required=True)


def _share_url(info, token: str) -> str:
    path = reverse("cms-vault-share", args=[token])
    request = info.context
    return request.build_absolute_uri(path) if hasattr(request, "build_absolute_uri") else path


class VaultQueries(graphene.ObjectType):
    public_fields: tuple = ()

    cms_vault_documents = graphene.Field(
        graphene.NonNull(CmsVaultDocumentPageType),
        organization=graphene.UUID(),
        query=graphene.String(),
        folder=graphene.UUID(),
        kind=graphene.String(),
        first=graphene.Int(),
        after=graphene.String(),
        description=_("A vault's documents, newest first (keyset pages: `after` is the last nextCursor)"),
    )
    cms_vault_document = graphene.Field(
        CmsVaultDocumentType, document_id=graphene.UUID(required=True), description=_("One document")
    )
    cms_vault_folders = graphene.List(
        graphene.NonNull(CmsVaultFolderType), organization=graphene.UUID(), description=_("A vault's folders")
    )
    cms_vault_shares = graphene.List(
        graphene.NonNull(CmsVaultShareType),
        document_id=graphene.UUID(required=True),
        description=_("A document's share links"),
    )
    cms_vault_access_log = graphene.List(
        graphene.NonNull(CmsVaultAccessType),
        organization=graphene.UUID(),
        description=_("Who opened, downloaded or shared what (the last 100)"),
    )

    def resolve_cms_vault_documents(
        root, info, organization=None, query="", folder=None, kind="", first=None, after=None
    ):
        actor = authenticated(current_user(info))
        owner = svc.owner_for(actor, organization=organization)
        folder_row = svc._folder(owner, folder) if folder else None
        rows = selectors.vault_documents(owner, query=query or "", folder=folder_row, kind=kind or "")
        try:
            page, cursor = selectors.vault_page(
                rows, cursor=after, limit=clamp_first(first, default=settings.CMS_VAULT_PAGE_SIZE)
            )
        except ValueError:
            raise DomainError(_("Invalid cursor."), field="after") from None
        return {"items": svc.document_views(page), "next_cursor": cursor}

    @or_none
    def resolve_cms_vault_document(root, info, document_id):
        actor = authenticated(current_user(info))
        return svc.document_views([svc.document_get(actor, document_id)])[0]

    def resolve_cms_vault_folders(root, info, organization=None):
        actor = authenticated(current_user(info))
        return svc.folder_views(selectors.vault_folders(svc.owner_for(actor, organization=organization)))

    @or_none
    def resolve_cms_vault_shares(root, info, document_id):
        actor = authenticated(current_user(info))
        document = svc.document_get(actor, document_id, manage=True)
        return [svc.share_view(x) for x in selectors.vault_shares(document)]

    def resolve_cms_vault_access_log(root, info, organization=None):
        actor = authenticated(current_user(info))
        return svc.access_views(selectors.vault_access_log(svc.owner_for(actor, organization=organization)))


class CmsVaultDocumentUpdate(HokweMutation):
    """Rename, move (folder: null for the vault's root), tag or change a document's metadata."""

    class Arguments:
        document_id = graphene.UUID(required=True)
        name = graphene.String()
        folder = graphene.UUID()
        move = graphene.Boolean(description=_("true: set the folder (null: the vault's root)"))
        tags = graphene.List(graphene.NonNull(graphene.String))
        metadata = graphene.JSONString()

    document = graphene.Field(CmsVaultDocumentType)

    @classmethod
    def perform(
        cls, info, user, *, document_id, name=None, folder=None, move=False, tags=None, metadata=None
    ):
        document = svc.document_update(
            actor=user,
            document_id=document_id,
            name=name,
            folder_id=folder if (move or folder is not None) else ...,
            tags=tags,
            metadata=metadata,
        )
        return {"document": svc.document_views([document])[0]}


class CmsVaultDocumentDelete(HokweMutation):
    """Delete a document (a legal document the platform generated stays until its retention date)."""

    class Arguments:
        document_id = graphene.UUID(required=True)

    @classmethod
    def perform(cls, info, user, *, document_id):
        svc.document_delete(actor=user, document_id=document_id, where=svc.Where.of(info.context))
        return {}


class CmsVaultShareCreate(HokweMutation):
    """A link to a document (`hours`, default 72; `phone`: opened with a code sent by SMS)."""

    class Arguments:
        document_id = graphene.UUID(required=True)
        hours = graphene.Int()
        phone = graphene.String()

    share = graphene.Field(CmsVaultShareType)

    @classmethod
    def perform(cls, info, user, *, document_id, hours=None, phone=""):
        share, token = svc.share_create(
            actor=user,
            document_id=document_id,
            hours=hours,
            phone=phone or "",
            where=svc.Where.of(info.context),
        )
        return {"share": svc.share_view(share, url=_share_url(info, token))}


class CmsVaultShareRevoke(HokweMutation):
    """Revoke a share link (410 from now on)."""

    class Arguments:
        share_id = graphene.UUID(required=True)

    share = graphene.Field(CmsVaultShareType)

    @classmethod
    def perform(cls, info, user, *, share_id):
        share = svc.share_revoke(actor=user, share_id=share_id, where=svc.Where.of(info.context))
        return {"share": svc.share_view(share)}


class CmsVaultFolderCreate(HokweMutation):
    class Arguments:
        organization = graphene.UUID()
        name = graphene.String(required=True)
        parent = graphene.UUID()

    folder = graphene.Field(CmsVaultFolderType)

    @classmethod
    def perform(cls, info, user, *, name, organization=None, parent=None):
        owner = svc.owner_for(user, organization=organization, manage=True)
        folder = svc.folder_create(actor=user, owner=owner, name=name, parent_id=parent)
        return {"folder": svc.folder_views([folder])[0]}


class CmsVaultFolderUpdate(HokweMutation):
    """Rename a folder or move it (`parent`, with `move: true` for the root); never inside itself."""

    class Arguments:
        folder_id = graphene.UUID(required=True)
        name = graphene.String()
        parent = graphene.UUID()
        move = graphene.Boolean()

    folder = graphene.Field(CmsVaultFolderType)

    @classmethod
    def perform(cls, info, user, *, folder_id, name=None, parent=None, move=False):
        current = svc.folder_get(user, folder_id, manage=True)
        if not move and parent is None:
            parent = current.parent.public_id if current.parent_id else None
        folder = svc.folder_move(actor=user, folder_id=folder_id, parent_id=parent, name=name)
        return {"folder": svc.folder_views([folder])[0]}


class CmsVaultFolderDelete(HokweMutation):
    """Delete an empty folder."""

    class Arguments:
        folder_id = graphene.UUID(required=True)

    @classmethod
    def perform(cls, info, user, *, folder_id):
        svc.folder_delete(actor=user, folder_id=folder_id)
        return {}


class VaultMutations(graphene.ObjectType):
    cms_vault_document_update = CmsVaultDocumentUpdate.Field()
    cms_vault_document_delete = CmsVaultDocumentDelete.Field()
    cms_vault_share_create = CmsVaultShareCreate.Field()
    cms_vault_share_revoke = CmsVaultShareRevoke.Field()
    cms_vault_folder_create = CmsVaultFolderCreate.Field()
    cms_vault_folder_update = CmsVaultFolderUpdate.Field()
    cms_vault_folder_delete = CmsVaultFolderDelete.Field()
