//! A fixture internet on loopback: a DNS-over-HTTPS server (RFC 8484, plain HTTP on 127.0.0.1)
//! answering for scenario domains under `.test`, and one HTTPS server that plays
//! `mta-sts.<scenario>.test` for every scenario, choosing its certificate by SNI from a test CA
//! generated at start-up (rcgen). Latency can be injected per upstream; every request is counted,
//! so tests can prove that refused input caused no upstream request.
//!
//! Used in-process by the CLI tests and as a program (`mtasts-fixtures`) by the Worker tests and
//! the offline demo.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::{SocketAddr, TcpListener as StdListener};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{combinators::BoxBody, BodyExt, Full};
use hyper::body::{Frame, Incoming};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use mtasts::observe::dns::{decode_question, encode_response};
use mtasts::observe::evidence::{Rcode, RecordData};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;
use tokio::net::TcpListener;

/// A scenario: its domain and the verdict a correct checker gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scenario {
    /// The domain under `.test`.
    pub domain: &'static str,
    /// The expected verdict (`pass`, `warn`, `fail`, `not-applicable`, `inconclusive`).
    pub verdict: &'static str,
    /// A finding code the report must contain ("" for none).
    pub code: &'static str,
}

/// Every scenario of the fixture internet.
pub const SCENARIOS: &[Scenario] = &[
    Scenario {
        domain: "good.test",
        verdict: "pass",
        code: "",
    },
    Scenario {
        domain: "testing-no-tlsrpt.test",
        verdict: "warn",
        code: "tlsrpt-absent",
    },
    Scenario {
        domain: "stale.test",
        verdict: "fail",
        code: "mx-not-covered",
    },
    Scenario {
        domain: "redirect.test",
        verdict: "fail",
        code: "policy-redirect",
    },
    Scenario {
        domain: "notfound.test",
        verdict: "fail",
        code: "policy-http-status",
    },
    Scenario {
        domain: "html.test",
        verdict: "fail",
        code: "policy-html",
    },
    Scenario {
        domain: "ctype.test",
        verdict: "warn",
        code: "policy-content-type",
    },
    Scenario {
        domain: "big.test",
        verdict: "fail",
        code: "policy-too-large",
    },
    Scenario {
        domain: "slow.test",
        verdict: "fail",
        code: "policy-unreachable",
    },
    Scenario {
        domain: "wrongname.test",
        verdict: "fail",
        code: "policy-tls",
    },
    Scenario {
        domain: "expired.test",
        verdict: "fail",
        code: "policy-tls",
    },
    Scenario {
        domain: "several.test",
        verdict: "fail",
        code: "sts-txt-several",
    },
    Scenario {
        domain: "none.test",
        verdict: "warn",
        code: "sts-absent",
    },
    Scenario {
        domain: "cname.test",
        verdict: "pass",
        code: "sts-txt-delegated",
    },
    Scenario {
        domain: "nullmx.test",
        verdict: "not-applicable",
        code: "mx-null",
    },
    Scenario {
        domain: "servfail.test",
        verdict: "inconclusive",
        code: "lookup-failed",
    },
    Scenario {
        domain: "lf.test",
        verdict: "pass",
        code: "policy-lf-line-endings",
    },
    Scenario {
        domain: "unreachable.test",
        verdict: "fail",
        code: "policy-unreachable",
    },
    Scenario {
        domain: "longid.test",
        verdict: "fail",
        code: "sts-txt-id-invalid",
    },
];

/// Size of the `big.test` body: larger than the 64 KiB cap.
pub const BIG_BODY: usize = 100 * 1024;
/// How long `slow.test` stalls its body: longer than any time-out under test.
pub const SLOW_STALL: Duration = Duration::from_secs(30);

/// Start-up options.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Delay added to every DNS answer.
    pub dns_delay: Duration,
    /// Delay added before every HTTPS response.
    pub https_delay: Duration,
    /// Fixed port for the DoH server (0: any free port).
    pub doh_port: u16,
    /// Fixed port for the HTTPS server (0: any free port).
    pub https_port: u16,
}

#[derive(Default)]
struct Counters {
    dns: AtomicUsize,
    https: AtomicUsize,
}

