from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from webhooks.tests.receiver import Receiver, start_receiver


@pytest.fixture
def receiver(settings: Any) -> Iterator[Receiver]:
    """A local receiver the platform may call: http and 127.0.0.1 allowed by the operator settings."""
    settings.WEBHOOK_ALLOW_HTTP = True
    settings.WEBHOOK_ALLOWED_INTERNAL_HOSTS = ["127.0.0.1"]
    settings.WEBHOOK_TIMEOUT_SECONDS = 2.0
    receiver, server = start_receiver()
    yield receiver
    server.shutdown()
    server.server_close()
