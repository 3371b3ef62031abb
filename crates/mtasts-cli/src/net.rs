//! The native transport of `mtasts check`: DNS over HTTPS (RFC 8484) and the policy fetch by the
//! sender rules of RFC 8461 §3.3, both over hyper with rustls (ring).
//!
//! Why DoH rather than the system resolver: the Worker queries the same way, so the CLI and the
//! web page see the same answers (rcode, AD bit, TTLs, CNAME chains), and tests can point both at
//! the fixture internet with `--doh`. The policy fetch records the certificate's subject names,
//! issuer and validity even when verification fails (a recording verifier wraps webpki's).
//!
//! The policy host is resolved through the same DoH resolver as every other name (the system
//! resolver is used only to reach the resolver itself), every address is tried before the host is
//! called unreachable, and addresses that are not public are refused unless `--resolve` names
//! them: a failure on this side (the resolver down, a private address) is the checker's, never
//! the domain's. Connections to the resolver are kept and reused; its answers are read up to
//! 64 KiB; an `http:` resolver is accepted only with `--allow-http-doh` (the test fixtures).

use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use mtasts::observe::dns::{decode_response, encode_query, DNS_MESSAGE};
use mtasts::observe::evidence::{
    CertificateFacts, DnsLookup, ErrorKind, LookupError, PolicyFetch, RecordData, RecordType,
};
use mtasts::observe::fetch::{Next, POLICY_PATH, REQUEST_HEADERS};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, RootCertStore, SignatureScheme};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;

/// Cloudflare's public resolver, as the Worker uses by default.
pub(crate) const DEFAULT_DOH: &str = "https://cloudflare-dns.com/dns-query";

/// The most of a DoH answer read: a DNS message over HTTPS is at most 64 KiB (RFC 8484 §6).
const MAX_DOH_ANSWER: usize = 64 * 1024;

/// Idle connections to the resolver kept for reuse.
const MAX_IDLE_DOH: usize = 64;

/// `--resolve HOST:ADDR[:PORT]`: where connections to HOST go (`*` for every host); without a
/// port, the port asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pin {
    pub(crate) host: String,
    pub(crate) ip: IpAddr,
    pub(crate) port: Option<u16>,
}

type DohSender = hyper::client::conn::http1::SendRequest<Full<Bytes>>;

/// How `check` reaches the network.
pub(crate) struct Native {
    doh: url::Url,
    resolve: Vec<Pin>,
    roots: Arc<RootCertStore>,
    dns_timeout: Duration,
    fetch_timeout: Duration,
    /// Idle HTTP/1.1 connections to the resolver, reused by later queries.
    idle: Mutex<Vec<DohSender>>,
}

/// A failure with its kind, for the evidence.
pub(crate) struct NetError(ErrorKind, String);

impl NetError {
    pub(crate) fn into_lookup_error(self) -> LookupError {
        LookupError {
            kind: self.0,
            message: self.1,
        }
    }
}

trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

/// Parses `HOST:ADDR` or `HOST:ADDR:PORT` (`ADDR` may be a bracketed IPv6 address; `*` as HOST
/// means every host).
pub(crate) fn parse_resolve(s: &str) -> Result<Pin, String> {
    let (host, rest) = s
        .split_once(':')
        .ok_or_else(|| format!("--resolve {s}: expected HOST:ADDR[:PORT]"))?;
    let (ip, port) = match rest.parse::<SocketAddr>() {
        Ok(a) => (a.ip(), Some(a.port())),
        Err(_) => (
            rest.trim_matches(['[', ']'])
                .parse::<IpAddr>()
                .map_err(|_| format!("--resolve {s}: `{rest}` is not an address"))?,
            None,
        ),
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    if host.is_empty() {
        return Err(format!("--resolve {s}: no host name"));
    }
    Ok(Pin { host, ip, port })
}

/// Whether `ip` is a public unicast address (what a sender on the internet could reach). Written
/// here because `IpAddr::is_global` is not stable; the ranges are IANA's special-purpose registries.
pub(crate) fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            !(a == 0
                || a == 10
                || a == 127
                || a >= 224
                || (a == 100 && (64..128).contains(&b))
                || (a == 169 && b == 254)
                || (a == 172 && (16..32).contains(&b))
                || (a == 192 && b == 168)
                || (a == 192 && b == 0 && (c == 0 || c == 2))
                || (a == 198 && (b == 18 || b == 19))
                || (a == 198 && b == 51 && c == 100)
                || (a == 203 && b == 0 && c == 113))
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let s = v6.segments();
            !(v6.is_unspecified()
                || v6.is_loopback()
                || (s[0] & 0xfe00) == 0xfc00
                || (s[0] & 0xffc0) == 0xfe80
                || (s[0] & 0xff00) == 0xff00
                || (s[0] == 0x2001 && s[1] == 0x0db8)
                || (s[0] == 0x0100 && s[1..4] == [0, 0, 0])
                || (s[0] == 0x0064
                    && s[1] == 0xff9b
                    && s[2..6] == [0, 0, 0, 0]
                    && !is_public(IpAddr::V4(std::net::Ipv4Addr::new(
                        (s[6] >> 8) as u8,
                        s[6] as u8,
                        (s[7] >> 8) as u8,
                        s[7] as u8,
                    )))))
        }
    }
}

