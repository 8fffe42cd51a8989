"""Use cases shared by the CLI and the API: ingest into a store, regroup, export.

Both front ends stay thin by calling these; these call the pipeline and the store, and are
the only place where the two meet.
"""

from __future__ import annotations

import csv
import dataclasses
import html
import io
import json
import pickle
import re
import time
import zlib
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from kabar.errors import InputError, InputWarning, KabarError
from kabar.ingest import ReadResult, unexpected
from kabar.model import Alert, Article, Follow, RawArticle, Story, to_dict
from kabar.store import AddResult, Store
from kabar.store.base import story_order

if TYPE_CHECKING:
    from kabar.api.live import LiveRecords
    from kabar.model import FollowKind
    from kabar.stories import GroupingParams
    from kabar.timeline import StoryState

# The pipeline, the corpus path and the grouping code (models, gazetteers, numpy) are
# imported by the functions that run them, so that reading a store (`kabar stories`, the
# API's pages) never loads them.


@dataclass
class IngestReport:
    """What an ingest run did: ids added, ids already stored, and the inputs that failed."""

    added: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    stories: int = 0
    warnings: list[InputError] = field(default_factory=list)
    """Inputs read, but with something to check (a guessed encoding, a text too long to
    analyse whole)."""

    def as_dict(self) -> dict[str, object]:
        return {
            "added": self.added,
            "existing": self.existing,
            "errors": [
                {"source": e.source, "problem": e.problem, "fix": e.fix} for e in self.errors
            ],
            "stories": self.stories,
            "warnings": [
                {"source": e.source, "problem": e.problem, "fix": e.fix} for e in self.warnings
            ],
        }


def ingest(
    store: Store,
    inputs: Iterable[ReadResult],
    batch_size: int = 200,
    progress: Callable[[int], None] | None = None,
    params: GroupingParams | None = None,
    live: LiveRecords | None = None,
) -> IngestReport:
    """Process and store every readable input, then regroup the stories.

    Articles are committed in batches, each in one transaction: a crash loses at most the
    batch in flight, never leaves half an article, and re-running skips what is stored.

    params: the configured grouping parameters (see :func:`update_stories`).
    live: the story states of a long-running writer (see :func:`update_stories`).
    """
    report = IngestReport()
    batch: list[Article] = []
    new: list[Article] = []

    def flush() -> None:
        if batch:
            result = add_isolated(store, batch, report.errors)
            report.added.extend(result.added)
            report.existing.extend(result.existing)
            added = set(result.added)
            new.extend(a for a in batch if a.id in added)
            batch.clear()

    for item in inputs:
        if progress is not None:
            progress(1)
        if isinstance(item, InputWarning):
            report.warnings.append(item)
            continue
        if isinstance(item, InputError):
            report.errors.append(item)
            continue
        article = process_isolated(item)
        if isinstance(article, InputError):
            report.errors.append(article)
            continue
        report.warnings += [InputWarning(article.source, w) for w in article.warnings]
        batch.append(article)
        if len(batch) >= batch_size:
            flush()

    def stored() -> list[Article]:
        flush()
        return list({a.id: a for a in new}.values())

    if live is None:
        report.stories = update_stories(store, stored(), params)
        return report

    # The live writer: the last batch (a post's article) and its grouping in one commit,
    # so readers see its story change once per add, and a crash leaves neither.
    report.stories = _live_update(store, stored, params, live)
    return report


def _live_update(
    store: Store,
    new: Callable[[], list[Article]],
    params: GroupingParams | None,
    live: LiveRecords,
) -> int:
    """A live writer's step (:func:`ingest`, :func:`update_stories`): ``new()`` (storing
    the last batch, if any) and the grouping of what it returns in one transaction, under
    the states' lock, then the records thread woken. The lock first: the records thread
    writes under it, and must not wait for our transaction while we wait for the lock.

    A store grouped with other parameters raises :class:`GroupingChanged` after the
    commit (the articles stay stored, as without a live writer)."""
    from kabar.errors import GroupingChanged

    refused: GroupingChanged | None = None
    grouping = False
    stories = 0
    with live.lock:
        try:
            with store.transaction():
                articles = new()
                grouping = True
                try:
                    stories = _update_stories(store, articles, params, live)
                except GroupingChanged as exc:  # raised before any grouping write
                    refused = exc
        except BaseException:
            if grouping:  # the kept states moved on in memory, not in the store
                live.reset()
            raise
    live.wake()
    if refused is not None:
        raise refused
    return stories


