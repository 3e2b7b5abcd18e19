#!/usr/bin/env bash
# Development server: migrate, seed demo data into an empty database, then run
# Daphne (HTTP + websockets) and the background-task worker side by side.
# Ctrl-C stops both. Expects .venv to be ready (`make run` does that first).
set -euo pipefail
cd "$(dirname "$0")/.."

export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings.dev}"
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"
PY=.venv/bin/python

mkdir -p "${GREMIEN_VAR_DIR:-var}"

echo "==> migrate"
"$PY" manage.py migrate --no-input --verbosity 1

echo "==> demo data (only into an empty database)"
"$PY" manage.py seed_demo --scale small --if-empty --port "$PORT"

pids=()
stop_children() {
    trap - INT TERM HUP PIPE EXIT
    if ((${#pids[@]})); then
        # Signal first, talk later: stdout may be a pipe that is already gone.
        kill -TERM "${pids[@]}" 2>/dev/null || true
        echo "==> stopping (pids ${pids[*]})" >&2 || true
        wait "${pids[@]}" 2>/dev/null || true
    fi
}
trap 'stop_children; exit 0' INT TERM HUP
trap 'stop_children' PIPE EXIT

# Own sessions: Ctrl-C reaches only this script, which then sends each child
# exactly one SIGTERM (a second signal would make db_worker abort its task).
echo "==> starting Daphne on http://$HOST:$PORT/ and the task worker"
setsid .venv/bin/daphne -b "$HOST" -p "$PORT" config.asgi:application &
pids+=($!)
setsid "$PY" manage.py db_worker --queue-name '*' --no-reload &
pids+=($!)

for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/$HOST/$PORT") 2>/dev/null; then
        break
    fi
    kill -0 "${pids[0]}" 2>/dev/null || break
    sleep 0.2
done

cat <<BANNER

  Gremienportal is running (settings: $DJANGO_SETTINGS_MODULE)

    Admin (Sitzungsdienst):  http://$HOST:$PORT/admin/
    Member portal (tablets): http://$HOST:$PORT/mitglieder/

BANNER
cat <<LOGINS
  Demo logins (password for all: demo-2026)
    admin                        superuser
    sitzungsdienst-auenwald      Sitzungsdienst, Auenwald only
    sitzungsdienst-lindenfeld    Sitzungsdienst, Lindenfeld only
    sitzungsdienst-birkenbach    Sitzungsdienst, Birkenbach only
    mitglied-auenwald            council member (also -lindenfeld, -birkenbach)

LOGINS
echo "  Press Ctrl-C to stop the server and the task worker."
echo

rc=0
wait -n "${pids[@]}" || rc=$?
echo "run: a process exited (status $rc); stopping the other" >&2
stop_children
exit "$rc"
