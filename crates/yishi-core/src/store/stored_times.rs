//! Stored times every read decodes strictly (store/codes.rs `decode_clock`, `datetime_text`),
//! checked by `yishi verify`: a row every other command refuses must not pass as OK. The same
//! columns as the row mappings, listed the way unknown codes are (table, row, column, value).

use super::audit::Problem;
use crate::domain::date::{parse_clock, parse_datetime};
use crate::error::Result;
use rusqlite::Connection;
use rusqlite::types::Value;

/// How a column's time is written, and whether it may be NULL (nothing recorded).
#[derive(Clone, Copy)]
enum Form {
    /// `HH:MM` on the meeting's clock; NULL when none was recorded.
    Clock,
    /// `YYYY-MM-DD HH:MM`, a meeting's set start; always present.
    DateTime,
}

impl Form {
    fn reads(self, v: &Value) -> bool {
        match (self, v) {
            (Form::Clock, Value::Null) => true,
            (Form::Clock, Value::Text(s)) => parse_clock(s).is_some(),
            (Form::DateTime, Value::Text(s)) => parse_datetime(s).is_some(),
            _ => false,
        }
    }

    /// What the column holds, in Chinese and English.
    fn what(self) -> (&'static str, &'static str) {
        match self {
            Form::Clock => ("时刻 HH:MM", "time (HH:MM)"),
            Form::DateTime => (
                "日期时间 YYYY-MM-DD HH:MM",
                "date and time (YYYY-MM-DD HH:MM)",
            ),
        }
    }
}

/// The stored times the row mappings decode: (table, column, form).
const COLUMNS: [(&str, &str, Form); 6] = [
    ("meetings", "starts_at", Form::DateTime),
    ("meetings", "opened_at", Form::Clock),
    ("meetings", "ended_at", Form::Clock),
    ("participants", "late_at", Form::Clock),
    ("participants", "left_at", Form::Clock),
    ("motions", "voted_at", Form::Clock),
];

/// Every stored time that does not read as one, for `yishi verify`.
pub fn unreadable_times(conn: &Connection) -> Result<Vec<Problem>> {
    let mut out = Vec::new();
    for (table, column, form) in COLUMNS {
        // Table and column names are the constants above, never user input.
        let mut stmt = conn.prepare(&format!(
            "SELECT id, {column} AS value FROM {table} ORDER BY id"
        ))?;
        let [id_at, value_at] = super::column_indexes(&stmt, ["id", "value"])?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let (id, v): (i64, Value) = (r.get(id_at)?, r.get(value_at)?);
            if !form.reads(&v) {
                out.push(problem(table, column, id, form, &v));
            }
        }
    }
    Ok(out)
}

fn problem(table: &str, column: &str, id: i64, form: Form, v: &Value) -> Problem {
    let value = match v {
        Value::Null => "NULL".to_string(),
        Value::Integer(i) => i.to_string(),
        Value::Real(f) => f.to_string(),
        Value::Text(s) => format!("\"{s}\""),
        Value::Blob(b) => format!("{} bytes", b.len()),
    };
    Problem::at(
        None,
        table,
        Some(id),
        crate::text!(
            "verify.unreadable_time",
            table = table,
            id = id,
            column = column,
            value = value
        )
        .pair("form", form.what().0, form.what().1),
    )
}