def process(raw: RawArticle) -> Article:
    """:func:`kabar.pipeline.process` with the configured analysed length, imported at the
    first article (see the imports)."""
    from kabar.config import configured_max_chars
    from kabar.pipeline import process as run

    return run(raw, configured_max_chars())


def process_isolated(raw: RawArticle) -> Article | InputError:
    """:func:`process`, with any failure (a bug, a library on hostile text, a recursion
    limit) turned into an error for this record alone, so it never costs another one."""
    try:
        return process(raw)
    except InputError as exc:
        return exc
    except Exception as exc:  # isolation: one record, not the run
        return InputError(raw.source, f"could not be processed ({unexpected(exc)})", "")


def add_isolated(store: Store, batch: list[Article], errors: list[InputError]) -> AddResult:
    """Store a batch in one transaction; if the store refuses it, store its articles one
    at a time, so that the one it refuses is reported and the others are kept."""
    try:
        return store.add_articles(batch)
    except KabarError:
        raise  # the store itself is unusable (locked, read-only): not one record's fault
    except Exception:  # isolation: one record, not the run
        pass
    result = AddResult()
    failed: list[BaseException] = []
    for article in batch:
        try:
            one = store.add_articles([article])
        except KabarError:
            raise
        except Exception as exc:  # isolation: one record, not the run
            errors.append(InputError(article.source, f"could not be stored ({unexpected(exc)})"))
            failed.append(exc)
            continue
        result.added += one.added
        result.existing += one.existing
    if failed and len(failed) == len(batch) > 1:
        raise failed[-1]  # every article refused: the store is the problem, not the records
    return result


def update_stories(
    store: Store,
    new: list[Article],
    params: GroupingParams | None = None,
    live: LiveRecords | None = None,
) -> int:
    """Place newly stored articles into the saved grouping state (incremental: only the
    stories they touch are updated); regroup everything when there is no usable state.

    A touched story is updated from its saved state (:class:`kabar.timeline.StoryState`:
    the new articles are read, the earlier ones neither fetched nor read again) and its
    state saved with it; a story without a usable state is made from all its members once.

    live: a long-running writer's states (:class:`LiveRecords`), kept in memory between
    calls; a story of more than ``live.defer_above`` originals then gets its tallies at
    once and its title, summary, timeline and facts rebuilt just after, by a thread.

    Also completes an interrupted ingest: articles are committed before their grouping
    (except a live writer's last batch, committed with it, :func:`ingest`),
    so a run killed in between leaves stored articles in no story. The saved state says
    which articles it covers; any other stored article is grouped now, with ``new``, as
    the interrupted run would have done. A store without a state (a first ingest that was
    interrupted, an older kabar) is regrouped whole.

    params: the configured grouping parameters; a state grouped with others raises
    :class:`kabar.corpus.GroupingChanged` (the articles stay stored: `kabar regroup`
    groups them). None: continue the saved state with its own parameters.
    """
    if live is None:
        return _update_stories(store, new, params, None)
    return _live_update(store, lambda: new, params, live)