/// A running fixture internet; it stops when dropped.
pub struct FixtureInternet {
    /// `http://127.0.0.1:PORT/dns-query`.
    pub doh_url: String,
    /// Where every `mta-sts.<scenario>.test` is served.
    pub https_addr: SocketAddr,
    /// An address where nothing listens (for `unreachable.test`).
    pub closed_addr: SocketAddr,
    /// The test CA certificate, PEM.
    pub ca_pem: String,
    counters: Arc<Counters>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl FixtureInternet {
    /// Starts the servers on a background thread.
    pub fn start(opts: Options) -> std::io::Result<Self> {
        let doh = StdListener::bind(("127.0.0.1", opts.doh_port))?;
        let https = StdListener::bind(("127.0.0.1", opts.https_port))?;
        let closed = StdListener::bind("127.0.0.1:0")?;
        let closed_addr = closed.local_addr()?;
        drop(closed);
        doh.set_nonblocking(true)?;
        https.set_nonblocking(true)?;
        let doh_addr = doh.local_addr()?;
        let https_addr = https.local_addr()?;
        let certs = Certs::generate().map_err(std::io::Error::other)?;
        let ca_pem = certs.ca_pem.clone();
        let counters = Arc::new(Counters::default());
        let (tx, rx) = tokio::sync::oneshot::channel();
        let c = counters.clone();
        let thread = std::thread::spawn(move || {
            let rt = match tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
            {
                Ok(rt) => rt,
                Err(e) => {
                    eprintln!("fixture internet: no runtime: {e}");
                    return;
                }
            };
            rt.block_on(async move {
                let (Ok(doh), Ok(https)) =
                    (TcpListener::from_std(doh), TcpListener::from_std(https))
                else {
                    eprintln!("fixture internet: cannot listen");
                    return;
                };
                let dns = tokio::spawn(serve_doh(doh, opts.dns_delay, c.clone(), closed_addr));
                let web = tokio::spawn(serve_https(https, certs, opts.https_delay, c));
                let _ = rx.await;
                dns.abort();
                web.abort();
            });
        });
        Ok(FixtureInternet {
            doh_url: format!("http://{doh_addr}/dns-query"),
            https_addr,
            closed_addr,
            ca_pem,
            counters,
            shutdown: Some(tx),
            thread: Some(thread),
        })
    }

    /// DNS requests answered so far.
    pub fn dns_requests(&self) -> usize {
        self.counters.dns.load(Ordering::SeqCst)
    }

    /// HTTPS requests answered so far (TLS handshakes that fail before a request are not counted).
    pub fn https_requests(&self) -> usize {
        self.counters.https.load(Ordering::SeqCst)
    }

    /// `--resolve` arguments for the CLI: every policy host to the HTTPS server, except
    /// `unreachable.test`, which goes to a port where nothing listens.
    pub fn resolve_args(&self) -> Vec<String> {
        SCENARIOS
            .iter()
            .map(|s| {
                let addr = if s.domain == "unreachable.test" {
                    self.closed_addr
                } else {
                    self.https_addr
                };
                format!("mta-sts.{}:{addr}", s.domain)
            })
            .collect()
    }

    /// `/etc/hosts` lines mapping every policy host to loopback (`unreachable.test` to 127.0.0.2,
    /// where nothing listens), for programs that use the system resolver, such as workerd.
    pub fn hosts_entries() -> String {
        SCENARIOS
            .iter()
            .map(|s| {
                let ip = if s.domain == "unreachable.test" {
                    "127.0.0.2"
                } else {
                    "127.0.0.1"
                };
                format!("{ip} mta-sts.{} # mtasts-fixtures\n", s.domain)
            })
            .collect()
    }
}

impl Drop for FixtureInternet {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

// ---------------------------------------------------------------------------------------------
// DNS

fn txt(s: &str) -> RecordData {
    RecordData::Txt {
        strings: vec![s.to_owned()],
    }
}

fn mx(p: u16, h: &str) -> RecordData {
    RecordData::Mx {
        preference: p,
        exchange: h.to_owned(),
    }
}

/// The zone: (rcode, answers) for a name and type.
fn answer(name: &str, qtype: u16, closed: SocketAddr) -> (Rcode, Vec<(String, u32, RecordData)>) {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    let Some(domain) = SCENARIOS
        .iter()
        .map(|s| s.domain)
        .chain(["provider.test"])
        .find(|d| name == *d || name.ends_with(&format!(".{d}")))
    else {
        return (Rcode::NxDomain, vec![]);
    };
    let d = domain;
    let own = |data: RecordData| vec![(name.clone(), 300, data)];
    let label = &name[..name.len() - d.len()];
    match (label, qtype) {
        // MX
        ("", 15) => match d {
            "servfail.test" => (Rcode::ServFail, vec![]),
            "nullmx.test" => (Rcode::NoError, own(mx(0, "."))),
            "stale.test" => (
                Rcode::NoError,
                vec![
                    (name.clone(), 300, mx(10, "aspmx.l.google.test")),
                    (name.clone(), 300, mx(20, "mx2.stale.test")),
                ],
            ),
            _ => (
                Rcode::NoError,
                vec![
                    (name.clone(), 300, mx(10, &format!("mx1.{d}"))),
                    (name.clone(), 300, mx(20, &format!("mx2.{d}"))),
                ],
            ),
        },
        // _mta-sts TXT
        ("_mta-sts.", 16) => match d {
            "none.test" | "nullmx.test" => (Rcode::NxDomain, vec![]),
            "several.test" => (
                Rcode::NoError,
                vec![
                    (name.clone(), 300, txt("v=STSv1; id=2024")),
                    (name.clone(), 300, txt("v=STSv1; id=2025")),
                ],
            ),
            "longid.test" => (
                Rcode::NoError,
                own(txt(&format!("v=STSv1; id={}", "a".repeat(33)))),
            ),
            "cname.test" => (
                Rcode::NoError,
                vec![
                    (
                        name.clone(),
                        300,
                        RecordData::Cname {
                            target: "_mta-sts.provider.test".into(),
                        },
                    ),
                    (
                        "_mta-sts.provider.test".into(),
                        300,
                        RecordData::Txt {
                            strings: vec!["v=STSv1; ".into(), "id=20251101".into()],
                        },
                    ),
                ],
            ),
            _ => (Rcode::NoError, own(txt("v=STSv1; id=20251101000000"))),
        },
        ("_mta-sts.", 5) if d == "cname.test" => (
            Rcode::NoError,
            own(RecordData::Cname {
                target: "_mta-sts.provider.test".into(),
            }),
        ),
        // _smtp._tls TXT
        ("_smtp._tls.", 16) => match d {
            "testing-no-tlsrpt.test" | "none.test" | "nullmx.test" => (Rcode::NxDomain, vec![]),
            _ => (
                Rcode::NoError,
                own(txt(&format!("v=TLSRPTv1; rua=mailto:tls@{d}"))),
            ),
        },
        // mta-sts host
        ("mta-sts.", 1) => match d {
            "none.test" | "nullmx.test" => (Rcode::NxDomain, vec![]),
            "unreachable.test" => (
                Rcode::NoError,
                own(RecordData::A {
                    address: closed.ip().to_string(),
                }),
            ),
            _ => (
                Rcode::NoError,
                own(RecordData::A {
                    address: "127.0.0.1".into(),
                }),
            ),
        },
        ("mta-sts.", _) if matches!(d, "none.test" | "nullmx.test") => (Rcode::NxDomain, vec![]),
        _ => (Rcode::NoError, vec![]),
    }
}

type Body = BoxBody<Bytes, Infallible>;

fn full(status: StatusCode, ctype: &str, body: impl Into<Bytes>) -> Response<Body> {
    let mut r = Response::new(Full::new(body.into()).boxed());
    *r.status_mut() = status;
    if let Ok(v) = ctype.parse() {
        r.headers_mut().insert(hyper::header::CONTENT_TYPE, v);
    }
    r
}

async fn doh_handler(
    req: Request<Incoming>,
    delay: Duration,
    counters: Arc<Counters>,
    closed: SocketAddr,
) -> Result<Response<Body>, Infallible> {
    if req.uri().path() == "/__stats" {
        let body = serde_json::json!({"dns": counters.dns.load(Ordering::SeqCst), "https": counters.https.load(Ordering::SeqCst)}).to_string();
        return Ok(full(StatusCode::OK, "application/json", body));
    }
    counters.dns.fetch_add(1, Ordering::SeqCst);
    let query = if req.method() == hyper::Method::GET {
        let q = req
            .uri()
            .query()
            .unwrap_or_default()
            .split('&')
            .find_map(|kv| kv.strip_prefix("dns="))
            .unwrap_or_default()
            .to_owned();
        use base64::Engine as _;
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(q)
            .unwrap_or_default()
    } else {
        req.into_body()
            .collect()
            .await
            .map(|b| b.to_bytes().to_vec())
            .unwrap_or_default()
    };
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let Ok((name, qtype)) = decode_question(&query) else {
        return Ok(full(
            StatusCode::BAD_REQUEST,
            "text/plain",
            "not a DNS query",
        ));
    };
    let (rcode, answers) = answer(&name, qtype, closed);
    match encode_response(&query, rcode, false, &answers) {
        Ok(bytes) => Ok(full(
            StatusCode::OK,
            mtasts::observe::dns::DNS_MESSAGE,
            bytes,
        )),
        Err(_) => Ok(full(StatusCode::BAD_REQUEST, "text/plain", "bad query")),
    }
}

async fn serve_doh(
    listener: TcpListener,
    delay: Duration,
    counters: Arc<Counters>,
    closed: SocketAddr,
) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let c = counters.clone();
        tokio::spawn(async move {
            let svc =
                hyper::service::service_fn(move |req| doh_handler(req, delay, c.clone(), closed));
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), svc)
                .await;
        });
    }
}

