//! Dates as residents and spreadsheets write them.
//!
//! Accepted: `2026-11-03`, `2026/11/3`, `2026.11.3`, `2026年11月3日`, and any of these followed by
//! a time (`2026-11-03 14:20`, `2026/11/3 14:20:05`), as Excel exports them. The time, when only
//! the date is wanted, is ignored.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

pub const DATE_HINT: &str = "expected YYYY-MM-DD, e.g. 2026-11-03";

/// Split "2026年11月3日 14:20" into date numbers and an optional time part.
fn split_date(s: &str) -> Option<((i32, u32, u32), &str)> {
    // A date alone, as nearly every file writes it, is read without splitting (an import
    // reads a date on each of a million rows).
    if let Some(ymd) = plain_date(s.as_bytes()) {
        return Some((ymd, ""));
    }
    split_date_fully(s)
}

/// A date with nothing around it: four digits, a separator (`-`, `/`, `.`, `年` or `月`), one or
/// two digits, a separator, one or two digits, and `日` or nothing. None for anything else,
/// which [`split_date_fully`] reads (`a_plain_date_reads_as_the_full_split_does`).
fn plain_date(b: &[u8]) -> Option<(i32, u32, u32)> {
    fn digits(b: &[u8], most: usize) -> Option<(u32, &[u8])> {
        let n = b
            .iter()
            .take(most)
            .take_while(|d| d.is_ascii_digit())
            .count();
        let value = b[..n]
            .iter()
            .fold(0u32, |v, &d| v * 10 + u32::from(d - b'0'));
        (n > 0).then_some((value, &b[n..]))
    }
    fn separator(b: &[u8]) -> Option<&[u8]> {
        match b {
            [b'-' | b'/' | b'.', rest @ ..] => Some(rest),
            _ => b
                .strip_prefix("年".as_bytes())
                .or_else(|| b.strip_prefix("月".as_bytes())),
        }
    }
    let (y, rest) = digits(b, 4)?;
    if b.len() - rest.len() != 4 {
        return None;
    }
    let (m, rest) = digits(separator(rest)?, 2)?;
    let (d, rest) = digits(separator(rest)?, 2)?;
    matches!(rest, [] | [0xE6, 0x97, 0xA5]).then_some((y as i32, m, d))
}

/// [`split_date`] for any text: trimmed, a time after a space or `T`, the parts split at any
/// separator.
fn split_date_fully(s: &str) -> Option<((i32, u32, u32), &str)> {
    let s = s.trim();
    let (date_part, time_part) = match s.find([' ', 'T']) {
        Some(i) => (&s[..i], s[i + 1..].trim()),
        None => (s, ""),
    };
    let date_part = date_part.strip_suffix('日').unwrap_or(date_part);
    let mut nums = date_part.split(['-', '/', '.', '年', '月']);
    let y = nums.next()?;
    let m = nums.next()?;
    let d = nums.next()?;
    if nums.next().is_some()
        || y.len() != 4
        || m.is_empty()
        || m.len() > 2
        || d.is_empty()
        || d.len() > 2
    {
        return None;
    }
    let all_digits = |t: &str| t.chars().all(|c| c.is_ascii_digit());
    if !(all_digits(y) && all_digits(m) && all_digits(d)) {
        return None;
    }
    Some((
        (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?),
        time_part,
    ))
}

fn parse_time(t: &str) -> Option<NaiveTime> {
    let t = t.trim();
    NaiveTime::parse_from_str(t, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(t, "%H:%M:%S"))
        .ok()
}

/// A calendar date, ignoring any time of day that follows it.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let ((y, m, d), time) = split_date(s)?;
    if !time.is_empty() && parse_time(time).is_none() {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m, d)
}

/// A date with a time of day (`2026-12-01 19:30`). A bare date is refused: a meeting needs a time.
pub fn parse_datetime(s: &str) -> Option<NaiveDateTime> {
    let ((y, m, d), time) = split_date(s)?;
    let date = NaiveDate::from_ymd_opt(y, m, d)?;
    Some(date.and_time(parse_time(time)?))
}

/// The time `YISHI_NOW` gives (read by `crate::clock`, the only reader of the clock): local
/// time `2026-06-12T19:30` (seconds optional), or RFC 3339 with an offset.
pub fn parse_now(s: &str) -> Option<chrono::DateTime<chrono::Local>> {
    use chrono::TimeZone;
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&chrono::Local));
    }
    let local = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M"))
        .ok()?;
    chrono::Local.from_local_datetime(&local).earliest()
}

