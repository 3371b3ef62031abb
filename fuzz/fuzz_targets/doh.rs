//! Arbitrary bytes as a DNS-over-HTTPS answer: the decoder never panics, and whatever it accepts
//! holds only records of the type asked for, each name a bounded wire name.
#![no_main]
use libfuzzer_sys::fuzz_target;
use mtasts::observe::dns::{decode_question, decode_response};
use mtasts::observe::evidence::RecordType;

const TYPES: [RecordType; 6] = [
    RecordType::A,
    RecordType::AAAA,
    RecordType::CNAME,
    RecordType::MX,
    RecordType::TXT,
    RecordType::TLSA,
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, msg)) = data.split_first() else {
        return;
    };
    let qtype = TYPES[usize::from(selector) % TYPES.len()];
    let name = if selector & 0x80 == 0 { "example.com" } else { "_mta-sts.example.com" };
    if let Ok(lookup) = decode_response(name, qtype, msg) {
        assert_eq!(lookup.qtype, qtype);
        assert!(lookup.answers.len() <= msg.len());
        for n in lookup.cname_chain.iter() {
            assert!(n.len() <= 1024, "a decoded name is bounded by the wire format");
        }
    }
    // The same bytes as a query, as the fixture DoH server reads it.
    let _ = decode_question(msg);
});
