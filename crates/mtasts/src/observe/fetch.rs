//! The policy fetch rules of RFC 8461 §3.3, written once for every transport.
//!
//! A transport (the Worker's `fetch`, the CLI's HTTPS client, the fixture world in memory) only
//! moves bytes: it sends [`REQUEST_HEADERS`] with `redirect: manual` and no HTTP cache, then hands
//! the status line, the headers and each body chunk to the [`PolicyFetch`] it is filling. The rules
//! live here: header names are recorded in lower case and `Location` is kept (a redirect is
//! recorded, never followed, and its body is not read); at most [`MAX_POLICY_BYTES`] of body are
//! kept, `truncated` says when there was more, and the transport stops reading there. Chunks are
//! appended in place, so a fetch cut short by a time-out keeps what had arrived, and reading a
//! body costs time linear in its size.

use crate::observe::evidence::{Body, Header, PolicyFetch};
use crate::records::policy::MAX_POLICY_BYTES;

/// The path of the policy file on `mta-sts.<domain>` (RFC 8461 §3.3).
pub const POLICY_PATH: &str = "/.well-known/mta-sts.txt";

/// The request headers of the policy fetch: plain text, and no cached copy.
pub const REQUEST_HEADERS: [(&str, &str); 2] =
    [("Accept", "text/plain"), ("Cache-Control", "no-cache")];

/// What a transport does after the response head.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// Read the body, handing each chunk to [`PolicyFetch::push_body`].
    ReadBody,
    /// Do not read the body (a redirect: senders never follow it, so its body is not the policy).
    Stop,
}

impl PolicyFetch {
    /// Records the status and headers of the response (names lower-cased, `Location` kept) and
    /// says whether to read the body. The body starts empty, so a response whose body never
    /// arrives is told apart from one that was not received.
    pub fn record_head<N, V>(
        &mut self,
        status: u16,
        headers: impl IntoIterator<Item = (N, V)>,
    ) -> Next
    where
        N: AsRef<str>,
        V: Into<String>,
    {
        self.status = Some(status);
        self.headers = headers
            .into_iter()
            .map(|(name, value)| Header {
                name: name.as_ref().to_ascii_lowercase(),
                value: value.into(),
            })
            .collect();
        self.location = self.header("location").map(str::to_owned);
        self.body = Some(Body(Vec::new()));
        if (300..400).contains(&status) {
            Next::Stop
        } else {
            Next::ReadBody
        }
    }

    /// Appends a body chunk, keeping at most [`MAX_POLICY_BYTES`] in all. Returns `false` when the
    /// cap was reached (`truncated` is then set): the transport stops reading.
    pub fn push_body(&mut self, chunk: &[u8]) -> bool {
        let buf = &mut self.body.get_or_insert_with(Body::default).0;
        let room = MAX_POLICY_BYTES.saturating_sub(buf.len());
        if chunk.len() > room {
            buf.extend_from_slice(&chunk[..room]);
            self.truncated = true;
            return false;
        }
        buf.extend_from_slice(chunk);
        true
    }

    /// When a fetch made from the Cloudflare edge got an answer the platform generated itself
    /// rather than the policy host's (520–524 and 530: the platform could not reach or read the
    /// host; 403 with its `error code: 1xxx` body: it refused, e.g. an address it prohibits),
    /// why that answer says nothing about the domain. Only the Worker asks: for a direct observer
    /// such a status is the host's own answer.
    pub fn edge_answer(&self) -> Option<String> {
        let status = self.status?;
        let body = self.body.as_ref().map_or(&[][..], |b| b.0.as_slice());
        let first_line = String::from_utf8_lossy(body.split(|&b| b == b'\n').next().unwrap_or(&[]))
            .trim()
            .chars()
            .take(80)
            .collect::<String>();
        match status {
            520..=524 | 530 => Some(format!(
                "the edge platform answered HTTP {status} itself, not the policy host ({first_line})"
            )),
            403 if first_line.starts_with("error code: 1") => Some(format!(
                "the edge platform refused the request itself (HTTP 403, {first_line}), for example \
                 because the policy host resolves to an address it does not connect to"
            )),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn head_lowercases_names_keeps_location_and_stops_at_redirects() {
        let mut f = PolicyFetch::new("https://mta-sts.example.com/.well-known/mta-sts.txt");
        let next = f.record_head(
            301,
            [
                ("Content-Type", "text/html"),
                ("Location", "https://elsewhere/"),
            ],
        );
        assert_eq!(next, Next::Stop);
        assert_eq!(f.status, Some(301));
        assert_eq!(f.headers[0].name, "content-type");
        assert_eq!(f.location.as_deref(), Some("https://elsewhere/"));
        assert_eq!(f.body, Some(Body(Vec::new())));
        let mut ok = PolicyFetch::new("u");
        assert_eq!(ok.record_head(200, [("x", "y")]), Next::ReadBody);
        assert_eq!(ok.location, None);
    }

    #[test]
    fn answers_the_edge_generates_itself() {
        let answer = |status: u16, body: &str| {
            let mut f = PolicyFetch::new("u");
            f.record_head(status, [("content-type", "text/plain")]);
            f.push_body(body.as_bytes());
            f.edge_answer()
        };
        for s in [520, 521, 522, 523, 524, 530] {
            let why = answer(s, "error code: 522").expect("edge");
            assert!(why.contains(&format!("HTTP {s}")), "{why}");
        }
        assert!(answer(403, "error code: 1003\n").is_some());
        assert_eq!(answer(403, "Forbidden"), None, "the host's own 403");
        assert_eq!(answer(404, "error code: 1000"), None);
        assert_eq!(answer(200, "version: STSv1"), None);
        assert_eq!(
            answer(525, ""),
            None,
            "525/526 are the host's TLS, judged as such"
        );
        assert_eq!(PolicyFetch::new("u").edge_answer(), None);
    }

    #[test]
    fn body_is_capped_at_64_kib_and_flagged() {
        let mut f = PolicyFetch::new("u");
        f.record_head(200, Vec::<(String, String)>::new());
        let chunk = vec![b'x'; 10_000];
        let mut reads = 0;
        while f.push_body(&chunk) {
            reads += 1;
        }
        assert_eq!(reads, 6);
        assert!(f.truncated);
        assert_eq!(f.body.map(|b| b.0.len()), Some(MAX_POLICY_BYTES));
        let mut exact = PolicyFetch::new("u");
        assert!(exact.push_body(&vec![b'x'; MAX_POLICY_BYTES]));
        assert!(!exact.truncated);
    }
}
