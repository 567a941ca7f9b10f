"""Every address the server fetches goes through here: no request of ours reaches a private network.

An editor types a source's address and `check_sources` asks it; an importer reads an API from a
configured base address. Each makes the server connect where someone else said. Unchecked, that
is a way into the networks the server sits in: its own loopback services, a cloud's metadata
address (169.254.169.254), an office's private ranges — and the answer, or even whether a port
answered, tells the attacker what is there. So:

- Only `http` and `https`, and never an address carrying a user name or password (`user:pw@`):
  httpx would send them as Basic auth to whoever answers.
- The host name is resolved once, and every address it resolves to must be public, that is
  globally routable: not loopback, private, link-local, unspecified, multicast, reserved, the
  shared 100.64.0.0/10, documentation or benchmarking ranges, nor an IPv6 form carrying one of
  those inside (IPv4-mapped, 6to4, NAT64, Teredo). One bad address refuses the name. Numbers in
  odd spellings (`http://2130706433/`, `http://0x7f.1/`) are read as the system reads them:
  both are 127.0.0.1, refused.
- The connection goes to exactly the address that was checked: no second look-up between the
  check and the connection, so a name that answers differently the second time (DNS rebinding)
  gains nothing. TLS still names the host (SNI and the certificate check), and so does the Host
  header.
- A public address is asked only on the usual web ports (`WEB_PORTS`).
- Redirects are followed here, each hop checked afresh when its connection opens, at most
  `max_redirects` of them.
- At most `max_bytes` of the body are read (after decompression), and `timeout` bounds the
  whole fetch, redirects and a server dribbling one byte at a time included (name resolution
  aside: the system's resolver has its own limits).
- No proxy and no .netrc from the environment: the request goes where it was checked to go.

Addresses the operator trusts are named in the setting `OUTBOUND_ALLOWED_ADDRESSES` (addresses
or networks, such as `127.0.0.1` for a test server; default: none, so loopback is refused), or
per call with `allowed=`. An allowed address may be asked on any port.

Use:

    from common import outbound

    page = outbound.fetch(url, params={"q": "…"}, max_bytes=2_000_000, timeout=10)
    page.status, page.url, page.headers, page.content, page.json()

`fetch` raises `Refused` when the address may not be fetched — its message is meant to be shown
as it is, and says nothing of what lies behind the address (`Refused.detail` does, for logs) —,
`TooLarge` past `max_bytes` and `TooManyRedirects`; all three are `OutboundError`. When the
network fails it raises httpx's errors (`httpx.HTTPError`): `httpx.TimeoutException` once
`timeout` has passed, `httpx.ConnectError` for a host not found or a refused connection.

Callers that need more of httpx (HEAD requests, connection limits, an event loop) take a client
whose every connection is checked the same way: `client(...)` or `async_client(...)`, with
httpx's own arguments (`timeout`, `headers`, `limits`…). They do not follow redirects; a caller
that follows them sends each hop through the same client, where it is checked before any
connection. `check_url(url)` runs the whole check without connecting.
"""

import functools
import ipaddress
import json
import socket
import ssl
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import anyio.to_thread
import httpcore
import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

WEB_PORTS = frozenset({80, 443, 8080, 8443})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})

NOT_PUBLIC = "refused: not a public address"
CREDENTIALS = "refused: the address carries a user name or password"
NOT_WEB = "refused: only http and https addresses are fetched"
NOT_VALID = "refused: not a valid web address"
ODD_PORT = "refused: only the usual web ports are asked (80, 443, 8080, 8443)"

