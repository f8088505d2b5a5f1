//! Values typed on the command line: ids, dates, times, rules, counts. One parser for each,
//! so that every command accepts the same forms and says the same thing about a bad value
//! (exit 65, naming the flag and the value).

use chrono::{NaiveDate, NaiveDateTime};
use std::path::PathBuf;
use yishi_core::domain::date;
use yishi_core::domain::ids::{ActionId, IssueId, MeetingId, MotionId};
use yishi_core::domain::rules::{MajorityRule, Tally};
use yishi_core::error::{Error, Result};
use yishi_core::import::CsvOptions;

fn id<T: std::str::FromStr<Err = yishi_core::i18n::Text>>(typed: &str) -> Result<T> {
    typed.parse().map_err(Error::data_text)
}

/// `#12` or `12`.
pub fn issue_id(typed: &str) -> Result<IssueId> {
    id(typed)
}

/// `M3` or `3`.
pub fn meeting_id(typed: &str) -> Result<MeetingId> {
    id(typed)
}

/// `V1` or `1`.
pub fn motion_id(typed: &str) -> Result<MotionId> {
    id(typed)
}

/// `A2` or `2`.
pub fn action_id(typed: &str) -> Result<ActionId> {
    id(typed)
}

/// The bare number of an issue id, for code that still keeps ids as integers.
pub fn parse_issue_id(typed: &str) -> Result<i64> {
    issue_id(typed).map(i64::from)
}

/// The bare number of a meeting id.
pub fn parse_meeting_id(typed: &str) -> Result<i64> {
    meeting_id(typed).map(i64::from)
}

/// The one message for a value that is not a date.
pub fn not_a_date(flag: &str, value: &str) -> Error {
    let flag = if flag.is_empty() {
        String::new()
    } else {
        format!("{flag} ")
    };
    Error::data_text(yishi_core::text!(
        "value.not_a_date",
        flag = flag,
        value = value
    ))
}

/// A calendar date given with `flag` (any of the forms `domain::date` accepts).
pub fn date(flag: &str, value: &str) -> Result<NaiveDate> {
    date::parse_date(value).ok_or_else(|| not_a_date(flag, value))
}

/// A date as stored: `YYYY-MM-DD`.
pub fn day(flag: &str, value: &str) -> Result<String> {
    date(flag, value).map(|d| d.to_string())
}

/// A meeting's date and time, "YYYY-MM-DD HH:MM".
pub fn datetime(flag: &str, value: &str) -> Result<NaiveDateTime> {
    date::parse_datetime(value).ok_or_else(|| {
        Error::data_text(yishi_core::text!(
            "value.not_a_datetime",
            flag = flag,
            value = value
        ))
    })
}

/// A time of day `HH:MM` given with `flag`; when absent, the time `now`.
pub fn clock(
    flag: &str,
    value: Option<&str>,
    now: chrono::DateTime<chrono::Local>,
) -> Result<String> {
    match value {
        Some(v) => date::parse_clock(v)
            .map(|t| t.format("%H:%M").to_string())
            .ok_or_else(|| {
                Error::data_text(yishi_core::text!(
                    "value.not_a_time",
                    flag = flag,
                    value = v
                ))
            }),
        None => Ok(now.format("%H:%M").to_string()),
    }
}

/// `--rule`: a majority rule by its key.
pub fn rule(value: Option<&str>) -> Result<Option<MajorityRule>> {
    value
        .map(|r| {
            r.parse().map_err(|e: yishi_core::i18n::Text| {
                Error::data_text(yishi_core::text!("value.flag", flag = "--rule").text("why", &e))
            })
        })
        .transpose()
}

/// `--count yes:no:abstain`.
pub fn tally(value: &str) -> Result<Tally> {
    Tally::parse(value).map_err(Error::data_text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_values_are_data_errors_naming_flag_and_value() {
        let e = date("--due", "2026-13-01")
            .err()
            .map(|e| (e.kind, e.message));
        assert_eq!(
            e,
            Some((
                yishi_core::error::Kind::Data,
                "--due \"2026-13-01\" is not a date (expected YYYY-MM-DD, e.g. 2026-11-03)".into()
            ))
        );
        assert!(meeting_id("X1").is_err());
        let now = chrono::Local::now();
        assert_eq!(
            clock("--at", Some("9:05"), now).ok().as_deref(),
            Some("09:05")
        );
        assert!(clock("--at", Some("25:00"), now).is_err());
        assert!(rule(Some("most")).is_err());
    }
}

/// Input options shared by every import command (CSV and spreadsheets).
#[derive(clap::Args, Debug, Clone)]
pub struct CsvArgs {
    /// Text encoding: auto, utf-8 or gb18030 (also read as GBK, as Excel on Chinese Windows saves).
    #[arg(long, default_value = "auto", value_parser = super::values::encodings(), hide_possible_values = true)]
    pub encoding: String,
    /// Field separator: , ; or tab (\t) [default: guessed from the header line].
    #[arg(long, value_parser = super::values::delimiters(), hide_possible_values = true)]
    pub delimiter: Option<String>,
    /// A TOML file that maps other column headers to fields, e.g. `"反映问题" = "title"`.
    #[arg(long, value_name = "FILE")]
    pub map: Option<PathBuf>,
    /// Accept columns that match no field (they are reported and not imported).
    #[arg(long)]
    pub ignore_unknown: bool,
    /// For a spreadsheet: the sheet to read, by name or number (1 = the first)
    /// [default: the first sheet with data].
    #[arg(long, value_name = "NAME|N")]
    pub sheet: Option<String>,
}

impl CsvArgs {
    /// The options as the importers take them.
    pub fn options(&self) -> CsvOptions {
        CsvOptions {
            encoding: self.encoding.clone(),
            delimiter: self.delimiter.clone(),
            map: self.map.clone(),
            ignore_unknown: self.ignore_unknown,
            sheet: self.sheet.clone(),
        }
    }
}
