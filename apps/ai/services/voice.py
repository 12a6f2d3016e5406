"""« AFI », the voice assistant: a recording is checked (format, size, duration: ffmpeg),
converted to 16 kHz WAV, transcribed by the Whisper-compatible API, answered by the same turn
as a written question, and the answer spoken (espeak-ng locally, or the OpenAI-compatible
speech API when configured). Outside calls run with no transaction open."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from django.conf import settings

from ..errors import AudioRefused, EmptyMessage, VoiceUnavailable
from ..nlu import slots
from ..providers.base import BadAudio, SpeechUnavailable
from ..providers.speech import check_upload, stt_client, to_wav, tts_client
from .assistant import Reply, ask, thread_for


@dataclass
class VoiceReply:
    reply: Reply
    transcript: str
    audio: bytes | None
    audio_type: str | None

    @property
    def audio_base64(self) -> str | None:
        return base64.b64encode(self.audio).decode() if self.audio else None


def ask_voice(*, actor, thread=None, audio: bytes, filename: str = "audio", speak: bool = True) -> VoiceReply:
    if thread is not None:
        thread = thread_for(actor, thread)  # another's thread: refused before any outside call
    client = stt_client()
    if client is None:
        raise VoiceUnavailable()
    try:
        check_upload(audio, max_bytes=settings.AI_AUDIO_MAX_BYTES, max_seconds=settings.AI_AUDIO_MAX_SECONDS)
        wav = to_wav(audio, max_seconds=settings.AI_AUDIO_MAX_SECONDS)
    except BadAudio as exc:
        raise AudioRefused(field="audio", reason=exc.reason) from None
    except SpeechUnavailable:
        raise VoiceUnavailable() from None
    language = (thread.language if thread is not None else None) or None
    try:
        transcript = client.transcribe(wav, filename="question.wav", language=language).strip()
    except BadAudio as exc:
        raise AudioRefused(field="audio", reason=exc.reason) from None
    except SpeechUnavailable:
        raise VoiceUnavailable() from None
    if not transcript:
        raise EmptyMessage(field="audio")
    reply = ask(actor=actor, thread=thread, text=transcript[: settings.AI_MAX_MESSAGE_CHARS], voice=True)
    sound, kind = None, None
    if speak:
        try:
            sound, kind = tts_client().synthesize(
                reply.message.text, language=slots.detect_language(transcript)
            )
        except SpeechUnavailable:
            sound, kind = None, None  # the answer stays written
    return VoiceReply(reply=reply, transcript=transcript, audio=sound, audio_type=kind)
