"""Voice « AFI »: real audio made by espeak-ng and ffmpeg, checked and converted with ffmpeg,
sent to a local speech server speaking OpenAI's audio API (tests/ai/fake_speech.py)."""

from __future__ import annotations

import io
import shutil
import subprocess  # nosec B404 -- ffmpeg with fixed arguments, to make test audio
import wave

import pytest

from apps.ai.providers.base import AudioInfo, BadAudio, SpeechUnavailable
from apps.ai.providers.speech import (
    EspeakTTS,
    OpenAISpeechTTS,
    WhisperCompatibleSTT,
    check_upload,
    probe,
    sniff_format,
    stt_client,
    to_wav,
    tts_client,
)
from tests.ai.fake_llm import local_server
from tests.ai.fake_speech import API_KEY, STT_MODEL, TTS_MODEL, VOICE, serve_speech

FFMPEG = shutil.which("ffmpeg")
ESPEAK = shutil.which("espeak-ng")
needs_tools = pytest.mark.skipif(
    FFMPEG is None or ESPEAK is None,
    reason="ffmpeg or espeak-ng missing: scripts/setup.d/37-ffmpeg.sh and 38-espeak.sh install them",
)
MAX_BYTES = 5 * 1024 * 1024


@pytest.fixture(scope="module")
def server():
    with local_server() as server:
        yield server


@pytest.fixture
def fake(server):
    with serve_speech(server) as fake:
        yield fake
    server.clear()


@pytest.fixture(scope="module")
def spoken() -> bytes:
    """« Bonjour Afi… » as espeak-ng says it (WAV)."""
    if ESPEAK is None:
        pytest.skip("espeak-ng missing")
    audio, kind = EspeakTTS(ESPEAK).synthesize("Bonjour Afi, quel est le solde de mon bail ?", language="fr")
    assert kind == "audio/wav"
    return audio


def ffmpeg_make(tmp_path, *args: str, name: str) -> bytes:
    out = tmp_path / name
    subprocess.run(  # nosec B603 -- fixed arguments
        [FFMPEG, "-hide_banner", "-nostdin", "-v", "error", "-y", *args, str(out)], check=True, timeout=60
    )
    return out.read_bytes()


def wav_params(audio: bytes) -> tuple[int, int, int, float]:
    with wave.open(io.BytesIO(audio)) as w:
        return w.getnchannels(), w.getframerate(), w.getsampwidth(), w.getnframes() / w.getframerate()


# --- espeak-ng, probe, to_wav, transcription ---


@needs_tools
def test_spoken_audio_is_probed_converted_and_transcribed(fake, spoken):
    info = probe(spoken)
    assert info.format == "wav"
    assert 0.5 < info.duration_seconds < 10

    wav = to_wav(spoken)
    channels, rate, width, seconds = wav_params(wav)
    assert (channels, rate, width) == (1, 16000, 2)
    assert seconds == pytest.approx(info.duration_seconds, abs=0.2)

    fake.transcript = "  Bonjour Afi, quel est le solde de mon bail ?  "
    text = fake.stt().transcribe(wav, filename="question.wav", language="fr-CI")

    assert text == "Bonjour Afi, quel est le solde de mon bail ?"
    [upload] = fake.uploads
    assert upload.model == STT_MODEL
    assert upload.language == "fr"
    assert upload.response_format == "json"
    assert upload.filename == "question.wav"
    assert upload.content_type == "audio/wav"
    assert upload.audio == wav and len(upload.audio) > 44


@needs_tools
def test_english_is_spoken_too():
    audio, kind = EspeakTTS(ESPEAK).synthesize("-v --help Your balance is 25 000 francs.", language="en")
    assert kind == "audio/wav"
    assert probe(audio).duration_seconds > 0.5


@needs_tools
def test_check_upload_accepts_a_short_recording(tmp_path, spoken):
    source = tmp_path / "spoken.wav"
    source.write_bytes(spoken)
    for name, codec in (
        ("q.ogg", "libopus"),
        ("q.m4a", "aac"),
        ("q.webm", "libopus"),
        ("q.mp3", "libmp3lame"),
    ):
        audio = ffmpeg_make(tmp_path, "-i", str(source), "-c:a", codec, "-b:a", "32k", name=name)
        info = check_upload(audio, max_bytes=MAX_BYTES, max_seconds=120)
        assert info.format == {"ogg": "ogg", "m4a": "mp4", "webm": "webm", "mp3": "mp3"}[name.split(".")[1]]
        assert 0.5 < info.duration_seconds < 10
        assert wav_params(to_wav(audio))[:3] == (1, 16000, 2)


@needs_tools
def test_a_webm_without_a_stated_duration_is_measured(tmp_path, spoken):
    source = tmp_path / "spoken.wav"
    source.write_bytes(spoken)
    # as a browser's MediaRecorder writes it: a live (streamed) webm with no duration
    audio = ffmpeg_make(
        tmp_path, "-i", str(source), "-c:a", "libopus", "-live", "1", "-f", "webm", name="live.webm"
    )

    info = probe(audio)

    assert info.format == "webm"
    assert 0.5 < info.duration_seconds < 10


