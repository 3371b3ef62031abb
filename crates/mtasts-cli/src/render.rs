//! Text output for people: compiler-style excerpts with a caret under the span, and reports.
//!
//! Everything printed from DNS or a policy file is hostile input: control characters (terminal
//! escape sequences among them) are shown as `\u{…}` escapes, never written raw.

use std::fmt::Write as _;

use mtasts::observe::evidence::LookupStatus;
use mtasts::{Evidence, Finding, Report, Severity, Verdict};

/// How many characters of a long line an excerpt shows.
const WINDOW: usize = 100;

pub(crate) struct Renderer {
    color: bool,
}

/// Makes untrusted text safe for a terminal: controls, bidi and other format characters, and line
/// separators are written as escapes (`mtasts::inert`), line breaks included.
pub(crate) fn safe(s: &str) -> String {
    mtasts::inert::escape(s)
}

/// As [`safe`], keeping the line breaks of text this program wrote itself (a multi-line fix).
pub(crate) fn safe_lines(s: &str) -> String {
    s.split('\n').map(safe).collect::<Vec<_>>().join("\n")
}

impl Renderer {
    pub(crate) fn new(color: bool) -> Self {
        Renderer { color }
    }

    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_owned()
        }
    }

    fn sev(&self, s: Severity) -> String {
        match s {
            Severity::Error => self.paint("1;31", "error"),
            Severity::Warning => self.paint("1;33", "warning"),
            Severity::Info => self.paint("1;36", "info"),
        }
    }

    /// Every finding, with an excerpt of `source(line)` where it points at text.
    pub(crate) fn findings<'s>(
        &self,
        name: &str,
        findings: &[Finding],
        source: &dyn Fn(usize) -> Option<&'s str>,
    ) -> String {
        let mut out = String::new();
        for f in findings {
            let _ = writeln!(
                out,
                "{}[{}]: {}",
                self.sev(f.severity),
                f.code,
                safe(&f.message)
            );
            if let (Some(line), Some(col)) = (f.line, f.column) {
                let _ = writeln!(out, "  --> {}:{line}:{col}", safe(name));
                if let Some(text) = source(line as usize) {
                    let span_len = f.span.map_or(1, |s| s.end.saturating_sub(s.start));
                    out.push_str(&self.excerpt(line, col as usize, span_len, text, f.severity));
                }
            }
            if let Some(fix) = &f.fix {
                let _ = writeln!(
                    out,
                    "   = fix: {}",
                    safe_lines(fix).replace('\n', "\n          ")
                );
            }
            let _ = writeln!(out, "   = see: {} · mtasts explain {}\n", f.rfc, f.code);
        }
        out
    }

    fn excerpt(&self, line: u32, col: usize, span_len: usize, text: &str, sev: Severity) -> String {
        let chars: Vec<char> = text.chars().collect();
        let col0 = col.saturating_sub(1).min(chars.len());
        // Width of the caret: as many characters as the span has bytes to cover.
        let mut width = 0;
        let mut bytes = 0;
        for c in chars.iter().skip(col0) {
            if bytes >= span_len {
                break;
            }
            bytes += c.len_utf8();
            width += 1;
        }
        let width = width.clamp(1, WINDOW);
        let start = col0.saturating_sub(WINDOW / 3);
        let end = (start + WINDOW).min(chars.len());
        let shown: String = chars[start..end].iter().collect();
        let pre = if start > 0 { "…" } else { "" };
        let post = if end < chars.len() { "…" } else { "" };
        let gutter = line.to_string().len();
        let pad = " ".repeat(gutter);
        // Columns as shown: an escaped character takes the width of its escape.
        let shown_width = |cs: &[char]| safe(&cs.iter().collect::<String>()).chars().count();
        let caret_at = shown_width(&chars[start..col0.max(start)]) + pre.chars().count();
        let span_end = (col0 + width).min(chars.len());
        let width = shown_width(&chars[col0..span_end]).max(1);
        let color = match sev {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Info => "1;36",
        };
        format!(
            "{pad} |\n{line} | {pre}{}{post}\n{pad} | {}{}\n",
            safe(&shown),
            " ".repeat(caret_at),
            self.paint(color, &"^".repeat(width))
        )
    }

    pub(crate) fn lint_summary(&self, name: &str, valid: bool, findings: &[Finding]) -> String {
        let counts = mtasts::Counts::of(findings);
        let verdict = if valid {
            self.paint("1;32", "valid")
        } else {
            self.paint("1;31", "invalid")
        };
        format!(
            "{}: {verdict} ({} error(s), {} warning(s), {} note(s))\n",
            safe(name),
            counts.errors,
            counts.warnings,
            counts.notes
        )
    }

    /// A whole report: verdict, summary, evidence sections, findings.
    pub(crate) fn report(&self, r: &Report, ev: &Evidence) -> String {
        let mut out = String::new();
        let colour = match r.verdict {
            Verdict::Pass => "1;32",
            Verdict::Warn => "1;33",
            Verdict::Fail => "1;31",
            Verdict::NotApplicable | Verdict::Inconclusive => "1;34",
        };
        let _ = writeln!(
            out,
            "{} — {}\n",
            self.paint(colour, r.verdict.label()),
            safe(&r.domain)
        );
        let _ = writeln!(out, "{}\n", safe(&r.summary));
        let _ = writeln!(out, "_mta-sts TXT: {}", lookup_line(&ev.sts_txt));
        for t in ev.sts_txt.txt_records() {
            let _ = writeln!(out, "  \"{}\"", safe(&t));
        }
        match &ev.policy_fetch {
            Some(f) => {
                let status = f
                    .status
                    .map_or_else(|| "no response".to_owned(), |s| format!("HTTP {s}"));
                let err = f.error.as_ref().map_or(String::new(), |e| {
                    format!(" ({:?}: {})", e.kind, safe(&e.message))
                });
                let _ = writeln!(out, "policy: {} → {status}{err}", safe(&f.url));
                if let Some(ct) = f.header("content-type") {
                    let _ = writeln!(out, "  content-type: {}", safe(ct));
                }
                if let Some(l) = &f.location {
                    let _ = writeln!(out, "  location: {}", safe(l));
                }
                if let Some(b) = &f.body {
                    for (i, l) in source_lines(&b.0).iter().take(40).enumerate() {
                        let _ = writeln!(out, "  {:>3} | {}", i + 1, safe(l));
                    }
                }
            }
            None => {
                let _ = writeln!(out, "policy: not fetched");
            }
        }
        let _ = writeln!(out, "MX: {}", lookup_line(&ev.mx));
        for h in &r.mx_hosts {
            let pref = h.preference.map_or("-".to_owned(), |p| p.to_string());
            let cov = h.covered_by.as_deref().map_or_else(
                || self.paint("1;31", "not covered"),
                |p| format!("covered by {p}"),
            );
            let _ = writeln!(out, "  {pref:>5} {:<40} {cov}", safe(&h.host));
            if ev.smtp.is_some() {
                let _ = writeln!(out, "        {}", safe(&tls_line(h)));
            }
        }
        let _ = writeln!(out, "_smtp._tls TXT: {}", lookup_line(&ev.tlsrpt_txt));
        for t in ev.tlsrpt_txt.txt_records() {
            let _ = writeln!(out, "  \"{}\"", safe(&t));
        }
        if let Some(inv) = &r.involved {
            let _ = writeln!(out, "Who is involved:");
            for (role, p) in [
                ("mail provider", &inv.mail),
                ("DNS host", &inv.dns),
                ("policy served by", &inv.policy),
            ] {
                if let Some(p) = p {
                    let name = p
                        .name
                        .as_deref()
                        .unwrap_or("not a provider this tool knows");
                    let _ = writeln!(out, "  {role}: {} ({})", safe(name), safe(&p.from));
                }
            }
        }
        if let Some(rd) = &r.readiness {
            let _ = writeln!(out, "\nReady to enforce? stage: {}", rd.stage);
            for i in &rd.items {
                let mark = match i.status {
                    mtasts::report::ItemStatus::Ok => self.paint("1;32", "[ok]"),
                    mtasts::report::ItemStatus::Problem => self.paint("1;31", "[!!]"),
                    mtasts::report::ItemStatus::NotChecked => "[??]".to_owned(),
                    mtasts::report::ItemStatus::NotApplicable => "[--]".to_owned(),
                };
                let _ = writeln!(out, "  {mark} {}", safe(&i.text));
            }
            let _ = writeln!(out, "  next: {}", safe(&rd.next_step));
        }
        if let Some(v) = &r.senders {
            out.push_str(&crate::commands::senders_table(v));
        }
        out.push('\n');
        out.push_str(&self.findings(&r.domain, &r.findings, &|_| None));
        out
    }
}

