"""Follows and their alerts in the store (``kabar follow``, ``kabar alerts``).

Two tables, the same SQL for SQLite and PostgreSQL (one migration each dialect appends,
:data:`FOLLOWS_MIGRATION`):

* ``follows``: one row per follow (entity, outlet or query), with its optional webhook and
  the secret that signs what is sent to it;
* ``alerts``: one row per (follow, event), ever: the primary key is a hash of the two and
  inserts skip a known one, so no re-ingest, retry or second process records an event
  twice. Each row carries its webhook delivery state (``none``, ``pending``,
  ``delivered``, ``failed``), the attempts made, when to try next and a claim, so a
  delivered alert is never sent again, even after a restart, and two dispatchers never
  send the same one at once.
"""

from __future__ import annotations

import abc
import json
import secrets
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from kabar.model import Alert, Follow, FollowKind
from kabar.store.access import SQLAccess

FOLLOWS_MIGRATION = """
CREATE TABLE follows (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('entity', 'outlet', 'query')),
    value TEXT NOT NULL,
    webhook TEXT,
    secret TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE alerts (
    id TEXT PRIMARY KEY,
    follow_id TEXT NOT NULL REFERENCES follows (id) ON DELETE CASCADE,
    event_id TEXT NOT NULL,
    story_id TEXT NOT NULL,
    data TEXT NOT NULL,
    created_at TEXT NOT NULL,
    delivery TEXT NOT NULL CHECK (delivery IN ('none', 'pending', 'delivered', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_try TEXT,
    claim TEXT,
    last_error TEXT,
    delivered_at TEXT,
    UNIQUE (follow_id, event_id)
);
CREATE INDEX alerts_follow ON alerts (follow_id, created_at);
CREATE INDEX alerts_due ON alerts (delivery, next_try);
"""
"""The migration both dialects append (types and syntax common to both)."""


def now() -> datetime:
    return datetime.now(UTC)


