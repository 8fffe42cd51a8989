"""Server-rendered HTML pages. Everything shown is scraped text, so it is autoescaped;
the only markup we add to data is <mark> around search matches, after escaping."""

from __future__ import annotations

import functools
import math
import re
import tempfile
from collections import Counter
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode, urlsplit

from fastapi import APIRouter, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from kabar import service
from kabar.api import charts
from kabar.api.deps import StoreDep, story_query
from kabar.api.security import api_key_matches
from kabar.api.views import coverage_chart, outlet_chart, raw_lines
from kabar.errors import InputError
from kabar.ingest import ReadOptions, ReadResult, read_paths
from kabar.model import Article, RawArticle, Story
from kabar.store.base import DayCount, StorySort

PER_PAGE = 50
LISTED_STORIES = 50  # stories listed on an entity or outlet page (the API pages further)
NAMING_ARTICLES = 20  # articles listed on an entity page
LISTED_QUOTES = 30  # quotes listed on a story or entity page (the API pages further)
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


@functools.lru_cache(maxsize=8_192)
def path_segment(value: str) -> str:
    """Quote an id for use as one URL path segment (memoised: the page of a story of
    2,000 members quotes about 1,900 ids, the same ones each time it is rendered again
    after an add)."""
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


IsoDate = Annotated[str, Query(pattern=r"^(\d{4}(-\d{2}(-\d{2})?)?)?$")]
Name = Annotated[str, Query(max_length=300)]
EXPORT_TYPES = {
    "json": ("application/json", "json"),
    "csv": ("text/csv; charset=utf-8", "csv"),
    "md": ("text/markdown; charset=utf-8", "md"),
    "html": ("text/html; charset=utf-8", "html"),
}
UPLOAD_SUFFIXES = (".txt", ".html", ".htm", ".json", ".jsonl", ".csv", ".tsv", ".warc", ".gz")


ACTIVE_STORIES = 1000  # stories ranked by their articles in a recent period (20 pages)
OverviewPeriod = Annotated[str, Query(pattern="^(today|7d|30d|all)$")]


@router.get("/")
def story_list(
    request: Request,
    store: StoreDep,
    page: PageNo = 1,
    date_from: IsoDate = "",
    date_to: IsoDate = "",
    outlet: Name = "",
    entity: Name = "",
    language: Annotated[str, Query(max_length=20)] = "",
    text: Name = "",
    sort: StorySort = "size",
    period: OverviewPeriod = "all",
) -> HTMLResponse:
    filters = {
        "date_from": date_from,
        "date_to": date_to,
        "outlet": outlet,
        "entity": entity,
        "language": language,
        "text": text,
        "sort": sort,
    }
    filtered = any(v for k, v in filters.items() if k != "sort")
    newest = store.newest_published()
    window = charts.overview_window(newest, period)
    all_total = store.count_stories()
    if window is not None and not filtered:
        # The stories with the most articles in the period (then paged like the others).
        active = store.active_stories(window.first.isoformat(), limit=ACTIVE_STORIES)
        ids = [sid for sid, _n in active][(page - 1) * PER_PAGE : page * PER_PAGE]
        stories = store.story_heads(ids)
        total = len(active)
    else:
        query = story_query(
            date_from or (window.first.isoformat() if window else ""),
            date_to,
            outlet,
            entity,
            language,
            text,
            sort,
        )
        total = store.count_found_stories(query) if filtered or window else all_total
        stories = store.find_stories(query, limit=PER_PAGE, offset=(page - 1) * PER_PAGE).items
    volume = store.story_volume([s.id for s in stories])
    activity = {
        s.id: charts.story_activity(volume.get(s.id, []), s.first_date, window) for s in stories
    }
    sections = [
        (kind, [s for s in stories if activity[s.id].activity == kind])
        for kind in charts.ACTIVITIES
    ]
    query_values = {k: v for k, v in filters.items() if v and not (k == "sort" and v == "size")}
    if period != "all":
        query_values["period"] = period
    return _render(
        request,
        "stories.html",
        stories=stories,
        activity=activity,
        sections=[(kind, items) for kind, items in sections if items] if window else [],
        total=total,
        all_total=all_total,
        page=page,
        pages=_pages(total),
        articles_total=store.count_articles(),
        filters=filters,
        filtered=filtered,
        period=period,
        periods=charts.OVERVIEW_PERIODS,
        window=window,
        newest=newest,
        query=urlencode(query_values),
        base_query=urlencode({k: v for k, v in query_values.items() if k != "period"}),
        outlets=store.outlets(),
        entities=sorted(e.name for e in store.entity_page(limit=500, aliases=False).items),
    )


