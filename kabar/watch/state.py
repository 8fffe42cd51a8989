"""The watcher's decisions about what it remembers, as pure functions over the records of
:mod:`kabar.store.watch` (the store keeps them; these say what to do with them)."""

from __future__ import annotations

import email.utils
import os
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from kabar.store.watch import PageState, WatchedPage, WatchedSource
from kabar.watch.sources import Item, Source


def new_pages(
    items: Iterable[Item],
    known: Iterable[str],
    source: Source,
    cutoff: datetime | None = None,
) -> list[WatchedPage]:
    """Pages for the items not seen before (each URL once) and not dated before
    ``cutoff``, pending, with the item's hints; the source's configured outlet when the
    item names none."""
    seen = set(known)
    pages: list[WatchedPage] = []
    for item in items:
        if item.url in seen or older(item.published, cutoff):
            continue
        seen.add(item.url)
        pages.append(
            WatchedPage(
                url=item.url,
                source=str(source),
                title=item.title,
                published=item.published,
                outlet=source.outlet or item.outlet,
            )
        )
    return pages


def after_failure(page: WatchedPage, problem: str, transient: bool, retries: int) -> WatchedPage:
    """The page after a failed attempt: still pending when the failure may pass (a 5xx, a
    timeout) and attempts are left, else failed for good."""
    attempts = page.attempts + 1
    state: PageState = "pending" if transient and attempts < retries else "failed"
    return replace(page, attempts=attempts, state=state, problem=problem)


def child_due(child: WatchedSource) -> bool:
    """Whether a sitemap listed by an index should be asked this poll: never fetched, no
    ``<lastmod>`` to go by, or a ``<lastmod>`` that moved since it was fetched."""
    return (
        child.checked_at is None or child.lastmod is None or child.lastmod != child.fetched_lastmod
    )


def file_validator(path: Path) -> str:
    """Size and modification time: a file rewritten in place is read again."""
    stat = path.stat()
    return f"{stat.st_size}-{stat.st_mtime_ns}"


def settled(path: Path, settle: float, now: float) -> bool:
    """Whether a file has been left alone ``settle`` seconds (a copy may be under way)."""
    return now - os.stat(path).st_mtime >= settle


def cutoff(max_age_days: float, now: datetime | None = None) -> datetime | None:
    """The oldest date still followed, or None (no limit)."""
    if max_age_days <= 0:
        return None
    return (now or datetime.now(UTC)) - timedelta(days=max_age_days)


def older(stamp: str | None, limit: datetime | None) -> bool:
    """Whether a feed or sitemap date (ISO/W3C, or RFC 822) is before ``limit``; an
    unknown or unreadable date is not (the item is kept)."""
    if limit is None or not stamp:
        return False
    when = when_of(stamp)
    return when is not None and when < limit


def when_of(stamp: str) -> datetime | None:
    """An aware datetime from an ISO/W3C date or datetime (naive read as UTC) or an
    RFC 822 date; None when it is neither."""
    try:
        when = datetime.fromisoformat(stamp.strip())
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(stamp)
        except (TypeError, ValueError, IndexError):
            return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)
