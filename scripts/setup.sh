#!/usr/bin/env bash
# Installs what building and testing need, skipping whatever is already there. Safe to re-run.
#   scripts/setup.sh            the wasm target, wasm-bindgen-cli (the version Cargo.lock pins), npm packages
#   scripts/setup.sh --browser  also Debian's chromium and chromium-driver (for the browser tests)
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }

command -v cargo >/dev/null || { echo "setup: cargo not found; install Rust with rustup (https://rustup.rs)" >&2; exit 1; }
command -v node >/dev/null || { echo "setup: node not found; install Node.js 18 or newer" >&2; exit 1; }

# 1. The wasm target.
if [ ! -d "$(rustc --print sysroot)/lib/rustlib/wasm32-unknown-unknown" ]; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# 2. wasm-bindgen-cli at exactly the version Cargo.lock pins (a mismatch breaks the build).
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)
[ -n "$want" ] || { echo "setup: no wasm-bindgen in Cargo.lock" >&2; exit 1; }
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  say "installing wasm-bindgen-cli $want (was: ${have:-none}); this takes a few minutes once"
  cargo install wasm-bindgen-cli --version "=$want" --locked
fi

# 3. npm packages (playwright-core only; it downloads no browser).
if [ ! -f node_modules/.package-lock.json ] || ! cmp -s package-lock.json node_modules/.package-lock.json.src 2>/dev/null; then
  say "installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.package-lock.json.src
fi

# 4. The browser, for tests only.
if [ "${1:-}" = "--browser" ]; then
  chromium_bin=${CHROMIUM:-/usr/bin/chromium}
  driver_bin=${CHROMEDRIVER:-/usr/bin/chromedriver}
  if [ ! -x "$chromium_bin" ] || [ ! -x "$driver_bin" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      say "installing Debian's chromium and chromium-driver"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
    else
      cat >&2 <<MSG
setup: the browser tests need Chromium and ChromeDriver, and this script can only install them as
root with apt-get. Install them yourself (Debian/Ubuntu: apt-get install chromium chromium-driver),
or point CHROMIUM and CHROMEDRIVER at existing binaries, then run the tests again.
MSG
      exit 1
    fi
  fi
fi
