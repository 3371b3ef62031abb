//! Monitoring without storing anything: an Atom feed whose one entry is the current judged state
//! (its id a digest of that state, so any feed reader notices a change) and an SVG badge. The
//! Worker serves both (`/api/feed`, `/badge`); they are pure functions of a check.

use crate::api::Checked;
use crate::civil;
use crate::report::Verdict;

/// Where the feed is served.
pub const FEED_PATH: &str = "/api/feed";
/// Where the badge is served.
pub const BADGE_PATH: &str = "/badge";

/// A digest of the judged state: the verdict, the finding codes, the policy text as served, the
/// `_mta-sts` id and the MX hosts — and nothing else (not the time of the check, not a renewed
/// certificate), so it changes exactly when one of those does. 16 hex digits (FNV-1a, 64 bits,
/// written out here so the digest stays the same across Rust versions, which `std`'s hasher does
/// not promise).
pub fn state_digest(c: &Checked) -> String {
    let mut codes: Vec<&str> = c.report.findings.iter().map(|f| f.code.as_str()).collect();
    codes.sort_unstable();
    codes.dedup();
    let mut mx: Vec<String> = c
        .report
        .mx_hosts
        .iter()
        .map(|m| m.host.trim_end_matches('.').to_ascii_lowercase())
        .collect();
    mx.sort_unstable();
    let policy: &[u8] = c
        .evidence
        .policy_fetch
        .as_ref()
        .filter(|f| f.status == Some(200))
        .and_then(|f| f.body.as_ref())
        .map_or(&[], |b| b.0.as_slice());
    let id = c.report.sts_record.as_ref().map_or("", |r| r.id.as_str());
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for &b in bytes.iter().chain(&[0xff]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    };
    eat(c.report.verdict.as_str().as_bytes());
    eat(codes.join(",").as_bytes());
    eat(policy);
    eat(id.as_bytes());
    eat(mx.join(",").as_bytes());
    format!("{h:016x}")
}

/// Text for XML character data and attribute values.
fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 does not allow at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{fffd}'),
            '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// The Atom feed (RFC 4287) of a check: one entry describing the current state, whose id is
/// [`state_digest`]. `origin` is where the site is served (`https://mtasts.example`).
pub fn atom_feed(c: &Checked, origin: &str) -> String {
    let d = &c.report.domain;
    let q = percent(d);
    let digest = state_digest(c);
    let when = civil::rfc3339(i64::try_from(c.evidence.observed_at).unwrap_or(0));
    let report_url = format!("{origin}/?domain={q}");
    let mut findings = String::new();
    for f in c.report.by_priority().iter().take(10) {
        findings.push_str(&format!(
            "<li><strong>{}</strong> [{}]: {}</li>",
            xml(f.severity.as_str()),
            xml(f.code.as_str()),
            xml(&f.message)
        ));
    }
    let content = format!(
        "<p>{}</p>{}<p><a href=\"{}\">The full report</a></p>",
        xml(&c.report.summary),
        if findings.is_empty() {
            String::new()
        } else {
            format!("<ul>{findings}</ul>")
        },
        xml(&report_url)
    );
    format!(
        concat!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n",
            "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n",
            "  <id>urn:mtasts:feed:{d}</id>\n",
            "  <title>MTA-STS of {d}</title>\n",
            "  <subtitle>A new entry appears when the verdict, the findings, the policy, its id or the MX hosts of {d} change.</subtitle>\n",
            "  <updated>{when}</updated>\n",
            "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{self_url}\"/>\n",
            "  <link rel=\"alternate\" type=\"text/html\" href=\"{report}\"/>\n",
            "  <author><name>mtasts</name></author>\n",
            "  <generator>mtasts {version}</generator>\n",
            "  <entry>\n",
            "    <id>urn:mtasts:state:{d}:{digest}</id>\n",
            "    <title>{d}: {label}</title>\n",
            "    <updated>{when}</updated>\n",
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{report}\"/>\n",
            "    <summary>{summary}</summary>\n",
            "    <content type=\"html\">{content}</content>\n",
            "  </entry>\n",
            "</feed>\n"
        ),
        d = xml(d),
        when = when,
        self_url = xml(&format!("{origin}{FEED_PATH}?domain={q}")),
        report = xml(&report_url),
        version = env!("CARGO_PKG_VERSION"),
        digest = digest,
        label = xml(c.report.verdict.label()),
        summary = xml(&c.report.summary),
        content = xml(&content),
    )
}

/// A domain name for a query string (A-labels are ASCII; anything else is escaped).
fn percent(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// An SVG badge: "MTA-STS" and the verdict in words, with an accessible title, in the page's
/// light or dark colours.
pub fn badge_svg(domain: &str, verdict: Verdict) -> String {
    let (word, class) = match verdict {
        Verdict::Pass => ("pass", "pass"),
        Verdict::Warn => ("needs attention", "warn"),
        Verdict::Fail => ("broken", "fail"),
        Verdict::NotApplicable => ("not applicable", "na"),
        Verdict::Inconclusive => ("could not check", "na"),
    };
    // Verdana 11px is about 7 px a character; the sides get 8 px of padding.
    let width = |s: &str| 16 + 7 * u32::try_from(s.chars().count()).unwrap_or(0);
    let (left, right) = (width("MTA-STS"), width(word));
    let total = left + right;
    let title = format!("MTA-STS for {}: {word}", xml(domain));
    format!(
        concat!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{total}\" height=\"20\" role=\"img\" aria-labelledby=\"t\">",
            "<title id=\"t\">{title}</title>",
            "<style>",
            ".l{{fill:#555}}.pass{{fill:#1e7b34}}.warn{{fill:#8a5a00}}.fail{{fill:#b3261e}}.na{{fill:#5f6670}}",
            "text{{fill:#fff;font:11px Verdana,DejaVu Sans,sans-serif}}",
            "@media (prefers-color-scheme:dark){{.l{{fill:#3a3f45}}.pass{{fill:#2e7d45}}.warn{{fill:#9a6a10}}.fail{{fill:#c0392b}}.na{{fill:#4a5058}}}}",
            "</style>",
            "<rect class=\"l\" width=\"{left}\" height=\"20\" rx=\"3\"/>",
            "<rect class=\"{class}\" x=\"{left}\" width=\"{right}\" height=\"20\" rx=\"3\"/>",
            "<rect class=\"{class}\" x=\"{left}\" width=\"4\" height=\"20\"/>",
            "<text x=\"8\" y=\"14\">MTA-STS</text>",
            "<text x=\"{tx}\" y=\"14\">{word}</text>",
            "</svg>"
        ),
        total = total,
        title = title,
        left = left,
        right = right,
        class = class,
        tx = left + 8,
        word = word,
    )
}
