#!/usr/bin/env bash
# The benchmarks (npm run bench): the engine natively (Criterion, benches/engine.rs), then the
# browser benchmark (bench/browser.mjs: wasm vs native, timeline repaint, the page's first
# meaningful paint and longest task, the size of dist/). The report goes to stdout and to
# test-artifacts/bench.md. BENCH_QUICK=1 takes fewer repetitions.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n\033[1m== %s\033[0m\n' "$*" >&2; }

step "set-up"
bash scripts/setup.sh --browser

step "native: cargo bench --bench engine"
cargo bench --locked --bench engine

step "build: the release CLI and dist/"
cargo build --release --locked --bin kafka-election
bash scripts/build.sh --dist

step "browser: node bench/browser.mjs"
node bench/browser.mjs
