"""Settings shared by every environment. Environment variables are read through config.env only."""

from __future__ import annotations

from datetime import timedelta

from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

from config.env import (
    BASE_DIR,
    INSECURE_SECRET_KEY,
    LIVEKIT_DEV_API_KEY,
    LIVEKIT_DEV_API_SECRET,
    database_pool_options,
    env,
)
from config.logging import logging_config

DEBUG: bool = env.bool("DEBUG", default=False)
# Leaf settings modules call config.env.require_real_secret_key() once DEBUG is final.
SECRET_KEY: str = env("SECRET_KEY", default=INSECURE_SECRET_KEY)
# Old keys still accepted for sessions and set-password links while a rotation rolls out.
SECRET_KEY_FALLBACKS: list[str] = env.list("SECRET_KEY_FALLBACKS", default=[])
ALLOWED_HOSTS: list[str] = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS: list[str] = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Public base URL of this platform, used in embed snippets and set-password links.
PLATFORM_BASE_URL: str = env("PLATFORM_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # django-unfold: the responsive admin theme (docs/admin.md). Before django.contrib.admin so its
    # templates win, and it replaces admin.site with its UnfoldAdminSite when the apps load.
    "unfold",
    "unfold.contrib.filters",
    "unfold.contrib.forms",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Redoc's files served from here: the API docs work offline, no CDN
    "tenants",
    "calls",
    # Sign-in protection (docs/security.md): lockouts, two-factor, and the audit trail.
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "accounts",
    "audit",
    "owners",
    "webhooks",
    "restapi",
    "telephony",
    "bookings",
]

