//! Safe fix-its of the draft linter (line endings, trailing spaces) and mapping a finding's byte
//! offset back into the text area.

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixits_normalise_endings_and_trim() {
        assert_eq!(to_crlf("a\nb\r\nc\rd"), "a\r\nb\r\nc\r\nd");
        assert_eq!(to_lf("a\r\nb\rc"), "a\nb\nc");
        assert_eq!(trim_trailing("a  \nb\t\n"), "a\nb\n");
        assert_eq!(trim_trailing("a \nb"), "a\nb");
        assert!(has_trailing_space("a\nb \n"));
        assert!(!has_trailing_space("a\nb\n"));
        assert!(has_trailing_space("a \r\nb"));
        assert!(!has_trailing_space("a\r\nb\r\n"));
    }

    #[test]
    fn textarea_offsets_skip_the_cr_of_crlf_and_count_utf16() {
        let linted = "ab\r\ncd";
        assert_eq!(textarea_offset(linted, 4), 3); // `c`: a, b, LF
        assert_eq!(textarea_offset("😀x", 4), 2); // one astral char is two UTF-16 units
        assert_eq!(textarea_offset("é", 1), 0); // inside a char: back to its start
        assert_eq!(textarea_offset("ab", 99), 2);
    }
}
