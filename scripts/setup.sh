#!/usr/bin/env bash
# Installs what a fresh machine lacks for building and testing mtasts. Idempotent and quick when
# everything is present. Sourced by scripts/start.sh and scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

have() { command -v "$1" >/dev/null 2>&1; }

if ! have cargo; then
  echo "setup: cargo not found; install Rust with rustup first" >&2
  exit 2
fi
# rust-toolchain.toml names the channel, components and the wasm32 target; make sure they exist.
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  echo "setup: adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
for c in rustfmt clippy; do
  if ! rustup component list --installed 2>/dev/null | grep -q "^$c"; then
    echo "setup: adding $c"
    rustup component add "$c"
  fi
done
