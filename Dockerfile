# One image runs the web app, the agent worker, the Celery worker and beat.
FROM python:3.11-slim AS base
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
# The worker's model files (VAD) are fetched at build time, never when a call starts.
RUN DJANGO_SETTINGS_MODULE=config.settings.local python -m agent_worker download-files
RUN useradd --create-home --uid 10001 hostline && chown -R hostline /app
USER hostline
ENV DJANGO_SETTINGS_MODULE=config.settings.production
EXPOSE 8000
CMD ["uvicorn", "config.asgi:application", "--host", "0.0.0.0", "--port", "8000"]
