//! The native transport of `mtasts check`: DNS over HTTPS (RFC 8484) and the policy fetch by the
//! sender rules of RFC 8461 §3.3, both over hyper with rustls (ring).
//!
//! Why DoH rather than the system resolver: the Worker queries the same way, so the CLI and the
//! web page see the same answers (rcode, AD bit, TTLs, CNAME chains), and tests can point both at
//! the fixture internet with `--doh`. The policy fetch records the certificate's subject names,
//! issuer and validity even when verification fails (a recording verifier wraps webpki's).

use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use mtasts::observe::dns::{decode_response, encode_query, DNS_MESSAGE};
use mtasts::observe::evidence::{
    CertificateFacts, DnsLookup, ErrorKind, LookupError, PolicyFetch, RecordType,
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

/// How `check` reaches the network.
pub(crate) struct Native {
    doh: url::Url,
    resolve: Vec<(String, SocketAddr)>,
    roots: Arc<RootCertStore>,
    dns_timeout: Duration,
    fetch_timeout: Duration,
}

/// A failure with its kind, for the evidence.
struct NetError(ErrorKind, String);

trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

/// Parses `HOST:ADDR` or `HOST:ADDR:PORT` (`ADDR` may be a bracketed IPv6 address).
pub(crate) fn parse_resolve(s: &str) -> Result<(String, SocketAddr), String> {
    let (host, rest) = s
        .split_once(':')
        .ok_or_else(|| format!("--resolve {s}: expected HOST:ADDR[:PORT]"))?;
    let addr = rest
        .parse::<SocketAddr>()
        .or_else(|_| {
            rest.trim_matches(['[', ']'])
                .parse::<IpAddr>()
                .map(|ip| SocketAddr::new(ip, 443))
        })
        .map_err(|_| format!("--resolve {s}: `{rest}` is not an address"))?;
    Ok((host.trim_end_matches('.').to_ascii_lowercase(), addr))
}

impl Native {
    pub(crate) fn new(
        doh: &str,
        resolve: Vec<(String, SocketAddr)>,
        ca_file: Option<&str>,
        fetch_timeout: Duration,
    ) -> Result<Self, String> {
        let doh = url::Url::parse(doh).map_err(|e| format!("--doh {doh}: {e}"))?;
        if !matches!(doh.scheme(), "https" | "http") || doh.host_str().is_none() {
            return Err(format!("--doh {doh}: expected an http(s) URL"));
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
        })
    }

    async fn connect(
        &self,
        host: &str,
        port: u16,
        tls: Option<Arc<rustls::ClientConfig>>,
    ) -> Result<Box<dyn Io>, NetError> {
        let addr = match self.resolve.iter().find(|(h, _)| h == host) {
            Some((_, a)) => *a,
            None => tokio::net::lookup_host((host, port))
                .await
                .map_err(|e| NetError(ErrorKind::Dns, format!("{host} does not resolve: {e}")))?
                .next()
                .ok_or_else(|| NetError(ErrorKind::Dns, format!("{host} has no address")))?,
        };
        let tcp = TcpStream::connect(addr)
            .await
            .map_err(|e| NetError(ErrorKind::Network, format!("cannot connect to {addr}: {e}")))?;
        let _ = tcp.set_nodelay(true);
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

    fn client_config(&self, verifier: Arc<dyn ServerCertVerifier>) -> Arc<rustls::ClientConfig> {
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
        c.alpn_protocols = vec![b"http/1.1".to_vec()];
        Arc::new(c)
    }

    fn webpki(&self) -> Result<Arc<WebPkiServerVerifier>, NetError> {
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

    async fn doh(&self, name: &str, qtype: RecordType) -> Result<DnsLookup, NetError> {
        // A name DNS cannot carry is refused before any connection, never cut to fit.
        let query =
            encode_query(name, qtype).map_err(|e| NetError(ErrorKind::Other, e.to_string()))?;
        let host = self.doh.host_str().unwrap_or_default().to_owned();
        let https = self.doh.scheme() == "https";
        let port = self.doh.port_or_known_default().unwrap_or(443);
        let tls = if https {
            Some(self.client_config(self.webpki()?))
        } else {
            None
        };
        let io = self.connect(&host, port, tls).await?;
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
        let resp = self.request(io, req).await?;
        let status = resp.status();
        let body = resp
            .into_body()
            .collect()
            .await
            .map_err(|e| NetError(ErrorKind::Network, e.to_string()))?
            .to_bytes();
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
        let recorder = Arc::new(Recording {
            inner: self.webpki()?,
            leaf: Mutex::new(None),
        });
        let io = self
            .connect(&host, 443, Some(self.client_config(recorder.clone())))
            .await;
        out.certificate = recorder
            .leaf
            .lock()
            .ok()
            .and_then(|l| l.as_deref().and_then(certificate_facts));
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

fn classify_tls(e: std::io::Error) -> NetError {
    let msg = e.to_string();
    let kind = match e.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>()) {
        Some(rustls::Error::InvalidCertificate(c)) => match c {
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
        },
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
fn certificate_facts(der: &[u8]) -> Option<CertificateFacts> {
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
    })
}

/// Verifies like webpki, and remembers the end-entity certificate it was shown.
#[derive(Debug)]
struct Recording {
    inner: Arc<WebPkiServerVerifier>,
    leaf: Mutex<Option<Vec<u8>>>,
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
        self.inner
            .verify_server_cert(end_entity, intermediates, server_name, ocsp, now)
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