impl Native {
    pub(crate) fn new(
        doh: &str,
        allow_http_doh: bool,
        resolve: Vec<Pin>,
        ca_file: Option<&str>,
        fetch_timeout: Duration,
    ) -> Result<Self, String> {
        let doh = url::Url::parse(doh).map_err(|e| format!("--doh {doh}: {e}"))?;
        if doh.host_str().is_none() {
            return Err(format!("--doh {doh}: expected an https URL"));
        }
        match doh.scheme() {
            "https" => {}
            "http" if allow_http_doh => {}
            "http" => {
                return Err(format!(
                    "--doh {doh}: a resolver over plain http can be spoofed by anyone on the path; \
                     use https (plain http only with --allow-http-doh, for test fixtures)"
                ))
            }
            _ => return Err(format!("--doh {doh}: expected an https URL")),
        }
        let mut roots = RootCertStore::empty();
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        if let Some(path) = ca_file {
            let pem = std::fs::read(path).map_err(|e| format!("--ca-file {path}: {e}"))?;
            let mut added = 0;
            for cert in rustls::pki_types::pem::PemObject::pem_slice_iter(&pem) {
                let cert: CertificateDer<'static> =
                    cert.map_err(|e| format!("--ca-file {path}: {e}"))?;
                roots
                    .add(cert)
                    .map_err(|e| format!("--ca-file {path}: {e}"))?;
                added += 1;
            }
            if added == 0 {
                return Err(format!("--ca-file {path}: no PEM certificate found"));
            }
        }
        Ok(Native {
            doh,
            resolve,
            roots: Arc::new(roots),
            dns_timeout: Duration::from_secs(5),
            fetch_timeout,
            idle: Mutex::new(Vec::new()),
        })
    }

    /// The addresses `--resolve` names for `host`, if any (a pin for the host itself first).
    fn pinned(&self, host: &str, port: u16) -> Vec<SocketAddr> {
        let mine = self.pins_for(host, port);
        if mine.is_empty() {
            self.pins_for("*", port)
        } else {
            mine
        }
    }

    /// The `--resolve` addresses given for exactly `host` (`*` only when asked for by name).
    fn pins_for(&self, host: &str, port: u16) -> Vec<SocketAddr> {
        self.resolve
            .iter()
            .filter(|p| p.host == host)
            .map(|p| SocketAddr::new(p.ip, p.port.unwrap_or(port)))
            .collect()
    }

