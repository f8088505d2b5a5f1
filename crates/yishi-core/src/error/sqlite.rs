//! What a database failure was, decided by SQLite's result codes (primary and extended), never
//! by the wording of its message: the wording changes between SQLite versions, the codes do not.
//!
//! A failure is a [`Fault`]: a typed variant with its exit kind and its hint (what to do).
//! Nothing here reads the file system: who holds a busy database is looked up when the error
//! is reported ([`super::Error::in_`]), not when it is classified.

use super::Kind;
use super::stored::UnknownValue;
use rusqlite::ffi;

/// A database failure, classified.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Fault {
    /// Another process held the lock for longer than the busy timeout (SQLITE_BUSY, _LOCKED).
    /// `holders` names them once the error is reported.
    #[error("the database is busy: {} held it for longer than yishi waits", holders.as_deref().unwrap_or("another program"))]
    Busy { holders: Option<String> },
    /// SQLITE_FULL: the disk (or the file's size limit) is full.
    #[error("the disk is full")]
    DiskFull,
    /// SQLITE_IOERR_*: the disk failed to read or write.
    #[error("the disk could not be read or written ({detail})")]
    DiskIo { detail: String },
    /// SQLITE_READONLY_*: the file (or its folder, or its header) cannot be written.
    #[error("the database is read-only")]
    ReadOnly,
    /// SQLITE_CORRUPT: the file's pages are damaged.
    #[error("the database file is damaged ({detail})")]
    Corrupt { detail: String },
    /// The text index (derived data) is damaged: SQLITE_CORRUPT_VTAB, or a failure of a
    /// statement that reads or writes it (the store says which statements those are).
    #[error("the text index of issues (issue_text, for `issue list --grep`) is damaged ({detail})")]
    TextIndex { detail: String },
    /// SQLITE_NOTADB: the file is something else.
    #[error("the file is not a SQLite database")]
    NotADatabase,
    /// SQLITE_CANTOPEN: the file or its folder cannot be opened.
    #[error("cannot open the database file ({detail})")]
    CannotOpen { detail: String },
    /// Stored text that is not UTF-8 (the store names its table, row and column).
    #[error("{}: {detail}", super::NOT_UTF8)]
    NotUtf8 { detail: String },
    /// A stored code this binary does not know, named by table, row and column.
    #[error("{0}")]
    UnknownValue(Box<UnknownValue>),
    /// SQLITE_CONSTRAINT_*: yishi checks its rules before writing, so a constraint that
    /// fires is yishi's own bug.
    /// A NULL in a column yishi reads as a value (every such column is NOT NULL in its
    /// schema): written outside yishi, or damage that `verify` names.
    #[error("a stored value is missing (NULL) in column {column}")]
    MissingValue { column: String },
    /// A stored text yishi wrote in a form it reads back (the rules as JSON) that no longer reads.
    #[error("a stored value cannot be read ({detail})")]
    Unreadable { detail: String },
    /// A statement names a column or table the file lacks: its schema was changed outside yishi.
    #[error("the database's schema is not yishi's ({detail})")]
    SchemaNotYishis { detail: String },
    /// A trigger stopped the write (RAISE: SQLITE_CONSTRAINT_TRIGGER). yishi's schema has no
    /// triggers, so this one was put on a table outside yishi.
    #[error("a trigger that is not part of yishi's schema stopped the write ({detail})")]
    ForeignTrigger { detail: String },
    #[error("database error: {detail}")]
    Constraint { detail: String },
    /// Anything else is yishi's own bug.
    #[error("database error: {detail}")]
    Other { detail: String },
}

