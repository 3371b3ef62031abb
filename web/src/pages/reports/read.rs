//! Reading the files: each one's payloads extracted and inflated (gzip through the browser's own
//! `DecompressionStream`, stopped at the crate's limit), a few files at once, then parsed into the
//! collection, yielding to the browser every few milliseconds.

use std::sync::Arc;

use mtasts::reports::{self, Collection, Unread, MAX_FILE_BYTES, MAX_JSON_BYTES};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use leptos::prelude::*;

use super::{shown, Reader};

fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Lets the browser paint and handle input (a macrotask, not a microtask).
async fn breathe() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
        }
    });
    let _ = JsFuture::from(promise).await;
}

// `DecompressionStream` is behind `web_sys_unstable_apis`; these few bindings avoid a global cfg.
#[wasm_bindgen]
extern "C" {
    type DecompressionStream;
    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<DecompressionStream, JsValue>;
    #[wasm_bindgen(method, getter)]
    fn readable(this: &DecompressionStream) -> web_sys::ReadableStream;
    #[wasm_bindgen(method, getter)]
    fn writable(this: &DecompressionStream) -> web_sys::WritableStream;
}

/// Gzip inflated by the browser, stopped past [`MAX_JSON_BYTES`] (a gzip bomb).
async fn inflate(origin: &str, gz: &[u8]) -> Result<Vec<u8>, String> {
    let fail = |_: JsValue| "the gzip cannot be decompressed (corrupt or truncated)".to_owned();
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(gz));
    let blob = web_sys::Blob::new_with_u8_array_sequence(&parts).map_err(fail)?;
    let ds = DecompressionStream::new("gzip").map_err(fail)?;
    let pair = web_sys::ReadableWritablePair::new(&ds.readable(), &ds.writable());
    let reader: web_sys::ReadableStreamDefaultReader = blob
        .stream()
        .pipe_through(&pair)
        .get_reader()
        .unchecked_into();
    let mut out = vec![];
    loop {
        let chunk = JsFuture::from(reader.read()).await.map_err(fail)?;
        if js_sys::Reflect::get(&chunk, &"done".into())
            .ok()
            .and_then(|d| d.as_bool())
            .unwrap_or(true)
        {
            return Ok(out);
        }
        let value: js_sys::Uint8Array = js_sys::Reflect::get(&chunk, &"value".into())
            .map_err(fail)?
            .unchecked_into();
        if out.len() + value.length() as usize > MAX_JSON_BYTES {
            let _ = reader.cancel();
            return Err(reports::too_large(origin).message);
        }
        let at = out.len();
        out.resize(at + value.length() as usize, 0);
        value.copy_to(&mut out[at..]);
    }
}

/// One file's payloads, read and inflated (the waiting part: several files at once overlap it).
type Loaded = Vec<Result<(reports::Payload, Vec<u8>), Unread>>;

/// Reads one file and inflates its gzip payloads.
async fn load(file: web_sys::File) -> Loaded {
    let name = file.name();
    let unread = |origin: String, message: String| vec![Err(Unread { origin, message })];
    if file.size() > MAX_FILE_BYTES as f64 {
        return unread(
            name,
            format!("larger than {} MB: not read", MAX_FILE_BYTES >> 20),
        );
    }
    let Ok(buffer) = JsFuture::from(file.array_buffer()).await else {
        return unread(name, "the browser could not read this file".into());
    };
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    let mut out = vec![];
    for payload in reports::extract(&name, &bytes) {
        out.push(match payload {
            Err(u) => Err(u),
            Ok(p) => {
                let json = match p.kind {
                    reports::Kind::Json => Ok(p.bytes.clone()),
                    reports::Kind::Gzip => inflate(&p.origin, &p.bytes).await,
                };
                json.map(|j| (p.clone(), j)).map_err(|message| Unread {
                    origin: p.origin.clone(),
                    message,
                })
            }
        });
    }
    out
}

/// Parses what [`load`] read into `all`.
fn add(loaded: Loaded, all: &mut Collection) {
    for item in loaded {
        match item.and_then(|(p, json)| reports::parse(&p, &json)) {
            Ok(found) => found.into_iter().for_each(|r| all.add(r)),
            Err(u) => all.add_unread(u),
        }
    }
}

/// Files read at once.
const AT_ONCE: usize = 32;

/// Reads `files` into the reader's collection, [`AT_ONCE`] at a time, showing the progress, then
/// the result.
pub(super) async fn read(reader: Reader, files: Vec<web_sys::File>) {
    let Reader {
        all,
        files_read,
        progress,
        result,
    } = reader;
    let total = files.len();
    let start = now();
    let _ = web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.mark("mtasts-reports-start"));
    progress.set(Some((0, total)));
    let mut collection = all.try_update_value(std::mem::take).unwrap_or_default();
    let mut last = now();
    let mut done = 0;
    for batch in files.chunks(AT_ONCE) {
        let loaded = futures::future::join_all(batch.iter().cloned().map(load)).await;
        for l in loaded {
            add(l, &mut collection);
            done += 1;
            if now() - last > 12.0 {
                progress.set(Some((done, total)));
                breathe().await;
                last = now();
            }
        }
    }
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.measure_with_start_mark("mtasts-reports-read", "mtasts-reports-start");
    }
    let files = files_read.get_value() + total;
    files_read.set_value(files);
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let view = shown(&collection, files, (now() - start).max(0.0) as u64);
    all.set_value(collection);
    result.set(Some(Arc::new(view)));
    progress.set(None);
    // Measured once the summary is rendered (the next animation frame).
    if let Some(w) = web_sys::window() {
        let measure = wasm_bindgen::closure::Closure::once_into_js(|| {
            if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
                let _ = p.measure_with_start_mark("mtasts-reports", "mtasts-reports-start");
            }
        });
        let _ = w.request_animation_frame(measure.unchecked_ref());
    }
}