# Ranges that are not globally routable, named here rather than trusted to `is_global` alone:
# Python 3.11's tables call multicast, 192.0.0.0/24, site-local fec0::/10, and 6to4 or NAT64
# forms of 127.0.0.1 "global". IANA's special-purpose registries, as of 2024.
NOT_PUBLIC_NETWORKS = tuple(
    ipaddress.ip_network(network)
    for network in [
        "0.0.0.0/8",  # "this network"; 0.0.0.0 reaches the host itself
        "10.0.0.0/8",
        "100.64.0.0/10",  # shared address space (carrier-grade NAT)
        "127.0.0.0/8",
        "169.254.0.0/16",  # link-local, where clouds answer with credentials
        "172.16.0.0/12",
        "192.0.0.0/24",  # IETF protocol assignments
        "192.0.2.0/24",  # documentation
        "192.88.99.0/24",  # 6to4 relays
        "192.168.0.0/16",
        "198.18.0.0/15",  # benchmarking
        "198.51.100.0/24",  # documentation
        "203.0.113.0/24",  # documentation
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, and the broadcast address
        "::/127",  # unspecified and loopback
        "::ffff:0:0/96",  # IPv4-mapped: judged by the IPv4 address inside
        "64:ff9b:1::/48",  # local-use NAT64
        "100::/64",  # discard
        "2001::/23",  # IETF protocol assignments (Teredo among them)
        "2001:db8::/32",  # documentation
        "3fff::/20",  # documentation
        "5f00::/16",  # segment routing
        "fc00::/7",  # unique local
        "fe80::/10",  # link-local
        "fec0::/10",  # site-local
        "ff00::/8",  # multicast
    ]
)
NAT64 = ipaddress.ip_network("64:ff9b::/96")


class OutboundError(Exception):
    """Not fetched, or not entirely, by this module's rules."""


class Refused(OutboundError):
    """The address may not be fetched. `str()` is safe to show; `detail` is for logs."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail


class TooLarge(OutboundError):
    pass


class TooManyRedirects(OutboundError):
    pass


@dataclass(frozen=True)
class Fetched:
    """What an address answered: `url` is the address that gave it, after redirects."""

    url: str
    status: int
    headers: httpx.Headers
    content: bytes

    @property
    def text(self) -> str:
        return httpx.Response(self.status, headers=self.headers, content=self.content).text

    def json(self) -> Any:
        return json.loads(self.content)


# The rules


def is_public(address: IPAddress) -> bool:
    """Globally routable, including any IPv4 address an IPv6 address carries inside."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return is_public(address.ipv4_mapped)
        inside = address.sixtofour
        if inside is None and address in NAT64:
            inside = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if inside is not None and not is_public(inside):
            return False
    if any(address in network for network in NOT_PUBLIC_NETWORKS):
        return False
    return address.is_global and not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def parse_allowed(values: Iterable[str]) -> tuple[IPNetwork, ...]:
    """`127.0.0.1`, `10.1.0.0/16` or `::1`: each an address or a network."""
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError:
            raise ValueError(
                f"OUTBOUND_ALLOWED_ADDRESSES: “{value}” is not an IP address or network"
            ) from None
    return tuple(networks)


def allowed_from_settings() -> tuple[IPNetwork, ...]:
    from django.conf import settings

    return parse_allowed(getattr(settings, "OUTBOUND_ALLOWED_ADDRESSES", ()))


@dataclass(frozen=True)
class Policy:
    """Where this server may connect: public addresses on web ports, and `allowed` ones."""

    allowed: tuple[IPNetwork, ...] = ()

    @classmethod
    def of(cls, allowed: Iterable[str] | None) -> "Policy":
        """The setting's allow-list when `allowed` is None, else exactly `allowed`."""
        if isinstance(allowed, str):
            allowed = [allowed]
        return cls(allowed_from_settings() if allowed is None else parse_allowed(allowed))

    def is_allowed(self, address: IPAddress) -> bool:
        forms = [address]
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            forms.append(address.ipv4_mapped)
        return any(
            form.version == network.version and form in network
            for form in forms
            for network in self.allowed
        )

    def check_address(self, address: IPAddress, port: int) -> None:
        if self.is_allowed(address):
            return
        if not is_public(address):
            raise Refused(NOT_PUBLIC, f"{address} is not a public address")
        if port not in WEB_PORTS:
            raise Refused(ODD_PORT, f"port {port} of {address}")

    def addresses(self, host: str, port: int) -> list[IPAddress]:
        """Where `host` may be reached: its addresses, each checked. Raises Refused, or
        httpcore.ConnectError when the name is not found."""
        try:
            found = resolve(host, port)
        except OSError as error:
            raise httpcore.ConnectError(f"host not found: {host}") from error
        if not found:
            raise httpcore.ConnectError(f"host not found: {host}")
        for address in found:
            self.check_address(address, port)
        return found


