"""Local development: works with zero configuration (SQLite, in-memory cache, eager Celery).

Set DATABASE_URL and REDIS_URL to run against Postgres and Redis instead.
"""

from config.env import BASE_DIR, env, require_real_secret_key
from config.settings import base as _base
from config.settings.base import *

DEBUG = env.bool("DEBUG", default=True)
require_real_secret_key(debug=DEBUG, secret_key=_base.SECRET_KEY)

if not _base.DATABASES:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}}
# The manifest storage needs collectstatic; runserver serves app static files directly.
STORAGES = {
    **_base.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
