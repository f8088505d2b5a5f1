//! Every file yishi writes (minutes, notices, reports, exports, rejects, backups) goes through
//! here, so that one set of rules holds for all of them:
//! - it is written to a temporary file beside the target and renamed into place only when
//!   complete, so a killed command never leaves a half-written file at the target name;
//! - an existing target is replaced only with `--force`;
//! - a symbolic link at the target, or at any folder of the path below the current folder, is
//!   refused (it could point anywhere);
//! - only regular files are written: a device, pipe or socket at the target is refused, even
//!   with `--force` (it is not a document, and replacing `/dev/full` breaks the machine);
//! - files are 0600 and folders 0700 (a missing folder is made): they hold residents' data;
//! - a temporary file is locked while it is written, and one left by a killed run (unlocked)
//!   is removed by the next write of the same name.

use crate::error::{Error, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

/// A file being written: a private temporary file beside its target.
pub struct Pending {
    tmp: tempfile::NamedTempFile,
    dest: PathBuf,
    force: bool,
}

/// An I/O error while writing `path`: a full disk is said plainly (exit 74).
pub fn io_error(path: &Path, e: &std::io::Error) -> Error {
    if e.kind() == std::io::ErrorKind::StorageFull || e.raw_os_error() == Some(28) {
        Error::io_text(crate::text!("outfile.disk_full", path = path.display()))
    } else {
        Error::io_text(
            crate::text!("outfile.cannot_write", path = path.display()).os_error("error", e),
        )
    }
}

/// Check that `dest` may be written: no symlink on its way, a regular file if anything,
/// not existing unless `force`.
/// The refusal for a target that exists, naming the flag that replaces it.
fn exists(shown: &str) -> Error {
    Error::refused_text(crate::text!("outfile.exists", path = shown))
}

pub fn check_target(dest: &Path, force: bool) -> Result<()> {
    let shown = dest.display();
    refuse_linked_folders(parent_of(dest))?;
    if let Ok(meta) = std::fs::symlink_metadata(dest) {
        if meta.file_type().is_symlink() {
            return Err(Error::refused_text(crate::text!(
                "outfile.symlink",
                path = &shown
            )));
        }
        if meta.is_dir() {
            return Err(Error::data_text(crate::text!(
                "outfile.is_a_folder",
                path = &shown
            )));
        }
        if !meta.is_file() {
            return Err(Error::refused_text(crate::text!(
                "outfile.not_regular",
                path = &shown
            )));
        }
        if !force {
            return Err(exists(&shown.to_string()));
        }
    }
    Ok(())
}

/// Refuse a symlink at any folder of `dir` below the current folder (all of a relative path,
/// the part of an absolute one inside the current folder): `-o linkdir/sub/m.md` would write
/// wherever the link points, as `-o linkdir/m.md` would.
fn refuse_linked_folders(dir: &Path) -> Result<()> {
    let below = if dir.is_absolute() {
        match std::env::current_dir() {
            Ok(cwd) => match dir.strip_prefix(&cwd) {
                Ok(rest) => (cwd, rest.to_path_buf()),
                Err(_) => return Ok(()),
            },
            Err(_) => return Ok(()),
        }
    } else {
        (PathBuf::new(), dir.to_path_buf())
    };
    let (mut at, rest) = below;
    for part in rest.components() {
        at.push(part);
        if matches!(part, std::path::Component::CurDir) {
            continue;
        }
        if std::fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(Error::refused_text(crate::text!(
                "outfile.symlink",
                path = at.display()
            )));
        }
    }
    Ok(())
}

/// Remove the temporary files `.NAME.*.yishi-tmp` in `dir` that no running yishi holds: left
/// by a killed run (a backup's can be as large as the database, and a full copy of it).
pub fn remove_stale(dir: &Path, name: &str) {
    let prefix = format!(".{name}.");
    let candidates = |dir: &Path| -> Vec<(PathBuf, String)> {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return Vec::new();
        };
        entries
            .flatten()
            .map(|e| (e.path(), e.file_name().to_string_lossy().into_owned()))
            .filter(|(_, n)| n.starts_with(&prefix))
            .collect()
    };
    // A file made in the last seconds may be another run's, between its creation and its
    // lock: left alone.
    let old_file = |path: &Path| {
        std::fs::symlink_metadata(path).is_ok_and(|meta| {
            meta.is_file()
                && meta
                    .modified()
                    .ok()
                    .and_then(|m| m.elapsed().ok())
                    .is_some_and(|age| age >= std::time::Duration::from_secs(10))
        })
    };
    for (path, n) in candidates(dir) {
        if n.ends_with(TMP_SUFFIX)
            && old_file(&path)
            && std::fs::File::open(&path).is_ok_and(|f| f.try_lock().is_ok())
        {
            let _ = std::fs::remove_file(&path);
        }
    }
    // SQLite's companions of a temporary copy (a killed backup leaves its rollback journal):
    // gone with the copy they belong to.
    for (path, n) in candidates(dir) {
        let base = ["-journal", "-wal", "-shm"]
            .iter()
            .find_map(|s| n.strip_suffix(s))
            .filter(|b| b.ends_with(TMP_SUFFIX));
        if let Some(base) = base
            && !dir.join(base).exists()
            && old_file(&path)
        {
            let _ = std::fs::remove_file(&path);
        }
    }
}

