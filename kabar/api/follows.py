"""Follows and alerts over HTTP: JSON under ``/api/v1/follows``, an Atom feed per follow,
and the ``/follows`` pages (a form to add one, each follow's alerts). Thin: the checks are
:func:`kabar.service.add_follow`'s, the SQL the store's, the feed :mod:`kabar.follows`'."""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from kabar import service
from kabar.api.deps import StoreDep, WriteKey
from kabar.api.pages import _render
from kabar.api.schemas import ErrorOut
from kabar.api.security import api_key_matches
from kabar.follows import atom_feed, describe
from kabar.model import Alert, Follow
from kabar.store import Store
from kabar.store.follows import now, stamp

api_router = APIRouter(tags=["follows"])
page_router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)

FollowId = Annotated[str, Path(max_length=64)]
FEED_ALERTS = 50
NOT_FOUND: dict[int | str, dict[str, object]] = {404: {"model": ErrorOut}}


class FollowIn(BaseModel):
    kind: Literal["entity", "outlet", "query"]
    value: str = Field(min_length=1, max_length=service.MAX_FOLLOW_VALUE)
    """An entity (resolved to its canonical name when stored), an outlet, or a query."""
    webhook: str | None = Field(default=None, max_length=2000)
    """POST each alert as JSON here, signed with ``X-Kabar-Signature: sha256=<HMAC>``."""


class FollowOut(BaseModel):
    id: str
    kind: str
    value: str
    webhook: str | None = None
    """Scheme and host only (the rest may be a credential); in full on creation."""
    created_at: str
    alerts: int = 0
    feed: str
    known: bool | None = None
    """On creation: whether the store knows the entity or outlet yet."""
    secret: str | None = None
    """On creation only, when there is a webhook: the key of its HMAC-SHA256 signatures."""

    @classmethod
    def of(cls, follow: Follow, alerts: int = 0) -> FollowOut:
        return cls(
            id=follow.id,
            kind=follow.kind,
            value=follow.value,
            webhook=webhook_shown(follow.webhook),
            created_at=follow.created_at,
            alerts=alerts,
            feed=f"/api/v1/follows/{follow.id}/alerts.atom",
        )


class AlertOut(BaseModel):
    follow_id: str
    event_id: str
    story_id: str
    title: str
    article_ids: list[str]
    published: str | None = None
    outlets: list[str]
    new_story: bool
    created_at: str
    delivery: str
    attempts: int
    last_error: str | None = None

    @classmethod
    def of(cls, alert: Alert) -> AlertOut:
        return cls(**{name: getattr(alert, name) for name in cls.model_fields})


def webhook_shown(url: str | None) -> str | None:
    """A webhook as listed to anyone who can read: its scheme and host only (the path of
    a chat webhook is often its credential)."""
    if not url:
        return None
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}/…" if parts.hostname else "set"


def _follow(store: Store, follow_id: str) -> Follow:
    follow = store.get_follow(follow_id)
    if follow is None:
        raise HTTPException(404, "follow not found")
    return follow


@api_router.get("/follows")
def list_follows(store: StoreDep) -> list[FollowOut]:
    """Every follow, oldest first, with its number of alerts (secrets are never listed)."""
    return [FollowOut.of(f, store.count_alerts(f.id)) for f in store.list_follows()]


@api_router.post(
    "/follows",
    status_code=201,
    dependencies=[WriteKey],
    responses={401: {"model": ErrorOut}, 422: {"model": ErrorOut}},
)
def add_follow(store: StoreDep, follow: FollowIn) -> FollowOut:
    """Follow an entity, outlet or query: each new event that matches becomes one alert
    (feed, and webhook when given). The webhook secret is shown in this answer only."""
    try:
        saved, known = service.add_follow(store, follow.kind, follow.value, follow.webhook)
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from exc
    out = FollowOut.of(saved)
    out.webhook = saved.webhook
    out.known = known
    out.secret = saved.secret if saved.webhook else None
    return out


@api_router.get("/follows/{follow_id}", responses=NOT_FOUND)
def get_follow(store: StoreDep, follow_id: FollowId) -> FollowOut:
    follow = _follow(store, follow_id)
    return FollowOut.of(follow, store.count_alerts(follow.id))


