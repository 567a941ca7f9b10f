"""Whether the addresses the archive cites still answer.

`check_urls` asks every distinct address once and says what it answered. It knows nothing of
the database: `manage.py check_sources` reads the addresses and records the answers.

Politeness towards the outlets comes first: a User-Agent that says who is asking, HEAD rather
than a whole page, at most `per_host` requests in flight to one site, and retries only for
answers that mean “try later”, spaced out and honouring `Retry-After` (up to `max_wait`).

Every request goes through `common.outbound`: an address that is not public (loopback, private,
link-local… after name resolution, at every redirect) or that carries a user name or password
is refused before any connection, with the same plain answer whatever lies behind it.
"""

import asyncio
import socket
import ssl
from collections.abc import Awaitable, Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from types import TracebackType
from urllib.parse import urlsplit

import httpx

from common import outbound
from common.retry_after import retry_after

USER_AGENT = "NewsroomLinkChecker/1.0 (+source checker for the Newsroom archive)"

# Answers that mean “not now”: worth asking again later.
TRANSIENT_STATUSES = frozenset({429, 502, 503, 504})
# Servers that refuse HEAD (or forbid it while serving GET): asked again with GET.
HEAD_REFUSED_STATUSES = frozenset({403, 405, 501})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})

# Seconds before the first retry, doubled for each next one; and the longest wait ever, even
# when a server asks for more with Retry-After. Module settings so that tests can shrink them.
BACKOFF = 1.0
MAX_WAIT = 10.0

ERROR_MAX_LENGTH = 300  # Citation.check_error


@dataclass(frozen=True)
class Result:
    """What an address answered, after redirects and retries.

    `status` is the HTTP status of the last answer, None when there was no usable answer
    (unreachable, redirect loop, not a web address); `error` says why in a few words.
    """

    status: int | None
    error: str = ""
    final_url: str = ""
    # No answer at all: timed out, refused, unknown host. Kept apart from broken addresses
    # in the summary because it is often the network's fault, not the outlet's.
    unreachable: bool = False

    @property
    def ok(self) -> bool:
        return self.status is not None and self.status < 400

    @property
    def outcome(self) -> str:
        if self.ok:
            return "ok"
        return "unreachable" if self.unreachable else "broken"


class _NoAnswer(Exception):
    def __init__(self, error: str, *, unreachable: bool, retry: bool = False) -> None:
        super().__init__(error)
        self.error = error
        self.unreachable = unreachable
        self.retry = retry


