//! Civil (UTC, proleptic Gregorian) dates of Unix times, without a date library: the policy id
//! the generator writes and the certificate dates reports print.

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
}