@api_router.delete(
    "/follows/{follow_id}", status_code=204, dependencies=[WriteKey], responses=NOT_FOUND
)
def remove_follow(store: StoreDep, follow_id: FollowId) -> Response:
    """Stop following; the follow's alerts are deleted."""
    if not store.remove_follow(follow_id):
        raise HTTPException(404, "follow not found")
    return Response(status_code=204)


@api_router.get("/follows/{follow_id}/alerts", responses=NOT_FOUND)
def follow_alerts(
    store: StoreDep,
    follow_id: FollowId,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> list[AlertOut]:
    """The follow's alerts, newest first, with their webhook delivery state."""
    follow = _follow(store, follow_id)
    return [AlertOut.of(a) for a in store.list_alerts(follow.id, limit, offset)]


@api_router.get(
    "/follows/{follow_id}/alerts.atom",
    responses={200: {"content": {"application/atom+xml": {}}}, **NOT_FOUND},
    response_class=Response,
)
def follow_feed(request: Request, store: StoreDep, follow_id: FollowId) -> Response:
    """The follow's latest alerts as an Atom feed (for any feed reader)."""
    follow = _follow(store, follow_id)
    alerts = store.list_alerts(follow.id, FEED_ALERTS)
    body = atom_feed(follow, alerts, str(request.base_url), follow.created_at or stamp(now()))
    return Response(body, media_type="application/atom+xml; charset=utf-8")


# -- pages -----------------------------------------------------------------------------


@page_router.get("/follows")
def follows_page(
    request: Request,
    store: StoreDep,
    kind: Annotated[Literal["entity", "outlet", "query"], Query()] = "entity",
    value: Annotated[str, Query(max_length=service.MAX_FOLLOW_VALUE)] = "",
) -> HTMLResponse:
    """The follows and the form (``?kind=entity&value=NAME`` fills it in: the entity
    page links here)."""
    return _follows_page(request, store, kind=kind, value=value)


def _follows_page(
    request: Request,
    store: Store,
    status_code: int = 200,
    problem: str | None = None,
    created: Follow | None = None,
    known: bool = True,
    kind: str = "entity",
    value: str = "",
) -> HTMLResponse:
    follows = store.list_follows()
    return _render(
        request,
        "follows.html",
        status_code=status_code,
        follows=[(f, store.count_alerts(f.id)) for f in follows],
        needs_key=bool(request.app.state.api_key),
        problem=problem,
        created=created,
        known=known,
        describe=describe,
        hook=webhook_shown,
        kind=kind,
        value=value,
    )


@page_router.post("/follows")
def add_follow_form(
    request: Request,
    store: StoreDep,
    kind: Annotated[str, Form(max_length=20)] = "entity",
    value: Annotated[str, Form(max_length=service.MAX_FOLLOW_VALUE)] = "",
    webhook: Annotated[str, Form(max_length=2000)] = "",
    api_key: Annotated[str, Form(max_length=500)] = "",
) -> HTMLResponse:
    """The form's follow: the same checks as the API's."""
    if not api_key_matches(request.app.state.api_key, api_key):
        return _follows_page(request, store, 401, "Wrong or missing API key.")
    try:
        follow, known = service.add_follow(store, kind, value, webhook or None)
    except ValueError as exc:
        return _follows_page(request, store, 422, str(exc))
    return _follows_page(request, store, 201, created=follow, known=known)


@page_router.get("/follows/{follow_id}")
def follow_page(request: Request, store: StoreDep, follow_id: FollowId) -> HTMLResponse:
    follow = _follow(store, follow_id)
    return _render(
        request,
        "follow.html",
        follow=follow,
        title=describe(follow),
        alerts=store.list_alerts(follow.id, 100),
        total=store.count_alerts(follow.id),
        needs_key=bool(request.app.state.api_key),
        hook=webhook_shown(follow.webhook),
    )


@page_router.post("/follows/{follow_id}/delete", response_model=None)
def remove_follow_form(
    request: Request,
    store: StoreDep,
    follow_id: FollowId,
    api_key: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    if not api_key_matches(request.app.state.api_key, api_key):
        raise HTTPException(401, "wrong or missing API key")
    if not store.remove_follow(follow_id):
        raise HTTPException(404, "follow not found")
    return RedirectResponse("/follows", status_code=303)