@router.get("/articles")
def article_list(request: Request, store: StoreDep, page: PageNo = 1) -> HTMLResponse:
    total = store.count_articles()
    articles = store.list_articles(limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
    return _render(
        request, "articles.html", articles=articles, total=total, page=page, pages=_pages(total)
    )


def _story_articles(store: StoreDep, story: Story) -> list[Article]:
    """The story's first members in publication order (one query, not one per article)."""
    return store.story_article_page(story.id, PER_PAGE * 4, brief=True).items


Window = Annotated[
    str, Query(max_length=30, pattern=r"^(\d{4}-\d{2}-\d{2}\.\.\d{4}-\d{2}-\d{2})?$")
]
STORY_ARTICLES = 50  # articles listed on a story page (the API pages further)


@router.get("/stories/{story_id}")
def story_page(
    request: Request, store: StoreDep, story_id: str, window: Window = ""
) -> HTMLResponse:
    # An id prefix works, as in the CLI; members and events are not read (its first
    # members are one page of them, its size is its head's).
    story = service.find_story(store, story_id, members=False)
    heads = store.story_heads([story.id]) if story is not None else []
    if story is None or not heads:
        raise HTTPException(404, "story not found")
    volume = store.story_volume([story.id]).get(story.id, [])
    whole = charts.coverage_window(volume, story.timeline)
    zoom = charts.parse_window(window)
    if zoom and whole and (zoom[1] < whole[0] or zoom[0] > whole[1]):
        zoom = None  # a period outside the story: show the whole story
    if zoom and whole:
        zoom = (max(zoom[0], whole[0]), min(zoom[1], whole[1]))
    wide = charts.story_chart(volume, story.timeline, 900, zoom, markers=8)
    narrow = None
    groups: list[charts.EventGroup] = []
    period: charts.Period = "year"
    options: list[tuple[str, str]] = []
    if wide is not None:
        numbers = {m.index: m.number for m in wide.markers}
        narrow = charts.story_chart(
            volume, story.timeline, 360, zoom, markers=5, variant="narrow", numbers=numbers
        )
        period = charts.group_period(wide.period, wide.first, wide.last)
        groups = charts.event_groups(
            story.timeline, wide.first, wide.last, period, numbers, whole=zoom is None
        )
        if whole is not None:
            whole_chart = wide if zoom is None else None
            unit = charts.group_period(
                whole_chart.period
                if whole_chart
                else charts.choose_period(whole[0], whole[1], int((900 - 16) / 6)),
                whole[0],
                whole[1],
            )
            options = charts.period_options(whole[0], whole[1], unit)
    elif story.timeline:  # no dated article: the entries alone, by date
        groups = charts.event_groups(
            story.timeline, charts.date.min, charts.date.max, "year", whole=True
        )
    outlets: Counter[str] = Counter()
    for row in volume:
        outlets[row.outlet or "unknown"] += row.articles
    articles = store.story_article_page(story.id, STORY_ARTICLES, brief=True).items
    return _render(
        request,
        "story.html",
        story=story,
        size=heads[0].size,
        articles=articles,
        chart=wide,
        narrow=narrow,
        groups=groups,
        group_period=period,
        background=charts.background_group(story.background),
        window=window if zoom else "",
        zoomed=zoom,
        options=options,
        quotes=store.quotes_of_story(story.id, limit=LISTED_QUOTES),
        coverage=outlet_chart(outlets) if outlets else coverage_chart(articles),
    )


@router.get("/articles/{article_id}")
def article_page(request: Request, store: StoreDep, article_id: str) -> HTMLResponse:
    article = store.get_article(article_id)
    if article is None:
        raise HTTPException(404, "article not found")
    stories = store.story_heads(store.stories_of_article(article_id))  # titles, not records
    return _render(
        request, "article.html", article=article, stories=stories, raw=raw_lines(article)
    )


@router.get("/entities/{name}")
def entity_page(request: Request, store: StoreDep, name: str) -> HTMLResponse:
    entity = store.get_entity(name)
    if entity is None:
        raise HTTPException(404, "entity not found")
    query = story_query(entity=entity.name)
    stories = store.find_stories(query, limit=LISTED_STORIES).items
    mentions = [
        (
            article,
            sorted({m.role for m in article.mentions if m.canonical == entity.name and m.role}),
        )
        for article in store.articles_naming(entity, limit=NAMING_ARTICLES)
    ]
    return _render(
        request,
        "entity.html",
        entity=entity,
        volume=_volume_charts(store.entity_volume(entity)),
        stories=stories,
        stories_total=store.count_found_stories(query),
        mentions=mentions,
        quotes=store.quotes_by(entity.name, limit=LISTED_QUOTES),
    )


@router.get("/outlets/{name:path}")  # outlet names may hold "/" ("Kompas.com/Regional")
def outlet_page(request: Request, store: StoreDep, name: str, page: PageNo = 1) -> HTMLResponse:
    total = store.count_articles(outlet=name)
    query = story_query(outlet=name)
    stories = store.find_stories(query, limit=LISTED_STORIES).items
    if not total and not stories:
        raise HTTPException(404, "outlet not found")
    articles = store.list_articles(limit=PER_PAGE, offset=(page - 1) * PER_PAGE, outlet=name)
    return _render(
        request,
        "outlet.html",
        outlet=name,
        volume=_volume_charts(store.outlet_volume(name)),
        total=total,
        articles=articles,
        stories=stories,
        stories_total=store.count_found_stories(query),
        page=page,
        pages=_pages(total),
    )


@router.get("/search")
def search_page(
    request: Request,
    store: StoreDep,
    q: Annotated[str, Query(max_length=500)] = "",
) -> HTMLResponse:
    hits = store.search(q, limit=50) if q.strip() else []
    story_ids = store.stories_of_articles([h.article_id for h in hits])
    heads = {h.id: h for h in store.story_heads([i for ids in story_ids.values() for i in ids])}
    stories_of = {
        h.article_id: [heads[i] for i in story_ids.get(h.article_id, []) if i in heads]
        for h in hits
    }
    return _render(request, "search.html", q=q, hits=hits, stories_of=stories_of)


def _volume_charts(
    volume: list[DayCount],
) -> tuple[charts.StoryChart, charts.StoryChart | None] | None:
    """Articles per period over time, wide and narrow (an outlet's, an entity's)."""
    wide = charts.story_chart(volume, [], 900, markers=0)
    if wide is None:
        return None
    return wide, charts.story_chart(volume, [], 360, markers=0, variant="narrow")


@router.get("/docs")
def api_docs(request: Request) -> HTMLResponse:
    """The REST API reference, rendered from the app's own OpenAPI document (no JS, no CDN)."""
    spec = request.app.openapi()
    operations = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "parameters": [
                        {
                            "name": p["name"],
                            "where": p["in"],
                            "required": p.get("required", False),
                            "schema": _schema_text(p.get("schema", {})),
                            "description": p.get("description", "")
                            or p.get("schema", {}).get("description", ""),
                        }
                        for p in op.get("parameters", [])
                    ],
                    "body": _schema_text(body.get("schema", {})) if body else "",
                    "responses": {
                        code: _schema_text(
                            r.get("content", {}).get("application/json", {}).get("schema", {})
                        )
                        or r.get("description", "")
                        for code, r in op.get("responses", {}).items()
                    },
                }
            )
    schemas = {
        name: [
            (field, _schema_text(prop), field in schema.get("required", []))
            for field, prop in schema.get("properties", {}).items()
        ]
        for name, schema in spec.get("components", {}).get("schemas", {}).items()
    }
    return _render(request, "docs.html", spec=spec, operations=operations, schemas=schemas)


