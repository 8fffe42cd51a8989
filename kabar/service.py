"""Use cases shared by the CLI and the API: ingest into a store, regroup, export.

Both front ends stay thin by calling these; these call the pipeline and the store, and are
the only place where the two meet.
"""

from __future__ import annotations

import csv
import io
import json
import pickle
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from kabar.corpus import Corpus
from kabar.errors import InputError
from kabar.ingest import ReadResult
from kabar.model import Article, Story, to_dict
from kabar.pipeline import process
from kabar.store import Store
from kabar.store.base import story_order
from kabar.stories import GroupingParams, GroupingState


@dataclass
class IngestReport:
    """What an ingest run did: ids added, ids already stored, and the inputs that failed."""

    added: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    stories: int = 0

    def as_dict(self) -> dict[str, object]:
        return {
            "added": self.added,
            "existing": self.existing,
            "errors": [
                {"source": e.source, "problem": e.problem, "fix": e.fix} for e in self.errors
            ],
            "stories": self.stories,
        }


def ingest(
    store: Store,
    inputs: Iterable[ReadResult],
    batch_size: int = 200,
    progress: Callable[[int], None] | None = None,
    params: GroupingParams | None = None,
) -> IngestReport:
    """Process and store every readable input, then regroup the stories.

    Articles are committed in batches, each in one transaction: a crash loses at most the
    batch in flight, never leaves half an article, and re-running skips what is stored.

    params: the configured grouping parameters (see :func:`update_stories`).
    """
    report = IngestReport()
    batch: list[Article] = []
    new: list[Article] = []

    def flush() -> None:
        if batch:
            result = store.add_articles(batch)
            report.added.extend(result.added)
            report.existing.extend(result.existing)
            added = set(result.added)
            new.extend(a for a in batch if a.id in added)
            batch.clear()

    for item in inputs:
        if progress is not None:
            progress(1)
        if isinstance(item, InputError):
            report.errors.append(item)
            continue
        try:
            batch.append(process(item))
        except InputError as exc:
            report.errors.append(exc)
            continue
        if len(batch) >= batch_size:
            flush()
    flush()
    if new:
        report.stories = update_stories(store, list({a.id: a for a in new}.values()), params)
    else:
        report.stories = store.count_stories()
    return report


def update_stories(store: Store, new: list[Article], params: GroupingParams | None = None) -> int:
    """Place newly stored articles into the saved grouping state (incremental: only the
    stories they touch are rebuilt); regroup everything when there is no usable state.

    The state is usable when it covers exactly the articles stored before these: a store
    written by an older kabar, or one whose stories were replaced, is regrouped once.
    params: the configured grouping parameters; a state grouped with others raises
    :class:`kabar.corpus.GroupingChanged` (the articles stay stored: `kabar regroup`
    groups them). None: continue the saved state with its own parameters.
    """
    saved = store.load_grouping_state()
    before = store.count_articles() - len(new)
    if saved is None or saved[1] != before:
        return regroup(store, params)
    try:
        state = GroupingState.from_bytes(saved[0])
    except (ValueError, EOFError, TypeError, KeyError, pickle.UnpicklingError, zlib.error):
        return regroup(store, params)  # unreadable (older format, damaged): start over
    corpus = Corpus(state, params)
    merged_before = set(state.stories.merged)
    articles, stories = corpus.group(
        new, lambda ids: [a for a in (store.get_article(i) for i in ids) if a is not None]
    )
    removed = sorted(set(state.stories.merged) - merged_before)
    store.save_increment(articles, stories, removed, state.to_bytes(), len(state))
    return store.count_stories()


def regroup(store: Store, params: GroupingParams | None = None) -> int:
    """Resolve entities, mark duplicates and rebuild the stories of the whole store (with
    ``params``, default: the defaults), and save the grouping state that later ingests
    continue from."""
    corpus = Corpus(params=params)
    articles, stories = corpus.group(list(store.iter_articles()))
    store.save_grouping(articles, stories, corpus.state.to_bytes())
    return len(stories)


def find_story(store: Store, story_id: str) -> Story | None:
    """A story by id or by an unambiguous id prefix (as git does for commits)."""
    story = store.get_story(story_id)
    if story is not None or len(story_id) < 4:
        return story
    matches = store.story_ids_with_prefix(story_id, limit=2)
    return store.get_story(matches[0]) if len(matches) == 1 else None


def stories_to_export(store: Store, story_ids: list[str] | None = None) -> list[Story]:
    """The given stories, or all (read a page at a time), in the store's list order."""
    if not story_ids:
        return list(store.iter_stories())
    found = [s for s in (store.get_story(i) for i in dict.fromkeys(story_ids)) if s]
    return sorted(found, key=lambda s: story_order(s, len(set(s.article_ids)))[0])


def export(store: Store, fmt: str, story_ids: list[str] | None = None) -> str:
    """Stories as JSON, CSV (one row per timeline entry) or a Markdown report."""
    stories = stories_to_export(store, story_ids)
    if fmt == "json":
        return json.dumps([to_dict(s) for s in stories], ensure_ascii=False, indent=2)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(
            ["story_id", "story_title", "date", "granularity", "summary", "outlets", "article_ids"]
        )
        for story in stories:
            for entry in story.timeline:
                writer.writerow(
                    [
                        story.id,
                        story.title,
                        entry.date,
                        entry.granularity,
                        entry.summary,
                        "; ".join(entry.outlets),
                        "; ".join(dict.fromkeys(s.article_id for s in entry.sources)),
                    ]
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
            f"*{len(story.article_ids)} articles · {', '.join(story.outlets)} · "
            f"{story.first_date or '?'} – {story.last_date or '?'}* · id `{story.id}`",
            "",
        ]
        if story.summary:
            lines += ["**Summary.** " + " ".join(_md(s) for s in story.summary), ""]
        if story.timeline:
            lines += ["| Date | What happened | Reported by |", "|---|---|---|"]
            for entry in story.timeline:
                lines.append(
                    f"| {entry.date} | {_md(entry.summary)} | {', '.join(entry.outlets)} |"
                )
            lines.append("")
    return "\n".join(lines)


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
