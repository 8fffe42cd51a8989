"""Webhook delivery of alerts, after the ingest that recorded them has committed.

An ingest only records alerts (:mod:`kabar.store.follows`, state ``pending`` when the follow
has a webhook); this module sends them, so a slow or dead receiver never holds an ingest.
Each attempt claims a few due alerts in the store (a lease: another dispatcher skips them),
POSTs each one's JSON with an HMAC-SHA256 signature header (:func:`kabar.follows.sign`),
and records the outcome: delivered (never sent again, even after a restart), tried again
after a growing delay (:data:`BACKOFF`: timeouts, connection errors, 5xx, 408, 429), or
given up (another 4xx, or every retry spent).

:func:`deliver_due` is one pass (``kabar alerts --deliver``), :func:`deliver` passes until
nothing is due or a time budget is spent (after ``kabar ingest``), :class:`Dispatcher` a
thread the server wakes after each ingest.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

import httpx

from kabar import __version__
from kabar.follows import SIGNATURE_HEADER, alert_id, sign, webhook_body
from kabar.model import Alert, Follow
from kabar.store import Store

BACKOFF: tuple[float, ...] = (2.0, 10.0, 60.0, 300.0, 1800.0, 7200.0)
"""Seconds before each retry: after the last one fails, the alert is given up."""
TIMEOUT = 10.0
_RETRY_STATUS = {408, 425, 429}


@dataclass
class DeliveryReport:
    delivered: int = 0
    retrying: int = 0
    failed: int = 0


def post_alert(
    client: httpx.Client, follow: Follow, alert: Alert, base_url: str | None = None
) -> tuple[bool, bool, str | None]:
    """One attempt: (delivered, worth retrying, problem)."""
    assert follow.webhook
    body = webhook_body(follow, alert, base_url)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": f"kabar/{__version__}",
        SIGNATURE_HEADER: sign(follow.secret, body),
        "X-Kabar-Delivery": alert_id(alert.follow_id, alert.event_id),
    }
    try:
        answer = client.post(follow.webhook, content=body, headers=headers)
    except httpx.HTTPError as exc:
        return False, True, f"{type(exc).__name__}: {exc}"
    if 200 <= answer.status_code < 300:
        return True, False, None
    retry = answer.status_code >= 500 or answer.status_code in _RETRY_STATUS
    return False, retry, f"HTTP {answer.status_code}"


def deliver_due(
    store: Store,
    client: httpx.Client | None = None,
    base_url: str | None = None,
    backoff: Sequence[float] = BACKOFF,
    timeout: float = TIMEOUT,
    limit: int = 20,
) -> DeliveryReport:
    """Send every alert due now (a pass; claimed ``limit`` at a time)."""
    report = DeliveryReport()
    due = _until(store.next_delivery())
    if due is None or due > 0:
        return report  # a read, not a claim (a write): the idle server writes nothing
    own = client is None
    http = client or httpx.Client(timeout=timeout, follow_redirects=False)
    try:
        while True:
            claimed = store.claim_alerts(limit, lease=timeout * 2 + 5)
            if not claimed:
                return report
            for follow, alert in claimed:
                ok, retry, problem = post_alert(http, follow, alert, base_url)
                again = None
                if not ok and retry and alert.attempts < len(backoff):
                    again = backoff[alert.attempts]
                store.finish_delivery(follow.id, alert.event_id, ok, problem, again)
                if ok:
                    report.delivered += 1
                elif again is not None:
                    report.retrying += 1
                else:
                    report.failed += 1
    finally:
        if own:
            http.close()


def deliver(
    store: Store,
    budget: float = 10.0,
    base_url: str | None = None,
    backoff: Sequence[float] = BACKOFF,
    timeout: float = TIMEOUT,
) -> DeliveryReport:
    """Passes of :func:`deliver_due` until nothing is due within ``budget`` seconds (what
    is left stays pending for the next run or the server's dispatcher)."""
    end = time.monotonic() + budget
    total = DeliveryReport()
    with httpx.Client(timeout=timeout, follow_redirects=False) as client:
        while True:
            done = deliver_due(store, client, base_url, backoff, timeout)
            total.delivered += done.delivered
            total.failed += done.failed
            wait = _until(store.next_delivery())
            if wait is None or time.monotonic() + wait > end:
                total.retrying = store.count_alerts(delivery="pending")
                return total
            time.sleep(max(0.0, wait))


def _until(moment: str | None) -> float | None:
    """Seconds until an ISO time (None: never)."""
    if moment is None:
        return None
    return (datetime.fromisoformat(moment) - datetime.now().astimezone()).total_seconds()


class Dispatcher:
    """A thread that delivers due alerts: woken after each ingest, and every ``poll``
    seconds for retries. Problems never reach the caller (``on_error`` hears them)."""

    def __init__(
        self,
        open_store: Callable[[], Store],
        base_url: str | None = None,
        backoff: Sequence[float] = BACKOFF,
        poll: float = 2.0,
        timeout: float = TIMEOUT,
        on_error: Callable[[Exception], None] | None = None,
    ) -> None:
        self._open_store = open_store
        self.base_url = base_url
        self.backoff = backoff
        self.poll = poll
        self.timeout = timeout
        self.on_error = on_error
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="kabar-alerts", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        store = self._open_store()
        try:
            with httpx.Client(timeout=self.timeout, follow_redirects=False) as client:
                while not self._stop.is_set():
                    try:
                        deliver_due(store, client, self.base_url, self.backoff, self.timeout)
                    except Exception as exc:  # the server stays up; the next round retries
                        if self.on_error is not None:
                            self.on_error(exc)
                    self._wake.wait(self.poll)
                    self._wake.clear()
        finally:
            store.close()
