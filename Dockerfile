# syntax=docker/dockerfile:1
# Hokwe web + worker image: multi-stage, non-root, gunicorn, static files collected at build.

FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential libpq-dev nodejs npm \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN python -m venv /opt/venv && /opt/venv/bin/pip install -r requirements.txt
COPY . .
# Front-end assets of the pages (htmx, Leaflet) from npm (package-lock.json), build stage only.
RUN npm ci --no-audit --no-fund --ignore-scripts \
 && mkdir -p static/vendor/leaflet/images && cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx.min.js \
 && cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.js.map \
       node_modules/leaflet/dist/leaflet.css static/vendor/leaflet/ \
 && cp node_modules/leaflet/dist/images/*.png static/vendor/leaflet/images/ \
 && rm -rf node_modules
RUN /opt/venv/bin/python devtools/compile_translations.py \
 && DJANGO_SETTINGS_MODULE=hokwe.settings.collectstatic /opt/venv/bin/python manage.py collectstatic --noinput -v0

FROM python:3.11-slim-bookworm AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DJANGO_SETTINGS_MODULE=hokwe.settings.prod \
    STATIC_ROOT=/app/staticfiles \
    GUNICORN_CMD_ARGS="--bind 0.0.0.0:8000 --workers 3 --threads 4 --timeout 30 --graceful-timeout 30 --access-logfile - --forwarded-allow-ips *"
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpq5 libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core ffmpeg espeak-ng \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 hokwe \
 && useradd --system --uid 10001 --gid hokwe --home-dir /app --shell /usr/sbin/nologin hokwe
COPY --from=build /opt/venv /opt/venv
COPY --from=build --chown=hokwe:hokwe /app /app
WORKDIR /app
USER hokwe
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=4s --start-period=20s --retries=3 \
  CMD ["python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=3).status == 200 else 1)"]
CMD ["gunicorn", "hokwe.wsgi:application"]
