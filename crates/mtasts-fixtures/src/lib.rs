//! A fixture internet on loopback: a DNS-over-HTTPS server (RFC 8484, plain HTTP on 127.0.0.1)
//! answering for scenario domains under `.test`, and one HTTPS server that plays
//! `mta-sts.<scenario>.test` for every scenario, choosing its certificate by SNI from a test CA
//! generated at start-up (rcgen). Latency can be injected per upstream; every request is counted,
//! so tests can prove that refused input caused no upstream request.
//!
//! Every domain, answer, response and certificate comes from one table, the scenario world
//! ([`world`]), which also answers in memory ([`memory`]) for the Evidence fixtures and the
//! finding codes' examples. Used in-process by the CLI tests and as a program (`mtasts-fixtures`)
//! by the Worker tests, the Playwright tests and the offline demo.

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
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;
use tokio::net::TcpListener;

use world::{Cert, Host};

pub mod memory;
pub mod mon;
pub mod smtp;
pub mod world;

pub use world::{Scenario, BIG_BODY, SCENARIOS};

/// The Evidence fixture of `domain`: `gather` over the world in memory, as pretty JSON.
pub fn evidence_json(domain: &str) -> String {
    let ev = memory::evidence(domain);
    let mut text = serde_json::to_string_pretty(&ev).unwrap_or_default();
    text.push('\n');
    text
}

/// Writes `<domain>.json` for every scenario into `dir`; returns how many.
pub fn write_evidence(dir: &std::path::Path) -> std::io::Result<usize> {
    std::fs::create_dir_all(dir)?;
    for s in SCENARIOS {
        std::fs::write(
            dir.join(format!("{}.json", s.domain)),
            evidence_json(s.domain),
        )?;
    }
    Ok(SCENARIOS.len())
}

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
    /// Connections that carried at least one DNS query (clients that reuse connections open few).
    dns_connections: AtomicUsize,
    /// Every query as `TYPE-NUMBER name` (the name as decoded from the wire), in order.
    queried: std::sync::Mutex<Vec<String>>,
}

