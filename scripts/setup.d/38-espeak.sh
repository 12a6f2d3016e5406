# espeak-ng from Debian for HokweAI's voice assistant « AFI »: the offline text-to-speech
# (apps/ai/providers/speech.py, EspeakTTS, when AI_TTS_BASE_URL is empty), and the tests make
# real speech with it (tests/ai/test_speech.py). Installed when missing, as root; the
# Dockerfile's runtime stage installs it too.
# shellcheck shell=bash
if ! command -v espeak-ng >/dev/null; then
  if is_root && command -v apt-get >/dev/null; then
    apt_install espeak-ng
  else
    log "espeak-ng is missing and we are not root: the speech tests are skipped (apt-get install espeak-ng)"
  fi
fi
