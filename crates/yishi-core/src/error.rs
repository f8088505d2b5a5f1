//! One error type for the whole program. Its kind decides the exit code; its message is
//! what the secretary reads, so every message says what was wrong, where, and what to do.
//!
//! A failure of the database carries its typed cause, a [`Fault`] (`error/sqlite.rs`):
//! classified by SQLite's result codes, with its exit kind and its hint, so that code that
//! reacts to an error (wait and try again when busy, name the header of a read-only file,
//! find stored text that is not UTF-8) matches a variant, never the wording. This module
//! depends on nothing above it: the store and the rules build errors, not the other way.

mod sqlite;
mod stored;

pub use sqlite::Fault;
pub use stored::UnknownValue;

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
    /// Where it happened (`context`, the outermost first), before the worded message.
    prefix: Vec<String>,
    /// What failed in the database, when that is the cause: typed, with its hint.
    /// (Boxed: a `Result` stays small on every path that does not fail.)
    pub fault: Option<Box<Fault>>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(kind: Kind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
            text: None,
            prefix: Vec::new(),
            fault: None,
        }
    }

    /// An error worded by the catalogue.
    pub fn worded(kind: Kind, text: crate::i18n::Text) -> Self {
        Error {
            kind,
            message: text.render(crate::domain::locale::Locale::En),
            text: Some(text),
            prefix: Vec::new(),
            fault: None,
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

    /// Something missing on this machine or disk (exit 74), worded by the catalogue.
    pub fn io_text(text: crate::i18n::Text) -> Self {
        Self::worded(Kind::Io, text)
    }

    /// The message in `locale`: the catalogue's wording where there is one. This is where an
    /// error is reported, so a busy database's message names who holds it here (reading
    /// /proc/locks), never when the error is made: a caller that waits and tries again does
    /// not pay for the lookup.
    pub fn in_(&self, locale: crate::domain::locale::Locale) -> String {
        match (&self.text, self.fault.as_deref()) {
            (Some(t), _) => format!("{}{}", self.prefix_in(locale), t.render(locale)),
            (None, Some(Fault::Busy { holders: None })) => {
                let holders = Some(crate::lock_holders::described(locale));
                let text = Fault::Busy { holders }.text();
                format!("{}{}", self.prefix_in(locale), text.render(locale))
            }
            // yishi's own bug, worded where it happened (in English): said to be one, in the
            // reader's language, with what to do.
            (None, _) if self.kind == Kind::Internal => {
                crate::text!("internal.bug", error = &self.message).render(locale)
            }
            (None, _) => self.message.clone(),
        }
    }

    /// The places of `context`, each followed by a colon of the reader's language.
    fn prefix_in(&self, locale: crate::domain::locale::Locale) -> String {
        let colon = locale.pick("：", ": ");
        self.prefix.iter().map(|p| format!("{p}{colon}")).collect()
    }

    /// What to do about it, when the error's cause is typed (a database fault).
    pub fn hint(&self) -> Option<&'static str> {
        self.fault.as_deref().and_then(Fault::hint)
    }

    /// Whether the database was busy (another process held it for longer than yishi waits).
    pub fn is_busy(&self) -> bool {
        matches!(self.fault.as_deref(), Some(Fault::Busy { .. })) || self.kind == Kind::Busy
    }
    /// The same error of another kind: a value that is bad data in a file is a usage error
    /// when typed on the command line.
    pub fn as_kind(mut self, kind: Kind) -> Self {
        self.kind = kind;
        self
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
        self.prefix.insert(0, context.to_string());
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.fault.as_deref() {
            Some(Fault::Busy { holders: None }) => {
                f.write_str(&self.in_(crate::domain::locale::Locale::En))
            }
            _ => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for Error {}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            Error::new(Kind::BrokenPipe, "broken pipe")
        } else {
            Error::io_text(crate::text!("io.error").os_error("error", &e))
        }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Fault::classify(&e).into()
    }
}

impl From<Fault> for Error {
    fn from(fault: Fault) -> Self {
        // Worded by the catalogue; a busy database is worded when reported (`in_`), which
        // names who holds it.
        let mut e = match &fault {
            Fault::Busy { holders: None } => Error::new(fault.kind(), fault.message()),
            _ => Error::worded(fault.kind(), fault.text()),
        };
        e.fault = Some(Box::new(fault));
        e
    }
}

/// How the error of a write refused as read-only starts (the store says when the file's
/// header, not its permissions, is the cause).
pub const READ_ONLY: &str = "the database is read-only";

/// What SQLite says of a statement naming what the file's schema lacks.
pub(crate) const SCHEMA_MISMATCH: &[&str] = &[
    "no such column",
    "no such table",
    "no such index",
    "has no column named",
];

/// How an error about stored text that is not UTF-8 starts, until the store says where it is.
pub const NOT_UTF8: &str = "a stored text is not valid UTF-8";

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        // yishi writes JSON of its own values only: a failure is its bug (worded in English).
        Error::internal(format!("JSON error: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::locale::Locale;

    /// yishi's own bug is said to be one in Chinese; its English is as worded where it
    /// happened. A context before a worded error takes the reader's colon.
    #[test]
    fn a_bug_and_a_context_read_in_the_readers_language() {
        let bug = Error::internal("a reply just written is missing");
        assert_eq!(bug.in_(Locale::En), "a reply just written is missing");
        let zh = bug.in_(Locale::ZhCn);
        assert!(
            zh.contains("缺陷") && zh.ends_with("a reply just written is missing"),
            "{zh}"
        );
        let e = Error::from(Fault::NotADatabase).context("x.db");
        assert!(e.in_(Locale::ZhCn).starts_with("x.db：这个文件不是"), "{e}");
        assert!(
            e.in_(Locale::En).starts_with("x.db: the file is not"),
            "{e}"
        );
        assert_eq!(e.in_(Locale::En), e.to_string());
    }

    /// The system's usual errors are named in Chinese words; English keeps the system's text.
    #[test]
    fn the_systems_usual_errors_in_chinese_words() {
        let gone = std::io::Error::from(std::io::ErrorKind::NotFound);
        let e = Error::from(std::io::Error::new(gone.kind(), "No such file"));
        assert!(e.in_(Locale::ZhCn).contains("文件或文件夹不存在"), "{e}");
        assert!(e.in_(Locale::En).contains("No such file"), "{e}");
    }
}
