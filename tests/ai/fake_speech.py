"""A local speech server speaking OpenAI's audio API (apps/ai/providers/speech.py), served by
pytest-httpserver under "/speech/v1":

    POST /speech/v1/audio/transcriptions   multipart: file, model, language?, response_format
                                           -> 200 {"text": fake.transcript} ("text": plain)
    POST /speech/v1/audio/speech           JSON {model, input, voice, response_format}
                                           -> 200 fake.audio (audio/mpeg)
    400 {"error": {...}} for what a real server refuses, 401 for a wrong key

Each upload is recorded in `fake.uploads` (Upload: filename, content_type, audio bytes,
model, language, response_format), each synthesis in `fake.syntheses` (the JSON body).

    fake.transcript = "Quel est mon solde ?"     # what the next transcriptions say
    fake.audio = b"ID3…"                         # what /audio/speech answers
    fake.outage("500" | "hang" | "")             # "hang" waits on a threading.Event
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from werkzeug.wrappers import Request, Response

from apps.ai.providers.speech import OpenAISpeechTTS, WhisperCompatibleSTT

from .fake_llm import HANG_LIMIT_SECONDS, error, installed

API_KEY = "sk-test-hokwe-speech"
STT_MODEL = "whisper-1"
TTS_MODEL = "tts-1"
VOICE = "alloy"
FORMATS = {"json", "text", "verbose_json", "srt", "vtt"}
# an MPEG-1 layer III frame header and some padding: what a test's "mp3" looks like
DEFAULT_AUDIO = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x64" + b"\x00" * 400


@dataclass(frozen=True)
class Upload:
    filename: str
    content_type: str
    audio: bytes
    model: str
    language: str | None
    response_format: str


class FakeSpeech:
    def __init__(self, *, api_key: str = API_KEY):
        self.api_key = api_key
        self.prefix = ""
        self.base_url = ""
        self.transcript = "Bonjour Afi, quel est mon solde ?"
        self.audio = DEFAULT_AUDIO
        self.uploads: list[Upload] = []
        self.syntheses: list[dict] = []
        self.mode = ""
        self._released = threading.Event()
        self._released.set()
        self.lock = threading.RLock()

    def install(self, httpserver, prefix: str = "/speech") -> None:
        self.prefix = prefix.rstrip("/")
        self.base_url = httpserver.url_for(self.prefix + "/v1")
        pattern = re.compile("^" + re.escape(self.prefix) + "/.*$")
        httpserver.expect_request(pattern).respond_with_handler(self.handle)

    def outage(self, mode: str) -> None:
        if mode not in ("", "500", "hang"):
            raise ValueError(mode)
        self.mode = mode
        if mode == "hang":
            self._released.clear()
        else:
            self._released.set()

    def release(self) -> None:
        self._released.set()

    def stt(self, *, timeout: float = 2.0) -> WhisperCompatibleSTT:
        return WhisperCompatibleSTT(self.base_url, self.api_key, STT_MODEL, timeout=timeout)

    def tts(self, *, timeout: float = 2.0) -> OpenAISpeechTTS:
        return OpenAISpeechTTS(self.base_url, self.api_key, TTS_MODEL, VOICE, timeout=timeout)

    # --- the API ---

    def handle(self, request: Request) -> Response:
        if self.mode == "hang":
            self._released.wait(HANG_LIMIT_SECONDS)
            return error(504, "gave up", "timeout")
        if self.mode == "500":
            return error(500, "The server had an error while processing your request.", "server_error")
        if request.headers.get("Authorization") != f"Bearer {self.api_key}":
            return error(401, "Incorrect API key provided.", "invalid_api_key")
        path = request.path[len(self.prefix) :]
        if request.method != "POST":
            return error(405, "method not allowed")
        if path == "/v1/audio/transcriptions":
            return self._transcribe(request)
        if path == "/v1/audio/speech":
            return self._speak(request)
        return error(404, f"no route {path}")

    def _transcribe(self, request: Request) -> Response:
        if not request.content_type or not request.content_type.startswith("multipart/form-data"):
            return error(400, "a multipart/form-data body is required")
        upload = request.files.get("file")
        if upload is None:
            return error(400, "file: required")
        audio = upload.read()
        if not audio:
            return error(400, "file: the audio file is empty")
        model = request.form.get("model", "")
        if model != STT_MODEL:
            return error(400, f"model: unknown {model!r}")
        response_format = request.form.get("response_format", "json")
        if response_format not in FORMATS:
            return error(400, f"response_format: unknown {response_format!r}")
        language = request.form.get("language")
        if language is not None and not re.fullmatch(r"[a-z]{2,3}", language):
            return error(400, f"language: ISO-639-1 expected, not {language!r}")
        with self.lock:
            self.uploads.append(
                Upload(
                    upload.filename or "", upload.content_type or "", audio, model, language, response_format
                )
            )
        if response_format == "text":
            return Response(self.transcript, content_type="text/plain")
        return Response(json.dumps({"text": self.transcript}), content_type="application/json")

    def _speak(self, request: Request) -> Response:
        try:
            body = json.loads(request.get_data())
        except ValueError:
            return error(400, "the body is not JSON")
        if not isinstance(body, dict) or body.get("model") != TTS_MODEL:
            return error(400, "model: unknown")
        if not isinstance(body.get("input"), str) or not body["input"] or len(body["input"]) > 4096:
            return error(400, "input: 1 to 4096 characters")
        if not isinstance(body.get("voice"), str) or not body["voice"]:
            return error(400, "voice: required")
        if body.get("response_format", "mp3") not in ("mp3", "opus", "aac", "flac", "wav", "pcm"):
            return error(400, "response_format: unknown")
        with self.lock:
            self.syntheses.append(body)
        return Response(self.audio, content_type="audio/mpeg")


@contextmanager
def serve_speech(httpserver=None, *, prefix: str = "/speech", **kwargs) -> Iterator[FakeSpeech]:
    """A FakeSpeech on `httpserver`, or on a threaded server of its own; released at the end."""
    with installed(FakeSpeech(**kwargs), httpserver, prefix) as fake:
        yield fake
