"""The corpus stage: entity resolution, near copies and story grouping over a stream of
processed articles, and the story records of what it grouped.

Where :func:`kabar.pipeline.process` reads one article, this stage reads the corpus: a
name is resolved across the batch, and each article is placed given the ones before it.
It streams, in two passes over a batch, holding the grouping state but never the articles:

1. :meth:`Corpus.count` each article's names (in input order);
2. :meth:`Corpus.place` the articles in publication order (:attr:`kabar.model.Article.order_key`):
   names resolved, near copies marked, events and stories grown
   (:class:`kabar.stories.GroupingState`);

then :meth:`Corpus.stories` makes the records (timeline, summary, facts) of the stories the
batch touched, a chunk at a time, through a story maker (in this process, or spread by an
executor of :mod:`kabar.scale`). :meth:`Corpus.group` runs the three over a batch in memory.

Ingest and ``kabar regroup`` (:mod:`kabar.service`), the batch runner (:mod:`kabar.scale`),
eval, bench and tests all run this one path. Nothing here touches the database.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

from kabar.entities.resolve import EntityResolver
from kabar.errors import GroupingChanged
from kabar.model import Article, Event, Mention, Story, order_key
from kabar.stories import GroupingParams, GroupingState, paused_gc
from kabar.timeline import MAX_STORY_READING, StoryState, StoryTally, make_story, tallied

StoryJob = tuple[str, list[Article], StoryTally]
"""A story to build: its id, the members its record reads, and the tally of all members."""

StoryMaker = Callable[[Sequence[StoryJob]], list[Story]]
"""Builds story records for jobs, in order: in this process by default, in worker processes
or on Spark executors (:mod:`kabar.scale`): each story needs only its own articles."""

Lookup = Callable[[list[str]], list[Article]]
"""Fetches stored articles by id: the earlier members of a story a batch touched."""

StateLookup = Callable[[list[str]], dict[str, StoryState]]
"""The saved states of stories by id (:class:`kabar.timeline.StoryState`; missing: none)."""

RecordLookup = Callable[[str], Story | None]
"""The stored record of a story by id."""


def make_stories(jobs: Sequence[StoryJob]) -> list[Story]:
    """The story maker of this process."""
    return [make_story(*job) for job in jobs]


class Corpus:
    """The corpus stage over one grouping state (a new one, or the one saved with a store).

    params: the configured grouping parameters: a new state uses them, a saved state made
    with others raises :class:`GroupingChanged` (None: continue a saved state as it is).
    story_maker: builds the story records (:data:`StoryMaker`).
    chunk_articles: about how many members (at least one story) a chunk of story records
    holds at once: the articles may be read from disk.
    max_reading: a story of more members is counted one article at a time
    (:class:`StoryTally`) and only the originals its timeline reads are held, so the largest
    story of an archive costs no more memory than a story of ``max_reading`` articles.
    states: the saved story states (:class:`kabar.timeline.StoryState`): with them, a
    touched story whose state covers its earlier members is updated from the new ones
    alone (its earlier members are neither fetched nor read again), and the states of
    every touched story are left in :attr:`states_out` for the caller to keep.
    defer_above: with ``states`` and ``previous``, a touched story of more originals than
    this gets its tallies (members, events, dates, outlets, entities) at once and keeps its
    previous :data:`kabar.timeline.RECORD_PARTS` (its state marked ``stale``), to be
    rebuilt off the write path (:func:`kabar.api.live.refresh_stories`).
    defer_fields: tallied fields left as they were too (``subjects``: O(names) to rank).
    """

    def __init__(
        self,
        state: GroupingState | None = None,
        params: GroupingParams | None = None,
        story_maker: StoryMaker = make_stories,
        chunk_articles: int = 20_000,
        max_reading: int = MAX_STORY_READING,
        states: StateLookup | None = None,
        previous: RecordLookup | None = None,
        defer_above: int | None = None,
        defer_fields: tuple[str, ...] = (),
    ) -> None:
        if state is None:
            state = GroupingState(params)
        elif params is not None and state.params != params:
            raise GroupingChanged(state.params, params)
        self.state = state
        self.story_maker = story_maker
        self.chunk_articles = chunk_articles
        self.max_reading = max_reading
        self.states = states
        self.previous = previous
        self.defer_above = defer_above
        self.defer_fields = defer_fields
        self.states_out: dict[str, StoryState] = {}
        self.resolver = EntityResolver()
        self._touched: set[str] = set()
        self._splits = len(state.stories.split_from)

    def count(self, mentions: Iterable[Mention]) -> None:
        """First pass: count one article's names (in input order) for entity resolution."""
        self.resolver.partial_fit(mentions)

    def place(
        self, articles: Iterable[Article], copies: Mapping[str, str] | None = None
    ) -> Iterator[Article]:
        """Second pass: place articles (in publication order, every one counted first) into
        the grouping state, yielding each as placed: names resolved, ``duplicate_of`` set.

        copies: near copies found beforehand (copy → canonical, by an executor's band join);
        without them the state's index finds them one article at a time, with the same
        result."""
        stories = self.state.stories
        with paused_gc():
            for article in articles:
                article = self.resolver.transform(article)
                if copies is not None:
                    article.duplicate_of = copies.get(article.id)
                self.state.add(article)
                self._touched.add(stories.story_of(article.id))
                yield article

    def stories(
        self, articles: Mapping[str, Article], lookup: Lookup | None = None
    ) -> Iterator[Story]:
        """The records of the stories touched since the last call, a chunk at a time.

        articles: the placed articles by id (may read from disk). A touched story's earlier
        members (stored before this batch) are fetched with ``lookup``.
        """
        index = self.state.stories
        touched = self._touched
        # A split changes the record of the story it left, too, and makes a story the
        # current article need not be in (``merge_detach`` moves events out of a merge).
        for new, old in list(index.split_from.items())[self._splits :]:
            touched.update((new, old))
        only = {index.merged.get(sid, sid) for sid in touched}
        self._touched, self._splits = set(), len(index.split_from)
        groups = index.groups(only)  # all stories' events took 0.2 s an add at 10k articles
        kept: dict[str, StoryState] = {}
        if self.states is not None:
            saved = self.states([sid for sid, _events in groups])
            for sid, events in groups:
                state = saved.get(sid)
                earlier = {aid for _eid, ids in events for aid in ids if aid not in articles}
                if state is not None and state.members.keys() == earlier:
                    kept[sid] = state
        missing = [
            aid
            for sid, events in groups
            if sid not in kept
            for _eid, ids in events
            for aid in ids
            if aid not in articles
        ]
        if missing:
            if lookup is None:
                raise ValueError(f"{len(missing)} earlier story members: pass a lookup")
            # Only a continued state has earlier members, and its batch is in memory.
            articles = {**articles, **{a.id: a for a in lookup(missing)}}
        if self.states is None:
            yield from self._records(groups, articles)
        else:
            yield from self._updated(groups, articles, kept)

    def _updated(
        self,
        groups: list[tuple[str, list[tuple[str, list[str]]]]],
        articles: Mapping[str, Article],
        kept: dict[str, StoryState],
    ) -> Iterator[Story]:
        """The records of touched stories from their states: a kept state takes the new
        members (O(new articles)), any other is made from all members (O(members)).

        Cost per story: the new members' features and tallies; then either the full
        record without per-article work (:meth:`StoryState.record`), or, above
        ``defer_above`` originals, the previous record with fresh tallies (O(members))."""
        for sid, events in groups:
            ids = [aid for _eid, ids in events for aid in ids]
            state = kept.get(sid)
            if state is None:
                state = StoryState()
                for aid in ids:
                    state.add(articles[aid])
            else:
                for aid in ids:
                    if aid not in state.members:
                        state.add(articles[aid])
            state.order = ids
            self.states_out[sid] = state
            story = None
            large = self.defer_above is not None and (len(state.tally.originals) > self.defer_above)
            if large and sid in kept and self.previous is not None:
                story = self.previous(sid)
            if story is not None:
                fresh = tallied(state.finished(), skip=self.defer_fields)
                story = dataclasses.replace(story, events=[], **fresh)
                state.stale = True
            else:
                story = state.record(sid, ids, max_reading=self.max_reading)
                state.stale = False
            yield from self._dated([story], [state.finished()], [events])

    def group(
        self, articles: Sequence[Article], lookup: Lookup | None = None
    ) -> tuple[list[Article], list[Story]]:
        """Both passes over a batch in memory and the records of the stories it touched:
        the articles as placed (in publication order) and those records (oldest story first)."""
        for article in articles:
            self.count(article.mentions)
        placed = list(self.place(sorted(articles, key=lambda a: a.order_key)))
        return placed, list(self.stories({a.id: a for a in placed}, lookup))

    def _records(
        self,
        groups: list[tuple[str, list[tuple[str, list[str]]]]],
        articles: Mapping[str, Article],
    ) -> Iterator[Story]:
        jobs: list[StoryJob] = []
        chunk: list[list[tuple[str, list[str]]]] = []
        held = 0
        for sid, events in groups:
            ids = [aid for _eid, ids in events for aid in ids if aid in articles]
            if not ids:
                continue
            if len(ids) <= self.max_reading:
                members = [articles[aid] for aid in ids]
                tally = StoryTally.of(members)
            else:  # counted one article at a time; only the ones its timeline reads are kept
                tally = StoryTally.of(articles[aid] for aid in ids)
                wanted = tally.reading(self.max_reading) or {aid for _key, aid in tally.originals}
                members = [articles[aid] for aid in ids if aid in wanted]
            jobs.append((sid, members, tally))
            chunk.append(events)
            held += len(members)
            if held >= self.chunk_articles:
                yield from self._made(jobs, chunk)
                jobs, chunk, held = [], [], 0
        if jobs:
            yield from self._made(jobs, chunk)

    def _made(self, jobs: list[StoryJob], groups: list[list[tuple[str, list[str]]]]) -> list[Story]:
        """The story maker's records, with their events dated from the tallies."""
        stories = self.story_maker(jobs)
        return self._dated(stories, [tally for _sid, _members, tally in jobs], groups)

    @staticmethod
    def _dated(
        stories: list[Story],
        tallies: list[StoryTally],
        groups: list[list[tuple[str, list[str]]]],
    ) -> list[Story]:
        """The records with their events, dated from the tallies."""
        for story, tally, events in zip(stories, tallies, groups, strict=True):
            published = tally.published
            for eid, ids in events:
                dates = sorted(filter(None, (published.get(a) for a in ids)))
                story.events.append(
                    Event(
                        id=eid,
                        article_ids=list(ids),
                        first_date=dates[0] if dates else None,
                        last_date=dates[-1] if dates else None,
                    )
                )
            story.events.sort(key=lambda e: order_key(e.first_date, e.id))
        return stories
