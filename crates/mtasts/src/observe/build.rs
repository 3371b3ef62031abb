//! Evidence by hand, for tests and examples: [`Evidence::builder`] starts from a domain with
//! everything right, and each method changes one observation. A table test of a judge is then a
//! line per case.
//!
//! ```
//! use mtasts::observe::evidence::Evidence;
//! let ev = Evidence::builder("example.com").response(404, "text/plain", "Not Found").build();
//! assert!(mtasts::assess(&ev).with_code(mtasts::judge::fetch::POLICY_HTTP_STATUS).next().is_some());
//! ```

use crate::observe::evidence::{
    Body, CertificateFacts, DnsLookup, DnsRecord, ErrorKind, Evidence, LookupError, PolicyFetch,
    Rcode, RecordData, RecordType, SCHEMA_VERSION,
};
use crate::observe::gather::policy_url;

/// The observation time of built Evidence (2023-11-14T22:13:20Z).
pub const BUILT_AT: u64 = 1_700_000_000;

/// Evidence under construction (see the module documentation).
#[derive(Debug, Clone)]
pub struct EvidenceBuilder {
    ev: Evidence,
}

impl Evidence {
    /// Evidence for `domain` with everything right: one `v=STSv1` record, MX `mx1` and `mx2`
    /// under the domain, a TLS-RPT record, and an enforce policy for both served as text/plain
    /// over a certificate valid for the policy host.
    pub fn builder(domain: &str) -> EvidenceBuilder {
        let d = domain;
        let policy = format!(
            "version: STSv1\r\nmode: enforce\r\nmx: mx1.{d}\r\nmx: mx2.{d}\r\nmax_age: 1209600\r\n"
        );
        EvidenceBuilder {
            ev: Evidence {
                schema_version: SCHEMA_VERSION,
                domain: d.to_owned(),
                observed_at: BUILT_AT,
                sts_txt: DnsLookup::empty(format!("_mta-sts.{d}"), RecordType::TXT, Rcode::NoError),
                mx: DnsLookup::empty(d, RecordType::MX, Rcode::NoError),
                tlsrpt_txt: DnsLookup::empty(
                    format!("_smtp._tls.{d}"),
                    RecordType::TXT,
                    Rcode::NoError,
                ),
                policy_host: Vec::new(),
                policy_fetch: None,
                tlsa: Vec::new(),
                smtp: None,
                ns: None,
                rua_mx: Vec::new(),
            },
        }
        .sts_txt(&["v=STSv1; id=20240101"])
        .mx(&[(10, &format!("mx1.{d}")), (20, &format!("mx2.{d}"))])
        .tlsrpt(&[&format!("v=TLSRPTv1; rua=mailto:tls@{d}")])
        .response(200, "text/plain; charset=utf-8", &policy)
        .certificate(CertificateFacts {
            subject_names: vec![format!("mta-sts.{d}")],
            issuer: Some("CN=Test CA".into()),
            not_before: Some(BUILT_AT - 86_400),
            not_after: Some(BUILT_AT + 90 * 86_400),
            self_signed: Some(false),
        })
    }
}

fn txt(name: &str, records: &[&str]) -> DnsLookup {
    let answers = records
        .iter()
        .map(|r| DnsRecord {
            ttl: 300,
            data: RecordData::Txt {
                strings: vec![(*r).to_owned()],
            },
        })
        .collect();
    DnsLookup::answered(name, RecordType::TXT, answers)
}

impl EvidenceBuilder {
    /// The `_mta-sts` TXT records (one string each).
    #[must_use]
    pub fn sts_txt(mut self, records: &[&str]) -> Self {
        self.ev.sts_txt = txt(&self.ev.sts_txt.name, records);
        self
    }

    /// The `_smtp._tls` TXT records (one string each).
    #[must_use]
    pub fn tlsrpt(mut self, records: &[&str]) -> Self {
        self.ev.tlsrpt_txt = txt(&self.ev.tlsrpt_txt.name, records);
        self
    }

