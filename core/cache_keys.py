"""Every cache key the platform uses, defined once (backend and worker both import from here).

Each key names the restaurant or tenant it belongs to and carries a schema version, so a deploy that
changes a cached shape never reads the old shape: bump the version and old entries simply expire.
Django's cache adds the deployment's KEY_PREFIX (tests use their own) in front of these.
"""

from __future__ import annotations

# The shape of a cached restaurant snapshot (tenants/snapshot.py validates against it). Bump it with any
# change to that shape: new keys are read at once and the old entries expire on their own.
# v2: the tenant's line cap and allowed origins travel with the snapshot (the call start reads no SQL).
# v3: menu items say whether their allergens are declared ("not declared" is never "none").
# v4: menu items carry `sold_out_on` (sold out today, judged against the call's local date). An older
#     worker reading it would ignore the field and offer a sold-out dish, hence a new key.
# v5: a special date may be a closure over a range of dates (`end_date`; absent means one date).
SNAPSHOT_SCHEMA_VERSION = 5


def restaurant_snapshot_key(public_id: str) -> str:
    return f"snapshot:v{SNAPSHOT_SCHEMA_VERSION}:restaurant:{public_id}"


def restaurant_snapshot_lock_key(public_id: str) -> str:
    return f"snapshot-lock:v{SNAPSHOT_SCHEMA_VERSION}:restaurant:{public_id}"


def restaurant_snapshot_generation_key(public_id: str) -> str:
    # Bumped by every invalidation; a rebuild that started before the bump must not write its result.
    return f"snapshot-gen:v{SNAPSHOT_SCHEMA_VERSION}:restaurant:{public_id}"


def restaurant_last_known_snapshot_key(public_id: str) -> str:
    # Never deleted by invalidation: the copy the worker may serve, marked stale, while Postgres is down.
    return f"snapshot-last-known:v{SNAPSHOT_SCHEMA_VERSION}:restaurant:{public_id}"


def allowed_origins_key() -> str:
    # A set of every origin some tenant allows (the CORS check before the body names a restaurant), with
    # a "" member so an empty set can be told from a missing one.
    return "allowed-origins:v1"


def allowed_origins_generation_key() -> str:
    # Bumped by every invalidation; a rebuild that started before the bump must not write its result.
    return "allowed-origins-gen:v1"


def tenant_session_slots_key(tenant_id: int) -> str:
    # A sorted set: member = room name, score = the unix time the slot expires unless renewed.
    return f"session-slots:v1:tenant:{tenant_id}"


def client_session_slots_key(ident: str) -> str:
    # A sorted set like the tenant's: the calls one client (the throttle's ident) holds at once.
    return f"session-slots:v1:client:{ident}"


def session_client_index_key(room_name: str) -> str:
    # Which client slot set a room's slot is also in, so the worker can extend or release it by room alone.
    return f"session-client:v1:room:{room_name}"


def request_rate_key(scope: str, ident: str) -> str:
    # A sorted set of request times in the sliding window (calls/api/throttles.py). v2: DRF's own
    # throttle kept a pickled list under its own key names, so the two never read each other's data.
    return f"request-rate:v2:{scope}:{ident}"


def password_reset_address_key(address_hash: str) -> str:
    # Present while an address is in its quiet period after a reset email (accounts/password_reset.py).
    # The address itself never appears in a key: it is a keyed hash.
    return f"password-reset:v1:address:{address_hash}"


def password_reset_client_key(ident: str) -> str:
    # A counter of reset requests from one client address in the current window.
    return f"password-reset:v1:client:{ident}"


def call_refusals_pending_key() -> str:
    # A hash: field "<public_id>|<reason>|<quarter-hour start, UTC ISO>" → refused call starts not yet in
    # Postgres. Celery beat renames it away and adds its counts to calls.CallRefusalCount.
    return "call-refusals:v1:pending"


def call_refusals_flushing_key(token: str) -> str:
    # The renamed hash while one flush writes it to Postgres; left behind if that flush died, and retried.
    return f"call-refusals:v1:flushing:{token}"


def call_refusal_counts_key(tenant_id: int, day: object) -> str:
    # A hash per tenant per UTC day: field = refusal reason, value = how many (webhooks/services.py).
    return f"call-refusals:v1:tenant:{tenant_id}:{day}"


def call_refusal_buffer_key() -> str:
    # A list of refused calls (JSON) waiting to become call.refused webhook events.
    return "call-refusal-buffer:v1"


def voice_status_key() -> str:
    # Whether the LiveKit server answered this platform lately (the demo page asks at most every few seconds).
    return "voice-status:v1"
