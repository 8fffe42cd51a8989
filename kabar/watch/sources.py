"""The watch configuration and the pure parsers: feed and sitemap bytes → items.

No I/O here besides reading the config file: :mod:`kabar.watch.poller` fetches, these
functions only read what was fetched, so they are tested on bytes.

Feeds (RSS 0.9x/1.0/2.0, Atom) are read by feedparser. Sitemaps (``<urlset>``, a
``<sitemapindex>`` of sitemaps, Google News ``<news:news>`` entries, or a plain-text list
of URLs) are read with lxml, parsing with entities and network access off.
"""

from __future__ import annotations

import email.utils
import tomllib
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urljoin, urlsplit

from kabar.errors import KabarError

SourceKind = Literal["feed", "sitemap", "folder"]
KINDS: tuple[SourceKind, ...] = ("feed", "sitemap", "folder")

CONFIG_HELP = """\
The config file (TOML, or YAML with a .yaml/.yml name) lists the sources and how to poll:

  interval = 300     # seconds between polls (default 300; --interval overrides)
  delay = 2.0        # seconds between two requests to one host (robots.txt Crawl-delay wins
                     # when longer)
  timeout = 20.0     # seconds per request
  max_pages = 200    # article pages fetched per poll; the rest wait for the next poll
  retries = 3        # attempts for a page that fails with a 5xx or a timeout
  max_age_days = 7   # items dated earlier (sitemaps modified earlier) are skipped; 0: all
  user_agent = "kabar/0.1 (news monitoring)"   # also the name robots.txt rules are read for

  [[source]]
  feed = "https://example.com/rss.xml"          # RSS or Atom
  outlet = "Example News"                       # optional hint for every article of it

  [[source]]
  sitemap = "https://example.com/sitemap.xml"   # urlset, sitemap index or Google News

  [[source]]
  folder = "/srv/drop"                          # new files: .txt .html .jsonl .json .csv .warc
"""


@dataclass(frozen=True)
class Source:
    """One thing to follow: a feed URL, a sitemap URL, or a folder of article files."""

    kind: SourceKind
    location: str
    outlet: str | None = None

    def __str__(self) -> str:
        return f"{self.kind} {self.location}"


@dataclass(frozen=True)
class WatchConfig:
    """What ``kabar watch`` follows and how politely (see :data:`CONFIG_HELP`)."""

    sources: list[Source] = field(default_factory=list)
    interval: float = 300.0
    delay: float = 2.0
    timeout: float = 20.0
    max_pages: int = 200
    retries: int = 3
    user_agent: str = "kabar/0.1 (news monitoring)"
    max_bytes: int = 5_000_000
    settle: float = 2.0
    """Seconds a file must be left unchanged before it is read (it may still be written)."""
    max_age_days: float = 7.0
    """Items dated (and listed sitemaps modified) longer ago are left alone: following a
    news sitemap index must not become a crawl of the site's archive. 0: no limit."""


_NUMBERS = {
    "interval": float, "delay": float, "timeout": float, "max_pages": int, "retries": int,
    "max_bytes": int, "settle": float, "max_age_days": float,
}  # fmt: skip