def resolve(host: str, port: int) -> list[IPAddress]:
    """The host's addresses, as the system's resolver gives them (numbers in any spelling the
    system accepts are read without asking a name server)."""
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    addresses = []
    for *_, sockaddr in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM):
        address = ipaddress.ip_address(sockaddr[0])
        if address not in addresses:
            addresses.append(address)
    return addresses


def web_url(url: str | httpx.URL) -> httpx.URL:
    """The address parsed, if it is one this module fetches at all (before any look-up)."""
    try:
        parsed = url if isinstance(url, httpx.URL) else httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as error:
        raise Refused(NOT_VALID, str(error)) from None
    if parsed.scheme not in {"http", "https"}:
        raise Refused(NOT_WEB, parsed.scheme)
    if parsed.userinfo:
        raise Refused(CREDENTIALS)
    if not parsed.host:
        raise Refused(NOT_VALID, "no host")
    return parsed


def has_credentials(url: str) -> bool:
    """Whether a typed address carries a user name or password (`https://user:pw@host/`)."""
    authority = url.partition("://")[2]
    for end in "/?#":
        authority = authority.partition(end)[0]
    return "@" in authority


def check_url(url: str, *, allowed: Iterable[str] | None = None) -> list[IPAddress]:
    """Everything `fetch` checks before connecting, without connecting: the addresses it would
    connect to, or Refused (httpx.ConnectError for a host not found)."""
    parsed = web_url(url)
    policy = Policy.of(allowed)
    try:
        return policy.addresses(parsed.host, parsed.port or _default_port(parsed.scheme))
    except httpcore.ConnectError as error:
        raise httpx.ConnectError(str(error)) from error


def _default_port(scheme: str) -> int:
    return 443 if scheme == "https" else 80


# The connections: httpcore's network backends, connecting only to checked addresses


