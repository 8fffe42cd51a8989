"""Server-rendered HTML pages. Everything shown is scraped text, so it is autoescaped;
the only markup we add to data is <mark> around search matches, after escaping."""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from kabar.api.deps import StoreDep
from kabar.model import Article

PER_PAGE = 50
_MARKED = re.compile(r"\[\[(.*?)\]\]", re.DOTALL)


def highlight(snippet: str) -> Markup:
    """Escape the snippet first, then turn ``[[match]]`` into ``<mark>match</mark>``."""
    escaped = str(escape(snippet))
    return Markup(_MARKED.sub(r"<mark>\1</mark>", escaped))


def safe_url(url: str | None) -> str | None:
    """The URL if it is plain http(s); never a javascript:/data: link from scraped data."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def path_segment(value: str) -> str:
    """Quote an id for use as one URL path segment."""
    return quote(value, safe="")


_env = Environment(
    loader=FileSystemLoader(Path(__file__).resolve().parent / "templates"),
    autoescape=True,  # always, whatever the template's extension
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.filters["highlight"] = highlight
_env.filters["safe_url"] = safe_url
_env.filters["seg"] = path_segment
templates = Jinja2Templates(env=_env)

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
PageNo = Annotated[int, Query(ge=1, le=100_000)]


def _render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def error_page(request: Request, status_code: int, message: str) -> HTMLResponse:
    """An HTML error page (used by the app's HTTPException handler for non-API paths)."""
    return _render(request, "error.html", status_code, status=status_code, message=message)


def _pages(total: int) -> int:
    return max(1, math.ceil(total / PER_PAGE))


@router.get("/")
def story_list(request: Request, store: StoreDep, page: PageNo = 1) -> HTMLResponse:
    total = store.count_stories()
    stories = store.list_stories(limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
    return _render(
        request,
        "stories.html",
        stories=stories,
        total=total,
        page=page,
        pages=_pages(total),
        articles_total=store.count_articles(),
    )


@router.get("/articles")
def article_list(request: Request, store: StoreDep, page: PageNo = 1) -> HTMLResponse:
    total = store.count_articles()
    articles = store.list_articles(limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
    return _render(
        request, "articles.html", articles=articles, total=total, page=page, pages=_pages(total)
    )


@router.get("/stories/{story_id}")
def story_page(request: Request, store: StoreDep, story_id: str) -> HTMLResponse:
    story = store.get_story(story_id)
    if story is None:
        raise HTTPException(404, "story not found")
    articles: list[Article] = [
        a for a in (store.get_article(i) for i in story.article_ids[: PER_PAGE * 4]) if a
    ]
    return _render(request, "story.html", story=story, articles=articles)


@router.get("/articles/{article_id}")
def article_page(request: Request, store: StoreDep, article_id: str) -> HTMLResponse:
    article = store.get_article(article_id)
    if article is None:
        raise HTTPException(404, "article not found")
    stories = [s for s in (store.get_story(i) for i in store.stories_of_article(article_id)) if s]
    return _render(request, "article.html", article=article, stories=stories)


@router.get("/search")
def search_page(
    request: Request,
    store: StoreDep,
    q: Annotated[str, Query(max_length=500)] = "",
) -> HTMLResponse:
    hits = store.search(q, limit=50) if q.strip() else []
    return _render(request, "search.html", q=q, hits=hits)