// ---------------------------------------------------------------------------------------------
// HTTPS

struct Certs {
    ca_pem: String,
    by_name: HashMap<String, Arc<CertifiedKey>>,
}

impl Certs {
    fn generate() -> Result<Self, rcgen::Error> {
        use rcgen::{
            BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose,
        };
        let ca_key = KeyPair::generate()?;
        let mut ca = CertificateParams::new(Vec::<String>::new())?;
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.distinguished_name
            .push(DnType::CommonName, "mtasts fixture test CA");
        ca.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        let ca_cert = ca.self_signed(&ca_key)?;
        let ca_pem = ca_cert.pem();
        let issuer = Issuer::new(ca, ca_key);
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut by_name = HashMap::new();
        for s in SCENARIOS {
            let host = format!("mta-sts.{}", s.domain);
            let san = if s.domain == "wrongname.test" {
                "www.other.test".to_owned()
            } else {
                host.clone()
            };
            let key = KeyPair::generate()?;
            let mut p = CertificateParams::new(vec![san])?;
            p.distinguished_name.push(DnType::CommonName, host.clone());
            if s.domain == "expired.test" {
                p.not_before = rcgen::date_time_ymd(2020, 1, 1);
                p.not_after = rcgen::date_time_ymd(2021, 1, 1);
            }
            let cert = p.signed_by(&key, &issuer)?;
            let chain = vec![
                CertificateDer::from(cert.der().to_vec()),
                CertificateDer::from(ca_cert.der().to_vec()),
            ];
            let der = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
            let Ok(ck) = CertifiedKey::from_der(chain, der, &provider) else {
                return Err(rcgen::Error::CouldNotParseKeyPair);
            };
            by_name.insert(host, Arc::new(ck));
        }
        Ok(Certs { ca_pem, by_name })
    }
}

