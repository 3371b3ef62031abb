//! Conformance adapter for the `mail-auth` crate (Stalwart's DNS and mail-authentication library),
//! version 0.11.2, as Stalwart uses it to read the `_mta-sts` TXT record set.
//!
//! `sts-txt` runs mail-auth's own resolver path, `MessageAuthenticator::txt_lookup::<MtaSts>`:
//! the records of the request are served by a tiny DNS server on 127.0.0.1 (the lowest seam: the
//! real hickory resolver queries it over UDP, and over TCP when the answer is truncated), so the
//! crate's own handling of the set (joining a record's character-strings, trying each record in
//! answer order and keeping the first that parses) and its own TXT parser both run.
//!
//! `policy` and `match` are answered `unsupported`: mail-auth 0.11.2 has no policy-file parser
//! and no MX matcher (both live in Stalwart's smtp crate, which does not install from a registry).
//!
//! Protocol: tests/conformance/PROTOCOL.md (JSON lines on stdin and stdout).

use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::net::{IpAddr, Ipv4Addr};
use std::sync::{Arc, Mutex};

use mail_auth::common::cache::NoCache;
use mail_auth::hickory_resolver::config::{
    ConnectionConfig, NameServerConfig, ResolveHosts, ResolverConfig, ResolverOpts,
};
use mail_auth::mta_sts::MtaSts;
use mail_auth::{DnsError, Error, MessageAuthenticator, Txt};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, UdpSocket};

/// The stub zone: lower-cased query name (with the final dot) → TXT records (raw bytes).
type Zone = Arc<Mutex<HashMap<String, Vec<Vec<u8>>>>>;

const TYPE_TXT: u16 = 16;

/// The answer's key for the `id` read from the TXT record. PROTOCOL.md names it `id`, which is
/// also the key that echoes the vector's name; the two cannot share one JSON object, so the
/// record's id goes here (one place to change when the protocol settles it).
const POLICY_ID: &str = "id";

/// Reads the question of a DNS query: (name lower-cased with a final dot, type, end of question).
fn question(packet: &[u8]) -> Option<(String, u16, usize)> {
    if packet.len() < 12 {
        return None;
    }
    let mut at = 12;
    let mut name = String::new();
    loop {
        let len = *packet.get(at)? as usize;
        at += 1;
        if len == 0 {
            break;
        }
        let label = packet.get(at..at + len)?;
        name.push_str(&String::from_utf8_lossy(label).to_ascii_lowercase());
        name.push('.');
        at += len;
    }
    if name.is_empty() {
        name.push('.');
    }
    let qtype = u16::from_be_bytes([*packet.get(at)?, *packet.get(at + 1)?]);
    Some((name, qtype, at + 4))
}

/// Builds the answer to `query`. `limit`: the largest message the transport carries (UDP: 512
/// bytes, then the answer is sent truncated so the resolver asks again over TCP).
fn answer(query: &[u8], zone: &Zone, limit: usize) -> Option<Vec<u8>> {
    let (name, qtype, end) = question(query)?;
    let records = zone.lock().ok()?.get(&name).cloned();
    let mut out = Vec::with_capacity(512);
    out.extend_from_slice(&query[0..2]); // id
    let rd = query[2] & 0x01;
    let rcode: u8 = if records.is_some() { 0 } else { 3 }; // NOERROR / NXDOMAIN
    out.push(0x84 | rd); // QR, AA, RD as asked
    out.push(0x80 | rcode); // RA
    out.extend_from_slice(&1u16.to_be_bytes()); // QDCOUNT
    let answers: Vec<Vec<u8>> = match (&records, qtype) {
        (Some(records), TYPE_TXT) => records.clone(),
        _ => Vec::new(),
    };
    out.extend_from_slice(&(answers.len() as u16).to_be_bytes()); // ANCOUNT
    out.extend_from_slice(&[0, 0, 0, 0]); // NSCOUNT, ARCOUNT
    out.extend_from_slice(&query[12..end]);
    for record in &answers {
        // RDATA: the record as character-strings of at most 255 bytes (an empty record is one
        // empty string).
        let mut rdata = Vec::new();
        if record.is_empty() {
            rdata.push(0);
        }
        for chunk in record.chunks(255) {
            rdata.push(chunk.len() as u8);
            rdata.extend_from_slice(chunk);
        }
        out.extend_from_slice(&[0xc0, 0x0c]); // the question's name
        out.extend_from_slice(&TYPE_TXT.to_be_bytes());
        out.extend_from_slice(&1u16.to_be_bytes()); // IN
        out.extend_from_slice(&60u32.to_be_bytes()); // TTL
        out.extend_from_slice(&(rdata.len() as u16).to_be_bytes());
        out.extend_from_slice(&rdata);
    }
    if out.len() > limit {
        // Truncated: header and question only, TC set.
        out.truncate(12 + (end - 12));
        out[2] |= 0x02;
        out[6] = 0;
        out[7] = 0;
    }
    Some(out)
}

