"""A small web server on 127.0.0.1 that counts every connection made to it, and a guard that
stops any connection beyond loopback before it is made.

The refusals of common/outbound.py are proved by its address check alone: no test may send a
packet to a private, link-local or public address, not even to show that it is refused. The
guard sits under httpx (the sockets httpcore opens, for both its sync and its async backends),
records each attempt, and lets only loopback addresses through; a refused address must leave
no attempt at all.
"""

import ipaddress
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import anyio


class ConnectionGuard:
    def __init__(self, monkeypatch):
        self.attempts = []  # (host, port), in the order tried
        create_connection, connect_tcp = socket.create_connection, anyio.connect_tcp

        def guarded_create_connection(address, *args, **kwargs):
            self.allow(*address)
            return create_connection(address, *args, **kwargs)

        async def guarded_connect_tcp(remote_host, remote_port, *args, **kwargs):
            self.allow(remote_host, remote_port)
            return await connect_tcp(remote_host, remote_port, *args, **kwargs)

        monkeypatch.setattr(socket, "create_connection", guarded_create_connection)
        monkeypatch.setattr(anyio, "connect_tcp", guarded_connect_tcp)

    def allow(self, host, port):
        self.attempts.append((str(host), port))
        if not is_loopback(str(host)):
            raise ConnectionRefusedError(f"test guard: no connection to {host}:{port}")

    @property
    def beyond_loopback(self):
        return [(host, port) for host, port in self.attempts if not is_loopback(host)]


def is_loopback(host):
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a name: the code under test should have connected to its address


class Handler(BaseHTTPRequestHandler):
    site = None  # set on a subclass per server
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        self.answer()

    def do_HEAD(self):
        self.answer()

    def log_message(self, format, *args):
        pass

    def answer(self):
        site = self.site
        with site.lock:
            site.requests.append((self.command, self.path, dict(self.headers)))
        path, _, query = self.path.partition("?")
        if path == "/ok":
            self.reply(200, b"<p>A page.</p>")
        elif path == "/redirect":  # /redirect?to=ADDRESS
            self.reply(302, b"", Location=query.removeprefix("to="))
        elif path == "/forever":  # a body that never ends, and says no length
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Connection", "close")
            self.end_headers()
            chunk = b"x" * 65536
            try:
                while not site.stopping.is_set():
                    self.wfile.write(chunk)
                    with site.lock:
                        site.bytes_sent += len(chunk)
            except OSError:
                pass  # the client hung up, as it should
            self.close_connection = True
        elif path == "/drip":  # one byte at a time, each in time for any per-read timeout
            self.send_response(200)
            self.send_header("Content-Length", "100000")
            self.end_headers()
            try:
                while not site.stopping.wait(0.1):
                    self.wfile.write(b"x")
                    self.wfile.flush()
            except OSError:
                pass
            self.close_connection = True
        elif path == "/huge":  # says how much is coming, and it is too much
            self.send_response(200)
            self.send_header("Content-Length", str(10**9))
            self.end_headers()
            self.close_connection = True
        else:
            self.reply(404, b"")

    def reply(self, status, body, **headers):
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
        except OSError:
            pass


class CountingServer(ThreadingHTTPServer):
    daemon_threads = True

    def verify_request(self, request, client_address):
        with self.site.lock:
            self.site.connections += 1
        return True


class LocalSite:
    """The server's state: connections accepted, requests seen (method, path, headers)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.connections = 0
        self.requests = []
        self.bytes_sent = 0
        self.stopping = threading.Event()
        self.server = CountingServer(("127.0.0.1", 0), type("H", (Handler,), {"site": self}))
        self.server.site = self
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}
        )

    def url(self, path, host="127.0.0.1"):
        return f"http://{host}:{self.port}{path}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc_info):
        self.stopping.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()