@needs_tools
def test_ten_minutes_are_too_long(tmp_path):
    audio = ffmpeg_make(
        tmp_path,
        "-f", "lavfi",
        "-i", "anullsrc=r=8000:cl=mono",
        "-t", "600",
        "-c:a", "libopus",
        "-b:a", "6k",
        "-frame_duration", "120",
        name="long.ogg",
    )  # fmt: skip
    assert len(audio) < MAX_BYTES

    with pytest.raises(BadAudio) as caught:
        check_upload(audio, max_bytes=MAX_BYTES, max_seconds=120)

    assert caught.value.reason == "too_long"
    assert probe(audio) == AudioInfo(format="ogg", duration_seconds=pytest.approx(600, abs=1))


@needs_tools
def test_a_corrupt_file_is_refused(spoken):
    corrupt = b"OggS" + b"\x00\x02" + bytes(range(256)) * 8
    with pytest.raises(BadAudio) as caught:
        check_upload(corrupt, max_bytes=MAX_BYTES, max_seconds=120)
    assert caught.value.reason == "corrupt"
    with pytest.raises(BadAudio) as caught:
        to_wav(corrupt)
    assert caught.value.reason == "corrupt"


@needs_tools
def test_a_file_of_another_format_is_refused(tmp_path):
    playlist = b"#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\nhttp://127.0.0.1:9/secret.ts\n"
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    for audio in (playlist, png, b"ffconcat version 1.0\nfile /etc/passwd\n"):
        with pytest.raises(BadAudio) as caught:
            check_upload(audio, max_bytes=MAX_BYTES, max_seconds=120)
        assert caught.value.reason == "format"


def test_an_empty_upload_is_refused():
    with pytest.raises(BadAudio) as caught:
        check_upload(b"", max_bytes=MAX_BYTES, max_seconds=120)
    assert caught.value.reason == "empty"


def test_a_big_upload_is_refused_before_ffmpeg():
    with pytest.raises(BadAudio) as caught:
        check_upload(b"OggS" + b"\x00" * 2048, max_bytes=1024, max_seconds=120)
    assert caught.value.reason == "too_big"


def test_formats_are_recognised_by_their_first_bytes():
    assert sniff_format(b"OggS\x00\x02") == "ogg"
    assert sniff_format(b"RIFF\x24\x00\x00\x00WAVEfmt ") == "wav"
    assert sniff_format(b"\x00\x00\x00\x20ftypM4A ") == "mp4"
    assert sniff_format(b"\x1a\x45\xdf\xa3\x9f") == "webm"
    assert sniff_format(b"ID3\x04\x00") == "mp3"
    assert sniff_format(b"\xff\xfb\x90\x64") == "mp3"
    assert sniff_format(b"\xff\xf1\x50\x80") == ""  # ADTS AAC, not in the list
    assert sniff_format(b"#EXTM3U\n") == ""


# --- the speech APIs ---


def test_openai_speech_synthesizes(fake):
    fake.audio = b"ID3\x04" + b"\x00" * 1000

    audio, kind = fake.tts().synthesize("Votre solde est de 25 000 FCFA.", language="fr")

    assert (audio, kind) == (fake.audio, "audio/mpeg")
    assert fake.syntheses == [
        {
            "model": TTS_MODEL,
            "input": "Votre solde est de 25 000 FCFA.",
            "voice": VOICE,
            "response_format": "mp3",
        }
    ]


def test_a_speech_outage_is_unavailable(fake):
    fake.outage("500")
    with pytest.raises(SpeechUnavailable) as caught:
        fake.tts().synthesize("Bonjour", language="fr")
    assert caught.value.status == 500
    with pytest.raises(SpeechUnavailable):
        fake.stt().transcribe(b"RIFF....WAVE", filename="q.wav", language=None)


def test_a_hung_transcription_times_out(fake):
    fake.outage("hang")
    with pytest.raises(SpeechUnavailable, match="timeout"):
        fake.stt(timeout=0.3).transcribe(b"OggS\x00", filename="q.ogg", language="fr")


def test_transcription_without_language_sends_none(fake):
    fake.transcript = "Hello"

    assert fake.stt().transcribe(b"OggS\x00\x02rest", filename="q.ogg", language=None) == "Hello"

    [upload] = fake.uploads
    assert upload.language is None
    assert upload.content_type == "audio/ogg"


def test_a_wrong_key_is_unavailable(fake):
    stt = WhisperCompatibleSTT(fake.base_url, "sk-wrong", STT_MODEL, timeout=2)
    with pytest.raises(SpeechUnavailable) as caught:
        stt.transcribe(b"OggS\x00", filename="q.ogg", language="fr")
    assert caught.value.status == 401


def test_a_missing_espeak_is_unavailable(tmp_path):
    with pytest.raises(SpeechUnavailable, match="not installed"):
        EspeakTTS(str(tmp_path / "no-espeak-ng")).synthesize("Bonjour", language="fr")


# --- the factories ---


def test_factories_follow_the_settings(settings):
    settings.AI_STT_BASE_URL = ""
    assert stt_client() is None
    settings.AI_STT_BASE_URL = "http://127.0.0.1:8000/v1"
    settings.AI_STT_API_KEY = API_KEY
    stt = stt_client()
    assert isinstance(stt, WhisperCompatibleSTT)
    assert (stt.base_url, stt.model) == ("http://127.0.0.1:8000/v1", settings.AI_STT_MODEL)

    settings.AI_TTS_BASE_URL = ""
    settings.AI_ESPEAK_BINARY = "/usr/bin/espeak-ng"
    tts = tts_client()
    assert isinstance(tts, EspeakTTS) and tts.binary == "/usr/bin/espeak-ng"
    settings.AI_TTS_BASE_URL = "http://127.0.0.1:8880/v1"
    assert isinstance(tts_client(), OpenAISpeechTTS)
