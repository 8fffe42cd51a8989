"""Polite HTTP for the watcher: conditional GETs, robots.txt, a delay per host, limits.

One :class:`Http` per watcher: it keeps an httpx client (connections reused), the parsed
robots.txt of each host (re-read after an hour) and when each host was last asked, so
that two requests to one host are at least ``delay`` seconds apart (or the robots.txt
``Crawl-delay``, when longer), whatever source they come from.
"""

from __future__ import annotations

import math
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx

ROBOTS_TTL = 3600.0
MAX_REDIRECTS = 5
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


class FetchError(Exception):
    """A request that gave no usable answer: ``problem`` says what happened, ``fix`` what
    to do; ``transient`` ones (5xx, 429, timeouts, refused connections) are worth retrying."""

    def __init__(
        self, problem: str, fix: str = "", transient: bool = False, robots: bool = False
    ) -> None:
        super().__init__(problem)
        self.problem = problem
        self.fix = fix
        self.transient = transient
        self.robots = robots
        """Refused by a robots.txt (a redirect into a disallowed path)."""


@dataclass
class Answer:
    """A response read whole (up to the size limit): 200 or 304."""

    url: str
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    encoding: str | None = None

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


@dataclass
class _Robots:
    parser: urllib.robotparser.RobotFileParser | None
    """None: no rules (robots.txt missing), everything allowed."""
    until: float
    problem: str | None = None
    """Set when robots.txt could not be read: nothing on the host is fetched until the
    next poll tries again (:meth:`Http.new_poll`)."""


