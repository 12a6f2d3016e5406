"""Creative moderation, rules first (docs/ads.md, "Moderation"): what no ad may carry is
refused at once (markup, scripts, `javascript:` links, images that are not plain JPEG, PNG,
WebP or GIF, too heavy or too large); what a person should look at is flagged for staff. A
promoted listing is a real, verified listing of the advertiser itself: it is approved by the
rules alone when nothing is flagged (market moderated the listing)."""

from __future__ import annotations

import io
import re
import unicodedata

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from apps.core import uploads

from ..errors import CreativeRefused

MARKUP = re.compile(
    r"<\s*/?\s*[a-z!]|javascript:|vbscript:|data:text|on[a-z]+\s*=|&#|\{\{|\{%", re.IGNORECASE
)
IMAGE_TYPES = {uploads.JPEG: "JPEG", uploads.PNG: "PNG", uploads.WEBP: "WEBP", uploads.GIF: "GIF"}

FLAG_WORDS = "words"
FLAG_LINK = "external_link"


def _plain(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


def check_text(field: str, value: str) -> str:
    value = (value or "").strip()
    if MARKUP.search(value):
        raise CreativeRefused(_("An ad's text may not contain markup or scripts."), field=field)
    if any(ord(c) < 32 and c not in "\n" for c in value):
        raise CreativeRefused(_("An ad's text may not contain control characters."), field=field)
    return value


def check_link(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    if not value.lower().startswith(("https://", "http://")) or MARKUP.search(value) or len(value) > 500:
        raise CreativeRefused(_("The link must be a web address (https://…)."), field="link_url")
    return value


def check_image(data: bytes) -> tuple[bytes, str, int, int]:
    """The image re-encoded (nothing but pixels survives), its extension and size. Refused:
    not JPEG/PNG/WebP/GIF (an SVG can carry a script), heavier than ADS_IMAGE_MAX_BYTES,
    larger than ADS_IMAGE_MAX_SIDE on a side, or unreadable."""
    if len(data) > settings.ADS_IMAGE_MAX_BYTES:
        raise CreativeRefused(
            _("The image is too heavy: %(max)s KB at most.") % {"max": settings.ADS_IMAGE_MAX_BYTES // 1024},
            field="image",
        )
    kind = uploads.sniff(data[:4096])
    if kind not in IMAGE_TYPES:
        raise CreativeRefused(_("The image must be a JPEG, PNG, WebP or GIF file."), field="image")
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if max(width, height) > settings.ADS_IMAGE_MAX_SIDE:
                raise CreativeRefused(
                    _("The image is too large: %(max)s pixels on a side at most.")
                    % {"max": settings.ADS_IMAGE_MAX_SIDE},
                    field="image",
                )
            image.load()
            fmt = IMAGE_TYPES[kind]
            frame = image.convert("RGBA" if fmt in ("PNG", "WEBP") else "RGB")
            out = io.BytesIO()
            frame.save(out, format="JPEG" if fmt == "GIF" else fmt, quality=85)
    except CreativeRefused:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise CreativeRefused(_("The image could not be read."), field="image") from None
    extension = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "jpg"}[fmt]
    return out.getvalue(), extension, width, height


def flags_of(*texts: str, link: str = "") -> list[str]:
    """What staff should look at: flagged words, a link leaving Hokwe."""
    flags = []
    plain = _plain(" ".join(texts))
    if any(_plain(word) in plain for word in settings.ADS_FLAGGED_WORDS):
        flags.append(FLAG_WORDS)
    if link:
        flags.append(FLAG_LINK)
    return flags
