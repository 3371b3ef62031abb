//! `mtasts check --smtp`: each MX host's SMTP service as a sender meets it. For every MX host (at
//! most ten) and each of its addresses, at once: connect to port 25, read the greeting, EHLO, see
//! whether STARTTLS is offered, STARTTLS, complete a TLS handshake with SNI = the MX name, record
//! the version, the chain (with the digests DANE compares) and whether it verifies for the MX
//! name against the public roots (and `--ca-file`), then QUIT. Mail is never sent. Every step
//! has a time-out and the whole probe is bounded.
//!
//! Why by hand on tokio and rustls rather than an SMTP crate: the probe needs the raw session
//! (the exact greeting, the EHLO keywords, bytes the server sends too early after STARTTLS, a
//! handshake that records a chain it does not trust) and sends three commands; the SMTP client
//! crates on crates.io are mail senders that hide exactly these facts.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use mtasts::observe::evidence::{ErrorKind, Evidence, LookupError};
use mtasts::observe::smtp::{AddressProbe, ChainCertificate, MxProbe, SmtpProbe, MAX_SMTP_HOSTS};
use mtasts::HostName;
use rustls::pki_types::ServerName;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

use crate::net::{certificate_facts, classify_tls_error, Native, Recording};

/// The longest reply line read, and the most lines of one reply.
const MAX_LINE: usize = 2048;
const MAX_LINES: usize = 100;

/// Probes the MX hosts of `ev` (in MX order), each step within `step`, everything within `total`.
pub(crate) async fn probe(t: &Native, ev: &Evidence, step: Duration, total: Duration) -> SmtpProbe {
    let names: Vec<String> = ev.mx.exchanges().into_iter().take(MAX_SMTP_HOSTS).collect();
    let all = futures::future::join_all(names.iter().map(|h| host(t, h, step)));
    match tokio::time::timeout(total, all).await {
        Ok(hosts) => SmtpProbe { hosts },
        Err(_) => SmtpProbe {
            hosts: names
                .into_iter()
                .map(|host| MxProbe {
                    host,
                    addresses: Vec::new(),
                    error: Some(LookupError {
                        kind: ErrorKind::Timeout,
                        message: format!("the probe did not finish within {} s", total.as_secs()),
                    }),
                })
                .collect(),
        },
    }
}

async fn host(t: &Native, name: &str, step: Duration) -> MxProbe {
    let mut out = MxProbe {
        host: name.to_owned(),
        addresses: Vec::new(),
        error: None,
    };
    if HostName::from_dns(name).is_none() {
        out.error = Some(LookupError {
            kind: ErrorKind::Other,
            message: format!("{name:?} is not a host name: nothing to connect to"),
        });
        return out;
    }
    match t.addresses(name, 25).await {
        Ok(addrs) => {
            out.addresses =
                futures::future::join_all(addrs.into_iter().map(|a| session(t, name, a, step)))
                    .await
        }
        Err(e) => out.error = Some(e.into_lookup_error()),
    }
    out
}

fn fail(kind: ErrorKind, message: impl Into<String>) -> LookupError {
    LookupError {
        kind,
        message: message.into(),
    }
}

async fn session(t: &Native, name: &str, addr: SocketAddr, step: Duration) -> AddressProbe {
    let start = Instant::now();
    let mut out = AddressProbe::new(addr.to_string());
    if let Err(e) = converse(t, name, addr, step, &mut out).await {
        out.error = Some(e);
    }
    out.elapsed_ms = u32::try_from(start.elapsed().as_millis()).ok();
    out
}

/// Reads one reply (all its lines): its code and its lines' text.
async fn reply<R: tokio::io::AsyncBufRead + Unpin>(
    r: &mut R,
    step: Duration,
    what: &str,
) -> Result<(u16, Vec<String>), LookupError> {
    let mut lines = Vec::new();
    loop {
        let mut buf = Vec::new();
        let read = tokio::time::timeout(step, async {
            let mut limited = tokio::io::AsyncReadExt::take(&mut *r, MAX_LINE as u64);
            limited.read_until(b'\n', &mut buf).await
        })
        .await
        .map_err(|_| {
            fail(
                ErrorKind::Timeout,
                format!("no {what} within {} s", step.as_secs()),
            )
        })?
        .map_err(|e| fail(ErrorKind::Network, format!("reading the {what}: {e}")))?;
        if read == 0 {
            return Err(fail(
                ErrorKind::Network,
                format!("the server closed the connection before the {what}"),
            ));
        }
        let line = String::from_utf8_lossy(&buf).trim_end().to_owned();
        let code = line.get(..3).and_then(|c| c.parse::<u16>().ok());
        let more = line.as_bytes().get(3) == Some(&b'-');
        let Some(code) = code else {
            return Err(fail(
                ErrorKind::BadResponse,
                format!(
                    "not an SMTP reply: {}",
                    line.chars().take(120).collect::<String>()
                ),
            ));
        };
        lines.push(line.get(4..).unwrap_or_default().to_owned());
        if !more || lines.len() >= MAX_LINES {
            return Ok((code, lines));
        }
    }
}

