//! The scenario world: one table of domains under `.test`, each with its DNS answers, its policy
//! host's HTTP response and certificate, and the verdict and codes a correct checker gives.
//!
//! Everything else reads this table: the DoH and HTTPS servers of the fixture internet (the CLI,
//! Worker and Playwright tests, the offline demo), the in-memory transport ([`crate::memory`])
//! through which `gather` writes the Evidence fixtures in `tests/fixtures/evidence/`, and the
//! test that proves every finding code's scenario examples. `{d}` in a value stands for the
//! scenario's domain.

use mtasts::observe::evidence::{Rcode, RecordData};

/// The observation time of the Evidence fixtures (2025-11-22T08:26:40Z).
pub const NOW: u64 = 1_763_800_000;
/// Size of an [`Body::Oversized`] body: larger than the 64 KiB cap.
pub const BIG_BODY: usize = 100 * 1024;
/// Validity of the certificates (Unix seconds): 2025-01-01 to 2035-01-01, or, when expired,
/// 2020-01-01 to 2021-01-01.
pub const CERT_VALID: (u64, u64) = (1_735_689_600, 2_051_222_400);
/// Validity of an expired certificate.
pub const CERT_EXPIRED: (u64, u64) = (1_577_836_800, 1_609_459_200);
/// 2025-06-01 to 2035-06-01: a renewal of [`CERT_VALID`].
pub const CERT_RENEWED: (u64, u64) = (1_748_736_000, 2_064_268_800);
/// The issuer of every certificate (the test CA made at start-up).
pub const CA_NAME: &str = "mtasts fixture test CA";

/// A DNS answer for one name and type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dns {
    /// Records of the type asked for.
    Records(&'static [Rec]),
    /// The name does not exist.
    NxDomain,
    /// The name exists without records of that type.
    NoData,
    /// The resolver fails.
    ServFail,
    /// No answer at all: the resolver stalls (the checker times out).
    Stall,
    /// An alias: a CNAME to `target` (under the scenario's domain or another), answered with the
    /// records found there.
    Cname {
        /// The alias target.
        target: &'static str,
        /// The records at the target.
        records: &'static [Rec],
    },
}

/// One record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rec {
    /// A TXT record of these character-strings.
    Txt(&'static [&'static str]),
    /// An MX record (`.` for the null MX).
    Mx(u16, &'static str),
    /// A DANE-EE TLSA record (3 1 1) with this association data, hex.
    Tlsa(&'static str),
}

/// Where `mta-sts.<domain>` points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Host {
    /// To the fixture HTTPS server.
    Served,
    /// To an address where nothing listens.
    Closed,
    /// Nowhere: the name does not exist.
    Missing,
    /// `mta-sts.<domain>` is an alias (CNAME) of a name that does not exist: a deleted site.
    Dangling,
}

/// The body of the policy host's response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Body {
    /// A policy of this mode and these `mx` lines, `max_age` one week in testing and two in
    /// enforce, lines ending in `eol`.
    Policy {
        /// `enforce`, `testing` or `none`.
        mode: &'static str,
        /// The `mx` values.
        mx: &'static [&'static str],
        /// `"\r\n"` or `"\n"`.
        eol: &'static str,
    },
    /// This text.
    Text(&'static str),
    /// An enforce policy for `mx1.{d}` and `mx2.{d}` padded past [`BIG_BODY`].
    Oversized,
    /// The first line, then nothing for longer than any time-out.
    Stall,
}

/// The policy host's HTTP response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Http {
    /// Status code.
    pub status: u16,
    /// `Content-Type`.
    pub content_type: &'static str,
    /// `Location`, for a redirect.
    pub location: Option<&'static str>,
    /// The body.
    pub body: Body,
}

/// The policy host's certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cert {
    /// Valid for `mta-sts.<domain>`, issued by the test CA.
    Valid,
    /// Valid, but for `www.other.test` only.
    WrongName,
    /// For the right name, expired in 2021.
    Expired,
    /// Valid, with other dates than `Valid` (a renewal).
    Renewed,
}

