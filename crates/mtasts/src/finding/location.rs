//! Positions in text: one model for every front end.
//!
//! A finding points either at a line of a policy file or at one record of a TXT record set; a
//! [`Place`] says which, so nobody shows "Line 1" for the first TXT record. Lines are split by one
//! rule everywhere (the policy scanner, the CLI's excerpts, the web app's numbered view): a line
//! ends at LF, a CR right before that LF belongs to the ending (CRLF), and a CR anywhere else is
//! part of the line's text (RFC 8461 §3.2 with erratum 6253: the terminator is LF or CRLF, so a
//! lone CR ends nothing, and the policy grammar reports it as a character of the line).

use serde::{Deserialize, Serialize};

/// A byte range `start..end` in the text a finding points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ByteRange {
    /// First byte (inclusive).
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

/// Where in a text a finding points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    /// 1-based line (for TXT record sets: the 1-based index of the record).
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// The bytes pointed at, as offsets into the whole text (policy) or the record (TXT).
    pub range: ByteRange,
}

/// Where a finding points, as people count: a line of a text, or a record of a set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// 1-based line and character column of a policy file (or another multi-line text).
    Line {
        /// 1-based line.
        line: u32,
        /// 1-based column, in characters.
        column: u32,
    },
    /// 1-based index of a TXT record in its set, and the character column inside it.
    Record {
        /// 1-based record index.
        index: u32,
        /// 1-based column, in characters.
        column: u32,
    },
}

impl Place {
    /// "line 3, column 5" or "record 2, column 5".
    pub fn label(self) -> String {
        match self {
            Place::Line { line, column } => format!("line {line}, column {column}"),
            Place::Record { index, column } => format!("record {index}, column {column}"),
        }
    }
}

/// How a line ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Ending {
    /// LF.
    Lf,
    /// CR LF.
    Crlf,
    /// The text ended without a line break.
    None,
}

impl Ending {
    /// Its length in bytes.
    pub fn len(self) -> usize {
        match self {
            Ending::Lf => 1,
            Ending::Crlf => 2,
            Ending::None => 0,
        }
    }

    /// True for [`Ending::None`].
    pub fn is_empty(self) -> bool {
        self == Ending::None
    }
}

/// One line of a text, by the rule in this module's documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextLine {
    /// 1-based line number.
    pub number: u32,
    /// Byte offset of the line's first byte in the whole text.
    pub start: usize,
    /// Byte offset one past the line's content (before its ending).
    pub end: usize,
    /// How it ended.
    pub ending: Ending,
}

impl TextLine {
    /// The content's bytes in `text` (the text this line was split from).
    pub fn content<'t>(&self, text: &'t [u8]) -> &'t [u8] {
        &text[self.start..self.end]
    }

    /// Byte offset of the next line.
    pub fn next(&self) -> usize {
        self.end + self.ending.len()
    }
}

/// The lines of `text`. An empty text has none, and a line break at the very end does not start
/// another line.
pub fn lines(text: &[u8]) -> impl Iterator<Item = TextLine> + '_ {
    let mut pos = 0usize;
    let mut number = 0u32;
    std::iter::from_fn(move || {
        if pos >= text.len() {
            return None;
        }
        number = number.saturating_add(1);
        let start = pos;
        let line = match memchr::memchr(b'\n', &text[pos..]) {
            Some(p) if p > 0 && text[pos + p - 1] == b'\r' => TextLine {
                number,
                start,
                end: pos + p - 1,
                ending: Ending::Crlf,
            },
            Some(p) => TextLine {
                number,
                start,
                end: pos + p,
                ending: Ending::Lf,
            },
            None => TextLine {
                number,
                start,
                end: text.len(),
                ending: Ending::None,
            },
        };
        pos = line.next();
        Some(line)
    })
}

/// Locates byte offsets in a single-line text (a TXT record): line = `line`, column from the start.
pub(crate) fn loc_in_record(record: &str, line: u32, start: usize, end: usize) -> Location {
    let start = floor_char_boundary(record, start.min(record.len()));
    let end = floor_char_boundary(record, end.clamp(start, record.len()));
    Location {
        line,
        column: column_of(record, start),
        range: ByteRange { start, end },
    }
}

/// 1-based character column of byte `offset` in `line` (bytes that are not UTF-8 count one each).
pub(crate) fn column_of(line: &str, offset: usize) -> u32 {
    let offset = floor_char_boundary(line, offset.min(line.len()));
    u32::try_from(line[..offset].chars().count())
        .unwrap_or(u32::MAX)
        .saturating_add(1)
}

pub(crate) fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<(u32, &str, Ending)> {
        lines(text.as_bytes())
            .map(|l| {
                let s = std::str::from_utf8(l.content(text.as_bytes())).expect("utf8");
                (l.number, s, l.ending)
            })
            .collect()
    }

    #[test]
    fn one_line_rule() {
        assert_eq!(split(""), vec![]);
        assert_eq!(split("a"), vec![(1, "a", Ending::None)]);
        assert_eq!(
            split("a\r\nb\nc"),
            vec![
                (1, "a", Ending::Crlf),
                (2, "b", Ending::Lf),
                (3, "c", Ending::None)
            ]
        );
        // A trailing break does not start a line; an empty line in the middle is a line.
        assert_eq!(
            split("a\n\nb\n"),
            vec![
                (1, "a", Ending::Lf),
                (2, "", Ending::Lf),
                (3, "b", Ending::Lf)
            ]
        );
        // A lone CR is part of the line.
        assert_eq!(split("a\rb\r\n"), vec![(1, "a\rb", Ending::Crlf)]);
        assert_eq!(split("\r\n"), vec![(1, "", Ending::Crlf)]);
    }

    #[test]
    fn places_say_line_or_record() {
        assert_eq!(
            Place::Line { line: 3, column: 5 }.label(),
            "line 3, column 5"
        );
        assert_eq!(
            Place::Record {
                index: 2,
                column: 1
            }
            .label(),
            "record 2, column 1"
        );
    }
}
