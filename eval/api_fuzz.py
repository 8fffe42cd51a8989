"""Fuzz the REST API from its OpenAPI spec (schemathesis + hypothesis) and the HTML pages
with random path segments and query values: count responses by class; 5xx must be 0.

    .venv/bin/python eval/api_fuzz.py [--examples 50] [--seed 0]

Runs in-process over ASGI against a temporary store holding the seed corpus, so it needs no
server and touches no real database. Exit code 1 if any request got a 5xx.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from kabar import service
from kabar.api import create_app
from kabar.ingest import read_paths
from kabar.store import open_store

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "examples" / "seeds"


def seeded_db(folder: Path) -> str:
    path = folder / "kabar.db"
    with open_store(str(path)) as store:
        service.ingest(store, read_paths([SEEDS]))
    return str(path)


def fuzz_api(db: str, examples: int, random_seed: int) -> list[tuple[str, str, Counter[str]]]:
    """(operation, mode, status classes) for each operation and generation mode."""
    app = create_app(db, api_key="")
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    rows: list[tuple[str, str, Counter[str]]] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            counts: Counter[str] = Counter()
            try:
                _run_cases(
                    operation.as_strategy(generation_mode=mode), counts, examples, random_seed
                )
            except Unsatisfiable:
                counts["note: nothing to generate in this mode (no parameters)"] += 0
            except Exception as exc:  # hypothesis could not generate: report, do not hide
                counts[f"error: {type(exc).__name__}: {str(exc)[:100]}"] += 1
            rows.append((f"{operation.method.upper()} {operation.path}", mode.value, counts))
    return rows


def _run_cases(
    strategy: st.SearchStrategy[schemathesis.Case],
    counts: Counter[str],
    examples: int,
    random_seed: int,
) -> None:
    @seed(random_seed)
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case: schemathesis.Case) -> None:
        try:
            response = case.call()
        except Exception as exc:  # the app raised instead of answering: a server error
            counts["5xx"] += 1
            counts[f"5xx detail: {type(exc).__name__}: {str(exc)[:80]}"] += 0
            return
        counts[f"{response.status_code // 100}xx"] += 1
        if response.status_code >= 500:
            counts["5xx detail: " + response.text[:80]] += 0  # keep a sample

    run()


PAGES = [
    "/stories/{}",
    "/articles/{}",
    "/entities/{}",
    "/outlets/{}",
    "/search?q={}",
    "/?outlet={}",
    "/?entity={}&sort=recent",
    "/?date_from={}",
    "/?language={}",
    "/export?format=html&story={}",
    "/export?format={}",
    "/articles?page={}",
]


def fuzz_pages(db: str, examples: int, random_seed: int) -> list[tuple[str, str, Counter[str]]]:
    """The HTML routes are outside the OpenAPI spec: throw arbitrary text at each one."""
    client = TestClient(create_app(db, api_key=""), raise_server_exceptions=False)
    rows: list[tuple[str, str, Counter[str]]] = []
    for template in PAGES:
        counts: Counter[str] = Counter()
        _run_pages(client, template, counts, examples, random_seed)
        rows.append((f"GET {template}", "text", counts))
    return rows


def _run_pages(
    client: TestClient, template: str, counts: Counter[str], examples: int, random_seed: int
) -> None:
    @seed(random_seed)
    @settings(max_examples=examples, deadline=None, database=None)
    @given(value=st.text(max_size=60))
    def run(value: str) -> None:
        response = client.get(template.format(quote(value, safe="")))
        if response.status_code >= 500:
            counts[f"5xx detail: {value!r}"] += 0
        counts[f"{response.status_code // 100}xx"] += 1

    run()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=50, help="examples per operation+mode")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="kabar-fuzz-"))
    try:
        start = time.perf_counter()
        db = seeded_db(folder)
        rows = fuzz_api(db, args.examples, args.seed) + fuzz_pages(db, args.examples, args.seed)
        elapsed = time.perf_counter() - start
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"{'operation':<44} {'mode':<9} {'calls':>6} {'2xx':>5} {'3xx':>4} {'4xx':>5} {'5xx':>4}")
    totals: Counter[str] = Counter()
    for name, mode, counts in rows:
        calls = sum(v for k, v in counts.items() if k.endswith("xx"))
        totals.update({k: v for k, v in counts.items() if k.endswith("xx")})
        totals["calls"] += calls
        print(
            f"{name:<44} {mode:<9} {calls:>6} {counts['2xx']:>5} {counts['3xx']:>4} "
            f"{counts['4xx']:>5} {counts['5xx']:>4}"
        )
        for key in counts:
            if key.startswith(("error", "5xx detail", "note")):
                print(f"    {key}")
    print(
        f"{'total':<44} {'':<9} {totals['calls']:>6} {totals['2xx']:>5} {totals['3xx']:>4} "
        f"{totals['4xx']:>5} {totals['5xx']:>4}"
    )
    print(f"{len(rows)} operation/mode pairs, {args.examples} examples each, {elapsed:.1f} s")
    return 1 if totals["5xx"] else 0


if __name__ == "__main__":
    sys.exit(main())
