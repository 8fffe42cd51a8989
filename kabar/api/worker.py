"""Ingest for the web app, in a worker process by default.

An ingest runs the whole pipeline (cleaning, NER, dating, grouping, timelines): 100+ ms of
pure Python per article, during which a thread would hold the GIL and starve the server's
readers. In a child process it holds nothing of the server's: the request thread only
waits for the report, and the readers keep the CPU. The child opens the store itself and
commits as ``kabar ingest`` does (transactions per batch), the last batch (a post's
article) in one transaction with its grouping, so a crash of the child loses no committed
article and leaves no half-written one; the next ingest starts a new child.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import importlib
import logging
import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, cast

from kabar import service
from kabar.api.live import LiveRecords, MissingState, RecordBuilder, StateUpdate
from kabar.api.priority import WriteGate
from kabar.errors import InputError, InputWarning, KabarError
from kabar.ingest import ReadResult
from kabar.model import RawArticle, Story
from kabar.pipeline import process
from kabar.store import Store, open_store

if TYPE_CHECKING:
    from kabar.stories import GroupingParams

log = logging.getLogger(__name__)

_Problem = tuple[str, str, str]
_Report = tuple[list[str], list[str], list[_Problem], int, list[_Problem]]


class IngestUnavailable(KabarError):
    """The ingest worker died (killed, out of memory) before answering; nothing was lost:
    committed batches stay, the rest can simply be sent again."""


class Ingester:
    """Runs :func:`kabar.service.ingest` for the app, one ingest at a time.

    db: the store location (the worker process opens its own connection to it).
    processes: 1 (the server's default) runs ingests in a child process, started on the
        first write and kept for the next ones (models load once); 0 runs them in the
        calling thread (tests, and platforms without process support).
    params: the configured grouping parameters (``[grouping]`` of kabar.toml,
        ``KABAR_GROUPING_*``), passed to every ingest as ``kabar ingest`` does: a store
        grouped with others raises :class:`kabar.corpus.GroupingChanged` (articles kept).
    gate: held while a single article (a post, or a batch of one) is added through
        :meth:`ingest_async`, from when the worker starts it (not while it waits behind
        another ingest) until its ``then`` is done, so that the app's reads wait for it
        (:mod:`kabar.api.priority`; default: a gate no read waits on).
    """

    def __init__(
        self,
        db: str,
        processes: int = 1,
        params: GroupingParams | None = None,
        gate: WriteGate | None = None,
    ) -> None:
        if processes not in (0, 1):
            # Grouping is incremental over one saved state: two ingests at once would both
            # extend the same state. More processes would only queue.
            raise ValueError("processes must be 0 (in the calling thread) or 1")
        self.db = db
        self.processes = processes
        self.params = params
        self.gate = gate or WriteGate(max_wait=0)
        self._last: Future[_Report] | None = None  # the ingest handed to the worker last
        self._lock = threading.Lock()  # one in-thread ingest at a time; the hand-over
        self._pool: ProcessPoolExecutor | None = None
        self.after: Callable[[], None] | None = None
        """Called after each ingest, committed or failed (the app wakes its alert
        dispatcher: alerts are delivered after the commit, never inside the ingest)."""

    def start(self) -> None:
        """Start the worker process now and let it load the pipeline's models, so that the
        first write does not wait seconds for them (returns at once)."""
        with self._lock:
            if self.processes:
                self._executor().submit(_warm_up, self.db)

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # spawn, not fork: the server has threads, and a forked copy of their locks
            # can deadlock the child.
            self._pool = ProcessPoolExecutor(
                1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_worker_child,
                initargs=(os.getpid(),),
            )
        return self._pool

    def ingest(self, store: Store, inputs: Sequence[ReadResult]) -> service.IngestReport:
        """Ingest ``inputs`` into the store; ``store`` is the caller's (used in-thread only)."""
        try:
            return self._ingest(store, inputs)
        finally:
            if self.after is not None:
                self.after()

    async def ingest_async(
        self,
        inputs: Sequence[ReadResult],
        then: Callable[[service.IngestReport], Awaitable[None]] | None = None,
    ) -> service.IngestReport | None:
        """:meth:`ingest` for the event loop, when the worker process runs it: the request
        awaits the worker's answer instead of waiting in a thread of the server's pool (the
        readers' pages run there: a post waited behind them twice, for its turn and for
        the answer). None: not run (no worker process, or nothing to ingest): the caller
        calls :meth:`ingest` in a thread.

        then: run after a single article's add committed, while the reads are still held
        (the app computes the answers its poster reads next, :class:`kabar.api.cache.Warmer`);
        an exception from it is logged, the report returned. Not called when this returns
        None.
        """
        if not self.processes:
            return None
        raws, report = _split(inputs)
        if not raws:
            return None
        try:
            pool, future, ahead = self._submit(raws)
            single = len(raws) == 1
            if single and ahead is not None and not ahead.done():
                # the worker runs ingests in turn: the reads are held for this article's
                # add, not for a batch or a watch queued before it
                await asyncio.wait([asyncio.wrap_future(ahead)])
            # A single article holds the reads back while it is added (kabar.api.priority).
            async with self.gate.write() if single else contextlib.nullcontext():
                try:
                    answer = await asyncio.wrap_future(future)
                except BrokenProcessPool as exc:
                    raise self._broken(pool) from exc
                report = _reported(report, answer)
                if single and then is not None:
                    try:
                        await then(report)
                    except Exception:  # the add is committed: its report must reach the poster
                        log.warning("the step after a post's add failed", exc_info=True)
            return report
        finally:
            if self.after is not None:
                self.after()

    def _ingest(self, store: Store, inputs: Sequence[ReadResult]) -> service.IngestReport:
        if not self.processes:
            with self._lock:
                return service.ingest(store, inputs, params=self.params)
        raws, report = _split(inputs)
        if not raws:
            report.stories = store.count_stories()
            return report
        pool, future, _ahead = self._submit(raws)
        try:
            answer = future.result()
        except BrokenProcessPool as exc:
            raise self._broken(pool) from exc
        return _reported(report, answer)

    def _submit(
        self, raws: list[RawArticle]
    ) -> tuple[ProcessPoolExecutor, Future[_Report], Future[_Report] | None]:
        """Hand the articles to the worker process; also the ingest handed over before
        (this one starts when it is done). Only the hand-over holds the lock (the event
        loop may take it): the one worker runs the ingests one at a time, in order."""
        with self._lock:
            pool = self._executor()
            try:
                future = pool.submit(_ingest_in_child, self.db, raws, self.params)
                ahead, self._last = self._last, future
                return pool, future, ahead
            except BrokenProcessPool as exc:  # it died while idle: the next one starts anew
                pool.shutdown(wait=False, cancel_futures=True)
                self._pool = None
                raise IngestUnavailable(
                    "the ingest worker stopped; send the articles again"
                ) from exc

    def _broken(self, pool: ProcessPoolExecutor) -> IngestUnavailable:
        """The worker process died: the next ingest starts a new one."""
        with self._lock:
            pool.shutdown(wait=False, cancel_futures=True)
            if self._pool is pool:
                self._pool = None
        return IngestUnavailable("the ingest worker stopped; send the articles again")

    def close(self) -> None:
        """Stop the worker process (after the ingest in flight, if any), its story records
        written and its grouping state saved."""
        with self._lock:
            if self._pool is not None:
                # if it fails, the store stays marked ahead of its state: the next start regroups
                with contextlib.suppress(Exception):
                    self._pool.submit(_flush).result(timeout=120)
                self._pool.shutdown(wait=True)
                self._pool = None


def _split(inputs: Sequence[ReadResult]) -> tuple[list[RawArticle], service.IngestReport]:
    """The articles to send to the worker, and the report of the inputs that were none."""
    report = service.IngestReport(
        errors=[i for i in inputs if isinstance(i, InputError) and not isinstance(i, InputWarning)],
        warnings=[i for i in inputs if isinstance(i, InputWarning)],
    )
    return [i for i in inputs if isinstance(i, RawArticle)], report


def _reported(report: service.IngestReport, answer: _Report) -> service.IngestReport:
    """The report with the worker's answer (plain tuples: InputError does not pickle)."""
    added, existing, problems, stories, warnings = answer
    report.added, report.existing, report.stories = added, existing, stories
    report.errors += [InputError(*p) for p in problems]
    report.warnings += [InputWarning(*w) for w in warnings]
    return report


SWITCH_INTERVAL = 0.0005
"""Seconds a thread of the server runs before another may take the GIL (Python's default:
0.005). A big page's render (80 ms for a story of 2,000 members) holds it in 5-ms turns,
and a request doing a dozen short steps between its queries waited one turn for each:
`kabar serve` sets this shorter, so that small answers (a post, its read back) pass
between the turns of a big one (bench/live.py). The ingest worker too: an add releases
the GIL at each of its queries, and took it back a turn of the records thread later."""


_stores: dict[str, Store] = {}  # the child's connection, kept between ingests
_lives: dict[str, LiveRecords] = {}  # the child's story states, kept likewise
_WARM_UP = (
    "JAKARTA - Presiden Joko Widodo bertemu Perdana Menteri Vietnam di Hanoi pada Selasa "
    "(2/7/2024) untuk membahas kerja sama perdagangan kedua negara."
)


SAVE_EVERY = 300.0
SAVE_IDLE = 3.0
"""The server saves its grouping state after 3 s without an add, and at least every 5
minutes while adds keep coming (:class:`LiveRecords`): pickling the state of 10k articles
holds the next add 0.25 s; a crash between two saves leaves the store marked ahead of its
state, and the next ingest regroups it (:meth:`Store.grouping_state_ahead`); a clean stop
saves it first (:meth:`Ingester.close`)."""
_records_pool: list[ProcessPoolExecutor] = []  # the child's own child, for the rebuilds


def _flush() -> None:
    """Runs in the worker process before it stops: every kept state saved."""
    for live in _lives.values():
        live.flush(timeout=100)


def _live(db: str) -> LiveRecords:
    """The worker's story states, kept between ingests: an article added to a large story
    updates its members at once and its timeline just after (:class:`LiveRecords`), rebuilt
    in a process of its own (:class:`ApartBuilder`)."""
    live = _lives.get(db)
    if live is None:
        live = _lives[db] = LiveRecords(
            lambda: open_store(db),
            build=ApartBuilder(db),
            save_every=SAVE_EVERY,
            save_idle=SAVE_IDLE,
        )
    return live


class ApartBuilder:
    """Runs in the worker's records thread: a :class:`RecordBuilder` in a process of its own
    (the records process), so that a rebuild (seconds for a story of 2,000 members) never
    holds the worker's GIL while it adds the next article. The records process keeps its
    copies of the states between rebuilds: it is sent what changed, not the whole state.
    A whole state (a story's first rebuild, after a restart or a split) it reads from the
    store ``db`` itself (:attr:`StateUpdate.stored`), or is sent by value, in parts, if
    that read failed. If it died, its copies went with it (:class:`MissingState`: the
    state is sent whole to the next one)."""

    reads_store = True

    def __init__(self, db: str) -> None:
        self.db = db

    def build(self, update: StateUpdate) -> Story:
        return cast(Story, self._call(_build_in_child, self.db, update))

    def apply(self, update: StateUpdate) -> object:
        return self._call(_apply_in_child, self.db, update)

    def blob(self, story_id: str, serial: int, subjects: bytes) -> bytes | None:
        try:
            return cast(
                "bytes | None", self._call(_blob_in_child, self.db, story_id, serial, subjects)
            )
        except MissingState:
            return None

    @staticmethod
    def _call(call: Callable[..., object], *args: object) -> object:
        if not _records_pool:
            _records_pool.append(
                ProcessPoolExecutor(
                    1,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_records_child,
                    initargs=(os.getpid(),),
                )
            )
        try:
            return _records_pool[0].submit(call, *args).result()
        except BrokenProcessPool:
            _records_pool.pop().shutdown(wait=False, cancel_futures=True)
            raise MissingState("the records process stopped") from None


_builders: dict[str, RecordBuilder] = {}
"""The records process's copies of the states, by store (module state of that process)."""


def _builder(db: str) -> RecordBuilder:
    """Runs in the records process: the builder of a store, with its own connection (it
    reads the members of the states sent by reference)."""
    builder = _builders.get(db)
    if builder is None:
        builder = _builders[db] = RecordBuilder(store=open_store(db))
    return builder


def _build_in_child(db: str, update: StateUpdate) -> Story:
    """Runs in the records process."""
    return _builder(db).build(update)


def _apply_in_child(db: str, update: StateUpdate) -> None:
    """Runs in the records process: a part of a state sent whole (see :func:`send`)."""
    _builder(db).apply(update)


def _blob_in_child(db: str, story_id: str, serial: int, subjects: bytes) -> bytes | None:
    """Runs in the records process."""
    return _builder(db).blob(story_id, serial, subjects)


def _store(db: str) -> Store:
    store = _stores.get(db)
    if store is None:
        store = _stores[db] = open_store(db)
        # The records thread (:class:`LiveRecords`) checkpoints after each round, off
        # the add's path.
        store.hand_off_checkpoints()
    return store


def _worker_child(parent: int) -> None:
    """Runs in the worker process as it starts: the server's switch interval; exit with it."""
    sys.setswitchinterval(SWITCH_INTERVAL)
    _watch_parent(parent)


def _watch_parent(parent: int, interval: float = 1.0) -> None:
    """Runs in the worker process: exit when the server is gone (killed with SIGKILL, it
    cannot stop us), instead of lingering with the models in memory. Exiting in the middle
    of an ingest is safe: the open transaction is rolled back, as in any crash."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval)
        os._exit(0)

    threading.Thread(target=watch, name="kabar-parent-watch", daemon=True).start()


RECORDS_NICE = 10
"""How much lower the records process runs: on a busy machine the adds, the pages and
the readers go first; a deferred rebuild (the story's sentences) waits, never the article."""


def _records_child(parent: int) -> None:
    """Runs in the records process: lower its priority, and exit with the worker."""
    with contextlib.suppress(OSError):  # a platform without nice: same priority, still right
        os.nice(RECORDS_NICE)
    _watch_parent(parent)


def _warm_up(db: str) -> None:
    """Runs in the worker process: open the store and run the per-article pipeline once
    (loads the tagger and date models), storing nothing."""
    _store(db)
    importlib.import_module("kabar.corpus")  # the grouping code (kabar.service: at first use)
    with contextlib.suppress(InputError):  # the sample is an article; no model is an error
        process(RawArticle(text=_WARM_UP, source="warm-up"))
    _settle_heap()  # the models


FREEZE_AFTER = 1.0
"""An ingest of more seconds than this loaded or built what the worker keeps (the grouping
state, a large story's state: hundreds of thousands of objects), and the objects alive
after it are moved out of the garbage collector's sight (:func:`gc.freeze`): its full
collections walked them all, and an add that set one off waited 0.2-1 s for it."""


def _settle_heap() -> None:
    """Collect once, then freeze what is left: the kept states are not walked again.

    What an earlier settle froze is unfrozen first: frozen objects are never collected,
    and a state dropped since (a reset after another writer's regroup, a story merged
    away, an evicted copy) would otherwise stay in memory for the life of the server.
    The full collection this costs (0.2-1 s with the states) comes after an ingest that
    already took seconds to load or build them, not after an ordinary add."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def _ingest_in_child(db: str, raws: list[RawArticle], params: GroupingParams | None) -> _Report:
    """Runs in the worker process. Returns plain tuples: InputError does not pickle."""
    start = time.monotonic()
    report = service.ingest(_store(db), raws, params=params, live=_live(db))
    if time.monotonic() - start >= FREEZE_AFTER:
        _settle_heap()
    problems = [(e.source, e.problem, e.fix) for e in report.errors]
    warnings = [(e.source, e.problem, e.fix) for e in report.warnings]
    return report.added, report.existing, problems, report.stories, warnings
