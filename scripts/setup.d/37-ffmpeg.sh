# ffmpeg (and ffprobe) from Debian for ads' CreatorStudio: creators' videos are transcoded to
# a web MP4 (H.264 + AAC) with a JPEG poster (apps/ads/services/transcode.py), and the tests
# make and check real clips with it (tests/ads/test_creators_video.py). Installed when
# missing, as root; the Dockerfile's runtime stage installs it too.
# shellcheck shell=bash
if ! command -v ffmpeg >/dev/null || ! command -v ffprobe >/dev/null; then
  if is_root && command -v apt-get >/dev/null; then
    apt_install ffmpeg
  else
    log "ffmpeg is missing and we are not root: the video tests are skipped (apt-get install ffmpeg)"
  fi
fi