def stamp(moment: datetime) -> str:
    """ISO UTC with microseconds: string order is time order."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


class FollowRecords(abc.ABC):
    """Follows and alerts (see the module docstring)."""

    @abc.abstractmethod
    def add_follow(self, kind: FollowKind, value: str, webhook: str | None = None) -> Follow:
        """Save a follow (a new id and webhook secret); returns it, secret included."""

    @abc.abstractmethod
    def entity_named(self, spelling: str) -> str | None:
        """The canonical name of the entity most often written ``spelling`` ("Putin" →
        "Vladimir Putin"; case-insensitive), None when no article writes it. Reads the
        spellings table through (no index on spellings: a follow is made rarely, an
        index would cost every ingest)."""

    @abc.abstractmethod
    def list_follows(self) -> list[Follow]:
        """Every follow, oldest first (secrets included: callers show them only once)."""

    @abc.abstractmethod
    def get_follow(self, follow_id: str) -> Follow | None: ...

    @abc.abstractmethod
    def remove_follow(self, follow_id: str) -> bool:
        """Delete a follow and its alerts; False when there was none."""

    @abc.abstractmethod
    def record_alerts(self, alerts: Iterable[Alert]) -> list[Alert]:
        """Record alerts not recorded before (per follow and event; a follow deleted
        meanwhile is skipped); returns the new ones, with their delivery state."""

    @abc.abstractmethod
    def list_alerts(
        self, follow_id: str | None = None, limit: int = 50, offset: int = 0
    ) -> list[Alert]:
        """Alerts, newest first (of one follow, or of all)."""

    @abc.abstractmethod
    def count_alerts(self, follow_id: str | None = None, delivery: str | None = None) -> int: ...

    @abc.abstractmethod
    def claim_alerts(self, limit: int = 20, lease: float = 60.0) -> list[tuple[Follow, Alert]]:
        """Up to ``limit`` alerts due for webhook delivery, claimed for ``lease`` seconds
        (another dispatcher skips them until then), with their follows."""

    @abc.abstractmethod
    def next_delivery(self) -> str | None:
        """When the earliest pending alert is due (ISO time), None when none is."""

    @abc.abstractmethod
    def finish_delivery(
        self,
        follow_id: str,
        event_id: str,
        delivered: bool,
        error: str | None = None,
        retry_in: float | None = None,
    ) -> None:
        """Record an attempt: delivered, or failed with ``error`` and tried again in
        ``retry_in`` seconds (None: given up)."""


class SQLFollowRecords(FollowRecords, SQLAccess):
    """:class:`FollowRecords` in the shared SQL of :class:`kabar.store.sql.SQLStore`."""

    _FOLLOW_COLUMNS = "id, kind, value, webhook, secret, created_at"
    _ALERT_COLUMNS = (
        "id, follow_id, event_id, story_id, data, created_at, delivery, attempts, last_error"
    )

    def add_follow(self, kind: FollowKind, value: str, webhook: str | None = None) -> Follow:
        follow = Follow(
            id=secrets.token_hex(8),
            kind=kind,
            value=value,
            created_at=stamp(now()),
            webhook=webhook or None,
            secret=secrets.token_hex(32),
        )
        with self._write() as tx:
            self._exec(
                tx,
                f"INSERT INTO follows ({self._FOLLOW_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    follow.id,
                    follow.kind,
                    follow.value,
                    follow.webhook,
                    follow.secret,
                    follow.created_at,
                ),
            )
        return follow

    def entity_named(self, spelling: str) -> str | None:
        rows = self._query(
            "SELECT name, sum(articles) AS n FROM entity_aliases WHERE lower(alias) = lower(?)"
            " GROUP BY name ORDER BY n DESC, name LIMIT 1",
            (spelling,),
        )
        return str(rows[0]["name"]) if rows else None

    def list_follows(self) -> list[Follow]:
        rows = self._query(f"SELECT {self._FOLLOW_COLUMNS} FROM follows ORDER BY created_at, id")
        return [_follow(row) for row in rows]

    def get_follow(self, follow_id: str) -> Follow | None:
        rows = self._query(f"SELECT {self._FOLLOW_COLUMNS} FROM follows WHERE id = ?", (follow_id,))
        return _follow(rows[0]) if rows else None

    def remove_follow(self, follow_id: str) -> bool:
        if self.get_follow(follow_id) is None:
            return False
        with self._write() as tx:
            self._exec(tx, "DELETE FROM alerts WHERE follow_id = ?", (follow_id,))
            self._exec(tx, "DELETE FROM follows WHERE id = ?", (follow_id,))
        return True

    def record_alerts(self, alerts: Iterable[Alert]) -> list[Alert]:
        from kabar.follows import alert_id

        wanted = {alert_id(a.follow_id, a.event_id): a for a in alerts}
        if not wanted:
            return []
        created = stamp(now())
        with self._write() as tx:
            hooks = {
                row["id"]: row["webhook"]
                for row in self._query("SELECT id, webhook FROM follows", ())
            }
            known = set()
            ids = list(wanted)
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                marks = ", ".join("?" for _ in chunk)
                known |= {
                    row["id"]
                    for row in self._query(f"SELECT id FROM alerts WHERE id IN ({marks})", chunk)
                }
            fresh: list[Alert] = []
            for aid, alert in wanted.items():
                if aid in known or alert.follow_id not in hooks:
                    continue
                alert.created_at = created
                alert.delivery = "pending" if hooks[alert.follow_id] else "none"
                alert.attempts, alert.last_error = 0, None
                fresh.append(alert)
            self._execmany(
                tx,
                f"INSERT INTO alerts ({self._ALERT_COLUMNS}, next_try)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, 0, NULL, ?) ON CONFLICT DO NOTHING",
                [
                    (
                        alert_id(a.follow_id, a.event_id),
                        a.follow_id,
                        a.event_id,
                        a.story_id,
                        json.dumps(_alert_data(a), ensure_ascii=False),
                        a.created_at,
                        a.delivery,
                        a.created_at if a.delivery == "pending" else None,
                    )
                    for a in fresh
                ],
            )
        return fresh

    def list_alerts(
        self, follow_id: str | None = None, limit: int = 50, offset: int = 0
    ) -> list[Alert]:
        where, params = ("WHERE follow_id = ?", [follow_id]) if follow_id else ("", [])
        rows = self._query(
            f"SELECT {self._ALERT_COLUMNS} FROM alerts {where}"
            " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?",
            [*params, max(0, int(limit)), max(0, int(offset))],
        )
        return [_alert(row) for row in rows]

    def count_alerts(self, follow_id: str | None = None, delivery: str | None = None) -> int:
        clauses, params = [], []
        if follow_id:
            clauses.append("follow_id = ?")
            params.append(follow_id)
        if delivery:
            clauses.append("delivery = ?")
            params.append(delivery)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        return int(self._query(f"SELECT count(*) AS n FROM alerts {where}", params)[0]["n"])

    def claim_alerts(self, limit: int = 20, lease: float = 60.0) -> list[tuple[Follow, Alert]]:
        moment = now()
        token = secrets.token_hex(8)
        with self._write() as tx:
            # The WHERE is checked again on each row as it is updated (PostgreSQL re-reads
            # a row another transaction changed): a row claimed meanwhile is not taken.
            self._exec(
                tx,
                "UPDATE alerts SET claim = ?, next_try = ? WHERE delivery = 'pending'"
                " AND next_try <= ? AND id IN (SELECT id FROM alerts"
                " WHERE delivery = 'pending' AND next_try <= ? ORDER BY next_try, id LIMIT ?)",
                (
                    token,
                    stamp(moment + timedelta(seconds=lease)),
                    stamp(moment),
                    stamp(moment),
                    max(0, int(limit)),
                ),
            )
        rows = self._query(
            f"SELECT {', '.join('a.' + c.strip() for c in self._ALERT_COLUMNS.split(','))},"
            " f.kind, f.value, f.webhook, f.secret, f.created_at AS follow_created"
            " FROM alerts AS a JOIN follows AS f ON f.id = a.follow_id"
            " WHERE a.claim = ? ORDER BY a.created_at, a.id",
            (token,),
        )
        return [
            (
                Follow(
                    id=row["follow_id"],
                    kind=row["kind"],
                    value=row["value"],
                    created_at=row["follow_created"],
                    webhook=row["webhook"],
                    secret=row["secret"],
                ),
                _alert(row),
            )
            for row in rows
        ]

    def next_delivery(self) -> str | None:
        rows = self._query("SELECT min(next_try) AS due FROM alerts WHERE delivery = 'pending'", ())
        due: str | None = rows[0]["due"] if rows else None
        return due

    def finish_delivery(
        self,
        follow_id: str,
        event_id: str,
        delivered: bool,
        error: str | None = None,
        retry_in: float | None = None,
    ) -> None:
        from kabar.follows import alert_id

        moment = now()
        if delivered:
            state, next_try = "delivered", None
        elif retry_in is not None:
            state, next_try = "pending", stamp(moment + timedelta(seconds=retry_in))
        else:
            state, next_try = "failed", None
        with self._write() as tx:
            self._exec(
                tx,
                "UPDATE alerts SET delivery = ?, attempts = attempts + 1, next_try = ?,"
                " claim = NULL, last_error = ?, delivered_at = ? WHERE id = ?",
                (
                    state,
                    next_try,
                    None if delivered else (error or "failed")[:500],
                    stamp(moment) if delivered else None,
                    alert_id(follow_id, event_id),
                ),
            )


def _alert_data(alert: Alert) -> dict[str, Any]:
    return {
        "title": alert.title,
        "article_ids": alert.article_ids,
        "published": alert.published,
        "outlets": alert.outlets,
        "new_story": alert.new_story,
    }


def _follow(row: Any) -> Follow:
    return Follow(
        id=row["id"],
        kind=row["kind"],
        value=row["value"],
        created_at=row["created_at"],
        webhook=row["webhook"],
        secret=row["secret"],
    )


def _alert(row: Any) -> Alert:
    data = json.loads(row["data"])
    return Alert(
        follow_id=row["follow_id"],
        event_id=row["event_id"],
        story_id=row["story_id"],
        title=data["title"],
        article_ids=list(data["article_ids"]),
        published=data["published"],
        outlets=list(data["outlets"]),
        new_story=bool(data["new_story"]),
        created_at=row["created_at"],
        delivery=row["delivery"],
        attempts=int(row["attempts"]),
        last_error=row["last_error"],
    )
