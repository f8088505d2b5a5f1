//! `yishi backup`, `yishi restore` and `yishi export`: copies of the records.

use super::Ctx;
use std::path::PathBuf;
use yishi_core::error::Result;
use yishi_core::ops::archive;

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Example:\n  yishi backup backups/tingtang-2026-12-01.db\n\nWorks while others use the database (SQLite's online backup). The copy is written to a\ntemporary file beside the target, verified, and only then renamed: an interrupted backup\nleaves nothing at the target name. An existing file is replaced only with --overwrite.\nThe message ends with the chain head (记录校验码): keep it elsewhere, and\n`yishi verify --anchor` proves later that the log still passes through it."
)]
pub struct BackupArgs {
    /// The backup file to create (it must not exist; a missing folder is created).
    file: PathBuf,
}

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Example:\n  yishi restore backups/tingtang-2026-12-01.db\n\nThe backup is opened read-only and verified first; an empty, foreign or interrupted file is\nrefused. When the database has events the backup lacks (they would be lost), restore says\nwhich and needs --accept-loss. The replaced database is kept as <db>.before-restore until\nyou remove it (a later restore replaces it only with --overwrite). Writes wait or are refused (busy)\nwhile a restore runs, so none is lost."
)]
pub struct RestoreArgs {
    /// The backup to put back, made by `yishi backup`; it is verified first.
    file: PathBuf,
    /// Restore even though the database has events the backup lacks (they are lost; the
    /// replaced database is kept as <db>.before-restore).
    #[arg(long)]
    accept_loss: bool,
}

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Example:\n  yishi export --json archive/\n\nEach table becomes DIR/<table>.jsonl (one JSON object per row, keys as column names),\nwith DIR/manifest.json listing files, row counts and the chain head. Phone numbers and\naddresses are left out unless --include-contacts. Files that exist need --overwrite."
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
    let req = archive::BackupRequest {
        dest: &a.file,
        force: ctx.out.overwrite,
    };
    let checked = archive::backup(ctx.reader()?, req)?;
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
    let done = archive::restore(archive::RestoreRequest {
        backup: &a.file,
        db: &ctx.db_path,
        accept_loss: a.accept_loss || ctx.force,
        overwrite: ctx.out.overwrite,
    })?;
    if let Some(more) = done.ahead {
        ctx.out.note(&format!(
            "the backup continues the database's log with {more} more event(s)"
        ));
    }
    if let Some(loss) = &done.lost {
        ctx.out.warn(loss);
    }
    if done.text_index_rebuilt {
        ctx.out.note(
            "the backup's text index (for `issue list --grep`) did not match its issues: it was built again from them",
        );
    }
    let checked = done.checked;
    ctx.out.note(&format!(
        "restored {} from {} ({} events, {} rows; verified){}{}",
        ctx.db_path.display(),
        a.file.display(),
        checked.events,
        checked.rows,
        match &done.kept {
            Some(kept) => format!(
                "; the replaced database is kept as {} until you remove it",
                kept.display()
            ),
            None => String::new(),
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
    let req = archive::ExportRequest {
        dir: &a.dir,
        include_contacts: a.include_contacts,
        force: ctx.out.overwrite,
    };
    let counts = archive::export(ctx.reader()?, req)?;
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
