"""Test settings: always the real Postgres and Redis (never the zero-config SQLite/in-memory defaults)."""

from config.settings.base import *

DEBUG = False
SECRET_KEY = "hostline-test-secret-key-not-for-production-0123456789"

DATABASE_URL = env("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/hostline")
DATABASES = {"default": env.db_url_config(DATABASE_URL)}
DATABASES["default"]["OPTIONS"] = {"connect_timeout": 3}

REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/15")
# A separate key prefix keeps tests from ever reading or clobbering a developer's real cache entries.
CACHE_KEY_PREFIX = env("CACHE_KEY_PREFIX", default="hostline-test")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": CACHE_KEY_PREFIX,
        "TIMEOUT": 60 * 60,
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}
CELERY_BROKER_URL = REDIS_URL
CELERY_TASK_ALWAYS_EAGER = True

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
LIVEKIT_URL = "ws://livekit.test:7880"
LIVEKIT_API_KEY = "test-api-key"
LIVEKIT_API_SECRET = "test-api-secret-that-is-long-enough-for-hs256"
# Static files come from the finders in tests; WhiteNoise would only warn about the missing STATIC_ROOT.
MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("whitenoise.")]
