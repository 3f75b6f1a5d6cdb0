# syntax=docker/dockerfile:1
# One image runs every Hostline process; the command picks which:
#   web (default)   uvicorn config.asgi:application --host 0.0.0.0 --port 8000
#   agent worker    python -m agent_worker start
#   Celery worker   celery -A config worker --loglevel=INFO
#   Celery beat     celery -A config beat --loglevel=INFO --schedule /tmp/celerybeat-schedule
#   migrations      python manage.py migrate --noinput

# --- 1. The widget, built from its pinned lockfile (the committed build is not trusted here).
FROM node:20-bookworm-slim AS widget
WORKDIR /src/widget
COPY widget/package.json widget/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY widget/ ./
RUN mkdir -p ../static && npm run build

# --- 2. Python dependencies in a virtualenv, with the compilers only this stage needs.
FROM python:3.11-slim-bookworm AS python-deps
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update && apt-get install -y --no-install-recommends build-essential \
    && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/venv
# The web runtime and the agent worker's speech stack (requirements-agent.txt includes requirements.txt);
# the test and lint tools (requirements-dev.txt) stay out of the image.
COPY requirements.txt requirements-agent.txt /tmp/
RUN /opt/venv/bin/pip install -r /tmp/requirements-agent.txt

# --- 3. The runtime: slim, no compilers, not root.
FROM python:3.11-slim-bookworm AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    HF_HOME=/app/.cache/huggingface
RUN apt-get update && apt-get install -y --no-install-recommends libgomp1 ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 10001 --shell /usr/sbin/nologin hostline
WORKDIR /app
COPY --from=python-deps /opt/venv /opt/venv
COPY --chown=hostline:hostline . .
COPY --from=widget --chown=hostline:hostline /src/static/widget.js /src/static/widget-call.js ./static/
USER hostline
# Model files (VAD) are fetched now, never while a diner waits for the greeting.
RUN DJANGO_SETTINGS_MODULE=config.settings.local python -m agent_worker download-files
# Static files are collected with the production storage (hashed names and the manifest WhiteNoise
# serves from). Production settings insist on these variables; collectstatic connects to neither.
RUN SECRET_KEY=collectstatic-build-step-only DATABASE_URL=postgres://build@127.0.0.1:1/build \
    LIVEKIT_API_KEY=build LIVEKIT_API_SECRET=collectstatic-build-step-only-not-a-real-secret \
    REDIS_URL=redis://127.0.0.1:1/0 python manage.py collectstatic --noinput
EXPOSE 8000 8081
# Processes per container: WEB_CONCURRENCY (uvicorn reads it). Proxies trusted to name the client in
# X-Forwarded-For: FORWARDED_ALLOW_IPS (uvicorn and the settings read it; default 127.0.0.1, never "*").
CMD ["uvicorn", "config.asgi:application", "--host", "0.0.0.0", "--port", "8000", "--proxy-headers"]
