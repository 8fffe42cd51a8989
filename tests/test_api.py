"""The HTTP layer on the REAL pipeline output of the seed corpus (plus one hostile article):
JSON endpoints, ingest, API key, size limits, pages, exports, and escaping of hostile text."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest
import schemathesis
from fastapi.testclient import TestClient
from helpers_store import (
    HOSTILE_OUTLET,
    SCRIPT,
    article_by_outlet,
    hostile_raw,
    ingest_seeds,
    seed_story_of,
)
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from kabar.api import SECURITY_HEADERS, create_app
from kabar.api.views import coverage_chart, raw_lines
from kabar.config import configured_max_chars
from kabar.model import Article, Source, Story, TimelineEntry
from kabar.store import StoryQuery, open_store

SEED_DATES = ["2018-09-06", "2024-03-26", "2024-06-19", "2024-06-20"]
NEW_ARTICLE = {
    "title": "Menlu Retno Bertemu Menlu Vietnam di Hanoi",
    "text": (
        "HANOI - Menteri Luar Negeri Retno Marsudi bertemu Menteri Luar Negeri Vietnam di Hanoi "
        "pada Selasa (2/7/2024) untuk membahas kerja sama perdagangan dan keamanan maritim.\n\n"
        "Kedua menteri sepakat memperkuat kemitraan strategis kedua negara di kawasan Asia "
        "Tenggara, kata juru bicara Kementerian Luar Negeri di Jakarta."
    ),
    "outlet": "Antara",
    "published": "2024-07-02",
    "url": "https://example.org/retno-hanoi",
}


@pytest.fixture(scope="module")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("api") / "kabar.db"
    ingest_seeds(path, [hostile_raw()])
    return str(path)


@pytest.fixture(scope="module")
def client(template_db: str) -> TestClient:
    """Read-only tests share one store."""
    return TestClient(create_app(template_db, api_key=""))


@pytest.fixture
def writer(db: str) -> TestClient:
    return TestClient(create_app(db, api_key=""))


@pytest.fixture(scope="module")
def seed(template_db: str) -> Iterator[tuple[Story, dict[str, Article]]]:
    """The seed story and the seed articles by outlet, read from the store."""
    with open_store(template_db) as store:
        story = seed_story_of(store)
        by_outlet = {
            a.outlet or "": a for a in (store.get_article(i) for i in story.article_ids) if a
        }
        yield story, by_outlet


@pytest.fixture(scope="module")
def tempo(seed: tuple[Story, dict[str, Article]]) -> Article:
    return seed[1]["Tempo"]


@pytest.fixture(scope="module")
def evil(template_db: str) -> Article:
    with open_store(template_db) as store:
        return article_by_outlet(store, HOSTILE_OUTLET)


# -- JSON -----------------------------------------------------------------------------------


def test_health(client: TestClient) -> None:
    r = client.get("/api/v1/health")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok"
    assert body["articles"] == 6
    assert body["stories"] >= 2  # the seed story and the hostile one


def test_list_articles_shape_and_pagination(client: TestClient) -> None:
    r = client.get("/api/v1/articles", params={"limit": 2, "offset": 1})
    assert r.status_code == 200
    page = r.json()
    assert page["total"] == 6
    assert (page["limit"], page["offset"]) == (2, 1)
    assert len(page["items"]) == 2
    assert set(page["items"][0]) >= {"id", "title", "outlet", "published", "language"}
    assert "body" not in page["items"][0]
    everything = client.get("/api/v1/articles", params={"limit": 500}).json()["items"]
    assert [a["id"] for a in everything[1:3]] == [a["id"] for a in page["items"]]


def test_list_articles_cursor_pages(client: TestClient) -> None:
    """``next`` cursors walk the same list as one big page; a damaged one is a 422."""
    everything = client.get("/api/v1/articles", params={"limit": 500}).json()
    assert everything["next"] is None
    seen, cursor = [], None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = client.get("/api/v1/articles", params=params).json()
        seen += [a["id"] for a in page["items"]]
        cursor = page["next"]
        if cursor is None:
            break
    assert seen == [a["id"] for a in everything["items"]]
    bad = client.get("/api/v1/articles", params={"cursor": "bm90IGEgY3Vyc29y"})
    assert bad.status_code == 422 and "cursor" in bad.json()["detail"]


def test_list_articles_filters(client: TestClient, tempo: Article) -> None:
    page = client.get("/api/v1/articles", params={"outlet": "Tempo"}).json()
    assert page["total"] == 1
    assert page["items"][0]["id"] == tempo.id
    assert page["items"][0]["title"] == "Putin Mau Kerja Sama Keamanan Mendalam dengan Vietnam"
    assert client.get("/api/v1/articles", params={"language": "en"}).json()["total"] == 0
    assert client.get("/api/v1/articles", params={"language": "id"}).json()["total"] == 6


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/articles?limit=501",
        "/api/v1/articles?limit=0",
        "/api/v1/articles?offset=-1",
        "/api/v1/stories?limit=1000",
        "/api/v1/stories?date_from=yesterday",
        "/api/v1/stories?sort=random",
        "/api/v1/entities?limit=501",
        "/api/v1/entities?offset=9223372036854775808",
        "/api/v1/articles?offset=1000000001",
        "/api/v1/entities?label=XYZ",
        "/api/v1/search?q=putin&limit=101",
    ],
)
def test_invalid_parameters_are_422(client: TestClient, url: str) -> None:
    r = client.get(url)
    assert r.status_code == 422
    assert r.json()["detail"][0]["msg"]


def test_get_article(client: TestClient, tempo: Article, seed: tuple[Story, dict]) -> None:
    r = client.get(f"/api/v1/articles/{tempo.id}")
    assert r.status_code == 200
    a = r.json()
    assert a["outlet"] == "Tempo"
    assert "Sochi" in a["body"]
    assert a["paragraphs"] and "\n\n" not in a["paragraphs"][0]
    assert a["removed"] and not any(line in a["paragraphs"] for line in a["removed"])
    assert any(s["date"] == "2018-09-06" for s in a["sentences"])
    assert any(m["canonical"] == "Vladimir Putin" for m in a["mentions"])
    assert seed[0].id in a["stories"]
    assert "raw_text" not in a and "source" not in a  # internals stay internal


def test_missing_article_and_story_are_json_404(client: TestClient) -> None:
    for url in (
        "/api/v1/articles/0000000000000000",
        "/api/v1/stories/nope",
        "/api/stories/x",
        "/api/v1/entities/Nobody%20Atall",
    ):
        r = client.get(url)
        assert r.status_code == 404
        assert r.headers["content-type"].startswith("application/json")
        assert "not found" in r.json()["detail"]


def test_list_stories(client: TestClient, seed: tuple[Story, dict]) -> None:
    story = seed[0]
    page = client.get("/api/v1/stories").json()
    assert page["total"] >= 2
    first = page["items"][0]
    assert first["id"] == story.id  # biggest first
    assert first["size"] == 5
    assert {"Tempo", "IDN Times", "Kontan"} <= set(first["outlets"])
    assert (first["first_date"], first["last_date"]) == (story.first_date, story.last_date)
    assert len(client.get("/api/v1/stories?limit=1&offset=1").json()["items"]) == 1


def _story_ids(client: TestClient, **params: str) -> list[str]:
    r = client.get("/api/v1/stories", params=params)
    assert r.status_code == 200, r.text
    return [s["id"] for s in r.json()["items"]]


def test_story_filters(client: TestClient, seed: tuple[Story, dict], evil: Article) -> None:
    story = seed[0]
    everything = _story_ids(client)
    assert story.id in everything
    assert _story_ids(client, outlet="Tempo") == [story.id]
    assert _story_ids(client, entity="vladimir putin") == [story.id]  # case-insensitive
    assert _story_ids(client, language="en") == []
    assert set(_story_ids(client, language="id")) == set(everything)
    assert story.id not in _story_ids(client, date_from="2025-01-01")
    assert story.id not in _story_ids(client, date_to="2000")
    june = _story_ids(client, date_from="2024-06-01", date_to="2024-06-30")
    hostile_story = client.get(f"/api/v1/articles/{evil.id}").json()["stories"][0]
    assert {story.id, hostile_story} <= set(june)  # the hostile one is dated 2024-06-03
    assert hostile_story not in _story_ids(client, date_to="2024-06-02")
    recent = client.get("/api/v1/stories", params={"sort": "recent"}).json()["items"]
    lasts = [s["last_date"] or "" for s in recent]
    assert lasts == sorted(lasts, reverse=True)
    assert {s["id"] for s in recent} == set(everything)


def test_get_story_timeline(client: TestClient, seed: tuple[Story, dict], tempo: Article) -> None:
    story = client.get(f"/api/v1/stories/{seed[0].id}").json()
    dates = [e["date"] for e in story["timeline"]]
    assert set(SEED_DATES) <= set(dates)
    sochi = story["timeline"][dates.index("2018-09-06")]
    assert sochi["sources"][0]["article_id"] == tempo.id
    assert sochi["sources"][0]["outlet"] == "Tempo"
    assert "Sochi" in sochi["sources"][0]["sentence"]
    hanoi = story["timeline"][dates.index("2024-06-20")]
    assert "reporter.web.id" in hanoi["outlets"]
    members = client.get(f"/api/v1/stories/{seed[0].id}/articles?limit=2").json()
    assert members["total"] == 5 and len(members["items"]) == 2 and members["next"]
    rest = client.get(
        f"/api/v1/stories/{seed[0].id}/articles", params={"cursor": members["next"]}
    ).json()
    ids = [a["id"] for a in members["items"] + rest["items"]]
    assert ids == seed[0].article_ids and rest["next"] is None  # publication order, no gap
    assert client.get(f"/api/v1/stories/{seed[0].id}/articles?cursor=xx").status_code == 422


def test_search(client: TestClient, tempo: Article) -> None:
    r = client.get("/api/v1/search", params={"q": "Sochi"})
    assert r.status_code == 200
    body = r.json()
    assert body["query"] == "Sochi"
    assert body["items"][0]["article_id"] == tempo.id
    assert "[[Sochi]]" in body["items"][0]["snippet"]
    for hostile in ['"', "AND OR (", "*", "'; DROP TABLE articles"]:
        r = client.get("/api/v1/search", params={"q": hostile})
        assert r.status_code == 200
        assert isinstance(r.json()["items"], list)
    assert client.get("/api/v1/search").json()["items"] == []


def test_entities(client: TestClient, seed: tuple[Story, dict]) -> None:
    page = client.get("/api/v1/entities", params={"limit": 500}).json()
    putin = next(e for e in page["items"] if e["name"] == "Vladimir Putin")
    assert putin["label"] == "PER"
    assert putin["articles"] == 5
    assert "Putin" in putin["aliases"]
    assert page["total"] == len(page["items"])
    locs = client.get("/api/v1/entities", params={"label": "LOC"}).json()["items"]
    assert locs and {e["label"] for e in locs} == {"LOC"}
    detail = client.get("/api/v1/entities/Vladimir Putin").json()
    assert detail["name"] == "Vladimir Putin"
    assert [s["id"] for s in detail["stories"]] == [seed[0].id]


def test_v1_prefix_and_openapi(client: TestClient, tempo: Article) -> None:
    for path in ("/health", "/articles", f"/articles/{tempo.id}", "/stories", "/entities"):
        v1, alias = client.get(f"/api/v1{path}"), client.get(f"/api{path}")
        assert v1.status_code == alias.status_code == 200
        assert v1.json() == alias.json()
    schema = client.get("/openapi.json").json()
    assert schema["info"]["title"] == "kabar"
    paths = schema["paths"]
    assert "/api/v1/stories/{story_id}" in paths
    assert {"date_from", "date_to", "outlet", "entity", "language", "sort"} <= {
        p["name"] for p in paths["/api/v1/stories"]["get"]["parameters"]
    }
    assert "post" in paths["/api/v1/articles"] and "post" in paths["/api/v1/articles/batch"]
    assert not any(p.startswith("/api/") and not p.startswith("/api/v1/") for p in paths)
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "<code>POST /api/v1/articles/batch</code>" in docs.text
    assert 'id="schema-ArticleIn"' in docs.text and "maxItems 100" in docs.text
    assert "cdn" not in docs.text.lower()  # offline: no Swagger UI from a CDN
    _assert_escaped_markup(docs.text)


# -- ingest -----------------------------------------------------------------------------------


def test_ingest_one_article(writer: TestClient) -> None:
    before = writer.get("/api/v1/health").json()
    r = writer.post("/api/v1/articles", json=NEW_ARTICLE)
    assert r.status_code == 201, r.text
    result = r.json()
    assert len(result["added"]) == 1 and result["errors"] == []
    assert result["stories"] >= before["stories"]
    article = writer.get(f"/api/v1/articles/{result['added'][0]}").json()
    assert article["title"] == NEW_ARTICLE["title"]
    assert article["outlet"] == "Antara"
    assert article["published"] == "2024-07-02"
    assert article["stories"]  # regrouped: it belongs to a story
    assert writer.get("/api/v1/health").json()["articles"] == before["articles"] + 1
    again = writer.post("/api/v1/articles", json=NEW_ARTICLE).json()
    assert again["added"] == [] and again["existing"] == result["added"]


def test_ingest_batch_reports_each_failure(writer: TestClient) -> None:
    batch = {"articles": [NEW_ARTICLE, {"text": "Iklan. Klik di sini."}]}
    r = writer.post("/api/v1/articles/batch", json=batch)
    assert r.status_code == 200, r.text
    result = r.json()
    assert len(result["added"]) == 1
    (error,) = result["errors"]
    assert error["source"] == "batch[1]"
    assert "no news text" in error["problem"]


def test_ingest_a_text_over_the_analysed_length_is_stored_with_a_warning(
    writer: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The five seed articles run together as one text, over a 2,000-character limit
    (``KABAR_MAX_CHARS``): stored (201), its first paragraphs analysed, and the answer
    says what was cut and how to raise the limit."""
    from conftest import SEEDS

    text = " ".join(" ".join(p.read_text(encoding="utf-8").split()) for p in SEEDS.glob("*.txt"))
    monkeypatch.setenv("KABAR_MAX_CHARS", "2000")
    configured_max_chars.cache_clear()
    try:
        r = writer.post("/api/v1/articles", json={"text": text, "outlet": "Antara"})
    finally:
        configured_max_chars.cache_clear()
    assert r.status_code == 201, r.text
    result = r.json()
    (added,) = result["added"]
    (warning,) = result["warnings"]
    assert warning["source"] == "api" and "KABAR_MAX_CHARS" in warning["problem"]
    article = writer.get(f"/api/v1/articles/{added}").json()
    assert 0 < len(article["body"]) <= 2000 < len(text)
    assert article["warnings"] == [warning["problem"]]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"text": "   "}, "non-empty 'text' or 'html'"),
        ({"title": "no text"}, "non-empty 'text' or 'html'"),
        ({"text": "Berita", "colour": "red"}, "Extra inputs are not permitted"),
        ({"text": 42}, "valid string"),
        ([NEW_ARTICLE], "valid dictionary"),
    ],
)
def test_ingest_validation_errors_are_422_with_a_message(
    writer: TestClient, body: object, message: str
) -> None:
    r = writer.post("/api/v1/articles", json=body)
    assert r.status_code == 422
    assert message in json.dumps(r.json()["detail"])


