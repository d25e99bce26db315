#!/usr/bin/env bash
# Tests in a real VS Code: installs code-server + Chromium when missing (idempotent), builds
# dist/ and the tests, runs the mocha suite inside code-server's extension host, then the
# Playwright UI tests (node:test). Exits non-zero on any failure. Logs and screenshots are
# left in test-results/ (code-server.log per run, *.png).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$(bash scripts/node22.sh):$PATH"
start=$SECONDS

bash scripts/setup-vscode-test.sh
echo "== build"
node esbuild.mjs
npx tsc -p .

echo "== extension-host tests (mocha inside code-server's extension host)"
node out/test/exthost/runInCodeServer.js

echo "== UI tests (playwright-core + chromium, node:test)"
node --test --test-concurrency=1 --test-timeout=300000 "out/test/e2e/**/*.test.js"

echo "== VS Code tests passed in $((SECONDS - start)) s"
