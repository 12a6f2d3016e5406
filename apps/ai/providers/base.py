"""HokweAI's outside systems: what they return, how they fail, and the protocols the rest of
the module codes against (docs/ai.md).

The LLM (providers/llm.py) and the speech services (providers/speech.py) raise only the
exceptions below; callers fall back to the offline assistant on `LLMUnavailable` /
`LLMMalformed`, and answer the user with a translated message on `BadAudio`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

__all__ = [
    "BAD_AUDIO_REASONS",
    "AudioInfo",
    "BadAudio",
    "Completion",
    "LLMClient",
    "LLMError",
    "LLMMalformed",
    "LLMUnavailable",
    "SpeechError",
    "SpeechToText",
    "SpeechUnavailable",
    "TextToSpeech",
    "ToolCallRequest",
]


# --- errors ---


class LLMError(Exception):
    """Any failure of the LLM (the base of the two below)."""


class LLMUnavailable(LLMError):
    """No usable answer: a timeout, a connection error, a 5xx, a 429 (`retry_after` seconds
    when the server said), or a refusal of the request (`status`, e.g. 401 for a wrong key)."""

    def __init__(self, message: str = "", *, status: int | None = None, retry_after: float | None = None):
        self.status = status
        self.retry_after = retry_after
        super().__init__(message or "the LLM is unavailable")


class LLMMalformed(LLMError):
    """An answer that is not the documented JSON: unreadable body, missing choices, a tool
    call whose arguments are not a JSON object, or an SSE stream that breaks."""


class SpeechError(Exception):
    """Any failure of speech-to-text, text-to-speech or the audio checks."""


class SpeechUnavailable(SpeechError):
    """The speech service or tool cannot answer: a timeout, a connection error, an HTTP error,
    a missing binary (espeak-ng, ffmpeg)."""

    def __init__(self, message: str = "", *, status: int | None = None):
        self.status = status
        super().__init__(message or "the speech service is unavailable")


BAD_AUDIO_REASONS = ("format", "corrupt", "too_long", "too_big", "empty")


class BadAudio(SpeechError):
    """The user's audio is refused. `reason` is one of BAD_AUDIO_REASONS: "format" (not ogg/opus,
    wav, m4a/mp4, webm or mp3), "corrupt" (ffmpeg cannot read it), "too_long", "too_big",
    "empty"."""

    def __init__(self, reason: str, detail: str = ""):
        if reason not in BAD_AUDIO_REASONS:
            raise ValueError(f"unknown BadAudio reason {reason!r}")
        self.reason = reason
        self.detail = detail[-500:]
        super().__init__(f"{reason}: {self.detail}" if self.detail else reason)


# --- values ---


@dataclass(frozen=True)
class ToolCallRequest:
    """A function the model asks us to call: `id` is echoed back in the "tool" message."""

    id: str
    name: str
    arguments: dict


@dataclass(frozen=True)
class Completion:
    """One answer of the model. `text` is "" when it only calls tools; `tokens` is the usage's
    total (prompt + completion) that the daily budget counts; `finish_reason` as the server
    said it ("stop", "length", "tool_calls"…, "" when it did not)."""

    text: str
    tool_calls: tuple[ToolCallRequest, ...]
    tokens: int
    finish_reason: str


@dataclass(frozen=True)
class AudioInfo:
    """What ffmpeg found in an upload: `format` one of "ogg", "wav", "mp4", "webm", "mp3"."""

    format: str
    duration_seconds: float


# --- protocols ---


class LLMClient(Protocol):
    def complete(
        self,
        messages: list[dict],
        tools: list[dict] | None = None,
        *,
        max_tokens: int = 600,
        temperature: float = 0.2,
    ) -> Completion: ...

    def stream(
        self,
        messages: list[dict],
        tools: list[dict] | None = None,
        *,
        max_tokens: int = 600,
        temperature: float = 0.2,
    ) -> Iterator[tuple[str, object]]: ...


class SpeechToText(Protocol):
    def transcribe(self, audio: bytes, *, filename: str, language: str | None) -> str: ...


class TextToSpeech(Protocol):
    def synthesize(self, text: str, *, language: str) -> tuple[bytes, str]: ...
