//! The `_mta-sts` and `_smtp._tls` TXT records of a DNS zone file (RFC 1035 §5 master file
//! format), for `mtasts lint`: enough of the format for the TXT records people keep in git —
//! `$ORIGIN`, owners relative or absolute, `@`, a blank owner (the previous one), optional TTL
//! and class, `;` comments, parentheses across lines, quoted strings with `\"` and `\DDD`.
//! Other records are skipped; `$INCLUDE` is not followed.

/// The TXT record set at one owner, with the zone line each record starts on.
pub(crate) struct RecordSet {
    /// The owner, absolute without the final dot (`_mta-sts.example.com`).
    pub(crate) owner: String,
    /// Each record's strings joined.
    pub(crate) records: Vec<String>,
    /// The 1-based line of the zone file each record starts on.
    pub(crate) lines: Vec<u32>,
}

/// Which kind of set an owner holds: `sts-txt` for `_mta-sts.*`, `tlsrpt` for `_smtp._tls.*`.
pub(crate) fn kind(owner: &str) -> Option<&'static str> {
    let o = owner.to_ascii_lowercase();
    if o.starts_with("_mta-sts.") {
        Some("sts-txt")
    } else if o.starts_with("_smtp._tls.") {
        Some("tlsrpt")
    } else {
        None
    }
}

/// The `_mta-sts` and `_smtp._tls` TXT record sets of `text`, in the order they first appear.
pub(crate) fn record_sets(text: &str) -> Vec<RecordSet> {
    let mut origin = String::new();
    let mut owner = String::new();
    let mut sets: Vec<RecordSet> = vec![];
    for (line, entry) in entries(text) {
        let indented = entry.starts_with([' ', '\t']);
        let tokens = tokens(&entry);
        let Some(first) = tokens.first() else {
            continue;
        };
        if first.text.eq_ignore_ascii_case("$ORIGIN") {
            if let Some(o) = tokens.get(1) {
                origin = absolute(&o.text, &origin);
            }
            continue;
        }
        if first.text.starts_with('$') {
            continue;
        }
        let rest = if indented {
            &tokens[..]
        } else {
            owner = absolute(&first.text, &origin);
            &tokens[1..]
        };
        // [TTL] [class] TYPE, in either order for TTL and class.
        let mut i = 0;
        while i < rest.len() && i < 2 && !rest[i].quoted && is_ttl_or_class(&rest[i].text) {
            i += 1;
        }
        let Some(ty) = rest.get(i) else { continue };
        if !ty.text.eq_ignore_ascii_case("TXT") || kind(&owner).is_none() {
            continue;
        }
        let value: String = rest[i + 1..].iter().map(|t| t.text.as_str()).collect();
        match sets
            .iter_mut()
            .find(|s| s.owner.eq_ignore_ascii_case(&owner))
        {
            Some(s) => {
                s.records.push(value);
                s.lines.push(line);
            }
            None => sets.push(RecordSet {
                owner: owner.clone(),
                records: vec![value],
                lines: vec![line],
            }),
        }
    }
    sets
}

fn is_ttl_or_class(t: &str) -> bool {
    t.bytes().all(|b| b.is_ascii_digit())
        || ["IN", "CH", "HS", "CS"]
            .iter()
            .any(|c| t.eq_ignore_ascii_case(c))
        || (t.len() > 1
            && t.bytes().all(|b| b.is_ascii_alphanumeric())
            && t.as_bytes()[0].is_ascii_digit())
}

/// `name` made absolute under `origin`, without the final dot.
fn absolute(name: &str, origin: &str) -> String {
    if name == "@" {
        return origin.to_owned();
    }
    if let Some(abs) = name.strip_suffix('.') {
        return abs.to_owned();
    }
    if origin.is_empty() {
        name.to_owned()
    } else {
        format!("{name}.{origin}")
    }
}

/// The entries of a zone: logical lines (parentheses joined), comments removed, each with the
/// line it starts on.
fn entries(text: &str) -> Vec<(u32, String)> {
    let mut out = vec![];
    let mut current = String::new();
    let (mut start, mut depth) = (0u32, 0i32);
    for (n, raw) in text.lines().enumerate() {
        let n = u32::try_from(n + 1).unwrap_or(u32::MAX);
        if depth == 0 {
            start = n;
            current.clear();
        } else {
            current.push(' ');
        }
        let (mut quoted, mut escaped) = (false, false);
        for c in raw.chars() {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                quoted = !quoted;
            } else if !quoted && c == ';' {
                break;
            } else if !quoted && c == '(' {
                depth += 1;
                current.push(' ');
                continue;
            } else if !quoted && c == ')' {
                depth = (depth - 1).max(0);
                current.push(' ');
                continue;
            }
            current.push(c);
        }
        if depth == 0 && !current.trim().is_empty() {
            out.push((start, current.clone()));
        }
    }
    out
}

/// A token of an entry: a word, or a quoted string's content (escapes decoded).
struct Token {
    text: String,
    quoted: bool,
}

fn tokens(entry: &str) -> Vec<Token> {
    let mut out = vec![];
    let mut chars = entry.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c == ' ' || c == '\t' {
            chars.next();
            continue;
        }
        let quoted = c == '"';
        if quoted {
            chars.next();
        }
        let mut text = String::new();
        while let Some(c) = chars.next() {
            match c {
                '"' if quoted => break,
                ' ' | '\t' if !quoted => break,
                '\\' => {
                    let digits: String = chars.clone().take(3).collect();
                    if digits.len() == 3 && digits.bytes().all(|b| b.is_ascii_digit()) {
                        let v: u32 = digits.parse().unwrap_or(0);
                        text.push(char::from_u32(v).unwrap_or('\u{fffd}'));
                        chars.nth(2);
                    } else if let Some(e) = chars.next() {
                        text.push(e);
                    }
                }
                c => text.push(c),
            }
        }
        out.push(Token { text, quoted });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_txt_records_that_matter() {
        let zone = "$ORIGIN example.com.\n$TTL 3600\n@ IN SOA ns hostmaster ( 1 2 3\n 4 5 )\n_mta-sts IN TXT \"v=STSv1; \" \"id=2024\" ; comment\n         300 TXT \"v=STSv1; id=\\\"2\\\"\"\n_smtp._tls.example.com. 3600 IN TXT ( \"v=TLSRPTv1; \"\n  \"rua=mailto:a@example.com\" )\nwww IN A 192.0.2.1\n_mta-sts.other.example. TXT \"v=STSv1;id=1\\059x\"\n";
        let sets = record_sets(zone);
        assert_eq!(sets.len(), 3);
        assert_eq!(sets[0].owner, "_mta-sts.example.com");
        assert_eq!(sets[0].records, ["v=STSv1; id=2024", "v=STSv1; id=\"2\""]);
        assert_eq!(sets[0].lines, [5, 6]);
        assert_eq!(sets[1].owner, "_smtp._tls.example.com");
        assert_eq!(sets[1].records, ["v=TLSRPTv1; rua=mailto:a@example.com"]);
        assert_eq!(sets[1].lines, [7]);
        assert_eq!(sets[2].records, ["v=STSv1;id=1;x"]);
        assert_eq!(kind(&sets[1].owner), Some("tlsrpt"));
    }
}
