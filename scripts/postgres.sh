#!/usr/bin/env bash
# A throwaway local PostgreSQL for the store tests (tests/test_store_postgres.py).
#
#   scripts/postgres.sh run -- CMD ARGS...   start a server, run CMD with
#                                            KABAR_TEST_POSTGRES=postgresql://..., stop it,
#                                            exit with CMD's status
#   scripts/postgres.sh start                start one; prints "DIR URL" on stdout
#   scripts/postgres.sh stop DIR             stop it and delete DIR
#
# As root (CI: fresh Debian) it installs the Debian `postgresql` package if missing and runs
# initdb/pg_ctl as the `postgres` user (the server refuses to run as root). As another user it
# runs them as that user if they are installed. It listens on 127.0.0.1 on a free port with a
# temporary data directory and trust auth: for tests only. Where no server can be started,
# `run` still runs CMD (without KABAR_TEST_POSTGRES) and the PostgreSQL tests skip.
set -u

log() { echo "postgres.sh: $*" >&2; }

pg_bindir() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
    if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then
        echo "$dir"
        return 0
    fi
    return 1
}

ensure_installed() {
    pg_bindir >/dev/null && return 0
    if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
        log "PostgreSQL is not installed and cannot be apt-get installed (need root + apt)"
        return 1
    fi
    log "installing Debian postgresql (apt-get)..."
    export DEBIAN_FRONTEND=noninteractive
    if ! { apt-get update -qq >/dev/null 2>&1 \
        && apt-get install -y -qq --no-install-recommends postgresql >/dev/null 2>&1; }; then
        log "apt-get install postgresql failed"
        return 1
    fi
    pg_bindir >/dev/null
}

# Run a command as the server's OS user: `postgres` when we are root, else ourselves.
as_pg() {
    if [ "$(id -u)" = "0" ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start() {
    ensure_installed || return 1
    local bin dir port
    bin=$(pg_bindir) || return 1
    if [ "$(id -u)" = "0" ] && ! id postgres >/dev/null 2>&1; then
        log "no 'postgres' OS user to run the server as"
        return 1
    fi
    dir=$(mktemp -d /tmp/kabar-pg.XXXXXX) || return 1
    chmod 755 "$dir"
    [ "$(id -u)" = "0" ] && chown postgres: "$dir"
    if ! as_pg "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 \
        --no-locale >"$dir/initdb.log" 2>&1; then
        log "initdb failed: $(tail -3 "$dir/initdb.log")"
        rm -rf "$dir"
        return 1
    fi
    local tries
    for tries in 1 2 3; do
        port=$(free_port)
        if as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
            -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off" start >/dev/null 2>&1; then
            echo "$dir postgresql://postgres@127.0.0.1:$port/postgres"
            return 0
        fi
    done
    log "pg_ctl start failed: $(tail -3 "$dir/server.log" 2>/dev/null)"
    rm -rf "$dir"
    return 1
}

stop() {
    local dir=$1 bin
    [ -d "$dir" ] || return 0
    if bin=$(pg_bindir); then
        as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
}

case "${1:-}" in
start)
    start
    ;;
stop)
    stop "${2:?usage: postgres.sh stop DIR}"
    ;;
run)
    shift
    [ "${1:-}" = "--" ] && shift
    if started=$(start); then
        dir=${started%% *}
        export KABAR_TEST_POSTGRES=${started#* }
        trap 'stop "$dir"' EXIT
        trap 'exit 130' INT TERM
        log "PostgreSQL for the tests at $KABAR_TEST_POSTGRES"
    else
        log "no PostgreSQL server; the PostgreSQL tests will be skipped"
    fi
    "$@"
    exit $?
    ;;
*)
    echo "usage: $0 start | stop DIR | run -- CMD..." >&2
    exit 2
    ;;
esac