def _schema_text(schema: dict[str, Any]) -> str:
    """A one-line reading of a JSON schema: ``list[StorySummary]``, ``integer 1..500``."""
    if not schema:
        return ""
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " | ".join(_schema_text(s) for s in schema["anyOf"])
    if "enum" in schema:
        return " | ".join(repr(v) for v in schema["enum"])
    kind = str(schema.get("type", "any"))
    if kind == "array":
        text = f"list[{_schema_text(schema.get('items', {}))}]"
    elif kind == "object" and "additionalProperties" in schema:
        text = f"dict[str, {_schema_text(schema['additionalProperties'])}]"
    else:
        text = "null" if kind == "null" else kind
    bounds = [
        f"{key} {schema[key]}"
        for key in (
            "minimum",
            "maximum",
            "minLength",
            "maxLength",
            "minItems",
            "maxItems",
            "pattern",
        )
        if key in schema
    ]
    if "default" in schema:
        bounds.append(f"default {schema['default']!r}")
    return text + (f" ({', '.join(bounds)})" if bounds else "")


@router.get("/export")
def export(
    request: Request,
    store: StoreDep,
    format: Annotated[str, Query(pattern="^(json|csv|md|html)$")] = "json",
    story: Annotated[list[str] | None, Query(max_length=100)] = None,
) -> Response:
    """Download stories (all, or the given ``story`` ids) as JSON, CSV, Markdown or HTML."""
    media_type, suffix = EXPORT_TYPES[format]
    if format == "html":
        stories = service.stories_to_export(store, story)
        text = templates.get_template("report.html").render(
            stories=stories,
            coverage={s.id: coverage_chart(_story_articles(store, s)) for s in stories},
        )
    else:
        text = service.export(store, format, story or None)
    name = f"kabar-{story[0][:16] if story and len(story) == 1 else 'stories'}.{suffix}"
    safe_name = re.sub(r"[^A-Za-z0-9._-]", "_", name)
    return Response(
        text,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{safe_name}"'},
    )