    /// Where a connection to `host` may go: `--resolve`'s addresses; for the resolver itself, the
    /// system resolver (it cannot resolve its own name); for any other host, its A and AAAA
    /// records through DNS over HTTPS, public addresses only.
    pub(crate) async fn addresses(
        &self,
        host: &str,
        port: u16,
    ) -> Result<Vec<SocketAddr>, NetError> {
        let pinned = self.pinned(host, port);
        if !pinned.is_empty() {
            return Ok(pinned);
        }
        let (a, aaaa) = futures::join!(
            self.doh(host, RecordType::A),
            self.doh(host, RecordType::AAAA)
        );
        let mut all = Vec::new();
        let mut failures = Vec::new();
        for l in [a, aaaa] {
            match l {
                Ok(l) => all.extend(l.answers.iter().filter_map(|r| match &r.data {
                    RecordData::A { address } | RecordData::Aaaa { address } => {
                        address.parse::<IpAddr>().ok()
                    }
                    _ => None,
                })),
                Err(NetError(_, m)) => failures.push(m),
            }
        }
        if all.is_empty() {
            return Err(if failures.is_empty() {
                NetError(ErrorKind::Dns, format!("{host} has no A or AAAA record"))
            } else {
                NetError(
                    ErrorKind::CheckerSide,
                    format!("{host} could not be resolved: {}", failures.join("; ")),
                )
            });
        }
        let (public, private): (Vec<IpAddr>, Vec<IpAddr>) =
            all.into_iter().partition(|ip| is_public(*ip));
        if public.is_empty() {
            let list: Vec<String> = private.iter().map(ToString::to_string).collect();
            return Err(NetError(
                ErrorKind::CheckerSide,
                format!(
                    "{host} resolves only to addresses that are not public ({}); not connected — \
                     name them with --resolve {host}:ADDR to check from inside that network",
                    list.join(", ")
                ),
            ));
        }
        Ok(public
            .into_iter()
            .map(|ip| SocketAddr::new(ip, port))
            .collect())
    }

    /// Where the resolver is: the URL's address, `--resolve`'s addresses for its name (not `*`,
    /// which is for the hosts checked), or the system resolver's answer (the one name not
    /// resolved through DNS over HTTPS).
    async fn resolver_addresses(&self) -> Result<Vec<SocketAddr>, NetError> {
        let host = self.doh.host_str().unwrap_or_default();
        let port = self.doh.port_or_known_default().unwrap_or(443);
        let pinned = self.pins_for(host, port);
        if !pinned.is_empty() {
            return Ok(pinned);
        }
        if let Ok(ip) = host.trim_matches(['[', ']']).parse::<IpAddr>() {
            return Ok(vec![SocketAddr::new(ip, port)]);
        }
        tokio::net::lookup_host((host, port))
            .await
            .map(Iterator::collect)
            .map_err(|e| {
                NetError(
                    ErrorKind::CheckerSide,
                    format!("this machine cannot resolve the DoH resolver {host}: {e}"),
                )
            })
    }

    /// A TCP connection to the first of `addrs` that accepts one, trying every one.
    async fn tcp(&self, addrs: &[SocketAddr]) -> Result<TcpStream, NetError> {
        let mut failures = Vec::new();
        for addr in addrs {
            match TcpStream::connect(addr).await {
                Ok(tcp) => {
                    let _ = tcp.set_nodelay(true);
                    return Ok(tcp);
                }
                Err(e) => failures.push(format!("{addr}: {e}")),
            }
        }
        let tried = if addrs.len() == 1 {
            "cannot connect to".to_owned()
        } else {
            format!("tried all {} addresses; cannot connect to", addrs.len())
        };
        Err(NetError(
            ErrorKind::Network,
            format!("{tried} {}", failures.join("; ")),
        ))
    }

    /// A connection (TLS when `tls` is given) to `host` at one of `addrs`.
    async fn connect(
        &self,
        host: &str,
        addrs: &[SocketAddr],
        tls: Option<Arc<rustls::ClientConfig>>,
    ) -> Result<Box<dyn Io>, NetError> {
        let tcp = self.tcp(addrs).await?;
        let Some(config) = tls else {
            return Ok(Box::new(tcp));
        };
        let name = ServerName::try_from(host.to_owned())
            .map_err(|e| NetError(ErrorKind::Other, e.to_string()))?;
        let stream = tokio_rustls::TlsConnector::from(config)
            .connect(name, tcp)
            .await
            .map_err(classify_tls)?;
        Ok(Box::new(stream))
    }

