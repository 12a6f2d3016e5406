"""A creator's video turned into a web format with Debian's ffmpeg (docs/ads.md, "CreatorStudio").

    probe(path) -> Probe(duration_ms, width, height, has_audio)   ffprobe's JSON, or TranscodeFailed
    transcode(path, out_dir) -> (web.mp4 path, poster.jpg path)   or TranscodeFailed(reason)

The web version: H.264 (yuv420p, CRF 26) + AAC (128 kb/s, when the source has sound) in MP4
with `-movflags +faststart` (the index first: plays while it downloads), the longest side at
most ADS_CREATOR_VIDEO_MAX_SIDE px (never enlarged, even dimensions as H.264 wants). The
poster: one JPEG frame (at 1 s, or the first frame of a shorter video), same size.

ffmpeg runs as a subprocess with a list of arguments (no shell), a timeout, and on files of
our own temporary directory: the bytes come from and go back to the storage layer in
services/creators.py (deliverable_transcode), never under a database lock.
"""

from __future__ import annotations

import json
import subprocess  # nosec B404 -- ffmpeg/ffprobe with fixed arguments, no shell
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

__all__ = ["Probe", "TranscodeFailed", "probe", "transcode"]


class TranscodeFailed(Exception):
    """The video could not be read or converted. `reason` is a code (deliverables' `failure`):
    unreadable, too_long, no_video, ffmpeg_missing, timeout, ffmpeg_error."""

    def __init__(self, reason: str, detail: str = ""):
        self.reason = reason
        self.detail = detail[-500:]
        super().__init__(f"{reason}: {self.detail}")


@dataclass(frozen=True)
class Probe:
    duration_ms: int
    width: int
    height: int
    has_audio: bool


def _run(args: list[str]) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(  # noqa: S603  # nosec B603 -- a fixed program and our own temporary paths
            args, capture_output=True, timeout=settings.ADS_FFMPEG_TIMEOUT_SECONDS, check=False
        )
    except FileNotFoundError:
        raise TranscodeFailed("ffmpeg_missing", args[0]) from None
    except subprocess.TimeoutExpired:
        raise TranscodeFailed("timeout", args[0]) from None


def probe(path: Path) -> Probe:
    result = _run(
        [
            settings.ADS_FFPROBE_PATH,
            "-v", "error",
            "-print_format", "json",
            "-show_format",
            "-show_streams",
            str(path),
        ]
    )  # fmt: skip
    if result.returncode != 0:
        raise TranscodeFailed("unreadable", result.stderr.decode("utf-8", "replace"))
    try:
        info = json.loads(result.stdout or b"{}")
    except ValueError:
        raise TranscodeFailed("unreadable", "ffprobe's output") from None
    streams = info.get("streams") or []
    video = next((s for s in streams if s.get("codec_type") == "video"), None)
    if video is None:
        raise TranscodeFailed("no_video")
    try:
        duration = float((info.get("format") or {}).get("duration") or video.get("duration") or 0)
    except (TypeError, ValueError):
        duration = 0.0
    return Probe(
        duration_ms=max(0, round(duration * 1000)),
        width=int(video.get("width") or 0),
        height=int(video.get("height") or 0),
        has_audio=any(s.get("codec_type") == "audio" for s in streams),
    )


def _scale_filter() -> str:
    side = int(settings.ADS_CREATOR_VIDEO_MAX_SIDE)
    # the longest side at most `side`, never enlarged; both dimensions even (yuv420p)
    return (
        f"scale='if(gte(iw,ih),min({side},iw),-2)':'if(gte(iw,ih),-2,min({side},ih))',"
        "scale=trunc(iw/2)*2:trunc(ih/2)*2"
    )


def transcode(source: Path, out_dir: Path) -> tuple[Path, Path, Probe]:
    """Convert `source` into out_dir/web.mp4 and out_dir/poster.jpg. TranscodeFailed otherwise
    (too long: above ADS_CREATOR_VIDEO_MAX_SECONDS)."""
    info = probe(source)
    if info.duration_ms > settings.ADS_CREATOR_VIDEO_MAX_SECONDS * 1000:
        raise TranscodeFailed("too_long", f"{info.duration_ms} ms")
    web, poster = out_dir / "web.mp4", out_dir / "poster.jpg"
    audio = ["-c:a", "aac", "-b:a", "128k", "-ac", "2"] if info.has_audio else ["-an"]
    result = _run(
        [
            settings.ADS_FFMPEG_PATH,
            "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
            "-i", str(source),
            "-map", "0:v:0", *(["-map", "0:a:0"] if info.has_audio else []),
            "-vf", _scale_filter(),
            "-c:v", "libx264", "-preset", "veryfast", "-crf", "26", "-pix_fmt", "yuv420p",
            "-profile:v", "main",
            *audio,
            "-movflags", "+faststart",
            "-map_metadata", "-1",
            str(web),
        ]
    )  # fmt: skip
    if result.returncode != 0 or not web.exists() or web.stat().st_size == 0:
        raise TranscodeFailed("ffmpeg_error", result.stderr.decode("utf-8", "replace"))
    at = "1" if info.duration_ms > 1500 else "0"
    result = _run(
        [
            settings.ADS_FFMPEG_PATH,
            "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
            "-ss", at, "-i", str(web),
            "-frames:v", "1", "-q:v", "3",
            str(poster),
        ]
    )  # fmt: skip
    if result.returncode != 0 or not poster.exists() or poster.stat().st_size == 0:
        raise TranscodeFailed("ffmpeg_error", result.stderr.decode("utf-8", "replace"))
    return web, poster, info
