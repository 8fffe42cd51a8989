"""The ``kabar`` command: ingest articles, read stories and timelines, search, export, serve.

Every command takes ``--db`` (or ``KABAR_DB``, or ``db`` in ``kabar.toml``) and most take
``--json`` for scripts. Start with ``kabar demo``.
"""

from __future__ import annotations

import gc
import json
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from kabar.config import load_db, load_settings
from kabar.errors import KabarError
from kabar.model import Story, to_dict
from kabar.store import Store, open_store
from kabar.store.base import redact

if TYPE_CHECKING:
    from kabar.errors import InputError
    from kabar.ingest import ReadResult
    from kabar.model import Follow
    from kabar.service import IngestReport

# Commands import what they run: `kabar stories` or `kabar --help` must not load the
# pipeline's models, gazetteers and numpy (issue #16: the CLI answers in well under a
# second). `python -X importtime -m kabar.cli stories` shows what a command loads.

app = typer.Typer(
    help=(
        "kabar turns scraped news articles into stories with dated timelines.\n\n"
        "Typical use: `kabar ingest articles/` then `kabar stories`, `kabar story ID`, "
        "`kabar serve`. Try `kabar demo` first: it ingests the bundled seed articles."
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
console = Console(soft_wrap=True)
errors = Console(stderr=True, soft_wrap=True)

DbOption = Annotated[
    Optional[str],  # noqa: UP045 - typer reads the annotation at run time
    typer.Option("--db", help="Database file (default: KABAR_DB, kabar.toml, or ./kabar.db)."),
]
JsonOption = Annotated[
    bool, typer.Option("--json", help="Print JSON for scripts instead of tables.")
]
EncodingOption = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(help="Text encoding: utf-8 (default, strict), a codec name, or 'auto' to detect."),
]
MaxBytesOption = Annotated[
    Optional[int],  # noqa: UP045
    typer.Option(help="Largest article accepted, in bytes."),
]
SEEDS = Path(__file__).resolve().parent.parent / "examples" / "seeds"


def _open(db: str | None) -> Store:
    return open_store(db or load_settings().db)


def _open_existing(db: str | None) -> Store:
    """The store for a read command: a SQLite file that does not exist is an error, not
    a new empty database left behind (``kabar stories`` in the wrong folder)."""
    location = db or load_db()
    if "://" not in location and location != ":memory:" and not Path(location).exists():
        raise _fail(
            f"no database at {location}: run `kabar ingest PATH` first, or pass --db "
            "(or set KABAR_DB)"
        )
    if location.startswith("sqlite:///") and not Path(location[len("sqlite:///") :]).exists():
        raise _fail(f"no database at {location}: run `kabar ingest PATH` first, or pass --db")
    return open_store(location)


MAX_MESSAGES = 20
"""Problems printed one by one; beyond these, a summary by kind (100,000 bad lines must
not bury the result)."""


def print_problems(warnings: Sequence[InputError], skipped: Sequence[InputError]) -> None:
    """Warnings and skipped inputs on stderr: the first :data:`MAX_MESSAGES` of each in
    full, then how many more of each kind of problem."""
    for label, items in (("[yellow]warning[/]", warnings), ("[red]skipped[/]", skipped)):
        for problem in items[:MAX_MESSAGES]:
            errors.print(f"{label} {escape(str(problem))}", highlight=False)
        rest = items[MAX_MESSAGES:]
        if rest:
            kinds = Counter(_kind(p.problem) for p in rest)
            summary = "; ".join(f"{n:,} × {escape(kind)}" for kind, n in kinds.most_common(5))
            more = len(kinds) - 5
            errors.print(
                f"{label} … and {len(rest):,} more: {summary}"
                + (f"; {more} other kinds" if more > 0 else "")
                + " (--json lists them all)",
                highlight=False,
            )


def _kind(problem: str) -> str:
    """A problem without its particulars ("invalid JSON (... at column 7)" → "invalid JSON")."""
    return problem.split(" (", 1)[0]


def _fail(message: str, code: int = 1) -> typer.Exit:
    errors.print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(code)


@app.command("ingest")
def ingest_command(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Files or folders: .txt, .html, .jsonl, .json, .csv, .warc(.gz)."),
    ],
    db: DbOption = None,
    encoding: EncodingOption = None,
    max_bytes: MaxBytesOption = None,
    as_json: JsonOption = False,
) -> None:
    """Read articles, clean and analyse them, store them and regroup the stories.

    Re-ingesting an article already stored does nothing. Inputs that cannot be read are
    reported with the reason (and the fix) and the exit code is 1; the others are kept.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from kabar.errors import GroupingChanged
    from kabar.ingest import ReadOptions, read_paths
    from kabar.service import ingest

    settings = load_settings()
    options = ReadOptions(
        max_bytes=max_bytes or settings.max_bytes, encoding=encoding or settings.encoding
    )
    with (
        _open(db) as store,
        Progress(
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=errors,
            transient=True,
            disable=as_json or not errors.is_terminal,
        ) as progress,
    ):
        task = progress.add_task("ingesting", total=None)
        try:
            report = ingest(
                store,
                read_paths(paths, options),
                progress=lambda n: progress.advance(task, n),
                params=settings.grouping,
            )
        except GroupingChanged as exc:
            raise _fail(f"articles stored, stories not updated: {exc}") from exc
        _deliver_alerts(store, quiet=as_json)
    if as_json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        print_problems(report.warnings, report.errors)
        console.print(
            f"{len(report.added)} added, {len(report.existing)} already stored, "
            f"{len(report.errors)} failed; {report.stories} stories."
        )
    if report.errors:
        raise typer.Exit(1)


@app.command("regroup")
def regroup_command(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Group every stored article into stories again, with the configured grouping
    parameters (`[grouping]` in kabar.toml, KABAR_GROUPING_*).

    Needed after changing those parameters: later ingests continue the new grouping.
    """
    from kabar.service import regroup

    with _open(db) as store:
        stories = regroup(store, load_settings().grouping, ungrouped=True)
        _deliver_alerts(store, quiet=as_json)
    if as_json:
        print(json.dumps({"stories": stories}))
    else:
        console.print(f"{stories} stories.", highlight=False)


