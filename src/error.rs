//! One error type for the whole program. Its kind decides the exit code; its message is
//! what the secretary reads, so every message says what was wrong, where, and what to do.

use std::fmt;

/// Exit codes (see shared/ARCHITECTURE.md): 1 refused by a rule, 2 usage, 65 bad data, 70 internal.
pub const EXIT_REFUSED: u8 = 1;
pub const EXIT_USAGE: u8 = 2;
pub const EXIT_DATA: u8 = 65;
pub const EXIT_INTERNAL: u8 = 70;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A council rule forbids the operation (illegal status change, no quorum, closed meeting).
    Refused,
    /// The command line itself is wrong (conflicting flags, missing value).
    Usage,
    /// The input data is wrong: a bad value, an unknown id, a malformed CSV row or config file.
    Data,
    /// Something that is not the user's fault: SQLite or the file system failed.
    Internal,
    /// stdout was closed by the reader (`yishi issue list | head`): stop quietly.
    BrokenPipe,
}

#[derive(Debug)]
pub struct Error {
    pub kind: Kind,
    pub message: String,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(kind: Kind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
        }
    }
    pub fn refused(message: impl Into<String>) -> Self {
        Self::new(Kind::Refused, message)
    }
    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(Kind::Usage, message)
    }
    pub fn data(message: impl Into<String>) -> Self {
        Self::new(Kind::Data, message)
    }
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(Kind::Internal, message)
    }

    pub fn exit_code(&self) -> u8 {
        match self.kind {
            Kind::Refused => EXIT_REFUSED,
            Kind::Usage => EXIT_USAGE,
            Kind::Data => EXIT_DATA,
            Kind::Internal => EXIT_INTERNAL,
            Kind::BrokenPipe => 0,
        }
    }

    /// Prefix the message with where it happened, e.g. the file being read.
    pub fn context(mut self, context: impl fmt::Display) -> Self {
        self.message = format!("{context}: {}", self.message);
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            Error::new(Kind::BrokenPipe, "broken pipe")
        } else {
            Error::internal(format!("input/output error: {e}"))
        }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode::*;
        if let Some(unknown) = crate::store::codes::unknown_value_error(&e) {
            return unknown;
        }
        if let rusqlite::Error::SqliteFailure(f, _) = &e {
            match f.code {
                DatabaseBusy | DatabaseLocked => {
                    return Error::internal(
                        "the database is busy: another yishi command held it for too long; try again",
                    );
                }
                ReadOnly => {
                    return Error::data(
                        "the database is read-only: check the file's permissions (yishi needs to write it and the folder beside it)",
                    );
                }
                DiskFull => {
                    return Error::internal(
                        "the disk is full: nothing was changed; free some space and try again",
                    );
                }
                NotADatabase => {
                    return Error::data(
                        "the file is not a SQLite database: check --db (a yishi database is made by `yishi init`)",
                    );
                }
                CannotOpen => {
                    return Error::data(format!(
                        "cannot open the database file ({e}): check that its folder exists and is writable"
                    ));
                }
                _ => {}
            }
        }
        Error::internal(format!("database error: {e}"))
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Error::internal(format!("JSON error: {e}"))
    }
}
