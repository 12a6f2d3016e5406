"""HokweDoc, the document vault: uploads (magic bytes, antivirus, size, envelope encryption),
the documents other modules generate (filed by reference: their bytes stay where that module
keeps them, or are rendered by its opener), folders and tags, opening a document, share links
(expiring, revocable, optional SMS code), retention, the access log.

Every function takes the actor and checks identity's policy (`cms.vault.view`,
`cms.vault.manage`): a document of another vault is NotFound, never Forbidden (its existence
is not told)."""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.errors import NotFound
from apps.identity import api as identity

from ..contracts import GENERATED_KINDS, DocumentKind, DocumentOpener, OpenedDocument
from ..errors import (
    VaultDocumentUnavailable,
    VaultFileEmpty,
    VaultFileInfected,
    VaultFileTooLarge,
    VaultFileTypeRefused,
    VaultFolderInvalid,
    VaultFolderNotEmpty,
    VaultNameInvalid,
    VaultRetentionHeld,
    VaultScannerUnavailable,
    VaultShareCodeInvalid,
    VaultShareCodeLocked,
    VaultShareGone,
    VaultShareInvalid,
)
from ..models.vault import (  # noqa: F401 -- the text helpers are the search's, kept with the table
    VaultAccess,
    VaultDocument,
    VaultFolder,
    VaultShare,
    VaultTag,
    normalize,
    search_text,
    search_words,
)

logger = logging.getLogger("hokwe.cms.vault")

VIEW = "cms.vault.view"
MANAGE = "cms.vault.manage"
NAME_MAX = 120
EXTENSIONS = {  # what a file's name says -> the content type its bytes must have
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
}
TYPE_NAMES = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WebP"}
SHARE_CODE_RESEND_SECONDS = 60


# --- owners, the policy -----------------------------------------------------------------------


@dataclass(frozen=True)
class Owner:
    """A vault: an organization's (organization_id) or a user's (user_id)."""

    organization_id: int | None = None
    user_id: int | None = None

    def filter(self) -> dict:
        if self.organization_id is not None:
            return {"organization_id": self.organization_id}
        return {"user_id": self.user_id}


@dataclass(frozen=True)
class Where:
    """Where an access came from (the access log)."""

    ip: str | None = None
    user_agent: str = ""

    @classmethod
    def of(cls, request) -> Where:
        if request is None:
            return cls()
        return cls(
            ip=request.META.get("REMOTE_ADDR") or None,
            user_agent=(request.META.get("HTTP_USER_AGENT") or "")[:200],
        )


def owner_for(actor, *, organization=None, manage: bool = False) -> Owner:
    """The vault `actor` means: the organization (public id) they belong to, else their own.
    Another organization's vault is NotFound."""
    identity.authenticated(actor)
    if organization in (None, ""):
        return Owner(user_id=actor.pk)
    try:
        org_id = identity.get_organization(organization).id
    except NotFound:
        raise NotFound() from None
    owner = Owner(organization_id=org_id)
    identity.require(actor, MANAGE if manage else VIEW, owner, hide=True)
    return owner


def _owner_of(row) -> Owner:
    return Owner(organization_id=row.organization_id, user_id=row.user_id)


def _log(document, action: str, *, actor=None, share=None, where: Where | None = None) -> None:
    where = where or Where()
    VaultAccess.objects.create(
        document=document,
        organization_id=document.organization_id,
        user_id=document.user_id,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        share=share,
        action=action,
        ip=where.ip,
        user_agent=where.user_agent,
    )


# --- search text, retention -------------------------------------------------------------------


def retain_until(kind: str, *, start: date | None = None) -> date | None:
    days = int(settings.CMS_VAULT_RETENTION_DAYS.get(str(kind), 0) or 0)
    if days <= 0:
        return None
    return (start or timezone.localdate()) + timedelta(days=days)


# --- generated documents: filed by reference, opened through their module ----------------------

_SOURCES: dict[str, DocumentOpener] = {}


def register_document_source(source: str, opener: DocumentOpener) -> None:
    _SOURCES[source] = opener