class _GuardedBackend(httpcore.SyncBackend):
    def __init__(self, policy: Policy, deadline: float | None = None) -> None:
        self.policy = policy
        self.deadline = deadline

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        *others, last = self.policy.addresses(host, port)
        for address in others:
            try:
                return self._open(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectError:
                continue
        # The last one's failure is raised with its cause ("connection refused" and the like).
        return self._open(last, port, timeout, local_address, socket_options)

    def _open(
        self,
        address: IPAddress,
        port: int,
        timeout: float | None,
        local_address: str | None,
        socket_options: Iterable[Any] | None,
    ) -> httpcore.NetworkStream:
        timeout = _within(self.deadline, timeout, httpcore.ConnectTimeout)
        stream = super().connect_tcp(str(address), port, timeout, local_address, socket_options)
        return stream if self.deadline is None else _DeadlineStream(stream, self.deadline)


class _GuardedAsyncBackend(httpcore.AnyIOBackend):
    def __init__(self, policy: Policy) -> None:
        self.policy = policy

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        *others, last = await anyio.to_thread.run_sync(self.policy.addresses, host, port)
        for address in others:
            try:
                return await super().connect_tcp(
                    str(address), port, timeout, local_address, socket_options
                )
            except httpcore.ConnectError:
                continue
        return await super().connect_tcp(str(last), port, timeout, local_address, socket_options)


def _within(
    deadline: float | None, timeout: float | None, expired: type[Exception]
) -> float | None:
    """The time an operation may take: its own timeout, cut to what is left of the fetch's."""
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise expired("the time for this fetch ran out")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read and write ends by the fetch's deadline: httpx's timeouts
    are per operation, and a server sending a byte a second would never meet one."""

    def __init__(self, stream: httpcore.NetworkStream, deadline: float) -> None:
        self.stream = stream
        self.deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.stream.read(max_bytes, _within(self.deadline, timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.stream.write(buffer, _within(self.deadline, timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self.stream.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        timeout = _within(self.deadline, timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(
            self.stream.start_tls(ssl_context, server_hostname, timeout), self.deadline
        )

    def get_extra_info(self, info: str) -> Any:
        return self.stream.get_extra_info(info)


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    return httpx.create_ssl_context(trust_env=False)


def _refuse_unfetchable(request: httpx.Request) -> None:
    # The address as sent, credentials included: httpx turns `user:pw@` into a header.
    web_url(request.url)


# httpx 0.28 builds its connection pool inside its transports and takes no network backend, so
# these transports set up their own pool (`_pool`, which the rest of httpx's transport uses)
# with the guarded backend. Were httpx to rename it, requests would bypass the guard: the
# refusal tests in tests/common/test_outbound.py would fail.


class _GuardedTransport(httpx.HTTPTransport):
    def __init__(self, policy: Policy, limits: httpx.Limits, deadline: float | None) -> None:
        self._pool = httpcore.ConnectionPool(
            ssl_context=_ssl_context(),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=_GuardedBackend(policy, deadline),
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        _refuse_unfetchable(request)
        return super().handle_request(request)


class _GuardedAsyncTransport(httpx.AsyncHTTPTransport):
    def __init__(self, policy: Policy, limits: httpx.Limits) -> None:
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=_ssl_context(),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=_GuardedAsyncBackend(policy),
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        _refuse_unfetchable(request)
        return await super().handle_async_request(request)


DEFAULT_LIMITS = httpx.Limits(max_connections=10, max_keepalive_connections=10)


def client(
    *,
    allowed: Iterable[str] | None = None,
    limits: httpx.Limits = DEFAULT_LIMITS,
    **options: Any,
) -> httpx.Client:
    """An httpx.Client whose every connection is checked; `options` as for httpx.Client."""
    return _client(Policy.of(allowed), limits, None, **options)


def _client(
    policy: Policy, limits: httpx.Limits, deadline: float | None, **options: Any
) -> httpx.Client:
    return httpx.Client(
        transport=_GuardedTransport(policy, limits, deadline),
        trust_env=False,
        follow_redirects=False,
        **options,
    )


def async_client(
    *,
    allowed: Iterable[str] | None = None,
    limits: httpx.Limits = DEFAULT_LIMITS,
    **options: Any,
) -> httpx.AsyncClient:
    """An httpx.AsyncClient whose every connection is checked; `options` as for httpx's."""
    return httpx.AsyncClient(
        transport=_GuardedAsyncTransport(Policy.of(allowed), limits),
        trust_env=False,
        follow_redirects=False,
        **options,
    )


# Fetching


def fetch(
    url: str,
    *,
    max_bytes: int,
    timeout: float,
    method: str = "GET",
    params: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    max_redirects: int = 5,
    allowed: Iterable[str] | None = None,
) -> Fetched:
    """Ask `url` (with `params` added to its query), following redirects, each hop checked;
    see the module's docstring."""
    if max_bytes < 0 or timeout <= 0 or max_redirects < 0:
        raise ValueError("max_bytes and max_redirects must not be negative, timeout positive")
    deadline = time.monotonic() + timeout
    first = web_url(url)
    address: str | httpx.URL = first.copy_merge_params(params) if params else first
    with _client(Policy.of(allowed), DEFAULT_LIMITS, deadline, timeout=timeout) as http:
        for _ in range(max_redirects + 1):
            with http.stream(method, web_url(address), headers=headers) as response:
                target = redirect_target(response)
                if target is None:
                    return Fetched(
                        url=str(response.url),
                        status=response.status_code,
                        headers=response.headers,
                        content=read_at_most(response, max_bytes),
                    )
            if response.status_code == 303 and method != "HEAD":
                method = "GET"
            address = target
    raise TooManyRedirects(f"more than {max_redirects} redirects")


def redirect_target(response: httpx.Response) -> str | None:
    """Where a redirect points, resolved against the address that answered; None otherwise."""
    location = response.headers.get("Location")
    if response.status_code not in REDIRECT_STATUSES or not location:
        return None
    try:
        return str(response.url.join(location))
    except httpx.InvalidURL as error:
        raise Refused(NOT_VALID, f"redirected to {location!r}: {error}") from None


def read_at_most(response: httpx.Response, max_bytes: int) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise TooLarge(f"the answer is {declared} bytes, more than {max_bytes}")
    return b"".join(_capped(response.iter_bytes(), max_bytes))


def _capped(chunks: Iterator[bytes], max_bytes: int) -> Iterator[bytes]:
    total = 0
    for chunk in chunks:
        total += len(chunk)
        if total > max_bytes:
            raise TooLarge(f"the answer is more than {max_bytes} bytes")
        yield chunk
