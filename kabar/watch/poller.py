"""The watch loop: poll every source, fetch the new articles once, ingest them.

A poll asks each feed and sitemap with its saved validators (a 304 costs nothing), records
the articles it lists that were never seen as pending pages, then fetches up to
``max_pages`` pending pages (robots.txt and the per-host delay respected) and hands them
to the ingest function in small batches: the same path as ``kabar ingest`` (cleaning,
dedup, grouping). Every failure is one source's or one page's: reported with its fix,
never the end of the poll.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from kabar.errors import GroupingChanged, InputError, InputWarning, KabarError
from kabar.ingest import ReadOptions, ReadResult, decode, file_kind, read_path, unexpected
from kabar.model import RawArticle
from kabar.service import IngestReport
from kabar.store import Store
from kabar.store.watch import WatchedPage, WatchedSource, now
from kabar.watch.http import Answer, FetchError, Http
from kabar.watch.sources import Item, NotAFeed, Source, WatchConfig, parse_feed, parse_sitemap
from kabar.watch.state import (
    after_failure,
    child_due,
    cutoff,
    file_validator,
    new_pages,
    older,
    settled,
)

EventKind = Literal[
    "polled", "not-modified", "new", "fetched", "ingested", "skipped", "warning", "error"
]
"""``skipped``: a page robots.txt asks us not to fetch (the site's wish, not a failure);
``warning``: a page stored, with something to check (a text too long to analyse whole)."""
IngestFn = Callable[[Sequence[ReadResult]], IngestReport]

BATCH = 20
"""Pages fetched before they are ingested together (an ingest updates the stories once)."""
MAX_CHILD_SITEMAPS = 50
"""Sitemaps of one index asked per poll (the most recently modified first)."""
MAX_DEPTH = 2
"""Sitemap indexes of sitemap indexes followed this deep."""


@dataclass(frozen=True)
class Event:
    """One line of what a poll did: ``where`` (a source or page), ``message``, and for
    errors the ``fix``."""

    kind: EventKind
    where: str
    message: str
    fix: str = ""

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}"
        return f"{text} ({self.fix})" if self.fix else text


@dataclass
class PollReport:
    """What one poll did, counted, with its events in order."""

    polled: int = 0
    not_modified: int = 0
    new: int = 0
    fetched: int = 0
    added: int = 0
    existing: int = 0
    failed: int = 0
    skipped: int = 0
    pending: int = 0
    stories: int | None = None
    events: list[Event] = field(default_factory=list)

    @property
    def errors(self) -> list[Event]:
        return [e for e in self.events if e.kind == "error"]

    def summary(self) -> str:
        stories = "" if self.stories is None else f"; {self.stories} stories"
        waiting = f", {self.pending} waiting for the next poll" if self.pending else ""
        return (
            f"{self.polled} sources polled ({self.not_modified} not modified), "
            f"{self.new} new items, {self.fetched} pages fetched{waiting}; "
            f"{self.added} articles added, {self.existing} already stored, "
            f"{self.failed} failed"
            + (f", {self.skipped} refused by robots.txt" if self.skipped else "")
            + stories
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "polled": self.polled,
            "not_modified": self.not_modified,
            "new": self.new,
            "fetched": self.fetched,
            "added": self.added,
            "existing": self.existing,
            "failed": self.failed,
            "skipped": self.skipped,
            "pending": self.pending,
            "stories": self.stories,
            "events": [
                {"kind": e.kind, "where": e.where, "message": e.message, "fix": e.fix}
                for e in self.events
            ],
        }


class Watcher:
    """Follows the sources of ``config`` into ``store``.

    ingest: stores read results the way ``kabar ingest`` does (the CLI passes
        :func:`kabar.service.ingest`; the server its ingest worker).
    tell: called with each event as it happens (progress output).
    http: the HTTP layer (default: one built from the config).
    stop: the event that ends :meth:`run` (default: a new one, :attr:`stop`).
    """

    def __init__(
        self,
        config: WatchConfig,
        store: Store,
        ingest: IngestFn,
        tell: Callable[[Event], None] | None = None,
        http: Http | None = None,
        stop: threading.Event | None = None,
    ) -> None:
        self.config = config
        self.store = store
        self.ingest = ingest
        self.tell = tell
        self.stop = stop or threading.Event()
        """Set it to end :meth:`run` (waits and per-host delays end at once)."""
        self.http = http or Http(
            config.user_agent,
            delay=config.delay,
            timeout=config.timeout,
            max_bytes=config.max_bytes,
            sleep=self.stop.wait,
        )
        self._report = PollReport()

    def close(self) -> None:
        self.http.close()

    def run(
        self,
        interval: float | None = None,
        once: bool = False,
        after: Callable[[PollReport], None] | None = None,
    ) -> PollReport:
        """Poll every ``interval`` seconds (default: the config's) until :attr:`stop` is
        set, or once; ``after`` sees each poll's report. Returns the last one. A poll that
        fails whole (the database locked for long) is reported, and the next one tried."""
        wait = self.config.interval if interval is None else interval
        while True:
            try:
                report = self.poll()
            except Exception as exc:
                if once:
                    raise
                report = self._report
                self._event("error", "poll", f"failed ({unexpected(exc)})", "tried again next poll")
            if after is not None:
                after(report)
            if once or self.stop.wait(wait):
                return report

    # -- one poll ----------------------------------------------------------------------
    def poll(self) -> PollReport:
        """Poll every source, then fetch and ingest pending pages."""
        self._report = report = PollReport()
        self.http.new_poll()
        for source in self.config.sources:
            if self.stop.is_set():
                break
            try:
                if source.kind == "folder":
                    self._poll_folder(source)
                elif source.kind == "feed":
                    self._poll_feed(source)
                else:
                    self._poll_sitemap(source, source.location, None, 0)
            except KabarError:
                raise  # the store is unusable: not one source's fault
            except Exception as exc:  # isolation: one source, not the poll
                self._event("error", str(source), f"failed ({unexpected(exc)})", "a bug: report it")
        if not self.stop.is_set():
            self._fetch_pending()
        return report

    def _event(self, kind: EventKind, where: str, message: str, fix: str = "") -> None:
        event = Event(kind, where, message, fix)
        self._report.events.append(event)
        if self.tell is not None:
            self.tell(event)

    def _ask(self, url: str, record: WatchedSource) -> Answer | None:
        """A conditional GET of a feed or sitemap; None (and an error event) when it is
        refused by robots.txt or fails."""
        self._report.polled += 1
        problem = self.http.robots_problem(url)
        if problem is not None:
            self._event("error", url, problem, "nothing is fetched from the site until it answers")
            return None
        if not self.http.allowed(url):
            self._event("error", url, "disallowed by robots.txt", "remove this source")
            return None
        try:
            answer = self.http.get(url, record.etag, record.last_modified)
        except FetchError as exc:
            fix = f"{exc.fix}; tried again next poll" if exc.transient else exc.fix
            self._event("error", url, exc.problem, fix)
            return None
        if answer.status == 304:
            self._report.not_modified += 1
            self._event("not-modified", url, "304 not modified")
        return answer

    @staticmethod
    def _validated(record: WatchedSource, answer: Answer) -> WatchedSource:
        """The record after a 200 answer: its validators kept for the next conditional GET."""
        return replace(
            record,
            etag=answer.headers.get("etag"),
            last_modified=answer.headers.get("last-modified"),
            fetched_lastmod=record.lastmod,
            checked_at=now(),
        )

    def _poll_feed(self, source: Source) -> None:
        url = source.location
        record = self.store.get_watch_source(url) or WatchedSource(url)
        answer = self._ask(url, record)
        if answer is None:
            return
        if answer.status == 304:
            self.store.save_watch_source(replace(record, checked_at=now()))
            return
        try:
            items = parse_feed(answer.body, answer.url, answer.content_type)
        except NotAFeed as exc:
            self._event("error", url, str(exc), "check that the URL is the RSS/Atom feed")
            return
        self._discover(source, url, items)
        self.store.save_watch_source(self._validated(record, answer))

    def _poll_sitemap(self, source: Source, url: str, parent: str | None, depth: int) -> None:
        record = self.store.get_watch_source(url) or WatchedSource(url, parent=parent)
        answer = self._ask(url, record)
        if answer is None:
            return
        if answer.status == 304:
            unchanged = replace(record, fetched_lastmod=record.lastmod, checked_at=now())
            self.store.save_watch_source(unchanged)
            children = self.store.watch_children(url)
        else:
            try:
                sitemap = parse_sitemap(answer.body, answer.url)
            except NotAFeed as exc:
                self._event("error", url, str(exc), "check that the URL is the sitemap")
                return
            if sitemap.sitemaps:
                self.store.set_watch_children(url, sitemap.sitemaps)
                self._event("polled", url, f"sitemap index of {len(sitemap.sitemaps)} sitemaps")
            else:
                self._discover(source, url, sitemap.items)
            self.store.save_watch_source(self._validated(record, answer))
            children = self.store.watch_children(url) if sitemap.sitemaps else []
        if depth >= MAX_DEPTH:
            return
        limit = cutoff(self.config.max_age_days)
        due = [c for c in children if child_due(c) and not older(c.lastmod, limit)]
        due.sort(key=lambda c: c.lastmod or "", reverse=True)
        for child in due[:MAX_CHILD_SITEMAPS]:
            if self.stop.is_set():
                return
            self._poll_sitemap(source, child.url, url, depth + 1)

    def _discover(self, source: Source, url: str, items: list[Item]) -> None:
        known = self.store.get_watch_pages(item.url for item in items)
        limit = cutoff(self.config.max_age_days)
        pages = new_pages(items, known, source, limit)
        self.store.save_watch_pages(pages)
        self._report.new += len(pages)
        old = sum(1 for i in items if i.url not in known and older(i.published, limit))
        skipped = f", {old} older than {self.config.max_age_days:g} days skipped" if old else ""
        self._event("new", url, f"{len(items)} items, {len(pages)} new{skipped}")

    # -- pages -------------------------------------------------------------------------
    def _fetch_pending(self) -> None:
        pages = self.store.pending_watch_pages(self.config.max_pages)
        batch: list[tuple[WatchedPage, RawArticle]] = []
        for page in pages:
            if self.stop.is_set():
                break
            raw = self._fetch_page(page)
            if raw is not None:
                batch.append((page, raw))
            if len(batch) >= BATCH:
                self._ingest_pages(batch)
                batch = []
        self._ingest_pages(batch)
        self._report.pending = len(self.store.pending_watch_pages(self.config.max_pages + 1))

    def _fail(
        self,
        page: WatchedPage,
        problem: str,
        fix: str,
        transient: bool = False,
        robots: bool = False,
    ) -> None:
        """Record and report a page that gave no article (``robots``: one robots.txt
        refuses, reported as skipped, not as an error)."""
        page = after_failure(page, problem, transient, self.config.retries)
        self.store.save_watch_pages([page])
        if robots:
            self._report.skipped += 1
            self._event("skipped", page.url, problem, fix)
            return
        if page.state == "pending":
            fix = f"{fix}; tried again next poll ({page.attempts}/{self.config.retries})"
        else:
            self._report.failed += 1
        self._event("error", page.url, problem, fix)

    def _fetch_page(self, page: WatchedPage) -> RawArticle | None:
        """The page as a raw article, or None when it failed (recorded and reported)."""
        problem = self.http.robots_problem(page.url)
        if problem is not None:
            self._event("error", page.url, problem, "tried again next poll")
            return None
        if not self.http.allowed(page.url):
            self._fail(page, "disallowed by robots.txt", "the site asks robots not to", robots=True)
            return None
        try:
            answer = self.http.get(page.url)
        except FetchError as exc:
            self._fail(page, exc.problem, exc.fix, exc.transient, exc.robots)
            return None
        self._report.fetched += 1
        kind = answer.content_type.split(";")[0].strip().lower()
        if kind and "html" not in kind and kind != "text/plain":
            self._fail(page, f"not an HTML page ({kind})", "the feed links to a file, skipped")
            return None
        try:
            html = decode(answer.body, page.url, answer.encoding or "auto")
        except InputError as exc:
            self._fail(page, exc.problem, exc.fix)
            return None
        self._event("fetched", page.url, f"{answer.status}, {len(answer.body):,} bytes")
        return RawArticle(
            text="",
            html=html,
            url=answer.url,
            source=page.url,
            title=page.title,
            published=page.published,
            outlet=page.outlet,
        )

    def _ingest_pages(self, batch: list[tuple[WatchedPage, RawArticle]]) -> None:
        if not batch:
            return
        report = self._run_ingest([raw for _, raw in batch], "ingest")
        if report is None:
            return  # not stored: the pages stay pending
        problems = {e.source: e for e in report.errors}
        done = []
        for page, _ in batch:
            problem = problems.get(page.url)
            if problem is None:
                done.append(replace(page, state="done", problem=None))
            else:
                self._report.failed += 1
                done.append(replace(page, state="failed", problem=problem.problem))
        self.store.save_watch_pages(done)

    def _run_ingest(self, inputs: Sequence[ReadResult], what: str) -> IngestReport | None:
        """Ingest and report; None when nothing could be stored (the store refused)."""
        try:
            report = self.ingest(inputs)
        except GroupingChanged as exc:
            self._event("error", what, f"articles stored, stories not updated: {exc}", "")
            return IngestReport()
        except KabarError as exc:
            self._event("error", what, f"not stored: {exc}", "tried again next poll")
            return None
        self._report.added += len(report.added)
        self._report.existing += len(report.existing)
        self._report.stories = report.stories
        for problem in report.errors:
            if not isinstance(problem, InputWarning):
                self._event("error", problem.source, problem.problem, problem.fix)
        for problem in report.warnings:
            self._event("warning", problem.source, problem.problem, problem.fix)
        self._event(
            "ingested",
            what,
            f"{len(report.added)} added, {len(report.existing)} already stored, "
            f"{len(report.errors)} failed; {report.stories} stories",
        )
        return report

    # -- folders -----------------------------------------------------------------------
    def _poll_folder(self, source: Source) -> None:
        folder = Path(source.location)
        self._report.polled += 1
        if not folder.is_dir():
            self._event("error", str(folder), "no such folder", "create it or fix the path")
            return
        clock = time.time()
        files = sorted(
            p
            for p in folder.rglob("*")
            if p.is_file()
            and file_kind(p) is not None
            and not any(part.startswith(".") for part in p.relative_to(folder).parts)
            and settled(p, self.config.settle, clock)
        )
        uris = {p.as_uri(): p for p in files}
        known = self.store.get_watch_pages(uris)
        fresh: list[WatchedPage] = []
        for uri, path in uris.items():
            validator = file_validator(path)
            old = known.get(uri)
            if old is None or old.validator != validator:
                fresh.append(WatchedPage(uri, str(source), "done", validator=validator))
        self._report.new += len(fresh)
        self._event("new", str(folder), f"{len(files)} files, {len(fresh)} new")
        if not fresh:
            return
        options = ReadOptions(max_bytes=self.config.max_bytes)
        inputs: list[ReadResult] = []
        for page in fresh:
            for item in read_path(Path(uris[page.url]), options):
                if isinstance(item, RawArticle) and source.outlet and not item.outlet:
                    item = replace(item, outlet=source.outlet)
                inputs.append(item)
        if self._run_ingest(inputs, str(folder)) is not None:
            self.store.save_watch_pages(fresh)


class BackgroundWatch:
    """A :class:`Watcher` in a daemon thread, for ``kabar serve --watch``: started and
    stopped with the server, on its own store connection."""

    def __init__(
        self,
        config: WatchConfig,
        open_store: Callable[[], Store],
        ingest: Callable[[Store, Sequence[ReadResult]], IngestReport],
        tell: Callable[[Event], None] | None = None,
    ) -> None:
        self.config = config
        self._open_store = open_store
        self._ingest = ingest
        self._tell = tell
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.watcher: Watcher | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="kabar-watch", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        store = self._open_store()
        watcher = self.watcher = Watcher(
            self.config,
            store,
            lambda inputs: self._ingest(store, inputs),
            self._tell,
            stop=self._stop,
        )
        try:
            while not self._stop.is_set():
                try:
                    watcher.run()
                except Exception as exc:  # the server stays up; the next poll retries
                    if self._tell is not None:
                        self._tell(Event("error", "watch", f"poll failed ({unexpected(exc)})"))
                    self._stop.wait(self.config.interval)
        finally:
            watcher.close()
            store.close()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
