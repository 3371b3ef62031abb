//! Finding TLS reports in what people have: a `.json` file, a `.json.gz` file, one mail message
//! (`.eml`) or a mailbox of many (`.mbox`), whose `application/tlsrpt+gzip` or
//! `application/tlsrpt+json` parts are base64 or quoted-printable (RFC 8460 §5.3).
//!
//! Written by hand: only the MIME structure is needed (headers, multipart boundaries, two
//! transfer encodings), while a full mail parser decodes every charset. Measured on this machine
//! (wasm32, `opt-level = "z"`, LTO): `mail-parser` 0.11 alone is a 150 KB wasm, 52 KB gzip — more
//! than the whole reports page may add to the app's budget; this module adds a few KB.

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine;

use super::model::{Kind, Payload, Unread, MAX_REPORTS_PER_FILE};

/// Nested multiparts deeper than this are not opened (real reports are two deep).
const MAX_DEPTH: usize = 8;

/// Base64 as mail writes it: padding optional, line breaks removed before decoding.
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// What the bytes of a file look like.
pub(super) fn sniff(bytes: &[u8]) -> Option<Kind> {
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let first = text.iter().find(|b| !b.is_ascii_whitespace());
    if bytes.starts_with(&[0x1f, 0x8b]) {
        Some(Kind::Gzip)
    } else if matches!(first, Some(b'{' | b'[')) {
        Some(Kind::Json)
    } else {
        None
    }
}

/// Is this a mailbox (`From ` separator lines) rather than one message?
pub(super) fn is_mbox(bytes: &[u8]) -> bool {
    bytes.starts_with(b"From ")
}

/// Does this look like a mail message (a header line first)?
pub(super) fn is_message(bytes: &[u8]) -> bool {
    let line = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    match line.iter().position(|&b| b == b':') {
        Some(colon) if colon > 0 => line[..colon]
            .iter()
            .all(|&b| b.is_ascii_graphic() && b != b':'),
        _ => false,
    }
}

/// The messages of an mbox: split at `From ` lines that begin the file or follow a line break.
pub(super) fn split_mbox(bytes: &[u8]) -> Vec<&[u8]> {
    let mut starts = vec![];
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at..].starts_with(b"From ") {
            starts.push(at);
        }
        match bytes[at..].iter().position(|&b| b == b'\n') {
            Some(nl) => at += nl + 1,
            None => break,
        }
    }
    starts
        .iter()
        .enumerate()
        .map(|(i, &s)| {
            let end = starts.get(i + 1).copied().unwrap_or(bytes.len());
            // The message starts after the separator line.
            let body = &bytes[s..end];
            let nl = body
                .iter()
                .position(|&b| b == b'\n')
                .map_or(body.len(), |p| p + 1);
            &body[nl..]
        })
        .collect()
}

/// One header field: its lower-case name and its unfolded value.
struct Header {
    name: String,
    value: String,
}

/// A message or body part: its headers and its body.
struct Entity<'a> {
    headers: Vec<Header>,
    body: &'a [u8],
}

impl Entity<'_> {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|h| h.name == name)
            .map(|h| h.value.as_str())
    }
}

/// Splits headers from the body at the first empty line (CRLF or LF line ends) and unfolds them.
fn entity(bytes: &[u8]) -> Entity<'_> {
    let mut headers: Vec<Header> = vec![];
    let mut at = 0;
    loop {
        let rest = &bytes[at..];
        let (line, next) = match rest.iter().position(|&b| b == b'\n') {
            Some(nl) => (&rest[..nl], at + nl + 1),
            None => (rest, bytes.len()),
        };
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            return Entity {
                headers,
                body: &bytes[next.min(bytes.len())..],
            };
        }
        let text = String::from_utf8_lossy(line);
        if matches!(line[0], b' ' | b'\t') {
            if let Some(last) = headers.last_mut() {
                last.value.push(' ');
                last.value.push_str(text.trim());
            }
        } else if let Some((name, value)) = text.split_once(':') {
            headers.push(Header {
                name: name.trim().to_ascii_lowercase(),
                value: value.trim().to_owned(),
            });
        }
        if next >= bytes.len() {
            return Entity { headers, body: &[] };
        }
        at = next;
    }
}

/// A `Content-Type` (or `Content-Disposition`) value: the lower-case media type and parameters.
fn media(value: &str) -> (String, Vec<(String, String)>) {
    let mut parts = split_params(value).into_iter();
    let kind = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
    let params = parts
        .filter_map(|p| {
            let (name, value) = p.split_once('=')?;
            let name = name.trim().to_ascii_lowercase();
            let value = value.trim();
            let value = value
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .map_or_else(|| value.to_owned(), |v| v.replace("\\\"", "\""));
            // RFC 2231 `name*=utf-8''value`: keep the value (percent escapes are rare here).
            let (name, value) = match name.strip_suffix('*') {
                Some(base) => (
                    base.to_owned(),
                    value
                        .rsplit_once('\'')
                        .map_or(value.clone(), |(_, v)| v.to_owned()),
                ),
                None => (name, value),
            };
            Some((name, value))
        })
        .collect();
    (kind, params)
}

