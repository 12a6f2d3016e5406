"""Voice « AFI »: speech-to-text, text-to-speech and the checks of an uploaded recording
(docs/ai.md « Settings »).

    WhisperCompatibleSTT(...).transcribe(audio, filename=, language=) -> text
        POST {base_url}/audio/transcriptions, multipart: file, model, language?,
        response_format=json  ->  {"text": "…"}
    OpenAISpeechTTS(...).synthesize(text, language=) -> (mp3 bytes, "audio/mpeg")
        POST {base_url}/audio/speech {"model", "input", "voice", "response_format": "mp3"}
    EspeakTTS(binary).synthesize(text, language=) -> (wav bytes, "audio/wav")
        espeak-ng -v fr|en --stdin --stdout, the text on stdin (never on the command line)
    probe(audio) -> AudioInfo(format, duration_seconds)       ffmpeg, or BadAudio
    to_wav(audio) -> 16 kHz mono 16-bit PCM WAV               ffmpeg, or BadAudio
    check_upload(audio, max_bytes=, max_seconds=) -> AudioInfo   or BadAudio(reason)

Accepted recordings: ogg (opus, vorbis), wav, m4a/mp4 (aac), webm, mp3. The format is
recognised from the file's first bytes and ffmpeg is made to read it with that demuxer only
(`-f`) and the "file" protocol only: a playlist or a concat script posing as audio is never
followed to another file or URL. A file recognised but unreadable is "corrupt"; a duration
the container does not state (browsers' MediaRecorder webm) is measured by decoding.

ffmpeg and espeak-ng run as subprocesses with a list of arguments (no shell) and a timeout
(AI_SPEECH_TIMEOUT_SECONDS), on files of our own temporary directory; a missing binary or a
timeout is `SpeechUnavailable`.
"""

from __future__ import annotations

import re
import subprocess  # nosec B404 -- ffmpeg/espeak-ng with fixed arguments, no shell
import tempfile
from pathlib import Path

import httpx
from django.conf import settings

from apps.core.http import http_client

from .base import AudioInfo, BadAudio, SpeechUnavailable

__all__ = [
    "AUDIO_FORMATS",
    "EspeakTTS",
    "OpenAISpeechTTS",
    "WhisperCompatibleSTT",
    "check_upload",
    "probe",
    "sniff_format",
    "stt_client",
    "to_wav",
    "tts_client",
]

# our format name -> (ffmpeg's demuxer, MIME type sent to the transcription API)
AUDIO_FORMATS = {
    "ogg": ("ogg", "audio/ogg"),
    "wav": ("wav", "audio/wav"),
    "mp4": ("mov", "audio/mp4"),
    "webm": ("matroska", "audio/webm"),
    "mp3": ("mp3", "audio/mpeg"),
}
MAX_TTS_BYTES = 20 * 1024 * 1024
_DURATION = re.compile(r"Duration: (N/A|(\d+):(\d{2}):(\d{2}(?:\.\d+)?))")
_TIME = re.compile(r"time=(\d+):(\d{2}):(\d{2}(?:\.\d+)?)")
_INPUT = re.compile(r"^Input #0, ", re.MULTILINE)
_AUDIO_STREAM = re.compile(r"^\s*Stream #0:\d+.*: Audio: ", re.MULTILINE)


# --- speech-to-text ---


class WhisperCompatibleSTT:
    """OpenAI's transcription API, as Whisper servers (faster-whisper-server, whisper.cpp's
    server, LocalAI, vLLM) expose it. base_url includes /v1."""

    def __init__(self, base_url: str, api_key: str = "", model: str = "whisper-1", timeout: float = 30.0):
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.model = model
        self.timeout = timeout

    def transcribe(self, audio: bytes, *, filename: str, language: str | None) -> str:
        data = {"model": self.model, "response_format": "json"}
        language = _iso639_1(language)
        if language:
            data["language"] = language
        fmt = sniff_format(audio)
        mime = AUDIO_FORMATS[fmt][1] if fmt else "application/octet-stream"
        with _speech_client("stt", self.base_url, self.api_key, self.timeout) as http:
            response = _post(
                http, "/audio/transcriptions", data=data, files={"file": (filename, audio, mime)}
            )
        if response.status_code == 413:
            raise BadAudio("too_big", "refused by the transcription service")
        if response.status_code == 415:
            raise BadAudio("format", "refused by the transcription service")
        _raise_for_status(response)
        try:
            text = response.json()["text"]
        except (ValueError, KeyError, TypeError):
            raise SpeechUnavailable(f"not a transcription: {response.text[:200]!r}") from None
        if not isinstance(text, str):
            raise SpeechUnavailable("the transcription's text is not a string")
        return text.strip()


# --- text-to-speech ---


