#!/usr/bin/env bash
# Runs its arguments with Node 22+ first on PATH (node22.sh fetches one from the npm registry when
# the system's is older). better-sqlite3 13 crashes older Node, so every npm script that loads it
# runs through here: `npm run <script>` itself runs under whatever Node the user has.
set -euo pipefail
PATH="$(bash "$(dirname "$0")/node22.sh"):$PATH"
export PATH
exec "$@"
