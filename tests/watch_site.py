"""A local news site for the watch tests: http.server in a thread serving feeds, sitemaps,
robots.txt and article pages, answering conditional requests the way real servers do
(ETag → If-None-Match, Last-Modified → If-Modified-Since) and logging every request."""

from __future__ import annotations

import hashlib
import html
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType

SEEDS = Path(__file__).resolve().parent.parent / "examples" / "seeds"


def seed_texts() -> list[str]:
    """The real seed articles (Indonesian news, five outlets), as plain text."""
    return [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]


def article_page(text: str) -> str:
    """A seed article wrapped in a plain news page: its first line the headline."""
    title, *lines = [line for line in text.splitlines() if line.strip()]
    body = "\n".join(f"<p>{html.escape(line)}</p>" for line in lines)
    return (
        '<!doctype html><html lang="id"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title></head><body><header><nav><a href='/'>Beranda</a>"
        f"</nav></header><article><h1>{html.escape(title)}</h1>\n{body}\n</article>"
        "<footer>© Situs Uji</footer></body></html>"
    )


def title_of(text: str) -> str:
    return next(line for line in text.splitlines() if line.strip()).strip()


@dataclass
class Route:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    etag: bool = True
    last_modified: bool = True
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)
    modified: float = field(default_factory=lambda: time.time() - 3600)


@dataclass
class Hit:
    path: str
    headers: dict[str, str]
    status: int
    at: float


class Site:
    """``with Site() as site: site.add("/rss.xml", ...); site.url("/rss.xml")``."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.log: list[Hit] = []
        self._lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site._serve(self)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, body: str | bytes, **options: object) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        with self._lock:
            self.routes[path] = Route(data, **options)  # type: ignore[arg-type]

    def hits(self, path: str) -> list[Hit]:
        with self._lock:
            return [h for h in self.log if h.path == path]

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path
        headers = {k.lower(): v for k, v in handler.headers.items()}
        with self._lock:
            route = self.routes.get(path)
        status = 404 if route is None else route.status
        reply: dict[str, str] = {}
        body = b"not found"
        if route is not None:
            body = route.body
            reply.update(route.headers)
            etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            modified = formatdate(route.modified, usegmt=True)
            if route.etag:
                reply["ETag"] = etag
            if route.last_modified:
                reply["Last-Modified"] = modified
            if status == 200 and (
                (route.etag and headers.get("if-none-match") == etag)
                or (
                    not route.etag
                    and route.last_modified
                    and headers.get("if-modified-since") == modified
                )
            ):
                status = 304
            if route.delay:
                time.sleep(route.delay)
        with self._lock:
            self.log.append(Hit(path, headers, status, time.monotonic()))
        try:
            handler.send_response(status)
            for key, value in reply.items():
                handler.send_header(key, value)
            if status == 304:
                handler.end_headers()
                return
            handler.send_header(
                "Content-Type", route.content_type if route else "text/plain; charset=utf-8"
            )
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (the timeout test)

    def __enter__(self) -> Site:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()


def rss(items: list[tuple[str, str, str]], title: str = "Berita Terkini") -> str:
    """An RSS 2.0 feed of (url, title, RFC 822 date) items."""
    entries = "".join(
        f"<item><title>{html.escape(t)}</title><link>{html.escape(u)}</link>"
        f"<pubDate>{d}</pubDate><guid>{html.escape(u)}</guid></item>"
        for u, t, d in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>http://example.invalid/</link>"
        f"<description>uji</description>{entries}</channel></rss>"
    )


def atom(items: list[tuple[str, str, str]]) -> str:
    """An Atom feed of (url, title, ISO date) items."""
    entries = "".join(
        f'<entry><title>{html.escape(t)}</title><link rel="alternate" href="{html.escape(u)}"/>'
        f"<id>{html.escape(u)}</id><updated>{d}</updated></entry>"
        for u, t, d in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>Kanal Dunia</title><id>urn:uji</id><updated>2024-06-20T10:00:00Z</updated>"
        f"{entries}</feed>"
    )


def news_sitemap(items: list[tuple[str, str, str]], publication: str = "Situs Uji") -> str:
    """A Google News sitemap of (url, title, ISO date) items."""
    entries = "".join(
        f"<url><loc>{html.escape(u)}</loc><news:news><news:publication>"
        f"<news:name>{publication}</news:name><news:language>id</news:language>"
        f"</news:publication><news:publication_date>{d}</news:publication_date>"
        f"<news:title>{html.escape(t)}</news:title></news:news></url>"
        for u, t, d in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
        ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        f"{entries}</urlset>"
    )


def sitemap_index(children: list[tuple[str, str | None]]) -> str:
    entries = "".join(
        f"<sitemap><loc>{html.escape(u)}</loc>"
        + (f"<lastmod>{m}</lastmod>" if m else "")
        + "</sitemap>"
        for u, m in children
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}'
        "</sitemapindex>"
    )


def urlset(urls: list[str]) -> str:
    entries = "".join(f"<url><loc>{html.escape(u)}</loc></url>" for u in urls)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'
    )
