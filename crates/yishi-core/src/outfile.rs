//! Every file yishi writes (minutes, notices, reports, exports, rejects, backups) goes through
//! here, so that one set of rules holds for all of them:
//! - it is written to a temporary file beside the target and renamed into place only when
//!   complete, so a killed command never leaves a half-written file at the target name;
//! - an existing target is replaced only with `--force`;
//! - a symbolic link at the target is refused (it could point anywhere);
//! - files are 0600 and folders 0700 (a missing folder is made): they hold residents' data.

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
        Error::io(format!(
            "the disk is full: {} was not written (nothing else changed); free some space and try again",
            path.display()
        ))
    } else {
        Error::io(format!("cannot write {}: {e}", path.display()))
    }
}

/// Check that `dest` may be written: not a symlink, not a folder, not existing unless `force`.
pub fn check_target(dest: &Path, force: bool) -> Result<()> {
    let shown = dest.display();
    if let Ok(meta) = std::fs::symlink_metadata(dest) {
        if meta.file_type().is_symlink() {
            return Err(Error::refused(format!(
                "{shown} is a symbolic link: yishi does not write through links (it could point anywhere); give the real path"
            )));
        }
        if meta.is_dir() {
            return Err(Error::data(format!("{shown} is a folder, not a file")));
        }
        if !force {
            return Err(Error::refused(format!(
                "{shown} already exists: give --force to replace it, or choose another name"
            )));
        }
    }
    Ok(())
}

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
        // tempfile creates the file with mode 0600 and O_EXCL.
        let tmp = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".yishi-tmp")
            .tempfile_in(parent_of(dest))
            .map_err(|e| io_error(dest, &e))?;
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
                Error::refused(format!(
                    "{} already exists: give --force to replace it, or choose another name",
                    dest.display()
                ))
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
    if let Ok(meta) = std::fs::symlink_metadata(dir) {
        if meta.file_type().is_symlink() {
            return Err(Error::refused(format!(
                "{} is a symbolic link: yishi does not write through links; give the real path",
                dir.display()
            )));
        }
        if !meta.is_dir() {
            return Err(Error::data(format!(
                "{} exists and is not a folder",
                dir.display()
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
        assert!(e.message.contains("--force"), "{e}");
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
