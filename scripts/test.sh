#!/usr/bin/env bash
# The whole test suite: type check, unit tests on real SQLite files, then (when installed)
# the tests in a real VS Code. Runs under Node 22+ (bootstrapped when the system has older).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$(bash scripts/node22.sh):$PATH"
echo "node $(node --version)"
npx tsc -p .
node --test --test-concurrency=2 "out/test/unit/**/*.test.js"
