#!/usr/bin/env bash
# Compile the gettext catalogues (*.po -> *.mo). The .mo files are build output
# (git-ignored). With no catalogue yet there is nothing to do, which is not an error.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! find . \( -path ./.venv -o -path ./node_modules -o -path ./.git -o -path ./var \) -prune \
        -o -name '*.po' -print -quit | grep -q .; then
    echo "compilemessages: no .po files yet, nothing to compile"
    exit 0
fi
.venv/bin/python manage.py compilemessages \
    --ignore=.venv --ignore=node_modules --ignore=var --verbosity=0
