//! The audit log as the rest of yishi sees it: an anchor (a point of the hash chain) and a
//! filter over the log.

use serde::Serialize;

/// The last event of the chain: written on minutes, notices and backups, and given back to
/// `verify --anchor`, it proves later that the chain still passes through that point.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Anchor {
    pub seq: i64,
    /// The event's hash (without the key marker).
    pub hash: String,
}

/// Filters for `yishi log`.
#[derive(Debug, Default)]
pub struct LogFilter {
    pub entity: Option<String>,
    pub entity_id: Option<i64>,
    pub since: Option<String>,
    pub limit: Option<u32>,
    /// Changes of one meeting: the meeting itself and its motions.
    pub meeting: Option<i64>,
}

/// What became of the cleanup after a forgetting was committed (the file rebuilt, the
/// write-ahead log emptied), which removes the old bytes from the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scrub {
    /// Done: the old bytes are gone from the file and its write-ahead log.
    Clean,
    /// Another program reading the database held it up.
    Busy,
    /// It failed (the disk is full, ...): why. The forgetting itself is committed.
    Failed(String),
}
