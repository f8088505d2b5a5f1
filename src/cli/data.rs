//! `yishi backup`, `yishi restore` and `yishi export`: copies of the records.

use super::Ctx;
use std::path::PathBuf;
use yishi_core::error::Result;
use yishi_core::ops::archive;

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Example:\n  yishi backup backups/tingtang-2026-12-01.db\n\nWorks while others use the database (SQLite's online backup). The copy is written to a\ntemporary file beside the target, verified, and only then renamed: an interrupted backup\nleaves nothing at the target name. A copy whose only faults are in the data derived from\nthe issues (the text index, the packed keys) has that data built again and is checked again,\nwith a warning. An existing file is replaced only with --overwrite.\nThe message ends with the chain head (记录校验码): keep it elsewhere, and\n`yishi verify --anchor` proves later that the log still passes through it."
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
    let archive::BackedUp {
        checked,
        derived_faults,
    } = archive::backup(ctx.reader()?, req)?;
    if derived_faults > 0 {
        ctx.out.warn_text(&yishi_core::text!(
            "backup.derived_faults",
            n = derived_faults
        ));
    }
    ctx.out.say(&yishi_core::text!(
        "backup.done",
        file = a.file.display(),
        events = checked.events,
        rows = checked.rows
    ));
    if let Some(h) = checked.head {
        ctx.out.note(&h.label());
    }
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
        ctx.out
            .say(&yishi_core::text!("restore.ahead", more = more));
    }
    if let Some(loss) = &done.lost {
        ctx.out.warn_text(loss);
    }
    if done.text_index_rebuilt {
        ctx.out
            .say(&yishi_core::text!("restore.text_index_rebuilt"));
    }
    let checked = done.checked;
    let restored = match &done.kept {
        Some(kept) => yishi_core::text!("restore.done_kept", kept = kept.display()),
        None => yishi_core::text!("restore.done"),
    };
    ctx.out.say(
        &restored
            .arg("db", ctx.db_path.display())
            .arg("file", a.file.display())
            .arg("events", checked.events)
            .arg("rows", checked.rows),
    );
    if let Some(h) = checked.head {
        ctx.out.note(&h.label());
    }
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
    let key = if a.include_contacts {
        "export.done"
    } else {
        "export.done_no_contacts"
    };
    ctx.out.say(
        &yishi_core::i18n::Text::new(key)
            .arg("tables", counts.len())
            .arg("rows", rows)
            .arg("dir", a.dir.display()),
    );
    Ok(())
}
