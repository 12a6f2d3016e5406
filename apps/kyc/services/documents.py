"""Documents: checked and cleaned (files.py), encrypted (apps/core/crypto.py), stored in the default
storage (django-storages: filesystem by default, S3 in production), viewed only through
short-lived signed links bound to the viewer, every view audited, purged after the
retention period of a closed account."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from apps.core import antivirus, crypto
from apps.core.audit import AuditCategory, audit_record
from apps.core.errors import NotFound
from apps.identity import api as identity

from .. import files, selectors
from ..contracts import ID_DOCUMENT_KINDS, DocumentKind
from ..errors import DocumentLocked, InvalidDocumentKind, LinkExpired
from ..models import Director, Document, KycProfile, Submission
from .submissions import PERSON_FIELDS, draft_for_organization, draft_for_user, require_kyb_manage

logger = logging.getLogger("hokwe.kyc")
SIGNING_SALT = "hokwe.kyc.document-link"
PERSON_KINDS = frozenset({*ID_DOCUMENT_KINDS, DocumentKind.SELFIE, DocumentKind.PROOF_OF_ADDRESS})
BUSINESS_KINDS = frozenset({DocumentKind.RCCM, DocumentKind.IFU})
IMAGE_ONLY_KINDS = frozenset({DocumentKind.SELFIE})


def storage():
    return storages[settings.KYC_STORAGE_ALIAS]


def _aad(public_id: uuid.UUID) -> bytes:
    return public_id.bytes


# --- upload ----------------------------------------------------------------------------------


def _store(
    *,
    submission: Submission,
    kind: str,
    side: str,
    data: bytes,
    actor,
    director: Director | None,
    name: str = "",
    declared: str = "",
) -> Document:
    # ClamAV first, on the bytes as sent (a PDF is stored as it came); before any transaction
    antivirus.scan(data)
    clean = files.sanitize(data, images_only=kind in IMAGE_ONLY_KINDS, name=name, declared=declared)
    public_id = uuid.uuid4()
    blob, wrapped = crypto.encrypt(clean.content, aad=_aad(public_id))
    now = timezone.now()
    name = storage().save(f"kyc/{now:%Y/%m}/{uuid.uuid4().hex}.bin", ContentFile(blob))
    try:
        with transaction.atomic():
            locked = Submission.objects.select_for_update().get(pk=submission.pk)
            if locked.status != "draft":
                raise DocumentLocked()
            replaced = list(
                Document.objects.filter(
                    submission=locked, kind=kind, side=side, director=director, purged_at=None
                )
            )
            document = Document.objects.create(
                public_id=public_id,
                submission=locked,
                director=director,
                kind=kind,
                side=side,
                content_type=clean.content_type,
                size=len(clean.content),
                uploaded_by=actor,
                storage_name=name,
                key_id=wrapped.key_id,
                wrapped_key=wrapped.wrapped,
            )
            documents_discard(replaced)
            audit_record(
                action="kyc.document.uploaded",
                category=AuditCategory.KYC,
                actor=actor,
                organization=locked.organization.public_id if locked.organization_id else None,
                target=document,
                after={
                    "kind": kind,
                    "side": side,
                    "content_type": clean.content_type,
                    "size": len(clean.content),
                },
            )
    except BaseException:
        storage().delete(name)  # nothing references the file: do not leave it behind
        raise
    return document


def _side(kind: str, side: str) -> str:
    side = side or Document.Side.FRONT
    if side not in Document.Side.values:
        raise InvalidDocumentKind(field="side")
    if side == Document.Side.BACK and kind not in (DocumentKind.ID_CARD, DocumentKind.DRIVING_LICENCE):
        raise InvalidDocumentKind(field="side")
    return side


def document_upload(
    *, actor, kind: str, data: bytes, side: str = "", filename: str = "", content_type: str = ""
) -> Document:
    """The person's own identity document, selfie or proof of address (into their draft)."""
    if kind not in PERSON_KINDS:
        raise InvalidDocumentKind(field="kind")
    side = _side(kind, side)
    submission = draft_for_user(actor=actor)
    return _store(
        submission=submission,
        kind=kind,
        side=side,
        data=data,
        actor=actor,
        director=None,
        name=filename,
        declared=content_type,
    )


