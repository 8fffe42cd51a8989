"""Follows and alerts: which new events match what someone follows.

A follow (:class:`kabar.model.Follow`) names an entity (its resolved canonical name), an
outlet, or a search query. After an ingest has placed its articles into events, an event is
*new* when every one of its articles arrived in that ingest (an event is founded by an
article and only grows afterwards, so an event founded earlier always holds an older
article; an event split off a story keeps its old articles and is not news). A new event
matches a follow when one of its articles does:

* entity: a mention (body or caption) resolves to the name (case-insensitive);
* outlet: the article's outlet is the name (case-insensitive);
* query: every word of the query is a word of the title or body (diacritics and case
  ignored, as the story filters read words).

Pure functions over :mod:`kabar.model`: the store keeps the follows and records each
alert once per (follow, event) (:mod:`kabar.store.follows`); :mod:`kabar.follows.deliver`
sends them to webhooks, and :func:`atom_feed` renders a follow's feed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

from kabar.model import Alert, Article, Follow, Story

SIGNATURE_HEADER = "X-Kabar-Signature"
"""The webhook header: ``sha256=`` and the hex HMAC-SHA256 of the body with the follow's
secret (GitHub's scheme, so receivers' verifying code fits)."""

_WORD = re.compile(r"[^\W_]+")
MAX_QUERY_WORDS = 8


def fold(text: str) -> str:
    """Lower-case text without diacritics ("Sóchi" -> "sochi")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def query_words(text: str) -> list[str]:
    """The folded words of a query, in order, at most :data:`MAX_QUERY_WORDS`."""
    return list(dict.fromkeys(_WORD.findall(fold(text))))[:MAX_QUERY_WORDS]


