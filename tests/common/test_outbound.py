"""common/outbound.py: every address the server fetches is checked, and only that address is
connected to.

Refusals are proved by the check alone: a guard under httpx lets only loopback connections
through and records every attempt, and names resolve through a fake resolver — no packet
leaves this machine, none goes to a private or link-local address. The only server ever
reached is a local one on 127.0.0.1, allowed through `OUTBOUND_ALLOWED_ADDRESSES` where a test
says so.
"""

import asyncio
import ipaddress
import re
import shutil
import socket
import ssl
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from common import outbound
from common.outbound import CREDENTIALS, NOT_PUBLIC, NOT_WEB, ODD_PORT, Refused, TooLarge
from tests.common.localnet import ConnectionGuard, LocalSite

PUBLIC = "93.184.216.34"

# What the fake resolver answers for each name; any other name is an error, never a query.
NAMES = {
    "localhost": ["127.0.0.1", "::1"],
    "intranet.example": ["10.0.0.5"],
    "metadata.example": ["169.254.169.254"],
    "router.example": ["192.168.1.1"],
    "v6.example": ["fd00::5"],
    "mixed.example": [PUBLIC, "10.0.0.5"],  # one bad address refuses the name
    "public.example": [PUBLIC],
    "public6.example": ["2606:4700::6810:84e5"],
}


class FakeResolver:
    def __init__(self, monkeypatch):
        self.asked = []
        self.real = socket.getaddrinfo
        monkeypatch.setattr(socket, "getaddrinfo", self.getaddrinfo)

    def answer(self, host):
        return NAMES[host]

    def getaddrinfo(self, host, port, family=0, type=0, proto=0, flags=0):
        try:
            ipaddress.ip_address(host)
        except ValueError:
            pass
        else:
            return self.real(host, port, family, type, proto, flags)
        self.asked.append(host)
        if _numeric(host):
            # 2130706433, 0x7f.1, 127.1: read by the system as numbers, never sent to a server.
            return self.real(host, port, family, type, proto, flags | socket.AI_NUMERICHOST)
        try:
            addresses = self.answer(host)
        except KeyError:
            raise socket.gaierror(socket.EAI_NONAME, f"unknown in this test: {host}") from None
        return [
            (
                socket.AF_INET6 if ":" in address else socket.AF_INET,
                socket.SOCK_STREAM,
                6,
                "",
                (address, port, 0, 0) if ":" in address else (address, port),
            )
            for address in addresses
        ]


def _numeric(host):
    return all(
        part and all(c in "0123456789abcdefxABCDEFX" for c in part) for part in host.split(".")
    )


@pytest.fixture
def resolver(monkeypatch):
    return FakeResolver(monkeypatch)


@pytest.fixture
def guard(monkeypatch, resolver):
    return ConnectionGuard(monkeypatch)


@pytest.fixture
def local():
    with LocalSite() as site:
        yield site


@pytest.fixture
def allow_local(settings):
    settings.OUTBOUND_ALLOWED_ADDRESSES = ["127.0.0.1"]


NOT_PUBLIC_ADDRESSES = [
    # this machine
    "http://127.0.0.1/",
    "http://127.8.9.10:8080/",
    "http://localhost/",
    "http://[::1]/",
    "http://0.0.0.0/",
    "http://[::]/",
    # the same, spelt as a number
    "http://2130706433/",
    "http://0x7f.1/",
    "http://0x7f000001/",
    "http://017700000001/",
    "http://127.1/",
    # link-local, where clouds hand out credentials
    "http://169.254.169.254/latest/meta-data/",
    "http://[fe80::1]/",
    # private networks
    "http://10.0.0.1/",
    "http://10.255.255.254/",
    "http://172.16.0.1/",
    "http://172.31.255.254/",
    "http://192.168.0.1/",
    "http://192.168.255.254/",
    "http://[fc00::1]/",
    "http://[fd12:3456:789a::1]/",
    "http://[fec0::1]/",
    # IPv4 inside IPv6
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:10.0.0.1]/",
    "http://[::ffff:169.254.169.254]/",
    "http://[2002:7f00:1::]/",  # 6to4 of 127.0.0.1
    "http://[2002:a9fe:a9fe::]/",  # 6to4 of 169.254.169.254
    "http://[64:ff9b::a9fe:a9fe]/",  # NAT64 of 169.254.169.254
    "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/",  # Teredo
    # shared, multicast, reserved, broadcast, benchmarking, documentation
    "http://100.64.0.1/",
    "http://224.0.0.1/",
    "http://[ff02::1]/",
    "http://240.0.0.1/",
    "http://255.255.255.255/",
    "http://198.18.0.1/",
    "http://192.0.0.8/",
    "http://192.0.2.1/",
    "http://[2001:db8::1]/",
    # names that resolve there
    "http://intranet.example/",
    "https://metadata.example/",
    "http://router.example:8080/",
    "http://v6.example/",
    "http://mixed.example/",
]


