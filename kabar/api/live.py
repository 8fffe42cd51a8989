"""The story states of the server's long-running writer (the ingest worker of
:mod:`kabar.api.worker`), kept in memory between ingests, and the thread that rebuilds the
record parts an add deferred (:func:`refresh_stories`).

:func:`kabar.service.update_stories` takes them (``live``): a large story's tallies are
written at once and its title, summary, timeline and facts just after, by the thread.
"""

from __future__ import annotations

import dataclasses
import itertools
import logging
import os
import pickle
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from kabar.model import Article, Story, StoryEntity
from kabar.store import Store

if TYPE_CHECKING:
    from kabar.stories import GroupingState
    from kabar.timeline import FeatureCache, StoryState, StoryTally

_log = logging.getLogger(__name__)


@dataclass
class StateUpdate:
    """What a records builder is sent to bring its copy of a story's state up to the
    writer's: the members that joined since the last update (with their sentence features),
    and the small parts whole (the tally's ids, dates and outlets, the reading order).

    A story's state is 8 MB pickled at 2,000 members: pickled whole after each add, by the
    worker's records thread, it held the worker's GIL 0.46 s, and the next add waited for
    it; an update is the new article (a few kilobytes) and the lists (O(members) ids).

    serial: which kept copy this updates (a new state object of the writer's, as a story
    split or made from its members, gets a new serial and is sent whole, in ``full``, or
    by reference, in ``stored``).
    known: how many members the builder's copy must hold before it takes ``members``.
    stored: a whole state by reference, for a builder that reads the store
        (:attr:`Builder.reads_store`): its members' ids in the order they were added,
        read back by the builder (kept uncounted: ``tally`` is the writer's). Sent whole by value, the 8 MB state of a
        2,000-member story went in 80 messages, each pickled by the writer's thread
        (holding its GIL), and each waiting for the builder's turn on the CPU: the adds
        of the next seconds after a restart ran at half speed beside them. The ids are a
        few kilobytes; the members are committed (an add commits under the lock this is
        made under), and the store holds them as the writer's state counted them (unless
        another writer regrouped meanwhile: the writer then resets, and its next update
        of the story is whole again)."""

    story_id: str
    serial: int
    known: int
    tally: StoryTally
    order: list[str]
    members: dict[str, Article] = field(default_factory=dict)
    cache: FeatureCache = field(default_factory=dict)
    full: StoryState | None = None
    stored: list[str] | None = None


class MissingState(LookupError):
    """The builder has no copy of the state an update continues (a new records process,
    one evicted): the writer sends the state whole; or it could not read a state sent by
    reference (its store failed, a member is not there): the writer sends it by value."""


class Builder(Protocol):
    """Where the deferred record parts are rebuilt (:class:`RecordBuilder` in the thread;
    the API's worker: in a process of its own)."""

    @property
    def reads_store(self) -> bool:
        """Whether it reads a whole state's members from the store (``StateUpdate.stored``)."""

    def build(self, update: StateUpdate) -> Story: ...

    def apply(self, update: StateUpdate) -> object: ...

    def blob(self, story_id: str, serial: int, subjects: bytes) -> bytes | None: ...


STATE_CHUNK = 25
"""Members per message when a state is sent whole by value (a builder that does not read
the store, or whose read failed): each message is pickled by a thread of the writer's
process, holding its GIL meanwhile (the whole state of 2,000 members held it 0.46 s, and
the add after it waited; 25 of them, about 5 ms, a switch interval)."""


def send(builder: Builder, update: StateUpdate, chunk: int = STATE_CHUNK) -> Story:
    """The record built from ``update``; a whole state is sent ``chunk`` members at a
    time (the first message holds the rest of the state, the last one builds)."""
    full = update.full  # None: a delta, or a whole state by reference (one small message)
    if full is None or len(full.members) <= chunk:
        return builder.build(update)
    ids = list(full.members)
    head = dataclasses.replace(
        full,
        members={aid: full.members[aid] for aid in ids[:chunk]},
        cache={aid: full.cache[aid] for aid in ids[:chunk]},
    )
    builder.apply(dataclasses.replace(update, full=head))
    for start in range(chunk, len(ids), chunk):
        part = ids[start : start + chunk]
        more = dataclasses.replace(
            update,
            known=start,
            full=None,
            members={aid: full.members[aid] for aid in part},
            cache={aid: full.cache[aid] for aid in part},
        )
        if start + chunk >= len(ids):
            return builder.build(more)
        builder.apply(more)
    raise AssertionError("unreachable")  # len(ids) > chunk: the loop returns


