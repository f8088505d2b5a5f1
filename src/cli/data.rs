//! `yishi backup`, `yishi restore` and `yishi export`: copies of the records.

use super::Ctx;
use crate::error::{Error, Result};
use crate::store::archive::{self, Lineage};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Example:\n  yishi backup backups/tingtang-2026-12-01.db\n\nWorks while others use the database (SQLite's online backup). The copy is written to a\ntemporary file beside the target, verified, and only then renamed: an interrupted backup\nleaves nothing at the target name. An existing file is replaced only with --force.\nThe message ends with the chain head (记录校验码): keep it elsewhere, and\n`yishi verify --anchor` proves later that the log still passes through it."
)]
pub struct BackupArgs {
    /// The backup file to create (it must not exist; a missing folder is created).
    file: PathBuf,
}

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Example:\n  yishi restore backups/tingtang-2026-12-01.db\n\nThe backup is opened read-only and verified first; an empty, foreign or interrupted file is\nrefused. When the database has events the backup lacks (they would be lost), restore says\nwhich and needs --force. The replaced database is kept as <db>.before-restore until the\nnext successful `yishi verify`."
)]
pub struct RestoreArgs {
    /// The backup to put back, made by `yishi backup`; it is verified first.
    file: PathBuf,
}

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Example:\n  yishi export --json archive/\n\nEach table becomes DIR/<table>.jsonl (one JSON object per row, keys as column names),\nwith DIR/manifest.json listing files, row counts and the chain head. Phone numbers and\naddresses are left out unless --include-contacts. Files that exist need --force."
)]
pub struct ExportArgs {
    /// Write JSON lines (the only format, stated for scripts' clarity).
    #[arg(long, required = true)]
    json: bool,
    /// The folder to write into.
    dir: PathBuf,
    /// Include phone numbers and addresses.
    #[arg(long)]
    include_contacts: bool,
}

pub fn backup(a: BackupArgs, ctx: &mut Ctx) -> Result<()> {
    let force = ctx.out.force;
    let checked = archive::backup(ctx.store()?, &a.file, force)?.checked;
    ctx.out.note(&format!(
        "backed up to {} ({} events, {} rows; verified){}",
        a.file.display(),
        checked.events,
        checked.rows,
        checked
            .head
            .map(|h| format!("\n{}", h.label()))
            .unwrap_or_default()
    ));
    Ok(())
}

pub fn restore(a: RestoreArgs, ctx: &mut Ctx) -> Result<()> {
    if !a.file.exists() {
        return Err(Error::data(format!(
            "no backup at {}: nothing was changed",
            a.file.display()
        )));
    }
    let check = archive::check_file(&a.file, &Default::default())?;
    if !check.problems.is_empty() {
        return Err(Error::refused(format!(
            "{} does not verify ({} problem(s), the first: {}): it was not restored",
            a.file.display(),
            check.problems.len(),
            check.problems[0].message
        )));
    }
    let backup_end = check
        .checked
        .head
        .as_ref()
        .map_or("the backup has no events".to_string(), |h| {
            format!("the backup ends at event #{}", h.seq)
        });
    let loss = match archive::lineage(&a.file, &ctx.db_path)? {
        Lineage::NoDatabase | Lineage::Same => None,
        Lineage::Ahead { more } => {
            ctx.out.note(&format!(
                "the backup continues the database's log with {more} more event(s)"
            ));
            None
        }
        Lineage::Unreadable(why) => Some(format!(
            "the database {} cannot be read as a yishi database ({why}); it will be replaced",
            ctx.db_path.display()
        )),
        Lineage::Prefix { later, last_at } => Some(format!(
            "{backup_end} of {}; the database has {later} later event(s), which will be lost",
            crate::domain::date::local_display(&last_at)
        )),
        Lineage::Diverged {
            common,
            live_later,
            backup_later,
        } => Some(format!(
            "the backup and the database part ways after event #{common}: the database's {live_later} later event(s) will be lost, replaced by the backup's {backup_later}"
        )),
    };
    if let Some(loss) = &loss {
        if !ctx.out.force {
            return Err(Error::refused(format!(
                "not restored: {loss}. Give --force to restore anyway (the database is kept as {})",
                archive::before_restore_path(&ctx.db_path).display()
            )));
        }
        ctx.out.warn(loss);
    }
    let kept = archive::before_restore_path(&ctx.db_path);
    if kept.exists() && !ctx.out.force {
        return Err(Error::refused(format!(
            "not restored: {} still holds the database an earlier restore replaced. Run `yishi verify` \
             (it removes that copy once the database checks out), move it away, or give --force to replace it",
            kept.display()
        )));
    }
    let checked = archive::restore(&a.file, &ctx.db_path)?.checked;
    ctx.out.note(&format!(
        "restored {} from {} ({} events, {} rows; verified){}{}",
        ctx.db_path.display(),
        a.file.display(),
        checked.events,
        checked.rows,
        if archive::before_restore_path(&ctx.db_path).exists() {
            format!(
                "; the replaced database is kept as {} until the next successful verify",
                archive::before_restore_path(&ctx.db_path).display()
            )
        } else {
            String::new()
        },
        checked
            .head
            .map(|h| format!("\n{}", h.label()))
            .unwrap_or_default()
    ));
    Ok(())
}

pub fn export(a: ExportArgs, ctx: &mut Ctx) -> Result<()> {
    let _ = a.json;
    let force = ctx.out.force;
    let counts = archive::export_json(ctx.store()?, &a.dir, a.include_contacts, force)?;
    let rows: u64 = counts.iter().map(|(_, n)| n).sum();
    ctx.out.note(&format!(
        "exported {} tables, {rows} rows, to {}{}",
        counts.len(),
        a.dir.display(),
        if a.include_contacts {
            " (with contact details)"
        } else {
            " (contact details left out)"
        }
    ));
    Ok(())
}
