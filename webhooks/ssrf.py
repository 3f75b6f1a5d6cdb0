"""Outbound requests to tenant-chosen URLs, without server-side request forgery.

The host is resolved here, every address is vetted (loopback, private, link-local, shared, reserved,
multicast and cloud metadata addresses are refused), and the connection is made to the vetted address
itself, with the original name kept for TLS (SNI and certificate check) and the Host header, so a DNS
answer that changes between the check and the connect (rebinding) cannot redirect us. Redirects are never
followed. Every attempt resolves again. An operator may allow named internal hosts
(WEBHOOK_ALLOWED_INTERNAL_HOSTS); metadata addresses stay refused even then.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass

import urllib3
from django.conf import settings
from urllib3.util import parse_url

# Cloud metadata services: never reachable, whatever the allow list says.
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a)
    for a in ("169.254.169.254", "169.254.170.2", "100.100.100.200", "fd00:ec2::254", "192.0.0.192")
)
RESPONSE_EXCERPT_BYTES = 500

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class UnsafeDestination(Exception):
    """The URL may not be called: bad scheme, or it resolves to an address we refuse."""


def address_refused(ip: IPAddress) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip in METADATA_ADDRESSES or not ip.is_global or ip.is_multicast


def _allowed_internal(host: str) -> bool:
    return host.lower().rstrip(".") in {h.lower() for h in settings.WEBHOOK_ALLOWED_INTERNAL_HOSTS}


def url_check(url: str) -> None:
    """What can be said without DNS: scheme, host, no credentials, no literal refused address."""
    try:
        parts = parse_url(url)
    except ValueError as exc:
        raise UnsafeDestination("That is not a URL.") from exc
    allowed_schemes = {"https", "http"} if settings.WEBHOOK_ALLOW_HTTP else {"https"}
    if parts.scheme not in allowed_schemes:
        raise UnsafeDestination(f"Use {' or '.join(sorted(allowed_schemes))}.")
    if not parts.host:
        raise UnsafeDestination("The URL has no host.")
    if parts.auth:
        raise UnsafeDestination("Put no user name or password in the URL; events are signed instead.")
    try:
        ip = ipaddress.ip_address(parts.host.strip("[]"))
    except ValueError:
        return
    if ip in METADATA_ADDRESSES or (address_refused(ip) and not _allowed_internal(parts.host)):
        raise UnsafeDestination(f"{parts.host} is a private or reserved address.")


def vetted_address(host: str, port: int) -> str:
    """The first address `host` resolves to, if every address it resolves to may be called."""
    try:
        infos = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise UnsafeDestination(f"{host} does not resolve.") from exc
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    if not addresses:
        raise UnsafeDestination(f"{host} does not resolve.")
    internal_ok = _allowed_internal(host)
    for ip in addresses:
        # All of them: a name that also resolves to a private address is refused, not raced.
        if ip in METADATA_ADDRESSES or (address_refused(ip) and not internal_ok):
            raise UnsafeDestination(f"{host} resolves to {ip}, a private or reserved address.")
    return str(addresses[0])


@dataclass(frozen=True)
class PostResult:
    status_code: int | None
    latency_ms: int
    excerpt: str
    error: str

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def safe_post(url: str, *, body: bytes, headers: dict[str, str], timeout: float) -> PostResult:
    """POST once to a vetted address. Never raises for network trouble; the result says what happened."""
    started = time.perf_counter()

    def result(status: int | None = None, excerpt: str = "", error: str = "") -> PostResult:
        return PostResult(status, int((time.perf_counter() - started) * 1000), excerpt, error[:300])

    try:
        url_check(url)
        parts = parse_url(url)
        host = parts.host or ""
        port = parts.port or (443 if parts.scheme == "https" else 80)
        ip = vetted_address(host, port)
    except UnsafeDestination as exc:
        return result(error=f"refused: {exc}")
    host_header = host if parts.port is None else f"{host}:{parts.port}"
    pool_timeout = urllib3.Timeout(connect=min(timeout, 5.0), read=timeout)
    pool: urllib3.HTTPConnectionPool
    if parts.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            ip,
            port,
            server_hostname=host.strip("[]"),
            assert_hostname=host.strip("[]"),
            cert_reqs="CERT_REQUIRED",
            timeout=pool_timeout,
            retries=False,
            maxsize=1,
        )
    else:
        pool = urllib3.HTTPConnectionPool(ip, port, timeout=pool_timeout, retries=False, maxsize=1)
    try:
        response = pool.urlopen(
            "POST",
            parts.request_uri,
            body=body,
            headers={**headers, "Host": host_header},
            redirect=False,
            retries=False,
            preload_content=False,
        )
        try:
            excerpt = response.read(RESPONSE_EXCERPT_BYTES, decode_content=False)
        finally:
            response.release_conn()
        return result(response.status, excerpt.decode("utf-8", errors="replace"))
    except urllib3.exceptions.NewConnectionError as exc:  # a subclass of the timeout error, but not one
        return result(error=f"network: {exc}")
    except urllib3.exceptions.TimeoutError as exc:
        return result(error=f"timeout: {exc}")
    except urllib3.exceptions.HTTPError as exc:
        return result(error=f"network: {exc}")
    except OSError as exc:
        return result(error=f"network: {exc}")
    finally:
        pool.close()