/// What an MX host's SMTP service does (the in-memory probe of `mtasts check --smtp`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Smtp {
    /// STARTTLS, TLS 1.3, a certificate for the MX name from the test CA.
    Good,
    /// EHLO lists no STARTTLS.
    NoStarttls,
    /// The certificate names `smtp.provider.test` only.
    WrongName,
    /// The certificate expired in 2021.
    Expired,
    /// The certificate expires 5 days after [`NOW`].
    Expiring,
    /// A self-signed certificate.
    SelfSigned,
    /// The handshake fails: the host offers only TLS below 1.2.
    OldTls,
    /// A greeting, then silence.
    Silent,
    /// `421` at connect.
    Busy,
}

/// The key every fixture MX host's certificate carries (P-256, PKCS#8): a test key, public by
/// design, fixed so that DANE records can name it.
pub const SMTP_KEY_PEM: &str = "-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgOKZLmP7+bYIe0PFP
4SO2h6yj1WkvbEYIobebKErfJluhRANCAASJ5QPRMFVXwdUnvRc3YDIGraCXDRUP
GVocvaA7Cfbwb/fsedjTTz/0mBgFrM0uZX6mxYZ+OZ8zHHF6+tv2whuj
-----END PRIVATE KEY-----
";

/// The SHA-256 of [`SMTP_KEY_PEM`]'s SubjectPublicKeyInfo: a TLSA `3 1 1` record of this value
/// matches every fixture MX host (a test in `smtp.rs` checks the two agree).
pub const SMTP_SPKI_SHA256: &str =
    "31e5b2b6e670d1bcab27243844c390d83e9bc1f6dcd713de0689fc79869f2d98";

