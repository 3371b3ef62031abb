//! The numbered, annotated view of a text: its lines by the crate's one line rule, cut into runs
//! by the findings' marks.

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

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(start: usize, end: usize, severity: Severity) -> Mark {
        Mark {
            range: ByteRange { start, end },
            severity,
        }
    }

    #[test]
    fn annotate_cuts_lines_at_marks() {
        let text = "version: STSv1\r\nmode: enforced\r\n";
        let lines = annotate(text, &[mark(22, 30, Severity::Error)]);
        assert_eq!(
            lines.len(),
            2,
            "the empty text after the last CRLF is not a line"
        );
        assert_eq!(lines[0].ending, Ending::Crlf);
        assert_eq!(lines[0].worst, None);
        assert_eq!(lines[1].number, 2);
        let segs: Vec<(&str, Option<Severity>)> = lines[1]
            .segments
            .iter()
            .map(|s| (s.text.as_str(), s.mark))
            .collect();
        assert_eq!(
            segs,
            vec![("mode: ", None), ("enforced", Some(Severity::Error))]
        );
    }

    #[test]
    fn annotate_marks_line_endings_and_empty_spans_at_the_end() {
        // An LF-only ending marked, and an empty span at the end of a line.
        let text = "a\nbc";
        let lines = annotate(
            text,
            &[mark(1, 2, Severity::Warning), mark(4, 4, Severity::Error)],
        );
        assert_eq!(lines[0].end_mark, Some(Severity::Warning));
        assert_eq!(lines[0].ending, Ending::Lf);
        assert_eq!(lines[1].end_mark, Some(Severity::Error));
        assert_eq!(lines[1].ending, Ending::None);
        // The worse of overlapping marks wins.
        let lines = annotate(
            "abcdef",
            &[mark(0, 4, Severity::Info), mark(2, 3, Severity::Error)],
        );
        let segs: Vec<Option<Severity>> = lines[0].segments.iter().map(|s| s.mark).collect();
        assert_eq!(
            segs,
            vec![
                Some(Severity::Info),
                Some(Severity::Error),
                Some(Severity::Info),
                None
            ]
        );
    }

    #[test]
    fn annotate_ignores_marks_it_cannot_trust() {
        let text = "é: x";
        // Byte 1 is inside `é`; 99 is past the end; 3..1 is reversed.
        let lines = annotate(
            text,
            &[
                mark(1, 2, Severity::Error),
                mark(0, 99, Severity::Error),
                mark(3, 1, Severity::Error),
            ],
        );
        assert_eq!(lines[0].worst, None);
        assert_eq!(lines[0].segments.len(), 1);
    }

    #[test]
    fn annotate_stops_at_the_line_limit() {
        let text = "x\n".repeat(MAX_SHOWN_LINES + 10);
        assert_eq!(annotate(&text, &[]).len(), MAX_SHOWN_LINES);
        assert_eq!(line_count(&text), MAX_SHOWN_LINES + 10);
        assert_eq!(line_count("a\r\nb"), 2);
        // A lone CR is part of its line (the crate's one line rule) and shown as a symbol.
        assert_eq!(line_count("a\rb\n"), 1);
        let shown = annotate("a\rb\n", &[]);
        assert_eq!(shown.len(), 1);
        assert_eq!(shown[0].segments[0].text, "a\u{240d}b");
        assert_eq!(line_count(""), 0);
    }
}
