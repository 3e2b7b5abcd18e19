#!/usr/bin/env bash
# Make node_modules match package-lock.json (npm ci), and .venv match
# requirements.lock: create it with Python 3.11 if missing, install the locked
# dependency set, then the project itself (editable, no deps).
# Skips the install when the lock and pyproject.toml are unchanged since the last
# successful install (stamp file inside .venv).
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.venv
STAMP="$VENV/.gremienportal-lock.sha256"

python_bin="${PYTHON:-}"
if [[ -z "$python_bin" ]]; then
    python_bin=$(command -v python3.11 || command -v python3 || true)
fi
if [[ -z "$python_bin" ]]; then
    echo "bootstrap: no python3.11 found on PATH (set PYTHON=/path/to/python3.11)" >&2
    exit 1
fi

if [[ ! -x "$VENV/bin/python" ]]; then
    version=$("$python_bin" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
    if [[ "$version" != "3.11" ]]; then
        echo "bootstrap: $python_bin is Python $version; Gremienportal needs 3.11" >&2
        exit 1
    fi
    echo "bootstrap: creating $VENV with $python_bin"
    "$python_bin" -m venv "$VENV"
fi

# Browser assets from npm (PDF.js for the member portal's reader, axe-core for
# the accessibility tests): `npm ci` when package-lock.json changed since the
# last install (stamp inside node_modules). Without npm the portal runs, but
# the document reader cannot show PDFs.
NPM_STAMP=node_modules/.gremienportal-lock.sha256
if [[ -f package-lock.json ]]; then
    npm_wanted=$(sha256sum package-lock.json | cut -d' ' -f1)
    if [[ -f "$NPM_STAMP" && "$(cat "$NPM_STAMP")" == "$npm_wanted" ]]; then
        :
    elif command -v npm >/dev/null; then
        echo "bootstrap: npm ci (package-lock.json)"
        npm ci --no-audit --no-fund --loglevel=error
        echo "$npm_wanted" > "$NPM_STAMP"
    else
        echo "bootstrap: npm not found; install Node.js and run 'npm ci'" \
            "(the document reader needs node_modules/pdfjs-dist)" >&2
    fi
fi

wanted=$(cat requirements.lock pyproject.toml | sha256sum | cut -d' ' -f1)
if [[ -f "$STAMP" && "$(cat "$STAMP")" == "$wanted" ]]; then
    exit 0
fi

# This machine's pip configuration names extra local indexes that lack most
# packages; pip warns once per package about each. Keep the log readable.
quiet_pip() {
    "$VENV/bin/python" -m pip install --quiet "$@" 2>&1 \
        | { grep -v "^WARNING: Location 'file://.*' is ignored" || true; }
}

# Python 3.11's bundled pip (23.2) resolves an extra such as weasyprint's
# `fonttools[woff]` against the newest release on the index instead of the
# pinned one, and then refuses it in hash-checking mode as soon as a release
# newer than the lock's exists. pip 25 resolves it against the pin.
echo "bootstrap: pip 25.3 in $VENV"
quiet_pip "pip==25.3"
echo "bootstrap: installing requirements.lock into $VENV"
quiet_pip --require-hashes -r requirements.lock
quiet_pip --no-deps -e .
echo "$wanted" > "$STAMP"
echo "bootstrap: done"