#[derive(Debug)]
struct BySni(HashMap<String, Arc<CertifiedKey>>);

impl ResolvesServerCert for BySni {
    fn resolve(&self, hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        let name = hello.server_name()?.to_ascii_lowercase();
        self.0.get(&name).cloned()
    }
}

fn policy(mode: &str, mx: &[String], eol: &str) -> String {
    let mut s = format!("version: STSv1{eol}mode: {mode}{eol}");
    for m in mx {
        s.push_str(&format!("mx: {m}{eol}"));
    }
    s.push_str(&format!(
        "max_age: {}{eol}",
        if mode == "testing" {
            604_800
        } else {
            1_209_600
        }
    ));
    s
}

async fn https_handler(
    req: Request<Incoming>,
    delay: Duration,
) -> Result<Response<Body>, Infallible> {
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let host = req
        .headers()
        .get(hyper::header::HOST)
        .and_then(|h| h.to_str().ok())
        .or_else(|| req.uri().host())
        .unwrap_or_default()
        .split(':')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let Some(d) = host.strip_prefix("mta-sts.") else {
        return Ok(full(StatusCode::NOT_FOUND, "text/plain", "unknown host"));
    };
    if req.uri().path() != "/.well-known/mta-sts.txt" {
        return Ok(full(StatusCode::NOT_FOUND, "text/plain", "Not Found"));
    }
    let default_mx = vec![format!("mx1.{d}"), format!("mx2.{d}")];
    let resp = match d {
        "testing-no-tlsrpt.test" => full(
            StatusCode::OK,
            "text/plain",
            policy("testing", &default_mx, "\r\n"),
        ),
        "stale.test" => full(
            StatusCode::OK,
            "text/plain",
            policy(
                "enforce",
                &[
                    "*.mail.protection.outlook.test".into(),
                    "mx2.stale.test".into(),
                ],
                "\r\n",
            ),
        ),
        "redirect.test" => {
            let mut r = full(
                StatusCode::MOVED_PERMANENTLY,
                "text/html",
                "<a href=\"https://www.redirect.test/.well-known/mta-sts.txt\">moved</a>",
            );
            if let Ok(v) = "https://www.redirect.test/.well-known/mta-sts.txt".parse() {
                r.headers_mut().insert(hyper::header::LOCATION, v);
            }
            r
        }
        "notfound.test" => full(StatusCode::NOT_FOUND, "text/plain", "Not Found"),
        "html.test" => full(
            StatusCode::OK,
            "text/html; charset=utf-8",
            "<!DOCTYPE html>\n<html><head><title>Welcome</title></head><body>Hello</body></html>\n",
        ),
        "ctype.test" => full(
            StatusCode::OK,
            "application/octet-stream",
            policy("enforce", &default_mx, "\r\n"),
        ),
        "big.test" => {
            let mut s = policy("enforce", &default_mx, "\r\n");
            while s.len() < BIG_BODY {
                s.push_str("x-padding: 0123456789abcdef0123456789abcdef0123456789abcdef\r\n");
            }
            full(StatusCode::OK, "text/plain", s)
        }
        "slow.test" => {
            // Headers and the first line at once, then nothing for a long time.
            let (tx, rx) = tokio::sync::mpsc::channel::<Result<Frame<Bytes>, Infallible>>(1);
            tokio::spawn(async move {
                let _ = tx
                    .send(Ok(Frame::data(Bytes::from_static(b"version: STSv1\r\n"))))
                    .await;
                tokio::time::sleep(SLOW_STALL).await;
                drop(tx);
            });
            let mut r = Response::new(ChannelBody(rx).boxed());
            if let Ok(v) = "text/plain".parse() {
                r.headers_mut().insert(hyper::header::CONTENT_TYPE, v);
            }
            r
        }
        "lf.test" => full(
            StatusCode::OK,
            "text/plain",
            policy("enforce", &default_mx, "\n"),
        ),
        _ => full(
            StatusCode::OK,
            "text/plain; charset=utf-8",
            policy("enforce", &default_mx, "\r\n"),
        ),
    };
    Ok(resp)
}

/// A response body fed through a channel (for a body that stalls).
struct ChannelBody(tokio::sync::mpsc::Receiver<Result<Frame<Bytes>, Infallible>>);

impl hyper::body::Body for ChannelBody {
    type Data = Bytes;
    type Error = Infallible;
    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        self.0.poll_recv(cx)
    }
}

async fn serve_https(
    listener: TcpListener,
    certs: Certs,
    delay: Duration,
    counters: Arc<Counters>,
) {
    let mut config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map(|b| {
        b.with_no_client_auth()
            .with_cert_resolver(Arc::new(BySni(certs.by_name)))
    });
    let Ok(config) = config.as_mut() else { return };
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config.clone()));
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        counters.https.fetch_add(1, Ordering::SeqCst);
        let acceptor = acceptor.clone();
        tokio::spawn(async move {
            let Ok(tls) = acceptor.accept(stream).await else {
                return;
            };
            let svc = hyper::service::service_fn(move |req| https_handler(req, delay));
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(tls), svc)
                .await;
        });
    }
}
