//! Pure text helpers behind the views: annotating a policy with its findings, fix-its, inline
//! `code` in finding messages and code docs, and input clean-up. No DOM here, so all of it is unit-tested.

use mtasts::finding::location::{lines, Ending};
use mtasts::{ByteRange, Severity};

/// At most this many lines of a text are shown annotated; the rest is summarised.
pub(crate) const MAX_SHOWN_LINES: usize = 2_000;

/// A finding's span in a text, with the finding's severity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Mark {
    pub(crate) range: ByteRange,
    pub(crate) severity: Severity,
}

/// A run of one line's text, marked or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Segment {
    pub(crate) text: String,
    pub(crate) mark: Option<Severity>,
}

/// One annotated line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Line {
    /// 1-based.
    pub(crate) number: u32,
    pub(crate) segments: Vec<Segment>,
    /// The worst mark touching this line, including its line ending and empty spans.
    pub(crate) worst: Option<Severity>,
    /// A mark that covers only the line ending or is empty: shown after the text.
    pub(crate) end_mark: Option<Severity>,
    pub(crate) ending: Ending,
}

fn worse(a: Option<Severity>, b: Severity) -> Option<Severity> {
    Some(a.map_or(b, |a| a.min(b)))
}

/// Splits `text` into lines by the crate's one line rule (LF or CRLF end a line; a lone CR is
/// part of the line, shown as `␍`) and cuts each into runs by the marks that cover them. Marks
/// not on character boundaries are ignored rather than trusted. An empty text is one empty line.
/// At most [`MAX_SHOWN_LINES`] lines are returned.
pub(crate) fn annotate(text: &str, marks: &[Mark]) -> Vec<Line> {
    let marks: Vec<&Mark> = marks
        .iter()
        .filter(|m| {
            m.range.start <= m.range.end
                && m.range.end <= text.len()
                && text.is_char_boundary(m.range.start)
                && text.is_char_boundary(m.range.end)
        })
        .collect();
    if text.is_empty() {
        return vec![annotate_line(text, &marks, 1, (0, 0), Ending::None)];
    }
    lines(text.as_bytes())
        .take(MAX_SHOWN_LINES)
        .map(|l| annotate_line(text, &marks, l.number, (l.start, l.end), l.ending))
        .collect()
}

/// One line, content `start..end` of `text`, cut into runs by `marks`.
fn annotate_line(
    text: &str,
    marks: &[&Mark],
    number: u32,
    (start, end): (usize, usize),
    ending: Ending,
) -> Line {
    let next = end + ending.len();
    let mut worst = None;
    let mut end_mark = None;
    let mut cuts = vec![start, end];
    for m in marks {
        let (ms, me) = (m.range.start, m.range.end);
        let touches_text = ms < end && me > start;
        let touches_ending = next > end && ms < next && me > end;
        let empty_here = ms == me && start <= ms && ms <= end;
        if touches_text {
            cuts.push(ms.clamp(start, end));
            cuts.push(me.clamp(start, end));
            worst = worse(worst, m.severity);
        }
        if empty_here || (touches_ending && !touches_text) {
            end_mark = worse(end_mark, m.severity);
            worst = worse(worst, m.severity);
        }
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut segments: Vec<Segment> = Vec::new();
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        if a == b {
            continue;
        }
        let mark = marks
            .iter()
            .filter(|m| m.range.start < b && m.range.end > a)
            .map(|m| m.severity)
            .min();
        let run = text[a..b].replace('\r', "\u{240d}");
        match segments.last_mut() {
            Some(Segment { text: t, mark: pm }) if *pm == mark => t.push_str(&run),
            _ => segments.push(Segment { text: run, mark }),
        }
    }
    Line {
        number,
        segments,
        worst,
        end_mark,
        ending,
    }
}

/// Number of lines in `text` (as [`annotate`] counts them, without the limit).
pub(crate) fn line_count(text: &str) -> usize {
    lines(text.as_bytes()).count()
}

/// Every line ending as CRLF (RFC 8461 §3.2).
pub(crate) fn to_crlf(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\r\n");
            }
            '\n' => out.push_str("\r\n"),
            c => out.push(c),
        }
    }
    out
}

/// Every line ending as LF (how a text area holds text).
pub(crate) fn to_lf(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// Removes spaces and tabs at the end of each line.
pub(crate) fn trim_trailing(text: &str) -> String {
    let lf = to_lf(text);
    let mut out: Vec<&str> = lf
        .split('\n')
        .map(|l| l.trim_end_matches([' ', '\t']))
        .collect();
    if out.len() > 1 && out.last() == Some(&"") {
        out.pop();
        return out.join("\n") + "\n";
    }
    out.join("\n")
}

/// True when a line ends in a space or a tab.
pub(crate) fn has_trailing_space(text: &str) -> bool {
    // Runs on every keystroke: no copy of the text.
    text.split(['\n', '\r']).any(|l| l.ends_with([' ', '\t']))
}

/// The UTF-16 offset in the LF-only text of a text area of byte offset `byte` of the text that
/// was linted (the same text with line endings possibly turned into CRLF).
pub(crate) fn textarea_offset(linted: &str, byte: usize) -> u32 {
    let mut byte = byte.min(linted.len());
    while !linted.is_char_boundary(byte) {
        byte -= 1;
    }
    let prefix = &linted[..byte];
    let crlf = prefix.matches("\r\n").count();
    (prefix.encode_utf16().count() - crlf) as u32
}

/// Non-empty trimmed lines of a multi-line box.
pub(crate) fn lines_of(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// TXT record values pasted one per line; surrounding quotes of zone-file or `dig` output are
/// removed and quoted strings of one record are joined (`"v=STSv1; " "id=1"` → `v=STSv1; id=1`).
pub(crate) fn txt_values(text: &str) -> Vec<String> {
    lines_of(text)
        .into_iter()
        .map(|l| {
            if l.starts_with('"') && l.ends_with('"') && l.len() >= 2 {
                let mut out = String::new();
                let mut in_str = false;
                let mut chars = l.chars();
                while let Some(c) = chars.next() {
                    match (c, in_str) {
                        ('"', _) => in_str = !in_str,
                        ('\\', true) => {
                            if let Some(n) = chars.next() {
                                out.push(n);
                            }
                        }
                        (c, true) => out.push(c),
                        (_, false) => {}
                    }
                }
                out
            } else {
                l
            }
        })
        .collect()
}

/// A widget accent colour, if it is a plain CSS colour: `#rgb`, `#rrggbb` (with or without `#`)
/// or a colour keyword. Anything else (`red;background:url(…)`) is refused.
pub(crate) fn css_color(s: &str) -> Option<String> {
    let s = s.trim();
    let hex = s.strip_prefix('#').unwrap_or(s);
    if matches!(hex.len(), 3 | 6) && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Some(format!("#{hex}"));
    }
    if !s.starts_with('#')
        && (3..=20).contains(&s.len())
        && s.bytes().all(|b| b.is_ascii_alphabetic())
    {
        return Some(s.to_ascii_lowercase());
    }
    None
}

/// Inline text: plain, or `code`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Inline {
    Text(String),
    Code(String),
}

/// Splits text with `backticked` parts into plain and code runs (rendered as text nodes).
pub(crate) fn inlines(text: &str) -> Vec<Inline> {
    text.split('`')
        .enumerate()
        .filter(|(_, s)| !s.is_empty())
        .map(|(i, s)| {
            if i % 2 == 1 {
                Inline::Code(s.to_owned())
            } else {
                Inline::Text(s.to_owned())
            }
        })
        .collect()
}