class Http:
    """Conditional GETs that respect robots.txt and a per-host delay.

    delay: seconds between two requests to the same host (robots.txt Crawl-delay wins when
        longer). timeout: seconds per request. max_bytes: largest body read.
    sleep: how to wait (the watcher passes its stop event's ``wait``, so a stop is prompt).
    """

    def __init__(
        self,
        user_agent: str,
        delay: float = 2.0,
        timeout: float = 20.0,
        max_bytes: int = 5_000_000,
        sleep: Callable[[float], object] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.user_agent = user_agent
        self.delay = delay
        self.max_bytes = max_bytes
        self.sleep = sleep
        self.clock = clock
        self.client = httpx.Client(
            headers={"User-Agent": user_agent},
            timeout=httpx.Timeout(timeout),
            follow_redirects=False,  # followed by get(), through robots.txt and the delay
        )
        self._robots: dict[str, _Robots] = {}
        self._last: dict[str, float] = {}

    def close(self) -> None:
        self.client.close()

    def new_poll(self) -> None:
        """Forget the robots.txt files that could not be read, so the next poll tries again."""
        self._robots = {k: v for k, v in self._robots.items() if v.problem is None}

    # -- robots.txt --------------------------------------------------------------------
    def robots_problem(self, url: str) -> str | None:
        """Why nothing may be fetched from ``url``'s host now (its robots.txt could not be
        read: RFC 9309 says to assume everything is disallowed then), or None."""
        return self._robots_of(url).problem

    def allowed(self, url: str) -> bool:
        """Whether robots.txt lets our user agent fetch ``url``."""
        robots = self._robots_of(url)
        if robots.problem is not None:
            return False
        return robots.parser is None or robots.parser.can_fetch(self.user_agent, url)

    def _robots_of(self, url: str) -> _Robots:
        origin = _origin(url)
        robots = self._robots.get(origin)
        if robots is not None and robots.until > self.clock():
            return robots
        robots = self._read_robots(origin)
        self._robots[origin] = robots
        return robots

    def _read_robots(self, origin: str) -> _Robots:
        until = self.clock() + ROBOTS_TTL
        where = origin + "/robots.txt"
        self._wait(origin, None)
        try:
            # RFC 9309: follow redirects (http → https, www.) to the robots.txt that counts.
            response = self.client.get(where, follow_redirects=True)
        except httpx.HTTPError as exc:
            return _Robots(None, math.inf, f"robots.txt unreachable ({_describe(exc)})")
        finally:
            self._last[origin] = self.clock()
        if response.status_code in (401, 403):
            parser = urllib.robotparser.RobotFileParser(where)
            parser.parse(["User-agent: *", "Disallow: /"])  # RFC 9309: unauthorised = all
            return _Robots(parser, until)
        if 400 <= response.status_code < 500:
            return _Robots(None, until)  # no robots.txt: no rules
        if response.status_code >= 500:
            return _Robots(None, math.inf, f"robots.txt answered {response.status_code}")
        parser = urllib.robotparser.RobotFileParser(where)
        parser.parse(response.text[: self.max_bytes].splitlines())
        return _Robots(parser, until)

    # -- requests ----------------------------------------------------------------------
    def _wait(self, origin: str, robots: _Robots | None) -> None:
        """Sleep until ``origin`` may be asked again."""
        delay = self.delay
        if robots is not None and robots.parser is not None:
            crawl = robots.parser.crawl_delay(self.user_agent)
            if crawl is not None:
                delay = max(delay, float(crawl))
        last = self._last.get(origin)
        if last is not None:
            left = last + delay - self.clock()
            if left > 0:
                self.sleep(left)

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Answer:
        """GET ``url`` (conditionally when validators are given): a 200 or 304 answer, or
        a FetchError. The caller checks :meth:`allowed` first; redirects are followed here,
        each target checked against its own host's robots.txt and delay."""
        target = url
        for _ in range(MAX_REDIRECTS + 1):
            answer = self._get_once(target, etag, last_modified)
            if answer.status not in _REDIRECTS:
                return answer
            location = answer.headers.get("location")
            if not location:
                raise FetchError(f"HTTP {answer.status} without a Location", "check the URL")
            target = urljoin(target, location)
            if urlsplit(target).scheme not in ("http", "https"):
                raise FetchError(f"redirected to {target}", "not a web page: skipped")
            problem = self.robots_problem(target)
            if problem is not None:
                raise FetchError(f"redirected to {target}: {problem}", "", transient=True)
            if not self.allowed(target):
                raise FetchError(
                    f"redirected to {target}, which robots.txt disallows",
                    "the site asks robots not to",
                    robots=True,
                )
        raise FetchError(f"more than {MAX_REDIRECTS} redirects", "check the URL")

    def _get_once(self, url: str, etag: str | None, last_modified: str | None) -> Answer:
        origin = _origin(url)
        self._wait(origin, self._robots.get(origin))
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            with self.client.stream("GET", url, headers=headers) as response:
                if response.status_code == 304 or response.status_code in _REDIRECTS:
                    return Answer(
                        str(response.url), response.status_code, headers=dict(response.headers)
                    )
                _check_status(response)
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > self.max_bytes:
                        raise FetchError(
                            f"over the {self.max_bytes:,}-byte limit",
                            "raise max_bytes in the watch config if the page is real",
                        )
                return Answer(
                    str(response.url),
                    response.status_code,
                    bytes(body),
                    dict(response.headers),
                    response.charset_encoding,
                )
        except httpx.TimeoutException as exc:
            raise FetchError(
                f"timed out ({_describe(exc)})", "the site is slow: raise timeout", True
            ) from exc
        except httpx.HTTPError as exc:
            raise FetchError(
                f"request failed ({_describe(exc)})", "check the URL and the network", True
            ) from exc
        finally:
            self._last[origin] = self.clock()


def _check_status(response: httpx.Response) -> None:
    status = response.status_code
    if 200 <= status < 300:
        return
    if status == 429 or status >= 500:
        raise FetchError(
            f"HTTP {status} {response.reason_phrase}".rstrip(),
            "the server is failing or busy",
            transient=True,
        )
    fix = {
        401: "the page needs a login: remove the source",
        403: "the site refuses us: check user_agent or remove the source",
        404: "the page is gone: check the URL",
        410: "the page is gone: check the URL",
    }.get(status, "check the URL")
    raise FetchError(f"HTTP {status} {response.reason_phrase}".rstrip(), fix)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _describe(exc: BaseException) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
