"""What other domains call to announce what happened, inside their own transaction (the outbox write).

`event_emit(tenant_id=…, type=…, data=…, restaurant=…)` for any event type of webhooks.events, and
`call_refused_note(…)` on the call-start path (Redis only, no SQL).
"""

from __future__ import annotations

from webhooks.events import mask_phone, restaurant_ref
from webhooks.services import acall_refused_note, call_refused_note, event_emit

__all__ = ["acall_refused_note", "call_refused_note", "event_emit", "mask_phone", "restaurant_ref"]