class OpenAISpeechTTS:
    """OpenAI's speech API (and the servers copying it: openedai-speech, Kokoro-FastAPI,
    LocalAI). base_url includes /v1. The voice is the server's; `language` is the text's."""

    def __init__(
        self,
        base_url: str,
        api_key: str = "",
        model: str = "tts-1",
        voice: str = "alloy",
        timeout: float = 30.0,
    ):
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.model = model
        self.voice = voice
        self.timeout = timeout

    def synthesize(self, text: str, *, language: str) -> tuple[bytes, str]:
        body = {"model": self.model, "input": text, "voice": self.voice, "response_format": "mp3"}
        with _speech_client("tts", self.base_url, self.api_key, self.timeout) as http:
            response = _post(http, "/audio/speech", json=body)
        _raise_for_status(response)
        if not response.content:
            raise SpeechUnavailable("the speech service answered no audio")
        if len(response.content) > MAX_TTS_BYTES:
            raise SpeechUnavailable("the speech service answered too much audio")
        if response.headers.get("content-type", "").startswith(("application/json", "text/")):
            raise SpeechUnavailable(f"the speech service answered no audio: {response.text[:200]!r}")
        return response.content, "audio/mpeg"


class EspeakTTS:
    """espeak-ng on this machine (Debian's package; scripts/setup.d/38-espeak.sh, the
    Dockerfile): a robotic but offline voice, French or English."""

    def __init__(self, binary: str = "espeak-ng", *, timeout: float = 30.0):
        self.binary = binary
        self.timeout = timeout

    def synthesize(self, text: str, *, language: str) -> tuple[bytes, str]:
        voice = "en" if _iso639_1(language) == "en" else "fr"
        # control characters are dropped; no -m: "<" is read as text, never as SSML
        clean = "".join(c if c.isprintable() or c in "\n\t" else " " for c in text)
        result = _run(
            [self.binary, "-v", voice, "--stdin", "--stdout"], self.timeout, stdin=clean.encode("utf-8")
        )
        if result.returncode != 0 or not result.stdout.startswith(b"RIFF"):
            raise SpeechUnavailable(f"espeak-ng failed: {result.stderr.decode('utf-8', 'replace')[-300:]}")
        return result.stdout, "audio/wav"


# --- the recording's checks ---


def sniff_format(audio: bytes) -> str:
    """The format of `audio` from its first bytes ("" when none we accept)."""
    head = audio[:12]
    if head.startswith(b"OggS"):
        return "ogg"
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return "wav"
    if head[4:8] == b"ftyp":
        return "mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "webm"
    if head.startswith(b"ID3"):
        return "mp3"
    # an MPEG audio frame: 11 sync bits, then a layer that is not "reserved" (ADTS AAC's is 00)
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0 and head[1] & 0x06:
        return "mp3"
    return ""


def probe(audio: bytes) -> AudioInfo:
    """The format and duration of a recording; BadAudio("empty" | "format" | "corrupt")."""
    if not audio:
        raise BadAudio("empty")
    fmt = sniff_format(audio)
    if not fmt:
        raise BadAudio("format", f"unknown header {audio[:12]!r}")
    with tempfile.TemporaryDirectory(prefix="hokwe-ai-") as tmp:
        source = _write(Path(tmp), audio)
        result = _ffmpeg([*_input(fmt, source)])
        stderr = result.stderr.decode("utf-8", "replace")
        if not _INPUT.search(stderr):
            raise BadAudio("corrupt", stderr)
        if not _AUDIO_STREAM.search(stderr):
            raise BadAudio("format", "no audio stream")
        duration = _duration(stderr)
        if duration is None:
            # no duration in the container: decode everything and read the last time=
            result = _ffmpeg([*_input(fmt, source), "-map", "0:a:0", "-f", "null", "-"])
            stderr = result.stderr.decode("utf-8", "replace")
            times = _TIME.findall(stderr)
            if result.returncode != 0 or not times:
                raise BadAudio("corrupt", stderr)
            duration = _seconds(*times[-1])
    return AudioInfo(format=fmt, duration_seconds=duration)


def to_wav(audio: bytes, *, max_seconds: float | None = None) -> bytes:
    """The recording as a 16 kHz mono 16-bit PCM WAV (what speech recognisers prefer), cut at
    `max_seconds` when given; BadAudio("empty" | "format" | "corrupt")."""
    if not audio:
        raise BadAudio("empty")
    fmt = sniff_format(audio)
    if not fmt:
        raise BadAudio("format", f"unknown header {audio[:12]!r}")
    with tempfile.TemporaryDirectory(prefix="hokwe-ai-") as tmp:
        source = _write(Path(tmp), audio)
        target = Path(tmp) / "out.wav"
        limit = ["-t", f"{max_seconds:.3f}"] if max_seconds else []
        result = _ffmpeg(
            [
                *_input(fmt, source),
                *limit,
                "-map", "0:a:0",
                "-vn",
                "-ac", "1",
                "-ar", "16000",
                "-c:a", "pcm_s16le",
                "-f", "wav",
                str(target),
            ]
        )  # fmt: skip
        if result.returncode != 0 or not target.exists() or target.stat().st_size <= 44:
            raise BadAudio("corrupt", result.stderr.decode("utf-8", "replace"))
        return target.read_bytes()


