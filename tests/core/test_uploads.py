"""apps.core.uploads: a file's type comes from its bytes, never its name: a PNG named .pdf
is a PNG, an HTML page named .txt is HTML, Office files are told apart by their entries."""

import io
import zipfile

import pytest
from PIL import Image

from apps.core import uploads


def image(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 120, 200)).save(out, format=fmt)
    return out.getvalue()


def office(entries: list[str], *, mimetype: str | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        if mimetype:  # OpenDocument: an uncompressed "mimetype" entry first
            archive.writestr(zipfile.ZipInfo("mimetype"), mimetype, compress_type=zipfile.ZIP_STORED)
        for name in entries:
            archive.writestr(name, "<?xml version='1.0'?><x/>")
    return out.getvalue()


PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (image("JPEG"), uploads.JPEG),
        (image("PNG"), uploads.PNG),
        (image("WEBP"), uploads.WEBP),
        (image("GIF"), uploads.GIF),
        (image("TIFF"), "image/tiff"),
        (image("BMP"), "image/bmp"),
        (PDF, uploads.PDF),
        (office(["[Content_Types].xml", "_rels/.rels", "word/document.xml"]), uploads.DOCX),
        (office(["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml"]), uploads.XLSX),
        (office(["[Content_Types].xml", "_rels/.rels", "ppt/presentation.xml"]), uploads.PPTX),
        (office(["content.xml"], mimetype=uploads.ODT), uploads.ODT),
        (office(["notes.txt"]), uploads.ZIP),
        (b"{\\rtf1\\ansi Bonjour}", uploads.RTF),
        ("Quittance de loyer — décembre\nMontant : 75 000 FCFA\n".encode(), uploads.TEXT),
        (b"\xef\xbb\xbfnom;montant\nAdjovi;75000\n", uploads.TEXT),  # CSV with a BOM is text
        (b"<!DOCTYPE html><html><body>hi</body></html>", uploads.HTML),
        (b"  <script>alert(1)</script>", uploads.HTML),
        (b"just words then <iframe src=x>", uploads.HTML),
        (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>', uploads.SVG),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="x()"/>', uploads.SVG),
        (b'<?xml version="1.0"?><invoice/>', uploads.XML),
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", "application/x-msdownload"),
        (b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 60, "application/x-executable"),
        (b"\x1f\x8b\x08\x00\x00\x00\x00\x00", "application/gzip"),
        (b"\x00\x01\x02\x03binary", None),
        (b"\xff\xfe\xfd not utf-8", None),
        (b"", None),
        (b"   \n", None),
    ],
)
def test_sniff_reads_the_bytes(data, expected):
    assert uploads.sniff(data[: uploads.HEAD_BYTES]) == expected


def test_the_name_does_not_change_what_the_bytes_are():
    png = image("PNG")
    assert uploads.declared_type(name="releve.pdf") == uploads.PDF
    assert uploads.sniff(png) == uploads.PNG  # a PNG named .pdf is a PNG
    assert uploads.sniff(b"<html><script>x()</script>") == uploads.HTML  # whatever its name says


def test_a_head_cut_inside_a_character_is_still_text():
    text = ("é" * uploads.HEAD_BYTES).encode()  # two bytes each: the head ends mid-character
    head = text[: uploads.HEAD_BYTES - 1]
    assert uploads.sniff(head) == uploads.TEXT
    assert uploads.sniff(text) == uploads.TEXT  # only the first HEAD_BYTES are read


def test_declared_type_from_the_name_then_the_content_type():
    assert uploads.declared_type(name="Bail.DOCX") == uploads.DOCX
    assert uploads.declared_type(name="scan.jpeg", content_type="application/pdf") == uploads.JPEG
    assert uploads.declared_type(name="photo", content_type="image/png; charset=binary") == uploads.PNG
    assert uploads.declared_type(name="archive.tar.gz") is None
    assert uploads.declared_type(content_type="application/x-unknown") is None
    assert uploads.declared_type() is None