def registered_sources() -> list[str]:
    return sorted(_SOURCES)


def file_generated_document(
    *,
    kind: str,
    title: str,
    source: str,
    source_id: str,
    organization_id: int | None = None,
    user_ids: Iterable[int] = (),
    storage_name: str = "",
    content_type: str = "application/pdf",
    size: int = 0,
    checksum: str = "",
    metadata: dict | None = None,
    created_by_id: int | None = None,
) -> list[VaultDocument]:
    """One row per owner vault (the organization's, each user's), all naming the same source
    object (or stored file): filing again is a no-op (the existing rows are returned)."""
    kind = DocumentKind(kind)
    if not source or not source_id:
        raise ValueError("a generated document names its source and source id")
    if not storage_name and source not in _SOURCES:
        logger.warning("vault_source_without_opener", extra={"source": source})
    owners = [Owner(organization_id=organization_id)] if organization_id else []
    owners += [Owner(user_id=uid) for uid in dict.fromkeys(int(u) for u in user_ids if u)]
    metadata = dict(metadata or {})
    rows = []
    for owner in owners:
        lookup = {"source": source, "source_id": str(source_id), **owner.filter()}
        row = VaultDocument.objects.filter(**lookup).first()
        if row is None:
            try:
                with transaction.atomic():
                    row = VaultDocument.objects.create(
                        **lookup,
                        name=title[:200],
                        kind=kind,
                        origin=VaultDocument.Origin.GENERATED,
                        metadata=metadata,
                        size=max(int(size or 0), 0),
                        content_type=content_type or "application/pdf",
                        checksum=checksum,
                        created_by_id=created_by_id,
                        storage_name=storage_name,
                        retain_until=retain_until(kind),
                        search_text=search_text(title, metadata),
                    )
                    _log(row, VaultAccess.Action.FILE)
            except IntegrityError:  # filed at the same time by another worker
                row = VaultDocument.objects.get(**lookup)
        rows.append(row)
    return rows


def file_generated_documents(items: Iterable[dict]) -> int:
    """Many generated documents at once (a month's avis d'échéance), each item the keywords of
    file_generated_document (kind, title, source, source_id, organization_id, user_ids,
    metadata): one bulk insert per thousand rows, the rows already filed skipped by the
    unique (source, source_id, owner) constraints, each new row's filing logged. Returns how
    many rows are new."""
    documents, sources = [], {}
    for item in items:
        kind = DocumentKind(item["kind"])
        source, source_id = item["source"], str(item["source_id"])
        if not source or not source_id:
            raise ValueError("a generated document names its source and source id")
        title = str(item["title"])
        metadata = dict(item.get("metadata") or {})
        owners = [Owner(organization_id=item["organization_id"])] if item.get("organization_id") else []
        owners += [Owner(user_id=uid) for uid in dict.fromkeys(int(u) for u in item.get("user_ids", ()) if u)]
        for owner in owners:
            documents.append(
                VaultDocument(
                    source=source,
                    source_id=source_id,
                    **owner.filter(),
                    name=title[:200],
                    kind=kind,
                    origin=VaultDocument.Origin.GENERATED,
                    metadata=metadata,
                    content_type="application/pdf",
                    retain_until=retain_until(kind),
                    search_text=search_text(title, metadata),
                )
            )
        sources.setdefault(source, []).append(source_id)
    if not documents:
        return 0
    for source in sources:
        if source not in _SOURCES:
            logger.warning("vault_source_without_opener", extra={"source": source})
    VaultDocument.objects.bulk_create(documents, batch_size=1000, ignore_conflicts=True)
    # the rows skipped (already filed) never had these public ids: what is found is what is new
    made = [d.public_id for d in documents]
    new = []
    for start in range(0, len(made), 5000):
        new += VaultDocument.objects.filter(public_id__in=made[start : start + 5000]).values_list(
            "id", "organization_id", "user_id"
        )
    VaultAccess.objects.bulk_create(
        [
            VaultAccess(document_id=pk, organization_id=org, user_id=user, action=VaultAccess.Action.FILE)
            for pk, org, user in new
        ],
        batch_size=1000,
    )
    return len(new)


