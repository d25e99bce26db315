#!/usr/bin/env bash
# Sourced by the scripts that run npm inside npm (`npm test` → code-server's install, `npm start`
# → the Node 22 bootstrap). The outer npm exports npm_* variables describing itself:
# npm_config_user_agent names the outer Node (code-server's postinstall reads its major from it
# and refuses Node 20), npm_config_nodedir points node-gyp at the outer Node's headers,
# npm_config_local_prefix at the outer project. A nested install must describe the Node that
# runs it, so it gets none of them but the three that say where the outer npm found its settings
# (globalconfig, userconfig, cache): npm derives its global npmrc from the Node that runs it, so a
# nested npm under Node 22 would otherwise miss the system's (registry, certificate authority).
#
# nested_npm ARGS...   runs npm ARGS with the npm_* variables removed and node-gyp pointed at the
#                      headers of the node first on PATH (when that Node ships them).
nested_npm() {
  local unset_args=() v
  for v in $(compgen -e); do
    case "$v" in
      npm_config_globalconfig | npm_config_userconfig | npm_config_cache) ;;
      npm_* | NPM_* | INIT_CWD | NODE) unset_args+=(-u "$v") ;;
    esac
  done
  local prefix
  prefix="$(dirname "$(dirname "$(command -v node)")")"
  local nodedir=()
  [ -f "$prefix/include/node/node.h" ] && nodedir=("npm_config_nodedir=$prefix")
  env "${unset_args[@]}" "${nodedir[@]}" npm "$@"
}