@app.command("stories")
def stories_command(
    db: DbOption = None,
    limit: Annotated[int, typer.Option(help="How many stories to list.")] = 20,
    as_json: JsonOption = False,
) -> None:
    """List stories, biggest first."""
    with _open_existing(db) as store:
        stories = store.list_stories(limit=limit)
    if as_json:
        print(json.dumps([_story_summary(s) for s in stories], ensure_ascii=False, indent=2))
        return
    if not stories:
        console.print("No stories yet: run `kabar ingest PATH` (or `kabar demo`).")
        return
    table = Table(title="Stories")
    for column in ("id", "title", "articles", "outlets", "dates"):
        table.add_column(column)
    for story in stories:
        table.add_row(
            story.id,
            story.title,
            str(len(story.article_ids)),
            ", ".join(story.outlets),
            f"{story.first_date or '?'} – {story.last_date or '?'}",
        )
    console.print(table)


@app.command("story")
def story_command(
    story_id: Annotated[
        str, typer.Argument(help="Story id (or its first characters), from `kabar stories`.")
    ],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show a story: summary and dated timeline with the outlets behind each entry."""
    from kabar.service import find_story

    with _open_existing(db) as store:
        story = find_story(store, story_id, full=True)
    if story is None:
        raise _fail(f"no story {story_id!r}; list them with `kabar stories`")
    if as_json:
        print(json.dumps(to_dict(story), ensure_ascii=False, indent=2))
        return
    print_story(story)


def _story_summary(story: Story) -> dict[str, object]:
    return {
        "id": story.id,
        "title": story.title,
        "articles": len(story.article_ids),
        "outlets": story.outlets,
        "first_date": story.first_date,
        "last_date": story.last_date,
        "timeline_entries": len(story.timeline),
    }


def print_story(story: Story) -> None:
    console.rule(f"[bold]{story.title}")
    console.print(
        f"story {story.id} · {len(story.article_ids)} articles · outlets: {', '.join(story.outlets)} · "
        f"{story.first_date or '?'} – {story.last_date or '?'}",
        highlight=False,
    )
    if story.summary:
        console.print("\n[bold]Summary[/]")
        for sentence in story.summary:
            console.print(f"  • {sentence}", highlight=False, markup=False)
    if story.entities:
        console.print(f"\n[bold]Entities[/] {', '.join(story.entities)}", highlight=False)
    table = Table(title="Timeline", show_lines=True)
    table.add_column("date", no_wrap=True)
    table.add_column("what happened")
    table.add_column("reported by")
    for entry in story.timeline:
        table.add_row(entry.date, entry.summary, ", ".join(entry.outlets))
    console.print(table)
    if story.facts:
        console.print("[bold]Facts reported by several outlets[/]")
        for fact in story.facts:
            flag = " [red](figures disagree)[/]" if fact.conflict else ""
            console.print(
                f"  • {', '.join(fact.numbers)} — {', '.join(fact.outlets)}{flag}", highlight=False
            )
            console.print(f"    {fact.statement}", highlight=False, markup=False)


@app.command("search")
def search_command(
    query: Annotated[
        str, typer.Argument(help="Words to find in titles and bodies (all must match).")
    ],
    db: DbOption = None,
    limit: Annotated[int, typer.Option(help="How many hits.")] = 20,
    as_json: JsonOption = False,
) -> None:
    """Full-text search over the stored articles."""
    with _open_existing(db) as store:
        hits = store.search(query, limit=limit)
    if as_json:
        print(json.dumps([to_dict(h) for h in hits], ensure_ascii=False, indent=2))
        return
    if not hits:
        console.print(f"No article matches {query!r}.", highlight=False)
        return
    for hit in hits:
        snippet = hit.snippet.replace("[[", "\x00").replace("]]", "\x01")
        snippet = (
            snippet.replace("[", "\\[").replace("\x00", "[bold yellow]").replace("\x01", "[/]")
        )
        console.print(
            f"[bold]{hit.title}[/] ({hit.outlet or 'unknown'}, {hit.published or '?'}) {hit.article_id}"
        )
        console.print(f"  {snippet}", highlight=False)


@app.command("export")
def export_command(
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="json, csv (timeline rows) or md (report).")
    ] = "json",
    output: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--output", "-o", help="File to write (default: standard output)."),
    ] = None,
    story: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option(help="Only this story id (repeatable)."),
    ] = None,
    db: DbOption = None,
) -> None:
    """Export stories with their timelines."""
    from kabar.service import export as export_stories

    if fmt not in ("json", "csv", "md"):
        raise _fail(f"unknown format {fmt!r}: use json, csv or md")
    with _open_existing(db) as store:
        text = export_stories(store, fmt, story)
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    else:
        output.write_text(text, encoding="utf-8")
        console.print(f"wrote {output}")


@contextmanager
def _batch_progress(quiet: bool) -> Iterator[Callable[[str, int], None]]:
    """A line per pass of a batch run (processed, grouped, stories), counting as it goes."""
    from rich.progress import MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("[progress.description]{task.description}"),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=errors,
        transient=True,
        disable=quiet or not errors.is_terminal,
    ) as progress:
        tasks: dict[str, TaskID] = {}

        def tell(step: str, done: int) -> None:
            if step not in tasks:
                tasks[step] = progress.add_task(step, total=None)
            progress.update(tasks[step], completed=done)

        yield tell


@app.command("batch")
def batch_command(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Files or folders: .txt, .html, .jsonl, .json, .csv, .warc(.gz)."),
    ],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Folder to write the Parquet files into.")
    ],
    engine: Annotated[
        str,
        typer.Option(
            help="local (this machine: worker processes), spark (Spark tasks over the files),"
            " inline (this process) or pool (worker processes)."
        ),
    ] = "local",
    master: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(help="Spark master URL (default: KABAR_SPARK_MASTER or local[*])."),
    ] = None,
    workers: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option(help="Worker processes for the local engine (default: one per CPU)."),
    ] = None,
    encoding: EncodingOption = None,
    max_bytes: MaxBytesOption = None,
    as_json: JsonOption = False,
) -> None:
    """Process articles in batch (no database) and write Parquet; `kabar load` stores it.

    The same stages as `kabar ingest`; with `--engine spark` the per-article part runs on
    Spark. Inputs that fail are reported (exit code 1); the others are kept; warnings
    (a guessed encoding, a text cut to the analysed length) are listed as `ingest` does.
    """
    from kabar.ingest import ReadOptions
    from kabar.scale import run_batch

    settings = load_settings()
    options = ReadOptions(
        max_bytes=max_bytes or settings.max_bytes, encoding=encoding or settings.encoding
    )
    try:
        with _batch_progress(quiet=as_json) as progress:
            report = run_batch(
                paths,
                output,
                engine=engine,
                master=master,
                options=options,
                workers=workers,
                progress=progress,
                params=settings.grouping,
            )
    except KabarError as exc:
        raise _fail(str(exc)) from exc
    if as_json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        print_problems(report.warnings, report.failures)
        console.print(
            f"{report.articles} articles, {report.stories} stories, "
            f"{len(report.failures)} failed, {len(report.warnings)} warnings; wrote {output}",
            highlight=False,
        )
    if report.failures:
        raise typer.Exit(1)


@app.command("load")
def load_command(
    output: Annotated[Path, typer.Argument(help="A folder written by `kabar batch`.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Store the articles and stories of a `kabar batch` output (into an empty database).

    Articles go in a few thousand at a time, so any size of output loads in little memory;
    if a load is interrupted, run it again: it adds what is missing.
    """
    from kabar.scale import load_output

    try:
        with _open(db) as store, _batch_progress(quiet=as_json) as progress:
            added, stories = load_output(store, output, progress)
            _deliver_alerts(store, quiet=as_json)
    except KabarError as exc:
        raise _fail(str(exc)) from exc
    if as_json:
        print(json.dumps({"articles": added, "stories": stories}))
    else:
        console.print(f"loaded {added} articles, {stories} stories from {output}", highlight=False)


@app.command("serve")
def serve_command(
    db: DbOption = None,
    host: Annotated[Optional[str], typer.Option(help="Address to listen on.")] = None,  # noqa: UP045
    port: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option(help="Port (0: a free one the system picks; the line shows which).", min=0),
    ] = None,
    ingest_process: Annotated[
        bool,
        typer.Option(
            help="Run ingests in a worker process, so they do not slow down readers "
            "(--no-ingest-process: in the server process)."
        ),
    ] = True,
    cache_mb: Annotated[
        int, typer.Option(help="Memory for cached read answers, in MB (0: no cache).", min=0)
    ] = 64,
    write_first: Annotated[
        Optional[float],  # noqa: UP045
        typer.Option(
            help="Seconds a read waits at most while the worker adds a posted article, so "
            "that the add is not slowed by readers and they see it (default 0.2; 0: reads "
            "never wait).",
            min=0.0,
        ),
    ] = None,
    watch: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(
            help="Also follow the sources of this watch config in the background "
            "(see `kabar watch --help`)."
        ),
    ] = None,
) -> None:
    """Serve the web UI and the REST API (OpenAPI docs at /docs).

    Once it listens it prints one line, "serving on http://HOST:PORT/ (database DB)",
    with the port it really got: with --port 0 the system picks a free one, and scripts
    read it from this line (no other process can take the port in between).
    """
    from kabar.api import create_app
    from kabar.api.server import listen, serve, url_of
    from kabar.api.worker import SWITCH_INTERVAL

    sys.setswitchinterval(SWITCH_INTERVAL)
    settings = load_settings()
    location = db or settings.db
    _open(location).close()  # fail early, with a clear message, on a bad database
    watch_config = None
    if watch is not None:
        from kabar.watch import load_config

        try:
            watch_config = load_config(watch)
        except KabarError as exc:
            raise _fail(str(exc)) from exc
        console.print(f"watching {len(watch_config.sources)} sources from {watch}")
    address = (host or settings.host, settings.port if port is None else port)
    try:
        sock = listen(*address)
    except OSError as exc:
        raise _fail(f"cannot listen on {address[0]}:{address[1]}: {exc.strerror or exc}") from exc
    application = create_app(
        location,
        ingest_processes=1 if ingest_process else 0,
        cache_bytes=cache_mb * 1_000_000,
        write_first=write_first,
        watch=watch_config,
        on_watch_event=_print_event,
        grouping=settings.grouping,
    )
    # What is alive now (modules, the app, its templates) lives as long as the server: out
    # of the collector's sight, its full collections do not walk it again (under readers,
    # one every half minute held the GIL 80-130 ms, and the requests in flight with it).
    gc.collect()
    gc.freeze()
    # Plain print, flushed: one unwrapped line a script can read through a pipe.
    print(f"serving on {url_of(sock)}/ (database {redact(location)})", flush=True)
    if not serve(application, sock):
        raise typer.Exit(3)  # uvicorn.run's exit code when the app did not start


