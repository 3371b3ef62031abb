//! Arbitrary text as what a person pastes into the domain box: `normalize_domain` never panics,
//! and what it accepts is a host name that normalises to itself.
#![no_main]
use libfuzzer_sys::fuzz_target;
use mtasts::{normalize_domain, HostName, InputRules};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for rules in [InputRules { allow_test: false }, InputRules { allow_test: true }] {
        if let Ok(name) = normalize_domain(&text, rules) {
            assert!(name.len() <= 253, "{name:?} is longer than a host name can be");
            assert!(HostName::parse(&name).is_ok(), "{name:?} is not a host name");
            assert_eq!(normalize_domain(&name, rules).as_deref(), Ok(name.as_str()));
        }
    }
});