def withdraw_generated_document(*, source: str, source_id: str) -> int:
    """The source object is gone or void (a refunded quittance): its rows leave the vaults
    (kept, deleted_at set: the access log still names them)."""
    return VaultDocument.objects.filter(source=source, source_id=str(source_id), deleted_at=None).update(
        deleted_at=timezone.now()
    )


# --- uploads ----------------------------------------------------------------------------------


def storage():
    return storages[settings.CMS_VAULT_STORAGE_ALIAS]


def _aad(public_id: uuid.UUID) -> bytes:
    return b"hokwe.cms.vault|" + public_id.bytes


def check_upload(data: bytes, *, filename: str = "") -> str:
    """The content type of an acceptable upload, else a refusal saying why: empty, too large,
    a type not accepted or not what its name says (magic bytes), a threat (ClamAV)."""
    from apps.core import antivirus, uploads

    check_size(len(data))
    try:  # first: an EICAR file is refused as a threat, whatever its type
        result = antivirus.scan(data)
    except antivirus.InfectedFile as exc:
        raise VaultFileInfected(exc.message, field="file") from None
    except antivirus.FileTooLargeToScan:
        raise VaultFileTooLarge(field="file") from None
    except antivirus.ScannerUnavailable:
        raise VaultScannerUnavailable() from None
    if not result.scanned:
        logger.info("vault_upload_not_scanned")  # no CLAMD_URL (dev): prod refuses to start so
    sniffed = uploads.sniff(data[: uploads.HEAD_BYTES])
    if sniffed not in settings.CMS_VAULT_ALLOWED_TYPES:
        raise VaultFileTypeRefused(field="file")
    extension = PurePosixPath(filename or "").suffix.lower().lstrip(".")
    if extension and EXTENSIONS.get(extension) != sniffed:
        raise VaultFileTypeRefused(
            _(
                "The file's name says .%(extension)s but its content is %(type)s: rename it or send the right file."
            )
            % {"extension": extension, "type": TYPE_NAMES.get(sniffed, sniffed)},
            field="file",
        )
    return sniffed


def check_size(size: int) -> None:
    limit = settings.CMS_VAULT_MAX_UPLOAD_BYTES
    if size <= 0:
        raise VaultFileEmpty(field="file")
    if size > limit:
        raise VaultFileTooLarge(
            _("The file is too large: %(size)s MB, at most %(limit)s MB.")
            % {"size": _mb(size), "limit": _mb(limit)},
            field="file",
        )


def _mb(size: int) -> str:
    value = size / (1024 * 1024)
    return f"{value:.1f}".rstrip("0").rstrip(".") if value < 10 else str(round(value))


def _clean_name(name: str) -> str:
    name = " ".join(str(name or "").split())
    if not name or len(name) > 200:
        raise VaultNameInvalid(field="name")
    return name


def _folder(owner: Owner, folder_id) -> VaultFolder | None:
    if folder_id in (None, ""):
        return None
    try:
        return VaultFolder.objects.get(public_id=uuid.UUID(str(folder_id)), **owner.filter())
    except (VaultFolder.DoesNotExist, ValueError):
        raise VaultFolderInvalid(field="folder") from None


def _tags(owner: Owner, names: Iterable[str]) -> list[VaultTag]:
    wanted = list(dict.fromkeys(" ".join(str(n).split())[:40] for n in names or () if str(n).strip()))
    if len(wanted) > 20:
        raise VaultNameInvalid(_("At most 20 tags."), field="tags")
    tags = []
    for name in wanted:
        tag, _created = VaultTag.objects.get_or_create(name=name, **owner.filter())
        tags.append(tag)
    return tags


