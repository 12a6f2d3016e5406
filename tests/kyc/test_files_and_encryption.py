"""Files are checked by content, cleaned (EXIF/GPS gone), encrypted at rest with a per-file
key wrapped by a master key; rotation re-wraps keys without touching the files."""

import base64
import io
import os

import pytest
from django.core.management import call_command
from PIL import Image

from apps.core import crypto
from apps.kyc import errors, files
from apps.kyc.models import Document
from apps.kyc.services import documents as document_services

from .helpers import huge_png, jpeg_bytes, pdf_bytes, png_bytes, webp_bytes, zip_bomb

pytestmark = pytest.mark.django_db

KEY_A = "kyc-a:" + base64.b64encode(b"A" * 32).decode()
KEY_B = "kyc-b:" + base64.b64encode(b"B" * 32).decode()


def test_sniff_recognises_exactly_four_formats():
    assert files.sniff(jpeg_bytes()[:16]) == files.JPEG
    assert files.sniff(png_bytes()[:16]) == files.PNG
    assert files.sniff(webp_bytes()[:16]) == files.WEBP
    assert files.sniff(pdf_bytes()[:16]) == files.PDF
    for hostile in (zip_bomb(1)[:16], b"<svg xmlns=", b"MZ\x90\x00", b"GIF89a", b"<html>", b"\x1f\x8b\x08"):
        assert files.sniff(hostile) is None


def test_images_are_reencoded_without_exif_or_gps():
    original = jpeg_bytes()
    assert b"SecretCamMaker" in original and Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)
    clean = files.sanitize(original)
    assert clean.content_type == files.JPEG
    assert b"SecretCamMaker" not in clean.content and b"Exif" not in clean.content
    reopened = Image.open(io.BytesIO(clean.content))
    assert not reopened.getexif() and reopened.size == (64, 48)
    assert "icc_profile" not in reopened.info


def test_png_and_webp_become_plain_jpeg():
    assert files.sanitize(png_bytes()).content_type == files.JPEG
    assert files.sanitize(webp_bytes()).content_type == files.JPEG


@pytest.mark.parametrize(
    ("data", "kwargs", "error"),
    [
        (b"", {}, errors.EmptyFile),
        (zip_bomb(5), {}, errors.UnsupportedFileType),
        (zip_bomb(5), {"name": "photo.png"}, errors.UnsupportedFileType),
        (pdf_bytes(), {"name": "cni.jpg"}, errors.FileTypeMismatch),
        (pdf_bytes(), {"declared": "image/jpeg"}, errors.FileTypeMismatch),
        (jpeg_bytes(), {"name": "scan.pdf"}, errors.FileTypeMismatch),
        (pdf_bytes(), {"images_only": True}, errors.FileTypeNotAllowedForKind),
        (huge_png(60_000, 60_000), {}, errors.ImageTooLarge),  # Pillow's own bomb error
        (huge_png(8_000, 6_000), {}, errors.ImageTooLarge),  # above our budget, below Pillow's
        (b"\xff\xd8\xff\xe0" + b"garbage" * 20, {}, errors.InvalidImage),
        (pdf_bytes().replace(b"%%EOF", b""), {}, errors.UnsafePdf),
        (pdf_bytes("x /JavaScript (app.alert(1))"), {}, errors.UnsafePdf),
        (pdf_bytes("x /J#61vaScript"), {}, errors.UnsafePdf),
    ],
)
def test_hostile_files_are_refused(data, kwargs, error):
    with pytest.raises(error):
        files.sanitize(data, **kwargs)


def test_size_limit(settings):
    settings.KYC_MAX_UPLOAD_BYTES = 1000
    with pytest.raises(errors.FileTooLarge) as refused:
        files.sanitize(jpeg_bytes((400, 400)))
    assert refused.value.status == 413


def test_bytes_on_disk_are_not_the_image(person, kyc_storage):
    """The stored file neither contains the plaintext image nor any recognisable header."""
    document = document_services.document_upload(actor=person, kind="id_card", data=jpeg_bytes())
    on_disk = (kyc_storage / document.storage_name).read_bytes()
    _doc, plaintext = document_services.document_read(
        actor=person,
        token=document_services.document_link(actor=person, document=document).url.rsplit("/", 1)[1],
    )
    assert plaintext.startswith(b"\xff\xd8\xff")
    assert plaintext not in on_disk and plaintext[:64] not in on_disk and plaintext[200:264] not in on_disk
    assert on_disk.startswith(crypto.MAGIC) and b"\xff\xd8\xff" not in on_disk[:64] and b"JFIF" not in on_disk
    assert not (kyc_storage / document.storage_name).name.endswith((".jpg", ".jpeg"))
    assert bytes(document.wrapped_key) and document.key_id == crypto.current_key().id