def _watch_help() -> str:
    from kabar.watch import CONFIG_HELP

    config = "\n".join(CONFIG_HELP.splitlines()[2:])
    return (
        "Follow feeds, sitemaps and folders: poll them, fetch each new article once and "
        "ingest it (the same path as `kabar ingest`).\n\n"
        "Feeds and sitemaps are asked with conditional requests (ETag/Last-Modified: an "
        "unchanged one answers 304 and costs nothing); robots.txt is respected and requests "
        "to one host are spaced by `delay` seconds. What was fetched is remembered in the "
        "database, so a restart fetches nothing twice. Each poll prints what was polled, the "
        "new items, the 304s and every error with its fix. `kabar serve --watch CONFIG` runs "
        "the same in the background of the server.\n\n"
        + CONFIG_HELP.splitlines()[0]
        + "\n\n"
        # \b: click keeps the next paragraph's lines as they are
        + "\n\n".join("\b\n" + block for block in config.split("\n\n"))
    )


@app.command("watch", help=_watch_help())
def watch_command(
    config: Annotated[Path, typer.Argument(help="Watch config file (TOML or YAML), see above.")],
    db: DbOption = None,
    once: Annotated[
        bool, typer.Option("--once", help="Poll once and exit (exit code 1 on errors).")
    ] = False,
    interval: Annotated[
        Optional[float],  # noqa: UP045
        typer.Option(help="Seconds between polls (default: the config's, else 300).", min=0),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON report per poll (a line each).")
    ] = False,
) -> None:
    from kabar.service import ingest
    from kabar.watch import load_config
    from kabar.watch.poller import PollReport, Watcher

    settings = load_settings()
    try:
        watch = load_config(config)
    except KabarError as exc:
        raise _fail(str(exc)) from exc

    def after(report: PollReport) -> None:
        if as_json:
            print(json.dumps(report.as_dict(), ensure_ascii=False), flush=True)
        else:
            console.print(f"[bold]poll done:[/] {escape(report.summary())}", highlight=False)

    # Alerts are sent by a thread woken after each ingest (with retries), so a slow
    # webhook never delays the next poll; --once sends what is due before exiting.
    from kabar.follows.deliver import Dispatcher

    location = db or load_settings().db
    dispatcher = Dispatcher(
        lambda: open_store(location),
        on_error=lambda exc: errors.print(f"alert delivery failed: {escape(str(exc))}"),
    )

    def ingest_and_deliver(store: Store, inputs: Sequence[ReadResult]) -> IngestReport:
        try:
            return ingest(store, inputs, params=settings.grouping)
        finally:
            dispatcher.wake()

    with _open(db) as store:
        if not once:
            dispatcher.start()
        watcher = Watcher(
            watch,
            store,
            lambda inputs: ingest_and_deliver(store, inputs),
            tell=None if as_json else _print_event,
        )
        if not as_json:
            every = watch.interval if interval is None else interval
            console.print(
                f"watching {len(watch.sources)} sources"
                + (" once" if once else f", every {every:g} s (Ctrl-C to stop)"),
                highlight=False,
            )
        try:
            report = watcher.run(interval=interval, once=once, after=after)
        except KeyboardInterrupt:
            watcher.stop.set()
            errors.print("stopped", highlight=False)
            return
        finally:
            watcher.close()
            dispatcher.stop()
        if once:
            _deliver_alerts(store, quiet=as_json)
    if once and report.errors:
        raise typer.Exit(1)


