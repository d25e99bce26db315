#!/usr/bin/env bash
# The whole test suite: type check, lint (ESLint, Prettier, the language-model tool manifest),
# unit tests on real SQLite files (core, CLI, MCP), then the
# tests in a real VS Code (code-server + Chromium, installed on first run by
# scripts/setup-vscode-test.sh). Runs under Node 22+ (bootstrapped when the system has older).
# DEVSTREAM_SKIP_VSCODE=1 runs only the first two.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$(bash scripts/node22.sh):$PATH"
echo "node $(node --version)"
npx tsc -p .
npx eslint .
npx prettier --check . --log-level warn
node scripts/sync-lm-tools.mjs --check
node --test --test-concurrency=2 "out/test/unit/**/*.test.js"
if [ "${DEVSTREAM_SKIP_VSCODE:-0}" != "1" ]; then
  bash scripts/test-vscode.sh
fi