    pub(crate) fn client_config(
        &self,
        verifier: Arc<dyn ServerCertVerifier>,
        alpn: &[&[u8]],
    ) -> Arc<rustls::ClientConfig> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut c = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map(|b| {
                b.dangerous()
                    .with_custom_certificate_verifier(verifier)
                    .with_no_client_auth()
            })
            .unwrap_or_else(|_| {
                rustls::ClientConfig::builder()
                    .with_root_certificates(RootCertStore::empty())
                    .with_no_client_auth()
            });
        c.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
        Arc::new(c)
    }

    pub(crate) fn webpki(&self) -> Result<Arc<WebPkiServerVerifier>, NetError> {
        WebPkiServerVerifier::builder_with_provider(
            self.roots.clone(),
            Arc::new(rustls::crypto::ring::default_provider()),
        )
        .build()
        .map_err(|e| NetError(ErrorKind::Other, e.to_string()))
    }

    async fn request(
        &self,
        io: Box<dyn Io>,
        req: hyper::Request<Full<Bytes>>,
    ) -> Result<hyper::Response<Incoming>, NetError> {
        let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(io))
            .await
            .map_err(|e| NetError(ErrorKind::Network, e.to_string()))?;
        tokio::spawn(async move {
            let _ = conn.await;
        });
        sender
            .send_request(req)
            .await
            .map_err(|e| NetError(ErrorKind::Network, e.to_string()))
    }

    /// A connection to the resolver ready for a request: an idle one, or a new one.
    async fn doh_sender(&self) -> Result<DohSender, NetError> {
        loop {
            let idle = self.idle.lock().ok().and_then(|mut v| v.pop());
            let Some(mut sender) = idle else { break };
            if sender.ready().await.is_ok() {
                return Ok(sender);
            }
        }
        let host = self.doh.host_str().unwrap_or_default().to_owned();
        let tls = if self.doh.scheme() == "https" {
            Some(self.client_config(self.webpki()?, &[b"http/1.1"]))
        } else {
            None
        };
        let addrs = self.resolver_addresses().await?;
        let io = self.connect(&host, &addrs, tls).await?;
        let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(io))
            .await
            .map_err(|e| NetError(ErrorKind::Network, e.to_string()))?;
        tokio::spawn(async move {
            let _ = conn.await;
        });
        Ok(sender)
    }

    async fn doh(&self, name: &str, qtype: RecordType) -> Result<DnsLookup, NetError> {
        // A name DNS cannot carry is refused before any connection, never cut to fit.
        let query =
            encode_query(name, qtype).map_err(|e| NetError(ErrorKind::Other, e.to_string()))?;
        let path = &self.doh[url::Position::BeforePath..];
        let req = hyper::Request::post(path)
            .header(
                hyper::header::HOST,
                self.doh[url::Position::BeforeHost..url::Position::AfterPort].to_owned(),
            )
            .header(hyper::header::CONTENT_TYPE, DNS_MESSAGE)
            .header(hyper::header::ACCEPT, DNS_MESSAGE)
            .header(
                hyper::header::USER_AGENT,
                concat!("mtasts/", env!("CARGO_PKG_VERSION")),
            )
            .body(Full::new(Bytes::from(query)))
            .map_err(|e| NetError(ErrorKind::Other, e.to_string()))?;
        let mut sender = self.doh_sender().await?;
        let resp = sender
            .send_request(req)
            .await
            .map_err(|e| NetError(ErrorKind::Network, e.to_string()))?;
        let status = resp.status();
        // At most 64 KiB of answer: a longer one is no DNS message.
        let body = http_body_util::Limited::new(resp.into_body(), MAX_DOH_ANSWER)
            .collect()
            .await
            .map_err(|e| {
                NetError(
                    ErrorKind::BadResponse,
                    format!("the DoH answer could not be read: {e}"),
                )
            })?
            .to_bytes();
        // The whole response was read: the connection can serve the next query.
        if let Ok(mut idle) = self.idle.lock() {
            if idle.len() < MAX_IDLE_DOH {
                idle.push(sender);
            }
        }
        if status != hyper::StatusCode::OK {
            return Err(NetError(
                ErrorKind::BadResponse,
                format!("the DoH server answered HTTP {}", status.as_u16()),
            ));
        }
        decode_response(name, qtype, &body)
            .map_err(|e| NetError(ErrorKind::BadResponse, e.to_string()))
    }

    async fn fetch(&self, domain: &str, out: &mut PolicyFetch) -> Result<(), NetError> {
        let host = format!("mta-sts.{domain}");
        let recorder = Arc::new(Recording::new(self.webpki()?, true));
        let addrs = self.addresses(&host, 443).await?;
        let io = self
            .connect(
                &host,
                &addrs,
                Some(self.client_config(recorder.clone(), &[b"http/1.1"])),
            )
            .await;
        out.certificate = recorder.leaf_facts();
        let io = io?;
        let mut req = hyper::Request::get(POLICY_PATH).header(hyper::header::HOST, host.as_str());
        for (name, value) in REQUEST_HEADERS {
            req = req.header(name, value);
        }
        let req = req
            .header(
                hyper::header::USER_AGENT,
                concat!("mtasts/", env!("CARGO_PKG_VERSION")),
            )
            .body(Full::new(Bytes::new()))
            .map_err(|e| NetError(ErrorKind::Other, e.to_string()))?;
        let resp = self.request(io, req).await?;
        let head = resp.headers().iter().map(|(k, v)| {
            (
                k.as_str(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        });
        if out.record_head(resp.status().as_u16(), head) == Next::Stop {
            return Ok(());
        }
        let mut body = resp.into_body();
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|e| NetError(ErrorKind::Network, e.to_string()))?;
            if let Ok(data) = frame.into_data() {
                if !out.push_body(&data) {
                    break;
                }
            }
        }
        Ok(())
    }
}

