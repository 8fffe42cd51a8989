"""Test stores for the HTTP and store tests.

:func:`ingest_seeds` is what the API and browser tests use: the bundled seed corpus run
through the REAL pipeline (``kabar.service.ingest``) into a fresh SQLite store, optionally
with a hostile article (script tags, ``onerror=``, ``javascript:`` links) ingested the same
way. Tests read ids, titles and dates from the store, never hard-coded, so they follow the
pipeline as its stages improve.

:func:`seed_articles` / :func:`seed_story` are hand-made fixtures kept for the store tests
(``tests/test_store.py``), which check persistence of exact field values.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from kabar import service
from kabar.ingest import ReadResult, read_paths
from kabar.model import Article, Mention, RawArticle, Sentence, Source, Story, TimelineEntry
from kabar.service import IngestReport
from kabar.store import Store, open_store

SEEDS = Path(__file__).resolve().parent.parent / "examples" / "seeds"

# Seed number -> (outlet, published): read off the articles themselves.
_META = {
    "000": ("IDN Times", "2024-03-26"),
    "001": ("Koran Jakarta", "2024-06-20"),
    "002": ("Kontan", "2023-10-18"),
    "003": ("Tempo", "2018-09-07"),
    "004": ("reporter.web.id", "2024-06-20"),
}
_ENTITIES = [
    ("Vladimir Putin", "PER", "Vladimir Putin"),
    ("Putin", "PER", "Vladimir Putin"),
    ("Vietnam", "LOC", "Vietnam"),
    ("Sochi", "LOC", "Sochi"),
    ("Nguyen Phu Trong", "PER", "Nguyen Phu Trong"),
]
STORY_ID = "5f3a9c1e2b7d4a60"


def _sentence_with(body: str, needle: str) -> str:
    """The first sentence-ish line of the body that contains ``needle``."""
    for paragraph in body.split("\n\n"):
        if needle in paragraph:
            return paragraph
    raise AssertionError(f"{needle!r} not in seed body")


def _mentions(body: str) -> list[Mention]:
    mentions: list[Mention] = []
    taken: set[int] = set()
    for text, label, canonical in _ENTITIES:
        for match in re.finditer(rf"\b{re.escape(text)}\b", body):
            if match.start() in taken or any(m.start <= match.start() < m.end for m in mentions):
                continue  # "Putin" inside an already found "Vladimir Putin"
            taken.add(match.start())
            mentions.append(Mention(text, label, match.start(), match.end(), canonical))  # type: ignore[arg-type]
    return sorted(mentions, key=lambda m: m.start)


def seed_articles() -> list[Article]:
    """One Article per seed file: first non-empty line is the title, the rest the body."""
    articles: list[Article] = []
    for path in sorted(SEEDS.glob("*.txt")):
        number, article_id = re.fullmatch(r"(\d{3})_([0-9a-f]{16})\.txt", path.name).groups()  # type: ignore[union-attr]
        raw = path.read_text(encoding="utf-8")
        lines = [line.strip() for line in raw.splitlines() if line.strip()]
        title, paragraphs = lines[0], lines[1:]
        body = "\n\n".join(paragraphs)
        outlet, published = _META[number]
        sentences = [Sentence(text=paragraphs[0], paragraph=0)]
        if number == "003":
            text = _sentence_with(body, "Sochi di Rusia")
            sentences.append(
                Sentence(
                    text, paragraphs.index(text), "2018-09-06", "day", "Kamis, 6 Septemebr 2018"
                )
            )
        articles.append(
            Article(
                id=article_id,
                title=title,
                body=body,
                source=str(path.relative_to(SEEDS.parent.parent)),
                raw_text=raw,
                removed=["Advertising"] if "Advertising" in raw else [],
                outlet=outlet,
                published=published,
                published_from="metadata",
                language="id",
                wire_sources=["Reuters"] if "Reuters" in raw else [],
                sentences=sentences,
                mentions=_mentions(body),
            )
        )
    return articles


def seed_story(articles: list[Article]) -> Story:
    """The Putin-Vietnam story: the 2018 Sochi meeting and the 2024-06-20 Hanoi visit."""
    by_seed = {a.source.split("/")[-1][:3]: a for a in articles}
    tempo, hanoi_a, hanoi_b = by_seed["003"], by_seed["001"], by_seed["004"]
    sochi = _sentence_with(tempo.body, "Sochi di Rusia")
    visit_a = _sentence_with(hanoi_a.body, "sepakat untuk memperdalam")
    visit_b = _sentence_with(hanoi_b.body, "Noi Bai International Airport")
    return Story(
        id=STORY_ID,
        title="Putin dan Vietnam",
        article_ids=[a.id for a in articles],
        summary=[sochi, visit_a],
        entities=["Vladimir Putin", "Vietnam"],
        outlets=sorted({a.outlet or "unknown" for a in articles}),
        first_date="2018-09-06",
        last_date="2024-06-20",
        timeline=[
            TimelineEntry(
                date="2018-09-06",
                granularity="day",
                summary=sochi,
                sources=[Source(tempo.id, tempo.outlet, sochi)],
                entities=["Vladimir Putin", "Nguyen Phu Trong", "Sochi"],
            ),
            TimelineEntry(
                date="2024-06-20",
                granularity="day",
                summary=visit_a,
                sources=[
                    Source(hanoi_a.id, hanoi_a.outlet, visit_a),
                    Source(hanoi_b.id, hanoi_b.outlet, visit_b),
                ],
                entities=["Vladimir Putin", "Vietnam"],
            ),
        ],
    )


# -- PostgreSQL: a fresh database per test ---------------------------------------------------

POSTGRES_SERVER = os.environ.get("KABAR_TEST_POSTGRES", "")
NO_POSTGRES = (
    "no PostgreSQL server: set KABAR_TEST_POSTGRES=postgresql://... or run `make test`"
    " (scripts/postgres.sh starts a throwaway one where PostgreSQL is installed or root can"
    " apt-get it)"
)


BACKENDS = [
    "sqlite",
    pytest.param("postgres", marks=pytest.mark.skipif(not POSTGRES_SERVER, reason=NO_POSTGRES)),
]
"""The store backends a parametrised test runs on (PostgreSQL where a test server is set)."""


@contextmanager
def postgres_database() -> Iterator[str]:
    """The URL of a fresh, empty database on the test server, dropped afterwards."""
    import psycopg

    name = f"kabar_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_SERVER, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlsplit(POSTGRES_SERVER)._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(POSTGRES_SERVER, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# -- the real pipeline on the seeds ---------------------------------------------------------

SCRIPT = "<script>window.__pwned=1;alert(1)</script>"
IMG = '<img src=x onerror="window.__pwned=2;alert(2)">'
JS_LINK = '<a href="javascript:window.__pwned=3;alert(3)">klik</a>'
HOSTILE_OUTLET = f"Evil{IMG}"


def hostile_raw() -> RawArticle:
    """An Indonesian-shaped article whose every field carries a script injection."""
    return RawArticle(
        text=(
            f"Zomboid Gelar Rapat {SCRIPT} Darurat\n\n"
            f"JAKARTA - Perusahaan Zomboid {SCRIPT} mengadakan rapat darurat di Jakarta pada "
            f"Senin (3/6/2024) untuk membahas {IMG} rencana ekspansi ke Bandung.\n\n"
            f"Direktur Zomboid mengatakan bahwa rencana itu {JS_LINK} javascript:alert(3) "
            "akan diumumkan pekan depan kepada para investor di Jakarta.\n\n"
            f"Baca Juga: {SCRIPT}"
        ),
        source="hostile.txt",
        title=f"Zomboid {SCRIPT} title",
        url="javascript:alert(1)",
        outlet=HOSTILE_OUTLET,
        author=SCRIPT,
        published="2024-06-03",
    )


def ingest_seeds(path: str | Path, extra: Iterable[ReadResult] = ()) -> IngestReport:
    """A store at ``path`` holding the seed corpus (and ``extra``) as the pipeline made it."""
    inputs = [*read_paths([SEEDS]), *extra]
    with open_store(str(path)) as store:
        report = service.ingest(store, inputs)
    assert not report.errors, report.errors
    return report


def seed_story_of(store: Store) -> Story:
    """The Putin-Vietnam story: the story holding the seed articles (the biggest one)."""
    story = store.list_stories(limit=1)[0]
    assert len(set(story.article_ids)) >= 4, story
    return story


def article_by_outlet(store: Store, outlet: str) -> Article:
    (article,) = store.list_articles(outlet=outlet)
    return article
