"""Listing photos (docs/market.md, "Listings: photos").

An upload is checked (a real image Pillow can decode, at most MARKET_PHOTO_MAX_BYTES and
MARKET_PHOTO_MAX_PIXELS), turned upright (EXIF orientation), and stored through Django's
default storage (the django-storages path: the CDN serves it in production):
- the original, re-encoded as JPEG so that no EXIF (GPS included) survives;
- three copies, the longest side at 320 (thumb), 800 (medium) and 1600 (large) px (never
  enlarged), as WebP (JPEG when this Pillow has no WebP encoder), without metadata;
- its 64-bit difference hash (dHash) in hex, for the duplicate-photo rule.

The dHash is ours (ten lines of Pillow): a 9×8 grey thumbnail, one bit per pixel saying
whether it is brighter than its right neighbour. The `imagehash` package would add numpy and
scipy for that one function.

The image work and the storage writes happen before the short transaction that records the
photo (no storage call under a row lock)."""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageOps, UnidentifiedImageError, features

from ..errors import InvalidPhoto

SIZES = {"thumb": 320, "medium": 800, "large": 1600}
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "MPO"}


def copy_format() -> tuple[str, str]:
    """(Pillow format, extension) of the resized copies."""
    return ("WEBP", "webp") if features.check("webp") else ("JPEG", "jpg")


def dhash(image: Image.Image) -> str:
    """The 64-bit difference hash of `image`, 16 hex digits."""
    grey = image.convert("L").resize((9, 8), Image.Resampling.LANCZOS)
    pixels = [grey.getpixel((x, y)) for y in range(8) for x in range(9)]
    bits = 0
    for row in range(8):
        for col in range(8):
            left, right = pixels[row * 9 + col], pixels[row * 9 + col + 1]
            bits = (bits << 1) | (1 if left > right else 0)
    return f"{bits:016x}"


def _rgb(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A"))
        return background
    return image.convert("RGB") if image.mode != "RGB" else image


def _encode(image: Image.Image, fmt: str, quality: int) -> bytes:
    out = io.BytesIO()
    clean = image.copy()
    clean.info = {}  # no EXIF, XMP nor comment is carried to the encoder
    clean.save(out, format=fmt, quality=quality, optimize=fmt == "JPEG")
    return out.getvalue()


@dataclass(frozen=True)
class ProcessedPhoto:
    original: bytes  # JPEG, no metadata
    copies: dict  # {"thumb": (bytes, ext), ...}
    width: int
    height: int
    phash: str


def process(data: bytes) -> ProcessedPhoto:
    """Check and transform an upload's bytes (nothing is stored). InvalidPhoto otherwise."""
    if not data or len(data) > settings.MARKET_PHOTO_MAX_BYTES:
        raise InvalidPhoto(field="photo")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in ALLOWED_FORMATS:
                raise InvalidPhoto(field="photo")
            if probe.size[0] * probe.size[1] > settings.MARKET_PHOTO_MAX_PIXELS:
                raise InvalidPhoto(field="photo")
            probe.verify()
        with Image.open(io.BytesIO(data)) as opened:
            opened.load()
            image = _rgb(ImageOps.exif_transpose(opened))
    except InvalidPhoto:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError, SyntaxError):
        raise InvalidPhoto(field="photo") from None
    fmt, ext = copy_format()
    copies = {}
    for name, longest in SIZES.items():
        copy = image.copy()
        copy.thumbnail((longest, longest), Image.Resampling.LANCZOS)
        copies[name] = (_encode(copy, fmt, 80), ext)
    return ProcessedPhoto(
        original=_encode(image, "JPEG", 90),
        copies=copies,
        width=image.size[0],
        height=image.size[1],
        phash=dhash(image),
    )


def store(processed: ProcessedPhoto) -> tuple[str, dict]:
    """Write the original and its copies through the default storage: (original name, sizes)."""
    now = timezone.now()
    stem = f"market/photos/{now:%Y/%m}/{uuid.uuid4().hex}"
    original = default_storage.save(f"{stem}.jpg", ContentFile(processed.original))
    sizes = {
        name: default_storage.save(f"{stem}_{name}.{ext}", ContentFile(content))
        for name, (content, ext) in processed.copies.items()
    }
    return original, sizes


def discard(original: str, sizes: dict) -> None:
    for name in [original, *sizes.values()]:
        if name:
            try:
                default_storage.delete(name)
            except OSError:
                pass


def read_upload(upload) -> bytes:
    """The bytes of an uploaded file, refusing one above the size cap without reading it all."""
    size = getattr(upload, "size", None)
    if size is not None and size > settings.MARKET_PHOTO_MAX_BYTES:
        raise InvalidPhoto(field="photo")
    data = upload.read(settings.MARKET_PHOTO_MAX_BYTES + 1)
    if len(data) > settings.MARKET_PHOTO_MAX_BYTES:
        raise InvalidPhoto(field="photo")
    return data


def url_of(name: str) -> str:
    return default_storage.url(name) if name else ""


def record(*, listing_pk: int, processed: ProcessedPhoto, original: str, sizes: dict, caption: str = ""):
    """The photo's row, in a short transaction (the listing locked: its count and cover)."""
    from ..models import Listing, ListingPhoto

    with transaction.atomic():
        listing = Listing.objects.select_for_update().get(pk=listing_pk)
        position = ListingPhoto.objects.filter(listing=listing).count()
        photo = ListingPhoto(
            listing=listing,
            position=position,
            sizes=sizes,
            width=processed.width,
            height=processed.height,
            phash=processed.phash,
            caption=(caption or "")[:200],
        )
        photo.original.name = original
        photo.save()
        return listing, photo
