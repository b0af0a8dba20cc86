#!/usr/bin/env bash
# Every test, from a fresh machine: set-up, formatting and lints, native tests (unit, property,
# golden, CLI), wasm tests (native-vs-wasm parity, in Node), then the page in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "set-up"
bash scripts/setup.sh --browser

step "cargo fmt --check"
cargo fmt --check

step "cargo clippy (native, all targets; wasm library)"
cargo clippy --locked --all-targets -- -D warnings
cargo clippy --locked --target wasm32-unknown-unknown --lib --tests -- -D warnings

step "native tests"
cargo test --locked

step "wasm tests (wasm-bindgen-test-runner, Node)"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test --locked --target wasm32-unknown-unknown --test wasm_parity

step "build the page"
bash scripts/build.sh

step "page logic unit tests (Node; they read the engine's catalog from www/pkg)"
node --test tests/unit/

step "end-to-end tests (headless Chromium)"
node --test --test-concurrency=1 tests/e2e/