    /// The MX records (`.` for a null MX).
    #[must_use]
    pub fn mx(mut self, hosts: &[(u16, &str)]) -> Self {
        let answers = hosts
            .iter()
            .map(|(preference, exchange)| DnsRecord {
                ttl: 300,
                data: RecordData::Mx {
                    preference: *preference,
                    exchange: (*exchange).to_owned(),
                },
            })
            .collect();
        self.ev.mx = DnsLookup::answered(self.ev.domain.clone(), RecordType::MX, answers);
        self
    }

    /// Replaces one of the lookups (`_mta-sts` TXT, MX, `_smtp._tls` TXT, the policy host) by the
    /// response code `rcode` with no records, or by a failure when `rcode` is `None`.
    #[must_use]
    pub fn answer(mut self, which: Lookup, rcode: Option<Rcode>) -> Self {
        let l = match which {
            Lookup::StsTxt => &mut self.ev.sts_txt,
            Lookup::Mx => &mut self.ev.mx,
            Lookup::Tlsrpt => &mut self.ev.tlsrpt_txt,
            Lookup::PolicyHost => {
                let name = format!("mta-sts.{}", self.ev.domain);
                self.ev.policy_host = [RecordType::A, RecordType::AAAA]
                    .into_iter()
                    .map(|t| match rcode {
                        Some(rcode) => DnsLookup::empty(name.clone(), t, rcode),
                        None => DnsLookup::failed(name.clone(), t, ErrorKind::Timeout, "no answer"),
                    })
                    .collect();
                return self;
            }
        };
        *l = match rcode {
            Some(rcode) => DnsLookup::empty(l.name.clone(), l.qtype, rcode),
            None => DnsLookup::failed(l.name.clone(), l.qtype, ErrorKind::Timeout, "no answer"),
        };
        self
    }

    /// One SMTP session with an address of MX host `host`, as `mtasts check --smtp` records it
    /// (the probe is created on first use; sessions of one host are kept together).
    #[must_use]
    pub fn smtp(mut self, host: &str, session: crate::observe::smtp::AddressProbe) -> Self {
        let probe = self.ev.smtp.get_or_insert_with(Default::default);
        match probe.hosts.iter_mut().find(|h| h.host == host) {
            Some(h) => h.addresses.push(session),
            None => probe.hosts.push(crate::observe::smtp::MxProbe {
                host: host.to_owned(),
                addresses: vec![session],
                error: None,
            }),
        }
        self
    }

    /// A good SMTP session with `host`: STARTTLS, TLS 1.3, a certificate for the name valid for
    /// 90 days, verified.
    pub fn good_session(host: &str) -> crate::observe::smtp::AddressProbe {
        crate::observe::smtp::AddressProbe {
            greeting: Some(format!("220 {host} ESMTP")),
            starttls: Some(true),
            tls_version: Some("TLSv1.3".into()),
            certificate: Some(CertificateFacts {
                subject_names: vec![host.to_owned()],
                issuer: Some("CN=Test CA".into()),
                not_before: Some(BUILT_AT - 86_400),
                not_after: Some(BUILT_AT + 90 * 86_400),
                self_signed: Some(false),
            }),
            valid_for_host: Some(true),
            elapsed_ms: Some(40),
            ..crate::observe::smtp::AddressProbe::new("192.0.2.25:25")
        }
    }

    /// The policy host's addresses as DNS over HTTPS answered them (A records).
    #[must_use]
    pub fn policy_host(mut self, addresses: &[&str]) -> Self {
        let answers = addresses
            .iter()
            .map(|a| DnsRecord {
                ttl: 300,
                data: RecordData::A {
                    address: (*a).to_owned(),
                },
            })
            .collect();
        let name = format!("mta-sts.{}", self.ev.domain);
        self.ev.policy_host = vec![
            DnsLookup::answered(name.clone(), RecordType::A, answers),
            DnsLookup::empty(name, RecordType::AAAA, Rcode::NoError),
        ];
        self
    }