/// Splits at `;` outside double quotes.
fn split_params(value: &str) -> Vec<&str> {
    let mut out = vec![];
    let (mut quoted, mut start) = (false, 0);
    for (i, c) in value.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ';' if !quoted => {
                out.push(&value[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&value[start..]);
    out
}

fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// Decodes quoted-printable (RFC 2045 §6.7): `=XX` escapes and `=` soft line breaks.
fn quoted_printable(body: &[u8]) -> Vec<u8> {
    let hex = |b: u8| (b as char).to_digit(16);
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        if body[i] == b'=' {
            match (body.get(i + 1), body.get(i + 2)) {
                (Some(b'\r'), Some(b'\n')) => i += 3,
                (Some(b'\n'), _) => i += 2,
                (Some(&a), Some(&b)) if hex(a).is_some() && hex(b).is_some() => {
                    let v = hex(a).unwrap_or(0) * 16 + hex(b).unwrap_or(0);
                    out.push(u8::try_from(v).unwrap_or(b'?'));
                    i += 3;
                }
                _ => {
                    out.push(b'=');
                    i += 1;
                }
            }
        } else {
            out.push(body[i]);
            i += 1;
        }
    }
    out
}

/// The report domain named by a file name `submitter!policy-domain!begin!end[!id].json[.gz]`
/// (RFC 8460 §5.1) or a subject `Report Domain: D Submitter: S Report-ID: <id>` (§5.3).
pub(super) fn domain_hint(file_name: &str, subject: Option<&str>) -> Option<String> {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    let from_name = base
        .split('!')
        .nth(1)
        .filter(|_| base.matches('!').count() >= 3);
    let from_subject = subject.and_then(|s| {
        let at = s.to_ascii_lowercase().find("report domain:")?;
        s[at + "report domain:".len()..].split_whitespace().next()
    });
    from_name
        .or(from_subject)
        .map(|d| d.trim_end_matches('.').to_ascii_lowercase())
        .filter(|d| !d.is_empty() && d.len() <= 253)
}

/// The TLS-RPT parts of one message, as payloads; `origin` names the message in notes.
pub(super) fn message_parts(bytes: &[u8], origin: &str, out: &mut Vec<Result<Payload, Unread>>) {
    let top = entity(bytes);
    let subject = top.header("subject").map(str::to_owned);
    let before = out.len();
    walk(&top, origin, subject.as_deref(), 0, out);
    if out.len() == before {
        out.push(Err(Unread {
            origin: origin.to_owned(),
            message: "this message has no TLS report: no application/tlsrpt+gzip or \
                      application/tlsrpt+json part (nor a .json or .json.gz attachment)"
                .into(),
        }));
    }
}

fn walk(
    e: &Entity<'_>,
    origin: &str,
    subject: Option<&str>,
    depth: usize,
    out: &mut Vec<Result<Payload, Unread>>,
) {
    if out.len() >= MAX_REPORTS_PER_FILE {
        return;
    }
    let (kind, params) = media(e.header("content-type").unwrap_or("text/plain"));
    if kind.starts_with("multipart/") {
        let Some(boundary) = param(&params, "boundary").filter(|b| !b.is_empty()) else {
            return;
        };
        if depth >= MAX_DEPTH {
            out.push(Err(Unread {
                origin: origin.to_owned(),
                message: format!("multipart parts nested deeper than {MAX_DEPTH}: not opened"),
            }));
            return;
        }
        for part in parts(e.body, boundary.as_bytes()) {
            walk(&entity(part), origin, subject, depth + 1, out);
        }
        return;
    }
    let (_, disposition) = media(e.header("content-disposition").unwrap_or(""));
    let name = param(&disposition, "filename")
        .or_else(|| param(&params, "name"))
        .unwrap_or("")
        .to_owned();
    let lower = name.to_ascii_lowercase();
    let (payload_kind, note) = match kind.as_str() {
        "application/tlsrpt+gzip" => (Kind::Gzip, None),
        "application/tlsrpt+json" => (Kind::Json, None),
        _ if lower.ends_with(".json.gz") || (lower.ends_with(".gz") && lower.contains('!')) => (
            Kind::Gzip,
            Some(format!("sent as {kind}, not application/tlsrpt+gzip")),
        ),
        _ if lower.ends_with(".json")
            && (kind.starts_with("application/") || lower.contains('!')) =>
        {
            (
                Kind::Json,
                Some(format!("sent as {kind}, not application/tlsrpt+json")),
            )
        }
        _ => return,
    };
    let encoding = e
        .header("content-transfer-encoding")
        .unwrap_or("7bit")
        .trim()
        .to_ascii_lowercase();
    let bytes = match encoding.as_str() {
        "base64" => {
            let clean: Vec<u8> = e
                .body
                .iter()
                .copied()
                .filter(|b| !b.is_ascii_whitespace())
                .collect();
            match BASE64.decode(clean) {
                Ok(b) => b,
                Err(err) => {
                    out.push(Err(Unread {
                        origin: label(origin, &name),
                        message: format!("the attachment's base64 cannot be decoded ({err})"),
                    }));
                    return;
                }
            }
        }
        "quoted-printable" => quoted_printable(e.body),
        _ => e.body.to_vec(),
    };
    out.push(Ok(Payload {
        origin: label(origin, &name),
        kind: payload_kind,
        bytes,
        domain_hint: domain_hint(&name, subject),
        notes: note.into_iter().collect(),
    }));
}

fn label(origin: &str, name: &str) -> String {
    if name.is_empty() {
        origin.to_owned()
    } else {
        format!("{origin}: {name}")
    }
}

/// The body parts between `--boundary` lines, up to `--boundary--`.
fn parts<'a>(body: &'a [u8], boundary: &[u8]) -> Vec<&'a [u8]> {
    let mut delimiter = b"--".to_vec();
    delimiter.extend_from_slice(boundary);
    let mut out = vec![];
    let mut start: Option<usize> = None;
    let mut at = 0;
    while at <= body.len() {
        let rest = &body[at..];
        let (line, next) = match rest.iter().position(|&b| b == b'\n') {
            Some(nl) => (&rest[..nl], at + nl + 1),
            None => (rest, body.len() + 1),
        };
        let trimmed = line.strip_suffix(b"\r").unwrap_or(line);
        if let Some(after) = trimmed.strip_prefix(delimiter.as_slice()) {
            let closing = after.starts_with(b"--");
            if after.iter().all(u8::is_ascii_whitespace) || closing {
                if let Some(s) = start {
                    // The line break before the delimiter belongs to the delimiter.
                    let mut end = at;
                    if end > s && body[end - 1] == b'\n' {
                        end -= 1;
                        if end > s && body[end - 1] == b'\r' {
                            end -= 1;
                        }
                    }
                    out.push(&body[s..end]);
                }
                if closing {
                    return out;
                }
                start = Some(next.min(body.len()));
            }
        }
        at = next;
    }
    // No closing delimiter (a truncated message): keep the last part.
    if let Some(s) = start {
        out.push(&body[s..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_unfold_and_params_unquote() {
        let e = entity(b"Content-Type: multipart/report;\r\n\treport-type=tlsrpt;\r\n boundary=\"a;b\"\r\nX: y\r\n\r\nbody");
        let (kind, params) = media(e.header("content-type").unwrap_or_default());
        assert_eq!(kind, "multipart/report");
        assert_eq!(param(&params, "boundary"), Some("a;b"));
        assert_eq!(param(&params, "report-type"), Some("tlsrpt"));
        assert_eq!(e.body, b"body");
        let (_, p) = media("attachment; filename*=utf-8''r.json.gz");
        assert_eq!(param(&p, "filename"), Some("r.json.gz"));
    }

    #[test]
    fn quoted_printable_decodes_escapes_and_soft_breaks() {
        assert_eq!(
            quoted_printable(b"{\"a\"=3D1=\r\n,x=\n}=ZZ"),
            b"{\"a\"=1,x}=ZZ"
        );
    }

    #[test]
    fn multipart_parts_split_at_boundaries() {
        let body = b"preamble\r\n--B\r\nA: 1\r\n\r\none\r\n--B\r\n\r\ntwo\r\n--B--\r\nepilogue";
        let p = parts(body, b"B");
        assert_eq!(p, vec![&b"A: 1\r\n\r\none"[..], &b"\r\ntwo"[..]]);
        assert_eq!(parts(b"--B\nx\n--B\ny", b"B"), vec![&b"x"[..], &b"y"[..]]);
    }

    #[test]
    fn mbox_splits_at_from_lines() {
        let m = b"From a@b Mon\nSubject: 1\n\nx\nFrom b@c Tue\nSubject: 2\n\ny\n";
        let msgs = split_mbox(m);
        assert_eq!(msgs.len(), 2);
        assert!(msgs[1].starts_with(b"Subject: 2"));
    }

    #[test]
    fn the_report_domain_comes_from_the_file_name_or_subject() {
        assert_eq!(
            domain_hint(
                "google.com!example.com!1600000000!1600086400!001.json.gz",
                None
            )
            .as_deref(),
            Some("example.com")
        );
        assert_eq!(
            domain_hint(
                "r.json",
                Some("Report Domain: Example.COM Submitter: google.com Report-ID: <1>")
            )
            .as_deref(),
            Some("example.com")
        );
        assert_eq!(domain_hint("r.json", None), None);
    }
}