async fn serve_udp(socket: UdpSocket, zone: Zone) {
    let mut buf = vec![0u8; 4096];
    loop {
        let Ok((n, peer)) = socket.recv_from(&mut buf).await else {
            continue;
        };
        if let Some(reply) = answer(&buf[..n], &zone, 512) {
            let _ = socket.send_to(&reply, peer).await;
        }
    }
}

async fn serve_tcp(listener: TcpListener, zone: Zone) {
    loop {
        let Ok((mut stream, _)) = listener.accept().await else {
            continue;
        };
        let zone = zone.clone();
        tokio::spawn(async move {
            loop {
                let mut len = [0u8; 2];
                if stream.read_exact(&mut len).await.is_err() {
                    return;
                }
                let mut query = vec![0u8; u16::from_be_bytes(len) as usize];
                if stream.read_exact(&mut query).await.is_err() {
                    return;
                }
                let Some(reply) = answer(&query, &zone, 65535) else {
                    return;
                };
                let mut framed = (reply.len() as u16).to_be_bytes().to_vec();
                framed.extend_from_slice(&reply);
                if stream.write_all(&framed).await.is_err() {
                    return;
                }
            }
        });
    }
}

/// Binds UDP and TCP on the same loopback port.
async fn bind() -> std::io::Result<(UdpSocket, TcpListener)> {
    let mut last = None;
    for _ in 0..20 {
        let udp = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).await?;
        let port = udp.local_addr()?.port();
        match TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await {
            Ok(tcp) => return Ok((udp, tcp)),
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no port")))
}

fn reason(err: &Error) -> String {
    match err {
        Error::Dns(DnsError::RecordNotFound(code)) => format!("no TXT record ({code})"),
        Error::Dns(DnsError::InvalidRecordType) => {
            "no record of the set parses as v=STSv1 with an id".to_owned()
        }
        other => format!("lookup error: {other}"),
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::io::Result<()> {
    let zone: Zone = Arc::default();
    let (udp, tcp) = bind().await?;
    let port = udp.local_addr()?.port();
    tokio::spawn(serve_udp(udp, zone.clone()));
    tokio::spawn(serve_tcp(tcp, zone.clone()));

    let mut server = NameServerConfig::udp_and_tcp(IpAddr::V4(Ipv4Addr::LOCALHOST));
    let mut udp_conn = ConnectionConfig::udp();
    udp_conn.port = port;
    let mut tcp_conn = ConnectionConfig::tcp();
    tcp_conn.port = port;
    server.connections = vec![udp_conn, tcp_conn];
    let config = ResolverConfig::from_parts(None, vec![], vec![server]);
    let mut opts = ResolverOpts::default();
    opts.use_hosts_file = ResolveHosts::Never;
    opts.cache_size = 0;
    opts.attempts = 1;
    let resolver = MessageAuthenticator::new(config, opts)
        .map_err(|e| std::io::Error::other(e.to_string()))?;

    let stdin = std::io::stdin();
    let mut stdout = std::io::stdout().lock();
    for (n, line) in stdin.lock().lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let request: Value = match serde_json::from_str(&line) {
            Ok(v) => v,
            Err(e) => {
                eprintln!("mail-auth adapter: bad request line: {e}");
                continue;
            }
        };
        let id = request.get("vector").cloned().unwrap_or(Value::Null);
        let reply = match request.get("kind").and_then(Value::as_str) {
            Some("sts-txt") => {
                let records: Vec<Vec<u8>> = request
                    .get("records")
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(Value::as_str)
                            .map(|s| s.as_bytes().to_vec())
                            .collect()
                    })
                    .unwrap_or_default();
                // A fresh name for every request: nothing is answered from a cache.
                let name = format!("_mta-sts.v{n}.example.");
                zone.lock()
                    .map_err(|_| std::io::Error::other("zone lock"))?
                    .insert(name.clone(), records);
                let result = resolver
                    .txt_lookup::<MtaSts>(name.as_str(), None::<&NoCache<Box<str>, Txt>>)
                    .await;
                match result {
                    Ok(record) => json!({"vector": id, "outcome": "policy", POLICY_ID: record.id}),
                    Err(err) => json!({"vector": id, "outcome": "no-policy", "reason": reason(&err)}),
                }
            }
            _ => json!({"vector": id, "outcome": "unsupported"}),
        };
        writeln!(stdout, "{reply}")?;
        stdout.flush()?;
    }
    Ok(())
}