def _update_stories(
    store: Store, new: list[Article], params: GroupingParams | None, live: LiveRecords | None
) -> int:
    from kabar.corpus import Corpus
    from kabar.stories import GroupingState
    from kabar.timeline import StoryState

    total = store.count_articles()
    new_ids = {a.id for a in new}
    # The stamp, not the state (13 MB at 10k articles), says whether ours is still current.
    token = store.grouping_state_stamp()
    if live is not None and live.grouping is not None and token and token in live.stamps():
        state, covered = live.grouping, len(live.grouping)  # ahead of the saved one
    else:
        saved = store.load_grouping_state()
        if saved is None:
            if live is not None:
                live.reset()
            # Nothing was grouped yet: every stored article is new to the follows.
            return regroup(store, params, alert_new=None) if total else 0
        if live is not None:
            live.reset()  # another writer (a regroup) moved the stories on
        if store.grouping_state_ahead():
            # A live writer stopped before it saved its state: the stored stories hold
            # articles the saved state does not. Replaying them would group them again.
            return regroup(store, params, alert_new=new_ids)
        if saved[1] == total and not new:
            return store.count_stories()  # the state covers every stored article
        if saved[1] > total:
            return regroup(store, params, alert_new=new_ids)  # describes articles gone
        try:
            state = GroupingState.from_bytes(saved[0])
        except (ValueError, EOFError, TypeError, KeyError, pickle.UnpicklingError, zlib.error):
            # unreadable (older format, damaged): start over
            return regroup(store, params, alert_new=new_ids)
        covered = saved[1]
    pending = {a.id: a for a in new}
    if covered != total - len(new):
        known = state.stories.event_of
        pending.update({a.id: a for a in store.iter_articles() if a.id not in known})
    if not pending:
        return store.count_stories()

    def states(ids: list[str]) -> dict[str, StoryState]:
        found = {sid: live.states[sid] for sid in ids if sid in live.states} if live else {}
        rest = [sid for sid in ids if sid not in found]
        for sid, blob in store.load_story_states(rest).items():
            loaded = StoryState.from_bytes(blob)
            # a state packed without its entity counts (a live writer before stop 30) would
            # give the story no entities: its members are read instead
            if loaded is not None and loaded.tally.subjects.originals == len(
                loaded.tally.originals
            ):
                found[sid] = loaded
        return found

    def previous(sid: str) -> Story | None:
        assert live is not None
        return live.records.get(sid) or store.get_story(sid, full=True)

    corpus = Corpus(
        state,
        params,
        states=states,
        previous=previous if live is not None else None,
        defer_above=live.defer_above if live is not None else None,
        defer_fields=("entities", "subjects"),
    )
    merged_before = set(state.stories.merged)
    articles, stories = corpus.group(
        list(pending.values()),
        lambda ids: [a for a in (store.get_article(i) for i in ids) if a is not None],
    )
    removed = sorted(set(state.stories.merged) - merged_before)
    # Before the stories are saved: a crash in between leaves the alerts recorded and
    # the articles to be grouped again by the next ingest, which finds the same events
    # (recorded once per follow and event), never an event without its alert.
    record_alerts(store, articles, stories, set(pending))
    kept = {
        sid: story_state.to_bytes()
        for sid, story_state in corpus.states_out.items()
        if live is None or not story_state.stale
    }
    if live is None:
        store.save_increment(articles, stories, removed, state.to_bytes(), len(state), kept)
        return store.count_stories()
    # The grouping state is saved by the thread, off the write path: until then the
    # store is marked ahead of it, and after a crash the next writer regroups.
    store.save_increment(articles, stories, removed, None, len(state), kept)
    live.grouping, live.token, live.unsaved = state, token, True
    live.adds += 1
    live.added_at = time.monotonic()
    for sid in removed:
        live.forget(sid)
    live.states.update(corpus.states_out)
    live.records.update({story.id: story for story in stories})
    return store.count_stories()


def regroup(
    store: Store,
    params: GroupingParams | None = None,
    alert_new: Collection[str] | None = (),
    ungrouped: bool = False,
) -> int:
    """Resolve entities, mark duplicates and rebuild the stories of the whole store (with
    ``params``, default: the defaults), and save the grouping state that later ingests
    continue from.

    alert_new: the articles new to the follows (:func:`record_alerts`); None: all of them
    (a first ingest); empty: none, regrouping is not news.
    ungrouped: also the stored articles the saved state does not cover (``kabar
    regroup``: an ingest refused to group them, :class:`GroupingChanged`; never news yet)."""
    from kabar.corpus import Corpus

    corpus = Corpus(params=params)
    stored = list(store.iter_articles())
    if ungrouped and alert_new is not None:
        never = _ungrouped(store, stored)
        alert_new = None if never is None else {*alert_new, *never}
    articles, stories = corpus.group(stored)
    if alert_new is None or alert_new:
        record_alerts(store, articles, stories, alert_new)
    store.save_grouping(articles, stories, corpus.state.to_bytes())
    return len(stories)