def kyb_document_upload(
    *,
    actor,
    organization_id: int,
    kind: str,
    data: bytes,
    side: str = "",
    director_public_id=None,
    filename: str = "",
    content_type: str = "",
) -> Document:
    """An organization's RCCM / IFU, or a director's identity document (KYB draft)."""
    require_kyb_manage(actor, organization_id)
    submission = draft_for_organization(actor=actor, organization_id=organization_id)
    director = None
    if director_public_id:
        director = selectors.director_get(submission, director_public_id)
        if kind not in ID_DOCUMENT_KINDS:
            raise InvalidDocumentKind(field="kind")
    elif kind not in BUSINESS_KINDS:
        raise InvalidDocumentKind(field="kind")
    side = _side(kind, side)
    return _store(
        submission=submission,
        kind=kind,
        side=side,
        data=data,
        actor=actor,
        director=director,
        name=filename,
        declared=content_type,
    )


def documents_discard(documents: list[Document]) -> None:
    """Remove draft documents (replaced or deleted before submission): file and row."""
    names = [d.storage_name for d in documents if d.storage_name]
    Document.objects.filter(pk__in=[d.pk for d in documents]).delete()
    transaction.on_commit(lambda: [_delete_quietly(n) for n in names])


def _delete_quietly(name: str) -> None:
    try:
        storage().delete(name)
    except Exception:  # the retention task finds leftovers; never fail the request for it
        logger.warning("kyc_file_delete_failed", extra={"storage_name": name}, exc_info=True)


@transaction.atomic
def document_delete(*, actor, document: Document) -> None:
    submission = Submission.objects.select_for_update().get(pk=document.submission_id)
    if submission.is_business:
        require_kyb_manage(actor, submission.organization_id)
    elif submission.user_id != actor.pk:
        raise NotFound()
    if submission.status != "draft":
        raise DocumentLocked()
    documents_discard([document])


# --- viewing: signed links bound to the viewer and the document ------------------------------


@dataclass(frozen=True)
class DocumentLink:
    url: str
    expires_at: datetime


def document_link(*, actor, document: Document, permission: str = "kyc.document.view_own") -> DocumentLink:
    """A short-lived link for `actor` only. The view checks the permission again when the
    link is used, so a link leaked to someone else (or kept after access was lost) opens
    nothing. The back-office asks with permission "kyc.document.view" (compliance)."""
    identity.require(actor, permission, document, hide=True)
    if document.purged_at is not None:
        raise NotFound()
    token = signing.dumps({"d": document.public_id.hex, "v": actor.public_id.hex}, salt=SIGNING_SALT)
    path = reverse("kyc-file", kwargs={"version": "v1", "token": token})
    return DocumentLink(
        url=path, expires_at=timezone.now() + timedelta(seconds=settings.KYC_SIGNED_URL_TTL_SECONDS)
    )


def document_read(*, actor, token: str) -> tuple[Document, bytes]:
    """Open a signed link: valid signature, not expired, issued to this very user, who may
    still see the document. Every successful read is in the audit log."""
    try:
        claims = signing.loads(token, salt=SIGNING_SALT, max_age=settings.KYC_SIGNED_URL_TTL_SECONDS)
    except signing.SignatureExpired:
        raise LinkExpired() from None
    except signing.BadSignature:
        raise NotFound() from None
    if not isinstance(claims, dict) or claims.get("v") != getattr(
        getattr(actor, "public_id", None), "hex", None
    ):
        raise NotFound()
    document = selectors.document_by_public_id(claims.get("d", ""))
    if document is None or document.purged_at is not None or not _may_read(actor, document):
        raise NotFound()
    with storage().open(document.storage_name, "rb") as handle:
        blob = handle.read()
    content = crypto.decrypt(
        blob, crypto.WrappedKey(document.key_id, bytes(document.wrapped_key)), aad=_aad(document.public_id)
    )
    audit_record(
        action="kyc.document.viewed",
        category=AuditCategory.KYC,
        actor=actor,
        organization=document.submission.organization.public_id
        if document.submission.organization_id
        else None,
        target=document,
        after={"kind": document.kind, "submission": str(document.submission.public_id)},
    )
    return document, content


