//! Arbitrary pattern/host pairs: no panic; a pattern that passes the grammar matches its own host.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (pattern, host) = text.split_once('\0').unwrap_or((&text, ""));
    let _ = mtasts::mx_matches(pattern, host);
    if mtasts::check_pattern(pattern).is_ok() && !pattern.starts_with("*.") {
        assert!(mtasts::mx_matches(pattern, pattern));
    }
});
