"""Photo processing (services/photos.py): an image checked, resized to three sizes as WebP,
EXIF — GPS included — gone from every stored copy and from the original."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from apps.market.errors import InvalidPhoto
from apps.market.services import photos

GPS_IFD = 0x8825


def _jpeg_with_gps(size=(2400, 1200)) -> bytes:
    image = Image.new("RGB", size, (30, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = 1  # orientation
    exif[GPS_IFD] = {1: "N", 2: (6.0, 21.0, 19.44), 3: "E", 4: (2.0, 21.0, 57.6)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_the_test_photo_really_carries_gps():
    with Image.open(io.BytesIO(_jpeg_with_gps())) as image:
        assert image.getexif().get_ifd(GPS_IFD)


def _has_exif(data: bytes) -> bool:
    with Image.open(io.BytesIO(data)) as image:
        exif = image.getexif()
        return bool(exif) or "exif" in image.info or bool(exif.get_ifd(GPS_IFD))


def test_sizes_webp_and_no_exif_anywhere(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    processed = photos.process(_jpeg_with_gps())
    assert (processed.width, processed.height) == (2400, 1200)
    assert len(processed.phash) == 16 and int(processed.phash, 16) >= 0
    original, sizes = photos.store(processed)
    assert set(sizes) == {"thumb", "medium", "large"}
    expected = {"thumb": 320, "medium": 800, "large": 1600}
    for name, path in sizes.items():
        with default_storage.open(path, "rb") as handle:
            data = handle.read()
        with Image.open(io.BytesIO(data)) as image:
            assert max(image.size) == expected[name]
            assert image.format == ("WEBP" if photos.copy_format()[0] == "WEBP" else "JPEG")
        assert not _has_exif(data), name
    with default_storage.open(original, "rb") as handle:
        data = handle.read()
    assert not _has_exif(data)
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG" and image.size == (2400, 1200)


def test_a_small_photo_is_never_enlarged():
    processed = photos.process(_jpeg_with_gps(size=(300, 200)))
    with Image.open(io.BytesIO(processed.copies["large"][0])) as image:
        assert image.size == (300, 200)


@pytest.mark.parametrize("data", [b"", b"GIF89a not really", b"%PDF-1.7 nothing"])
def test_what_is_not_a_photo_is_refused(data):
    with pytest.raises(InvalidPhoto):
        photos.process(data)


def test_a_photo_above_the_cap_is_refused(settings):
    settings.MARKET_PHOTO_MAX_BYTES = 1000
    with pytest.raises(InvalidPhoto):
        photos.process(_jpeg_with_gps())