/// A domain of the world and what a correct checker says about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scenario {
    /// The domain under `.test`.
    pub domain: &'static str,
    /// The expected verdict (`pass`, `warn`, `fail`, `not-applicable`, `inconclusive`).
    pub verdict: &'static str,
    /// Codes the report must contain; the first is the headline (none for a clean pass).
    pub codes: &'static [&'static str],
    /// TXT at `_mta-sts.<domain>`.
    pub sts_txt: Dns,
    /// TXT at `_smtp._tls.<domain>`.
    pub tlsrpt: Dns,
    /// MX at `<domain>`.
    pub mx: Dns,
    /// TLSA at `_25._tcp.mx1.<domain>`.
    pub tlsa: Dns,
    /// Whether the resolver validated the answers (the AD bit).
    pub dnssec: bool,
    /// Where the policy host points.
    pub host: Host,
    /// What the policy host answers.
    pub http: Http,
    /// The policy host's certificate.
    pub cert: Cert,
    /// The verdict and codes as the Worker sees them under workerd, where they differ: the edge
    /// platform may fail or answer in the policy host's place, which is "could not check".
    pub edge: Option<(&'static str, &'static [&'static str])>,
    /// What `mx1.<domain>` and `mx2.<domain>` do on port 25.
    pub smtp: [Smtp; 2],
    /// The verdict and codes with the MX hosts' SMTP service probed (`mtasts check --smtp`, and
    /// the in-memory world), where they differ from `verdict` and `codes` (which are what the
    /// page, the Worker and `mtasts check` without `--smtp` see).
    pub probed: Option<(&'static str, &'static [&'static str])>,
}

impl Scenario {
    /// The headline code ("" for none).
    pub fn code(&self) -> &'static str {
        self.codes.first().copied().unwrap_or("")
    }

    /// The verdict and codes the Worker gives (the same as everywhere unless `edge` says).
    pub fn at_edge(&self) -> (&'static str, &'static [&'static str]) {
        self.edge.unwrap_or((self.verdict, self.codes))
    }

    /// What MX host `host` does on port 25: `mx1`'s and `mx2`'s behaviours, good for any other.
    pub fn smtp_of(&self, host: &str) -> Smtp {
        if host == fill("mx1.{d}", self.domain) {
            self.smtp[0]
        } else if host == fill("mx2.{d}", self.domain) {
            self.smtp[1]
        } else {
            Smtp::Good
        }
    }

    /// The verdict and codes with the SMTP probe (the same unless `probed` says).
    pub fn with_probe(&self) -> (&'static str, &'static [&'static str]) {
        self.probed.unwrap_or((self.verdict, self.codes))
    }
}

const GOOD_MX: &[Rec] = &[Rec::Mx(10, "mx1.{d}"), Rec::Mx(20, "mx2.{d}")];
const GOOD_POLICY: Body = Body::Policy {
    mode: "enforce",
    mx: &["mx1.{d}", "mx2.{d}"],
    eol: "\r\n",
};
const fn ok(content_type: &'static str, body: Body) -> Http {
    Http {
        status: 200,
        content_type,
        location: None,
        body,
    }
}

/// A domain with everything right; the other scenarios change one thing of it.
pub const GOOD: Scenario = Scenario {
    domain: "good.test",
    verdict: "pass",
    codes: &[],
    sts_txt: Dns::Records(&[Rec::Txt(&["v=STSv1; id=20251101000000"])]),
    tlsrpt: Dns::Records(&[Rec::Txt(&["v=TLSRPTv1; rua=mailto:tls@{d}"])]),
    mx: Dns::Records(GOOD_MX),
    tlsa: Dns::NoData,
    dnssec: false,
    host: Host::Served,
    http: ok("text/plain; charset=utf-8", GOOD_POLICY),
    cert: Cert::Valid,
    edge: None,
    smtp: [Smtp::Good, Smtp::Good],
    probed: None,
};

/// At the edge, workerd reports a failed certificate check only as "internal error", and a 52x
/// comes from the platform: both are "could not check" there.
const EDGE_COULD_NOT_CHECK: Option<(&str, &[&str])> = Some(("inconclusive", &["lookup-failed"]));

/// Every scenario of the world.
pub const SCENARIOS: &[Scenario] = &[
    GOOD,
    Scenario {
        domain: "testing-no-tlsrpt.test",
        verdict: "warn",
        codes: &["tlsrpt-absent", "mode-testing"],
        tlsrpt: Dns::NxDomain,
        http: ok(
            "text/plain",
            Body::Policy {
                mode: "testing",
                mx: &["mx1.{d}", "mx2.{d}"],
                eol: "\r\n",
            },
        ),
        ..GOOD
    },
    Scenario {
        domain: "stale.test",
        verdict: "fail",
        codes: &["mx-not-covered", "mx-pattern-unused"],
        mx: Dns::Records(&[Rec::Mx(10, "aspmx.l.google.test"), Rec::Mx(20, "mx2.{d}")]),
        http: ok(
            "text/plain",
            Body::Policy {
                mode: "enforce",
                mx: &["*.mail.protection.outlook.test", "mx2.{d}"],
                eol: "\r\n",
            },
        ),
        ..GOOD
    },
    Scenario {
        domain: "redirect.test",
        verdict: "fail",
        codes: &["policy-redirect"],
        http: Http {
            status: 301,
            content_type: "text/html",
            location: Some("https://www.{d}/.well-known/mta-sts.txt"),
            body: Body::Text("<a href=\"https://www.{d}/.well-known/mta-sts.txt\">moved</a>"),
        },
        ..GOOD
    },
    Scenario {
        domain: "notfound.test",
        verdict: "fail",
        codes: &["policy-http-status"],
        http: Http {
            status: 404,
            content_type: "text/plain",
            location: None,
            body: Body::Text("Not Found"),
        },
        ..GOOD
    },
    Scenario {
        // A status the Cloudflare edge generates itself (its origin unreachable): the policy
        // host's own answer for a direct observer, the platform's at the edge.
        domain: "edge522.test",
        verdict: "fail",
        codes: &["policy-http-status"],
        http: Http {
            status: 522,
            content_type: "text/plain; charset=UTF-8",
            location: None,
            body: Body::Text("error code: 522"),
        },
        edge: EDGE_COULD_NOT_CHECK,
        ..GOOD
    },
    Scenario {
        domain: "html.test",
        verdict: "fail",
        codes: &["policy-html", "policy-content-type"],
        http: ok(
            "text/html; charset=utf-8",
            Body::Text("<!DOCTYPE html>\n<html><head><title>Welcome</title></head><body>Hello</body></html>\n"),
        ),
        ..GOOD
    },
    Scenario {
        domain: "ctype.test",
        verdict: "warn",
        codes: &["policy-content-type"],
        http: ok("application/octet-stream", GOOD_POLICY),
        ..GOOD
    },
    Scenario {
        domain: "big.test",
        verdict: "fail",
        codes: &["policy-too-large"],
        http: ok("text/plain", Body::Oversized),
        ..GOOD
    },
    Scenario {
        domain: "slow.test",
        verdict: "fail",
        codes: &["policy-unreachable"],
        http: ok("text/plain", Body::Stall),
        ..GOOD
    },
    Scenario {
        domain: "wrongname.test",
        verdict: "fail",
        codes: &["policy-tls"],
        cert: Cert::WrongName,
        edge: EDGE_COULD_NOT_CHECK,
        ..GOOD
    },
    Scenario {
        domain: "expired.test",
        verdict: "fail",
        codes: &["policy-tls"],
        cert: Cert::Expired,
        edge: EDGE_COULD_NOT_CHECK,
        ..GOOD
    },
    Scenario {
        domain: "several.test",
        verdict: "fail",
        codes: &["sts-txt-several"],
        sts_txt: Dns::Records(&[
            Rec::Txt(&["v=STSv1; id=2024"]),
            Rec::Txt(&["v=STSv1; id=2025"]),
        ]),
        ..GOOD
    },
    Scenario {
        domain: "none.test",
        verdict: "warn",
        codes: &["sts-absent"],
        sts_txt: Dns::NxDomain,
        tlsrpt: Dns::NxDomain,
        host: Host::Missing,
        ..GOOD
    },
    Scenario {
        domain: "cname.test",
        verdict: "pass",
        codes: &["sts-txt-delegated"],
        sts_txt: Dns::Cname {
            target: "_mta-sts.provider.test",
            records: &[Rec::Txt(&["v=STSv1; ", "id=20251101"])],
        },
        ..GOOD
    },
    Scenario {
        domain: "nullmx.test",
        verdict: "not-applicable",
        codes: &["mx-null"],
        mx: Dns::Records(&[Rec::Mx(0, ".")]),
        sts_txt: Dns::NxDomain,
        tlsrpt: Dns::NxDomain,
        host: Host::Missing,
        ..GOOD
    },
    Scenario {
        domain: "servfail.test",
        verdict: "inconclusive",
        codes: &["lookup-failed"],
        mx: Dns::ServFail,
        ..GOOD
    },
    Scenario {
        domain: "lf.test",
        verdict: "pass",
        codes: &["policy-lf-line-endings"],
        http: ok(
            "text/plain",
            Body::Policy {
                mode: "enforce",
                mx: &["mx1.{d}", "mx2.{d}"],
                eol: "\n",
            },
        ),
        ..GOOD
    },
    Scenario {
        domain: "unreachable.test",
        verdict: "fail",
        codes: &["policy-unreachable"],
        host: Host::Closed,
        ..GOOD
    },
    Scenario {
        domain: "longid.test",
        verdict: "fail",
        codes: &["sts-txt-id-invalid"],
        sts_txt: Dns::Records(&[Rec::Txt(&["v=STSv1; id=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"])]),
        ..GOOD
    },
    Scenario {
        domain: "policyonly.test",
        verdict: "fail",
        codes: &["sts-txt-missing-for-policy"],
        sts_txt: Dns::NxDomain,
        ..GOOD
    },
    Scenario {
        domain: "split.test",
        verdict: "pass",
        codes: &[],
        sts_txt: Dns::Records(&[Rec::Txt(&["v=STSv1; ", "id=20251101"])]),
        ..GOOD
    },
    Scenario {
        domain: "stsfail.test",
        verdict: "inconclusive",
        codes: &["lookup-failed"],
        sts_txt: Dns::Stall,
        ..GOOD
    },
    Scenario {
        domain: "modenone.test",
        verdict: "warn",
        codes: &["mode-none"],
        http: ok(
            "text/plain",
            Body::Policy {
                mode: "none",
                mx: &["mx1.{d}", "mx2.{d}"],
                eol: "\r\n",
            },
        ),
        ..GOOD
    },
    Scenario {
        domain: "nomx.test",
        verdict: "warn",
        codes: &["mx-none"],
        mx: Dns::NoData,
        http: ok(
            "text/plain",
            Body::Policy {
                mode: "enforce",
                mx: &["{d}"],
                eol: "\r\n",
            },
        ),
        ..GOOD
    },
    Scenario {
        domain: "nxdomain.test",
        verdict: "fail",
        codes: &["domain-not-found"],
        sts_txt: Dns::NxDomain,
        tlsrpt: Dns::NxDomain,
        mx: Dns::NxDomain,
        host: Host::Missing,
        ..GOOD
    },
    Scenario {
        // MX exchange names with bytes that URL parsing reinterprets (`#`, `?`, `/`, `%`, TAB):
        // they come from the checked domain's own zone, so they must never reach a cache key
        // or a TLSA query (only `mx1` is a host name; only it gets one).
        domain: "hostile.test",
        verdict: "fail",
        codes: &["mx-not-covered"],
        mx: Dns::Records(&[
            Rec::Mx(10, "mx1.{d}"),
            Rec::Mx(20, "mx1.{d}#"),
            Rec::Mx(30, "mx1.{d}?"),
            Rec::Mx(40, "mx1.{d}/x"),
            Rec::Mx(50, "mx1%2e{d}"),
            Rec::Mx(60, "mx1.{d}\t"),
        ]),
        tlsa: Dns::Records(&[Rec::Tlsa(
            "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd",
        )]),
        ..GOOD
    },
    Scenario {
        domain: "mxnotls.test",
        verdict: "pass",
        codes: &[],
        smtp: [Smtp::Good, Smtp::NoStarttls],
        probed: Some(("fail", &["mx-starttls-missing"])),
        ..GOOD
    },
    Scenario {
        domain: "mxwrongname.test",
        verdict: "pass",
        codes: &[],
        smtp: [Smtp::Good, Smtp::WrongName],
        probed: Some(("fail", &["mx-certificate-name"])),
        ..GOOD
    },
    Scenario {
        domain: "mxexpired.test",
        verdict: "pass",
        codes: &[],
        smtp: [Smtp::Expired, Smtp::Good],
        probed: Some(("fail", &["mx-certificate-expired"])),
        ..GOOD
    },
    Scenario {
        domain: "mxselfsigned.test",
        verdict: "pass",
        codes: &[],
        smtp: [Smtp::Good, Smtp::SelfSigned],
        probed: Some(("fail", &["mx-certificate-untrusted"])),
        ..GOOD
    },
    Scenario {
        domain: "mxoldtls.test",
        verdict: "pass",
        codes: &[],
        smtp: [Smtp::Good, Smtp::OldTls],
        probed: Some(("fail", &["mx-tls"])),
        ..GOOD
    },
    Scenario {
        domain: "mxexpiring.test",
        verdict: "pass",
        codes: &[],
        smtp: [Smtp::Expiring, Smtp::Good],
        probed: Some(("warn", &["certificate-expiring"])),
        ..GOOD
    },
    Scenario {
        domain: "mxsilent.test",
        verdict: "pass",
        codes: &[],
        smtp: [Smtp::Good, Smtp::Silent],
        probed: Some(("inconclusive", &["lookup-failed"])),
        ..GOOD
    },
    Scenario {
        domain: "mxbusy.test",
        verdict: "pass",
        codes: &[],
        smtp: [Smtp::Busy, Smtp::Good],
        probed: Some(("inconclusive", &["lookup-failed"])),
        ..GOOD
    },
    Scenario {
        // Eight MX hosts, all good: `--smtp` probes them at once.
        domain: "eightmx.test",
        verdict: "pass",
        codes: &[],
        mx: Dns::Records(&[
            Rec::Mx(10, "mx1.{d}"),
            Rec::Mx(10, "mx2.{d}"),
            Rec::Mx(20, "mx3.{d}"),
            Rec::Mx(20, "mx4.{d}"),
            Rec::Mx(30, "mx5.{d}"),
            Rec::Mx(30, "mx6.{d}"),
            Rec::Mx(40, "mx7.{d}"),
            Rec::Mx(40, "mx8.{d}"),
        ]),
        http: ok(
            "text/plain",
            Body::Policy {
                mode: "enforce",
                mx: &["*.{d}"],
                eol: "\r\n",
            },
        ),
        ..GOOD
    },
    Scenario {
        // DNSSEC-validated TLSA that matches no key the MX host presents.
        domain: "danemismatch.test",
        verdict: "pass",
        codes: &["dane-tlsa"],
        tlsa: Dns::Records(&[Rec::Tlsa(
            "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd",
        )]),
        dnssec: true,
        probed: Some(("fail", &["dane-mismatch"])),
        ..GOOD
    },
    Scenario {
        // TLSA records in a zone that is not signed: DANE senders ignore them.
        domain: "daneunsigned.test",
        verdict: "warn",
        codes: &["dane-unsigned"],
        tlsa: Dns::Records(&[Rec::Tlsa(SMTP_SPKI_SHA256)]),
        ..GOOD
    },
    Scenario {
        domain: "dane.test",
        verdict: "pass",
        codes: &["dane-tlsa", "dnssec-status"],
        tlsa: Dns::Records(&[Rec::Tlsa(SMTP_SPKI_SHA256)]),
        dnssec: true,
        ..GOOD
    },
    // Later observations of good.test, for the change codes (`mtasts::compare`): each is good.test
    // with one thing changed, observed under its own name (the tests map it onto good.test).
    Scenario {
        domain: "goodedit.test",
        verdict: "pass",
        codes: &[],
        http: ok(
            "text/plain; charset=utf-8",
            Body::Policy {
                mode: "enforce",
                mx: &["*.{d}"],
                eol: "\r\n",
            },
        ),
        ..GOOD
    },
    Scenario {
        domain: "goodbump.test",
        verdict: "pass",
        codes: &[],
        sts_txt: Dns::Records(&[Rec::Txt(&["v=STSv1; id=20251201000000"])]),
        ..GOOD
    },
    Scenario {
        domain: "goodmx.test",
        verdict: "fail",
        codes: &["mx-not-covered"],
        mx: Dns::Records(&[Rec::Mx(10, "mx1.{d}"), Rec::Mx(20, "mx2.{d}"), Rec::Mx(30, "mx3.{d}")]),
        ..GOOD
    },
    Scenario {
        domain: "goodrenew.test",
        verdict: "pass",
        codes: &[],
        cert: Cert::Renewed,
        ..GOOD
    },
    Scenario {
        domain: "goodrua.test",
        verdict: "pass",
        codes: &[],
        tlsrpt: Dns::Records(&[Rec::Txt(&["v=TLSRPTv1; rua=mailto:reports@{d}"])]),
        ..GOOD
    },
    Scenario {
        domain: "dangling.test",
        verdict: "fail",
        codes: &["policy-host-dangling", "policy-unreachable"],
        host: Host::Dangling,
        // workerd resolves through the system resolver and says only "internal error".
        edge: Some(("fail", &["policy-host-dangling", "lookup-failed"])),
        ..GOOD
    },
    Scenario {
        domain: "ruanomx.test",
        verdict: "warn",
        codes: &["tlsrpt-rua-no-mx"],
        tlsrpt: Dns::Records(&[Rec::Txt(&["v=TLSRPTv1; rua=mailto:tls@gone-reports.test"])]),
        ..GOOD
    },
];

/// The scenario `domain` names, if any: a listed one, or [`GOOD`] for a generated bulk domain.
pub fn scenario(domain: &str) -> Option<&'static Scenario> {
    SCENARIOS
        .iter()
        .find(|s| s.domain.eq_ignore_ascii_case(domain))
        .or_else(|| bulk_domain(domain).filter(|d| *d == domain).map(|_| &GOOD))
        .or_else(|| {
            crate::mon::mon_domain(domain)
                .filter(|d| *d == domain)
                .map(crate::mon::scenario_of)
        })
}

/// The zone of generated bulk domains: `d0.bulk.test` to `d99999.bulk.test`, each one [`GOOD`]
/// under its own name, for checking tens of thousands of domains (`scripts/bench-bulk.sh`).
pub const BULK_ZONE: &str = "bulk.test";
/// How many bulk domains there are.
pub const BULK_DOMAINS: u32 = 100_000;

/// The bulk domain lower-case `name` is in or under (`mx1.d42.bulk.test` → `d42.bulk.test`).
pub fn bulk_domain(name: &str) -> Option<&str> {
    let name = name.trim_end_matches('.');
    let head = name.strip_suffix(BULK_ZONE)?.strip_suffix('.')?;
    let label = head.rsplit('.').next()?;
    let digits = label.strip_prefix('d')?;
    let n: u32 = digits.parse().ok()?;
    // `d42` only: no `d042`, no `d+42`.
    (n < BULK_DOMAINS && digits == n.to_string()).then_some(())?;
    Some(&name[head.len() - label.len()..])
}

/// `template` with `{d}` replaced by `domain`.
pub fn fill(template: &str, domain: &str) -> String {
    template.replace("{d}", domain)
}

/// A resolver's answer: the response code, the AD bit, and the records as `(owner, ttl, data)`.
pub type Answer = (Rcode, bool, Vec<(String, u32, RecordData)>);

/// What the resolver answers for `name` and `qtype` (a DNS type number): the response code, the
/// AD bit, and the answer records as `(owner, ttl, data)`; `None` when it stalls. A name in no
/// scenario does not exist; names under `provider.test` are the alias targets.
pub fn answer(name: &str, qtype: u16) -> Option<Answer> {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    let found = SCENARIOS
        .iter()
        .find(|s| name == s.domain || name.ends_with(&format!(".{}", s.domain)))
        .map(|s| (s, s.domain.to_owned()))
        .or_else(|| bulk_domain(&name).map(|d| (&GOOD, d.to_owned())))
        .or_else(|| {
            crate::mon::mon_domain(&name).map(|d| (crate::mon::scenario_of(d), d.to_owned()))
        });
    let Some((s, d)) = found else {
        return Some((Rcode::NxDomain, false, vec![]));
    };
    let d = d.as_str();
    let label = &name[..name.len() - d.len()];
    if label == "_mtasts-monitor." && crate::mon::mon_domain(d).is_some() {
        return Some(monitor_tokens(&name, d, qtype));
    }
    let dns = match (label, qtype) {
        ("", 15) => s.mx,
        // Every zone of the world is hosted at one well-known DNS host (for "who is involved").
        ("", 2) => match s.mx {
            Dns::NxDomain | Dns::ServFail | Dns::Stall => no_records(s.mx),
            _ => {
                let ns = ["ada.ns.cloudflare.com", "bob.ns.cloudflare.com"]
                    .map(|h| (name.clone(), 3600, RecordData::Ns { host: h.to_owned() }));
                return Some((Rcode::NoError, s.dnssec, ns.to_vec()));
            }
        },
        ("_mta-sts.", 16) => s.sts_txt,
        ("_mta-sts.", 5) => match s.sts_txt {
            Dns::Cname { .. } => s.sts_txt,
            other => no_records(other),
        },
        ("_smtp._tls.", 16) => s.tlsrpt,
        ("_25._tcp.mx1.", 52) => s.tlsa,
        ("mta-sts.", 1 | 5 | 28) if s.host == Host::Dangling => {
            let target = format!("mta-sts-{}", d.replace('.', "-")) + ".gone-pages.test";
            let alias = (name.clone(), 300, RecordData::Cname { target });
            let rcode = if qtype == 5 {
                Rcode::NoError
            } else {
                Rcode::NxDomain
            };
            return Some((rcode, s.dnssec, vec![alias]));
        }
        ("mta-sts.", 1) => match s.host {
            Host::Missing | Host::Dangling => Dns::NxDomain,
            Host::Served | Host::Closed => return Some(host_a(&name, s.host)),
        },
        ("mta-sts.", _) if s.host == Host::Missing => Dns::NxDomain,
        ("_mta-sts.", _) => no_records(s.sts_txt),
        ("_smtp._tls.", _) => no_records(s.tlsrpt),
        ("", _) => no_records(s.mx),
        _ => Dns::NoData,
    };
    let (rcode, records) = match dns {
        Dns::Stall => return None,
        Dns::NxDomain => (Rcode::NxDomain, vec![]),
        Dns::NoData => (Rcode::NoError, vec![]),
        Dns::ServFail => (Rcode::ServFail, vec![]),
        Dns::Records(rs) => (Rcode::NoError, records(&name, d, rs)),
        Dns::Cname {
            target,
            records: rs,
        } => {
            let alias = (
                name.clone(),
                300,
                RecordData::Cname {
                    target: target.to_owned(),
                },
            );
            let mut all = vec![alias];
            if qtype != 5 {
                all.extend(records(target, d, rs));
            }
            (Rcode::NoError, all)
        }
    };
    Some((rcode, s.dnssec, records))
}

/// The `_mtasts-monitor` TXT records of monitoring domain `d` (NXDOMAIN when it has none).
fn monitor_tokens(name: &str, d: &str, qtype: u16) -> Answer {
    let tokens = crate::mon::state(d).tokens;
    if tokens.is_empty() {
        return (Rcode::NxDomain, false, vec![]);
    }
    let records = if qtype == 16 {
        tokens
            .into_iter()
            .map(|t| (name.to_owned(), 60, RecordData::Txt { strings: vec![t] }))
            .collect()
    } else {
        vec![]
    };
    (Rcode::NoError, false, records)
}

/// The same name with no records of another type: NXDOMAIN stays, anything else is NODATA.
fn no_records(dns: Dns) -> Dns {
    match dns {
        Dns::NxDomain => Dns::NxDomain,
        Dns::Stall => Dns::Stall,
        Dns::ServFail => Dns::ServFail,
        _ => Dns::NoData,
    }
}

fn host_a(name: &str, host: Host) -> Answer {
    // The closed host gets an address of its own, so tests can tell it apart; where nothing
    // listens is decided by `--resolve` (the CLI) or `/etc/hosts` (workerd).
    let address = if host == Host::Closed {
        "127.0.0.2"
    } else {
        "127.0.0.1"
    };
    (
        Rcode::NoError,
        false,
        vec![(
            name.to_owned(),
            300,
            RecordData::A {
                address: address.to_owned(),
            },
        )],
    )
}

fn records(owner: &str, d: &str, rs: &[Rec]) -> Vec<(String, u32, RecordData)> {
    rs.iter()
        .map(|r| {
            let data = match *r {
                Rec::Txt(strings) => RecordData::Txt {
                    strings: strings.iter().map(|s| fill(s, d)).collect(),
                },
                Rec::Mx(preference, host) => RecordData::Mx {
                    preference,
                    exchange: fill(host, d),
                },
                Rec::Tlsa(data) => RecordData::Tlsa {
                    usage: 3,
                    selector: 1,
                    matching_type: 1,
                    data: data.to_owned(),
                },
            };
            (owner.to_owned(), 300, data)
        })
        .collect()
}

/// The policy host's response body for scenario `s` of domain `d` (for a stalling body: its
/// first line).
pub fn body(s: &Scenario, d: &str) -> String {
    match s.http.body {
        Body::Policy { mode, mx, eol } => policy(mode, mx, eol, d),
        Body::Text(t) => fill(t, d),
        Body::Oversized => {
            let mut s = policy("enforce", &["mx1.{d}", "mx2.{d}"], "\r\n", d);
            while s.len() < BIG_BODY {
                s.push_str("x-padding: 0123456789abcdef0123456789abcdef0123456789abcdef\r\n");
            }
            s
        }
        Body::Stall => "version: STSv1\r\n".to_owned(),
    }
}

fn policy(mode: &str, mx: &[&str], eol: &str, d: &str) -> String {
    let mut s = format!("version: STSv1{eol}mode: {mode}{eol}");
    for m in mx {
        s.push_str(&format!("mx: {}{eol}", fill(m, d)));
    }
    let max_age = if mode == "testing" {
        604_800
    } else {
        1_209_600
    };
    s.push_str(&format!("max_age: {max_age}{eol}"));
    s
}

#[cfg(test)]
mod bulk_tests {
    use super::*;

    #[test]
    fn bulk_names() {
        assert_eq!(bulk_domain("d42.bulk.test"), Some("d42.bulk.test"));
        assert_eq!(bulk_domain("mx1.d42.bulk.test."), Some("d42.bulk.test"));
        assert_eq!(bulk_domain("_mta-sts.d0.bulk.test"), Some("d0.bulk.test"));
        for no in [
            "d042.bulk.test",
            "d+1.bulk.test",
            "x1.bulk.test",
            "d100000.bulk.test",
            "bulk.test",
            "d1.bulk.test.x",
            "d1xbulk.test",
        ] {
            assert_eq!(bulk_domain(no), None, "{no}");
        }
        assert!(scenario("d7.bulk.test").is_some());
        assert!(scenario("mx1.d7.bulk.test").is_none());
        let (rcode, _, mx) = answer("d7.bulk.test", 15).expect("answers");
        assert_eq!(rcode, Rcode::NoError);
        assert_eq!(mx.len(), 2);
        assert!(body(&GOOD, "d7.bulk.test").contains("mx: mx1.d7.bulk.test"));
    }
}