def document_upload(
    *,
    actor,
    owner: Owner,
    data: bytes,
    filename: str,
    name: str = "",
    kind: str = DocumentKind.UPLOAD,
    folder_id=None,
    tags: Iterable[str] = (),
    metadata: dict | None = None,
    where: Where | None = None,
) -> VaultDocument:
    identity.require(actor, MANAGE, owner, hide=True)
    if kind not in {k.value for k in DocumentKind}:
        raise VaultNameInvalid(_("Unknown document kind."), field="kind")
    content_type = check_upload(data, filename=filename)
    name = _clean_name(name or PurePosixPath(filename or "").name or _("Document"))
    metadata = metadata if isinstance(metadata, dict) else {}
    folder = _folder(owner, folder_id)
    from apps.core import crypto

    public_id = uuid.uuid4()
    blob, wrapped = crypto.encrypt(data, aad=_aad(public_id))
    stored = storage().save(f"vault/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.bin", ContentFile(blob))
    try:
        with transaction.atomic():
            tag_rows = _tags(owner, tags)
            document = VaultDocument.objects.create(
                public_id=public_id,
                **owner.filter(),
                folder=folder,
                name=name,
                kind=kind,
                origin=VaultDocument.Origin.UPLOADED,
                metadata=metadata,
                size=len(data),
                content_type=content_type,
                checksum=hashlib.sha256(data).hexdigest(),
                created_by=actor,
                storage_name=stored,
                key_id=wrapped.key_id,
                wrapped_key=wrapped.wrapped,
                retain_until=retain_until(kind),
                search_text=search_text(name, metadata, [t.name for t in tag_rows]),
            )
            document.tags.set(tag_rows)
            _log(document, VaultAccess.Action.UPLOAD, actor=actor, where=where)
    except BaseException:
        storage().delete(stored)  # nothing references the file: do not leave it behind
        raise
    return document


# --- reading one document, opening it ---------------------------------------------------------


def document_get(actor, document_id, *, manage: bool = False) -> VaultDocument:
    try:
        document = VaultDocument.objects.select_related("folder").get(
            public_id=uuid.UUID(str(document_id)), deleted_at=None
        )
    except (VaultDocument.DoesNotExist, ValueError):
        raise NotFound() from None
    identity.require(actor, MANAGE if manage else VIEW, document, hide=True)
    return document


def _bytes_of(document: VaultDocument) -> OpenedDocument:
    if document.origin == VaultDocument.Origin.UPLOADED:
        from apps.core import crypto

        with storage().open(document.storage_name, "rb") as handle:
            blob = handle.read()
        content = crypto.decrypt(
            blob,
            crypto.WrappedKey(document.key_id, bytes(document.wrapped_key)),
            aad=_aad(document.public_id),
        )
        return OpenedDocument(content, document.content_type, document.name)
    if document.storage_name:
        try:
            with storages["default"].open(document.storage_name, "rb") as handle:
                return OpenedDocument(handle.read(), document.content_type, document.name)
        except FileNotFoundError:
            raise VaultDocumentUnavailable() from None
    opener = _SOURCES.get(document.source)
    opened = opener(document.source_id) if opener else None
    if opened is None:
        raise VaultDocumentUnavailable()
    return opened


def _filename(document: VaultDocument, opened: OpenedDocument) -> str:
    name = opened.filename or document.name
    extension = {v: k for k, v in EXTENSIONS.items() if k != "jpeg"}.get(opened.content_type)
    if extension and not name.lower().endswith(f".{extension}"):
        name = f"{name}.{extension}"
    return re.sub(r'[\r\n"\\/]', "_", name)


def document_open(actor, document_id, *, where: Where | None = None, download: bool = True):
    """(document, bytes, file name) after the permission check; the access is logged."""
    document = document_get(actor, document_id)
    opened = _bytes_of(document)
    action = VaultAccess.Action.DOWNLOAD if download else VaultAccess.Action.VIEW
    _log(document, action, actor=actor, where=where)
    return document, opened.content, _filename(document, opened), opened.content_type


# --- changing documents -----------------------------------------------------------------------


def document_update(
    *, actor, document_id, name=None, folder_id=..., tags=None, metadata=None
) -> VaultDocument:
    document = document_get(actor, document_id, manage=True)
    owner = _owner_of(document)
    with transaction.atomic():
        if name is not None:
            document.name = _clean_name(name)
        if folder_id is not ...:
            document.folder = _folder(owner, folder_id)
        if metadata is not None:
            if not isinstance(metadata, dict):
                raise VaultNameInvalid(_("Metadata is a JSON object."), field="metadata")
            document.metadata = metadata
        if tags is not None:
            document.tags.set(_tags(owner, tags))
        tag_names = list(document.tags.values_list("name", flat=True))
        document.search_text = search_text(document.name, document.metadata, tag_names)
        document.save()
    return document


