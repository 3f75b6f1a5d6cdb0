"""Call starts under concurrent load: Hostline as the Dockerfile serves it, beside the article's backend.

Run: make bench-load   (or: .venv/bin/python -m bench.dispatch_load [--seconds 10] [--connections 16 64 256])

One run, loopback only, every process bound to 127.0.0.1 and stopped at the end:
- the test suite's stand-in LiveKit server API (core/tests/fake_livekit.py), in a process of its own;
- Hostline started exactly as the Dockerfile's CMD (`uvicorn config.asgi:application --proxy-headers`,
  production settings), once with one process and once with WEB_CONCURRENCY=2, against the real Postgres
  and Redis, with a tenant whose website is an allowed origin; only the throttles and the tenant's line
  cap are raised out of the way (a benchmark is not a diner, and would be throttled after 20 requests);
- the peer: the reference article's Express backend (/work/shared/peers/seed-backend, `npm ci` into a
  temporary copy), pointed at the same stand-in.
wrk (Debian's `wrk`) drives each with the same POST body and Origin at each connection count for
`--seconds` seconds after a 2 s warm-up (and `--warmup` seconds, default 5, for each freshly started
server), and the ratios are printed per row. The load generator's own
ceiling is measured first against a trivial node server answering a constant JSON body.

Environment: DATABASE_URL, REDIS_URL and CACHE_KEY_PREFIX as for the tests (defaults: the bench's own
database `hostline_bench`, Redis database 14, prefix `hostline-bench`); BENCH_PORT_BASE picks the ports
(default 18100: base+0 fake LiveKit, +1 peer, +2 Hostline, +3 ceiling server).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PEER_SOURCE = Path(os.environ.get("BENCH_PEER_DIR", "/work/shared/peers/seed-backend"))
ORIGIN = "https://bench-bistro.example"
LIVEKIT_KEY = "bench-api-key"
LIVEKIT_SECRET = secrets.token_urlsafe(32)

# Counts status classes exactly (wrk's own "Non-2xx or 3xx" would hide a redirect) and sends the same
# POST the widget sends: JSON body, the site's Origin, and the ingress's X-Forwarded-Proto.
WRK_SCRIPT = """
wrk.method = "POST"
wrk.body = '{"restaurant_id": "%(restaurant)s"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Origin"] = "%(origin)s"
wrk.headers["X-Forwarded-Proto"] = "https"
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) s2 = 0; s3 = 0; s4 = 0; s5 = 0 end
function response(status, headers, body)
  if status < 300 then s2 = s2 + 1 elseif status < 400 then s3 = s3 + 1
  elseif status < 500 then s4 = s4 + 1 else s5 = s5 + 1 end
end
function done(summary, latency, requests)
  local t = {0, 0, 0, 0}
  for _, th in ipairs(threads) do
    t[1] = t[1] + th:get("s2"); t[2] = t[2] + th:get("s3")
    t[3] = t[3] + th:get("s4"); t[4] = t[4] + th:get("s5")
  end
  io.write(string.format("STATUS %%d %%d %%d %%d\\n", t[1], t[2], t[3], t[4]))
  io.write(string.format("LAT %%d %%d %%d\\n", latency:percentile(50), latency:percentile(99), latency.max))
end
"""


@dataclass
class Result:
    rps: float
    p50_ms: float
    p99_ms: float
    ok: int
    non_2xx: int
    s5xx: int
    socket_errors: int
    cpu_ms: float = 0.0  # the server's CPU time per 2xx answer
    fake_cpu_ms: float = 0.0  # the stand-in LiveKit's, per 2xx answer

    def row(self) -> str:
        return (
            f"{self.rps:>9.0f} {self.p50_ms:>8.1f} {self.p99_ms:>8.1f} {self.non_2xx:>7} {self.s5xx:>5}"
            f" {self.socket_errors:>7} {self.cpu_ms:>7.2f} {self.fake_cpu_ms:>8.2f}"
        )


def wrk(url: str, script: Path, connections: int, seconds: int, threads: int = 1) -> Result:
    out = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "5s",
            "-s",
            str(script),
            url,
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 30,
        check=True,
    ).stdout
    s2, s3, s4, s5 = (int(x) for x in re.search(r"STATUS (\d+) (\d+) (\d+) (\d+)", out).groups())  # type: ignore[union-attr]
    p50, p99, _max = (int(x) / 1000 for x in re.search(r"LAT (\d+) (\d+) (\d+)", out).groups())  # type: ignore[union-attr]
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    socket_errors = sum(int(x) for x in errors.groups()) if errors else 0
    if errors and socket_errors:
        print(
            f"    (socket errors: connect {errors[1]}, read {errors[2]}, write {errors[3]}, timeout {errors[4]})"
        )
    # Requests/sec counts every answer; what a diner gets is a 2xx, so report the rate of those.
    total = s2 + s3 + s4 + s5
    ok_rps = rps * s2 / total if total else 0.0
    return Result(ok_rps, p50, p99, s2, s3 + s4 + s5, s5, socket_errors)


TICKS = os.sysconf("SC_CLK_TCK")


def session_cpu_seconds(session_id: int) -> float:
    """CPU time (user + system) of every live process in a session: a server and its workers.

    On a shared machine requests/s move with the neighbours' load; CPU per request much less so."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session_id:  # field 6 of stat, counted after the command name
            total += int(fields[11]) + int(fields[12])
    return total / TICKS


