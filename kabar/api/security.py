"""Security headers on every response: scraped text is hostile, so the CSP forbids
inline script and style even if some markup slipped through escaping. Writes from another
origin are refused (CSRF), and oversized bodies get a 413 before they are read."""

from __future__ import annotations

import hmac
import json
from html import escape
from urllib.parse import urlsplit

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
_NAMES = {name.lower().encode("latin-1") for name in SECURITY_HEADERS}
_RAW = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in SECURITY_HEADERS.items()]


class SecurityHeadersMiddleware:
    """Pure ASGI (not BaseHTTPMiddleware), so it also covers static files and streaming."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in _NAMES]
                message = {**message, "headers": [*headers, *_RAW]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


DEFAULT_MAX_BODY = 10_000_000
"""Largest request body accepted (an upload or a JSON batch), in bytes."""


class BodySizeLimitMiddleware:
    """413 for any request body over ``max_body`` bytes, declared or streamed.

    Checked before the body is parsed, so a huge upload cannot fill memory or the disk
    (multipart spools to temporary files) before validation would reject it.
    """

    def __init__(self, app: ASGIApp, max_body: int = DEFAULT_MAX_BODY) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = -1
                if declared < 0 or declared > self.max_body:
                    await self._reject(send, scope)
                    return
        seen = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise _TooLarge(413, f"request body over the {self.max_body:,}-byte limit")
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _TooLarge:
            if not started:
                await self._reject(send, scope)

    async def _reject(self, send: Send, scope: Scope) -> None:
        await send_error(send, scope, 413, f"request body over the {self.max_body:,}-byte limit")


class _TooLarge(HTTPException):
    """Raised inside receive() to abandon a request whose body grew past the limit; an
    HTTPException so that the framework's body parsing passes it on as a 413."""


def api_key_matches(expected: str | None, given: str | None) -> bool:
    """True when no key is configured, or ``given`` equals it (constant-time compare, so the
    response time does not leak how many leading characters were right)."""
    if not expected:
        return True
    if not given:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def browser_wants_html(path: str, accept: str) -> bool:
    """Whether an error should be an HTML page: a browser (``Accept: text/html``) on a page
    path; the JSON API (``/api``) and JSON clients keep JSON."""
    if path.startswith(("/api", "/static")):
        return False
    accept = accept.lower()
    return "text/html" in accept or "application/json" not in accept


def error_html(status: int, message: str) -> str:
    """A bare error page for the places that cannot render a template (ASGI middleware)."""
    text = escape(message)
    return (
        f"<!doctype html><html lang=en><head><meta charset=utf-8><title>Error {status}</title>"
        f'<link rel=stylesheet href="/static/kabar.css"></head><body><main>'
        f"<h1>Error {status}</h1><p>{text}</p><p><a href=/>Back to the stories</a></p>"
        "</main></body></html>"
    )


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return ""


async def send_error(send: Send, scope: Scope, status: int, message: str) -> None:
    """An error response from middleware: HTML for browsers, JSON otherwise."""
    if browser_wants_html(scope.get("path", ""), _header(scope, b"accept")):
        body, kind = error_html(status, message).encode(), b"text/html; charset=utf-8"
    else:
        body, kind = json.dumps({"detail": message}).encode(), b"application/json"
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", kind),
                (b"content-length", str(len(body)).encode()),
                *_RAW,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def cross_origin(scope: Scope) -> str | None:
    """Why a write request comes from another origin (a CSRF attempt), or None.

    Browsers say where a request comes from: ``Sec-Fetch-Site`` (all current browsers)
    and ``Origin`` (on every cross-origin POST). A write is refused unless the page that
    sent it is this server's own ("same-origin") or the user typed it ("none"); another
    port on localhost is "same-site" and refused too. Without ``Sec-Fetch-Site`` (older
    browsers) the ``Origin`` must match the Host. Clients that send neither header
    (curl, scripts) are not browsers and cannot be forged into sending a request.
    """
    site = _header(scope, b"sec-fetch-site").lower()
    if site:
        # Decides alone when present: under our Referrer-Policy (no-referrer) a browser
        # sends "Origin: null" even on a same-origin POST.
        return None if site in ("same-origin", "none") else f"Sec-Fetch-Site: {site}"
    origin = _header(scope, b"origin")
    if not origin:
        return None
    if origin == "null":
        return "Origin: null"
    try:
        parts = urlsplit(origin)
    except ValueError:
        return "unreadable Origin"
    scheme = scope.get("scheme", "http")
    host = _header(scope, b"host").lower()
    default = {"http": "80", "https": "443"}.get(scheme, "")
    own = host if ":" in host.rsplit("]", 1)[-1] else f"{host}:{default}"
    theirs = (parts.hostname or "") + ":" + str(parts.port or default)
    if "[" in own:  # IPv6 literal: urlsplit drops the brackets
        own = own.replace("[", "").replace("]", "")
    if parts.scheme != scheme or theirs.lower() != own:
        return f"Origin {origin}"
    return None


class CrossOriginWriteMiddleware:
    """403 for a write (POST, PUT, PATCH, DELETE) that a page of another origin sent:
    CSRF protection for the upload form and the JSON API alike, with or without an API
    key (without one, any page the user visits could otherwise store articles)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("method", "GET") in UNSAFE_METHODS:
            reason = cross_origin(scope)
            if reason is not None:
                await send_error(
                    send, scope, 403, f"cross-origin write refused ({reason}): use kabar's own form"
                )
                return
        await self.app(scope, receive, send)
