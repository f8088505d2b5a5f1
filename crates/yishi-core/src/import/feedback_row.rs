//! A resident's answer (`yishi feedback add` and each row of `feedback import`) as validated
//! feedback. Knows nothing of the database: whether the issue can take feedback is the
//! domain's rule, asked by the operation.

use super::feedback as f;
use super::{Row, RowError};
use crate::domain::feedback::{parse_aware, parse_satisfaction};
use crate::domain::followup::NewFeedback;
use crate::domain::ids::IssueId;
use crate::domain::{date, text};
use crate::error::Error;

/// One answer as typed (flags) or read (a row's fields).
#[derive(Debug, Default, Clone, Copy)]
pub struct Answer<'a> {
    pub issue: &'a str,
    pub resident: Option<&'a str>,
    pub satisfaction: Option<&'a str>,
    pub aware: Option<&'a str>,
    pub note: Option<&'a str>,
    pub channel: Option<&'a str>,
    /// The day of the answer; `today` when none.
    pub day: Option<&'a str>,
}

/// Validate one answer; `problem(field, error)` places an error (a field index of
/// [`f::FIELDS`]: a row's column, or nothing for flags).
pub fn validate<E>(
    a: &Answer,
    today: chrono::NaiveDate,
    problem: impl Fn(usize, Error) -> E,
) -> std::result::Result<NewFeedback, E> {
    let worded = |i: usize, t: crate::i18n::Text| problem(i, Error::data_text(t));
    let issue_id = a
        .issue
        .parse::<IssueId>()
        .map(i64::from)
        .map_err(|e| problem(f::ISSUE, Error::data_text(e)))?;
    let satisfaction = a
        .satisfaction
        .map(|s| {
            parse_satisfaction(s).ok_or_else(|| {
                worded(
                    f::SATISFACTION,
                    crate::text!("feedback.row.not_a_score", value = s),
                )
            })
        })
        .transpose()?;
    let aware = a
        .aware
        .map(|s| {
            parse_aware(s)
                .ok_or_else(|| worded(f::AWARE, crate::text!("feedback.row.not_yes_no", value = s)))
        })
        .transpose()?;
    if satisfaction.is_none() && aware.is_none() {
        return Err(worded(
            f::SATISFACTION,
            crate::text!("feedback.row.no_answer"),
        ));
    }
    Ok(NewFeedback {
        issue_id,
        resident: text::optional(a.resident, |n| text::name("resident", n))
            .map_err(|e| problem(f::RESIDENT, e))?,
        satisfaction,
        aware,
        note: text::optional(a.note, |n| text::multi_line("note", n))
            .map_err(|e| problem(f::NOTE, e))?,
        channel: text::optional(a.channel, |n| text::single_line("channel", n))
            .map_err(|e| problem(f::CHANNEL, e))?,
        given_on: match a.day {
            Some(d) => date::parse_date(d)
                .ok_or_else(|| worded(f::DATE, super::date_text(d)))?
                .to_string(),
            None => today.to_string(),
        },
    })
}

/// The fields a feedback file needs: with `whole_file_issue` (--issue N) no issue column.
pub fn fields(whole_file_issue: bool) -> Vec<super::FieldSpec> {
    f::FIELDS
        .iter()
        .map(|spec| super::FieldSpec {
            required: spec.required && !(spec.key == "issue" && whole_file_issue),
            ..*spec
        })
        .collect()
}

/// The answer a row holds, or why not. A skipped question (跳过, -, empty) is no answer, not
/// a bad one; a row without an issue takes `whole_file_issue`.
pub fn parse(
    row: &Row,
    whole_file_issue: Option<i64>,
    today: chrono::NaiveDate,
) -> std::result::Result<NewFeedback, RowError> {
    row.check_width()?;
    let get = |i| {
        row.get(i)
            .map(|v| v.filter(|s| !matches!(*s, "-" | "—" | "--" | "/" | "／")))
    };
    let issue = match (get(f::ISSUE)?, whole_file_issue) {
        (Some(i), _) => i.to_string(),
        (None, Some(id)) => id.to_string(),
        (None, None) => {
            return Err(row.error_text(f::ISSUE, crate::text!("import.row.no_issue")));
        }
    };
    let answer = Answer {
        issue: &issue,
        resident: get(f::RESIDENT)?,
        satisfaction: get(f::SATISFACTION)?,
        aware: get(f::AWARE)?,
        note: get(f::NOTE)?,
        channel: get(f::CHANNEL)?,
        day: get(f::DATE)?,
    };
    validate(&answer, today, |i, e| {
        row.error_from(i, e.message.clone(), &e)
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_rows;

    #[test]
    fn rows_become_answers_or_errors_at_their_column() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let got = test_rows(
            "议题编号,居民,满意度,是否知晓,日期\n#3,陈阿姨,满意,是,2026-11-02\n,李伯,5,-,\n3,王,-,-,\nx,王,5,,\n3,王,很好,,\n",
            &super::fields(true),
            |row| super::parse(row, Some(9), today),
        );
        let a = got[0].as_ref().unwrap();
        assert_eq!(
            (a.issue_id, a.satisfaction, a.aware),
            (3, Some(4), Some(true))
        );
        assert_eq!(a.given_on, "2026-11-02");
        let b = got[1].as_ref().unwrap();
        assert_eq!(
            (b.issue_id, b.aware, b.given_on.as_str()),
            (9, None, "2026-12-07")
        );
        let err = |i: usize| got[i].as_ref().unwrap_err().to_string();
        assert_eq!(
            err(2),
            "4: column \"满意度\": give a satisfaction score or an awareness answer (or both)"
        );
        assert!(err(3).starts_with("5: column \"议题编号\": "), "{}", err(3));
        assert!(err(4).contains("\"很好\" is not a satisfaction score"));
    }

    #[test]
    fn without_an_issue_column_or_flag_the_row_says_how() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let got = test_rows(
            "议题编号,满意度\n,5\n",
            &super::fields(false),
            |row| super::parse(row, None, today),
        );
        assert!(
            got[0]
                .as_ref()
                .unwrap_err()
                .to_string()
                .contains("--issue N for the whole file")
        );
    }
}