def document_delete(*, actor, document_id, where: Where | None = None) -> None:
    """An upload leaves the vault and its encrypted file is deleted; a legal document the
    platform generated stays until its retention date."""
    document = document_get(actor, document_id, manage=True)
    today = timezone.localdate()
    generated = document.origin == VaultDocument.Origin.GENERATED
    if (
        generated
        and document.kind in GENERATED_KINDS
        and document.retain_until
        and document.retain_until > today
    ):
        raise VaultRetentionHeld(
            _("A legal document is kept until %(until)s: it cannot be deleted before.")
            % {"until": document.retain_until.strftime("%d/%m/%Y")}
        )
    _discard(document, actor=actor, action=VaultAccess.Action.DELETE, where=where)


def _discard(document: VaultDocument, *, actor=None, action: str, where: Where | None = None) -> None:
    name = document.storage_name if document.origin == VaultDocument.Origin.UPLOADED else ""
    with transaction.atomic():
        VaultDocument.objects.filter(pk=document.pk).update(
            deleted_at=timezone.now(), storage_name="", key_id="", wrapped_key=b""
        )
        VaultShare.objects.filter(document=document, revoked_at=None).update(revoked_at=timezone.now())
        _log(document, action, actor=actor, where=where)
    if name:
        try:
            storage().delete(name)
        except Exception:  # the row no longer names it; a leftover ciphertext is unreadable
            logger.warning("vault_file_delete_failed", extra={"storage_name": name}, exc_info=True)


def purge_expired(*, today: date | None = None, batch: int = 500) -> int:
    """The beat task: uploads past their retention date are deleted (file and row's key);
    generated legal documents leave the vaults only after their own retention date (their
    bytes are their module's, never touched here)."""
    today = today or timezone.localdate()
    done = 0
    while True:
        rows = list(
            VaultDocument.objects.filter(deleted_at=None, retain_until__lt=today).order_by("id")[:batch]
        )
        for document in rows:
            _discard(document, action=VaultAccess.Action.PURGE)
        done += len(rows)
        if len(rows) < batch:
            return done


# --- folders and tags -------------------------------------------------------------------------


def _folder_name(name: str) -> str:
    name = " ".join(str(name or "").split())
    if not name or len(name) > NAME_MAX or "/" in name:
        raise VaultNameInvalid(field="name")
    return name


def folder_create(*, actor, owner: Owner, name: str, parent_id=None) -> VaultFolder:
    identity.require(actor, MANAGE, owner, hide=True)
    name = _folder_name(name)
    with transaction.atomic():
        parent = _folder(owner, parent_id)
        if VaultFolder.objects.filter(parent=parent, name__iexact=name, **owner.filter()).exists():
            raise VaultNameInvalid(_("A folder of this name is already here."), field="name")
        return VaultFolder.objects.create(parent=parent, name=name, **owner.filter())


def folder_get(actor, folder_id, *, manage: bool = False) -> VaultFolder:
    try:
        folder = VaultFolder.objects.get(public_id=uuid.UUID(str(folder_id)))
    except (VaultFolder.DoesNotExist, ValueError):
        raise NotFound() from None
    identity.require(actor, MANAGE if manage else VIEW, folder, hide=True)
    return folder


def folder_move(*, actor, folder_id, parent_id=None, name: str | None = None) -> VaultFolder:
    """Rename and/or move a folder; never under itself or one of its descendants."""
    folder = folder_get(actor, folder_id, manage=True)
    owner = _owner_of(folder)
    with transaction.atomic():
        parent = _folder(owner, parent_id)
        ancestor = parent
        while ancestor is not None:
            if ancestor.pk == folder.pk:
                raise VaultFolderInvalid(_("A folder cannot go inside itself."), field="parent")
            ancestor = ancestor.parent
        folder.parent = parent
        if name is not None:
            folder.name = _folder_name(name)
        folder.save(update_fields=["parent", "name", "updated_at"])
    return folder