def _may_read(actor, document: Document) -> bool:
    """The person / the organization's managers, or compliance staff in a session that
    passed the back-office's TOTP login (django-otp's is_verified)."""
    if identity.can(actor, "kyc.document.view_own", document):
        return True
    verified = getattr(actor, "is_verified", None)
    return identity.can(actor, "kyc.document.view", document) and callable(verified) and bool(verified())


def document_plaintext(document: Document) -> bytes:
    """For the provider checks (server side only, never logged)."""
    with storage().open(document.storage_name, "rb") as handle:
        blob = handle.read()
    return crypto.decrypt(
        blob, crypto.WrappedKey(document.key_id, bytes(document.wrapped_key)), aad=_aad(document.public_id)
    )


# --- key rotation ----------------------------------------------------------------------------


def documents_rewrap(*, batch_size: int = 500) -> int:
    """Re-wrap every data key not under the current master key. Files are not touched."""
    current = crypto.current_key().id
    done = 0
    while True:
        with transaction.atomic():
            batch = list(
                Document.objects.select_for_update(skip_locked=True)
                .filter(purged_at=None)
                .exclude(key_id=current)
                .exclude(key_id="")[:batch_size]
            )
            if not batch:
                return done
            for document in batch:
                wrapped = crypto.rewrap(
                    crypto.WrappedKey(document.key_id, bytes(document.wrapped_key)),
                    aad=_aad(document.public_id),
                )
                document.key_id, document.wrapped_key = wrapped.key_id, wrapped.wrapped
            Document.objects.bulk_update(batch, ["key_id", "wrapped_key"])
            done += len(batch)


# --- retention -------------------------------------------------------------------------------


def documents_purge_due(*, now: datetime | None = None) -> int:
    """Documents of accounts closed more than KYC_RETENTION_DAYS ago: the files and their
    keys go (crypto-shredding, then deletion), the entered personal data is blanked; the
    decision records (status, dates, reviewer, reason) stay."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.KYC_RETENTION_DAYS)
    purged = 0
    profiles = KycProfile.objects.filter(closed_at__lte=cutoff, documents_purged_at=None).select_related(
        "user"
    )
    for profile in profiles[:200]:
        documents = list(
            Document.objects.filter(
                submission__user_id=profile.user_id, submission__subject="individual", purged_at=None
            )
        )
        for document in documents:
            if document.storage_name:
                storage().delete(document.storage_name)
        with transaction.atomic():
            Document.objects.filter(pk__in=[d.pk for d in documents]).update(
                storage_name="", key_id="", wrapped_key=b"", purged_at=now
            )
            Submission.objects.filter(user_id=profile.user_id, subject="individual").update(
                personal_data_purged_at=now,
                **{
                    name: None if name in ("date_of_birth", "id_expiry_date") else ""
                    for name in PERSON_FIELDS
                },
            )
            KycProfile.objects.filter(pk=profile.pk).update(documents_purged_at=now)
            audit_record(
                action="kyc.documents.purged",
                category=AuditCategory.KYC,
                actor=None,
                target_type="identity.User",
                target_id=profile.user.public_id,
                after={"documents": len(documents)},
                reason=f"account closed more than {settings.KYC_RETENTION_DAYS} days ago",
            )
        purged += len(documents)
    return purged
