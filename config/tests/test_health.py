from __future__ import annotations

import pytest
from django.db import connection
from django.test import override_settings

DEAD_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


def test_liveness_needs_nothing_but_the_process(client):
    assert client.get("/healthz").json() == {"status": "ok"}


@pytest.mark.django_db
def test_ready_when_postgres_and_redis_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["postgres"]["ok"] and response.json()["checks"]["redis"]["ok"]


@pytest.mark.django_db
def test_not_ready_names_a_dead_redis(client):
    with override_settings(CACHES=DEAD_REDIS):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["redis"] == {"ok": False, "error": "ConnectionError"}
    assert response.json()["checks"]["postgres"]["ok"]


@pytest.mark.django_db(transaction=True)
def test_not_ready_names_a_dead_postgres(client):
    real_port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = 1
    try:
        response = client.get("/readyz")
    finally:
        connection.close()
        connection.settings_dict["PORT"] = real_port
    assert response.status_code == 503
    assert response.json()["checks"]["postgres"]["ok"] is False
    assert response.json()["checks"]["redis"]["ok"] is True