def folder_delete(*, actor, folder_id) -> None:
    folder = folder_get(actor, folder_id, manage=True)
    if folder.children.exists() or folder.documents.filter(deleted_at=None).exists():
        raise VaultFolderNotEmpty()
    VaultDocument.objects.filter(folder=folder).update(folder=None)  # deleted rows keep no folder
    folder.delete()


# --- share links ------------------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(f"hokwe.cms.vault.share|{token}".encode()).hexdigest()


def _code_hash(share: VaultShare, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"vault-share|{share.public_id}|{code}".encode(), hashlib.sha256).hexdigest()


def share_create(
    *, actor, document_id, hours: int | None = None, phone: str = "", where: Where | None = None
) -> tuple[VaultShare, str]:
    """A link to one document; returns (share, token): the token is shown once (only its hash
    is kept). With `phone`, the link opens after a code sent by SMS to that phone."""
    document = document_get(actor, document_id, manage=True)
    hours = settings.CMS_VAULT_SHARE_DEFAULT_HOURS if hours in (None, "") else hours
    if (
        isinstance(hours, bool)
        or not isinstance(hours, int)
        or not 1 <= hours <= settings.CMS_VAULT_SHARE_MAX_HOURS
    ):
        raise VaultShareInvalid(
            _("The link lasts from 1 to %(max)s hours.") % {"max": settings.CMS_VAULT_SHARE_MAX_HOURS},
            field="hours",
        )
    if phone:
        try:
            phone = str(identity.normalize_phone(phone))
        except identity.InvalidPhone:
            raise VaultShareInvalid(_("Enter a valid phone number."), field="phone") from None
    token = secrets.token_urlsafe(24)
    with transaction.atomic():
        share = VaultShare.objects.create(
            document=document,
            created_by=actor,
            token_hash=_token_hash(token),
            expires_at=timezone.now() + timedelta(hours=hours),
            otp_phone=phone or "",
        )
        _log(document, VaultAccess.Action.SHARE, actor=actor, share=share, where=where)
    return share, token


def share_revoke(*, actor, share_id, where: Where | None = None) -> VaultShare:
    try:
        share = VaultShare.objects.select_related("document").get(public_id=uuid.UUID(str(share_id)))
    except (VaultShare.DoesNotExist, ValueError):
        raise NotFound() from None
    identity.require(actor, MANAGE, share.document, hide=True)
    with transaction.atomic():
        if share.revoked_at is None:
            share.revoked_at = timezone.now()
            share.save(update_fields=["revoked_at", "updated_at"])
            _log(share.document, VaultAccess.Action.REVOKE, actor=actor, share=share, where=where)
    return share


def share_find(token: str) -> VaultShare:
    """The share of a link, whatever its state (NotFound for a token nobody made)."""
    share = (
        VaultShare.objects.select_related("document").filter(token_hash=_token_hash(str(token or ""))).first()
    )
    if share is None:
        raise NotFound()
    return share


def share_active(token: str) -> VaultShare:
    """The share of a link that may be used now; VaultShareGone (410) when expired, revoked or
    locked after too many wrong codes."""
    share = share_find(token)
    state = share.state(timezone.now())
    if state == "locked":
        raise VaultShareCodeLocked()
    if state != "active":
        raise VaultShareGone()
    return share


def share_send_code(token: str, *, language: str = "fr") -> int:
    """Send the opening code by SMS to the sharer's phone; returns the seconds before another
    may be sent."""
    from apps.notifications import api as notifications

    from ..messages import CMS_VAULT_SHARE_CODE

    share = share_active(token)
    if not share.otp_phone:
        return 0
    now = timezone.now()
    if share.otp_sent_at and (now - share.otp_sent_at).total_seconds() < SHARE_CODE_RESEND_SECONDS:
        return SHARE_CODE_RESEND_SECONDS - int((now - share.otp_sent_at).total_seconds())
    code = f"{secrets.randbelow(1_000_000):06d}"
    VaultShare.objects.filter(pk=share.pk).update(otp_hash=_code_hash(share, code), otp_sent_at=now)
    notifications.send(
        share.otp_phone,
        CMS_VAULT_SHARE_CODE,
        {"code": code},
        channels=["sms"],
        language=language,
        idempotency_key=f"cms.vault.share:{share.public_id}:{now.timestamp()}",
    )
    return SHARE_CODE_RESEND_SECONDS


