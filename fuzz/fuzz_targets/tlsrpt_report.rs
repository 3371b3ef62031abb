//! Arbitrary files as TLS-RPT aggregate reports (JSON, gzip, mail, mbox): no panic, bounded
//! output, and every report serialises in the JSON contract and as CSV.
#![no_main]
use std::io::Read;

use libfuzzer_sys::fuzz_target;
use mtasts::reports::{self, Collection, MAX_JSON_BYTES};

fuzz_target!(|data: &[u8]| {
    let (found, unread) = reports::read_file("fuzz.eml", data, |gz| {
        let mut out = vec![];
        flate2::read::MultiGzDecoder::new(gz)
            .take(MAX_JSON_BYTES as u64 + 1)
            .read_to_end(&mut out)
            .map_err(|e| e.to_string())?;
        Ok(out)
    });
    let mut all = Collection::new();
    for r in found {
        assert!(r.notes.len() <= reports::MAX_NOTES + 1);
        assert!(r.policies.len() <= reports::MAX_POLICIES);
        all.add(r);
    }
    unread.into_iter().for_each(|u| all.add_unread(u));
    let doc = all.document();
    serde_json::to_string(&doc).expect("the document serialises");
    let csv = reports::csv(doc.reports);
    assert!(csv.starts_with("row,"));
});