/// A running fixture internet; it stops when dropped.
pub struct FixtureInternet {
    /// `http://127.0.0.1:PORT/dns-query`.
    pub doh_url: String,
    /// Where every `mta-sts.<scenario>.test` is served.
    pub https_addr: SocketAddr,
    /// An address where nothing listens (for `unreachable.test`).
    pub closed_addr: SocketAddr,
    /// The SMTP listeners, by [`smtp::listener_of`]: STARTTLS (certificate by SNI), no STARTTLS,
    /// silence, `421`, TLS below 1.2.
    pub smtp_addrs: Vec<SocketAddr>,
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
        let smtp_listeners = (0..5)
            .map(|_| {
                let l = StdListener::bind("127.0.0.1:0")?;
                l.set_nonblocking(true)?;
                Ok(l)
            })
            .collect::<std::io::Result<Vec<_>>>()?;
        let smtp_addrs = smtp_listeners
            .iter()
            .map(StdListener::local_addr)
            .collect::<std::io::Result<Vec<_>>>()?;
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
                let dns = tokio::spawn(serve_doh(doh, opts.dns_delay, c.clone()));
                let mx = Arc::new(certs.mx.clone());
                let behaviours = [
                    world::Smtp::Good,
                    world::Smtp::NoStarttls,
                    world::Smtp::Silent,
                    world::Smtp::Busy,
                    world::Smtp::OldTls,
                ];
                let mut mail = Vec::new();
                for (l, b) in smtp_listeners.into_iter().zip(behaviours) {
                    if let Ok(l) = TcpListener::from_std(l) {
                        mail.push(tokio::spawn(smtp::serve(l, b, mx.clone())));
                    }
                }
                let web = tokio::spawn(serve_https(https, certs, opts.https_delay, c));
                let _ = rx.await;
                dns.abort();
                web.abort();
                for m in mail {
                    m.abort();
                }
            });
        });
        Ok(FixtureInternet {
            doh_url: format!("http://{doh_addr}/dns-query"),
            https_addr,
            closed_addr,
            smtp_addrs,
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

    /// Connections that carried DNS queries so far.
    pub fn dns_connections(&self) -> usize {
        self.counters.dns_connections.load(Ordering::SeqCst)
    }

    /// HTTPS requests answered so far (TLS handshakes that fail before a request are not counted).
    pub fn https_requests(&self) -> usize {
        self.counters.https.load(Ordering::SeqCst)
    }

    /// `--resolve` arguments for the CLI: every served policy host to the HTTPS server, a closed
    /// one to a port where nothing listens.
    pub fn resolve_args(&self) -> Vec<String> {
        SCENARIOS
            .iter()
            .filter_map(|s| {
                let addr = match s.host {
                    Host::Served => self.https_addr,
                    Host::Closed => self.closed_addr,
                    Host::Missing | Host::Dangling => return None,
                };
                Some(format!("mta-sts.{}:{addr}", s.domain))
            })
            .collect()
    }

    /// `--resolve MX:127.0.0.1:PORT` values sending every MX host of the world to the SMTP
    /// listener of its behaviour.
    pub fn smtp_resolve_args(&self) -> Vec<String> {
        smtp::mx_hosts()
            .into_iter()
            .filter_map(|(host, b)| {
                self.smtp_addrs
                    .get(smtp::listener_of(b))
                    .map(|a| format!("{host}:{a}"))
            })
            .collect()
    }

    /// `/etc/hosts` lines mapping every served policy host to loopback (a closed one to 127.0.0.2,
    /// where nothing listens), for programs that use the system resolver, such as workerd.
    pub fn hosts_entries() -> String {
        SCENARIOS
            .iter()
            .filter_map(|s| {
                let ip = match s.host {
                    Host::Served => "127.0.0.1",
                    Host::Closed => "127.0.0.2",
                    Host::Missing | Host::Dangling => return None,
                };
                Some(format!("{ip} mta-sts.{} # mtasts-fixtures\n", s.domain))
            })
            .collect()
    }

    /// `/etc/hosts` lines of the monitoring zone ([`mon`]), under a tag of their own
    /// (`# mtasts-fixtures-mon`): a checkout without the zone rewrites only the lines it knows,
    /// so two checkouts sharing one machine keep each other's entries.
    pub fn mon_hosts_entries() -> String {
        mon::hosts()
            .into_iter()
            .map(|h| format!("127.0.0.1 {h} # mtasts-fixtures-mon\n"))
            .collect()
    }

    /// `/etc/hosts` lines of the monitoring domains beyond the default zone (after
    /// [`mon::set_zone_size`]), tagged `# mtasts-fixtures-mon-extra`: added for a benchmark run
    /// and removed after it (`scripts/fixture-stack.sh` with `MON_DOMAINS`).
    pub fn mon_extra_hosts_entries() -> String {
        mon::extra_hosts()
            .into_iter()
            .map(|h| format!("127.0.0.1 {h} # mtasts-fixtures-mon-extra\n"))
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
    first_on_connection: Arc<std::sync::atomic::AtomicBool>,
) -> Result<Response<Body>, Infallible> {
    if req.uri().path() == "/__stats" {
        let queried = counters
            .queried
            .lock()
            .map(|q| q.clone())
            .unwrap_or_default();
        let body = serde_json::json!({"dns": counters.dns.load(Ordering::SeqCst), "https": counters.https.load(Ordering::SeqCst), "dns_connections": counters.dns_connections.load(Ordering::SeqCst), "queried": queried}).to_string();
        return Ok(full(StatusCode::OK, "application/json", body));
    }
    if matches!(req.uri().path(), "/__hooks" | "/__mon") {
        return Ok(mon_control(req).await);
    }
    counters.dns.fetch_add(1, Ordering::SeqCst);
    if first_on_connection.swap(false, Ordering::SeqCst) {
        counters.dns_connections.fetch_add(1, Ordering::SeqCst);
    }
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
    // The generated bulk domains are not listed: tens of thousands of them would only grow it.
    let unlisted = world::bulk_domain(&name).is_some() || mon::is_extra(&name);
    if let (false, Ok(mut q)) = (unlisted, counters.queried.lock()) {
        q.push(format!("{qtype} {name}"));
    }
    let Some((rcode, ad, answers)) = world::answer(&name, qtype) else {
        // The resolver stalls: no answer before any client's time-out.
        tokio::time::sleep(SLOW_STALL).await;
        return Ok(full(StatusCode::GATEWAY_TIMEOUT, "text/plain", "stalled"));
    };
    match encode_response(&query, rcode, ad, &answers) {
        Ok(bytes) => Ok(full(
            StatusCode::OK,
            mtasts::observe::dns::DNS_MESSAGE,
            bytes,
        )),
        Err(_) => Ok(full(StatusCode::BAD_REQUEST, "text/plain", "bad query")),
    }
}

async fn serve_doh(listener: TcpListener, delay: Duration, counters: Arc<Counters>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let c = counters.clone();
        let first = Arc::new(std::sync::atomic::AtomicBool::new(true));
        tokio::spawn(async move {
            let svc = hyper::service::service_fn(move |req| {
                doh_handler(req, delay, c.clone(), first.clone())
            });
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
    /// The MX hosts' certificates (the SMTP servers).
    mx: HashMap<String, Arc<CertifiedKey>>,
    /// The generated bulk domains' certificates, made on demand.
    bulk: Arc<BulkCerts>,
}

impl Certs {
    fn generate() -> Result<Self, rcgen::Error> {
        use rcgen::{
            date_time_ymd, BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair,
            KeyUsagePurpose,
        };
        let ca_key = KeyPair::generate()?;
        let mut ca = CertificateParams::new(Vec::<String>::new())?;
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.distinguished_name
            .push(DnType::CommonName, world::CA_NAME);
        ca.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        let ca_cert = ca.self_signed(&ca_key)?;
        let ca_pem = ca_cert.pem();
        let bulk = Arc::new(BulkCerts {
            issuer: Issuer::new(ca.clone(), KeyPair::from_pem(&ca_key.serialize_pem())?),
            ca_der: ca_cert.der().to_vec(),
            key: KeyPair::generate()?,
            made: std::sync::Mutex::new(HashMap::new()),
        });
        let issuer = Issuer::new(ca, ca_key);
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut by_name = HashMap::new();
        for s in SCENARIOS {
            let host = format!("mta-sts.{}", s.domain);
            let san = if s.cert == Cert::WrongName {
                "www.other.test".to_owned()
            } else {
                host.clone()
            };
            let key = KeyPair::generate()?;
            let mut p = CertificateParams::new(vec![san])?;
            p.distinguished_name.push(DnType::CommonName, host.clone());
            // The dates of world::CERT_VALID, CERT_EXPIRED and CERT_RENEWED.
            (p.not_before, p.not_after) = match s.cert {
                Cert::Expired => (date_time_ymd(2020, 1, 1), date_time_ymd(2021, 1, 1)),
                Cert::Renewed => (date_time_ymd(2025, 6, 1), date_time_ymd(2035, 6, 1)),
                Cert::Valid | Cert::WrongName => {
                    (date_time_ymd(2025, 1, 1), date_time_ymd(2035, 1, 1))
                }
            };
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
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let mx = smtp::certificates(&issuer, ca_cert.der(), now)?;
        Ok(Certs {
            ca_pem,
            by_name,
            mx,
            bulk,
        })
    }
}

/// Certificates for the generated bulk domains, made on first use (one certificate naming
/// thousands of hosts would exceed what a TLS handshake message can carry): one key for all,
/// each certificate signed by the test CA.
struct BulkCerts {
    issuer: rcgen::Issuer<'static, rcgen::KeyPair>,
    ca_der: Vec<u8>,
    key: rcgen::KeyPair,
    made: std::sync::Mutex<HashMap<String, Arc<CertifiedKey>>>,
}

impl std::fmt::Debug for BulkCerts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BulkCerts")
    }
}

impl BulkCerts {
    /// The certificate of `mta-sts.<bulk domain>`, made once.
    fn get(&self, host: &str) -> Option<Arc<CertifiedKey>> {
        let known = host == mon::HOOKS_HOST
            || host.strip_prefix("mta-sts.").is_some_and(|domain| {
                world::bulk_domain(domain) == Some(domain)
                    || mon::mon_domain(domain) == Some(domain)
            });
        if !known {
            return None;
        }
        if let Some(ck) = self.made.lock().ok()?.get(host) {
            return Some(ck.clone());
        }
        let mut p = rcgen::CertificateParams::new(vec![host.to_owned()]).ok()?;
        p.distinguished_name
            .push(rcgen::DnType::CommonName, host.to_owned());
        (p.not_before, p.not_after) = (
            rcgen::date_time_ymd(2025, 1, 1),
            rcgen::date_time_ymd(2035, 1, 1),
        );
        let cert = p.signed_by(&self.key, &self.issuer).ok()?;
        let chain = vec![
            CertificateDer::from(cert.der().to_vec()),
            CertificateDer::from(self.ca_der.clone()),
        ];
        let der = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(self.key.serialize_der()));
        let provider = rustls::crypto::ring::default_provider();
        let ck = Arc::new(CertifiedKey::from_der(chain, der, &provider).ok()?);
        self.made.lock().ok()?.insert(host.to_owned(), ck.clone());
        Some(ck)
    }
}

#[derive(Debug)]
struct BySni(HashMap<String, Arc<CertifiedKey>>, Arc<BulkCerts>);

impl ResolvesServerCert for BySni {
    fn resolve(&self, hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        let name = hello.server_name()?.to_ascii_lowercase();
        self.0.get(&name).cloned().or_else(|| self.1.get(&name))
    }
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
    if host == mon::HOOKS_HOST {
        return Ok(hook(req).await);
    }
    let Some(d) = host.strip_prefix("mta-sts.") else {
        return Ok(full(StatusCode::NOT_FOUND, "text/plain", "unknown host"));
    };
    if req.uri().path() != "/.well-known/mta-sts.txt" {
        return Ok(full(StatusCode::NOT_FOUND, "text/plain", "Not Found"));
    }
    let Some(scenario) = world::scenario(d) else {
        return Ok(full(StatusCode::NOT_FOUND, "text/plain", "unknown host"));
    };
    let http = scenario.http;
    let body = world::body(scenario, d);
    let mut resp = if http.body == world::Body::Stall {
        // Headers and the first line at once, then nothing for a long time.
        let (tx, rx) = tokio::sync::mpsc::channel::<Result<Frame<Bytes>, Infallible>>(1);
        tokio::spawn(async move {
            let _ = tx.send(Ok(Frame::data(Bytes::from(body)))).await;
            tokio::time::sleep(SLOW_STALL).await;
            drop(tx);
        });
        Response::new(ChannelBody(rx).boxed())
    } else {
        Response::new(Full::new(Bytes::from(body)).boxed())
    };
    *resp.status_mut() = StatusCode::from_u16(http.status).unwrap_or(StatusCode::OK);
    if let Ok(v) = http.content_type.parse() {
        resp.headers_mut().insert(hyper::header::CONTENT_TYPE, v);
    }
    if let Some(Ok(v)) = http.location.map(|l| world::fill(l, d).parse()) {
        resp.headers_mut().insert(hyper::header::LOCATION, v);
    }
    Ok(resp)
}

/// The webhook receiver at `hooks.mon.test`: records the request, answers by its path
/// ([`mon::hook_status`]).
async fn hook(req: Request<Incoming>) -> Response<Body> {
    let path = req.uri().path().to_owned();
    let headers: serde_json::Map<String, serde_json::Value> = req
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_ascii_lowercase(),
                String::from_utf8_lossy(v.as_bytes()).into(),
            )
        })
        .collect();
    let method = req.method().to_string();
    let body = req
        .into_body()
        .collect()
        .await
        .map(|b| String::from_utf8_lossy(&b.to_bytes()).into_owned())
        .unwrap_or_default();
    let status = match mon::HOOKS.lock() {
        Ok(mut h) => {
            let n = h.count.entry(path.clone()).or_default();
            *n += 1;
            let status = mon::hook_status(&path, *n);
            h.seen.push(serde_json::json!({"path": path, "method": method, "headers": headers, "body": body, "status": status}));
            status
        }
        Err(_) => 500,
    };
    full(
        StatusCode::from_u16(status).unwrap_or(StatusCode::OK),
        "text/plain",
        "",
    )
}

