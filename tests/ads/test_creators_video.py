"""A creator's video, for real: a tiny clip made by ffmpeg itself (lavfi's test pattern and a
sine tone), uploaded, transcoded by the task (H.264 + AAC MP4 with the index first, at most
ADS_CREATOR_VIDEO_MAX_SIDE px, a JPEG poster) through the storage layer, checked with
ffprobe; a video too long or unreadable is marked failed (never a 500); and ffmpeg is in the
test command's setup and in the image's runtime stage."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.ads.models import Deliverable
from apps.ads.services import creators
from tests.fixtures.ads import creators_job, creators_world

ROOT = Path(__file__).resolve().parents[2]
FFMPEG = shutil.which("ffmpeg")

needs_ffmpeg = pytest.mark.skipif(
    FFMPEG is None, reason="ffmpeg missing: scripts/setup.d/37-ffmpeg.sh installs it"
)


def _clip(tmp_path, *, size="640x360", seconds=1, ext="mov", audio=True) -> bytes:
    out = tmp_path / f"clip.{ext}"
    args = [
        FFMPEG,
        "-v",
        "error",
        "-y",
        "-f",
        "lavfi",
        "-i",
        f"testsrc=size={size}:rate=10",
        "-t",
        str(seconds),
    ]
    if audio:
        args += ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=8000", "-t", str(seconds), "-shortest"]
    if ext == "webm":
        args += ["-c:v", "libvpx", *(["-c:a", "libvorbis"] if audio else [])]
    args.append(str(out))
    subprocess.run(args, check=True, capture_output=True, timeout=60)
    return out.read_bytes()


def _probe(name: str) -> dict:
    with default_storage.open(name, "rb") as fh:
        data = fh.read()
    result = subprocess.run(
        ["ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams", "-i", "pipe:0"],
        input=data,
        capture_output=True,
        check=True,
        timeout=60,
    )
    return {"info": json.loads(result.stdout), "data": data}


def _taken(world):
    job = creators_job(world, kind="video")
    creators.job_take(actor=world.creator_user, job=job.public_id)
    return job


@needs_ffmpeg
@pytest.mark.django_db
def test_a_video_is_transcoded_to_web_mp4_with_a_poster(
    tmp_path, django_capture_on_commit_callbacks, settings
):
    settings.ADS_CREATOR_VIDEO_MAX_SIDE = 320
    world = creators_world()
    job = _taken(world)
    with django_capture_on_commit_callbacks(execute=True):
        item = creators.deliverable_upload(
            actor=world.creator_user,
            job=job.public_id,
            upload=SimpleUploadedFile("clip.mov", _clip(tmp_path)),
        )
        assert item.status == "processing" and item.content_type == "video/quicktime"
    item.refresh_from_db()
    assert item.status == "ready", item.failure
    assert item.duration_ms and 900 <= item.duration_ms <= 1500
    probed = _probe(item.web.name)
    streams = {s["codec_type"]: s for s in probed["info"]["streams"]}
    assert streams["video"]["codec_name"] == "h264" and streams["audio"]["codec_name"] == "aac"
    assert (streams["video"]["width"], streams["video"]["height"]) == (320, 180)
    assert "mp4" in probed["info"]["format"]["format_name"]
    data = probed["data"]
    assert data.index(b"moov") < data.index(b"mdat")  # +faststart: the index first
    with default_storage.open(item.poster.name, "rb") as fh:
        assert fh.read(3) == b"\xff\xd8\xff"  # a JPEG
    # the original is kept as sent; the job can be delivered now
    assert default_storage.exists(item.original.name)
    creators.job_deliver(actor=world.creator_user, job=job.public_id)


@needs_ffmpeg
@pytest.mark.django_db
def test_a_webm_without_sound_and_a_small_one_is_never_enlarged(tmp_path, django_capture_on_commit_callbacks):
    world = creators_world()
    job = _taken(world)
    with django_capture_on_commit_callbacks(execute=True):
        item = creators.deliverable_upload(
            actor=world.creator_user,
            job=job.public_id,
            upload=SimpleUploadedFile("v.webm", _clip(tmp_path, size="320x240", ext="webm", audio=False)),
        )
    item.refresh_from_db()
    assert item.status == "ready", item.failure
    streams = _probe(item.web.name)["info"]["streams"]
    assert [s["codec_type"] for s in streams] == ["video"]
    assert (streams[0]["width"], streams[0]["height"]) == (320, 240)


@needs_ffmpeg
@pytest.mark.django_db
def test_too_long_or_unreadable_is_recorded_as_failed(tmp_path, django_capture_on_commit_callbacks, settings):
    settings.ADS_CREATOR_VIDEO_MAX_SECONDS = 1
    world = creators_world()
    job = _taken(world)
    with django_capture_on_commit_callbacks(execute=True):
        long = creators.deliverable_upload(
            actor=world.creator_user,
            job=job.public_id,
            upload=SimpleUploadedFile("long.mov", _clip(tmp_path, seconds=3, audio=False)),
        )
    long.refresh_from_db()
    assert (long.status, long.failure) == ("failed", "too_long")
    assert creators.failure_label(long.failure) == "La vidéo est trop longue."
    # a file that starts like an MP4 but is not one
    broken = _clip(tmp_path, size="160x120", ext="mp4", audio=False)[:600]
    with django_capture_on_commit_callbacks(execute=True):
        bad = creators.deliverable_upload(
            actor=world.creator_user, job=job.public_id, upload=SimpleUploadedFile("b.mp4", broken)
        )
    bad.refresh_from_db()
    assert bad.status == "failed" and bad.failure in {"unreadable", "ffmpeg_error", "no_video"}
    assert not bad.web.name
    # nothing ready: the job cannot be delivered yet
    from apps.ads.errors import InvalidDeliverable

    with pytest.raises(InvalidDeliverable):
        creators.job_deliver(actor=world.creator_user, job=job.public_id)


@pytest.mark.django_db
def test_a_missing_ffmpeg_is_a_recorded_failure(tmp_path, settings, django_capture_on_commit_callbacks):
    if FFMPEG is None:
        pytest.skip("ffmpeg missing")
    world = creators_world()
    job = _taken(world)
    data = _clip(tmp_path, size="160x120", audio=False)
    settings.ADS_FFPROBE_PATH = str(tmp_path / "no-such-ffprobe")
    with django_capture_on_commit_callbacks(execute=True):
        item = creators.deliverable_upload(
            actor=world.creator_user, job=job.public_id, upload=SimpleUploadedFile("c.mov", data)
        )
    item.refresh_from_db()
    assert (item.status, item.failure) == ("failed", "ffmpeg_missing")
    assert Deliverable.objects.filter(status="processing").count() == 0


def test_ffmpeg_is_installed_by_the_test_command_and_in_the_runtime_image():
    script = (ROOT / "scripts" / "setup.d" / "37-ffmpeg.sh").read_text()
    assert "apt_install ffmpeg" in script
    dockerfile = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    runtime = dockerfile.split("AS runtime", 1)[1]
    packages = re.search(r"apt-get install -y --no-install-recommends ([^&]+)", runtime).group(1).split()
    assert "ffmpeg" in packages
    build = dockerfile.split("AS runtime", 1)[0]
    assert "ffmpeg" not in build  # only the runtime transcodes
