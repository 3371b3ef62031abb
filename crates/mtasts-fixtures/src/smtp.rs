//! The fixture internet's SMTP servers on loopback, one listener per behaviour of
//! [`world::Smtp`] that shows before TLS (no STARTTLS, silence, `421`, TLS below 1.2) and one that
//! offers STARTTLS and picks the certificate by SNI: for the MX name from the test CA, for
//! another name, expired, expiring five days from now, or self-signed. `mtasts check --smtp`
//! reaches them through `--resolve MX:127.0.0.1:PORT` ([`crate::FixtureInternet::smtp_resolve_args`]).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

use crate::world::{self, Rec, Smtp, SCENARIOS};

/// Every MX host name of the world with what it does on port 25.
pub fn mx_hosts() -> Vec<(String, Smtp)> {
    let mut out: Vec<(String, Smtp)> = Vec::new();
    for s in SCENARIOS {
        let world::Dns::Records(rs) = s.mx else {
            continue;
        };
        for r in rs {
            let Rec::Mx(_, h) = r else { continue };
            let host = world::fill(h, s.domain);
            if mtasts::HostName::from_dns(&host).is_none() || out.iter().any(|(n, _)| *n == host) {
                continue;
            }
            let b = s.smtp_of(&host);
            out.push((host, b));
        }
    }
    out
}

/// Which listener serves a behaviour.
pub fn listener_of(b: Smtp) -> usize {
    match b {
        Smtp::NoStarttls => 1,
        Smtp::Silent => 2,
        Smtp::Busy => 3,
        Smtp::OldTls => 4,
        _ => 0,
    }
}

/// The certificates of the STARTTLS listener, by MX name.
pub(crate) fn certificates(
    issuer: &rcgen::Issuer<'_, rcgen::KeyPair>,
    ca_der: &[u8],
    now: u64,
) -> Result<HashMap<String, Arc<CertifiedKey>>, rcgen::Error> {
    use rcgen::{date_time_ymd, CertificateParams, DnType, KeyPair};
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let ymd = |t: u64| {
        let (y, m, d) = mtasts::civil::civil(t);
        date_time_ymd(
            i32::try_from(y).unwrap_or(2035),
            u8::try_from(m).unwrap_or(1),
            u8::try_from(d).unwrap_or(1),
        )
    };
    let mut by_name = HashMap::new();
    for (host, b) in mx_hosts() {
        let san = if b == Smtp::WrongName {
            "smtp.provider.test".to_owned()
        } else {
            host.clone()
        };
        let key = KeyPair::from_pem(world::SMTP_KEY_PEM)?;
        let mut p = CertificateParams::new(vec![san])?;
        p.distinguished_name.push(DnType::CommonName, host.clone());
        (p.not_before, p.not_after) = match b {
            Smtp::Expired => (date_time_ymd(2020, 1, 1), date_time_ymd(2021, 1, 1)),
            // Five days (and a few hours) from the real now: the CLI judges at its own clock.
            Smtp::Expiring => (date_time_ymd(2025, 1, 1), ymd(now + 5 * 86_400 + 6 * 3600)),
            _ => (date_time_ymd(2025, 1, 1), date_time_ymd(2035, 1, 1)),
        };
        let (cert, chain_ca) = if b == Smtp::SelfSigned {
            (p.self_signed(&key)?, None)
        } else {
            (p.signed_by(&key, issuer)?, Some(ca_der))
        };
        let mut chain = vec![CertificateDer::from(cert.der().to_vec())];
        chain.extend(chain_ca.map(|c| CertificateDer::from(c.to_vec())));
        let der = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
        let Ok(ck) = CertifiedKey::from_der(chain, der, &provider) else {
            return Err(rcgen::Error::CouldNotParseKeyPair);
        };
        by_name.insert(host, Arc::new(ck));
    }
    Ok(by_name)
}

#[derive(Debug)]
struct MxBySni(HashMap<String, Arc<CertifiedKey>>);

impl ResolvesServerCert for MxBySni {
    fn resolve(&self, hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        self.0
            .get(&hello.server_name()?.to_ascii_lowercase())
            .cloned()
    }
}

/// Serves behaviour `b` on `listener` until the runtime stops.
pub(crate) async fn serve(
    listener: TcpListener,
    b: Smtp,
    certs: Arc<HashMap<String, Arc<CertifiedKey>>>,
) {
    let acceptor = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map(|c| {
        tokio_rustls::TlsAcceptor::from(Arc::new(
            c.with_no_client_auth()
                .with_cert_resolver(Arc::new(MxBySni((*certs).clone()))),
        ))
    });
    let Ok(acceptor) = acceptor else { return };
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let acceptor = acceptor.clone();
        tokio::spawn(async move {
            let _ = session(stream, b, acceptor).await;
        });
    }
}

async fn session(
    stream: TcpStream,
    b: Smtp,
    acceptor: tokio_rustls::TlsAcceptor,
) -> std::io::Result<()> {
    let mut r = BufReader::new(stream);
    if b == Smtp::Busy {
        return r
            .get_mut()
            .write_all(b"421 4.3.2 too busy, try later\r\n")
            .await;
    }
    r.get_mut()
        .write_all(b"220 fixture.test ESMTP fixture\r\n")
        .await?;
    let mut line = String::new();
    loop {
        line.clear();
        if r.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let cmd = line.trim().to_ascii_uppercase();
        if b == Smtp::Silent {
            tokio::time::sleep(Duration::from_secs(120)).await;
            return Ok(());
        }
        if cmd.starts_with("EHLO") {
            let ext: &[u8] = if b == Smtp::NoStarttls {
                b"250-fixture.test\r\n250-SIZE 10240000\r\n250 8BITMIME\r\n"
            } else {
                b"250-fixture.test\r\n250-SIZE 10240000\r\n250-STARTTLS\r\n250 8BITMIME\r\n"
            };
            r.get_mut().write_all(ext).await?;
        } else if cmd == "STARTTLS" && b != Smtp::NoStarttls {
            r.get_mut()
                .write_all(b"220 2.0.0 ready to start TLS\r\n")
                .await?;
            if b == Smtp::OldTls {
                // What a server that speaks only TLS 1.0 answers a TLS 1.2+ ClientHello: a fatal
                // protocol_version alert.
                let mut hello = [0u8; 512];
                let _ = tokio::io::AsyncReadExt::read(r.get_mut(), &mut hello).await;
                return r
                    .get_mut()
                    .write_all(&[0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x46])
                    .await;
            }
            let mut tls = BufReader::new(acceptor.accept(r.into_inner()).await?);
            let mut l = String::new();
            while tls.read_line(&mut l).await? > 0 {
                if l.trim().eq_ignore_ascii_case("QUIT") {
                    let _ = tls.get_mut().write_all(b"221 2.0.0 bye\r\n").await;
                    return Ok(());
                }
                tls.get_mut().write_all(b"502 5.5.2 not here\r\n").await?;
                l.clear();
            }
            return Ok(());
        } else if cmd == "QUIT" {
            return r.get_mut().write_all(b"221 2.0.0 bye\r\n").await;
        } else {
            r.get_mut().write_all(b"502 5.5.2 not here\r\n").await?;
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_dane_constant_is_the_fixed_keys_hash() {
        let key = rcgen::KeyPair::from_pem(crate::world::SMTP_KEY_PEM).expect("key");
        let spki = rcgen::PublicKeyData::subject_public_key_info(&key);
        let hash = ring::digest::digest(&ring::digest::SHA256, &spki);
        let hex: String = hash.as_ref().iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, crate::world::SMTP_SPKI_SHA256);
    }
}
