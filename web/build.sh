#!/usr/bin/env bash
# Builds dockdrill's static web page into web/dist/: index.html, app.js, style.css and dockdrill.wasm (the
# simulator, the REPL session and the shipped course compiled for the browser). Serve the folder from any
# static host, e.g. `python3 -m http.server -d web/dist`; nothing is fetched from anywhere else at run time.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi

# The module's crate (web/wasm) is its own workspace; it shares the main target folder so the build cache is
# one.
CARGO_TARGET_DIR="$PWD/target" cargo build --locked --release --target wasm32-unknown-unknown \
  --manifest-path web/wasm/Cargo.toml

rm -rf web/dist
mkdir -p web/dist
cp web/index.html web/app.js web/style.css web/dist/
cp target/wasm32-unknown-unknown/release/dockdrill_web.wasm web/dist/dockdrill.wasm
size=$(wc -c < web/dist/dockdrill.wasm)
gz=$(gzip -9c web/dist/dockdrill.wasm | wc -c)
echo "web/dist/ written: dockdrill.wasm is ${size} bytes (${gz} gzipped)"
