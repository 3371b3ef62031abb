//! Hostile text made inert for display: what came from DNS, a policy file, an Evidence file or a
//! command line is shown with every character that a terminal or a reader would not see as
//! itself — controls (Unicode Cc: escape sequences, TAB, CR), format characters (Cf: bidi
//! overrides and isolates, zero-width characters, the BOM, tag characters) and the line and
//! paragraph separators (Zl, Zp) — written as an escape.
//!
//! Written by hand because the set is small and fixed (21 ranges of Cf, as of Unicode 15.1) and a
//! general-category table crate would add about 30 KB to every wasm build for these few ranges.

use std::fmt::Write as _;

/// The Cf (format) ranges of Unicode 15.1, inclusive.
const FORMAT: &[(u32, u32)] = &[
    (0x00AD, 0x00AD),
    (0x0600, 0x0605),
    (0x061C, 0x061C),
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x180E, 0x180E),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x2064),
    (0x2066, 0x206F),
    (0xFEFF, 0xFEFF),
    (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
];

/// True for a character that is not shown as itself: Cc, Cf, Zl (U+2028) or Zp (U+2029).
pub fn is_invisible(c: char) -> bool {
    let u = u32::from(c);
    c.is_control()
        || u == 0x2028
        || u == 0x2029
        || FORMAT.iter().any(|&(lo, hi)| (lo..=hi).contains(&u))
}

/// `text` with every invisible character escaped: `\t`, `\r`, `\n` by name, the rest as
/// `\u{hex}`; a backslash that starts such an escape in the text itself is doubled, so the
/// output reads back unambiguously.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        push(&mut out, c, chars.peek().copied());
    }
    out
}

/// Appends `c` to `out`, escaped when invisible (`next` is the character after it).
pub fn push(out: &mut String, c: char, next: Option<char>) {
    match c {
        '\t' => out.push_str("\\t"),
        '\r' => out.push_str("\\r"),
        '\n' => out.push_str("\\n"),
        '\\' if matches!(next, Some('t' | 'r' | 'n' | 'u' | '\\')) => out.push_str("\\\\"),
        c if is_invisible(c) => {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        }
        c => out.push(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_invisible_kind_is_escaped() {
        assert_eq!(escape("a\x1b[31mb"), "a\\u{1b}[31mb");
        assert_eq!(escape("mx.example.com\t"), "mx.example.com\\t");
        assert_eq!(escape("a\r\nb"), "a\\r\\nb");
        // Bidi override and isolate, zero-width space and joiner, BOM, soft hyphen, tag.
        assert_eq!(escape("\u{202e}moc.live"), "\\u{202e}moc.live");
        assert_eq!(escape("a\u{2067}b\u{2069}"), "a\\u{2067}b\\u{2069}");
        assert_eq!(escape("a\u{200b}\u{200d}b"), "a\\u{200b}\\u{200d}b");
        assert_eq!(escape("\u{feff}x\u{ad}"), "\\u{feff}x\\u{ad}");
        assert_eq!(escape("\u{e0041}"), "\\u{e0041}");
        // Line and paragraph separators, and C1 controls.
        assert_eq!(
            escape("a\u{2028}b\u{2029}c\u{85}"),
            "a\\u{2028}b\\u{2029}c\\u{85}"
        );
        // Visible text stays as it is, IDNs included; a backslash that could pass for an
        // escape is doubled.
        assert_eq!(escape("bücher.de — ok"), "bücher.de — ok");
        assert_eq!(escape("a\\u{1b}"), "a\\\\u{1b}");
        assert_eq!(escape("C:\\x"), "C:\\x");
    }
}