def _ungrouped(store: Store, articles: list[Article]) -> set[str] | None:
    """The ids of the stored articles the saved grouping state does not cover (None: no
    state, so none is covered); nothing is read when nothing is followed."""
    if not store.list_follows():
        return set()
    saved = store.load_grouping_state()
    if saved is None:
        return None
    from kabar.stories import GroupingState

    try:
        known = GroupingState.from_bytes(saved[0]).stories.event_of
    except (ValueError, EOFError, TypeError, KeyError, pickle.UnpicklingError, zlib.error):
        return set()  # unreadable: which were grouped is unknown; no alert rather than many
    return {a.id for a in articles if a.id not in known}


def record_alerts(
    store: Store,
    articles: Iterable[Article],
    stories: Iterable[Story],
    new_ids: Collection[str] | None,
) -> list[Alert]:
    """Record the alerts of the new events an ingest made (:mod:`kabar.follows`): the
    placed ``articles`` (names resolved) and the ``stories`` written; ``new_ids`` the
    articles placed by this ingest (None: all). Nothing is read when nothing is followed."""
    follows = store.list_follows()
    if not follows:
        return []
    from kabar.follows import Matcher, article_info, match_articles, new_event_alerts

    placed = list(articles)
    matches = match_articles(Matcher(follows), placed)
    if not matches:
        return []
    info = {a.id: article_info(a) for a in placed if a.id in matches}
    return store.record_alerts(new_event_alerts(stories, new_ids, matches, info))


def find_story(
    store: Store, story_id: str, full: bool = False, members: bool = True
) -> Story | None:
    """A story by id or by an unambiguous id prefix (as git does for commits); with
    ``full``, every source and fact; without ``members``, no article ids nor events (see
    :meth:`Store.get_story`)."""
    story = store.get_story(story_id, full=full, members=members)
    if story is not None or len(story_id) < 4:
        return story
    matches = store.story_ids_with_prefix(story_id, limit=2)
    if len(matches) != 1:
        return None
    return store.get_story(matches[0], full=full, members=members)


def stories_to_export(store: Store, story_ids: list[str] | None = None) -> list[Story]:
    """The given stories, or all (read a page at a time), in the store's list order, with
    every source and fact (an export is the full record)."""
    if not story_ids:
        return list(store.iter_stories(full=True))
    found = [s for s in (store.get_story(i, full=True) for i in dict.fromkeys(story_ids)) if s]
    return sorted(found, key=lambda s: story_order(s, len(set(s.article_ids)))[0])


def story_quotes(store: Store, story_id: str, page: int = 500) -> list[dict[str, Any]]:
    """Every attributed quote of a story (who said what, outlet, date), newest first."""
    out: list[dict[str, Any]] = []
    while True:
        chunk = store.quotes_of_story(story_id, limit=page, offset=len(out))
        out += [dataclasses.asdict(q) for q in chunk]
        if len(chunk) < page:
            return out


