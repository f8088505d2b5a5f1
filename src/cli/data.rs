//! `yishi backup`, `yishi restore` and `yishi export`: copies of the records.

use super::Ctx;
use crate::error::{Error, Result};
use crate::store::archive;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Example:\n  yishi backup backups/tingtang-2026-12-01.db\n\nWorks while others use the database (SQLite's online backup); the copy is checked with verify."
)]
pub struct BackupArgs {
    /// The backup file to create (it must not exist; a missing folder is created).
    file: PathBuf,
}

#[derive(clap::Args, Debug)]
#[command(after_help = "Example:\n  yishi restore backups/tingtang-2026-12-01.db --force")]
pub struct RestoreArgs {
    /// The backup to put back, made by `yishi backup`; it is verified first.
    file: PathBuf,
    /// Replace the current database (it is required when one exists).
    #[arg(long)]
    force: bool,
}

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Example:\n  yishi export --json archive/\n\nEach table becomes DIR/<table>.jsonl (one JSON object per row, keys as column names),\nwith DIR/manifest.json listing files and row counts. Phone numbers and addresses are\nleft out unless --include-contacts."
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
    ctx.store()?.backup_to(&a.file)?;
    let (checked, problems) = archive::check_backup(&a.file)?;
    if !problems.is_empty() {
        return Err(Error::refused(format!(
            "the backup {} was written but does not verify ({} problem(s), the first: {}): the database itself has problems; run `yishi verify`",
            a.file.display(),
            problems.len(),
            problems[0].message
        )));
    }
    ctx.out.note(&format!(
        "backed up to {} ({} events, {} rows; verified)",
        a.file.display(),
        checked.events,
        checked.rows
    ));
    Ok(())
}

pub fn restore(a: RestoreArgs, ctx: &mut Ctx) -> Result<()> {
    if !a.file.exists() {
        return Err(Error::data(format!("no backup at {}", a.file.display())));
    }
    let (checked, problems) = archive::check_backup(&a.file)?;
    if !problems.is_empty() {
        return Err(Error::refused(format!(
            "{} does not verify ({} problem(s), the first: {}): it was not restored",
            a.file.display(),
            problems.len(),
            problems[0].message
        )));
    }
    if ctx.db_path.exists() && !a.force {
        return Err(Error::refused(format!(
            "{} exists: restoring replaces it entirely; give --force (consider `yishi backup` of it first)",
            ctx.db_path.display()
        )));
    }
    archive::restore(&a.file, &ctx.db_path)?;
    ctx.out.note(&format!(
        "restored {} from {} ({} events, {} rows; verified)",
        ctx.db_path.display(),
        a.file.display(),
        checked.events,
        checked.rows
    ));
    Ok(())
}

pub fn export(a: ExportArgs, ctx: &mut Ctx) -> Result<()> {
    let _ = a.json;
    let counts = archive::export_json(ctx.store()?, &a.dir, a.include_contacts)?;
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