def share_verify_code(token: str, code: str) -> VaultShare:
    """Check the code; a wrong one counts, and too many lock the link (VaultShareCodeLocked)."""
    share = share_active(token)
    if not share.otp_phone:
        return share
    code = "".join(str(code or "").split())
    if share.otp_hash and hmac.compare_digest(share.otp_hash, _code_hash(share, code)):
        VaultShare.objects.filter(pk=share.pk).update(otp_hash="")  # used once
        return share
    VaultShare.objects.filter(pk=share.pk).update(otp_failures=F("otp_failures") + 1)
    share.refresh_from_db(fields=["otp_failures"])
    if share.state(timezone.now()) == "locked":
        raise VaultShareCodeLocked()
    raise VaultShareCodeInvalid(field="code")


def share_open(token: str, *, verified: bool, where: Where | None = None):
    """(document, bytes, file name, content type) of an active link; a link with a code needs
    `verified` (the code was checked in this browser session)."""
    share = share_active(token)
    if share.otp_phone and not verified:
        raise VaultShareCodeInvalid(field="code")
    document = share.document
    opened = _bytes_of(document)
    VaultShare.objects.filter(pk=share.pk).update(opened_count=F("opened_count") + 1)
    _log(document, VaultAccess.Action.SHARE_OPEN, share=share, where=where)
    return document, opened.content, _filename(document, opened), opened.content_type


# --- what the surfaces show ------------------------------------------------------------------


def document_views(rows) -> list[dict]:
    """The plain view of documents (REST, GraphQL and pages), one query for the organizations'
    public ids (tags and folder are prefetched by selectors.vault_page)."""
    orgs = identity.organization_public_ids({r.organization_id for r in rows if r.organization_id})
    return [
        {
            "public_id": r.public_id,
            "name": r.name,
            "kind": r.kind,
            "kind_label": r.kind_label,
            "origin": r.origin,
            "organization": orgs.get(r.organization_id),
            "folder": r.folder.public_id if r.folder_id else None,
            "folder_name": r.folder.name if r.folder_id else "",
            "tags": sorted(t.name for t in r.tags.all()),
            "metadata": r.metadata or {},
            "size": r.size,
            "content_type": r.content_type,
            "checksum": r.checksum,
            "source": r.source,
            "created_at": r.created_at,
            "retain_until": r.retain_until,
        }
        for r in rows
    ]


def folder_views(folders) -> list[dict]:
    ids = {f.id: f.public_id for f in folders}
    return [
        {
            "public_id": f.public_id,
            "name": f.name,
            "parent": ids.get(f.parent_id),
            "depth": getattr(f, "depth", 0),
            "path": getattr(f, "path", f.name),
        }
        for f in folders
    ]


def access_views(rows) -> list[dict]:
    return [
        {
            "at": a.at,
            "action": a.action,
            "action_label": str(a.get_action_display()),
            "document": a.document.public_id,
            "document_name": a.document.name,
            "actor": a.actor.public_id if a.actor_id else None,
            "actor_name": (a.actor.full_name or str(a.actor.phone or "")) if a.actor_id else "",
            "ip": a.ip or "",
            "user_agent": a.user_agent,
        }
        for a in rows
    ]


def share_view(share: VaultShare, *, url: str = "") -> dict:
    return {
        "public_id": share.public_id,
        "document": share.document.public_id,
        "expires_at": share.expires_at,
        "revoked_at": share.revoked_at,
        "state": share.state(timezone.now()),
        "with_code": bool(share.otp_phone),
        "opened_count": share.opened_count,
        "url": url,
    }
