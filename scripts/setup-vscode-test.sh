#!/usr/bin/env bash
# Installs what the tests in a real VS Code need, offline-friendly and idempotent:
#   - Debian packages: chromium (driven by playwright-core), ripgrep, libkrb5-dev and
#     build-essential (code-server's postinstall builds native modules);
#   - code-server (VS Code workbench + a Node 22 extension host) from npm into
#     .vscode-test/code-server (git-ignored, like @vscode/test-electron's cache).
# Each step is skipped when already done. Needs root for apt-get, Node 22, the npm registry.
#
# Env: CS_VERSION (default 4.117.0 = VS Code 1.117), VSCODE_TEST_DIR (default .vscode-test).
# Prints the paths the test runners use (CODE_SERVER entry, CHROMIUM).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export PATH="$(bash scripts/node22.sh):$PATH"
# shellcheck source=nested-npm.sh
source scripts/nested-npm.sh

CS_VERSION=${CS_VERSION:-4.117.0}
TEST_DIR=${VSCODE_TEST_DIR:-$root/.vscode-test}
CS_DIR="$TEST_DIR/code-server"
CS_PKG="$CS_DIR/node_modules/code-server"
CS_ENTRY="$CS_PKG/out/node/entry.js"
# code-server 4.117.0's lib/vscode/npm-shrinkwrap.json pins @vscode/ripgrep 1.17.1, whose
# postinstall downloads this asset from GitHub (unreachable here) unless it finds it in its cache.
RG_PKG_VERSION=1.17.1
RG_ASSET=ripgrep-v15.0.1-x86_64-unknown-linux-musl.tar.gz

log() { printf '== %s\n' "$*"; }

[ "$(node -p 'process.versions.node.split(".")[0]')" = 22 ] \
  || { echo "code-server $CS_VERSION needs Node 22 (found $(node -v))" >&2; exit 1; }

# 1. Debian packages, only those missing.
missing=()
for p in chromium ripgrep libkrb5-dev build-essential; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "apt-get install ${missing[*]}"
  [ "$(id -u)" = 0 ] || { echo "need root to install: ${missing[*]}" >&2; exit 1; }
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# 2. code-server, unless the right version with its ripgrep binary is already there.
cs_ok() {
  [ -f "$CS_ENTRY" ] && [ -x "$CS_PKG/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" ] \
    && node "$CS_ENTRY" --version 2>/dev/null | grep -q "^$CS_VERSION "
}
# code-server 4.117.0's built-in git extension requires @vscode/fs-copyfile, which its package does
# not ship: without it every workbench shows "Activating extension 'vscode.git' failed". On Linux it
# is plain JavaScript over node:fs (its native part is for macOS and Windows only).
COPYFILE_VERSION=3.0.0
COPYFILE_DIR="$CS_PKG/lib/vscode/node_modules/@vscode/fs-copyfile"
copyfile_ok() { node -e 'require(process.argv[1])' "$COPYFILE_DIR" 2>/dev/null; }
if ! cs_ok; then
  log "installing code-server@$CS_VERSION into $CS_DIR (about 2-3 minutes)"
  # Seed @vscode/ripgrep's download cache with Debian's rg so its postinstall stays offline.
  rg_cache="$(node -p 'require("os").tmpdir()')/vscode-ripgrep-cache-$RG_PKG_VERSION"
  if [ ! -s "$rg_cache/$RG_ASSET" ]; then
    tmp=$(mktemp -d); cp "$(command -v rg)" "$tmp/rg"
    mkdir -p "$rg_cache"; tar czf "$rg_cache/$RG_ASSET" -C "$tmp" rg; rm -rf "$tmp"
  fi
  mkdir -p "$CS_DIR"
  # Own package.json, so npm does not walk up and install into the project.
  [ -f "$CS_DIR/package.json" ] || echo '{"name":"vscode-test-code-server","private":true}' > "$CS_DIR/package.json"
  # As root, the postinstall (an npm install in lib/vscode) needs --unsafe-perm. nested_npm: the
  # install describes Node 22 (not the npm that ran `npm test`) and node-gyp uses Node 22's
  # headers, so nothing is downloaded.
  (cd "$CS_DIR" && nested_npm install --yes --unsafe-perm --no-audit --no-fund --loglevel=error \
    "code-server@$CS_VERSION")
  cs_ok || { echo "code-server install incomplete in $CS_DIR" >&2; exit 1; }
fi
if ! copyfile_ok; then
  log "adding @vscode/fs-copyfile@$COPYFILE_VERSION for code-server's git extension"
  extras="$CS_DIR/extras"
  mkdir -p "$extras"
  [ -f "$extras/package.json" ] || echo '{"name":"vscode-test-extras","private":true}' > "$extras/package.json"
  (cd "$extras" && nested_npm install --yes --unsafe-perm --no-audit --no-fund --loglevel=error "@vscode/fs-copyfile@$COPYFILE_VERSION")
  rm -rf "$COPYFILE_DIR"
  cp -R "$extras/node_modules/@vscode/fs-copyfile" "$COPYFILE_DIR"
  copyfile_ok || { echo "@vscode/fs-copyfile does not load from $COPYFILE_DIR" >&2; exit 1; }
fi

log "code-server $(node "$CS_ENTRY" --version | head -1 | cut -d' ' -f1): $CS_ENTRY"
log "chromium: $(command -v chromium) ($(chromium --version 2>/dev/null | head -1))"
log "playwright-core $(node -p 'require("playwright-core/package.json").version'), node $(node -v)"