def load_config(path: str | Path) -> WatchConfig:
    """The config at ``path`` (TOML, or YAML by its suffix); a KabarError saying what to
    fix when it cannot be read or names no source."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise KabarError(f"cannot read watch config {path}: {exc.strerror or exc}") from exc
    if path.suffix.lower() in (".yaml", ".yml"):
        import yaml

        try:
            data = yaml.safe_load(text) or {}
        except yaml.YAMLError as exc:
            raise KabarError(f"{path} is not valid YAML: {exc}") from exc
    else:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise KabarError(f"{path} is not valid TOML: {exc}") from exc
    return parse_config(data, str(path), base=path.parent)


def parse_config(data: Any, where: str = "config", base: Path | None = None) -> WatchConfig:
    """A :class:`WatchConfig` from the mapping of a config file (relative folders are
    taken from ``base``, the config file's folder)."""
    if not isinstance(data, dict):
        raise KabarError(f"{where}: expected a table of settings and [[source]] entries")
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key in ("source", "sources"):
            continue
        if key == "user_agent":
            if not isinstance(value, str) or not value.strip():
                raise KabarError(f"{where}: user_agent must be a non-empty string")
            values[key] = value.strip()
        elif key in _NUMBERS:
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise KabarError(f"{where}: {key} must be a number ≥ 0, not {value!r}")
            values[key] = _NUMBERS[key](value)
        else:
            known = ", ".join(["source", "user_agent", *_NUMBERS])
            raise KabarError(f"{where}: unknown setting {key!r} (known: {known})")
    entries = data.get("source", data.get("sources", []))
    if not isinstance(entries, list) or not entries:
        raise KabarError(
            f"{where}: no source to watch; add [[source]] entries with feed = URL, "
            "sitemap = URL or folder = PATH (see `kabar watch --help`)"
        )
    sources = [_source(entry, f"{where}: source {n}", base) for n, entry in enumerate(entries, 1)]
    return WatchConfig(sources=sources, **values)


def _source(entry: Any, where: str, base: Path | None) -> Source:
    if not isinstance(entry, dict):
        raise KabarError(f'{where}: expected a table like {{ feed = "https://..." }}')
    kinds = [k for k in KINDS if k in entry]
    unknown = set(entry) - {*KINDS, "outlet"}
    if len(kinds) != 1 or unknown:
        raise KabarError(
            f"{where}: give exactly one of feed, sitemap, folder (and optionally outlet)"
            + (f"; unknown keys: {', '.join(sorted(unknown))}" if unknown else "")
        )
    kind = kinds[0]
    location = entry[kind]
    outlet = entry.get("outlet")
    if not isinstance(location, str) or not location.strip():
        raise KabarError(f"{where}: {kind} must be a non-empty string")
    if outlet is not None and not isinstance(outlet, str):
        raise KabarError(f"{where}: outlet must be a string")
    location = location.strip()
    if kind == "folder":
        folder = Path(location).expanduser()
        if not folder.is_absolute() and base is not None:
            folder = base / folder
        return Source(kind, str(folder.resolve()), outlet)
    parts = urlsplit(location)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise KabarError(f"{where}: {kind} must be an http(s) URL, not {location!r}")
    return Source(kind, location, outlet)


@dataclass(frozen=True)
class Item:
    """An article a feed or sitemap points to, with what it says of it."""

    url: str
    title: str | None = None
    published: str | None = None
    outlet: str | None = None


@dataclass
class Sitemap:
    """A parsed sitemap: its article items, or (an index) the sitemaps it lists with their
    ``<lastmod>``."""

    items: list[Item] = field(default_factory=list)
    sitemaps: list[tuple[str, str | None]] = field(default_factory=list)


class NotAFeed(ValueError):
    """Bytes that are not the kind of document expected; the message says what they are."""


def parse_feed(body: bytes, url: str, content_type: str | None = None) -> list[Item]:
    """The items of an RSS or Atom feed, in feed order, links made absolute; NotAFeed when
    the bytes hold no feed (an HTML page, an error page)."""
    import feedparser

    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(body, response_headers=headers, sanitize_html=False)
    if not parsed.get("version") and not parsed.entries:
        problem = parsed.get("bozo_exception")
        raise NotAFeed("not an RSS or Atom feed" + (f" ({str(problem)[:120]})" if problem else ""))
    items: list[Item] = []
    seen: set[str] = set()
    for entry in parsed.entries:
        link = _entry_link(entry)
        if not link:
            continue
        link = canonical(urljoin(url, link))
        if urlsplit(link).scheme not in ("http", "https") or link in seen:
            continue
        seen.add(link)
        items.append(
            Item(
                url=link,
                title=(entry.get("title") or "").strip() or None,
                published=_published(entry.get("published") or entry.get("updated")),
            )
        )
    return items


def canonical(url: str) -> str:
    """One spelling per article (courlan): host lower-cased, query sorted, fragment and
    tracking parameters (``utm_*``...) dropped, so a feed's ``?utm_source=rss`` link and the
    sitemap's plain one are fetched once."""
    from courlan import normalize_url

    try:
        return str(normalize_url(url, strict=True))
    except (ValueError, TypeError):
        return url


def _entry_link(entry: Any) -> str | None:
    """The article link of a feed entry: ``link``, else its alternate link."""
    link = entry.get("link")
    if isinstance(link, str) and link.strip():
        return link.strip()
    for candidate in entry.get("links", []):
        if candidate.get("rel", "alternate") == "alternate" and candidate.get("href"):
            return str(candidate["href"]).strip()
    return None


def _published(value: object) -> str | None:
    """A feed date with its own UTC offset, as ISO when it is RFC 822 (RSS), else as given
    (Atom's is ISO already). Not feedparser's ``*_parsed``: those are in UTC, and an
    article of 02:00 in Jakarta (UTC+7) would be dated the day before."""
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    try:
        return email.utils.parsedate_to_datetime(value).isoformat()
    except (TypeError, ValueError, IndexError):
        return value


_SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
_NEWS_NS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def parse_sitemap(body: bytes, url: str) -> Sitemap:
    """A sitemap's article items (with Google News title, date and publication name when
    given) or, for a sitemap index, its sitemaps; NotAFeed when the bytes are neither
    XML sitemap nor a text list of URLs."""
    from lxml import etree

    if body[:2] == b"\x1f\x8b":  # sitemap.xml.gz served as a file, not Content-Encoding
        body = _gunzip(body)
    body = body.removeprefix(b"\xef\xbb\xbf")
    head = body.lstrip()[:200].lower()
    if not head.startswith(b"<"):
        return _text_sitemap(body, url)
    if b"<html" in head or b"<!doctype html" in head:
        raise NotAFeed("an HTML page, not a sitemap")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        raise NotAFeed(f"not XML ({exc})") from exc
    if root is None:
        raise NotAFeed("not XML")
    tag = etree.QName(root).localname
    result = Sitemap()
    if tag == "sitemapindex":
        for entry in root:
            if not isinstance(entry.tag, str) or etree.QName(entry).localname != "sitemap":
                continue
            loc = _child_text(entry, "loc")
            if loc:
                result.sitemaps.append((urljoin(url, loc), _child_text(entry, "lastmod")))
        return result
    if tag != "urlset":
        raise NotAFeed(f"XML <{tag}>, not a sitemap (<urlset> or <sitemapindex>)")
    for entry in root:
        if not isinstance(entry.tag, str) or etree.QName(entry).localname != "url":
            continue
        loc = _child_text(entry, "loc")
        if not loc:
            continue
        link = canonical(urljoin(url, loc))
        if urlsplit(link).scheme not in ("http", "https"):
            continue
        news = entry.find(f"{_NEWS_NS}news")
        if news is not None:
            result.items.append(
                Item(
                    url=link,
                    title=_text(news.find(f"{_NEWS_NS}title")),
                    published=_text(news.find(f"{_NEWS_NS}publication_date")),
                    outlet=_text(news.find(f"{_NEWS_NS}publication/{_NEWS_NS}name")),
                )
            )
        else:
            result.items.append(Item(url=link, published=_child_text(entry, "lastmod")))
    return result


MAX_SITEMAP_BYTES = 50_000_000
"""The sitemap protocol's own limit on an uncompressed sitemap (50 MB)."""


def _gunzip(body: bytes) -> bytes:
    """A gzipped sitemap, unpacked up to :data:`MAX_SITEMAP_BYTES` (a gzip bomb stops there)."""
    unpacker = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        data = unpacker.decompress(body, MAX_SITEMAP_BYTES + 1)
    except zlib.error as exc:
        raise NotAFeed(f"broken gzip data ({exc})") from exc
    if len(data) > MAX_SITEMAP_BYTES:
        raise NotAFeed(f"unpacks to over {MAX_SITEMAP_BYTES:,} bytes, the sitemap limit")
    return data


def _child_text(element: Any, name: str) -> str | None:
    """The text of a sitemap child element, with or without the sitemap namespace."""
    found = element.find(f"{_SITEMAP_NS}{name}")
    if found is None:
        found = element.find(name)
    return _text(found)


def _text(element: Any) -> str | None:
    if element is None or element.text is None:
        return None
    return element.text.strip() or None


def _text_sitemap(body: bytes, url: str) -> Sitemap:
    """A plain-text sitemap: one absolute URL per line."""
    text = body.decode("utf-8", "replace")
    links = [line.strip() for line in text.splitlines() if line.strip()]
    if not links or not all(urlsplit(link).scheme in ("http", "https") for link in links):
        raise NotAFeed("neither an XML sitemap nor a text list of URLs")
    return Sitemap(items=[Item(url=link) for link in dict.fromkeys(map(canonical, links))])