def check_upload(audio: bytes, *, max_bytes: int, max_seconds: float) -> AudioInfo:
    """BadAudio("empty" | "too_big" | "format" | "corrupt" | "too_long"), else what it is."""
    if not audio:
        raise BadAudio("empty")
    if len(audio) > max_bytes:
        raise BadAudio("too_big", f"{len(audio)} bytes > {max_bytes}")
    info = probe(audio)
    if info.duration_seconds <= 0:
        raise BadAudio("empty", "no sound")
    if info.duration_seconds > max_seconds:
        raise BadAudio("too_long", f"{info.duration_seconds:.1f} s > {max_seconds}")
    return info


# --- factories ---


def stt_client() -> WhisperCompatibleSTT | None:
    """Speech-to-text of the settings (AI_STT_*), or None when AI_STT_BASE_URL is empty."""
    if not settings.AI_STT_BASE_URL:
        return None
    return WhisperCompatibleSTT(
        settings.AI_STT_BASE_URL,
        settings.AI_STT_API_KEY,
        settings.AI_STT_MODEL,
        timeout=settings.AI_SPEECH_TIMEOUT_SECONDS,
    )


def tts_client() -> OpenAISpeechTTS | EspeakTTS:
    """The speech API when AI_TTS_BASE_URL is set, else espeak-ng (AI_ESPEAK_BINARY)."""
    if settings.AI_TTS_BASE_URL:
        return OpenAISpeechTTS(
            settings.AI_TTS_BASE_URL,
            settings.AI_TTS_API_KEY,
            settings.AI_TTS_MODEL,
            settings.AI_TTS_VOICE,
            timeout=settings.AI_SPEECH_TIMEOUT_SECONDS,
        )
    return EspeakTTS(settings.AI_ESPEAK_BINARY, timeout=settings.AI_SPEECH_TIMEOUT_SECONDS)


# --- helpers ---


def _iso639_1(language: str | None) -> str:
    """ "fr-CI", "fr_FR", "FR" -> "fr"; None or "" -> ""."""
    if not language:
        return ""
    return re.split(r"[-_]", language.strip(), maxsplit=1)[0].lower()[:3]


def _speech_client(service: str, base_url: str, api_key: str, timeout: float) -> httpx.Client:
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    return http_client(service=service, base_url=base_url, timeout=timeout, headers=headers)


def _post(http: httpx.Client, path: str, **kwargs) -> httpx.Response:
    try:
        return http.post(path, **kwargs)
    except httpx.TimeoutException as exc:
        raise SpeechUnavailable(f"timeout: {exc!r}") from None
    except httpx.HTTPError as exc:
        raise SpeechUnavailable(f"connection: {exc!r}") from None


def _raise_for_status(response: httpx.Response) -> None:
    if response.status_code >= 300:
        raise SpeechUnavailable(
            f"HTTP {response.status_code}: {response.text[:300]}", status=response.status_code
        )


def _run(args: list[str], timeout: float, *, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(  # noqa: S603  # nosec B603 -- a fixed program and our own temporary paths
            args, input=stdin, capture_output=True, timeout=timeout, check=False
        )
    except FileNotFoundError:
        raise SpeechUnavailable(f"{args[0]} is not installed") from None
    except subprocess.TimeoutExpired:
        raise SpeechUnavailable(f"{args[0]} took more than {timeout} s") from None


def _ffmpeg(args: list[str]) -> subprocess.CompletedProcess:
    return _run(
        [settings.AI_FFMPEG_BINARY, "-hide_banner", "-nostdin", "-y", *args],
        settings.AI_SPEECH_TIMEOUT_SECONDS,
        stdin=b"",
    )


def _input(fmt: str, source: Path) -> list[str]:
    return ["-protocol_whitelist", "file", "-f", AUDIO_FORMATS[fmt][0], "-i", str(source)]


def _write(tmp: Path, audio: bytes) -> Path:
    source = tmp / "in.audio"
    source.write_bytes(audio)
    return source


def _seconds(hours: str, minutes: str, seconds: str) -> float:
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def _duration(stderr: str) -> float | None:
    match = _DURATION.search(stderr)
    if match is None or match.group(1) == "N/A":
        return None
    return _seconds(match.group(2), match.group(3), match.group(4))
