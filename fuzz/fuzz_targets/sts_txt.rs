//! Arbitrary records (split on NUL into a set): no panic, and a valid record round-trips.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let records: Vec<&str> = text.split('\0').collect();
    let c = mtasts::check_sts_txt(&records);
    if let Some(r) = c.record {
        let again: mtasts::StsRecord = r
            .to_string()
            .parse()
            .expect("display of a valid record parses");
        assert_eq!(again, r);
    }
});
