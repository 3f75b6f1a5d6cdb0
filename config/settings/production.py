"""Production: Postgres and Redis are required, every secret comes from the environment."""

from django.core.exceptions import ImproperlyConfigured

from config.env import require_real_livekit_credentials, require_real_secret_key
from config.settings.base import *

DEBUG = False
require_real_secret_key(debug=DEBUG, secret_key=SECRET_KEY)
require_real_livekit_credentials(api_key=LIVEKIT_API_KEY, api_secret=LIVEKIT_API_SECRET)
if not DATABASE_URL:
    raise ImproperlyConfigured("DATABASE_URL is required in production (postgres://user:pass@host:5432/db).")
if not REDIS_URL:
    raise ImproperlyConfigured("REDIS_URL is required in production (redis://host:6379/0).")
if not OPERATOR_TWO_FACTOR_REQUIRED:
    raise ImproperlyConfigured(
        "OPERATOR_TWO_FACTOR_REQUIRED=false is for a local demo only: operators sign in with two factors in production."
    )

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# Browsers' preload lists accept a site only with max-age of at least a year (hstspreload.org), so
# preloading is asked for only then; a shorter SECURE_HSTS_SECONDS (while trying HTTPS out) sends none.
HSTS_PRELOAD_MIN_SECONDS = 365 * 24 * 60 * 60
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=HSTS_PRELOAD_MIN_SECONDS)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS >= HSTS_PRELOAD_MIN_SECONDS
SECURE_CONTENT_TYPE_NOSNIFF = True
# Probes and the metrics scrape come over plain HTTP from inside the cluster.
SECURE_REDIRECT_EXEMPT += [r"^metrics$"]

# One JSON object per line for the log shipper, unless told otherwise.
LOG_FORMAT = env("LOG_FORMAT", default="json")
LOGGING = logging_config(log_format=LOG_FORMAT, level=LOG_LEVEL)