impl Fault {
    /// Classify a rusqlite error by its codes.
    pub fn classify(e: &rusqlite::Error) -> Fault {
        if let rusqlite::Error::FromSqlConversionFailure(_, _, inner) = e
            && let Some(u) = inner.downcast_ref::<UnknownValue>()
        {
            return Fault::UnknownValue(Box::new(u.clone()));
        }
        if is_not_utf8(e) {
            return Fault::NotUtf8 {
                detail: e.to_string(),
            };
        }
        match e {
            rusqlite::Error::InvalidColumnType(_, column, rusqlite::types::Type::Null) => {
                return Fault::MissingValue {
                    column: column.clone(),
                };
            }
            rusqlite::Error::FromSqlConversionFailure(_, rusqlite::types::Type::Text, inner) => {
                return Fault::Unreadable {
                    detail: inner.to_string(),
                };
            }
            rusqlite::Error::SqlInputError { msg, .. } if names_what_the_schema_lacks(msg) => {
                return Fault::SchemaNotYishis {
                    detail: e.to_string(),
                };
            }
            _ => {}
        }
        let rusqlite::Error::SqliteFailure(f, _) = e else {
            return Fault::Other {
                detail: e.to_string(),
            };
        };
        let detail = e.to_string();
        match f.extended_code & 0xff {
            ffi::SQLITE_BUSY | ffi::SQLITE_LOCKED => Fault::Busy { holders: None },
            ffi::SQLITE_FULL => Fault::DiskFull,
            ffi::SQLITE_IOERR => Fault::DiskIo { detail },
            ffi::SQLITE_READONLY => Fault::ReadOnly,
            ffi::SQLITE_CORRUPT if f.extended_code == ffi::SQLITE_CORRUPT_VTAB => {
                Fault::TextIndex { detail }
            }
            ffi::SQLITE_CORRUPT => Fault::Corrupt { detail },
            ffi::SQLITE_NOTADB => Fault::NotADatabase,
            ffi::SQLITE_CANTOPEN => Fault::CannotOpen { detail },
            ffi::SQLITE_CONSTRAINT if f.extended_code == ffi::SQLITE_CONSTRAINT_TRIGGER => {
                Fault::ForeignTrigger { detail }
            }
            ffi::SQLITE_CONSTRAINT => Fault::Constraint { detail },
            ffi::SQLITE_ERROR if names_what_the_schema_lacks(&detail) => {
                Fault::SchemaNotYishis { detail }
            }
            _ => Fault::Other { detail },
        }
    }

    /// The fault of a statement on the text index: damage to the index (its pages, a table of
    /// it dropped, its settings: SQLITE_CORRUPT or the generic SQLITE_ERROR) is named as such,
    /// since building it again mends it; busy, disk and permission faults stay what they are.
    pub fn on_text_index(e: &rusqlite::Error) -> Fault {
        // A row of the index that is not a set of issues (`store::search_index`), or whose
        // block or pair is not a number.
        match e {
            rusqlite::Error::FromSqlConversionFailure(_, _, why) => {
                return Fault::TextIndex {
                    detail: why.to_string(),
                };
            }
            rusqlite::Error::InvalidColumnType(..) => {
                return Fault::TextIndex {
                    detail: e.to_string(),
                };
            }
            _ => {}
        }
        match Fault::classify(e) {
            // A constraint of the index's own table (its key, a trigger added to it) is one
            // its rows no longer meet, or one put on it outside yishi.
            Fault::Corrupt { detail }
            | Fault::SchemaNotYishis { detail }
            | Fault::ForeignTrigger { detail }
            | Fault::Constraint { detail } => Fault::TextIndex { detail },
            Fault::Other { detail }
                if e.sqlite_error()
                    .is_some_and(|f| f.extended_code == ffi::SQLITE_ERROR) =>
            {
                Fault::TextIndex { detail }
            }
            other => other,
        }
    }

    /// The exit kind of this fault.
    pub fn kind(&self) -> Kind {
        match self {
            Fault::Busy { .. } => Kind::Busy,
            Fault::DiskFull | Fault::DiskIo { .. } => Kind::Io,
            Fault::ReadOnly
            | Fault::Corrupt { .. }
            | Fault::TextIndex { .. }
            | Fault::NotADatabase
            | Fault::CannotOpen { .. }
            | Fault::NotUtf8 { .. }
            | Fault::UnknownValue(_)
            | Fault::MissingValue { .. }
            | Fault::Unreadable { .. }
            | Fault::SchemaNotYishis { .. }
            | Fault::ForeignTrigger { .. } => Kind::Data,
            Fault::Constraint { .. } | Fault::Other { .. } => Kind::Internal,
        }
    }