@router.get("/upload")
def upload_form(request: Request) -> HTMLResponse:
    return _render(request, "upload.html", needs_key=bool(request.app.state.api_key), report=None)


@router.post("/upload")
def upload(
    request: Request,
    store: StoreDep,
    files: Annotated[list[UploadFile] | None, File(description="article files")] = None,
    text: Annotated[str, Form(max_length=5_000_000)] = "",
    title: Annotated[str, Form(max_length=2000)] = "",
    outlet: Annotated[str, Form(max_length=300)] = "",
    url: Annotated[str, Form(max_length=4000)] = "",
    published: Annotated[str, Form(max_length=100)] = "",
    api_key: Annotated[str, Form(max_length=500)] = "",
) -> HTMLResponse:
    """Ingest uploaded files (any format ``kabar ingest`` reads) and/or one pasted article."""
    needs_key = bool(request.app.state.api_key)
    if not api_key_matches(request.app.state.api_key, api_key):
        return _render(
            request,
            "upload.html",
            status_code=401,
            needs_key=needs_key,
            report=None,
            problem="Wrong or missing API key.",
        )
    inputs: list[ReadResult] = []
    if text.strip():
        inputs.append(
            RawArticle(
                text=text,
                source="pasted text",
                title=title or None,
                outlet=outlet or None,
                url=url or None,
                published=published or None,
            )
        )
    with tempfile.TemporaryDirectory(prefix="kabar-upload-") as folder:
        paths: list[Path] = []
        names: dict[str, str] = {}
        for k, upload in enumerate(files or []):
            if not upload.filename:
                continue
            original = Path(upload.filename).name
            suffix = "".join(Path(original).suffixes[-2:]).lower()
            if not suffix.endswith(UPLOAD_SUFFIXES):
                inputs.append(
                    InputError(
                        original,
                        "unsupported file type",
                        "upload .txt, .html, .json(l), .csv or .warc",
                    )
                )
                continue
            # Our own file name: the uploaded one is only kept for messages.
            path = Path(folder) / f"{k:03d}{suffix}"
            path.write_bytes(upload.file.read())
            paths.append(path)
            names[str(path)] = original
        for item in read_paths(paths, ReadOptions()):
            if isinstance(item, RawArticle):
                item.source = _rename(item.source, names)
            else:
                item = InputError(_rename(item.source, names), item.problem, item.fix)
            inputs.append(item)
        if not inputs:
            return _render(
                request,
                "upload.html",
                status_code=422,
                needs_key=needs_key,
                report=None,
                problem="Choose a file or paste an article text.",
            )
        report = request.app.state.ingester.ingest(store, inputs)
    added = [a for a in (store.get_article(i) for i in report.added) if a]
    story_ids = sorted({sid for a in added for sid in store.stories_of_article(a.id)})
    stories = [s for s in (store.get_story(i) for i in story_ids) if s]
    return _render(
        request,
        "upload.html",
        status_code=200 if added or report.existing else 422,
        needs_key=needs_key,
        report=report,
        added=added,
        stories=stories,
    )


def _rename(source: str, names: dict[str, str]) -> str:
    """Show the uploaded file's own name in messages, not our temporary path."""
    for temp, original in names.items():
        if source.startswith(temp):
            return original + source[len(temp) :]
    return source