    /// The policy host's response: status, Content-Type (none when empty) and body.
    #[must_use]
    pub fn response(mut self, status: u16, content_type: &str, body: &str) -> Self {
        let mut f = PolicyFetch::new(policy_url(&self.ev.domain));
        let head: Vec<(&str, String)> = if content_type.is_empty() {
            Vec::new()
        } else {
            vec![("content-type", content_type.to_owned())]
        };
        if f.record_head(status, head) == crate::observe::fetch::Next::ReadBody {
            f.push_body(body.as_bytes());
        }
        f.certificate = self.ev.policy_fetch.take().and_then(|old| old.certificate);
        self.ev.policy_fetch = Some(f);
        self
    }

    /// A redirect to `location`.
    #[must_use]
    pub fn redirect(mut self, status: u16, location: &str) -> Self {
        let mut f = PolicyFetch::new(policy_url(&self.ev.domain));
        f.record_head(status, [("location", location.to_owned())]);
        self.ev.policy_fetch = Some(f);
        self
    }

    /// A fetch that failed.
    #[must_use]
    pub fn fetch_error(mut self, kind: ErrorKind, message: &str) -> Self {
        let mut f = PolicyFetch::new(policy_url(&self.ev.domain));
        f.error = Some(LookupError {
            kind,
            message: message.to_owned(),
        });
        self.ev.policy_fetch = Some(f);
        self
    }

    /// The body was cut at the cap (`truncated`).
    #[must_use]
    pub fn truncated(mut self) -> Self {
        if let Some(f) = &mut self.ev.policy_fetch {
            f.truncated = true;
        }
        self
    }

    /// The certificate the policy host presented.
    #[must_use]
    pub fn certificate(mut self, facts: CertificateFacts) -> Self {
        if let Some(f) = &mut self.ev.policy_fetch {
            f.certificate = Some(facts);
        }
        self
    }

    /// The MX and `_mta-sts` answers came with the AD bit.
    #[must_use]
    pub fn dnssec(mut self) -> Self {
        self.ev.mx.authenticated = true;
        self.ev.sts_txt.authenticated = true;
        self
    }

    /// A TLSA record (3 1 1) at `_25._tcp.<host>`.
    #[must_use]
    pub fn tlsa(mut self, host: &str) -> Self {
        self.ev.tlsa.push(DnsLookup::answered(
            format!("_25._tcp.{host}"),
            RecordType::TLSA,
            vec![DnsRecord {
                ttl: 300,
                data: RecordData::Tlsa {
                    usage: 3,
                    selector: 1,
                    matching_type: 1,
                    data: "ab".repeat(32),
                },
            }],
        ));
        self
    }

    /// The body as bytes (for bodies that are not UTF-8).
    #[must_use]
    pub fn body_bytes(mut self, bytes: &[u8]) -> Self {
        if let Some(f) = &mut self.ev.policy_fetch {
            f.body = Some(Body(bytes.to_vec()));
        }
        self
    }

    /// The Evidence.
    pub fn build(self) -> Evidence {
        self.ev
    }
}

/// One of the three lookups [`EvidenceBuilder::answer`] replaces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup {
    /// TXT at `_mta-sts.<domain>`.
    StsTxt,
    /// MX at `<domain>`.
    Mx,
    /// TXT at `_smtp._tls.<domain>`.
    Tlsrpt,
    /// A at `mta-sts.<domain>` (and AAAA beside it: the same answer).
    PolicyHost,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::judge::assess;
    use crate::report::Verdict;

    #[test]
    fn the_default_is_a_clean_pass() {
        let r = assess(&Evidence::builder("example.com").build());
        assert_eq!(r.verdict, Verdict::Pass, "{:#?}", r.findings);
    }
}