    /// What the secretary can do about it.
    pub fn hint(&self) -> Option<&'static str> {
        Some(match self {
            Fault::Busy { .. } => "nothing was changed, try again",
            Fault::DiskFull => "nothing was changed; free some space and try again",
            Fault::DiskIo { .. } => "nothing was changed; check the disk and try again",
            Fault::ReadOnly => {
                "check the file's permissions (yishi needs to write it and the folder beside it)"
            }
            Fault::Corrupt { .. } => {
                "run `yishi verify`, and restore a backup if it reports problems"
            }
            Fault::TextIndex { .. } => "build it again from the issues with `yishi issue reindex`",
            Fault::NotADatabase => "check --db (a yishi database is made by `yishi init`)",
            Fault::CannotOpen { .. } => "check that its folder exists and is writable",
            Fault::ForeignTrigger { .. } => "`yishi verify` names it: drop it, or restore a backup",
            Fault::MissingValue { .. }
            | Fault::Unreadable { .. }
            | Fault::SchemaNotYishis { .. } => {
                "run `yishi verify`, and restore a backup if it reports problems"
            }
            Fault::NotUtf8 { .. }
            | Fault::UnknownValue(_)
            | Fault::Constraint { .. }
            | Fault::Other { .. } => return None,
        })
    }

    /// The whole message in both languages (its English is [`Fault::message`]). A busy
    /// database's holders are named when the error is reported ([`super::Error::in_`]).
    pub fn text(&self) -> crate::i18n::Text {
        use crate::text;
        match self {
            Fault::Busy {
                holders: Some(holders),
            } => text!("store.fault.busy", holders = holders),
            Fault::Busy { holders: None } => {
                text!("store.fault.busy").text("holders", &text!("busy.another_program"))
            }
            Fault::DiskFull => text!("store.fault.disk_full"),
            Fault::DiskIo { detail } => text!("store.fault.disk_io", error = detail),
            Fault::ReadOnly => text!("store.fault.read_only"),
            Fault::Corrupt { detail } => text!("store.fault.corrupt", error = detail),
            Fault::TextIndex { detail } => text!("store.fault.text_index", error = detail),
            Fault::NotADatabase => text!("store.fault.not_a_database"),
            Fault::CannotOpen { detail } => text!("store.fault.cannot_open", error = detail),
            Fault::NotUtf8 { detail } => text!("store.fault.not_utf8", error = detail),
            Fault::UnknownValue(u) => u.text(),
            Fault::MissingValue { column } => text!("store.missing_value", column = column),
            Fault::Unreadable { detail } => text!("store.unreadable_value", error = detail),
            Fault::SchemaNotYishis { detail } => {
                text!("store.schema_not_yishis", error = detail)
            }
            Fault::ForeignTrigger { detail } => text!("store.foreign_trigger", error = detail),
            Fault::Constraint { detail } | Fault::Other { detail } => {
                text!("store.fault.other", error = detail)
            }
        }
    }

    /// The whole message: what happened, then the hint.
    pub fn message(&self) -> String {
        match self.hint() {
            // A busy database's hint follows a clause, not a noun.
            Some(hint) if matches!(self, Fault::Busy { .. }) => format!("{self}; {hint}"),
            Some(hint) => format!("{self}: {hint}"),
            None => self.to_string(),
        }
    }
}

