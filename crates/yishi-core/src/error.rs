//! One error type for the whole program. Its kind decides the exit code; its message is
//! what the secretary reads, so every message says what was wrong, where, and what to do.

use std::fmt;

/// Exit codes (see shared/ARCHITECTURE.md and sysexits.h): 1 refused by a rule, 2 usage,
/// 65 bad data, 70 internal (yishi's own bug), 74 input/output (disk full, unreadable
/// file), 75 temporary failure (the database is busy: try again).
pub const EXIT_REFUSED: u8 = 1;
pub const EXIT_USAGE: u8 = 2;
pub const EXIT_DATA: u8 = 65;
pub const EXIT_INTERNAL: u8 = 70;
pub const EXIT_IO: u8 = 74;
pub const EXIT_BUSY: u8 = 75;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A council rule forbids the operation (illegal status change, no quorum, closed meeting).
    Refused,
    /// The command line itself is wrong (conflicting flags, missing value).
    Usage,
    /// The input data is wrong: a bad value, an unknown id, a malformed CSV row or config file.
    Data,
    /// yishi's own bug: something that should not happen whatever the input.
    Internal,
    /// The file system failed: the disk is full, a file cannot be read or written.
    Io,
    /// Another process holds the database for longer than we wait: try again later.
    Busy,
    /// stdout was closed by the reader (`yishi issue list | head`): stop quietly.
    BrokenPipe,
}

