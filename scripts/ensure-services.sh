#!/usr/bin/env bash
# Make sure Postgres and Redis answer on 127.0.0.1 (the test suite uses them for real); start them if not.
set -euo pipefail

pg_ready() { pg_isready -h 127.0.0.1 -p 5432 -U postgres -q 2>/dev/null; }
redis_ready() { [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = "PONG" ]; }

if ! pg_ready; then
  echo "Postgres is not answering on 127.0.0.1:5432; starting it."
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
  for _ in $(seq 1 30); do pg_ready && break; sleep 1; done
fi
pg_ready || { echo "Postgres did not come up on 127.0.0.1:5432." >&2; exit 1; }

if ! redis_ready; then
  echo "Redis is not answering on 127.0.0.1:6379; starting it."
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  for _ in $(seq 1 30); do redis_ready && break; sleep 1; done
fi
redis_ready || { echo "Redis did not come up on 127.0.0.1:6379." >&2; exit 1; }
echo "Postgres and Redis are up."
