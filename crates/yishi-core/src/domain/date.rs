//! Dates as residents and spreadsheets write them.
//!
//! Accepted: `2026-11-03`, `2026/11/3`, `2026.11.3`, `2026年11月3日`, and any of these followed by
//! a time (`2026-11-03 14:20`, `2026/11/3 14:20:05`), as Excel exports them. The time, when only
//! the date is wanted, is ignored.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

pub const DATE_HINT: &str = "expected YYYY-MM-DD, e.g. 2026-11-03";

/// Split "2026年11月3日 14:20" into date numbers and an optional time part.
fn split_date(s: &str) -> Option<((i32, u32, u32), &str)> {
    // The form nearly every file writes, "2026-11-03", read without splitting (an import
    // reads a date on each of a million rows).
    if let &[y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = s.as_bytes()
        && [y0, y1, y2, y3, m0, m1, d0, d1]
            .iter()
            .all(u8::is_ascii_digit)
    {
        let n = |digits: &[u8]| {
            digits
                .iter()
                .fold(0u32, |n, &d| n * 10 + u32::from(d - b'0'))
        };
        return Some((
            (n(&[y0, y1, y2, y3]) as i32, n(&[m0, m1]), n(&[d0, d1])),
            "",
        ));
    }
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

        /// "YYYY-MM-DD" (read without splitting) means what "YYYY/MM/DD" does, any digits.
        #[test]
        fn the_common_form_reads_as_the_others(y in 0u32..10000, m in 0u32..100, day in 0u32..100) {
            let (common, slashed) = (format!("{y:04}-{m:02}-{day:02}"), format!("{y:04}/{m:02}/{day:02}"));
            prop_assert_eq!(split_date(&common), split_date(&slashed));
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
