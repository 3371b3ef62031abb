//! Cleaning up what people paste: lines of a box, TXT values with their quotes, a widget colour.

/// The most of a record or MX-host box that is read: what one DNS answer could carry (64 KiB).
/// The policy box has its own limit, a sender's (`MAX_POLICY_BYTES`).
pub(crate) const MAX_BOX_BYTES: usize = 64 * 1024;

/// The first [`MAX_BOX_BYTES`] of a box (cut on a character boundary), and whether it was cut.
pub(crate) fn capped(text: &str) -> (&str, bool) {
    if text.len() <= MAX_BOX_BYTES {
        return (text, false);
    }
    let mut cut = MAX_BOX_BYTES;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    (&text[..cut], true)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boxes_are_capped_on_a_character_boundary() {
        assert_eq!(capped("a\nb"), ("a\nb", false));
        let big = "é".repeat(MAX_BOX_BYTES);
        let (c, cut) = capped(&big);
        assert!(cut && c.len() <= MAX_BOX_BYTES && c.len() > MAX_BOX_BYTES - 2);
        assert_eq!(
            lines_of(capped(&"mx.example.com\n".repeat(100_000)).0).len(),
            MAX_BOX_BYTES / 15 + 1
        );
    }

    #[test]
    fn pasted_txt_records_lose_their_quotes() {
        assert_eq!(
            txt_values("\"v=STSv1; \" \"id=1\"\n\n  v=STSv1; id=2  "),
            vec!["v=STSv1; id=1".to_owned(), "v=STSv1; id=2".to_owned()]
        );
        assert_eq!(txt_values(r#""a\"b""#), vec!["a\"b".to_owned()]);
    }

    #[test]
    fn widget_accent_accepts_only_plain_colours() {
        assert_eq!(css_color("#0a7").as_deref(), Some("#0a7"));
        assert_eq!(css_color("ff8800").as_deref(), Some("#ff8800"));
        assert_eq!(css_color("RebeccaPurple").as_deref(), Some("rebeccapurple"));
        for bad in [
            "red;background:url(x)",
            "#12345",
            "url(javascript:1)",
            "",
            "expression(alert(1))",
        ] {
            assert_eq!(css_color(bad), None, "{bad}");
        }
    }
}