def _print_event(event: object) -> None:
    """One watch event as a line: errors in red on stderr with their fix, the rest plain."""
    from kabar.watch.poller import Event

    assert isinstance(event, Event)
    if event.kind == "error":
        fix = f" [dim]→ {escape(event.fix)}[/]" if event.fix else ""
        errors.print(
            f"[red]error[/] {escape(event.where)}: {escape(event.message)}{fix}", highlight=False
        )
    elif event.kind == "warning":
        errors.print(
            f"[yellow]warning[/] {escape(event.where)}: {escape(event.message)}", highlight=False
        )
    elif event.kind == "skipped":
        console.print(
            f"[yellow]skipped[/] {escape(event.where)}: {escape(event.message)}", highlight=False
        )
    elif event.kind == "not-modified":
        console.print(f"[dim]{escape(event.where)}: {escape(event.message)}[/]", highlight=False)
    else:
        console.print(f"{escape(event.where)}: {escape(event.message)}", highlight=False)


DELIVERY_BUDGET = 10.0
"""Seconds a command that ingested spends delivering webhook alerts after its commits
(retries included); what is left stays pending for `kabar alerts --deliver` or the server."""


def _deliver_alerts(store: Store, quiet: bool = False) -> None:
    """Send the webhook alerts an ingest recorded (after it committed: a slow receiver
    never holds the ingest); a line on stderr says what happened."""
    if not store.count_alerts(delivery="pending"):
        return
    from kabar.follows.deliver import deliver

    done = deliver(store, budget=DELIVERY_BUDGET)
    if not quiet:
        errors.print(
            f"alerts: {done.delivered} delivered, {done.retrying} to retry, {done.failed} failed"
            + (" (`kabar alerts --deliver` retries)" if done.retrying else ""),
            highlight=False,
        )