def test_tampering_and_swapping_files_fail_authentication(person, kyc_storage):
    first = document_services.document_upload(actor=person, kind="id_card", data=jpeg_bytes())
    second = document_services.document_upload(actor=person, kind="selfie", data=jpeg_bytes(color=(9, 9, 9)))
    blob = (kyc_storage / first.storage_name).read_bytes()
    wrapped = crypto.WrappedKey(first.key_id, bytes(first.wrapped_key))
    tampered = blob[:-1] + bytes([blob[-1] ^ 1])
    with pytest.raises(crypto.DecryptionFailed):
        crypto.decrypt(tampered, wrapped, aad=first.public_id.bytes)
    with pytest.raises(crypto.DecryptionFailed):  # first's file under second's identity
        crypto.decrypt(
            blob, crypto.WrappedKey(second.key_id, bytes(second.wrapped_key)), aad=second.public_id.bytes
        )
    assert crypto.decrypt(blob, wrapped, aad=first.public_id.bytes).startswith(b"\xff\xd8")


def test_rotation_rewraps_keys_without_touching_files(person, kyc_storage, settings):
    settings.HOKWE_MASTER_KEYS = KEY_A
    document = document_services.document_upload(actor=person, kind="id_card", data=jpeg_bytes())
    file_before = (kyc_storage / document.storage_name).read_bytes()
    plaintext = document_services.document_plaintext(document)

    settings.HOKWE_MASTER_KEYS = f"{KEY_B},{KEY_A}"  # the new key first; the old one still decrypts
    assert document_services.document_plaintext(Document.objects.get(pk=document.pk)) == plaintext
    out = io.StringIO()
    call_command("kyc_rotate_keys", stdout=out)
    assert "1 data key(s) re-wrapped under 'kyc-b'; 0 left." in out.getvalue()

    document.refresh_from_db()
    assert document.key_id == "kyc-b"
    assert (kyc_storage / document.storage_name).read_bytes() == file_before
    settings.HOKWE_MASTER_KEYS = KEY_B  # the old key is retired
    assert document_services.document_plaintext(document) == plaintext
    settings.HOKWE_MASTER_KEYS = KEY_A  # a key that never wrapped it cannot open it
    with pytest.raises(errors.StorageKeyUnavailable):  # core's error, under kyc's name too
        document_services.document_plaintext(document)
    assert errors.StorageKeyUnavailable is crypto.StorageKeyUnavailable


def test_new_key_line():
    out = io.StringIO()
    call_command("kyc_rotate_keys", "--new-key", "kyc-2027", stdout=out)
    key_id, encoded = out.getvalue().strip().split(":", 1)
    assert key_id == "kyc-2027" and len(base64.b64decode(encoded)) == 32
    # malformed key lists: tests/core/test_crypto.py (the encryption is core's since issue 24)


@pytest.mark.skipif(
    not os.environ.get("CLAMD_URL"), reason="CLAMD_URL is not set: scripts/test.sh starts a clamd"
)
def test_an_infected_pdf_is_refused_before_anything_is_stored(person, kyc_storage, settings):
    """A PDF is stored as it came (only images are re-encoded): ClamAV reads every upload
    first, before the type checks (the test clamd knows the EICAR file by its hash)."""
    from apps.core.antivirus import InfectedFile
    from apps.kyc.models import Document

    settings.CLAMD_URL = os.environ["CLAMD_URL"]
    eicar = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
    with pytest.raises(InfectedFile) as refused:
        document_services.document_upload(
            actor=person, kind="proof_of_address", data=eicar, filename="releve.pdf"
        )
    assert refused.value.status == 422 and "Eicar" in refused.value.signature
    assert not Document.objects.exists() and not any(kyc_storage.rglob("*.bin"))
    clean = document_services.document_upload(actor=person, kind="proof_of_address", data=pdf_bytes())
    assert clean.pk