def wait_for_port(port: int, proc: subprocess.Popen[bytes], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"process exited early ({proc.args!r}), code {proc.returncode}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listening on 127.0.0.1:{port} after {seconds} s")


@contextmanager
def process(
    args: list[str], port: int, env: dict[str, str], cwd: Path, log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("ab") as out:
        proc = subprocess.Popen(
            args, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        wait_for_port(port, proc)
        yield proc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)  # its own session: uvicorn's worker processes too
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def seed() -> tuple[str, dict[str, str]]:
    """A tenant allowing ORIGIN, with one restaurant; throttles and cap out of the way. Returns its id."""
    from bench._setup import django_for_bench

    django_for_bench()
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connections
    from django.utils import timezone

    from tenants.models import AllowedOrigin, Restaurant, Tenant

    tenant, _ = Tenant.objects.get_or_create(slug="bench-load", defaults={"name": "Bench load"})
    Tenant.objects.filter(pk=tenant.pk).update(max_concurrent_sessions=10_000_000, status="active")
    AllowedOrigin.objects.get_or_create(tenant=tenant, origin=ORIGIN)
    restaurant, _ = Restaurant.objects.get_or_create(tenant=tenant, name="Bench load bistro")
    # New restaurants start not live (the owner's go-live step); the bench's one takes calls.
    Restaurant.objects.filter(pk=restaurant.pk).update(went_live_at=timezone.now())
    cache.clear()  # the bench's own Redis database and prefix: stale slots and throttle windows go
    db = settings.DATABASES["default"]
    database_url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    connections.close_all()
    return restaurant.public_id, {
        "DATABASE_URL": database_url,
        "REDIS_URL": settings.REDIS_URL,
        "CACHE_KEY_PREFIX": settings.CACHE_KEY_PREFIX,
        "DB_NAME": db["NAME"],
    }


class PgConnections:
    """Samples how many server connections the benchmark's database has, while Hostline is under load."""

    def __init__(self, db_name: str) -> None:
        self.db_name, self.peak, self._stop = db_name, 0, threading.Event()

    def __enter__(self) -> PgConnections:
        import psycopg

        def sample() -> None:
            with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
                while not self._stop.wait(0.1):
                    row = conn.execute(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [self.db_name]
                    ).fetchone()
                    self.peak = max(self.peak, int(row[0]) if row else 0)

        self._thread = threading.Thread(target=sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


def profile_summary(raw: Path, top: int = 25) -> str:
    """py-spy's collapsed stacks: where the samples are, by own frame and including callees."""
    own: dict[str, int] = {}
    inclusive: dict[str, int] = {}
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack:
            continue
        count = int(count_text)
        frames = [re.sub(r" \(.*?/(site-packages/)?", " (", f) for f in stack.split(";")]
        total += count
        own[frames[-1]] = own.get(frames[-1], 0) + count
        for frame in set(frames):
            inclusive[frame] = inclusive.get(frame, 0) + count
    lines = [f"{total} samples; own time:"]
    lines += [f"  {n * 100 / total:5.1f}%  {f}" for f, n in sorted(own.items(), key=lambda x: -x[1])[:top]]
    lines.append("including callees:")
    lines += [
        f"  {n * 100 / total:5.1f}%  {f}" for f, n in sorted(inclusive.items(), key=lambda x: -x[1])[:top]
    ]
    return "\n".join(lines)


def measured(
    server_sid: int,
    fake_sid: int,
    url: str,
    script: Path,
    conns: int,
    seconds: int,
    profile_to: Path | None = None,
) -> Result:
    server0, fake0 = session_cpu_seconds(server_sid), session_cpu_seconds(fake_sid)
    spy = None
    if profile_to is not None:
        spy = subprocess.Popen(
            [
                "py-spy",
                "record",
                "--pid",
                str(server_sid),
                "--duration",
                str(seconds),
                "--rate",
                "200",
                "--format",
                "raw",
                "--output",
                str(profile_to),
                "--nonblocking",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    result = wrk(url, script, conns, seconds)
    if spy is not None:
        spy.wait(timeout=60)
    if result.ok:
        result.cpu_ms = (session_cpu_seconds(server_sid) - server0) * 1000 / result.ok
        result.fake_cpu_ms = (session_cpu_seconds(fake_sid) - fake0) * 1000 / result.ok
    return result


def check_once(url: str, restaurant: str) -> None:
    request = urllib.request.Request(
        url,
        data=json.dumps({"restaurant_id": restaurant}).encode(),
        headers={"Content-Type": "application/json", "Origin": ORIGIN, "X-Forwarded-Proto": "https"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        body = json.loads(response.read())
    if response.status != 200 or "participantToken" not in body:
        raise RuntimeError(f"{url} answered {response.status}: {body}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument(
        "--warmup",
        type=int,
        default=5,
        help="seconds of load on each freshly started server before its first row (pools, first snapshot)",
    )
    parser.add_argument("--connections", type=int, nargs="+", default=[16, 64, 256])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="uvicorn processes to try")
    parser.add_argument(
        "--via-django", action="store_true", help="also: one process with CALL_START_ROUTE=false"
    )
    parser.add_argument("--profile", action="store_true", help="py-spy the one-process server's runs")
    parser.add_argument("--logs", default="", help="directory for the servers' logs (default: a temp dir)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (Debian: apt-get install wrk)")
    base = int(os.environ.get("BENCH_PORT_BASE", "18100"))
    fake_port, peer_port, web_port, ceiling_port = base, base + 1, base + 2, base + 3
    restaurant, services = seed()
    work = Path(tempfile.mkdtemp(prefix="hostline-bench-load-"))
    logs = Path(args.logs) if args.logs else work
    logs.mkdir(parents=True, exist_ok=True)
    script = work / "post.lua"
    script.write_text(WRK_SCRIPT % {"restaurant": restaurant, "origin": ORIGIN})
    peer_dir = work / "peer"
    shutil.copytree(PEER_SOURCE, peer_dir)
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--silent"], cwd=peer_dir, check=True)
    python = sys.executable
    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "WEB_CONCURRENCY"))}
    livekit_url = f"http://127.0.0.1:{fake_port}"
    web_env = {
        **base_env,
        # What an operator sets in production (platform/compose.yaml, platform/k8s), nothing more:
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": services["DATABASE_URL"],
        "REDIS_URL": services["REDIS_URL"],
        "CACHE_KEY_PREFIX": services["CACHE_KEY_PREFIX"],
        "LIVEKIT_URL": livekit_url,
        "LIVEKIT_API_KEY": LIVEKIT_KEY,
        "LIVEKIT_API_SECRET": LIVEKIT_SECRET,
        "PLATFORM_BASE_URL": f"http://127.0.0.1:{web_port}",
        # Out of the way for a benchmark, which is one client sending thousands of call starts.
        "CONNECTION_DETAILS_RATE_PER_IP": "100000000/minute",
        "CONNECTION_DETAILS_RATE_PER_RESTAURANT": "100000000/minute",
        # The per-client cap on simultaneous calls (3) would refuse a load generator on one address.
        "CONNECTION_DETAILS_CONCURRENT_PER_CLIENT": "0",
    }
    # The Dockerfile's CMD with the host narrowed to loopback.
    uvicorn_cmd = [
        python,
        "-m",
        "uvicorn",
        "config.asgi:application",
        "--host",
        "127.0.0.1",
        "--port",
        str(web_port),
        "--proxy-headers",
    ]
    peer_env = {
        **base_env,
        "PORT": str(peer_port),
        "LIVEKIT_URL": livekit_url,
        "LIVEKIT_API_KEY": LIVEKIT_KEY,
        "LIVEKIT_API_SECRET": LIVEKIT_SECRET,
        "NODE_ENV": "production",
    }
    fake_cmd = [python, "-m", "bench.dispatch_load_fake", str(fake_port), LIVEKIT_KEY, LIVEKIT_SECRET]
    ceiling_js = (
        "require('http').createServer((q,s)=>{q.resume();q.on('end',()=>{s.setHeader('Content-Type',"
        "'application/json');s.end('{\"ok\":true}')})}).listen(PORT,'127.0.0.1')"
    ).replace("PORT", str(ceiling_port))
    print(
        f"wrk, 1 thread, {args.seconds} s per row after a 2 s warm-up"
        f" ({args.warmup} s more for each freshly started server); logs in {logs}"
    )
    print(
        f"{'server':<24} {'conns':>5} {'2xx/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>7} {'5xx':>5} {'sockerr':>7} {'cpu ms':>7} {'fake ms':>8}"
    )
    with process(["node", "-e", ceiling_js], ceiling_port, base_env, work, logs / "ceiling.log"):
        for conns in args.connections:
            result = wrk(f"http://127.0.0.1:{ceiling_port}/", script, conns, args.seconds)
            print(f"{'wrk ceiling (node echo)':<24} {conns:>5} {result.row()}", flush=True)

    peer_url = f"http://127.0.0.1:{peer_port}/api/connection-details"
    web_url = f"http://127.0.0.1:{web_port}/api/connection-details"
    with (
        process(fake_cmd, fake_port, base_env, ROOT, logs / "fake-livekit.log") as fake,
        ExitStack() as peers,
    ):

        def start_peer() -> subprocess.Popen[bytes]:
            # The peer can die under load (an unhandled LiveKit timeout ends its process): each server
            # configuration gets a fresh one, and a crashed one is restarted before the next row.
            started = peers.enter_context(
                process(["node", "server.mjs"], peer_port, peer_env, peer_dir, logs / "peer.log")
            )
            check_once(peer_url, restaurant)
            wrk(peer_url, script, 16, args.warmup)
            return started

        configs = [(w, True) for w in args.workers] + ([(1, False)] if args.via_django else [])
        for workers, route in configs:
            peer_proc = start_peer()
            env = {**web_env, "WEB_CONCURRENCY": str(workers), "CALL_START_ROUTE": str(route).lower()}
            label = f"hostline, {workers} process{'es' if workers > 1 else ''}"
            if not route:
                label = "hostline via Django, 1"
            with (
                process(
                    uvicorn_cmd, web_port, env, ROOT, logs / f"hostline-{workers}-{int(route)}.log"
                ) as web,
                PgConnections(services["DB_NAME"]) as pg,
            ):
                check_once(web_url, restaurant)
                # A fresh process's first requests open pools and build the first snapshot: keep that
                # out of the first measured row (it once made p99 at 16 connections look 11x the peer's).
                wrk(web_url, script, 16, args.warmup)
                for conns in args.connections:
                    if peer_proc.poll() is not None:
                        peer_proc = start_peer()
                    wrk(peer_url, script, conns, 2)
                    peer = measured(peer_proc.pid, fake.pid, peer_url, script, conns, args.seconds)
                    crashed = peer_proc.poll() is not None
                    wrk(web_url, script, conns, 2)
                    profile_to = (
                        logs / f"profile-{workers}-{int(route)}-{conns}.txt"
                        if args.profile and workers == 1
                        else None
                    )
                    ours = measured(web.pid, fake.pid, web_url, script, conns, args.seconds, profile_to)
                    print(f"{'peer (Express)':<24} {conns:>5} {peer.row()}")
                    if crashed:
                        print(
                            f"  the peer's process died during this row (exit {peer_proc.returncode}): peer.log"
                        )
                    print(f"{label:<24} {conns:>5} {ours.row()}")
                    if web.poll() is not None:
                        print(f"  Hostline's server died during this row (exit {web.returncode})")
                    ratio = ours.rps / peer.rps if peer.rps else 0.0
                    p99 = ours.p99_ms / peer.p99_ms if peer.p99_ms else 0.0
                    print(
                        f"{'  ratio hostline/peer':<24} {conns:>5} {ratio:>8.2f}x {'':>8} {p99:>7.2f}x",
                        flush=True,
                    )
                    if profile_to is not None and profile_to.exists():
                        print(profile_summary(profile_to))
            print(f"  peak Postgres connections of the database during {label}: {pg.peak}")
            peers.close()
    shutil.rmtree(peer_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