async fn converse(
    t: &Native,
    name: &str,
    addr: SocketAddr,
    step: Duration,
    out: &mut AddressProbe,
) -> Result<(), LookupError> {
    let tcp = tokio::time::timeout(step, TcpStream::connect(addr))
        .await
        .map_err(|_| {
            fail(
                ErrorKind::Timeout,
                format!(
                    "no connection to {addr} within {} s, as seen from where this check ran",
                    step.as_secs()
                ),
            )
        })?
        .map_err(|e| fail(ErrorKind::Network, format!("cannot connect to {addr}: {e}")))?;
    let local = tcp.local_addr().ok();
    let mut r = BufReader::new(tcp);
    let (code, lines) = reply(&mut r, step, "greeting").await?;
    out.greeting = Some(
        format!("{code} {}", lines.first().map_or("", String::as_str))
            .chars()
            .take(200)
            .collect(),
    );
    if code != 220 {
        return Err(fail(
            ErrorKind::BadResponse,
            format!("the server refused the session: {code} {}", lines.join(" ")),
        ));
    }
    // An address literal of our end: a valid EHLO argument for a client without a name.
    let ehlo = match local.map(|l| l.ip()) {
        Some(std::net::IpAddr::V6(ip)) => format!("EHLO [IPv6:{ip}]\r\n"),
        Some(ip) => format!("EHLO [{ip}]\r\n"),
        None => "EHLO [127.0.0.1]\r\n".to_owned(),
    };
    write(&mut r, ehlo.as_bytes(), step).await?;
    let (code, lines) = reply(&mut r, step, "answer to EHLO").await?;
    if code != 250 {
        return Err(fail(
            ErrorKind::BadResponse,
            format!("EHLO was refused: {code} {}", lines.join(" ")),
        ));
    }
    let starttls = lines
        .iter()
        .skip(1)
        .any(|l| l.trim().eq_ignore_ascii_case("STARTTLS"));
    out.starttls = Some(starttls);
    if !starttls {
        let _ = write(&mut r, b"QUIT\r\n", step).await;
        return Ok(());
    }
    write(&mut r, b"STARTTLS\r\n", step).await?;
    let (code, lines) = reply(&mut r, step, "answer to STARTTLS").await?;
    if code != 220 {
        return Err(fail(
            ErrorKind::BadResponse,
            format!("STARTTLS was refused: {code} {}", lines.join(" ")),
        ));
    }
    if !r.buffer().is_empty() {
        // Bytes before the handshake would be read as if protected by it (the STARTTLS
        // command-injection flaw); a correct server never sends them.
        return Err(fail(
            ErrorKind::BadResponse,
            "the server sent data after its STARTTLS reply, before the TLS handshake",
        ));
    }
    handshake(t, name, r.into_inner(), step, out).await
}

async fn write<W: tokio::io::AsyncWrite + Unpin>(
    w: &mut W,
    bytes: &[u8],
    step: Duration,
) -> Result<(), LookupError> {
    tokio::time::timeout(step, w.write_all(bytes))
        .await
        .map_err(|_| fail(ErrorKind::Timeout, "the server stopped reading"))?
        .map_err(|e| fail(ErrorKind::Network, format!("writing to the server: {e}")))
}

async fn handshake(
    t: &Native,
    name: &str,
    tcp: TcpStream,
    step: Duration,
    out: &mut AddressProbe,
) -> Result<(), LookupError> {
    let verifier = Arc::new(Recording::new(
        t.webpki().map_err(|e| e.into_lookup_error())?,
        false,
    ));
    let config = t.client_config(verifier.clone(), &[]);
    let server =
        ServerName::try_from(name.to_owned()).map_err(|e| fail(ErrorKind::Other, e.to_string()))?;
    let mut tls = tokio::time::timeout(
        step,
        tokio_rustls::TlsConnector::from(config).connect(server, tcp),
    )
    .await
    .map_err(|_| {
        fail(
            ErrorKind::Timeout,
            format!("no TLS handshake within {} s", step.as_secs()),
        )
    })?
    .map_err(|e| fail(ErrorKind::Tls, e.to_string()))?;
    let (_, conn) = tls.get_ref();
    out.tls_version = conn
        .protocol_version()
        .and_then(|v| v.as_str())
        .map(|v| v.replace("TLSv1_", "TLSv1."));
    let chain: Vec<Vec<u8>> = conn
        .peer_certificates()
        .map(|c| c.iter().map(|c| c.to_vec()).collect())
        .unwrap_or_default();
    out.certificate = chain.first().and_then(|c| certificate_facts(c));
    out.chain = chain.iter().filter_map(|c| digests(c)).collect();
    match verifier.verdict() {
        Some(Ok(())) => out.valid_for_host = Some(true),
        Some(Err(e)) => {
            out.valid_for_host = Some(false);
            let (kind, message) = classify_tls_error(&e);
            out.invalid = Some(fail(kind, message));
        }
        None => {}
    }
    let _ = tokio::time::timeout(step, async {
        let _ = tls.write_all(b"QUIT\r\n").await;
        let _ = tls.shutdown().await;
    })
    .await;
    Ok(())
}

/// The digests DANE compares, of one DER certificate.
fn digests(der: &[u8]) -> Option<ChainCertificate> {
    let (_, cert) = x509_parser::parse_x509_certificate(der).ok()?;
    let spki = cert.public_key().raw;
    let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
    let sha = |alg, b: &[u8]| hex(ring::digest::digest(alg, b).as_ref());
    Some(ChainCertificate {
        cert: hex(der),
        cert_sha256: sha(&ring::digest::SHA256, der),
        cert_sha512: sha(&ring::digest::SHA512, der),
        spki: hex(spki),
        spki_sha256: sha(&ring::digest::SHA256, spki),
        spki_sha512: sha(&ring::digest::SHA512, spki),
    })
}