/// A time as stored in the database: UTC, RFC 3339, seconds.
pub fn utc_stamp(t: &chrono::DateTime<chrono::Local>) -> String {
    t.with_timezone(&chrono::Utc)
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A stored UTC timestamp shown in local time, `YYYY-MM-DD HH:MM`.
pub fn local_display(utc: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(utc)
        .map(|t| {
            t.with_timezone(&chrono::Local)
                .format("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_else(|_| utc.to_string())
}

/// A time of day alone, such as `21:10`.
pub fn parse_clock(s: &str) -> Option<NaiveTime> {
    parse_time(s)
}

/// A clock time as JSON shows it: `"20:50"` (serde's default would say `"20:50:00"`).
pub fn ser_clock_opt<S: serde::Serializer>(t: &Option<NaiveTime>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => s.serialize_str(&t.format("%H:%M").to_string()),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    #[test]
    fn accepted_forms() {
        assert_eq!(parse_date("2026-11-03"), d(2026, 11, 3));
        assert_eq!(parse_date("2026/11/3"), d(2026, 11, 3));
        assert_eq!(parse_date("2026.11.3"), d(2026, 11, 3));
        assert_eq!(parse_date("2026年11月3日"), d(2026, 11, 3));
        assert_eq!(parse_date("2026年11月3"), d(2026, 11, 3));
        assert_eq!(parse_date("2026-11-03 14:20"), d(2026, 11, 3));
        assert_eq!(parse_date("2026/11/3 14:20:05"), d(2026, 11, 3));
        assert_eq!(parse_date(" 2026-11-03 "), d(2026, 11, 3));
    }

    #[test]
    fn refused_forms() {
        for bad in [
            "2026-13-01",
            "2026-02-30",
            "26-11-03",
            "2026-11",
            "",
            "昨天",
            "2026-11-03 25:00",
            "2026-1-1-1",
            "+026-1-1",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn datetimes() {
        let dt = parse_datetime("2026-12-01 19:30").unwrap();
        assert_eq!(dt.to_string(), "2026-12-01 19:30:00");
        assert!(parse_datetime("2026-12-01").is_none());
        assert_eq!(parse_clock("21:10").unwrap().to_string(), "21:10:00");
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC*") {
            let _ = parse_date(&s);
            let _ = parse_datetime(&s);
        }

        #[test]
        fn round_trips(y in 1900i32..2200, m in 1u32..=12, day in 1u32..=28) {
            let date = NaiveDate::from_ymd_opt(y, m, day).unwrap();
            prop_assert_eq!(parse_date(&date.format("%Y-%m-%d").to_string()), Some(date));
            prop_assert_eq!(parse_date(&format!("{y}年{m}月{day}日")), Some(date));
        }

        /// A date read without splitting is the date the full split reads, whatever the text.
        #[test]
        fn a_plain_date_reads_as_the_full_split_does(s in "[0-9]{0,5}[-/.年月日 T0-9:]{0,4}[0-9]{0,3}[-/.年月日 ]{0,2}[0-9]{0,3}[日 ]{0,2}") {
            if let Some(ymd) = plain_date(s.as_bytes()) {
                prop_assert_eq!(split_date_fully(&s), Some((ymd, "")));
            }
        }

        /// Every plain form is read without splitting.
        #[test]
        fn plain_forms_are_read_without_splitting(y in 1000u32..10000, m in 0u32..100, day in 0u32..100, form in 0usize..4) {
            let s = match form {
                0 => format!("{y}-{m:02}-{day:02}"),
                1 => format!("{y}/{m}/{day}"),
                2 => format!("{y}.{m}.{day}"),
                _ => format!("{y}年{m}月{day}日"),
            };
            prop_assert_eq!(plain_date(s.as_bytes()).map(|ymd| (ymd, "")), split_date_fully(&s));
            prop_assert!(plain_date(s.as_bytes()).is_some());
        }
    }

    #[test]
    fn the_clock_setting_takes_local_time_or_an_offset() {
        let local = parse_now("2026-06-12T19:30").unwrap();
        assert_eq!(local.naive_local().to_string(), "2026-06-12 19:30:00");
        assert_eq!(
            parse_now("2026-06-12T19:30:05")
                .unwrap()
                .naive_local()
                .to_string(),
            "2026-06-12 19:30:05"
        );
        let offset = parse_now("2026-06-12T19:30:00+08:00").unwrap();
        assert_eq!(offset.timestamp(), 1_781_263_800);
        assert!(parse_now("2026-06-12 19:30").is_none());
        assert!(parse_now("yesterday").is_none());
    }
}