/// Whether reading a value failed because its text is not UTF-8 (a damaged or edited file).
/// SQLite gives a statement naming a column or table the file does not have only the generic
/// SQLITE_ERROR code, so this one case reads its words. The text index's own tables are told
/// apart by the statement that failed (`on_text_index`), not here.
fn names_what_the_schema_lacks(message: &str) -> bool {
    super::SCHEMA_MISMATCH.iter().any(|m| message.contains(m)) && !message.contains("issue_text")
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::{Connection, OpenFlags};

    fn failure(code: i32) -> rusqlite::Error {
        rusqlite::Error::SqliteFailure(ffi::Error::new(code), None)
    }

    fn db(dir: &tempfile::TempDir) -> (std::path::PathBuf, Connection) {
        let path = dir.path().join("t.db");
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT UNIQUE)")
            .unwrap();
        (path, conn)
    }

    #[test]
    fn a_lock_held_by_another_connection_is_busy_and_names_no_one_yet() {
        let dir = tempfile::tempdir().unwrap();
        let (path, holder) = db(&dir);
        holder.execute_batch("BEGIN IMMEDIATE").unwrap();
        let other = Connection::open(&path).unwrap();
        other.busy_timeout(std::time::Duration::ZERO).unwrap();
        let e = other.execute_batch("BEGIN IMMEDIATE").unwrap_err();
        let fault = Fault::classify(&e);
        assert_eq!(fault, Fault::Busy { holders: None });
        assert_eq!(fault.kind(), Kind::Busy);
        assert_eq!(
            fault.message(),
            "the database is busy: another program held it for longer than yishi waits; nothing was changed, try again"
        );
        let e = super::super::Error::from(e);
        assert!(e.is_busy() && e.exit_code() == super::super::EXIT_BUSY);
    }

    /// yishi's schema has no triggers: one that stops a write was put there outside yishi,
    /// and is named as such (bad data, exit 65), not as yishi's own bug.
    #[test]
    fn a_trigger_that_stops_a_write_is_foreign_bad_data() {
        let dir = tempfile::tempdir().unwrap();
        let (_path, conn) = db(&dir);
        conn.execute_batch(
            "CREATE TRIGGER t_no BEFORE INSERT ON t BEGIN SELECT RAISE(ABORT, 'no more rows'); END",
        )
        .unwrap();
        let e = conn
            .execute("INSERT INTO t (v) VALUES ('x')", [])
            .unwrap_err();
        let fault = Fault::classify(&e);
        assert!(matches!(fault, Fault::ForeignTrigger { .. }), "{fault:?}");
        assert_eq!(fault.kind(), Kind::Data);
        assert_eq!(
            fault.message(),
            "a trigger that is not part of yishi's schema stopped the write (no more rows): `yishi verify` names it: drop it, or restore a backup"
        );
        // A constraint of yishi's own schema is still yishi's bug.
        conn.execute_batch("DROP TRIGGER t_no; INSERT INTO t (id, v) VALUES (1, 'y')")
            .unwrap();
        let e = conn
            .execute("INSERT INTO t (id, v) VALUES (2, 'y')", [])
            .unwrap_err();
        assert_eq!(Fault::classify(&e).kind(), Kind::Internal);
    }

    #[test]
    fn a_write_on_a_read_only_connection_is_read_only_bad_data() {
        let dir = tempfile::tempdir().unwrap();
        let (path, conn) = db(&dir);
        drop(conn);
        let ro = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
        let e = ro
            .execute("INSERT INTO t (v) VALUES ('x')", [])
            .unwrap_err();
        assert_eq!(Fault::classify(&e), Fault::ReadOnly);
        let e = super::super::Error::from(e);
        assert_eq!(e.kind, Kind::Data);
        assert!(e.message.starts_with(super::super::READ_ONLY), "{e}");
        assert_eq!(
            e.hint(),
            Some("check the file's permissions (yishi needs to write it and the folder beside it)")
        );
    }

    #[test]
    fn a_file_that_is_not_a_database_and_a_missing_folder_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notes.txt");
        std::fs::write(&path, vec![b'x'; 4096]).unwrap();
        let conn = Connection::open(&path).unwrap();
        let e = conn
            .query_row("SELECT count(*) FROM sqlite_schema", [], |r| {
                r.get::<_, i64>(0)
            })
            .unwrap_err();
        assert_eq!(Fault::classify(&e), Fault::NotADatabase);

        let e = Connection::open_with_flags(
            dir.path().join("no/such/folder.db"),
            OpenFlags::SQLITE_OPEN_READ_WRITE,
        )
        .unwrap_err();
        assert!(
            matches!(Fault::classify(&e), Fault::CannotOpen { .. }),
            "{e}"
        );
        assert_eq!(Fault::classify(&e).kind(), Kind::Data);
    }

    #[test]
    fn a_full_file_is_a_full_disk() {
        let dir = tempfile::tempdir().unwrap();
        let (_path, conn) = db(&dir);
        // The file may not grow past its current pages: SQLite reports SQLITE_FULL.
        let pages: i64 = conn
            .query_row("PRAGMA page_count", [], |r| r.get(0))
            .unwrap();
        conn.pragma_update(None, "max_page_count", pages).unwrap();
        let big = "x".repeat(1 << 16);
        let e = conn
            .execute("INSERT INTO t (v) VALUES (?1)", [&big])
            .unwrap_err();
        assert_eq!(Fault::classify(&e), Fault::DiskFull);
        assert_eq!(
            super::super::Error::from(e).message,
            "the disk is full: nothing was changed; free some space and try again"
        );
    }

    #[test]
    fn a_constraint_is_yishis_own_bug_and_a_missing_table_is_bad_data() {
        let dir = tempfile::tempdir().unwrap();
        let (_path, conn) = db(&dir);
        conn.execute("INSERT INTO t (v) VALUES ('a')", []).unwrap();
        let e = conn
            .execute("INSERT INTO t (v) VALUES ('a')", [])
            .unwrap_err();
        assert!(
            matches!(Fault::classify(&e), Fault::Constraint { .. }),
            "{e}"
        );
        assert_eq!(Fault::classify(&e).kind(), Kind::Internal);
        let e = conn
            .execute("INSERT INTO nowhere VALUES (1)", [])
            .unwrap_err();
        // A statement naming a table the file lacks: its schema is not yishi's (bad data,
        // which verify names), not a bug.
        assert!(
            matches!(Fault::classify(&e), Fault::SchemaNotYishis { .. }),
            "{e}"
        );
        assert_eq!(Fault::classify(&e).kind(), Kind::Data);
        // The same generic error on a statement of the text index is the index's damage.
        assert!(matches!(Fault::on_text_index(&e), Fault::TextIndex { .. }));
        // …but a busy database stays busy there.
        assert_eq!(
            Fault::on_text_index(&failure(ffi::SQLITE_BUSY)),
            Fault::Busy { holders: None }
        );
    }

    #[test]
    fn stored_text_that_is_not_utf8_is_bad_data() {
        let dir = tempfile::tempdir().unwrap();
        let (_path, conn) = db(&dir);
        conn.execute("INSERT INTO t (v) VALUES (CAST(x'ff' AS TEXT))", [])
            .unwrap();
        let e = conn
            .query_row("SELECT v FROM t", [], |r| r.get::<_, String>(0))
            .unwrap_err();
        let fault = Fault::classify(&e);
        assert!(matches!(fault, Fault::NotUtf8 { .. }), "{e}");
        assert!(fault.message().starts_with(super::super::NOT_UTF8));
        assert_eq!(fault.kind(), Kind::Data);
    }

    #[test]
    fn extended_codes_decide_the_family() {
        for (code, want) in [
            (ffi::SQLITE_IOERR_WRITE, Kind::Io),
            (ffi::SQLITE_IOERR_FSYNC, Kind::Io),
            (ffi::SQLITE_READONLY_DBMOVED, Kind::Data),
            (ffi::SQLITE_BUSY_SNAPSHOT, Kind::Busy),
            (ffi::SQLITE_LOCKED_SHAREDCACHE, Kind::Busy),
            (ffi::SQLITE_CORRUPT, Kind::Data),
            (ffi::SQLITE_CANTOPEN_ISDIR, Kind::Data),
            (ffi::SQLITE_CONSTRAINT_FOREIGNKEY, Kind::Internal),
        ] {
            assert_eq!(Fault::classify(&failure(code)).kind(), want, "{code}");
        }
        assert!(matches!(
            Fault::classify(&failure(ffi::SQLITE_CORRUPT_VTAB)),
            Fault::TextIndex { .. }
        ));
        assert!(matches!(
            Fault::classify(&failure(ffi::SQLITE_CORRUPT)),
            Fault::Corrupt { .. }
        ));
    }

    /// Each fault is worded by the catalogue; its English is the message it always had.
    #[test]
    fn every_fault_reads_in_both_languages() {
        use crate::domain::locale::Locale;
        let detail = || "d".to_string();
        let faults = [
            Fault::Busy {
                holders: Some("process 7 (yishi)".into()),
            },
            Fault::DiskFull,
            Fault::DiskIo { detail: detail() },
            Fault::ReadOnly,
            Fault::Corrupt { detail: detail() },
            Fault::TextIndex { detail: detail() },
            Fault::NotADatabase,
            Fault::CannotOpen { detail: detail() },
            Fault::NotUtf8 { detail: detail() },
            Fault::Constraint { detail: detail() },
            Fault::Other { detail: detail() },
        ];
        for fault in faults {
            assert_eq!(fault.text().render(Locale::En), fault.message());
            let zh = fault.text().render(Locale::ZhCn);
            assert!(
                zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{zh}"
            );
        }
    }

    #[test]
    fn an_unknown_stored_value_keeps_its_own_words() {
        let u = UnknownValue {
            table: "motions",
            column: "status",
            row: 7,
            value: "opened".into(),
            what: "motion status",
            allowed: vec!["open", "closed"],
        };
        let said = u.to_string();
        let kept = Box::new(u.clone());
        let e =
            rusqlite::Error::FromSqlConversionFailure(3, rusqlite::types::Type::Text, Box::new(u));
        let fault = Fault::classify(&e);
        assert_eq!(fault.to_string(), said);
        assert_eq!(fault, Fault::UnknownValue(kept));
    }
}