/// One MX host's SMTP facts, as the probe saw them.
fn tls_line(h: &mtasts::MxHost) -> String {
    let starttls = match h.starttls {
        Some(true) => "STARTTLS",
        Some(false) => "no STARTTLS",
        None => "STARTTLS not seen",
    };
    let version = h.tls_version.as_deref().unwrap_or("-");
    let cert = match (&h.certificate, h.valid_for_host) {
        (Some(c), Some(valid)) => format!(
            "certificate {} for this name, until {}",
            if valid { "valid" } else { "NOT valid" },
            c.not_after.map_or("?".to_owned(), mtasts::civil::date)
        ),
        _ => "no certificate seen".to_owned(),
    };
    let err = h
        .error
        .as_deref()
        .map_or(String::new(), |e| format!(" — {e}"));
    format!("{starttls}, {version}, {cert}{err}")
}

fn lookup_line(l: &mtasts::observe::evidence::DnsLookup) -> String {
    let status = match l.status() {
        LookupStatus::Found => format!(
            "{} record(s)",
            l.answers
                .iter()
                .filter(|a| a.data.rtype() == l.qtype)
                .count()
        ),
        LookupStatus::NoData => "no records (NOERROR)".to_owned(),
        LookupStatus::NxDomain => "no such name (NXDOMAIN)".to_owned(),
        LookupStatus::Failed(k, why) => format!("could not check: {k}: {why}"),
    };
    let ttl = l
        .answers
        .iter()
        .map(|a| a.ttl)
        .min()
        .map_or(String::new(), |t| format!(", TTL {t}"));
    let cname = if l.cname_chain.is_empty() {
        String::new()
    } else {
        format!(", via CNAME {}", l.cname_chain.join(" → "))
    };
    // The CNAME chain and a failure's message come from DNS and the network: escaped.
    safe(&format!(
        "{status}{ttl}{cname}{}",
        if l.authenticated {
            ", DNSSEC-validated"
        } else {
            ""
        }
    ))
}