MIDDLEWARE = [
    "config.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "config.csp.HostlineCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise (static files come precompressed); HTML only (config/compression.py says why).
    "config.compression.HtmlGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.TwoFactorMiddleware",
    "audit.middleware.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/hostline. local.py may fall back to SQLite.
DATABASE_URL: str | None = env("DATABASE_URL", default=None)
DATABASES = {"default": env.db_url_config(DATABASE_URL)} if DATABASE_URL else {}
# Connections per process are bounded by a psycopg pool: under ASGI every synchronous request runs in a
# thread of its own, and with persistent per-thread connections 16 concurrent requests exhausted
# Postgres's 100 (issue 15). DB_POOL_MAX_SIZE=0 turns the pool off (e.g. behind PgBouncer in transaction
# mode); then DB_CONN_MAX_AGE applies, one connection per thread.
DB_POOL_MAX_SIZE: int = env.int("DB_POOL_MAX_SIZE", default=4)
DB_POOL_TIMEOUT: float = env.float("DB_POOL_TIMEOUT", default=5.0)
for _db in DATABASES.values():
    if _db["ENGINE"] == "django.db.backends.postgresql":
        _db.setdefault("OPTIONS", {})
        # Bound every connection attempt so a sick database fails fast instead of hanging a call.
        _db["OPTIONS"]["connect_timeout"] = env.int("DB_CONNECT_TIMEOUT", default=3)
        if DB_POOL_MAX_SIZE > 0:
            _db["OPTIONS"]["pool"] = database_pool_options(max_size=DB_POOL_MAX_SIZE, timeout=DB_POOL_TIMEOUT)
            _db["CONN_MAX_AGE"] = 0  # the pool keeps connections; Django returns them after each request
    _db.setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=0))
    _db.setdefault("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: cache (snapshots, throttles, session slots) and Celery broker.
REDIS_URL: str | None = env("REDIS_URL", default=None)
CACHE_KEY_PREFIX: str = env("CACHE_KEY_PREFIX", default="hostline")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "TIMEOUT": 60 * 60,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Sign-in protection (docs/security.md)
# django-axes counts failed sign-ins on every login form and refuses further tries, the right password too,
# until the cool-off ends or an operator unlocks (admin: Access attempts → Unlock; manage.py login_unlock).
AUTHENTICATION_BACKENDS = ["accounts.backends.LockoutBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT: int = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME: timedelta = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
# Counted per client address: locking a username instead would let anyone lock an operator out.
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_CLIENT_IP_CALLABLE = "accounts.client.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.views.lockout_response"
# A success does not wipe the address's failures: otherwise anyone with an account of their own could
# sign in between guesses at someone else's and never be locked out.
AXES_RESET_ON_SUCCESS = False
AXES_ENABLE_ADMIN = False  # accounts/admin.py registers an operators-only list with an Unlock action
AXES_VERBOSE = False
# Password reset: one email per address per quiet period, a few requests per client per window.
PASSWORD_RESET_ADDRESS_INTERVAL_SECONDS: int = env.int(
    "PASSWORD_RESET_ADDRESS_INTERVAL_SECONDS", default=15 * 60
)
PASSWORD_RESET_CLIENT_LIMIT: int = env.int("PASSWORD_RESET_CLIENT_LIMIT", default=5)
PASSWORD_RESET_CLIENT_WINDOW_SECONDS: int = 60 * 60
# Operators (superusers) must sign in with a second factor (TOTP). Turning this off is for a local demo
# only: production.py refuses to start with it off.
OPERATOR_TWO_FACTOR_REQUIRED: bool = env.bool("OPERATOR_TWO_FACTOR_REQUIRED", default=True)
OTP_TOTP_ISSUER = "Hostline"

# After signing in at /admin/login/ itself (no ?next=): unfold's sign-in form, unlike Django's, sends no
# "next", and Django's default (/accounts/profile/) is no page here.
LOGIN_REDIRECT_URL = "admin:index"

# Owners type "example.com" for their website; assume https like Django 6 will.
FORMS_URLFIELD_ASSUME_HTTPS = True

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_BACKEND: str = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL: str = env("DEFAULT_FROM_EMAIL", default="Hostline <no-reply@hostline.local>")

# Who the client is. uvicorn (--proxy-headers) takes the client address from X-Forwarded-For only on
# connections from these addresses or networks (the ingress or load balancer in front of the pods); every
# other connection's own address stands. Django, DRF's throttles, the call start's limits and the logs all
# see that one address (REMOTE_ADDR, the ASGI client) and never read X-Forwarded-For themselves. uvicorn
# reads the same variable; the default trusts no proxy but one on the same host. Never "*": anyone could
# then pick their own address and walk past every per-client limit.
FORWARDED_ALLOW_IPS: list[str] = env.list("FORWARDED_ALLOW_IPS", default=["127.0.0.1"])
if "*" in FORWARDED_ALLOW_IPS:
    raise ImproperlyConfigured(
        "FORWARDED_ALLOW_IPS may not be '*': list the ingress's addresses or networks (e.g. 10.42.0.0/16)."
    )

REST_FRAMEWORK = {
    # REMOTE_ADDR is already the client's (see FORWARDED_ALLOW_IPS): never trust X-Forwarded-For again.
    "NUM_PROXIES": 0,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["calls.api.parsers.SafeJSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "EXCEPTION_HANDLER": "calls.api.exceptions.api_exception_handler",
}
# POST /api/connection-details on its own ASGI route in front of Django (calls/api/asgi.py); off, it goes
# through Django's handler and middleware like every other request (measured in docs/performance.md).
CALL_START_ROUTE: bool = env.bool("CALL_START_ROUTE", default=True)
# The largest body a DRF API reads, in bytes (larger: JSON 413); the call start has its own limit.
API_MAX_BODY_BYTES: int = env.int("API_MAX_BODY_BYTES", default=16 * 1024)
# Throttles for POST /api/connection-details (DRF rate syntax: N/second|minute|hour|day).
CONNECTION_DETAILS_RATE_PER_IP: str = env("CONNECTION_DETAILS_RATE_PER_IP", default="20/minute")
CONNECTION_DETAILS_RATE_PER_RESTAURANT: str = env(
    "CONNECTION_DETAILS_RATE_PER_RESTAURANT", default="120/minute"
)
# Calls one browser client (the throttles' client identity) may hold at once; 0 turns the limit off.
CONNECTION_DETAILS_CONCURRENT_PER_CLIENT: int = env.int("CONNECTION_DETAILS_CONCURRENT_PER_CLIENT", default=3)
# The tenant REST API (/api/v1/): requests per API key (DRF rate syntax).
API_RATE_PER_KEY: str = env("API_RATE_PER_KEY", default="600/minute")
SPECTACULAR_SETTINGS = {
    "TITLE": "Hostline API",
    "DESCRIPTION": "Connection details for diners' voice sessions with a restaurant's agent, and the tenant "
    "REST API (/api/v1/) for restaurants, hours, menus and calls. See docs/api.md.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}

# LiveKit: the server the agent workers register with and the diners' browsers join.
LIVEKIT_URL: str = env("LIVEKIT_URL", default="ws://127.0.0.1:7880")
# The address browsers join rooms at, when it differs from the one the servers use (compose, private
# networks: the web app calls ws://livekit:7880, the diner's browser wss://livekit.example.com).
LIVEKIT_PUBLIC_URL: str = env("LIVEKIT_PUBLIC_URL", default="")
LIVEKIT_API_KEY: str = env("LIVEKIT_API_KEY", default=LIVEKIT_DEV_API_KEY)
LIVEKIT_API_SECRET: str = env("LIVEKIT_API_SECRET", default=LIVEKIT_DEV_API_SECRET)  # production refuses it
LIVEKIT_API_TIMEOUT_SECONDS: float = env.float("LIVEKIT_API_TIMEOUT_SECONDS", default=3.0)


# Content-Security-Policy (django-csp) on every page the platform serves (admin, demo page, API docs).
# No inline script anywhere: an injected <script> or on*= handler does not run. Styles may be inline
# (the admin's style attributes, the widget's shadow-root <style>, Redoc's CSS-in-JS). Redoc runs its
# search in a blob: worker. What a restaurant's own CSP must allow for the widget: docs/security.md.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],  # + the LiveKit server, added by config.csp from LIVEKIT_(PUBLIC_)URL
        "media-src": [SELF, "blob:"],
        "worker-src": [SELF, "blob:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- The admin's theme (django-unfold): title, colours and the sidebar, organised by what owners do.
# Every sidebar entry carries a permission callback asking the entry's own ModelAdmin (config/admin_nav.py),
# so an owner never sees a link to a page they cannot open, and operator-only pages stay out of their view.
UNFOLD = {
    "SITE_TITLE": "Hostline",
    "SITE_HEADER": "Hostline",
    "SITE_SUBHEADER": "Restaurants, hours and menus",
    "SITE_URL": "/",
    "SITE_SYMBOL": "restaurant",
    "SITE_FAVICONS": [{"rel": "icon", "type": "image/svg+xml", "href": "config.admin_nav.hostline_favicon"}],
    "SHOW_HISTORY": True,
    "SHOW_VIEW_ON_SITE": True,
    "BORDER_RADIUS": "6px",
    # Hostline's teal (the widget's default accent), as unfold's primary scale.
    "COLORS": {
        "primary": {
            "50": "#f0fdfa",
            "100": "#ccfbf1",
            "200": "#99f6e4",
            "300": "#5eead4",
            "400": "#2dd4bf",
            "500": "#14b8a6",
            "600": "#0d9488",
            "700": "#0f766e",
            "800": "#115e59",
            "900": "#134e4a",
            "950": "#042f2e",
        },
    },
    "STYLES": ["config.admin_nav.hostline_admin_css"],
    "ACCOUNT": {"navigation": "config.admin_nav.account_links"},
    "SIDEBAR": {
        "show_search": False,
        # Everything registered, for operators; owners get only the task list below.
        "show_all_applications": "config.admin_nav.is_operator",
        "navigation": "config.admin_nav.sidebar_navigation",
    },
}

# Pages drawn with the admin's templates (unfold's Alpine.js): their script-src adds 'unsafe-eval', and only
# theirs. Why, and what it does and does not allow: config/csp.py.
CSP_EVAL_PATH_PREFIXES: list[str] = ["/admin/", "/accounts/"]

PARTICIPANT_TOKEN_TTL: timedelta = timedelta(seconds=env.int("PARTICIPANT_TOKEN_TTL_SECONDS", default=600))
if timedelta(minutes=15) < PARTICIPANT_TOKEN_TTL:
    raise ImproperlyConfigured("PARTICIPANT_TOKEN_TTL_SECONDS may be at most 900 (15 minutes).")

# Telephony (LiveKit SIP, docs/telephony.md). SIP_INSTANCE_NAME marks the trunks and rules this platform
# creates, so two Hostline installations (or hand-made rules) can share one LiveKit project untouched.
SIP_INSTANCE_NAME: str = env("SIP_INSTANCE_NAME", default="hostline")
# The carrier's signalling addresses (IPs or CIDR blocks) allowed to send calls to the platform's trunks.
SIP_TRUNK_ALLOWED_ADDRESSES: list[str] = env.list("SIP_TRUNK_ALLOWED_ADDRESSES", default=[])
SIP_KRISP_ENABLED: bool = env.bool("SIP_KRISP_ENABLED", default=False)

# Speech and language providers, used by the agent worker.
DEEPGRAM_API_KEY: str = env("DEEPGRAM_API_KEY", default="")
OPENAI_API_KEY: str = env("OPENAI_API_KEY", default="")
CARTESIA_API_KEY: str = env("CARTESIA_API_KEY", default="")
OPENAI_MODEL: str = env("OPENAI_MODEL", default="gpt-4.1-mini")
# Console/local runs carry no job metadata; this names the restaurant they speak for.
AGENT_CONSOLE_RESTAURANT: str = env("AGENT_CONSOLE_RESTAURANT", default="")

# Celery (Redis broker). Without REDIS_URL (zero-config local run) tasks run eagerly in-process.
CELERY_BROKER_URL: str | None = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER: bool = CELERY_BROKER_URL is None
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    "socket_timeout": 5,
    "socket_connect_timeout": 5,
}
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = {
    "warm-snapshot-cache": {
        "task": "tenants.tasks.snapshot_cache_warm",
        # Under the snapshot TTL (1 h), so an active restaurant's first call of the day is a cache hit.
        "schedule": env.int("SNAPSHOT_WARM_INTERVAL_SECONDS", default=45 * 60),
    },
    "flush-call-refusals": {"task": "calls.tasks.call_refusals_flush", "schedule": 60},
    "send-owner-alerts": {"task": "owners.tasks.owner_alerts_send", "schedule": 5 * 60},
    "webhook-deliveries-sweep": {
        "task": "webhooks.tasks.webhook_deliveries_sweep",
        "schedule": env.int("WEBHOOK_SWEEP_INTERVAL_SECONDS", default=30),
    },
    "call-refused-webhooks-flush": {
        "task": "webhooks.tasks.call_refusals_flush",
        "schedule": env.int("CALL_REFUSALS_FLUSH_INTERVAL_SECONDS", default=60),
    },
    # Retention (docs/operations.md): each prunes in small batches, so running often costs little.
    "audit-entries-prune": {"task": "audit.tasks.audit_entries_prune", "schedule": 6 * 3600},
    "webhook-events-prune": {"task": "webhooks.tasks.webhook_events_prune", "schedule": 6 * 3600},
    "call-transcripts-redact": {"task": "calls.tasks.call_transcripts_redact", "schedule": 6 * 3600},
    "sessions-clear-expired": {"task": "accounts.tasks.sessions_clear_expired", "schedule": 6 * 3600},
}
# How long records are kept, in days (0: for ever). Audit entries: who changed what (owners read them).
AUDIT_RETENTION_DAYS: int = env.int("AUDIT_RETENTION_DAYS", default=730)
# Webhook events and their delivery attempts, once none is still pending.
WEBHOOK_EVENT_RETENTION_DAYS: int = env.int("WEBHOOK_EVENT_RETENTION_DAYS", default=30)
# What callers said: a call's transcript, the caller's number and the messages they left are removed
# after this; the record itself (times, outcome, usage) stays for the dashboards and billing.
CALL_TRANSCRIPT_RETENTION_DAYS: int = env.int("CALL_TRANSCRIPT_RETENTION_DAYS", default=365)
# Webhook deliveries run on their own queue, so slow receivers never delay call records or imports.
CELERY_TASK_ROUTES = {"webhooks.tasks.webhook_delivery_send": {"queue": "webhooks"}}

# --- Webhooks (webhooks/)
# Seconds per delivery attempt (connect and each read); receivers should answer 2xx at once and work later.
WEBHOOK_TIMEOUT_SECONDS: float = env.float("WEBHOOK_TIMEOUT_SECONDS", default=10.0)
WEBHOOK_SWEEP_INTERVAL_SECONDS: int = env.int("WEBHOOK_SWEEP_INTERVAL_SECONDS", default=30)
# How long a worker holds a delivery while sending it; a killed worker's delivery is taken over after this.
# Longer than an attempt can take (WEBHOOK_TIMEOUT_SECONDS for the connect and for each read).
WEBHOOK_LEASE_SECONDS: int = env.int("WEBHOOK_LEASE_SECONDS", default=60)
# Host names (exact) that may resolve to private addresses, for receivers inside the operator's network.
# Cloud metadata addresses stay refused whatever this says.
WEBHOOK_ALLOWED_INTERNAL_HOSTS: list[str] = env.list("WEBHOOK_ALLOWED_INTERNAL_HOSTS", default=[])
# Plain http endpoints: allowed only when DEBUG is on unless set explicitly (never in production).
WEBHOOK_ALLOW_HTTP: bool = env.bool("WEBHOOK_ALLOW_HTTP", default=DEBUG)
# An endpoint failing continuously for this long and this many attempts is disabled and its owners emailed.
WEBHOOK_DISABLE_AFTER_HOURS: float = env.float("WEBHOOK_DISABLE_AFTER_HOURS", default=72)
WEBHOOK_DISABLE_AFTER_FAILURES: int = env.int("WEBHOOK_DISABLE_AFTER_FAILURES", default=20)
# After a secret rotation the old secret still signs (a second signature) for this long.
WEBHOOK_SECRET_GRACE_HOURS: int = env.int("WEBHOOK_SECRET_GRACE_HOURS", default=24)

# "json" (one object per line, for log shippers) or "plain" (a developer's terminal).
LOG_FORMAT: str = env("LOG_FORMAT", default="plain")
LOG_LEVEL: str = env("LOG_LEVEL", default="INFO")
LOGGING = logging_config(log_format=LOG_FORMAT, level=LOG_LEVEL)

# --- Observability
# /metrics answers only requests carrying this bearer token; unset, /metrics is off (404).
METRICS_TOKEN: str = env("METRICS_TOKEN", default="")

# --- Agent worker capacity (see docs/scaling.md)
# Above this CPU load (0–1) the worker stops accepting new calls and LiveKit sends them to another.
AGENT_LOAD_THRESHOLD: float = env.float("AGENT_LOAD_THRESHOLD", default=0.7)
# Pre-started job processes, so a call never waits for Python and Django to boot. Unset: one per CPU.
AGENT_NUM_IDLE_PROCESSES: int | None = env.int("AGENT_NUM_IDLE_PROCESSES", default=None)
# The worker's own HTTP health endpoint (Kubernetes probes) and Prometheus port (0 = off).
AGENT_HTTP_PORT: int = env.int("AGENT_HTTP_PORT", default=8081)
AGENT_PROMETHEUS_PORT: int = env.int("AGENT_PROMETHEUS_PORT", default=0)
# Seconds a stopping worker lets calls in progress finish (Kubernetes' grace period must be longer).
AGENT_DRAIN_TIMEOUT_SECONDS: int = env.int("AGENT_DRAIN_TIMEOUT_SECONDS", default=1800)