@pytest.mark.parametrize("url", NOT_PUBLIC_ADDRESSES)
def test_the_check_refuses_an_address_that_is_not_public(resolver, url):
    with pytest.raises(Refused) as refused:
        outbound.check_url(url, allowed=())
    assert str(refused.value) == NOT_PUBLIC


@pytest.mark.parametrize("url", NOT_PUBLIC_ADDRESSES)
def test_a_fetch_of_an_address_that_is_not_public_connects_nowhere(guard, url):
    with pytest.raises(Refused) as refused:
        outbound.fetch(url, max_bytes=1000, timeout=2, allowed=())
    assert str(refused.value) == NOT_PUBLIC
    assert guard.attempts == []


def test_the_refusal_says_nothing_of_what_is_behind_the_address(guard, local):
    """An open port and a closed one are refused alike, and neither is touched."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    answers = []
    for url in [local.url("/ok"), f"http://127.0.0.1:{closed}/ok"]:
        with pytest.raises(Refused) as refused:
            outbound.fetch(url, max_bytes=1000, timeout=2, allowed=())
        answers.append(str(refused.value))
    assert answers == [NOT_PUBLIC, NOT_PUBLIC]
    assert local.connections == 0 and guard.attempts == []


@pytest.mark.parametrize(
    "url, addresses",
    [
        ("http://public.example/", [PUBLIC]),
        ("https://public6.example/", ["2606:4700::6810:84e5"]),
        (f"http://{PUBLIC}:8080/", [PUBLIC]),
        ("https://[2606:4700::1]/", ["2606:4700::1"]),
    ],
)
def test_a_public_address_passes_the_check(resolver, url, addresses):
    assert outbound.check_url(url, allowed=()) == [ipaddress.ip_address(a) for a in addresses]


@pytest.mark.parametrize("url", ["http://public.example:22/", f"https://{PUBLIC}:6379/"])
def test_a_public_address_is_asked_only_on_web_ports(guard, url):
    with pytest.raises(Refused, match=re.escape(ODD_PORT)):
        outbound.check_url(url, allowed=())
    with pytest.raises(Refused, match=re.escape(ODD_PORT)):
        outbound.fetch(url, max_bytes=1000, timeout=2, allowed=())
    assert guard.attempts == []


@pytest.mark.parametrize(
    "url",
    ["ftp://public.example/", "file:///etc/passwd", "gopher://public.example/", "javascript:x"],
)
def test_only_web_addresses_are_fetched(guard, url):
    with pytest.raises(Refused, match=NOT_WEB):
        outbound.fetch(url, max_bytes=1000, timeout=2, allowed=())
    assert guard.attempts == []


@pytest.mark.parametrize(
    "url",
    [
        "http://user:secret@{host}/ok",
        "http://user@{host}/ok",
        "http://:secret@{host}/ok",
        "http://public.example%5C@{host}/ok",
    ],
)
def test_an_address_with_credentials_is_never_sent(guard, local, allow_local, url):
    url = url.format(host=f"127.0.0.1:{local.port}")
    with pytest.raises(Refused) as refused:
        outbound.fetch(url, max_bytes=1000, timeout=2)
    assert str(refused.value) == CREDENTIALS
    assert local.connections == 0 and guard.attempts == []


@pytest.mark.parametrize(
    "url",
    ["https://user:pw@www.vogue.com/", "http://a@b.example/", "HTTP://x:y@h.example:80/p"],
)
def test_credentials_are_recognised_in_a_typed_address(url):
    assert outbound.has_credentials(url)


@pytest.mark.parametrize(
    "url", ["https://medium.com/@kimkardashian", "https://x.example/?mail=a@b.org", "", "x"]
)
def test_an_at_sign_after_the_host_is_no_credential(url):
    assert not outbound.has_credentials(url)


# The allow-list


def test_loopback_is_refused_without_the_setting(guard, local, settings):
    settings.OUTBOUND_ALLOWED_ADDRESSES = []
    with pytest.raises(Refused, match=NOT_PUBLIC):
        outbound.fetch(local.url("/ok"), max_bytes=1000, timeout=2)
    assert local.connections == 0


def test_an_allowed_address_is_fetched_on_any_port(guard, local, allow_local):
    page = outbound.fetch(local.url("/ok"), max_bytes=1000, timeout=2)
    assert (page.status, page.content, page.url) == (200, b"<p>A page.</p>", local.url("/ok"))
    assert page.text == "<p>A page.</p>"
    assert guard.attempts == [("127.0.0.1", local.port)]


def test_params_are_added_to_the_query(guard, local, allow_local):
    page = outbound.fetch(local.url("/ok?a=1"), params={"q": "Kim K"}, max_bytes=100, timeout=2)
    assert page.status == 200
    assert local.requests[0][1] == "/ok?a=1&q=Kim+K"


def test_the_allow_list_opens_only_what_it_names(resolver, settings):
    settings.OUTBOUND_ALLOWED_ADDRESSES = ["127.0.0.1", "10.1.0.0/16"]
    assert outbound.check_url("http://10.1.2.3:9200/") == [ipaddress.ip_address("10.1.2.3")]
    for url in [
        "http://10.2.0.1/",
        "http://127.0.0.2/",
        "http://[::1]/",
        "http://metadata.example/",
    ]:
        with pytest.raises(Refused, match=NOT_PUBLIC):
            outbound.check_url(url)


def test_a_call_may_name_its_own_allow_list(guard, local, settings):
    settings.OUTBOUND_ALLOWED_ADDRESSES = []
    page = outbound.fetch(local.url("/ok"), max_bytes=1000, timeout=2, allowed=["127.0.0.0/8"])
    assert page.status == 200


def test_a_bad_allow_list_is_refused_by_name(settings):
    with pytest.raises(ValueError, match="OUTBOUND_ALLOWED_ADDRESSES: “localhost” is not"):
        outbound.parse_allowed(["127.0.0.1", "localhost"])
    settings.OUTBOUND_ALLOWED_ADDRESSES = ["127.0.0.1", "10.0.0.0/33"]
    with pytest.raises(SystemCheckError, match="newsroom.E002"):
        call_command("check")


# Redirects: every hop checked before its connection


def test_a_redirect_to_an_address_that_is_not_public_is_refused_at_the_hop(
    guard, local, allow_local
):
    for target in [
        "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
        "http://intranet.example/admin",
        "http://[::1]:{port}/ok",
        "http://0x7f.2:{port}/ok",  # 127.0.0.2: not the allowed 127.0.0.1
    ]:
        url = local.url("/redirect?to=" + target.format(port=local.port))
        with pytest.raises(Refused) as refused:
            outbound.fetch(url, max_bytes=1000, timeout=2)
        assert str(refused.value) == NOT_PUBLIC
    assert guard.beyond_loopback == []
    # Only the redirects themselves were asked, once each.
    assert [path.partition("?")[0] for _, path, _ in local.requests] == ["/redirect"] * 4


def test_a_redirect_to_an_address_with_credentials_is_not_followed(guard, local, allow_local):
    target = f"http://user:secret@127.0.0.1:{local.port}/ok"
    with pytest.raises(Refused, match=CREDENTIALS):
        outbound.fetch(local.url("/redirect?to=" + target), max_bytes=1000, timeout=2)
    assert [path for _, path, _ in local.requests] == ["/redirect?to=" + target]
    assert not any("Authorization" in headers for _, _, headers in local.requests)


def test_a_redirect_off_the_web_is_not_followed(guard, local, allow_local):
    with pytest.raises(Refused, match=NOT_WEB):
        outbound.fetch(local.url("/redirect?to=file:///etc/passwd"), max_bytes=1000, timeout=2)


def test_a_redirect_within_the_rules_is_followed(guard, local, allow_local):
    page = outbound.fetch(local.url("/redirect?to=/ok"), max_bytes=1000, timeout=2)
    assert (page.status, page.url) == (200, local.url("/ok"))


def test_redirects_stop_at_the_limit(guard, local, allow_local):
    loop = local.url("/redirect?to=/redirect?to=/redirect?to=/redirect?to=/ok")
    with pytest.raises(outbound.TooManyRedirects):
        outbound.fetch(loop, max_bytes=1000, timeout=2, max_redirects=2)
    assert len(local.requests) == 3
    assert outbound.fetch(loop, max_bytes=1000, timeout=2, max_redirects=4).status == 200


# The connection goes to the address that was checked


def test_the_connection_goes_to_the_address_checked_not_a_second_answer(guard, local, monkeypatch):
    """DNS rebinding: the name answers an allowed address once, then a private one."""
    answers = iter([["127.0.0.1"], ["10.0.0.5"], ["10.0.0.5"]])
    asked = []

    def rebinding(host):
        asked.append(host)
        return next(answers)

    monkeypatch.setattr(FakeResolver, "answer", lambda self, host: rebinding(host))
    url = f"http://rebind.example:{local.port}/ok"
    page = outbound.fetch(url, max_bytes=1000, timeout=2, allowed=["127.0.0.1"])
    assert page.status == 200
    assert asked == ["rebind.example"]  # one look-up: the checked answer is the one used
    assert guard.attempts == [("127.0.0.1", local.port)]
    assert local.requests[0][2]["Host"] == f"rebind.example:{local.port}"


@pytest.mark.skipif(not shutil.which("openssl"), reason="needs openssl to make a certificate")
def test_tls_still_names_the_host_when_the_connection_goes_to_its_address(
    guard, monkeypatch, tmp_path
):
    """SNI carries the name, not the address connected to (the certificate is checked
    against the name too: this one is self-signed, so the handshake fails after it)."""
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-subj", "/CN=tls.example", "-keyout", tmp_path / "key.pem"]
        + ["-out", tmp_path / "cert.pem"],
        check=True,
        capture_output=True,
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")
    names = []
    context.sni_callback = lambda _socket, name, _context: names.append(name)
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def serve():
        connection, _ = listener.accept()
        try:
            context.wrap_socket(connection, server_side=True).close()
        except (ssl.SSLError, OSError):
            pass
        finally:
            connection.close()

    server = threading.Thread(target=serve)
    server.start()
    monkeypatch.setitem(NAMES, "tls.example", ["127.0.0.1"])
    try:
        with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
            outbound.fetch(
                f"https://tls.example:{port}/", max_bytes=1000, timeout=5, allowed=["127.0.0.1"]
            )
    finally:
        server.join(5)
        listener.close()
    assert names == ["tls.example"]
    assert guard.attempts == [("127.0.0.1", port)]


def test_proxies_from_the_environment_are_not_used(guard, local, allow_local, monkeypatch):
    with LocalSite() as proxy:
        for name in ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"]:
            monkeypatch.setenv(name, proxy.url(""))
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        assert outbound.fetch(local.url("/ok"), max_bytes=1000, timeout=2).status == 200
    assert proxy.connections == 0 and local.connections == 1


# Limits: bytes and time


def test_the_byte_cap_holds_against_a_body_that_never_ends(guard, local, allow_local):
    with pytest.raises(TooLarge, match="more than 1000000 bytes"):
        outbound.fetch(local.url("/forever"), max_bytes=1_000_000, timeout=10)


def test_a_declared_length_over_the_cap_is_refused_before_reading(guard, local, allow_local):
    with pytest.raises(TooLarge, match="1000000000 bytes, more than 1000"):
        outbound.fetch(local.url("/huge"), max_bytes=1000, timeout=2)


def test_the_timeout_bounds_the_whole_fetch_not_each_read(guard, local, allow_local):
    """A byte every 0.1 s meets any per-read timeout; the whole fetch still ends in time."""
    started = time.monotonic()
    with pytest.raises(httpx.TimeoutException):
        outbound.fetch(local.url("/drip"), max_bytes=1_000_000, timeout=1)
    assert time.monotonic() - started < 3


@pytest.mark.parametrize(
    "limits", [{"max_bytes": -1}, {"timeout": 0}, {"max_redirects": -1}], ids=str
)
def test_impossible_limits_are_refused(limits):
    with pytest.raises(ValueError):
        outbound.fetch("http://public.example/", **{"max_bytes": 10, "timeout": 1, **limits})


# Clients for callers that need more of httpx


def test_the_client_checks_every_connection(guard, local):
    with outbound.client(allowed=()) as http:
        with pytest.raises(Refused, match=NOT_PUBLIC):
            http.head(local.url("/ok"))
        with pytest.raises(Refused, match=CREDENTIALS):
            http.head(local.url("/ok").replace("http://", "http://a:b@"))
    with outbound.client(allowed=["127.0.0.1"]) as http:
        assert http.head(local.url("/ok")).status_code == 200
    assert guard.attempts == [("127.0.0.1", local.port)]


def test_the_async_client_checks_every_connection(guard, local):
    async def ask(allowed):
        async with outbound.async_client(allowed=allowed) as http:
            return (await http.head(local.url("/ok"))).status_code

    def run(allowed):
        # A thread of its own: this one may already run an event loop (the browser tests').
        with ThreadPoolExecutor(max_workers=1) as thread:
            return thread.submit(asyncio.run, ask(allowed)).result()

    with pytest.raises(Refused, match=NOT_PUBLIC):
        run(())
    with pytest.raises(Refused, match=NOT_PUBLIC):
        run(["127.0.0.2"])
    assert local.connections == 0
    assert run(["127.0.0.1"]) == 200
    assert guard.attempts == [("127.0.0.1", local.port)]


def test_an_unknown_host_is_not_found_not_refused(guard):
    with pytest.raises(httpx.ConnectError, match="host not found"):
        outbound.fetch("http://nowhere.example/", max_bytes=10, timeout=2, allowed=())
    assert guard.attempts == []