#[derive(Debug)]
pub struct Error {
    pub kind: Kind,
    /// The message in English (logs, tests, and messages not yet in the catalogue).
    pub message: String,
    /// The message as the catalogue words it, when it is there: shown in the reader's language.
    pub text: Option<crate::i18n::Text>,
    /// Where it happened (`context`), before the worded message.
    prefix: String,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(kind: Kind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
            text: None,
            prefix: String::new(),
        }
    }

    /// An error worded by the catalogue.
    pub fn worded(kind: Kind, text: crate::i18n::Text) -> Self {
        Error {
            kind,
            message: text.render(crate::domain::locale::Locale::En),
            text: Some(text),
            prefix: String::new(),
        }
    }

    /// A council rule's refusal, worded by the catalogue.
    pub fn refused_text(text: crate::i18n::Text) -> Self {
        Self::worded(Kind::Refused, text)
    }

    /// Bad input, worded by the catalogue.
    pub fn data_text(text: crate::i18n::Text) -> Self {
        Self::worded(Kind::Data, text)
    }

    /// A wrong command line, worded by the catalogue.
    pub fn usage_text(text: crate::i18n::Text) -> Self {
        Self::worded(Kind::Usage, text)
    }

    /// The message in `locale`: the catalogue's wording where there is one.
    pub fn in_(&self, locale: crate::domain::locale::Locale) -> String {
        match &self.text {
            Some(t) => format!("{}{}", self.prefix, t.render(locale)),
            None => self.message.clone(),
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
    pub fn io(message: impl Into<String>) -> Self {
        Self::new(Kind::Io, message)
    }
    pub fn busy(message: impl Into<String>) -> Self {
        Self::new(Kind::Busy, message)
    }

    pub fn exit_code(&self) -> u8 {
        match self.kind {
            Kind::Refused => EXIT_REFUSED,
            Kind::Usage => EXIT_USAGE,
            Kind::Data => EXIT_DATA,
            Kind::Internal => EXIT_INTERNAL,
            Kind::Io => EXIT_IO,
            Kind::Busy => EXIT_BUSY,
            Kind::BrokenPipe => 0,
        }
    }

    /// Prefix the message with where it happened, e.g. the file being read.
    pub fn context(mut self, context: impl fmt::Display) -> Self {
        self.message = format!("{context}: {}", self.message);
        self.prefix = format!("{context}: {}", self.prefix);
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
            Error::io(format!("input/output error: {e}"))
        }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode::*;
        if let Some(unknown) = crate::store::codes::unknown_value_error(&e) {
            return unknown;
        }
        if is_not_utf8(&e) {
            // The store names the table, row and column (`store::bad_text`).
            return Error::data(format!("{NOT_UTF8}: {e}"));
        }
        // Every column yishi reads as a value is NOT NULL in its schema: a NULL there was
        // written outside yishi or is damage (a flipped byte in a record's header), which
        // `verify` names; it is not yishi's bug unless verify finds nothing.
        if let rusqlite::Error::InvalidColumnType(_, column, rusqlite::types::Type::Null) = &e {
            return Error::data_text(crate::text!("store.missing_value", column = column));
        }
        // A stored text yishi wrote in a form it reads back (the rules as JSON, a code) that no
        // longer reads: changed outside yishi or damaged, like an unknown code.
        if let rusqlite::Error::FromSqlConversionFailure(_, rusqlite::types::Type::Text, inner) = &e
        {
            return Error::data_text(crate::text!("store.unreadable_value", error = inner));
        }
        // A statement naming a column or table the file does not have (refused when it is
        // prepared): the schema was changed outside yishi or is damaged (`verify` compares it
        // with yishi's). The text index's own tables are told apart below.
        if let rusqlite::Error::SqlInputError { msg, .. } = &e
            && SCHEMA_MISMATCH.iter().any(|m| msg.contains(m))
            && !msg.contains("issue_text")
        {
            return Error::data_text(crate::text!(
                "store.schema_not_yishis",
                error = e.to_string()
            ));
        }
        if let rusqlite::Error::SqliteFailure(f, _) = &e {
            // The text index is derived from the issues: when it is damaged (its pages, a table
            // of it dropped, its settings), building it again mends it. Other errors that
            // mention it are yishi's own (exit 70).
            let message = e.to_string();
            let text_index = match f.code {
                DatabaseCorrupt => {
                    f.extended_code == rusqlite::ffi::SQLITE_CORRUPT_VTAB
                        || message.contains("fts5")
                        || message.contains(crate::store::search_index::TABLE)
                }
                Unknown => {
                    (message.contains("no such table") && message.contains("issue_text_"))
                        || message.contains("vtable constructor failed: issue_text")
                        || message.contains("invalid fts5 file format")
                }
                _ => false,
            };
            if text_index {
                return Error::data(format!(
                    "the text index of issues (issue_text, for `issue list --grep`) is damaged ({e}): build it again from the issues with `yishi issue reindex`"
                ));
            }
            match f.code {
                DatabaseBusy | DatabaseLocked => {
                    return Error::busy(format!(
                        "the database is busy: {} held it for longer than yishi waits; nothing was changed, try again",
                        crate::store::lock_holders::describe()
                    ));
                }
                ReadOnly => {
                    return Error::data(format!(
                        "{READ_ONLY}: check the file's permissions (yishi needs to write it and the folder beside it)"
                    ));
                }
                DiskFull => {
                    return Error::io(
                        "the disk is full: nothing was changed; free some space and try again",
                    );
                }
                SystemIoFailure => {
                    return Error::io(format!(
                        "the disk could not be read or written ({e}): nothing was changed; check the disk and try again"
                    ));
                }
                DatabaseCorrupt => {
                    return Error::data(format!(
                        "the database file is damaged ({e}): run `yishi verify`, and restore a backup if it reports problems"
                    ));
                }
                NotADatabase => {
                    return Error::data(
                        "the file is not a SQLite database: check --db (a yishi database is made by `yishi init`)",
                    );
                }
                // A statement naming a column or table the file does not have: its schema was
                // changed outside yishi or is damaged (`verify` compares it with yishi's).
                Unknown if SCHEMA_MISMATCH.iter().any(|m| message.contains(m)) => {
                    return Error::data_text(crate::text!(
                        "store.schema_not_yishis",
                        error = &message
                    ));
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

/// How the error of a write refused as read-only starts (the store says when the file's
/// header, not its permissions, is the cause).
pub const READ_ONLY: &str = "the database is read-only";

/// What SQLite says of a statement naming what the file's schema lacks.
const SCHEMA_MISMATCH: &[&str] = &[
    "no such column",
    "no such table",
    "no such index",
    "has no column named",
];

/// How an error about stored text that is not UTF-8 starts, until the store says where it is.
pub const NOT_UTF8: &str = "a stored text is not valid UTF-8";

/// Whether reading a value failed because its text is not UTF-8 (a damaged or edited file).
fn is_not_utf8(e: &rusqlite::Error) -> bool {
    match e {
        rusqlite::Error::Utf8Error(..) => true,
        rusqlite::Error::FromSqlConversionFailure(_, rusqlite::types::Type::Text, inner) => {
            inner.downcast_ref::<std::str::Utf8Error>().is_some()
                || inner.downcast_ref::<std::string::FromUtf8Error>().is_some()
        }
        _ => false,
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Error::internal(format!("JSON error: {e}"))
    }
}