/// How yishi's temporary files and folders end.
pub const TMP_SUFFIX: &str = ".yishi-tmp";

fn parent_of(dest: &Path) -> &Path {
    dest.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

impl Pending {
    /// Start writing `dest`; nothing appears at `dest` until [`Pending::commit`].
    pub fn new(dest: &Path, force: bool) -> Result<Pending> {
        check_target(dest, force)?;
        // A missing folder is made, owner-only: `yishi backup backups/2026-12-01.db` works as
        // written.
        create_dir(parent_of(dest))?;
        let name = dest
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "file".into());
        remove_stale(parent_of(dest), &name);
        // tempfile creates the file with mode 0600 and O_EXCL, and removes it when dropped
        // (every error path); the lock tells a later run that this one is alive.
        let tmp = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(TMP_SUFFIX)
            .tempfile_in(parent_of(dest))
            .map_err(|e| io_error(dest, &e))?;
        tmp.as_file()
            .try_lock()
            .map_err(|e| io_error(dest, &std::io::Error::other(e)))?;
        Ok(Pending {
            tmp,
            dest: dest.to_path_buf(),
            force,
        })
    }

    /// The temporary file's path (for SQLite, which opens files itself).
    pub fn path(&self) -> &Path {
        self.tmp.path()
    }

    pub fn dest(&self) -> &Path {
        &self.dest
    }

    pub fn write_all(&mut self, bytes: &[u8]) -> Result<()> {
        self.tmp
            .as_file_mut()
            .write_all(bytes)
            .map_err(|e| io_error(&self.dest, &e))
    }

    /// Another handle on the temporary file, for a writer that owns its file.
    pub fn handle(&self) -> Result<std::fs::File> {
        self.tmp
            .as_file()
            .try_clone()
            .map_err(|e| io_error(&self.dest, &e))
    }

    /// A buffered writer over the temporary file.
    pub fn writer(&mut self) -> std::io::BufWriter<&mut std::fs::File> {
        std::io::BufWriter::new(self.tmp.as_file_mut())
    }

    /// Flush to disk and rename into place. The target is checked again just before, so a
    /// symlink or file that appeared meanwhile is not overwritten without --force.
    pub fn commit(self) -> Result<()> {
        let dest = self.dest;
        // Reopen by path: SQLite may have written the file through its own handle.
        std::fs::File::open(self.tmp.path())
            .and_then(|f| f.sync_all())
            .map_err(|e| io_error(&dest, &e))?;
        check_target(&dest, self.force)?;
        let persisted = if self.force {
            self.tmp.persist(&dest).map(|_| ())
        } else {
            self.tmp.persist_noclobber(&dest).map(|_| ())
        };
        persisted.map_err(|e| {
            if e.error.kind() == std::io::ErrorKind::AlreadyExists {
                exists(&dest.display().to_string())
            } else {
                io_error(&dest, &e.error)
            }
        })?;
        // Make the rename itself durable.
        if let Ok(dir) = std::fs::File::open(parent_of(&dest)) {
            let _ = dir.sync_all();
        }
        Ok(())
    }
}

/// Write `bytes` to `dest` by the rules above.
pub fn write(dest: &Path, bytes: &[u8], force: bool) -> Result<()> {
    let mut p = Pending::new(dest, force)?;
    p.write_all(bytes)?;
    p.commit()
}

/// Create a folder for output (and its parents), private to its owner. A symlink is refused.
pub fn create_dir(dir: &Path) -> Result<()> {
    refuse_linked_folders(dir)?;
    if let Ok(meta) = std::fs::symlink_metadata(dir) {
        if meta.file_type().is_symlink() {
            return Err(Error::refused_text(crate::text!(
                "outfile.symlink",
                path = dir.display()
            )));
        }
        if !meta.is_dir() {
            return Err(Error::data_text(crate::text!(
                "outfile.not_a_folder",
                path = dir.display()
            )));
        }
        return Ok(());
    }
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir).map_err(|e| io_error(dir, &e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_symlinks_and_existing_files_and_writes_private_files() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("victim");
        std::fs::write(&target, "keep").unwrap();
        let link = dir.path().join("out.md");
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&target, &link).unwrap();
            let e = write(&link, b"evil", true).unwrap_err();
            assert!(e.message.contains("symbolic link"), "{e}");
            assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep");
        }
        let e = write(&target, b"new", false).unwrap_err();
        assert!(e.message.contains("--overwrite"), "{e}");
        write(&target, b"new", true).unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&target).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
            let sub = dir.path().join("a/b");
            create_dir(&sub).unwrap();
            let mode = std::fs::metadata(&sub).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o700);
        }
        // Nothing else is left in the folder: no temporary files.
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert!(
            names
                .iter()
                .all(|n| !n.to_string_lossy().contains("yishi-tmp"))
        );
    }
}
