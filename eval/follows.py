"""Follows: exactly one alert per new matching event, across incremental ingests.

Timeline17 dev topics (and the seeds) are ingested in publication order, in batches; after
the first batch, follows are saved (entities resolved from the store, with a webhook to a
real local receiver). After each batch the script counts, from the store alone, the events
the batch created (none of their articles stored before) that match each follow, and
compares them with the alerts recorded and the signed POSTs the receiver accepted; each
batch is then sent again (nothing may be recorded or sent twice).

    PYTHONPATH=. .venv/bin/python eval/follows.py [--batches 6] [--per-topic 60]

Prints one row per batch and a total: expected alerts, recorded, delivered, missing, extra,
duplicates (all three of the last must be 0).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from kabar import service
from kabar.follows import SIGNATURE_HEADER, Matcher, verify
from kabar.follows.deliver import deliver
from kabar.ingest import read_path
from kabar.model import Follow, RawArticle
from kabar.store import Store, open_store

ROOT = Path(__file__).resolve().parent.parent
T17 = ROOT.parent / "shared" / "data" / "t17-dev"
TOPICS = ("MJ_bbc", "H1N1_bbc", "bpoil_bbc", "haiti_bbc")
FOLLOWS = [
    ("entity", "Conrad Murray"),
    ("entity", "BP"),
    ("entity", "Barack Obama"),
    ("query", "swine flu"),
    ("outlet", "Tempo"),
]


class Receiver:
    def __init__(self) -> None:
        self.bodies: list[tuple[str, bytes]] = []
        received = self.bodies

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                received.append((self.headers[SIGNATURE_HEADER], body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"


def corpus(per_topic: int) -> list[RawArticle]:
    raws: list[RawArticle] = []
    for topic in TOPICS:
        found = [r for r in read_path(T17 / topic / "articles.jsonl") if isinstance(r, RawArticle)]
        found.sort(key=lambda r: (r.published or "", r.source))
        raws += found[:per_topic]
    raws += [r for r in read_path(ROOT / "examples" / "seeds") if isinstance(r, RawArticle)]
    raws.sort(key=lambda r: (r.published or "", r.source))
    return raws


def events(store: Store) -> dict[str, list[str]]:
    return {e.id: e.article_ids for s in store.iter_stories() for e in s.events if e.article_ids}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batches", type=int, default=6)
    parser.add_argument("--per-topic", type=int, default=60)
    args = parser.parse_args()
    if not T17.is_dir():
        print(f"needs {T17}", file=sys.stderr)
        return 2
    raws = corpus(args.per_topic)
    size = -(-len(raws) // args.batches)
    batches = [raws[k : k + size] for k in range(0, len(raws), size)]
    receiver = Receiver()
    with tempfile.TemporaryDirectory() as folder, open_store(Path(folder) / "k.db") as store:
        service.ingest(store, batches[0])
        made = [service.add_follow(store, kind, value, receiver.url) for kind, value in FOLLOWS]
        follows: list[Follow] = [f for f, _known in made]
        secrets = {f.id: f.secret for f in follows}
        matcher = Matcher(follows)
        print(f"{len(raws)} articles in {len(batches)} batches; follows after batch 1:")
        for f, known in made:
            print(f"  {f.kind} {f.value}" + ("" if known else " (not in the store yet)"))
        header = "batch  added  new events  expected  recorded  delivered  missing  extra  dup  s"
        print(header)
        totals = [0] * 7
        seen: set[tuple[str, str]] = set()
        for k, batch in enumerate(batches[1:], start=2):
            before = events(store)
            started = time.perf_counter()
            added = set(service.ingest(store, batch).added)
            deliver(store, budget=10)
            seconds = time.perf_counter() - started
            fresh = {e: ids for e, ids in events(store).items() if e not in before}
            fresh = {e: ids for e, ids in fresh.items() if set(ids) <= added}
            expected: set[tuple[str, str]] = set()
            for eid, ids in fresh.items():
                for aid in ids:
                    article = store.get_article(aid)
                    assert article is not None
                    expected |= {(fid, eid) for fid in matcher.match(article)}
            recorded = {(a.follow_id, a.event_id) for a in store.list_alerts(limit=100_000)}
            new = recorded - seen
            service.ingest(store, batch)  # sent again: nothing new may come of it
            deliver(store, budget=1)
            posted = []
            for header_value, body in receiver.bodies:
                data = json.loads(body)
                fid = data["follow"]["id"]
                assert verify(secrets[fid], body, header_value), "bad signature"
                posted.append((fid, data["event_id"]))
            delivered = len(posted) - totals[4]
            dup = len(posted) - len(set(posted))
            row = [
                len(added),
                len(fresh),
                len(expected),
                len(new),
                delivered,
                len(expected - new),
                len(new - expected) + (len(recorded) - len(seen) - len(new)),
            ]
            print(
                f"{k:>5}  {row[0]:>5}  {row[1]:>10}  {row[2]:>8}  {row[3]:>8}  {row[4]:>9}"
                f"  {row[5]:>7}  {row[6]:>5}  {dup:>3}  {seconds:.0f}"
            )
            totals = [t + r for t, r in zip(totals, row, strict=True)]
            seen = recorded
        posted_all = [
            (json.loads(b)["follow"]["id"], json.loads(b)["event_id"]) for _h, b in receiver.bodies
        ]
        print(
            f"total  {totals[0]:>5}  {totals[1]:>10}  {totals[2]:>8}  {totals[3]:>8}"
            f"  {len(posted_all):>9}  {totals[5]:>7}  {totals[6]:>5}"
            f"  {len(posted_all) - len(set(posted_all)):>3}"
        )
        for f in follows:
            print(f"  {f.kind} {f.value}: {store.count_alerts(f.id)} alerts")
        receiver.server.shutdown()
        bad = totals[5] + totals[6] + (totals[2] != len(posted_all))
        return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
