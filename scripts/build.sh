#!/usr/bin/env bash
# Builds the engine to wasm and generates its JS bindings into www/pkg/.
#   scripts/build.sh          for serving the working tree (npm start, the tests)
#   scripts/build.sh --dist   also writes dist/: the whole static site, relative paths only
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked --target wasm32-unknown-unknown --lib
rm -rf www/pkg
wasm-bindgen --target web --no-typescript --remove-name-section --out-dir www/pkg \
  target/wasm32-unknown-unknown/release/kafka_election.wasm
# es-hangul's ESM build for the browser (Korean particles chosen from the word before them): the
# page has no bundler, so the one self-contained file is served as it is. It must import nothing.
mkdir -p www/vendor
cp node_modules/es-hangul/dist/index.mjs www/vendor/es-hangul.mjs
if grep -Eq '^[[:space:]]*(import|export .* from)[[:space:]]' www/vendor/es-hangul.mjs; then
  echo "build: www/vendor/es-hangul.mjs has imports; the page cannot load it without a bundler" >&2
  exit 1
fi
if [ "${1:-}" = "--dist" ]; then
  rm -rf dist
  mkdir -p dist
  cp index.html dist/
  cp -r www dist/www
  # The example host page (embeds) and the exercises the page loads by relative path.
  cp -r examples exercises dist/
  # GitHub Pages: serve files as they are.
  touch dist/.nojekyll
  echo "build: dist/ is ready ($(du -sh dist | cut -f1)); publish it as it is, e.g. to GitHub Pages"
fi
