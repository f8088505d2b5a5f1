//! Stored codes to and from SQL, in one place. A value the binary does not know (written by a
//! newer yishi, or edited behind its back) is an error naming the table, the row and the value,
//! never a default: a voting record must not be silently reinterpreted.

use crate::domain::code::Code;
use crate::error::Error;
use rusqlite::types::{ToSql, ToSqlOutput, Type};
use rusqlite::{Connection, Row};
use std::fmt;

/// A stored value that is not one of its code's keys.
#[derive(Debug)]
pub struct UnknownValue {
    pub table: &'static str,
    pub column: &'static str,
    pub row: i64,
    pub value: String,
    pub what: &'static str,
    pub allowed: Vec<&'static str>,
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "table {}, row {}, column {}: unknown {} \"{}\" (this yishi knows {}); the database was changed outside yishi or by a newer version: run `yishi verify`, or restore a backup",
            self.table,
            self.row,
            self.column,
            self.what,
            self.value,
            self.allowed.join(", ")
        )
    }
}

impl std::error::Error for UnknownValue {}

impl From<UnknownValue> for Error {
    fn from(u: UnknownValue) -> Self {
        Error::data(u.to_string())
    }
}

/// If `e` is a row-mapping failure caused by an unknown stored value, the data error for it.
pub fn unknown_value_error(e: &rusqlite::Error) -> Option<Error> {
    match e {
        rusqlite::Error::FromSqlConversionFailure(_, _, inner) => inner
            .downcast_ref::<UnknownValue>()
            .map(|u| Error::data(u.to_string())),
        _ => None,
    }
}

/// Read the code in column `idx` of a row of `table` whose id is `row_id`.
pub fn decode<T: Code>(
    r: &Row,
    idx: usize,
    table: &'static str,
    column: &'static str,
    row_id: i64,
) -> rusqlite::Result<T> {
    let key: String = r.get(idx)?;
    from_key(&key, idx, table, column, row_id)
}

/// As [`decode`], for a column that may be NULL.
pub fn decode_opt<T: Code>(
    r: &Row,
    idx: usize,
    table: &'static str,
    column: &'static str,
    row_id: i64,
) -> rusqlite::Result<Option<T>> {
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
/// mapping decodes, so that verify names what a read would refuse.
pub fn unknown_values(conn: &Connection) -> rusqlite::Result<Vec<UnknownValue>> {
    let mut out = Vec::new();
    scan::<Status>(conn, "issues", "status", &mut out)?;
    scan::<Outcome>(conn, "issues", "outcome", &mut out)?;
    scan::<MeetingStatus>(conn, "meetings", "status", &mut out)?;
    scan::<MotionResult>(conn, "agenda_items", "outcome", &mut out)?;
    scan::<SeatKind>(conn, "participants", "role", &mut out)?;
    scan::<Attendance>(conn, "participants", "attendance", &mut out)?;
    scan::<SpeechPosition>(conn, "speeches", "position", &mut out)?;
    scan::<MajorityRule>(conn, "motions", "rule", &mut out)?;
    scan::<MotionStatus>(conn, "motions", "status", &mut out)?;
    scan::<VoteMethod>(conn, "motions", "method", &mut out)?;
    scan::<MotionResult>(conn, "motions", "result", &mut out)?;
    scan::<MotionResult>(conn, "corrections", "old_result", &mut out)?;
    scan::<MotionResult>(conn, "corrections", "new_result", &mut out)?;
    scan::<Choice>(conn, "ballots", "choice", &mut out)?;
    Ok(out)
}

/// The rows of `table` whose `column` holds a value that is not one of `T`'s keys (NULL is
/// left to the column's own rules). The comparison is SQLite's, so a key stored as a blob or
/// a number is unknown too, as it is to the row mapping.
fn scan<T: Code>(
    conn: &Connection,
    table: &'static str,
    column: &'static str,
    out: &mut Vec<UnknownValue>,
) -> rusqlite::Result<()> {
    let keys: Vec<String> = T::keys().iter().map(|k| format!("'{k}'")).collect();
    let sql = format!(
        "SELECT id, CAST({column} AS TEXT) FROM {table} WHERE {column} IS NOT NULL AND {column} NOT IN ({})",
        keys.join(", ")
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        out.push(UnknownValue {
            table,
            column,
            row: r.get(0)?,
            value: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
            what: T::WHAT,
            allowed: T::keys(),
        });
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

use crate::domain::issue::Status;
use crate::domain::meeting::{Attendance, MeetingStatus};
use crate::domain::motion::{Choice, MotionResult, MotionStatus, SpeechPosition, VoteMethod};
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
    SpeechPosition
);

#[cfg(test)]
mod tests {
    use super::*;
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
