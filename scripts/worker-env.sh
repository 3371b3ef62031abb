#!/usr/bin/env bash
# Environment that makes worker-build and wrangler use the locally installed tools instead of
# downloading them (TOOLCHAIN.md). Source it.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export WASM_BINDGEN_BIN="${WASM_BINDGEN_BIN:-$(command -v wasm-bindgen || true)}"
export WASM_OPT_BIN="$root/node_modules/.bin/wasm-opt"
export ESBUILD_BIN="$root/node_modules/@esbuild/linux-x64/bin/esbuild"
export WRANGLER_SEND_METRICS=false
# The Worker's wasm is built for size (Cargo.toml's release profile is tuned for the native CLI).
export CARGO_PROFILE_RELEASE_OPT_LEVEL=z
export CLOUDFLARE_CF_FETCH_ENABLED=false
export PATH="$root/node_modules/.bin:$HOME/.cargo/bin:$PATH"