class LiveRecords:
    """The story states of a long-running writer (the API's ingest worker), kept in memory
    between ingests, and a thread that rebuilds the record parts deferred by them.

    Cost of an add to a story of n members, above ``defer_above`` originals: the new
    article's features and tallies, the previous record read and written back (O(n)
    small work, no sentence compared); the thread then rebuilds the story's title,
    summary, timeline and facts from its state (:meth:`StoryState.record`) and writes
    them into the story's current record. The page shows the article at once and its
    sentences after one rebuild; adds during a rebuild are taken by the next one.

    opener: opens the writer's store for the thread (its own connection).
    build: keeps a copy of each stale story's state, updated from what changed
        (:class:`StateUpdate`), and makes its record (default :class:`RecordBuilder`, in
        the thread). The API's worker passes one that runs in another process: a rebuild
        is seconds of pure Python for a story of 2,000 members, and in the writer's
        process it holds the GIL half the time the next add needs it.
    """

    def __init__(
        self,
        opener: Callable[[], Store],
        defer_above: int = 200,
        build: Builder | None = None,
        save_every: float = 30.0,
        save_idle: float = 0.0,
    ) -> None:
        self.opener = opener
        self.defer_above = defer_above
        self.build: Builder = build or RecordBuilder()
        self.unpacked: set[str] = set()
        """Stories rebuilt since their state was last saved: their states are saved with the
        next grouping state (while adds come, none is: 8 MB for 2,000 members)."""
        self.sent: dict[str, tuple[StoryState, int, int]] = {}
        """By story: the state object the builder's copy follows, its serial, and how many
        of its members were sent (what the next :class:`StateUpdate` leaves out)."""
        self._serials = itertools.count(1)
        self.save_every = save_every
        """Seconds between two saves of the grouping state while adds keep coming: pickling
        it takes the lock, and so the next add, for 0.25 s at 10k articles (compressing and
        writing it do not). Until it is saved, the store is marked ahead of its state
        (:meth:`Store.grouping_state_ahead`): after a crash, the next writer regroups the
        store rather than replay the articles the saved state does not cover."""
        self.save_idle = save_idle
        """Seconds without an add, no record stale, before the grouping state is saved
        (0: as soon as no record is stale). The server waits a few seconds, so that a save
        falls between bursts of adds rather than in front of the next one."""
        self.saved_at = time.monotonic()
        self.added_at = time.monotonic()
        """When the last add was (the idle time before a save)."""
        self.states: dict[str, StoryState] = {}
        self.records: dict[str, Story] = {}
        """The records as last written (a quick update starts from them)."""
        self.grouping: GroupingState | None = None
        """The grouping state, ahead of the saved one until the thread saves it."""
        self.unsaved = False
        self.token: bytes | None = None
        """The stamp of the grouping state saved last (another writer changes it)."""
        self.saving: bytes | None = None
        """The stamp of the grouping state the thread is writing (outside the lock)."""
        self.adds = 0
        """Adds so far: whether the state changed while the thread was saving it."""
        self.lock = threading.Lock()
        self._wake = threading.Event()
        self._idle = threading.Event()
        self._idle.set()
        self._thread: threading.Thread | None = None

    def reset(self) -> None:
        """Forget everything kept (the store moved on without us)."""
        self.states.clear()
        self.records.clear()
        self.sent.clear()
        self.unpacked.clear()
        self.grouping, self.unsaved, self.token, self.saving = None, False, None, None

    def update(
        self, story_id: str, state: StoryState, whole: bool = False, by_value: bool = False
    ) -> StateUpdate:
        """What the builder needs of ``state`` since the last update of the story (under
        the lock): its new members, or the whole state if the builder follows another
        object (or ``whole``), by reference if the builder reads the store (unless
        ``by_value``). O(members) ids copied, O(new members) articles."""
        from kabar.timeline import StoryTally

        tally = StoryTally(
            published=dict(state.tally.published),
            originals=list(state.tally.originals),
            outlets=set(state.tally.outlets),
            copies=list(state.tally.copies),
        )
        sent = self.sent.get(story_id)
        if whole or sent is None or sent[0] is not state:
            serial = next(self._serials)
            self.sent[story_id] = (state, serial, len(state.members))
            order = list(state.order)
            if self.build.reads_store and not by_value:
                return StateUpdate(story_id, serial, 0, tally, order, stored=list(state.members))
            return StateUpdate(story_id, serial, 0, tally, order, full=state.snapshot())
        _state, serial, known = sent
        new = list(itertools.islice(state.members, known, None))
        self.sent[story_id] = (state, serial, len(state.members))
        return StateUpdate(
            story_id,
            serial,
            known,
            tally,
            list(state.order),
            members={aid: state.members[aid] for aid in new},
            cache={aid: state.cache[aid] for aid in new},
        )

    def forget(self, story_id: str) -> None:
        """The story is gone (merged away, regrouped): nothing of it is kept or sent."""
        self.states.pop(story_id, None)
        self.records.pop(story_id, None)
        self.sent.pop(story_id, None)
        self.unpacked.discard(story_id)

    def stamps(self) -> tuple[bytes | None, ...]:
        """The stamps that say the saved grouping state is ours: the last one saved, and
        the one being written (committed before the thread notes it)."""
        return (self.token, self.saving) if self.saving else (self.token,)

    def wake(self) -> None:
        """Rebuild the stale records (in the thread, started on first use)."""
        self._idle.clear()
        self._wake.set()
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._run, name="kabar-records", daemon=True)
            self._thread.start()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until no record is stale (tests, shutdown); False on timeout."""
        return self._idle.wait(timeout)

    def flush(self, timeout: float | None = None) -> bool:
        """Rebuild what is stale and save the grouping state now (a clean stop: the next
        start continues from it instead of regrouping); False on timeout."""
        if not self.unsaved and self._idle.is_set():
            return True
        self.save_idle = self.save_every = 0.0
        self.wake()
        return self.wait(timeout)

    def _pause(self) -> float | None:
        """How long the thread sleeps when nothing is stale: until the grouping state is
        due to be saved (None: it is saved, wait for the next add)."""
        if not self.unsaved:
            return None
        idle = self.save_idle - (time.monotonic() - self.added_at)
        return max(0.05, min(idle, self.save_every - (time.monotonic() - self.saved_at)))

    def _run(self) -> None:
        store = self.opener()
        while True:
            self._wake.wait(self._pause())
            self._wake.clear()
            try:
                while refresh_stories(store, self):
                    pass
                # The log the adds wrote, folded in here rather than by the add that
                # fills it (the writer's store hands its checkpoints off, see
                # :meth:`Store.hand_off_checkpoints`).
                store.checkpoint()
            except Exception:  # a locked database, a failed write: the records stay stale
                # and are retried, rather than this thread ending and no record or state
                # being written again until a restart
                _log.exception("rebuilding stale story records failed; retrying in 5 s")
                self._wake.wait(5.0)
                self._wake.set()
                continue
            if not self._wake.is_set():
                self._idle.set()


class RecordBuilder:
    """Copies of stale stories' states, kept up to date by :class:`StateUpdate`, and their
    records: what the records thread writes, wherever it runs (in the thread, or in a
    process of its own that keeps one of these between rebuilds).

    keep: the most stories whose copies are kept (the least recently rebuilt go first; an
        update of one gone raises :class:`MissingState`, and the state is sent whole).
    store: where a whole state sent by reference is read (``StateUpdate.stored``); None:
        states come by value."""

    def __init__(self, keep: int = 16, store: Store | None = None) -> None:
        self.keep = keep
        self.store = store
        self.states: dict[str, tuple[int, StoryState]] = {}

    @property
    def reads_store(self) -> bool:
        return self.store is not None

    def build(self, update: StateUpdate) -> Story:
        """The story's record from its state brought up to date (the deferred parts are the
        ones read, :data:`kabar.timeline.RECORD_PARTS`)."""
        state = self.apply(update)
        return state.record(update.story_id, state.order)

    def apply(self, update: StateUpdate) -> StoryState:
        """The kept copy with the update applied (O(new members) and the small parts)."""
        if update.full is not None:
            state = update.full
        elif update.stored is not None:
            state = self._read(update.story_id, update.stored)
        else:
            kept = self.states.get(update.story_id)
            if kept is None or kept[0] != update.serial or len(kept[1].members) != update.known:
                self.states.pop(update.story_id, None)
                raise MissingState(update.story_id)
            state = kept[1]
            state.members.update(update.members)
            state.cache.update(update.cache)
        state.tally, state.order = update.tally, update.order
        self.states.pop(update.story_id, None)
        self.states[update.story_id] = (update.serial, state)
        while len(self.states) > self.keep:
            del self.states[next(iter(self.states))]
        return state

    def _read(self, story_id: str, ids: list[str]) -> StoryState:
        """A whole state sent by reference: its members read from the store and kept in
        the order the writer added them (as the writer made it from them; uncounted: the
        update's tally replaces the copy's). A failed read is a :class:`MissingState`:
        the writer sends the state by value."""
        from kabar.timeline import StoryState

        if self.store is None:
            raise MissingState(story_id)
        try:
            articles = [self.store.get_article(aid) for aid in ids]
        except Exception as exc:  # the store failed (a dropped connection): by value
            _log.warning("reading a story's members for its record failed", exc_info=True)
            raise MissingState(story_id) from exc
        state = StoryState()
        for article in articles:
            if article is None:  # not stored (never, by the lock it was sent under)
                raise MissingState(story_id)
            state.keep(article)
        return state

    def blob(self, story_id: str, serial: int, subjects: bytes) -> bytes | None:
        """The kept copy packed as saved with its story (:meth:`StoryState.to_bytes`), if it
        is the one of ``serial`` (None: not kept), with the pickled entity counts ``subjects`` of
        the writer's state (the copies sent here leave them out)."""
        kept = self.states.get(story_id)
        if kept is None or kept[0] != serial:
            return None
        kept[1].tally.subjects = pickle.loads(subjects)  # the writer's own bytes, not the DB's
        return kept[1].to_bytes()