/// The kind of a certificate verdict (for the SMTP probe's `invalid`).
pub(crate) fn classify_tls_error(e: &rustls::Error) -> (ErrorKind, String) {
    let kind = match e {
        rustls::Error::InvalidCertificate(c) => certificate_kind(c),
        _ => ErrorKind::Tls,
    };
    (kind, e.to_string())
}

fn certificate_kind(c: &CertificateError) -> ErrorKind {
    match c {
        CertificateError::Expired
        | CertificateError::ExpiredContext { .. }
        | CertificateError::NotValidYet
        | CertificateError::NotValidYetContext { .. } => ErrorKind::CertificateExpired,
        CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
            ErrorKind::CertificateName
        }
        CertificateError::UnknownIssuer
        | CertificateError::BadSignature
        | CertificateError::BadEncoding => ErrorKind::CertificateUntrusted,
        _ => ErrorKind::Tls,
    }
}

fn classify_tls(e: std::io::Error) -> NetError {
    let msg = e.to_string();
    let kind = match e.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>()) {
        Some(rustls::Error::InvalidCertificate(c)) => certificate_kind(c),
        Some(_) => ErrorKind::Tls,
        None if e.kind() == std::io::ErrorKind::UnexpectedEof
            || e.kind() == std::io::ErrorKind::ConnectionReset =>
        {
            ErrorKind::Network
        }
        None => ErrorKind::Tls,
    };
    NetError(kind, msg)
}

