"""KYC test helpers: files of every kind (honest and hostile), users with a ready
verification, compliance staff, token clients."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from datetime import date, timedelta

from PIL import Image

from apps.kyc.services import documents as document_services
from apps.kyc.services import submissions as submission_services
from tests.identity.factories import UserFactory

# --- files -----------------------------------------------------------------------------------


def jpeg_bytes(size=(64, 48), *, color=(200, 30, 30), gps: bool = True) -> bytes:
    """A JPEG with EXIF: camera make and a GPS position (Cotonou)."""
    image = Image.new("RGB", size, color)
    exif = Image.Exif()
    exif[0x010F] = "SecretCamMaker"  # Make
    if gps:
        exif[0x8825] = {1: "N", 2: (6.0, 22.0, 12.0), 3: "E", 4: (2.0, 25.0, 7.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, quality=95)
    return out.getvalue()


def png_bytes(size=(40, 30), mode="RGBA") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (10, 120, 200, 128) if mode == "RGBA" else 128).save(out, format="PNG")
    return out.getvalue()


def webp_bytes(size=(32, 32)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (0, 200, 0)).save(out, format="WEBP")
    return out.getvalue()


def pdf_bytes(text: str = "Attestation de residence") -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
        + f"% {text}\n".encode()
        + b"trailer << /Root 1 0 R >>\n%%EOF\n"
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def huge_png(width: int, height: int) -> bytes:
    """A few hundred bytes announcing width × height pixels (a decompression bomb header)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + _chunk(b"IEND", b"")
    )


def zip_bomb(megabytes: int = 20) -> bytes:
    """A ZIP whose one member inflates to `megabytes` MB of zeros."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bomb.jpg", b"\x00" * (megabytes * 1024 * 1024))
    return out.getvalue()


# --- people ----------------------------------------------------------------------------------


def staff(role: str = "compliance"):
    return UserFactory(is_staff=True, staff_role=role)


PERSON = {
    "first_name": "Brice",
    "last_name": "Zinsou",
    "date_of_birth": date(1990, 4, 12),
    "nationality": "BJ",
    "id_number": "BJ-1234567",
    "address": "Fidjrossè, rue 12.145",
    "city": "Cotonou",
}


def ready_submission(user, *, tier: int = 1, submit: bool = True, expiry: date | None = None):
    """A user's verification with everything tier `tier` needs, submitted (or left draft)."""
    draft = submission_services.draft_for_user(actor=user)
    submission_services.submission_update(
        actor=user,
        submission=draft,
        target_tier=tier,
        id_expiry_date=expiry or date.today() + timedelta(days=3 * 365),
        **PERSON,
    )
    document_services.document_upload(actor=user, kind="id_card", data=jpeg_bytes(), filename="cni.jpg")
    if tier >= 2:
        document_services.document_upload(actor=user, kind="selfie", data=jpeg_bytes(color=(1, 2, 3)))
        document_services.document_upload(
            actor=user, kind="proof_of_address", data=pdf_bytes(), filename="facture.pdf"
        )
    draft.refresh_from_db()
    if submit:
        return submission_services.submission_submit(actor=user, submission=draft)
    return draft


def approve(submission, *reviewers):
    for reviewer in reviewers:
        submission = submission_services.submission_approve(actor=reviewer, submission=submission)
    return submission