def is_web_address(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme.lower() in {"http", "https"} and bool(parts.hostname)


def check_urls(
    urls: Iterable[str],
    *,
    timeout: float = 5.0,
    concurrency: int = 8,
    per_host: int = 2,
    retries: int = 2,
    max_redirects: int = 5,
    backoff: float | None = None,
    max_wait: float | None = None,
    on_result: Callable[[str, Result], None] | None = None,
    sleep: Callable[[float], Awaitable[object]] | None = None,
) -> dict[str, Result]:
    """Check each distinct address once; return {address: Result}.

    `timeout` bounds each request, in seconds; `concurrency` requests run at once in all, at
    most `per_host` of them to one host; a transient failure is tried again up to `retries`
    more times. `on_result(url, result)` is called as each address is done (for progress).
    `sleep` is the coroutine function used to wait between attempts (tests pass a fake one).

    Runs its own event loop — in a thread of its own when this thread already runs one (an
    async caller, or a test session driving a browser) — or await `acheck_urls` directly.
    """
    checking = acheck_urls(
        urls,
        timeout=timeout,
        concurrency=concurrency,
        per_host=per_host,
        retries=retries,
        max_redirects=max_redirects,
        backoff=backoff,
        max_wait=max_wait,
        on_result=on_result,
        sleep=sleep,
    )
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(checking)
    with ThreadPoolExecutor(max_workers=1) as worker:
        return worker.submit(asyncio.run, checking).result()


async def acheck_urls(
    urls: Iterable[str],
    *,
    timeout: float = 5.0,
    concurrency: int = 8,
    per_host: int = 2,
    retries: int = 2,
    max_redirects: int = 5,
    backoff: float | None = None,
    max_wait: float | None = None,
    on_result: Callable[[str, Result], None] | None = None,
    sleep: Callable[[float], Awaitable[object]] | None = None,
) -> dict[str, Result]:
    if timeout <= 0 or concurrency < 1 or per_host < 1 or retries < 0 or max_redirects < 0:
        raise ValueError(
            "timeout must be positive, concurrency and per_host at least 1, "
            "retries and max_redirects not negative"
        )
    checker = _Checker(
        timeout=timeout,
        concurrency=concurrency,
        per_host=per_host,
        retries=retries,
        max_redirects=max_redirects,
        backoff=BACKOFF if backoff is None else backoff,
        max_wait=MAX_WAIT if max_wait is None else max_wait,
        sleep=asyncio.sleep if sleep is None else sleep,
    )
    distinct = list(dict.fromkeys(urls))
    results: dict[str, Result] = {}

    async def check(url: str) -> None:
        result = await checker.check(url)
        results[url] = result
        if on_result is not None:
            on_result(url, result)

    async with checker, asyncio.TaskGroup() as group:
        for url in distinct:
            group.create_task(check(url))
    return {url: results[url] for url in distinct}


class _Checker:
    def __init__(
        self,
        *,
        timeout: float,
        concurrency: int,
        per_host: int,
        retries: int,
        max_redirects: int,
        backoff: float,
        max_wait: float,
        sleep: Callable[[float], Awaitable[object]],
    ) -> None:
        self.timeout = timeout
        self.per_host = per_host
        self.retries = retries
        self.max_redirects = max_redirects
        self.backoff = backoff
        self.max_wait = max_wait
        self.sleep = sleep
        self.in_flight = asyncio.Semaphore(concurrency)
        self.hosts: dict[str, asyncio.Semaphore] = {}
        # Redirects are followed here, to tell a loop and to keep the limits; each hop's
        # connection is checked by the client.
        self.client = outbound.async_client(
            headers={"User-Agent": USER_AGENT, "Accept": "text/html,*/*;q=0.8"},
            timeout=httpx.Timeout(timeout),
            limits=httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency),
        )

    async def __aenter__(self) -> "_Checker":
        await self.client.__aenter__()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.client.__aexit__(exc_type, exc, traceback)

    async def check(self, url: str) -> Result:
        if not is_web_address(url):
            return Result(None, "not a web address: only http and https links are checked", url)
        if outbound.has_credentials(url):
            # Stored before such addresses were refused: never sent, not even to the host.
            return Result(None, outbound.CREDENTIALS, url)
        try:
            return await self.follow(url)
        except _NoAnswer as failure:
            return Result(None, failure.error[:ERROR_MAX_LENGTH], url, failure.unreachable)

    async def follow(self, url: str) -> Result:
        method = "HEAD"
        visited = [url]
        while True:
            response, attempts = await self.ask(method, url)
            status = response.status_code
            if method == "HEAD" and status in HEAD_REFUSED_STATUSES:
                method = "GET"
                continue
            location = response.headers.get("Location")
            if status not in REDIRECT_STATUSES or not location:
                error = ""
                if status in TRANSIENT_STATUSES and attempts > 1:
                    error = f"still {status} after {attempts} attempts"
                return Result(status, error, url)
            try:
                target = str(response.url.join(location))
            except httpx.InvalidURL:
                raise _NoAnswer(
                    f"redirected to a bad address: {location}", unreachable=False
                ) from None
            if not is_web_address(target):
                raise _NoAnswer(f"redirected to a non-web address: {target}", unreachable=False)
            if len(visited) > self.max_redirects:
                # Coming back to an address is allowed up to the limit, as in a browser: some
                # sites redirect to the same page once a cookie is set.
                if target in visited:
                    raise _NoAnswer(f"redirect loop back to {target}", unreachable=False)
                raise _NoAnswer(f"more than {self.max_redirects} redirects", unreachable=False)
            visited.append(target)
            url = target

    async def ask(self, method: str, url: str) -> tuple[httpx.Response, int]:
        """One request, asked again after transient failures; at most `per_host` in flight.

        Returns the last answer and how many attempts it took.
        """
        host = urlsplit(url).netloc.lower()
        slots = self.hosts.setdefault(host, asyncio.Semaphore(self.per_host))
        # The host's slot is kept while waiting to retry: a busy site gets no more traffic.
        async with slots:
            attempt = 1
            while True:
                try:
                    response = await self.send(method, url)
                except _NoAnswer as failure:
                    if not failure.retry or attempt > self.retries:
                        raise
                    asked = None
                else:
                    if response.status_code not in TRANSIENT_STATUSES or attempt > self.retries:
                        return response, attempt
                    asked = retry_after(response.headers.get("Retry-After"))
                await self.sleep(self.pause(attempt, asked))
                attempt += 1

    def pause(self, attempt: int, asked: float | None) -> float:
        wait = asked if asked is not None else self.backoff * 2 ** (attempt - 1)
        return max(0.0, min(wait, self.max_wait))

    async def send(self, method: str, url: str) -> httpx.Response:
        try:
            async with self.in_flight:
                # A whole-request deadline too: httpx's timeout is per network operation, and a
                # server dribbling bytes could otherwise hold a slot for ever.
                async with asyncio.timeout(self.timeout):
                    response = await self.client.send(
                        self.client.build_request(method, url), stream=True
                    )
                    # Only the status matters: the page itself is never downloaded.
                    await response.aclose()
                    return response
        except outbound.Refused as refusal:
            # Its message only: whether anything answers there is not the editor's to know.
            raise _NoAnswer(str(refusal), unreachable=False) from None
        except (TimeoutError, httpx.TimeoutException):
            seconds = f"{self.timeout:g}"
            raise _NoAnswer(f"timed out after {seconds} s", unreachable=True, retry=True) from None
        except httpx.ConnectError as error:
            raise _NoAnswer(
                describe_connect_error(error), unreachable=True, retry=not is_tls_error(error)
            ) from None
        except (httpx.NetworkError, httpx.RemoteProtocolError) as error:
            raise _NoAnswer(
                f"connection broken: {error or type(error).__name__}", unreachable=True, retry=True
            ) from None
        except (httpx.InvalidURL, httpx.UnsupportedProtocol, httpx.LocalProtocolError) as error:
            raise _NoAnswer(f"not a valid web address: {error}", unreachable=False) from None
        except httpx.HTTPError as error:
            raise _NoAnswer(f"request failed: {error}", unreachable=True) from None


def describe_connect_error(error: httpx.ConnectError) -> str:
    causes = list(causes_of(error))
    for cause in causes:
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused"
        if isinstance(cause, socket.gaierror):
            return "host not found"
        if isinstance(cause, ssl.SSLError):
            return f"TLS error: {getattr(cause, 'reason', None) or cause}"
    return f"connection failed: {causes[-1]}"


def is_tls_error(error: Exception) -> bool:
    return any(isinstance(cause, ssl.SSLError) for cause in causes_of(error))


def causes_of(error: BaseException | None) -> Iterator[BaseException]:
    """The error and what caused it, down to the operating system's word for it."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        yield error
        error = error.__cause__ or error.__context__