follow_app = typer.Typer(
    help=(
        "Follow an entity, an outlet or a search query: each new event that matches is an "
        "alert (`kabar alerts`, an Atom feed per follow, an optional webhook). Not `kabar "
        "watch`, which follows sources to ingest."
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(follow_app, name="follow")


@follow_app.command("add")
def follow_add_command(
    entity: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(help="A person, organisation or place (its resolved canonical name)."),
    ] = None,
    outlet: Annotated[Optional[str], typer.Option(help="An outlet name.")] = None,  # noqa: UP045
    query: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(help="Words that must all appear in an article of the event."),
    ] = None,
    webhook: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(help="POST each alert as JSON to this http(s) URL (signed)."),
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Follow one entity, outlet or query (give exactly one). Alerts start with the next
    ingest: events already stored are not news."""
    from kabar.service import add_follow

    given = [(k, v) for k, v in (("entity", entity), ("outlet", outlet), ("query", query)) if v]
    if len(given) != 1:
        raise _fail("give exactly one of --entity, --outlet, --query")
    kind, value = given[0]
    with _open(db) as store:
        try:
            follow, known = add_follow(store, kind, value, webhook)
        except ValueError as exc:
            raise _fail(str(exc)) from exc
    if as_json:
        print(json.dumps(_follow_json(follow, secret=True), ensure_ascii=False, indent=2))
        return
    console.print(f"following {kind} {escape(follow.value)}: id {follow.id}", highlight=False)
    if not known:
        console.print(
            f"[yellow]note[/] no stored {kind} is named {escape(value)} yet: "
            "alerts come when one appears (check the spelling with `kabar search`)",
            highlight=False,
        )
    console.print(f"feed: /api/v1/follows/{follow.id}/alerts.atom (under `kabar serve`)")
    if follow.webhook:
        console.print(
            f"webhook secret (HMAC-SHA256 of the body, header X-Kabar-Signature): {follow.secret}",
            highlight=False,
        )


def _follow_json(follow: Follow, secret: bool = False) -> dict[str, object]:
    data: dict[str, object] = {
        "id": follow.id,
        "kind": follow.kind,
        "value": follow.value,
        "webhook": follow.webhook,
        "created_at": follow.created_at,
    }
    if secret and follow.webhook:
        data["secret"] = follow.secret
    return data


@follow_app.command("list")
def follow_list_command(db: DbOption = None, as_json: JsonOption = False) -> None:
    """The follows, oldest first, with their alert counts."""
    with _open_existing(db) as store:
        follows = store.list_follows()
        counts = {f.id: store.count_alerts(f.id) for f in follows}
    if as_json:
        rows = [{**_follow_json(f), "alerts": counts[f.id]} for f in follows]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not follows:
        console.print("no follows: `kabar follow add --entity NAME`")
        return
    table = Table("id", "kind", "value", "alerts", "webhook")
    for f in follows:
        table.add_row(f.id, f.kind, escape(f.value), str(counts[f.id]), escape(f.webhook or ""))
    console.print(table)


@follow_app.command("remove")
def follow_remove_command(
    follow_id: Annotated[str, typer.Argument(help="The follow's id.")], db: DbOption = None
) -> None:
    """Stop following (its alerts are deleted)."""
    with _open_existing(db) as store:
        if not store.remove_follow(follow_id):
            raise _fail(f"no follow {follow_id}: `kabar follow list` shows them")
    console.print(f"removed {follow_id}", highlight=False)


@app.command("alerts")
def alerts_command(
    follow_id: Annotated[
        Optional[str],  # noqa: UP045
        typer.Argument(help="Only this follow's alerts."),
    ] = None,
    limit: Annotated[int, typer.Option(help="How many, newest first.", min=1)] = 20,
    deliver_now: Annotated[
        bool, typer.Option("--deliver", help="Send the webhook alerts due now first.")
    ] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """The alerts recorded for new events matching your follows, newest first."""
    with _open_existing(db) as store:
        if follow_id and store.get_follow(follow_id) is None:
            raise _fail(f"no follow {follow_id}: `kabar follow list` shows them")
        if deliver_now:
            _deliver_alerts(store, quiet=as_json)
        alerts = store.list_alerts(follow_id, limit=limit)
        follows = {f.id: f for f in store.list_follows()}
    if as_json:
        print(json.dumps([to_dict(a) for a in alerts], ensure_ascii=False, indent=2))
        return
    if not alerts:
        console.print("no alerts yet")
        return
    table = Table("recorded", "follow", "date", "event", "story", "webhook")
    for a in alerts:
        follow = follows.get(a.follow_id)
        table.add_row(
            a.created_at[:19].replace("T", " "),
            escape(f"{follow.kind} {follow.value}" if follow else a.follow_id),
            a.published or "",
            escape(("new story: " if a.new_story else "") + a.title),
            a.story_id[:8],
            a.delivery,
        )
    console.print(table)


@app.command("demo")
def demo_command(db: DbOption = None) -> None:
    """Ingest the bundled seed articles (five outlets, 2018–2024) and print the story."""
    if not SEEDS.is_dir():
        raise _fail(f"bundled corpus not found at {SEEDS}; run from a kabar checkout")
    from kabar.ingest import read_paths
    from kabar.service import ingest

    with _open(db) as store:
        report = ingest(store, read_paths([SEEDS]), params=load_settings().grouping)
        console.print(
            f"Ingested {SEEDS}: {len(report.added)} added, {len(report.existing)} already stored, "
            f"{report.stories} stories.",
            highlight=False,
        )
        print_problems(report.warnings, report.errors)
        stories = store.list_stories(limit=1)
    if not stories:
        raise _fail("no story was built from the seeds")
    print_story(stories[0])
    console.print("\nNext: `kabar serve` and open http://127.0.0.1:8000/")


def main() -> None:
    try:
        app()
    except KabarError as exc:
        errors.print(f"[bold red]error:[/] {exc}", highlight=False)
        sys.exit(1)


if __name__ == "__main__":
    main()
