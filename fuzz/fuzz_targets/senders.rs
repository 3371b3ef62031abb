//! Arbitrary inputs through every sender model and the "How senders read this" view: no panic,
//! every model answers, and the view has a row per sender. Coverage of the models' branches
//! guides the corpus, from which tests/conformance/fuzzer/ is selected (its README).
//!
//! Input: the first byte % 4 picks the kind; the rest is
//! * 0: a policy body served 200 `text/plain`;
//! * 1: a status byte (index into `STATUSES`), the Content-Type up to the first LF (empty: no
//!   header), then the body;
//! * 2: TXT records (UTF-8, lossy), separated by NUL;
//! * 3: an `mx` pattern and a host (UTF-8, lossy), separated by the first NUL.
#![no_main]
use libfuzzer_sys::fuzz_target;
use mtasts::senders::{self, view, Response, SENDERS};

/// The statuses kind 1 picks from (tests/conformance/grid.py reads the same table).
const STATUSES: [u16; 8] = [200, 200, 201, 203, 301, 302, 404, 500];

fn policy(response: &Response<'_>) {
    for m in SENDERS.iter().copied().chain([&senders::rfc::MODEL]) {
        if let senders::PolicyRead::Policy(p) = (m.policy)(response) {
            for pattern in &p.mx {
                let _ = (m.matches)(pattern, "mail.example.com");
            }
        }
    }
    let v = view::view(&view::Inputs {
        txt: None,
        response: *response,
        mx_hosts: &["mail.example.com", "mx.example.net"],
    });
    assert_eq!(v.rows.len(), SENDERS.len());
    assert!(!v.summary.is_empty());
}

fuzz_target!(|data: &[u8]| {
    let Some((&kind, rest)) = data.split_first() else {
        return;
    };
    match kind % 4 {
        0 => policy(&Response {
            status: 200,
            content_type: Some("text/plain"),
            body: rest,
        }),
        1 => {
            let Some((&s, rest)) = rest.split_first() else {
                return;
            };
            let (ct, body) = match rest.iter().position(|&b| b == b'\n') {
                Some(i) => (&rest[..i], &rest[i + 1..]),
                None => (rest, &b""[..]),
            };
            let ct = String::from_utf8_lossy(ct);
            policy(&Response {
                status: STATUSES[usize::from(s) % STATUSES.len()],
                content_type: (!ct.is_empty()).then_some(&*ct),
                body,
            });
        }
        2 => {
            let text = String::from_utf8_lossy(rest);
            let records: Vec<&str> = text.split('\0').collect();
            for m in SENDERS.iter().copied().chain([&senders::rfc::MODEL]) {
                let _ = (m.txt)(&records);
            }
        }
        _ => {
            let text = String::from_utf8_lossy(rest);
            let (pattern, host) = text.split_once('\0').unwrap_or((&text, ""));
            for m in SENDERS.iter().copied().chain([&senders::rfc::MODEL]) {
                let _ = (m.matches)(pattern, host);
            }
        }
    }
});
