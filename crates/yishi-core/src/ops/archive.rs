//! Copies of the record and its check: backup, restore, export, verify, the ledger.
//!
//! The file work itself (SQLite's backup API, the read-only check, the JSON lines) is in
//! `store::archive` and `store::audit`; this module holds the rules around it: what a restore
//! refuses and what it would lose, and when the copy an earlier restore kept may go.

use crate::error::{Error, Result};
use crate::store::archive::{self, Lineage};
use crate::store::audit::{self, Anchor};
use crate::store::{Store, ledger};
use std::path::{Path, PathBuf};

pub use crate::store::archive::Checked;

/// `backup FILE`: where to, and whether an existing file may be replaced.
pub struct BackupRequest<'a> {
    pub dest: &'a Path,
    pub force: bool,
}

/// What a backup wrote: its check, and how many faults of the database were in the data
/// derived from the issues (the text index, the packed keys), which the copy has built again.
pub struct BackedUp {
    pub checked: audit::Checked,
    pub derived_faults: usize,
}

/// `backup`: a verified copy, renamed into place only when complete.
pub fn backup(store: &Store, req: BackupRequest) -> Result<BackedUp> {
    let (copy, derived_faults) = archive::backup(store, req.dest, req.force)?;
    Ok(BackedUp {
        checked: copy.checked,
        derived_faults,
    })
}

/// `restore FILE`: the backup, the live database it replaces, and whether losing later events
/// (or an earlier restore's kept copy) is accepted.
pub struct RestoreRequest<'a> {
    pub backup: &'a Path,
    pub db: &'a Path,
    /// `--accept-loss`: the database's events that the backup lacks may be lost.
    pub accept_loss: bool,
    /// `--overwrite`: an earlier restore's kept copy may be replaced.
    pub overwrite: bool,
}

/// What a restore did.
pub struct Restored {
    pub checked: audit::Checked,
    /// The backup continued the database's log with this many events.
    pub ahead: Option<i64>,
    /// What was lost, accepted with --accept-loss.
    pub lost: Option<crate::i18n::Text>,
    /// Where the replaced database is kept (until the user removes it or a later restore with
    /// --overwrite replaces it), if it is.
    pub kept: Option<PathBuf>,
    /// The backup's text index did not match its issues and was built again.
    pub text_index_rebuilt: bool,
}

/// `restore`: check the backup read-only, compare its log with the database's, refuse a loss
/// that --accept-loss did not accept, then put it in place. From the first look at the database to
/// the end, no write of yishi can land in it (`restore_lock`): what the comparison found is
/// exactly what is replaced.
pub fn restore(req: RestoreRequest) -> Result<Restored> {
    let (file, db) = (req.backup, req.db);
    if !file.exists() {
        return Err(Error::data_text(crate::text!(
            "restore.no_backup",
            file = file.display()
        )));
    }
    let _writes_held = crate::store::restore_lock::RestoreLock::acquire(db)?;
    let check = archive::check_file(file, &Default::default())?;
    // A backup whose only faults are in its text index or packed keys (derived from its
    // issues) is restored with them written again.
    let rebuild_text_index =
        !check.problems.is_empty() && check.problems.iter().all(|p| p.is_derived());
    // The problem named is one that blocks the restore, not one the rebuild would mend.
    let blocking = check.problems.iter().find(|p| !p.is_derived());
    if let Some(first) = blocking {
        return Err(Error::refused_text(
            crate::text!(
                "restore.backup_does_not_verify",
                file = file.display(),
                n = check.problems.len()
            )
            .text("first", &first.text),
        ));
    }
    let backup_end = check
        .checked
        .head
        .as_ref()
        .map_or(crate::text!("restore.backup_no_events"), |h| {
            crate::text!("restore.backup_ends", seq = h.seq)
        });
    let (lost, ahead) = what_restoring_loses(file, db, &backup_end)?;
    let kept = archive::before_restore_path(db);
    if let Some(loss) = &lost
        && !req.accept_loss
    {
        return Err(Error::refused_text(
            crate::text!("restore.needs_force", kept = kept.display()).text("loss", loss),
        ));
    }
    if kept.exists() && !req.overwrite {
        return Err(Error::refused_text(crate::text!(
            "restore.before_restore_kept",
            kept = kept.display()
        )));
    }
    crate::testhook::pause("restore-checked");
    let checked = archive::restore(file, db, rebuild_text_index)?.checked;
    Ok(Restored {
        checked,
        ahead,
        lost,
        kept: kept.exists().then_some(kept),
        text_index_rebuilt: rebuild_text_index,
    })
}

/// What putting the backup in place would lose of the database (its later or diverging
/// events, or a database that cannot be read), and how far the backup is ahead of it.
fn what_restoring_loses(
    file: &Path,
    db: &Path,
    backup_end: &crate::i18n::Text,
) -> Result<(Option<crate::i18n::Text>, Option<i64>)> {
    let mut ahead = None;
    let lost = match archive::lineage(file, db)? {
        Lineage::NoDatabase | Lineage::Same => None,
        Lineage::Ahead { more } => {
            ahead = Some(more);
            None
        }
        Lineage::Unreadable(why) => Some(crate::text!(
            "restore.live_unreadable",
            db = db.display(),
            why = why
        )),
        Lineage::Prefix { later, last_at } => Some(
            crate::text!(
                "restore.later_events_lost",
                at = crate::domain::date::local_display(&last_at),
                later = later
            )
            .text("backup_end", backup_end),
        ),
        Lineage::Diverged {
            common,
            live_later,
            backup_later,
        } => Some(crate::text!(
            "restore.diverged",
            common = common,
            live_later = live_later,
            backup_later = backup_later
        )),
    };
    Ok((lost, ahead))
}

/// `export --json DIR`.
pub struct ExportRequest<'a> {
    pub dir: &'a Path,
    pub include_contacts: bool,
    pub force: bool,
}

/// `export`: every table as JSON lines, in one snapshot; (table, rows) per file.
pub fn export(store: &Store, req: ExportRequest) -> Result<Vec<(String, u64)>> {
    archive::export_json(store, req.dir, req.include_contacts, req.force)
}

/// What `verify` found.
pub struct Verified {
    pub checked: audit::Checked,
    pub problems: Vec<audit::Problem>,
    /// The copy the last restore kept, if it is still there (verify never removes it: it may
    /// hold the only copy of events the restore replaced).
    pub kept: Option<PathBuf>,
    /// An import was stopped in its index stage: the listing indexes or the text index are
    /// not built yet (pending, not damage; the next command that writes builds them).
    pub indexes_pending: bool,
}

/// `verify`: the file checked read-only (the key from YISHI_KEY or YISHI_KEY_FILE, if set).
pub fn verify(db: &Path, anchors: &[Anchor], full_integrity: bool) -> Result<Verified> {
    let key = crate::store::audit_key()?;
    let expect = audit::Expect {
        anchors,
        key: key.as_deref(),
        full_integrity,
    };
    // Read-only: verify never creates, migrates or switches anything.
    let report = archive::check_file(db, &expect)?;
    let kept = archive::before_restore_path(db);
    let indexes_pending = report.problems.is_empty()
        && crate::store::schema::issue_indexes_missing(&crate::store::inspect::open(db)?.conn)?;
    Ok(Verified {
        checked: report.checked,
        problems: report.problems,
        kept: kept.exists().then_some(kept),
        indexes_pending,
    })
}

/// `ledger --year`: the year's 台账, in one snapshot.
pub fn ledger(store: &Store, year: i32) -> Result<ledger::Ledger> {
    store.read(|conn| ledger::load(conn, year))
}
