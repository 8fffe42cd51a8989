"""The HTTP layer: JSON endpoints, pages, security headers, and escaping of hostile text."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from helpers_store import STORY_ID, seed_articles, seed_story

from kabar.api import SECURITY_HEADERS, create_app
from kabar.model import Article, Mention, Story
from kabar.store import open_store

TEMPO_ID = "829b5d904503e740"
EVIL_ID = "e0e0e0e0e0e0e0e0"
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"


def _evil(base: Article) -> Article:
    return dataclasses.replace(
        base,
        id=EVIL_ID,
        title=f"Zomboid {SCRIPT} title",
        body=f"Zomboid body {SCRIPT}\n\nsecond {IMG} [[x]] <b>bold</b>\n\njavascript:alert(1)",
        outlet=f"Evil{IMG}",
        author=SCRIPT,
        url="javascript:alert(1)",
        removed=[SCRIPT],
        wire_sources=[IMG],
        dateline=SCRIPT,
        mentions=[Mention("Zomboid", "ORG", 0, 7, f"Zomboid{SCRIPT}")],
        sentences=[],
    )


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "kabar.db")
    articles = seed_articles()
    evil = _evil(articles[0])
    with open_store(path) as store:
        store.add_articles([*articles, evil])
        evil_story = Story(
            id="evil-story",
            title=f"Story {SCRIPT}",
            article_ids=[EVIL_ID],
            summary=[IMG],
            outlets=[evil.outlet or ""],
            entities=[SCRIPT],
        )
        store.replace_stories([seed_story(articles), evil_story])
    return path


@pytest.fixture
def client(db: str) -> TestClient:
    return TestClient(create_app(db))


# -- JSON -----------------------------------------------------------------------------------


def test_health(client: TestClient) -> None:
    r = client.get("/api/health")
    assert r.status_code == 200
    assert r.json() | {"version": None} == {
        "status": "ok",
        "version": None,
        "articles": 6,
        "stories": 2,
    }


def test_list_articles_shape_and_pagination(client: TestClient) -> None:
    r = client.get("/api/articles", params={"limit": 2, "offset": 1})
    assert r.status_code == 200
    page = r.json()
    assert page["total"] == 6
    assert (page["limit"], page["offset"]) == (2, 1)
    assert len(page["items"]) == 2
    assert set(page["items"][0]) >= {"id", "title", "outlet", "published", "language"}
    assert "body" not in page["items"][0]
    everything = client.get("/api/articles", params={"limit": 500}).json()["items"]
    assert [a["id"] for a in everything[1:3]] == [a["id"] for a in page["items"]]


def test_list_articles_filters(client: TestClient) -> None:
    page = client.get("/api/articles", params={"outlet": "Tempo"}).json()
    assert page["total"] == 1
    assert page["items"][0]["id"] == TEMPO_ID
    assert client.get("/api/articles", params={"language": "en"}).json()["total"] == 0


@pytest.mark.parametrize(
    "url",
    [
        "/api/articles?limit=501",
        "/api/articles?limit=0",
        "/api/articles?offset=-1",
        "/api/stories?limit=1000",
        "/api/entities?limit=501",
        "/api/entities?label=XYZ",
        "/api/search?q=putin&limit=101",
    ],
)
def test_invalid_parameters_are_422(client: TestClient, url: str) -> None:
    r = client.get(url)
    assert r.status_code == 422
    assert "detail" in r.json()


def test_get_article(client: TestClient) -> None:
    r = client.get(f"/api/articles/{TEMPO_ID}")
    assert r.status_code == 200
    a = r.json()
    assert a["outlet"] == "Tempo"
    assert "Sochi" in a["body"]
    assert a["paragraphs"] and "\n\n" not in a["paragraphs"][0]
    assert a["removed"] == ["Advertising"]
    assert any(s["date"] == "2018-09-06" for s in a["sentences"])
    assert any(m["canonical"] == "Vladimir Putin" for m in a["mentions"])
    assert a["stories"] == [STORY_ID]
    assert "raw_text" not in a and "source" not in a  # internals stay internal


def test_missing_article_and_story_are_json_404(client: TestClient) -> None:
    for url in ("/api/articles/0000000000000000", "/api/stories/nope", "/api/v1/stories/x"):
        r = client.get(url)
        assert r.status_code == 404
        assert r.headers["content-type"].startswith("application/json")
        assert "not found" in r.json()["detail"]


def test_list_stories(client: TestClient) -> None:
    page = client.get("/api/stories").json()
    assert page["total"] == 2
    first = page["items"][0]
    assert first["id"] == STORY_ID  # biggest first
    assert first["size"] == 5
    assert "Tempo" in first["outlets"]
    assert (first["first_date"], first["last_date"]) == ("2018-09-06", "2024-06-20")
    assert len(client.get("/api/stories?limit=1&offset=1").json()["items"]) == 1


def test_get_story_timeline(client: TestClient) -> None:
    story = client.get(f"/api/stories/{STORY_ID}").json()
    assert [e["date"] for e in story["timeline"]] == ["2018-09-06", "2024-06-20"]
    sochi, hanoi = story["timeline"]
    assert sochi["sources"][0] | {"sentence": ""} == {
        "article_id": TEMPO_ID,
        "outlet": "Tempo",
        "sentence": "",
    }
    assert "Sochi" in sochi["sources"][0]["sentence"]
    assert hanoi["outlets"] == ["Koran Jakarta", "reporter.web.id"]
    assert len(story["article_ids"]) == 5


def test_search(client: TestClient) -> None:
    r = client.get("/api/search", params={"q": "Sochi"})
    assert r.status_code == 200
    body = r.json()
    assert body["query"] == "Sochi"
    assert body["items"][0]["article_id"] == TEMPO_ID
    assert "[[Sochi]]" in body["items"][0]["snippet"]
    for hostile in ['"', "AND OR (", "*", "'; DROP TABLE articles"]:
        r = client.get("/api/search", params={"q": hostile})
        assert r.status_code == 200
        assert isinstance(r.json()["items"], list)
    assert client.get("/api/search").json()["items"] == []


def test_entities(client: TestClient) -> None:
    page = client.get("/api/entities").json()
    putin = next(e for e in page["items"] if e["name"] == "Vladimir Putin")
    assert putin["articles"] == 5  # the hostile copy has its own mentions
    assert putin["aliases"] == ["Putin", "Vladimir Putin"]
    assert page["total"] == len(page["items"])
    locs = client.get("/api/entities", params={"label": "LOC"}).json()["items"]
    assert {e["label"] for e in locs} == {"LOC"}


def test_v1_prefix_and_openapi(client: TestClient) -> None:
    for path in ("/health", "/articles", f"/articles/{TEMPO_ID}", "/stories", "/entities"):
        v1, alias = client.get(f"/api/v1{path}"), client.get(f"/api{path}")
        assert v1.status_code == alias.status_code == 200
        assert v1.json() == alias.json()
    schema = client.get("/openapi.json").json()
    assert schema["info"]["title"] == "kabar"
    assert "/api/v1/stories/{story_id}" in schema["paths"]


def test_security_headers_everywhere(client: TestClient) -> None:
    for url in ("/", "/api/health", "/api/articles/nope", "/static/kabar.css", "/stories/x"):
        r = client.get(url)
        for name, value in SECURITY_HEADERS.items():
            assert r.headers.get(name) == value, (url, name)


def test_unhandled_error_is_generic_500(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from kabar.store.sqlite import SQLiteStore

    def boom(self: SQLiteStore) -> int:
        raise RuntimeError("secret internals /etc/passwd")

    monkeypatch.setattr(SQLiteStore, "count_stories", boom)
    client = TestClient(create_app(db), raise_server_exceptions=False)
    r = client.get("/api/health")
    assert r.status_code == 500
    assert r.json() == {"detail": "internal server error"}
    assert "secret" not in r.text
    assert r.headers["Content-Security-Policy"] == SECURITY_HEADERS["Content-Security-Policy"]


# -- HTML -----------------------------------------------------------------------------------


def test_story_list_page(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    html = r.text
    assert '<html lang="en">' in html
    assert f'href="/stories/{STORY_ID}"' in html
    assert "5 articles" in html
    assert "Tempo" in html and "Kontan" in html
    assert '<time datetime="2018-09-06">' in html and '<time datetime="2024-06-20">' in html
    assert 'href="/static/kabar.css"' in html


def test_story_page_has_visual_timeline(client: TestClient) -> None:
    html = client.get(f"/stories/{STORY_ID}").text
    timeline = html[html.index('<ol class="timeline">') :]
    timeline = timeline[: timeline.index("</ol>")]
    assert timeline.index("2018-09-06") < timeline.index("2024-06-20")
    assert '<time datetime="2018-09-06">' in timeline
    for outlet in ("Tempo", "Koran Jakarta", "reporter.web.id"):
        assert f">{outlet}</a>" in timeline
    assert f'href="/articles/{TEMPO_ID}"' in timeline
    assert "Sochi" in timeline
    assert "Vladimir Putin" in html  # entities


def test_article_page(client: TestClient) -> None:
    html = client.get(f"/articles/{TEMPO_ID}").text
    assert "Putin Mau Kerja Sama Keamanan Mendalam dengan Vietnam" in html
    assert 'lang="id"' in html
    assert '<time datetime="2018-09-07">' in html
    assert "<del>Advertising</del>" in html
    assert "Reuters" in html  # wire source
    assert html.count("<p>") >= 10  # body paragraphs
    assert f'href="/stories/{STORY_ID}"' in html


def test_search_page_highlights(client: TestClient) -> None:
    html = client.get("/search", params={"q": "Sochi"}).text
    assert "<mark>Sochi</mark>" in html
    assert f'href="/articles/{TEMPO_ID}"' in html
    assert "[[" not in html
    assert client.get("/search", params={"q": '"*('}).status_code == 200


def test_html_404_page(client: TestClient) -> None:
    r = client.get("/articles/0000000000000000")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/html")
    assert "not found" in r.text


def test_articles_page(client: TestClient) -> None:
    html = client.get("/articles").text
    assert html.count('href="/articles/') == 6


# -- XSS ------------------------------------------------------------------------------------

RAW_TAG = re.compile(r"<(script|img|b)\b", re.IGNORECASE)


def _assert_escaped(html: str) -> None:
    assert RAW_TAG.search(html) is None, RAW_TAG.search(html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript:' not in html.lower()


@pytest.mark.parametrize(
    "url",
    [f"/articles/{EVIL_ID}", "/", "/stories/evil-story", "/search?q=Zomboid", "/articles"],
)
def test_hostile_text_is_escaped(client: TestClient, url: str) -> None:
    r = client.get(url)
    assert r.status_code == 200
    _assert_escaped(r.text)


def test_hostile_article_page_details(client: TestClient) -> None:
    html = client.get(f"/articles/{EVIL_ID}").text
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<del>&lt;script&gt;alert(1)&lt;/script&gt;</del>" in html
    assert "javascript:alert(1)" in html  # shown as text, never as a link


def test_hostile_snippet_marks_only_matches(client: TestClient) -> None:
    html = client.get("/search", params={"q": "bold"}).text
    assert "<mark>bold</mark>" in html
    assert "&lt;b&gt;" in html
    assert "<b>" not in html


def test_hostile_query_is_escaped(client: TestClient) -> None:
    html = client.get("/search", params={"q": f"{SCRIPT} Zomboid"}).text
    _assert_escaped(html)
