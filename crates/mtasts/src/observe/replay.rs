//! A [`Transport`] that answers from a recorded [`Evidence`]: each DNS answer is encoded in wire
//! format once, and every query is encoded and its answer decoded again, as DNS over HTTPS would
//! have it; the policy fetch is the recorded one. What remains per report is a platform's own
//! work — encode, decode, gather, judge — with no I/O, which is what the benchmarks measure: the
//! criterion bench natively, and the Worker's `/api/bench/report` inside workerd.

use std::collections::HashMap;

use crate::observe::dns;
use crate::observe::evidence::{
    DnsLookup, ErrorKind, Evidence, LookupError, PolicyFetch, Rcode, RecordType,
};
use crate::observe::gather::Transport;

/// Recorded answers (wire format) and the recorded policy fetch of one domain.
pub struct Replay {
    wire: HashMap<(String, RecordType), Vec<u8>>,
    fetch: PolicyFetch,
    now: u64,
}

impl Replay {
    /// From a recorded Evidence. Lookups that cannot be written in wire format are left out
    /// (a query for them is then answered NXDOMAIN); a missing fetch replays as a failed one.
    pub fn new(ev: &Evidence) -> Self {
        let mut lookups: Vec<&DnsLookup> = vec![&ev.sts_txt, &ev.mx, &ev.tlsrpt_txt];
        lookups.extend(&ev.policy_host);
        lookups.extend(&ev.tlsa);
        lookups.extend(&ev.rua_mx);
        lookups.extend(&ev.ns);
        let wire = lookups
            .into_iter()
            .filter_map(|l| {
                let q = dns::encode_query(&l.name, l.qtype).ok()?;
                let answers: Vec<_> = l
                    .answers
                    .iter()
                    .map(|r| (l.name.clone(), r.ttl, r.data.clone()))
                    .collect();
                let rcode = l.rcode.unwrap_or(Rcode::NoError);
                let msg = dns::encode_response(&q, rcode, l.authenticated, &answers).ok()?;
                Some(((l.name.clone(), l.qtype), msg))
            })
            .collect();
        let fetch = ev.policy_fetch.clone().unwrap_or_else(|| PolicyFetch {
            error: Some(LookupError {
                kind: ErrorKind::Other,
                message: "no policy fetch was recorded".into(),
            }),
            ..PolicyFetch::new(crate::observe::gather::policy_url(&ev.domain))
        });
        Replay {
            wire,
            fetch,
            now: ev.observed_at,
        }
    }
}

impl Transport for Replay {
    async fn query(&self, name: &str, qtype: RecordType) -> DnsLookup {
        let fail = |e: dns::WireError| {
            DnsLookup::failed(name, qtype, ErrorKind::BadResponse, e.to_string())
        };
        let q = match dns::encode_query(name, qtype) {
            Ok(q) => std::hint::black_box(q),
            Err(e) => return fail(e),
        };
        let nx;
        let msg = match self.wire.get(&(name.to_owned(), qtype)) {
            Some(msg) => msg,
            None => match dns::encode_response(&q, Rcode::NxDomain, false, &[]) {
                Ok(m) => {
                    nx = m;
                    &nx
                }
                Err(e) => return fail(e),
            },
        };
        dns::decode_response(name, qtype, msg).unwrap_or_else(fail)
    }

    async fn fetch_policy(&self, _domain: &str) -> PolicyFetch {
        self.fetch.clone()
    }

    fn now(&self) -> u64 {
        self.now
    }
}
