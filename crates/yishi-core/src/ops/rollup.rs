//! `rollup`: the street office's view of many communities' report packages. It reads package
//! files only (no database: the street never holds residents' contacts), checks each one's
//! hash, and combines them (domain::package::combine).

use crate::domain::package::{PackageError, Period, Read, Rollup, Summary, combine, read_file};
use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// The package files named: each file given, and the `*.yishi` files of each folder given.
pub fn files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut inside: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(|e| {
                    Error::io_text(
                        crate::text!("folder.cannot_read", dir = p.display()).os_error("error", &e),
                    )
                })?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.extension().is_some_and(|x| x == "yishi"))
                .collect();
            inside.sort();
            out.extend(inside);
        } else {
            out.push(p.clone());
        }
    }
    if out.is_empty() {
        return Err(Error::usage_text(crate::text!("rollup.no_packages")));
    }
    Ok(out)
}

/// Read and check one package file.
pub fn read(path: &Path) -> Result<Read> {
    let bytes = std::fs::read(path).map_err(|e| {
        Error::io_text(
            crate::text!("file.cannot_read", file = path.display()).os_error("error", &e),
        )
    })?;
    // The record sections (issues, meetings …) are skipped: rollup reads the figures only.
    let (package, sha256): (Summary, String) = read_file(&bytes).map_err(|e| {
        let file = path.display();
        Error::data_text(match e {
            PackageError::NotAPackage => crate::text!("rollup.not_a_package", file = file),
            PackageError::HashMismatch => crate::text!("rollup.changed", file = file),
            PackageError::UnknownVersion(v) => crate::text!(
                "rollup.unknown_version",
                file = file,
                version = v,
                reads = crate::domain::package::READS
                    .map(|v| v.to_string())
                    .join(", ")
            ),
        })
    })?;
    Ok(Read {
        file: path.display().to_string(),
        sha256,
        package,
    })
}

/// Combine the packages at `paths` for `period`. Every file is checked; one that fails its
/// hash is refused with its name, and nothing is combined.
pub fn rollup(paths: &[PathBuf], period: &Period) -> Result<Rollup> {
    let files = files(paths)?;
    Ok(combine(period, read_parallel(&files)?))
}

/// Read and check every file, on as many threads as there are cores (a district sends
/// hundreds of packages); the packages come back in the files' order, and the first file in
/// that order that fails is the error.
fn read_parallel(files: &[PathBuf]) -> Result<Vec<Read>> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, files.len().max(1));
    let mut slots: Vec<Option<Result<Read>>> = (0..files.len()).map(|_| None).collect();
    std::thread::scope(|scope| {
        let chunk = files.len().div_ceil(threads).max(1);
        for (files, slots) in files.chunks(chunk).zip(slots.chunks_mut(chunk)) {
            scope.spawn(move || {
                for (f, slot) in files.iter().zip(slots) {
                    *slot = Some(read(f));
                }
            });
        }
    });
    slots
        .into_iter()
        .map(|s| s.unwrap_or_else(|| Err(Error::internal("a package was not read"))))
        .collect()
}