/// The DoH port's control of the monitoring zone: `GET /__hooks` (the receiver's journal),
/// `POST /__mon` `{"domain", "variant", "tokens"}` (a domain's state, or an array of them).
async fn mon_control(req: Request<Incoming>) -> Response<Body> {
    if req.uri().path() == "/__hooks" {
        let seen = mon::HOOKS
            .lock()
            .map(|h| h.seen.clone())
            .unwrap_or_default();
        return full(
            StatusCode::OK,
            "application/json",
            serde_json::Value::from(seen).to_string(),
        );
    }
    let body = req
        .into_body()
        .collect()
        .await
        .map(|b| b.to_bytes().to_vec())
        .unwrap_or_default();
    let v: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
    // One domain's state, or an array of them (a benchmark sets thousands at once).
    let all = match v {
        serde_json::Value::Array(a) => a,
        one => vec![one],
    };
    let ok = all.iter().all(|v| {
        let variant = mon::Variant::parse(v["variant"].as_str().unwrap_or("good"));
        let tokens = v["tokens"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|t| t.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        variant.is_some_and(|variant| {
            mon::set(
                v["domain"].as_str().unwrap_or_default(),
                mon::MonState { variant, tokens },
            )
        })
    });
    if ok {
        full(StatusCode::OK, "application/json", "{}")
    } else {
        full(
            StatusCode::BAD_REQUEST,
            "text/plain",
            "not a monitoring domain or variant",
        )
    }
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
            .with_cert_resolver(Arc::new(BySni(certs.by_name, certs.bulk)))
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
