"""HokweAI's settings (docs/ai.md « Settings »). Read by apps.core.conf.assemble before Django
starts: no models here."""

from celery.schedules import crontab

from apps.core.conf import env

BEAT_SCHEDULE: dict = {
    # conversations past their retention erased, prepared actions past their time expired
    "ai.retention": {"task": "ai.retention", "schedule": crontab(hour=3, minute=40)},
}

# --- the LLM: any OpenAI-compatible chat-completions server (a hosted model, vLLM, Ollama).
# Empty base URL: no LLM, the offline assistant answers (the embedded default).
AI_LLM_BASE_URL = env.str("AI_LLM_BASE_URL", default="")
AI_LLM_MODEL = env.str("AI_LLM_MODEL", default="")
AI_LLM_API_KEY = env.str("AI_LLM_API_KEY", default="")
AI_LLM_TIMEOUT_SECONDS = env.float("AI_LLM_TIMEOUT_SECONDS", default=20.0)
AI_LLM_RETRIES = env.int("AI_LLM_RETRIES", default=1)  # a 5xx or a timeout is tried once more
AI_LLM_MAX_TOOL_ROUNDS = env.int("AI_LLM_MAX_TOOL_ROUNDS", default=4)
# Tokens (prompt + completion) one user may spend a day on the LLM (Redis, per UTC day);
# past it, the offline assistant answers.
AI_DAILY_TOKEN_BUDGET = env.int("AI_DAILY_TOKEN_BUDGET", default=30_000)

# --- messages and the rate limit ---
AI_MAX_MESSAGE_CHARS = env.int("AI_MAX_MESSAGE_CHARS", default=2_000)
AI_MESSAGES_PER_MINUTE = env.int("AI_MESSAGES_PER_MINUTE", default=12)
# Conversations are erased this many days after their last message (and with the user's data).
AI_RETENTION_DAYS = env.int("AI_RETENTION_DAYS", default=180)
# An action the assistant prepared (money or a commitment) waits this long for the user's
# confirmation with the step-up code.
AI_ACTION_TTL_MINUTES = env.int("AI_ACTION_TTL_MINUTES", default=15)

# --- voice « AFI »: speech-to-text through a Whisper-compatible API (POST
# /v1/audio/transcriptions); text-to-speech with espeak-ng locally, or an OpenAI-compatible
# speech API (POST /v1/audio/speech) when AI_TTS_BASE_URL is set.
AI_STT_BASE_URL = env.str("AI_STT_BASE_URL", default="")
AI_STT_API_KEY = env.str("AI_STT_API_KEY", default="")
AI_STT_MODEL = env.str("AI_STT_MODEL", default="whisper-1")
AI_TTS_BASE_URL = env.str("AI_TTS_BASE_URL", default="")
AI_TTS_API_KEY = env.str("AI_TTS_API_KEY", default="")
AI_TTS_MODEL = env.str("AI_TTS_MODEL", default="tts-1")
AI_TTS_VOICE = env.str("AI_TTS_VOICE", default="alloy")
AI_ESPEAK_BINARY = env.str("AI_ESPEAK_BINARY", default="espeak-ng")
AI_FFMPEG_BINARY = env.str("AI_FFMPEG_BINARY", default="ffmpeg")
AI_SPEECH_TIMEOUT_SECONDS = env.float("AI_SPEECH_TIMEOUT_SECONDS", default=30.0)
AI_AUDIO_MAX_BYTES = env.int("AI_AUDIO_MAX_BYTES", default=5 * 1024 * 1024)
AI_AUDIO_MAX_SECONDS = env.int("AI_AUDIO_MAX_SECONDS", default=120)

THROTTLE_RATES = {"ai.messages": f"{AI_MESSAGES_PER_MINUTE}/min"}


def production_problems(settings: dict) -> list[str]:
    return []