def test_ingest_rejects_non_news_and_bad_json(writer: TestClient) -> None:
    r = writer.post("/api/v1/articles", json={"text": "Iklan. Klik di sini."})
    assert r.status_code == 422
    assert "no news text" in r.json()["detail"]
    r = writer.post(
        "/api/v1/articles", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert r.status_code == 422
    too_many = {"articles": [NEW_ARTICLE] * 101}
    r = writer.post("/api/v1/articles/batch", json=too_many)
    assert r.status_code == 422
    assert "at most 100" in json.dumps(r.json()["detail"])
    assert writer.post("/api/v1/articles/batch", json={"articles": []}).status_code == 422


def test_request_body_size_limit(db: str) -> None:
    client = TestClient(create_app(db, api_key="", max_body=2_000))
    big = {"text": "Berita panjang. " * 500}
    r = client.post("/api/v1/articles", json=big)
    assert r.status_code == 413
    assert "2,000-byte limit" in r.json()["detail"]
    assert r.headers["Content-Security-Policy"] == SECURITY_HEADERS["Content-Security-Policy"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: the streamed size is counted
        yield b'{"text": "'
        for _ in range(100):
            yield b"x" * 100
        yield b'"}'

    r = client.post(
        "/api/v1/articles", content=chunks(), headers={"content-type": "application/json"}
    )
    assert r.status_code == 413
    assert client.get("/api/v1/health").json()["articles"] == 6


def test_api_key_protects_writes_only(db: str) -> None:
    client = TestClient(create_app(db, api_key="s3cret-key"))
    assert client.post("/api/v1/articles", json=NEW_ARTICLE).status_code == 401
    r = client.post("/api/v1/articles", json=NEW_ARTICLE, headers={"X-API-Key": "s3cret-kex"})
    assert r.status_code == 401
    assert "API key" in r.json()["detail"]
    assert (
        client.post("/api/v1/articles/batch", json={"articles": [NEW_ARTICLE]}).status_code == 401
    )
    assert client.get("/api/v1/health").json()["articles"] == 6  # reads stay open
    r = client.post("/api/v1/articles", json=NEW_ARTICLE, headers={"X-API-Key": "s3cret-key"})
    assert r.status_code == 201
    html = client.post("/upload", data={"text": NEW_ARTICLE["text"], "api_key": "nope"})
    assert html.status_code == 401 and "API key" in html.text
    assert 'name="api_key"' in client.get("/upload").text


def test_api_key_from_environment(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KABAR_API_KEY", "from-env")
    client = TestClient(create_app(db))
    assert client.post("/api/v1/articles", json=NEW_ARTICLE).status_code == 401
    ok = client.post("/api/v1/articles", json=NEW_ARTICLE, headers={"X-API-Key": "from-env"})
    assert ok.status_code == 201


# -- headers and errors ---------------------------------------------------------------------


def test_security_headers_everywhere(client: TestClient) -> None:
    for url in ("/", "/api/v1/health", "/api/v1/articles/nope", "/static/kabar.css", "/stories/x"):
        r = client.get(url)
        for name, value in SECURITY_HEADERS.items():
            assert r.headers.get(name) == value, (url, name)
    assert "'unsafe-inline'" not in SECURITY_HEADERS["Content-Security-Policy"]


def test_unhandled_error_is_generic_500(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from kabar.store.sqlite import SQLiteStore

    def boom(self: SQLiteStore) -> int:
        raise RuntimeError("secret internals /etc/passwd")

    monkeypatch.setattr(SQLiteStore, "count_stories", boom)
    client = TestClient(create_app(db), raise_server_exceptions=False)
    r = client.get("/api/v1/health")
    assert r.status_code == 500
    assert r.json() == {"detail": "internal server error"}
    assert "secret" not in r.text
    assert r.headers["Content-Security-Policy"] == SECURITY_HEADERS["Content-Security-Policy"]


# -- HTML -----------------------------------------------------------------------------------


def test_story_list_page(client: TestClient, seed: tuple[Story, dict]) -> None:
    story = seed[0]
    r = client.get("/")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    html = r.text
    assert '<html lang="en">' in html
    assert f'href="/stories/{story.id}"' in html
    assert "5 articles" in html
    assert 'href="/outlets/Tempo"' in html and ">Kontan</a>" in html
    assert f'<time datetime="{story.first_date}">' in html
    assert 'href="/static/kabar.css"' in html and 'src="/static/kabar.js"' in html
    for name in ("date_from", "date_to", "outlet", "entity", "language", "sort"):
        assert f'name="{name}"' in html


def test_story_list_page_filters(client: TestClient, seed: tuple[Story, dict]) -> None:
    story = seed[0]
    html = client.get("/", params={"outlet": "Tempo"}).text
    assert f'href="/stories/{story.id}"' in html
    assert "1 of " in html
    assert 'value="Tempo"' in html  # the form keeps the filter
    html = client.get("/", params={"date_from": "2030-01-01"}).text
    assert "No story matches" in html
    assert client.get("/", params={"date_from": "soon"}).status_code == 422


def test_story_page_has_visual_timeline(
    client: TestClient, seed: tuple[Story, dict], tempo: Article
) -> None:
    story = seed[0]
    html = client.get(f"/stories/{story.id}").text
    svg = html[html.index('<svg class="story-chart wide"') :]
    svg = svg[: svg.index("</svg>")]
    ticks = re.findall(r'<text class="tick-label" x="([\d.]+)"[^>]*>([^<]+)</text>', svg)
    xs = [float(x) for x, _ in ticks]
    assert len(ticks) >= 2 and xs == sorted(xs)  # left to right in time
    assert ticks[0][1].endswith("2018") or ticks[0][1] == "2019"
    assert svg.count('<rect class="bar"') == len(
        {a.published[:7] for a in seed[1].values() if a.published}
    )
    markers = re.findall(r'<a class="marker" href="#entry-(\d+)"', svg)
    assert markers and all(f'id="entry-{m}"' in html for m in markers)
    assert '<svg class="story-chart narrow"' in html
    timeline = html[html.index("<h3>All events") : html.index('<section aria-labelledby="bac')]
    assert timeline.index("2018-09-06") < timeline.index("2024-06-20")
    assert '<time datetime="2018-09-06">' in timeline
    assert f'href="/articles/{tempo.id}">Tempo</a>' in timeline
    assert "Sochi" in timeline
    assert 'href="/entities/Vladimir%20Putin"' in html
    coverage = html[html.index('<svg class="coverage"') :]
    coverage = coverage[: coverage.index("</svg>")]
    # One bar per outlet, and one for the articles of no known outlet (not an outlet).
    unnamed = 1 if ">unknown<" in coverage else 0
    assert coverage.count("<rect") == len(story.outlets) + unnamed
    assert "unknown" not in story.outlets
    assert ">Tempo</a>" in coverage
    for fmt in ("json", "csv", "md", "html"):
        assert f'href="/export?format={fmt}&amp;story={story.id}"' in html


def test_background_is_shown_apart_from_the_timeline(
    client: TestClient, seed: tuple[Story, dict]
) -> None:
    """The seeds date the Vietnam–Russia ties to 1950 ("menjalin hubungan diplomatik sejak
    1950"): context, shown in its own section of the API, the page and every export."""
    story = seed[0]
    assert "1950" in [e.date for e in story.background]
    assert "1950" not in [e.date for e in story.timeline]
    api = client.get(f"/api/v1/stories/{story.id}").json()
    assert [e["date"] for e in api["background"]] == [e.date for e in story.background]
    assert "1950" not in [e["date"] for e in api["timeline"]]
    html = client.get(f"/stories/{story.id}").text
    background = html[html.index('<section aria-labelledby="background-h">') :]
    background = background[: background.index("</section>")]
    assert "sejak 1950" in background and '<time datetime="1950">' in background
    timeline = html[html.index('<section class="timeline-section"') :]
    assert "sejak 1950" not in timeline[: timeline.index("</section>")]
    rows = list(
        csv.DictReader(io.StringIO(client.get(f"/export?format=csv&story={story.id}").text))
    )
    assert {(r["date"], r["part"]) for r in rows if r["date"] == "1950"} == {("1950", "background")}
    assert "2018-09-06" in {r["date"] for r in rows if r["part"] == "timeline"}
    md = client.get(f"/export?format=md&story={story.id}").text
    assert "| 1950 |" in md[md.index("**Background.**") :]
    report = client.get(f"/export?format=html&story={story.id}").text
    assert '<time datetime="1950">' in report[report.index("<h3>Background</h3>") :]


def test_article_page_shows_clean_text_beside_original(
    client: TestClient, tempo: Article, seed: tuple[Story, dict]
) -> None:
    html = client.get(f"/articles/{tempo.id}").text
    assert "Putin Mau Kerja Sama Keamanan Mendalam dengan Vietnam" in html
    assert 'lang="id"' in html
    assert f'<time datetime="{tempo.published}">' in html
    clean = html[html.index('<section class="body"') : html.index('<section class="original"')]
    original = html[html.index('<section class="original"') :]
    assert "<del>" not in clean
    struck = re.findall(r"<del>(.*?)</del>", original)
    assert struck and len(struck) == len([line for line in raw_lines(tempo) if line.removed])
    assert "Budi Riza" in struck  # the editor credit line is boilerplate
    assert clean.count("<p>") == len(tempo.paragraphs)
    assert "Reuters" in html  # wire source
    assert f'href="/stories/{seed[0].id}"' in html
    assert 'href="/outlets/Tempo"' in html


def test_entity_and_outlet_pages(client: TestClient, seed: tuple[Story, dict]) -> None:
    story = seed[0]
    html = client.get("/entities/Vladimir Putin").text
    assert "<h1>Vladimir Putin</h1>" in html and "Person" in html
    assert f'href="/stories/{story.id}"' in html
    assert html.split('id="articles-h"')[1].count('href="/articles/') == 5  # the Articles list
    assert client.get("/entities/Nobody").status_code == 404
    html = client.get("/outlets/Kontan").text
    assert "<h1>Kontan</h1>" in html and "1 articles" in html
    assert f'href="/stories/{story.id}"' in html
    assert client.get("/outlets/Nobody%20Times").status_code == 404


def test_search_page_highlights(client: TestClient, tempo: Article) -> None:
    html = client.get("/search", params={"q": "Sochi"}).text
    assert "<mark>Sochi</mark>" in html
    assert f'href="/articles/{tempo.id}"' in html
    assert "[[" not in html
    assert client.get("/search", params={"q": '"*('}).status_code == 200


def test_html_404_page(client: TestClient) -> None:
    r = client.get("/articles/0000000000000000")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/html")
    assert "not found" in r.text


def test_articles_page(client: TestClient) -> None:
    html = client.get("/articles").text
    assert html.count('<li>\n  <a href="/articles/') == 6


# -- exports ----------------------------------------------------------------------------------


def test_exports(client: TestClient, seed: tuple[Story, dict]) -> None:
    story = seed[0]
    r = client.get("/export", params={"format": "json", "story": story.id})
    assert r.headers["content-type"].startswith("application/json")
    assert r.headers["content-disposition"] == f'attachment; filename="kabar-{story.id}.json"'
    (exported,) = r.json()
    assert exported["id"] == story.id and len(exported["timeline"]) == len(story.timeline)
    rows = list(
        csv.DictReader(io.StringIO(client.get(f"/export?format=csv&story={story.id}").text))
    )
    assert set(SEED_DATES) <= {row["date"] for row in rows}
    md = client.get(f"/export?format=md&story={story.id}").text
    assert md.startswith("# kabar report") and "| 2018-09-06 |" in md
    r = client.get(f"/export?format=html&story={story.id}")
    assert r.headers["content-type"].startswith("text/html")
    assert '<time datetime="2024-06-19">' in r.text and "<table>" in r.text
    everything = client.get("/export?format=json").json()
    assert len(everything) == client.get("/api/v1/health").json()["stories"]
    assert client.get("/export?format=exe").status_code == 422


# -- upload form --------------------------------------------------------------------------------


def test_upload_form_ingests_files_and_pasted_text(writer: TestClient) -> None:
    form = writer.get("/upload").text
    assert 'enctype="multipart/form-data"' in form and 'type="file"' in form
    assert 'name="api_key"' not in form  # no key configured
    record = json.dumps(NEW_ARTICLE)
    r = writer.post(
        "/upload",
        files=[
            ("files", ("retno.jsonl", record.encode(), "application/json")),
            ("files", ("notes.exe", b"MZ...", "application/octet-stream")),
        ],
    )
    assert r.status_code == 200, r.text
    assert "1 added" in r.text and "1 skipped" in r.text
    assert NEW_ARTICLE["title"] in r.text
    assert "notes.exe" in r.text and "unsupported file type" in r.text
    assert "/tmp" not in r.text  # our temporary paths stay private
    r = writer.post(
        "/upload",
        data={
            "text": NEW_ARTICLE["text"].replace("Selasa (2/7/2024)", "Rabu (3/7/2024)"),
            "title": "Retno di Hanoi, hari kedua",
            "outlet": "Kompas",
        },
    )
    assert r.status_code == 200 and "1 added" in r.text
    assert writer.get("/api/v1/articles", params={"outlet": "Kompas"}).json()["total"] == 1
    r = writer.post("/upload", data={"text": " "})
    assert r.status_code == 422 and "Choose a file" in r.text


# -- XSS ------------------------------------------------------------------------------------


class _Elements(HTMLParser):
    """Every start tag of a page with its attributes, as a browser's parser would see them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


def _assert_escaped(html: str) -> None:
    _assert_escaped_markup(html)
    assert "&lt;script&gt;window.__pwned=1;alert(1)&lt;/script&gt;" in html


def _assert_escaped_markup(html: str) -> None:
    """No element that runs code: no inline script, no on* handler, no javascript: URL."""
    parser = _Elements()
    parser.feed(html)
    for tag, attrs in parser.tags:
        assert tag not in ("img", "b", "iframe", "object"), (tag, attrs)
        if tag == "script":
            assert attrs == {"src": "/static/kabar.js", "defer": ""}, attrs
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        for name in ("href", "src", "action"):
            assert not attrs.get(name, "").strip().lower().startswith("javascript:"), attrs


def test_hostile_article_went_through_the_pipeline(evil: Article) -> None:
    assert SCRIPT in evil.title and SCRIPT in evil.body and evil.url == "javascript:alert(1)"


@pytest.mark.parametrize(
    "url",
    [
        "/articles/{evil}",
        "/",
        "/stories/{story}",
        "/search?q=Zomboid",
        "/articles",
        "/outlets/{outlet}",
        "/export?format=html",
    ],
)
def test_hostile_text_is_escaped(client: TestClient, evil: Article, url: str) -> None:
    with open_store(client.app.state.db) as store:  # type: ignore[attr-defined]
        (story_id,) = store.stories_of_article(evil.id)
    from urllib.parse import quote

    r = client.get(
        url.format(evil=evil.id, story=story_id, outlet=quote(evil.outlet or "", safe=""))
    )
    assert r.status_code == 200
    _assert_escaped(r.text)


def test_hostile_article_page_details(client: TestClient, evil: Article) -> None:
    html = client.get(f"/articles/{evil.id}").text
    assert "&lt;img src=x onerror=&#34;window.__pwned=2;alert(2)&#34;&gt;" in html
    assert "<del>Baca Juga: &lt;script&gt;" in html
    assert "javascript:alert(1)" in html  # shown as text, never as a link


def test_hostile_snippet_marks_only_matches(client: TestClient) -> None:
    html = client.get("/search", params={"q": "klik"}).text
    assert "<mark>klik</mark>&lt;/a&gt; javascript:alert(3)" in html
    _assert_escaped(html)


def test_hostile_query_is_escaped(client: TestClient) -> None:
    html = client.get("/search", params={"q": f"{SCRIPT} Zomboid"}).text
    _assert_escaped(html)


# -- fuzzing from the OpenAPI spec (bounded; eval/api_fuzz.py runs the long version) ----------


def test_openapi_fuzz_finds_no_server_error(db: str) -> None:
    """Every operation of the spec, valid and invalid inputs (schemathesis), a few each."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(db, api_key=""))
    calls: Counter[int] = Counter()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @settings(
                max_examples=5,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(generation_mode=mode))
            def run(case: schemathesis.Case) -> None:
                response = case.call()
                calls[response.status_code] += 1
                assert response.status_code < 500, (case.method, case.path, response.text[:200])

            try:
                run()
            except Unsatisfiable:  # nothing to make invalid (an operation without inputs)
                assert mode is GenerationMode.NEGATIVE and not operation.query
    assert sum(calls.values()) >= 80
    assert any(200 <= status < 300 for status in calls) and 422 in calls


# -- the view helpers ------------------------------------------------------------------------


def _entry(day: str, granularity: str = "day", sources: int = 1) -> TimelineEntry:
    return TimelineEntry(
        date=day,
        granularity=granularity,  # type: ignore[arg-type]
        summary=f"event {day}",
        sources=[Source(f"{k:016x}", "Tempo", "s") for k in range(sources)],
    )


def test_story_filter_periods() -> None:
    story = Story(id="s", title="t", article_ids=["a"], first_date="2019", last_date="2024-06")
    assert StoryQuery(date_from="2024-06-30").keep(story)  # "2024-06" runs to the month end
    assert not StoryQuery(date_from="2024-07-01").keep(story)
    assert StoryQuery(date_to="2019-01-01").keep(story)
    assert not StoryQuery(date_to="2018-12-31").keep(story)
    assert not StoryQuery(language="en").keep(story, languages=["id"])


def test_coverage_chart_counts_outlets(seed: tuple[Story, dict]) -> None:
    articles = list(seed[1].values())
    chart = coverage_chart(articles)
    assert chart is not None
    assert sum(b.count for b in chart.bars) == len(articles)
    assert [b.y for b in chart.bars] == sorted(b.y for b in chart.bars)
    assert coverage_chart([]) is None


def test_story_shows_facts_with_their_outlets(client: TestClient) -> None:
    stories = client.get("/api/v1/stories").json()["items"]
    seed = max(stories, key=lambda s: s["size"])
    story = client.get(f"/api/v1/stories/{seed['id']}").json()
    arms = [f for f in story["facts"] if "80%" in f["numbers"]]
    assert arms and {"IDN Times", "Kontan"} <= set(arms[0]["outlets"])
    page = client.get(f"/stories/{seed['id']}").text
    assert "Facts reported by several outlets" in page and "80%" in page


def test_keyset_cursors_page_through_entities_and_bad_ones_are_422(client: TestClient) -> None:
    everything = client.get("/api/v1/entities", params={"limit": 500}).json()
    names: list[str] = []
    params: dict[str, str | int] = {"limit": 2}
    while True:
        page = client.get("/api/v1/entities", params=params).json()
        names += [e["name"] for e in page["items"]]
        if page["next"] is None:
            break
        params = {"limit": 2, "cursor": page["next"]}
    assert names == [e["name"] for e in everything["items"]] and len(names) > 2
    assert client.get("/api/v1/entities", params={"cursor": "!!"}).status_code == 422
    assert client.get("/api/v1/stories", params={"cursor": page_cursor(client)}).status_code == 422


def page_cursor(client: TestClient) -> str:
    """An entity cursor, which a story list must refuse."""
    cursor = client.get("/api/v1/entities", params={"limit": 1}).json()["next"]
    assert isinstance(cursor, str)
    return cursor
