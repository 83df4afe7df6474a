#!/usr/bin/env bash
# Run one command against a throwaway PostgreSQL cluster:   .ci/postgres.sh make test
#
# initdb into a temp dir, listen only on 127.0.0.1 on a free port (trust auth, fsync off: nothing here
# is kept), create the database tracker_test, run the command with
#   TRACKER_TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:PORT/tracker_test
# then stop the cluster and delete it, whatever the command did. Exits with the command's status.
# Needs the PostgreSQL server binaries (Debian: apt-get install postgresql). As root the server runs
# as the `postgres` user (PostgreSQL refuses to run as root); otherwise as the current user.
set -euo pipefail

if [ $# -eq 0 ]; then
    echo "usage: $0 COMMAND [ARG...]" >&2
    exit 2
fi

bindir=""
for candidate in "$(pg_config --bindir 2>/dev/null || true)" $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -n "$candidate" ] && [ -x "$candidate/initdb" ] && [ -x "$candidate/pg_ctl" ]; then
        bindir=$candidate
        break
    fi
done
if [ -z "$bindir" ]; then
    echo "postgres.sh: no PostgreSQL server binaries (initdb, pg_ctl) found; apt-get install postgresql" >&2
    exit 1
fi

as_owner=()
if [ "$(id -u)" -eq 0 ]; then
    as_owner=(runuser -u postgres --)
fi

root=$(mktemp -d "${TMPDIR:-/tmp}/tracker-pg.XXXXXX")
chmod 755 "$root"
if [ "$(id -u)" -eq 0 ]; then chown postgres: "$root"; fi
data=$root/data
log=$root/server.log

cleanup() {
    if [ -f "$data/postmaster.pid" ]; then
        "${as_owner[@]}" "$bindir/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 \
            || "${as_owner[@]}" "$bindir/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$root"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"${as_owner[@]}" "$bindir/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$root/initdb.log" 2>&1 \
    || { cat "$root/initdb.log" >&2; exit 1; }

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

started=""
for _attempt in 1 2 3; do
    port=$(free_port)
    cat >"$data/postgresql.auto.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$root'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
    if "${as_owner[@]}" "$bindir/pg_ctl" -D "$data" -l "$log" -w -t 60 start >/dev/null; then
        started=yes
        break
    fi
done
if [ -z "$started" ]; then
    echo "postgres.sh: the server did not start:" >&2
    cat "$log" >&2 || true
    exit 1
fi

"${as_owner[@]}" "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres tracker_test
export TRACKER_TEST_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:$port/tracker_test"
echo "postgres.sh: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($root)"

status=0
"$@" || status=$?
exit "$status"