def _subjects_unlocked(
    live: LiveRecords, story_id: str
) -> tuple[StoryState, int, list[StoryEntity]] | None:
    """The story's ranked entities, computed outside the lock (O(names): 60-140 ms for the
    11k names of a 2,000-member story, during which the next add waited for the lock),
    with the state and its member count they saw: the caller takes them if that story
    got no add since (its counts change only by :meth:`StoryState.add`, which adds a
    member, or by a new state object: a split, a reset, a reload), and ranks again under
    the lock otherwise. None: ranked under the lock."""
    with live.lock:
        state = live.states.get(story_id)
        seen = len(state.members) if state is not None else 0
    if state is None:
        return None
    try:
        return state, seen, state.finished().subjects.subjects()
    except Exception:  # an add changed the counts while they were read: ranked again, locked
        return None


def _whole(live: LiveRecords, story_id: str, by_value: bool) -> StateUpdate | None:
    """The story's state whole, as it is now (None: merged away or regrouped)."""
    with live.lock:
        current = live.states.get(story_id)
        if current is None:
            return None
        return live.update(story_id, current, whole=True, by_value=by_value)


def refresh_stories(store: Store, live: LiveRecords) -> int:
    """Rebuild the deferred parts (:data:`kabar.timeline.RECORD_PARTS`) of the stale
    records from their states, write them into the current records, save the states;
    returns how many were rebuilt. A story added to meanwhile stays stale (next round).
    The grouping state is saved first when nothing is stale or ``live.save_every`` has
    passed (while adds keep coming; until then the store is marked ahead of its state),
    and with it the states of the stories rebuilt since (packed by the builder: the one
    saved state they must match; a state left older makes the next writer's first add
    to its story read every member again)."""
    from kabar.timeline import RECORD_PARTS

    pickled: bytes | None = None
    with live.lock:
        stale = [live.update(sid, s) for sid, s in live.states.items() if s.stale]
        now = time.monotonic()
        idle = not stale and now - live.added_at >= live.save_idle
        due = idle or now - live.saved_at >= live.save_every
        if live.unsaved and live.grouping is not None and due:
            # Pickled under the lock (it must not change meanwhile), compressed and written
            # outside it: the next add waits a third of the save (0.25 of 0.8 s at 10k).
            pickled, covered, adds = live.grouping.pickled(), len(live.grouping), live.adds
            live.saving = stamp = os.urandom(16)
            # The builder's copies of the stories rebuilt since: as they are now, with this
            # grouping state (a stale one is packed with a later one).
            packing = [
                # pickled, not deep-copied, under the lock: 0.1 s against 0.64 s for the
                # 11k names of a 2,000-member story
                (sid, live.sent[sid][1], pickle.dumps(live.states[sid].tally.subjects, 5))
                for sid in live.unpacked
                if sid in live.states
                and not live.states[sid].stale
                and sid in live.sent
                and live.sent[sid][0] is live.states[sid]
            ]
            # The others are packed after their next rebuild (which marks them again).
            live.unpacked = {sid for sid, _serial, _subjects in packing}
    if pickled is not None:
        from kabar.stories import GroupingState

        try:
            blobs = {sid: live.build.blob(sid, serial, names) for sid, serial, names in packing}
            packed = {sid: blob for sid, blob in blobs.items() if blob}
            if packed:
                store.save_stories([], packed)
            with live.lock:
                live.unpacked -= set(blobs)
            store.save_grouping_state(GroupingState.pack(pickled), covered, stamp)
        except BaseException:
            with live.lock:
                live.saving = None if live.saving == stamp else live.saving
            raise
        with live.lock:
            if live.saving == stamp:  # else reset meanwhile: the store moved on
                live.token, live.saving = stamp, None
                # a story rebuilt during the save is still to pack: saved next time
                live.unsaved = live.adds != adds or bool(live.unpacked)
                live.saved_at = time.monotonic()
    for update in stale:
        sid = update.story_id
        try:
            built = send(live.build, update)
        except MissingState:
            # The builder lost its copy: the state whole, as it is now (by value if it
            # could not read it by reference).
            whole = _whole(live, sid, by_value=update.stored is not None)
            if whole is None:
                continue  # merged away or regrouped meanwhile
            try:
                built = send(live.build, whole)
            except MissingState:  # the records process stopped again: here, this once
                whole = _whole(live, sid, by_value=True)
                if whole is None:
                    continue
                built = RecordBuilder(keep=0).build(whole)
            update = whole
        # The rebuilt timeline's rows (hundreds of kilobytes, every source) outside the
        # lock; under it, the record with these very lists writes its head only.
        if not store.save_story_parts(built):
            with live.lock:  # merged away or regrouped meanwhile: nothing left to rebuild
                live.forget(sid)
            continue
        ranked = _subjects_unlocked(live, sid)
        with live.lock:
            current = live.states.get(sid)
            record = live.records.get(sid) or store.get_story(sid, full=True)
            if current is None or record is None:
                continue  # merged away or regrouped meanwhile
            fresh = ranked and ranked[0] is current and len(current.members) == ranked[1]
            subjects = ranked[2] if ranked and fresh else None
            if subjects is None:  # the story got an add meanwhile: ranked again, as it is now
                subjects = current.finished().subjects.subjects()
            record = dataclasses.replace(
                record,
                entities=[entity.name for entity in subjects[:15]],
                subjects=subjects,
                **{p: getattr(built, p) for p in RECORD_PARTS},
            )
            done = current.order == update.order
            store.save_stories([record])
            live.records[sid] = record
            if done:
                current.stale = False
                live.unpacked.add(sid)
                live.unsaved = True  # its state is saved with the next grouping state
    return len(stale)
