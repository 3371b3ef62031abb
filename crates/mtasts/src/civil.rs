//! Civil (UTC, proleptic Gregorian) dates of Unix times, without a date library: the policy id
//! the generator writes, the certificate dates reports print, and the RFC 3339 date-times of
//! TLS-RPT aggregate reports (read and written).

/// The year, month (1–12) and day (1–31) of Unix time `t` (Howard Hinnant's days-to-civil).
pub fn civil(t: u64) -> (i64, i64, i64) {
    let z = i64::try_from(t / 86_400).unwrap_or(i64::MAX / 2) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// `YYYY-MM-DD` of Unix time `t`.
pub fn date(t: u64) -> String {
    let (y, m, d) = civil(t);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Unix time of 00:00 UTC on year `y`, month `m` (1–12), day `d` (Hinnant's days-from-civil).
pub fn from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146_097 + doe - 719_468) * 86_400
}

/// `YYYY-MM-DDTHH:MM:SSZ` of Unix time `t` (times before 1970 are written as 1970).
pub fn rfc3339(t: i64) -> String {
    let t = u64::try_from(t).unwrap_or(0);
    let (y, m, d) = civil(t);
    let s = t % 86_400;
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

/// How a date-time was written, when [`parse_rfc3339`] could read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// Exactly RFC 3339 `date-time`.
    Exactly,
    /// Readable, but not RFC 3339: a space for `T`, no offset (read as UTC), or a date alone.
    Loosely,
}

/// Reads an RFC 3339 `date-time` (`2016-04-01T00:00:00Z`, fractions and `±hh:mm` offsets
/// included) into Unix time. Also reads what real report senders write instead — a space for
/// `T`, no offset, a date alone — as [`Written::Loosely`]. `None` for anything else, or a
/// date that does not exist (`2023-02-30`).
pub fn parse_rfc3339(s: &str) -> Option<(i64, Written)> {
    let b = s.trim().as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let part = b.get(r)?;
        if part.is_empty() || !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(part).ok()?.parse().ok()
    };
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') || !(1..=12).contains(&mo) {
        return None;
    }
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if d < 1 || d > days[usize::try_from(mo - 1).ok()?] {
        return None;
    }
    let day = from_civil(y, mo, d);
    if b.len() == 10 {
        return Some((day, Written::Loosely));
    }
    let mut exact = matches!(b.get(10), Some(b'T' | b't'));
    if !exact && b.get(10) != Some(&b' ') {
        return None;
    }
    let (h, mi, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if b.get(13) != Some(&b':') || b.get(16) != Some(&b':') || h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let mut i = 19;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return None;
        }
    }
    let offset = match b.get(i) {
        Some(b'Z' | b'z') if b.len() == i + 1 => 0,
        Some(sign @ (b'+' | b'-')) if b.len() == i + 6 && b.get(i + 3) == Some(&b':') => {
            let (oh, om) = (num(i + 1..i + 3)?, num(i + 4..i + 6)?);
            if oh > 23 || om > 59 {
                return None;
            }
            let o = oh * 3600 + om * 60;
            if *sign == b'+' {
                o
            } else {
                -o
            }
        }
        None => {
            exact = false;
            0
        }
        _ => return None,
    };
    let t = day + h * 3600 + mi * 60 + sec.min(59) - offset;
    Some((
        t,
        if exact {
            Written::Exactly
        } else {
            Written::Loosely
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(date(1_763_800_000), "2025-11-22");
        assert_eq!(date(951_782_400), "2000-02-29");
        assert_eq!(date(4_102_444_800), "2100-01-01");
        assert_eq!(civil(951_782_400), (2000, 2, 29));
    }

    #[test]
    fn rfc3339_round_trips_and_reads_what_senders_write() {
        for t in [0, 951_782_400, 1_763_800_000, 4_102_444_800 + 3661] {
            assert_eq!(
                from_civil(civil(t as u64).0, civil(t as u64).1, civil(t as u64).2),
                t - t % 86_400
            );
            assert_eq!(parse_rfc3339(&rfc3339(t)), Some((t, Written::Exactly)));
        }
        let t = 1_459_468_800; // 2016-04-01T00:00:00Z, RFC 8460's example
        assert_eq!(
            parse_rfc3339("2016-04-01T00:00:00Z"),
            Some((t, Written::Exactly))
        );
        assert_eq!(
            parse_rfc3339("2016-04-01t00:00:00.123z"),
            Some((t, Written::Exactly))
        );
        assert_eq!(
            parse_rfc3339("2016-04-01T02:00:00+02:00"),
            Some((t, Written::Exactly))
        );
        assert_eq!(
            parse_rfc3339("2016-03-31T23:00:00-01:00"),
            Some((t, Written::Exactly))
        );
        assert_eq!(
            parse_rfc3339("2016-04-01 00:00:00Z"),
            Some((t, Written::Loosely))
        );
        assert_eq!(
            parse_rfc3339("2016-04-01T00:00:00"),
            Some((t, Written::Loosely))
        );
        assert_eq!(parse_rfc3339("2016-04-01"), Some((t, Written::Loosely)));
        for bad in [
            "",
            "2016-04-31T00:00:00Z",
            "2016-13-01",
            "2016-04-01T24:00:00Z",
            "1459468800",
            "2016-04-01T00:00:00+0200",
            "2016-04-01T00:00Z",
            "２016-04-01",
            "2016-04-01T00:00:00.Z",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad}");
        }
        assert_eq!(rfc3339(-5), "1970-01-01T00:00:00Z");
    }
}
