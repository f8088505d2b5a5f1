//! Stored codes to and from SQL, in one place. A value the binary does not know (written by a
//! newer yishi, or edited behind its back) is an error naming the table, the row and the value,
//! never a default: a voting record must not be silently reinterpreted.

use crate::domain::code::Code;
use rusqlite::types::{ToSql, ToSqlOutput, Type};
use rusqlite::{Connection, Row, RowIndex};

pub use crate::error::UnknownValue;

/// Read the code in column `idx` (a position or a name) of a row of `table` whose id is `row_id`.
pub fn decode<T: Code>(
    r: &Row,
    idx: impl RowIndex,
    table: &'static str,
    column: &'static str,
    row_id: i64,
) -> rusqlite::Result<T> {
    let idx = idx.idx(r.as_ref())?;
    let key: String = r.get(idx)?;
    from_key(&key, idx, table, column, row_id)
}

/// A stored clock time (`HH:MM`, the meeting's clock) in column `idx`, NULL when none was
/// recorded; anything else is an unknown value naming table, row and column, never "none".
pub fn decode_clock(
    r: &Row,
    idx: impl RowIndex,
    table: &'static str,
    column: &'static str,
    row_id: i64,
) -> rusqlite::Result<Option<chrono::NaiveTime>> {
    let idx = idx.idx(r.as_ref())?;
    match r.get::<_, Option<String>>(idx)? {
        None => Ok(None),
        Some(s) => crate::domain::date::parse_clock(&s)
            .map(Some)
            .ok_or_else(|| {
                rusqlite::Error::FromSqlConversionFailure(
                    idx,
                    rusqlite::types::Type::Text,
                    Box::new(UnknownValue {
                        table,
                        column,
                        row: row_id,
                        value: s,
                        what: "time",
                        allowed: vec!["HH:MM"],
                    }),
                )
            }),
    }
}

/// A stored clock time read as a time at the row boundary (see [`decode_clock`]) and kept as
/// its `HH:MM` text: an unreadable one is a data error naming table, row and column.
pub fn clock_text(
    r: &Row,
    idx: impl RowIndex,
    table: &'static str,
    column: &'static str,
    row_id: i64,
) -> rusqlite::Result<Option<String>> {
    Ok(decode_clock(r, idx, table, column, row_id)?.map(|t| t.format("%H:%M").to_string()))
}

/// A stored date and time (`YYYY-MM-DD HH:MM`, a meeting's set start) read as one at the row
/// boundary and kept as that text; anything else names table, row and column.
pub fn datetime_text(
    r: &Row,
    idx: impl RowIndex,
    table: &'static str,
    column: &'static str,
    row_id: i64,
) -> rusqlite::Result<String> {
    let idx = idx.idx(r.as_ref())?;
    let s: String = r.get(idx)?;
    match crate::domain::date::parse_datetime(&s) {
        Some(t) => Ok(t.format("%Y-%m-%d %H:%M").to_string()),
        None => Err(rusqlite::Error::FromSqlConversionFailure(
            idx,
            rusqlite::types::Type::Text,
            Box::new(UnknownValue {
                table,
                column,
                row: row_id,
                value: s,
                what: "date and time",
                allowed: vec!["YYYY-MM-DD HH:MM"],
            }),
        )),
    }
}

/// As [`decode`], for a column that may be NULL.
pub fn decode_opt<T: Code>(
    r: &Row,
    idx: impl RowIndex,
    table: &'static str,
    column: &'static str,
    row_id: i64,
) -> rusqlite::Result<Option<T>> {
    let idx = idx.idx(r.as_ref())?;
    match r.get::<_, Option<String>>(idx)? {
        None => Ok(None),
        Some(key) => from_key(&key, idx, table, column, row_id).map(Some),
    }
}

fn from_key<T: Code>(
    key: &str,
    idx: usize,
    table: &'static str,
    column: &'static str,
    row: i64,
) -> rusqlite::Result<T> {
    T::from_key(key).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            idx,
            Type::Text,
            Box::new(UnknownValue {
                table,
                column,
                row,
                value: key.to_string(),
                what: T::WHAT,
                allowed: T::keys(),
            }),
        )
    })
}