def export(store: Store, fmt: str, story_ids: list[str] | None = None) -> str:
    """Stories as JSON (with their quotes), CSV (one row per timeline entry) or a Markdown
    report."""
    stories = stories_to_export(store, story_ids)
    if fmt == "json":
        records = [{**to_dict(s), "quotes": story_quotes(store, s.id)} for s in stories]
        return json.dumps(records, ensure_ascii=False, indent=2)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(
            [
                "story_id",
                "story_title",
                "date",
                "granularity",
                "summary",
                "outlets",
                "article_ids",
                "part",
            ]
        )
        for story in stories:
            # The timeline's entries, then the background's (dated context, "part" says which).
            parts = [("timeline", e) for e in story.timeline]
            parts += [("background", e) for e in story.background]
            for part, entry in parts:
                writer.writerow(
                    csv_cell(cell)
                    for cell in (
                        story.id,
                        story.title,
                        entry.date,
                        entry.granularity,
                        entry.summary,
                        "; ".join(entry.outlets),
                        "; ".join(dict.fromkeys(s.article_id for s in entry.sources)),
                        part,
                    )
                )
        return buffer.getvalue()
    if fmt == "md":
        return markdown_report(stories)
    raise ValueError(f"unknown export format {fmt!r}")


def markdown_report(stories: list[Story]) -> str:
    lines = ["# kabar report", ""]
    for story in stories:
        lines += [f"## {_md(story.title)}", ""]
        lines += [
            f"*{len(story.article_ids)} articles · {_md(', '.join(story.outlets))} · "
            f"{story.first_date or '?'} – {story.last_date or '?'}* · id `{story.id}`",
            "",
        ]
        if story.summary:
            lines += ["**Summary.** " + " ".join(_md(s) for s in story.summary), ""]
        if story.timeline:
            lines += ["| Date | What happened | Reported by |", "|---|---|---|"]
            for entry in story.timeline:
                lines.append(
                    f"| {_md(entry.date)} | {_md(entry.summary)} | {_md(', '.join(entry.outlets))} |"
                )
            lines.append("")
        if story.background:
            lines += ["**Background.**", "", "| Date | Context | Reported by |", "|---|---|---|"]
            for entry in story.background:
                lines.append(
                    f"| {_md(entry.date)} | {_md(entry.summary)} | {_md(', '.join(entry.outlets))} |"
                )
            lines.append("")
    return "\n".join(lines)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#!])")


def _md(text: str) -> str:
    """Scraped text as inert Markdown: HTML escaped (renderers pass raw tags through, so
    ``<img onerror>`` would run), link and emphasis syntax backslashed, one line."""
    text = html.escape(" ".join(text.split()), quote=False)
    return _MD_SPECIAL.sub(r"\\\1", text)


def csv_cell(value: str) -> str:
    """A CSV cell a spreadsheet will not run: one starting with = + - @ (or a tab or
    carriage return, which some spreadsheets skip before them) becomes text with a ``'``."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


MAX_FOLLOW_VALUE = 300


def add_follow(
    store: Store, kind: str, value: str, webhook: str | None = None
) -> tuple[Follow, bool]:
    """Save a follow for the CLI and the API, checked: an entity is stored under its
    resolved canonical name when the store knows it or one of its spellings ("Putin"
    → "Vladimir Putin"; returns whether it did; an unknown
    one is followed as written, for the day it appears); a webhook must be http(s).
    ValueError says what is wrong."""
    from urllib.parse import urlsplit

    if kind not in ("entity", "outlet", "query"):
        raise ValueError("follow an entity, an outlet or a query")
    value = " ".join(value.split())
    if not value or len(value) > MAX_FOLLOW_VALUE:
        raise ValueError(f"give a name or query of 1 to {MAX_FOLLOW_VALUE} characters")
    if kind == "query":
        from kabar.follows import query_words

        if not query_words(value):
            raise ValueError("a query needs at least one word")
    if webhook:
        parts = urlsplit(webhook.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname or len(webhook) > 2000:
            raise ValueError("the webhook must be an http:// or https:// URL")
        webhook = webhook.strip()
    known = True
    if kind == "entity":
        entity = store.get_entity(value)
        if entity is None:  # a spelling of it ("Putin", "Jokowi")
            name = store.entity_named(value)
            entity = store.get_entity(name) if name else None
        known = entity is not None
        if entity is not None:
            value = entity.name
    elif kind == "outlet":
        same = [o for o in store.outlets() if o.casefold() == value.casefold()]
        known = bool(same)
        value = same[0] if same else value
    return store.add_follow(cast("FollowKind", kind), value, webhook or None), known
