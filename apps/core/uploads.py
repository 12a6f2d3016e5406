"""What an uploaded file really is: its content type from its first bytes (magic numbers),
never from its name or the client's declared content type. Shared by every module that
takes files (kyc's documents, the cms vault); each caller then decides what it accepts
(kyc: JPEG, PNG, WebP and PDF only) and what it does with it (kyc re-encodes images).

    sniff(head) -> "image/png" | "application/pdf" | … | None
    declared_type(name=..., content_type=...) -> what the client says, or None

`sniff` reads at most HEAD_BYTES (pass `data[:HEAD_BYTES]`, more is ignored):
1. exact signatures checked here, for the formats we take most (JPEG, PNG, WebP, GIF, PDF);
2. the `filetype` library (pure Python, no libmagic in the image): Office files (OOXML from
   their ZIP entries' names, legacy .doc/.xls/.ppt, OpenDocument), archives, audio, video,
   executables (reported as what they are: a caller refuses them);
3. text: valid UTF-8 without control characters is "text/plain", except markup a browser
   would run or render — HTML ("text/html"), SVG ("image/svg+xml") and other XML
   ("application/xml") — reported as such so a caller can refuse it; RTF by its "{\\rtf".
A ZIP whose Office entries lie beyond the head is reported as "application/zip".
"""

from __future__ import annotations

import codecs
import re

import filetype

HEAD_BYTES = 8192

JPEG, PNG, WEBP, GIF, PDF = "image/jpeg", "image/png", "image/webp", "image/gif", "application/pdf"
TEXT, CSV, HTML, SVG, XML, RTF = (
    "text/plain",
    "text/csv",
    "text/html",
    "image/svg+xml",
    "application/xml",
    "application/rtf",
)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
DOC, XLS, PPT = "application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODP = "application/vnd.oasis.opendocument.presentation"
ZIP = "application/zip"

# A file name's extension -> the type it claims (lower case, with the dot).
EXTENSIONS = {
    ".jpg": JPEG,
    ".jpeg": JPEG,
    ".png": PNG,
    ".webp": WEBP,
    ".gif": GIF,
    ".pdf": PDF,
    ".txt": TEXT,
    ".csv": CSV,
    ".html": HTML,
    ".htm": HTML,
    ".svg": SVG,
    ".xml": XML,
    ".rtf": RTF,
    ".docx": DOCX,
    ".xlsx": XLSX,
    ".pptx": PPTX,
    ".doc": DOC,
    ".xls": XLS,
    ".ppt": PPT,
    ".odt": ODT,
    ".ods": ODS,
    ".odp": ODP,
    ".zip": ZIP,
}
KNOWN_TYPES = frozenset(EXTENSIONS.values())

_TEXT_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
_HTML_START = re.compile(
    r"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|script|iframe)\b", re.I | re.S
)
_HTML_ANYWHERE = re.compile(r"<(script|iframe|object|embed)\b", re.I)
_SVG = re.compile(r"<svg[\s>]", re.I)


def sniff(head: bytes) -> str | None:
    """The content type announced by the first bytes, or None (unknown binary, empty)."""
    head = bytes(head[:HEAD_BYTES])
    if not head:
        return None
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"{\\rtf"):
        return RTF
    guessed = filetype.guess_mime(head)
    if guessed:
        return guessed
    return _sniff_text(head)


def _sniff_text(head: bytes) -> str | None:
    if head.startswith(codecs.BOM_UTF8):
        head = head[len(codecs.BOM_UTF8) :]
    try:  # a head cut inside a multi-byte character is still text
        text = codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return None
    if not text.strip() or _TEXT_CONTROL.search(text):
        return None
    start = text.lstrip()[:1024].lower()
    if _HTML_START.match(text) or _HTML_ANYWHERE.search(text):
        return HTML
    if _SVG.search(text) and (start.startswith(("<?xml", "<svg", "<!doctype svg", "<!--"))):
        return SVG
    if start.startswith("<?xml"):
        return XML
    return TEXT


def declared_type(*, name: str = "", content_type: str = "") -> str | None:
    """What the client says the file is: its name's extension, else its declared content
    type when it is one we know; None when it says nothing we know."""
    lowered = (name or "").strip().lower()
    dot = lowered.rfind(".")
    if dot != -1 and lowered[dot:] in EXTENSIONS:
        return EXTENSIONS[lowered[dot:]]
    content_type = (content_type or "").split(";")[0].strip().lower()
    return content_type if content_type in KNOWN_TYPES else None