/// Every stored code this yishi does not know, for `yishi verify`: the same columns the row
/// mapping decodes, so that verify names what a read would refuse. One pass over each table;
/// the issues' codes are checked with [`unknown`] in the pass verify makes over the issues
/// anyway (store/invariants.rs), which saves a scan of the largest table.
pub fn unknown_values(conn: &Connection) -> rusqlite::Result<Vec<UnknownValue>> {
    let mut out = Vec::new();
    let tables = [
        ("meetings", vec![CodeColumn::of::<MeetingStatus>("status")]),
        (
            "agenda_items",
            vec![CodeColumn::of::<MotionResult>("outcome")],
        ),
        (
            "participants",
            vec![
                CodeColumn::of::<SeatKind>("role"),
                CodeColumn::of::<Attendance>("attendance"),
            ],
        ),
        (
            "speeches",
            vec![CodeColumn::of::<SpeechPosition>("position")],
        ),
        (
            "motions",
            vec![
                CodeColumn::of::<MajorityRule>("rule"),
                CodeColumn::of::<MotionStatus>("status"),
                CodeColumn::of::<VoteMethod>("method"),
                CodeColumn::of::<MotionResult>("result"),
                CodeColumn {
                    name: "kind",
                    what: MotionKind::WHAT,
                    keys: MotionKind::STORED.to_vec(),
                },
            ],
        ),
        (
            "corrections",
            vec![
                CodeColumn::of::<MotionResult>("old_result"),
                CodeColumn::of::<MotionResult>("new_result"),
            ],
        ),
        ("ballots", vec![CodeColumn::of::<Choice>("choice")]),
        ("notices", vec![CodeColumn::of::<NoticeKind>("kind")]),
        (
            "issue_links",
            vec![CodeColumn::of::<crate::domain::issue::LinkKind>("kind")],
        ),
        (
            "replies",
            vec![
                CodeColumn::of::<crate::domain::reply::ReplyStep>("step"),
                CodeColumn::of::<crate::domain::reply::Via>("via"),
            ],
        ),
    ];
    for (table, columns) in &tables {
        scan(conn, table, columns, &mut out)?;
    }
    Ok(out)
}

/// `value`, read from `column` of row `row` of `table`, if it is not one of `T`'s keys.
pub fn unknown<T: Code>(
    table: &'static str,
    column: &'static str,
    row: i64,
    value: &str,
) -> Option<UnknownValue> {
    T::from_key(value).is_none().then(|| UnknownValue {
        table,
        column,
        row,
        value: value.to_string(),
        what: T::WHAT,
        allowed: T::keys(),
    })
}

/// A column that holds a code: its name, what the code is, and the keys it may hold.
struct CodeColumn {
    name: &'static str,
    what: &'static str,
    keys: Vec<&'static str>,
}

impl CodeColumn {
    fn of<T: Code>(name: &'static str) -> Self {
        CodeColumn {
            name,
            what: T::WHAT,
            keys: T::keys(),
        }
    }

    /// True where the column holds a value that is not a key (NULL is left to the column's
    /// own rules). The comparison is SQLite's, so a key stored as a blob or a number is
    /// unknown too.
    fn unknown_sql(&self) -> String {
        let keys: Vec<String> = self.keys.iter().map(|k| format!("'{k}'")).collect();
        format!(
            "({0} IS NOT NULL AND {0} NOT IN ({1}))",
            self.name,
            keys.join(", ")
        )
    }
}

/// The rows of `table` with an unknown value in any of `columns`, in one pass.
fn scan(
    conn: &Connection,
    table: &'static str,
    columns: &[CodeColumn],
    out: &mut Vec<UnknownValue>,
) -> rusqlite::Result<()> {
    let tests: Vec<String> = columns.iter().map(CodeColumn::unknown_sql).collect();
    let values: Vec<String> = columns
        .iter()
        .zip(&tests)
        .map(|(c, test)| format!("CAST({} AS TEXT), {test}", c.name))
        .collect();
    let sql = format!(
        "SELECT id, {} FROM {table} WHERE {}",
        values.join(", "),
        tests.join(" OR ")
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        for (i, c) in columns.iter().enumerate() {
            if r.get::<_, bool>(2 + 2 * i)? {
                out.push(UnknownValue {
                    table,
                    column: c.name,
                    row: r.get(0)?,
                    value: r.get::<_, Option<String>>(1 + 2 * i)?.unwrap_or_default(),
                    what: c.what,
                    allowed: c.keys.clone(),
                });
            }
        }
    }
    Ok(())
}

/// Codes are written as their keys.
macro_rules! to_sql_as_key {
    ($($ty:ty),+) => {
        $(impl ToSql for $ty {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(Code::key(*self)))
            }
        })+
    };
}

use crate::domain::followup::NoticeKind;
use crate::domain::issue::Status;
use crate::domain::meeting::{Attendance, MeetingStatus};
use crate::domain::motion::{
    Choice, MotionKind, MotionResult, MotionStatus, SpeechPosition, VoteMethod,
};
use crate::domain::rules::{MajorityRule, Outcome};
use crate::domain::seat::SeatKind;

to_sql_as_key!(
    Status,
    MeetingStatus,
    Attendance,
    MajorityRule,
    Outcome,
    SeatKind,
    MotionStatus,
    MotionResult,
    VoteMethod,
    Choice,
    SpeechPosition,
    NoticeKind
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
    use rusqlite::Connection;

    #[test]
    fn an_unknown_value_names_table_row_column_and_value() -> crate::error::Result<()> {
        let conn = Connection::open_in_memory()?;
        conn.execute_batch("CREATE TABLE motions (id INTEGER PRIMARY KEY, status TEXT); INSERT INTO motions VALUES (7, 'opened');")?;
        let got = conn.query_row("SELECT id, status FROM motions", [], |r| {
            decode::<MotionStatus>(r, 1, "motions", "status", r.get(0)?)
        });
        let e = Error::from(got.err().ok_or_else(|| Error::internal("decoded"))?);
        assert_eq!(e.kind, crate::error::Kind::Data);
        assert!(
            e.message.contains("table motions, row 7, column status")
                && e.message.contains("\"opened\""),
            "{}",
            e.message
        );
        Ok(())
    }
}
