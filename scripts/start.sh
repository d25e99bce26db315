#!/usr/bin/env bash
# npm start: builds the extension and opens it in a real VS Code in the browser (code-server,
# installed into .vscode-test/ on first run) on a sample workspace with plans and memories.
# PORT=8080 by default. Ctrl+C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$(bash scripts/node22.sh):$PATH"
[ -d node_modules/better-sqlite3 ] || npm install --no-audit --no-fund
bash scripts/setup-vscode-test.sh >/dev/null
node esbuild.mjs >/dev/null
npx tsc -p .
port=${PORT:-8080}
state=.vscode-test/start
workspace="$PWD/.vscode-test/sample-workspace"
[ -d "$workspace/.devstream" ] || node out/test/fixtures/sampleWorkspace.js "$workspace" >/dev/null
mkdir -p "$state/extensions" "$state/user-data"
# The sample workspace lives inside this repository: without this, git offers to open the
# repository of the parent folder on every start.
settings="$state/user-data/User/settings.json"
[ -f "$settings" ] || { mkdir -p "$(dirname "$settings")"; echo '{ "git.openRepositoryInParentFolders": "never" }' > "$settings"; }
# The working tree is loaded as the extension under development (dist/ is what it runs).
payload=$(node -e 'const [r, p] = process.argv.slice(1); console.log(encodeURIComponent(JSON.stringify([["extensionDevelopmentPath", `vscode-remote://127.0.0.1:${p}${r}`], ["skipWelcome", "true"]])))' "$PWD" "$port")
echo
echo "DevStream in VS Code: http://127.0.0.1:$port/?folder=$workspace&payload=$payload"
echo
exec node .vscode-test/code-server/node_modules/code-server/out/node/entry.js \
  --auth none --bind-addr "127.0.0.1:$port" --user-data-dir "$state/user-data" --extensions-dir "$state/extensions" \
  --disable-telemetry --disable-update-check --disable-getting-started-override --disable-workspace-trust "$workspace"
