"""HokweAI's outside systems (docs/ai.md):

    llm_client()  -> OpenAICompatibleLLM, or None without AI_LLM_BASE_URL (offline assistant)
    stt_client()  -> WhisperCompatibleSTT, or None without AI_STT_BASE_URL
    tts_client()  -> OpenAISpeechTTS with AI_TTS_BASE_URL, else EspeakTTS (espeak-ng)
    probe / to_wav / check_upload   an uploaded recording, with ffmpeg

base.py holds the values, the errors and the protocols; llm.py and speech.py document the
APIs they speak.
"""

from __future__ import annotations

from .base import (
    AudioInfo,
    BadAudio,
    Completion,
    LLMClient,
    LLMError,
    LLMMalformed,
    LLMUnavailable,
    SpeechError,
    SpeechToText,
    SpeechUnavailable,
    TextToSpeech,
    ToolCallRequest,
)
from .llm import OpenAICompatibleLLM, llm_client
from .speech import (
    EspeakTTS,
    OpenAISpeechTTS,
    WhisperCompatibleSTT,
    check_upload,
    probe,
    stt_client,
    to_wav,
    tts_client,
)

__all__ = [
    "AudioInfo",
    "BadAudio",
    "Completion",
    "EspeakTTS",
    "LLMClient",
    "LLMError",
    "LLMMalformed",
    "LLMUnavailable",
    "OpenAICompatibleLLM",
    "OpenAISpeechTTS",
    "SpeechError",
    "SpeechToText",
    "SpeechUnavailable",
    "TextToSpeech",
    "ToolCallRequest",
    "WhisperCompatibleSTT",
    "check_upload",
    "llm_client",
    "probe",
    "stt_client",
    "to_wav",
    "tts_client",
]
