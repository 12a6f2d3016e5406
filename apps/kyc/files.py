"""What an uploaded file really is, and a clean copy of it.

The type comes from the first bytes (magic numbers, apps/core/uploads.py's `sniff`), never
from the name or the declared content type. Four formats are accepted, each recognised by an
exact signature:

    JPEG  FF D8 FF            PNG   89 50 4E 47 0D 0A 1A 0A
    WebP  "RIFF" ???? "WEBP"  PDF   "%PDF-"

Images are then fully decoded by Pillow, which is the real validation.
Everything else (a ZIP or a zip bomb, an executable, HTML, SVG, a PDF renamed .jpg but
declared as an image…) is refused.

Images are decoded with a pixel budget checked from the header before any pixel is
decompressed (decompression bombs: a few KB of PNG announcing 10⁹ pixels), then re-encoded
as a fresh JPEG: EXIF (GPS position, device, time), XMP, ICC and comments are gone, and the
orientation is applied first so nothing is lost. PDFs are kept as they are after a
structural check (header, trailer) that refuses active content (JavaScript, launch
actions, embedded files); they are always served as downloads, never rendered inline.
"""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass

from django.conf import settings
from PIL import Image, ImageOps, UnidentifiedImageError

from apps.core import uploads

from . import errors

JPEG, PNG, WEBP, PDF = uploads.JPEG, uploads.PNG, uploads.WEBP, uploads.PDF
ACCEPTED_TYPES = frozenset({JPEG, PNG, WEBP, PDF})
IMAGE_TYPES = frozenset({JPEG, PNG, WEBP})
_PIL_FORMAT = {JPEG: "JPEG", PNG: "PNG", WEBP: "WEBP"}
_ACTIVE_PDF = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFiles?|RichMedia|XFA|SubmitForm|ImportData)\b")
_ESCAPED_PDF_NAME = re.compile(rb"/[A-Za-z]*#[0-9A-Fa-f]{2}")


@dataclass(frozen=True)
class CleanFile:
    content: bytes
    content_type: str
    width: int = 0
    height: int = 0


def sniff(head: bytes) -> str | None:
    """The content type announced by the first bytes when KYC accepts it, else None."""
    kind = uploads.sniff(head)
    return kind if kind in ACCEPTED_TYPES else None


declared_type = uploads.declared_type  # what the client says the file is


def sanitize(data: bytes, *, images_only: bool = False, name: str = "", declared: str = "") -> CleanFile:
    """Check `data` and return what may be stored. Raises an UploadRefused subclass.
    `name` / `declared` (the client's file name and content type) must agree with the
    content when given: a PDF named .jpg is refused, whatever the document."""
    if not data:
        raise errors.EmptyFile(field="file")
    if len(data) > settings.KYC_MAX_UPLOAD_BYTES:
        raise errors.FileTooLarge(
            errors.FileTooLarge.default_message, field="file", limit=settings.KYC_MAX_UPLOAD_BYTES
        )
    content_type = sniff(data[: uploads.HEAD_BYTES])
    if content_type is None:
        raise errors.UnsupportedFileType(field="file")
    claimed = declared_type(name=name, content_type=declared)
    if claimed is not None and (claimed == PDF) != (content_type == PDF):
        raise errors.FileTypeMismatch(field="file")
    if content_type == PDF:
        if images_only:
            raise errors.FileTypeNotAllowedForKind(field="file")
        return _check_pdf(data)
    return _reencode_image(data, content_type)


def _check_pdf(data: bytes) -> CleanFile:
    if b"%%EOF" not in data[-2048:] or _ACTIVE_PDF.search(data) or _ESCAPED_PDF_NAME.search(data):
        raise errors.UnsafePdf(field="file")
    return CleanFile(content=data, content_type=PDF)


def _reencode_image(data: bytes, content_type: str) -> CleanFile:
    budget = settings.KYC_MAX_IMAGE_PIXELS
    try:
        with warnings.catch_warnings():
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that: make it an error.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=[_PIL_FORMAT[content_type]])
            width, height = image.size  # read from the header: nothing decompressed yet
            if (
                width * height > budget
                or getattr(image, "n_frames", 1) > 1
                and width * height * image.n_frames > budget
            ):
                raise errors.ImageTooLarge(field="file")
            image.load()
            image = ImageOps.exif_transpose(image)
            clean = _flatten(image)
            clean.thumbnail((settings.KYC_IMAGE_MAX_SIDE, settings.KYC_IMAGE_MAX_SIDE))
            out = io.BytesIO()
            clean.save(out, format="JPEG", quality=88, optimize=True)
    except errors.UploadRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise errors.ImageTooLarge(field="file") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError, TypeError, MemoryError):
        raise errors.InvalidImage(field="file") from None
    return CleanFile(content=out.getvalue(), content_type=JPEG, width=clean.width, height=clean.height)


def _flatten(image: Image.Image) -> Image.Image:
    """A brand-new RGB image with the pixels only (no info dict, no EXIF, no ICC)."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        source = background
    else:
        source = image.convert("RGB")
    fresh = Image.new("RGB", source.size)
    fresh.paste(source)
    return fresh
