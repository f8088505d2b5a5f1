//! A stored value that is not one of its code's keys: the error a row mapping returns (inside
//! rusqlite's conversion failure), recognised by its type when it is classified.

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

impl From<UnknownValue> for super::Error {
    fn from(u: UnknownValue) -> Self {
        super::Error::data(u.to_string())
    }
}