/// The lines of a text by the crate's one line rule (LF or CRLF end a line; a lone CR stays in
/// its line), each read as UTF-8 with invalid bytes replaced: what the findings' line numbers count.
pub(crate) fn source_lines(bytes: &[u8]) -> Vec<String> {
    mtasts::finding::location::lines(bytes)
        .map(|l| String::from_utf8_lossy(l.content(bytes)).into_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_are_neutralised() {
        assert_eq!(safe("a\x1b[31mb\tc"), "a\\u{1b}[31mb\\tc");
        assert_eq!(safe("x\u{202e}y\u{2028}z\nw"), "x\\u{202e}y\\u{2028}z\\nw");
        assert_eq!(safe_lines("a\nb\u{200b}"), "a\nb\\u{200b}");
    }

    #[test]
    fn caret_under_span() {
        let r = Renderer::new(false);
        let e = r.excerpt(4, 10, 3, "max_age: abc", Severity::Error);
        assert_eq!(e, "  |\n4 | max_age: abc\n  |          ^^^\n");
        // Escaped characters before and inside the span move and widen the caret with them.
        let e = r.excerpt(1, 5, 5, "mx:\tma\u{200b}il", Severity::Error);
        assert_eq!(e, "  |\n1 | mx:\\tma\\u{200b}il\n  |      ^^^^^^^^^^\n");
    }

    #[test]
    fn long_lines_are_windowed() {
        let r = Renderer::new(false);
        let line = "x".repeat(100_000);
        let e = r.excerpt(1, 50_000, 1, &line, Severity::Error);
        assert!(e.len() < 400, "{}", e.len());
    }
}
