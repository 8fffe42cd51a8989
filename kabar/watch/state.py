"""The watcher's decisions about what it remembers, as pure functions over the records of
:mod:`kabar.store.watch` (the store keeps them; these say what to do with them)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from kabar.store.watch import PageState, WatchedPage, WatchedSource
from kabar.watch.sources import Item, Source


def new_pages(items: Iterable[Item], known: Iterable[str], source: Source) -> list[WatchedPage]:
    """Pages for the items not seen before (each URL once), pending, with the item's
    hints; the source's configured outlet when the item names none."""
    seen = set(known)
    pages: list[WatchedPage] = []
    for item in items:
        if item.url in seen:
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
