//! Arbitrary bytes as an Evidence file (what `mtasts assess` and the page read): reading never
//! panics, and every Evidence that reads is judged without a panic into a consistent report.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(ev) = serde_json::from_slice::<mtasts::Evidence>(data) else {
        return;
    };
    let report = mtasts::assess(&ev);
    if report.findings.iter().any(|f| f.is_error()) {
        assert_ne!(report.verdict, mtasts::Verdict::Pass, "an error never passes");
    }
    assert!(!report.summary.is_empty());
    let _ = serde_json::to_string(&report).expect("a report serialises");
});