/// Subject names, issuer and validity of a DER certificate.
pub(crate) fn certificate_facts(der: &[u8]) -> Option<CertificateFacts> {
    let (_, cert) = x509_parser::parse_x509_certificate(der).ok()?;
    let subject_names = cert
        .subject_alternative_name()
        .ok()
        .flatten()
        .map(|san| {
            san.value
                .general_names
                .iter()
                .filter_map(|n| match n {
                    x509_parser::extensions::GeneralName::DNSName(d) => Some((*d).to_owned()),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    let ts = |t: x509_parser::time::ASN1Time| u64::try_from(t.timestamp()).ok();
    Some(CertificateFacts {
        subject_names,
        issuer: Some(cert.issuer().to_string()),
        not_before: ts(cert.validity().not_before),
        not_after: ts(cert.validity().not_after),
        self_signed: Some(cert.issuer() == cert.subject()),
    })
}

/// Verifies like webpki and remembers the end-entity certificate it was shown and webpki's
/// verdict. Enforcing (the policy fetch: an invalid certificate ends the handshake, as for a
/// sender) or observing (the SMTP probe: every handshake completes, so the chain can be seen).
#[derive(Debug)]
pub(crate) struct Recording {
    inner: Arc<WebPkiServerVerifier>,
    enforce: bool,
    leaf: Mutex<Option<Vec<u8>>>,
    verdict: Mutex<Option<Result<(), rustls::Error>>>,
}

impl Recording {
    pub(crate) fn new(inner: Arc<WebPkiServerVerifier>, enforce: bool) -> Self {
        Recording {
            inner,
            enforce,
            leaf: Mutex::new(None),
            verdict: Mutex::new(None),
        }
    }

    /// The end-entity certificate's facts, once a handshake showed one.
    pub(crate) fn leaf_facts(&self) -> Option<CertificateFacts> {
        self.leaf
            .lock()
            .ok()
            .and_then(|l| l.as_deref().and_then(certificate_facts))
    }

    /// webpki's verdict on the chain, once a handshake showed one.
    pub(crate) fn verdict(&self) -> Option<Result<(), rustls::Error>> {
        self.verdict.lock().ok().and_then(|mut v| v.take())
    }
}

impl ServerCertVerifier for Recording {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if let Ok(mut l) = self.leaf.lock() {
            *l = Some(end_entity.to_vec());
        }
        let v = self
            .inner
            .verify_server_cert(end_entity, intermediates, server_name, ocsp, now);
        if let Ok(mut slot) = self.verdict.lock() {
            *slot = Some(v.as_ref().map(|_| ()).map_err(Clone::clone));
        }
        if self.enforce {
            v
        } else {
            Ok(ServerCertVerified::assertion())
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

fn ms(since: Instant) -> Option<u32> {
    u32::try_from(since.elapsed().as_millis()).ok()
}

impl mtasts::Transport for Native {
    async fn query(&self, name: &str, qtype: RecordType) -> DnsLookup {
        let start = Instant::now();
        let mut l = match tokio::time::timeout(self.dns_timeout, self.doh(name, qtype)).await {
            Ok(Ok(l)) => l,
            Ok(Err(NetError(kind, msg))) => DnsLookup::failed(name, qtype, kind, msg),
            Err(_) => DnsLookup::failed(
                name,
                qtype,
                ErrorKind::Timeout,
                format!("no answer within {} s", self.dns_timeout.as_secs()),
            ),
        };
        l.elapsed_ms = ms(start);
        l
    }

    async fn fetch_policy(&self, domain: &str) -> PolicyFetch {
        let start = Instant::now();
        let mut out = PolicyFetch::new(mtasts::policy_url(domain));
        match tokio::time::timeout(self.fetch_timeout, self.fetch(domain, &mut out)).await {
            Ok(Ok(())) => {}
            Ok(Err(NetError(kind, message))) => out.error = Some(LookupError { kind, message }),
            Err(_) => {
                out.error = Some(LookupError {
                    kind: ErrorKind::Timeout,
                    message: format!(
                        "no complete response within {} s",
                        self.fetch_timeout.as_secs()
                    ),
                })
            }
        }
        out.elapsed_ms = ms(start);
        out
    }

    fn now(&self) -> u64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_addresses() {
        for ip in [
            "8.8.8.8",
            "1.1.1.1",
            "2606:4700::1111",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
        ] {
            assert!(is_public(ip.parse().expect(ip)), "{ip}");
        }
        for ip in [
            "0.0.0.0",
            "10.1.2.3",
            "127.0.0.1",
            "100.64.0.1",
            "169.254.1.1",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "192.0.2.1",
            "198.18.0.1",
            "198.51.100.7",
            "203.0.113.9",
            "224.0.0.1",
            "255.255.255.255",
            "::",
            "::1",
            "fc00::1",
            "fd12::1",
            "fe80::1",
            "ff02::1",
            "2001:db8::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a00:1",
            "100::1",
        ] {
            assert!(!is_public(ip.parse().expect(ip)), "{ip}");
        }
    }

    #[test]
    fn resolve_pins() {
        let p = parse_resolve("MTA-STS.Example.com.:192.0.2.1").expect("pin");
        assert_eq!(
            p,
            Pin {
                host: "mta-sts.example.com".into(),
                ip: "192.0.2.1".parse().expect("ip"),
                port: None
            }
        );
        let p = parse_resolve("*:[::1]:8443").expect("pin");
        assert_eq!((p.host.as_str(), p.port), ("*", Some(8443)));
        assert_eq!(parse_resolve("h:[2001:db8::1]").expect("pin").port, None);
        assert!(parse_resolve("nohost").is_err());
        assert!(parse_resolve(":1.2.3.4").is_err());
        assert!(parse_resolve("h:not-an-ip").is_err());
    }
}
