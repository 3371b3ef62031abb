//! Component tests (wasm-bindgen-test, headless Chromium).