@dataclass
class Matcher:
    """Which follows an article matches; built once per ingest from the stored follows."""

    follows: Sequence[Follow]
    _entities: dict[str, list[str]] = field(default_factory=dict)
    _outlets: dict[str, list[str]] = field(default_factory=dict)
    _queries: list[tuple[str, frozenset[str]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        for follow in self.follows:
            key = follow.value.casefold()
            if follow.kind == "entity":
                self._entities.setdefault(key, []).append(follow.id)
            elif follow.kind == "outlet":
                self._outlets.setdefault(key, []).append(follow.id)
            elif follow.kind == "query":
                wanted = frozenset(query_words(follow.value))
                if wanted:
                    self._queries.append((follow.id, wanted))

    def __bool__(self) -> bool:
        return bool(self._entities or self._outlets or self._queries)

    def match(self, article: Article) -> set[str]:
        """The ids of the follows this article matches."""
        hits: set[str] = set()
        if self._entities:
            for name in {m.canonical.casefold() for m in article.mentions}:
                hits.update(self._entities.get(name, ()))
        if self._outlets and article.outlet:
            hits.update(self._outlets.get(article.outlet.casefold(), ()))
        if self._queries:
            present = set(_WORD.findall(fold(article.title + "\n" + article.body)))
            hits.update(fid for fid, wanted in self._queries if wanted <= present)
        return hits


def match_articles(matcher: Matcher, articles: Iterable[Article]) -> dict[str, set[str]]:
    """Article id → the follows it matches, for the articles that match any."""
    if not matcher:
        return {}
    found: dict[str, set[str]] = {}
    for article in articles:
        hits = matcher.match(article)
        if hits:
            found[article.id] = hits
    return found


@dataclass
class ArticleInfo:
    """What an alert says of a matching article (kept instead of the article: a batch
    load streams millions of them)."""

    title: str
    published: str | None
    outlet: str | None


def article_info(article: Article) -> ArticleInfo:
    return ArticleInfo(article.title, article.published, article.outlet)


def new_event_alerts(
    stories: Iterable[Story],
    new_ids: Collection[str] | None,
    matches: Mapping[str, set[str]],
    info: Mapping[str, ArticleInfo],
) -> list[Alert]:
    """The alerts of the new events of these stories (see the module doc).

    stories: the story records an ingest wrote; new_ids: the articles it placed (None:
    every article is new, a first ingest or batch load);
    matches: :func:`match_articles` of them; info: the matching articles' headlines.
    One alert per (follow, new event) with a matching article; ordered by event date."""
    if not matches:
        return []
    fresh_ids = None if new_ids is None else set(new_ids)
    alerts: list[Alert] = []
    for story in stories:
        fresh = [
            e
            for e in story.events
            if e.article_ids and (fresh_ids is None or fresh_ids.issuperset(e.article_ids))
        ]
        if not fresh:
            continue
        new_story = len(fresh) == len(story.events)
        for event in fresh:
            by_follow: dict[str, list[str]] = {}
            for aid in event.article_ids:
                for fid in matches.get(aid, ()):
                    by_follow.setdefault(fid, []).append(aid)
            for fid, ids in sorted(by_follow.items()):
                ids.sort(key=lambda a: (info[a].published or "9999", a))
                first = info[ids[0]]
                alerts.append(
                    Alert(
                        follow_id=fid,
                        event_id=event.id,
                        story_id=story.id,
                        title=first.title,
                        article_ids=ids,
                        published=event.first_date or first.published,
                        outlets=sorted({info[a].outlet or "unknown" for a in ids}),
                        new_story=new_story,
                    )
                )
    alerts.sort(key=lambda a: (a.published or "9999", a.event_id, a.follow_id))
    return alerts


def alert_id(follow_id: str, event_id: str) -> str:
    """The alert's id: one per (follow, event), whichever process records it."""
    return hashlib.blake2b(f"{follow_id}:{event_id}".encode(), digest_size=8).hexdigest()


def describe(follow: Follow) -> str:
    """A follow in words ("entity Prabowo Subianto")."""
    return f"{follow.kind} {follow.value}"


def webhook_body(follow: Follow, alert: Alert, base_url: str | None = None) -> bytes:
    """The JSON a webhook receives for an alert (UTF-8, the bytes that are signed)."""
    payload: dict[str, object] = {
        "type": "kabar.alert",
        "id": alert_id(alert.follow_id, alert.event_id),
        "follow": {"id": follow.id, "kind": follow.kind, "value": follow.value},
        "event_id": alert.event_id,
        "story_id": alert.story_id,
        "new_story": alert.new_story,
        "title": alert.title,
        "published": alert.published,
        "outlets": alert.outlets,
        "article_ids": alert.article_ids,
        "created_at": alert.created_at,
    }
    if base_url:
        payload["url"] = f"{base_url.rstrip('/')}/stories/{alert.story_id}"
    return json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()


def sign(secret: str, body: bytes) -> str:
    """The :data:`SIGNATURE_HEADER` value of a body."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, header: str) -> bool:
    """Whether a signature header is right for the body (what a receiver does)."""
    return hmac.compare_digest(sign(secret, body), header)


_ATOM = "http://www.w3.org/2005/Atom"


def atom_feed(follow: Follow, alerts: Sequence[Alert], base_url: str, updated: str) -> bytes:
    """A follow's alerts as an Atom feed, newest first (ElementTree escapes every text)."""
    ET.register_namespace("", _ATOM)
    base = base_url.rstrip("/")

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{_ATOM}}}{tag}", attrs)
        if text is not None:
            element.text = _xml_text(text)
        return element

    feed = ET.Element(f"{{{_ATOM}}}feed")
    sub(feed, "id", f"urn:kabar:follow:{follow.id}")
    sub(feed, "title", f"kabar: {describe(follow)}")
    sub(feed, "updated", (alerts[0].created_at if alerts else "") or updated)
    sub(feed, "link", rel="self", href=f"{base}/api/v1/follows/{follow.id}/alerts.atom")
    sub(feed, "link", rel="alternate", href=f"{base}/follows/{follow.id}")
    sub(sub(feed, "author"), "name", "kabar")
    for alert in alerts:
        entry = sub(feed, "entry")
        sub(entry, "id", f"urn:kabar:alert:{alert_id(alert.follow_id, alert.event_id)}")
        sub(entry, "title", alert.title)
        sub(entry, "updated", alert.created_at or updated)
        sub(entry, "link", rel="alternate", href=f"{base}/stories/{alert.story_id}")
        what = "New story" if alert.new_story else "New event"
        summary = (
            f"{what} ({alert.published or 'undated'}) matching {describe(follow)}:"
            f" {len(alert.article_ids)} article(s) from {', '.join(alert.outlets)}."
        )
        sub(entry, "summary", summary)
    body: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return body


_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(text: str) -> str:
    """Text XML can hold: control characters (scraped titles carry some) dropped."""
    return _XML_BAD.sub("", text)
