//! What the 100-byte header of the database file says about the file itself, for messages that
//! tell the truth when it is damaged (issue 27, problem 10): a file cut short is called cut (not
//! "seals changed"), and a header that makes SQLite open the file read-only is named (not
//! "check the file's permissions").

use std::io::Read;
use std::path::Path;

/// How often a file that looks cut short is read again before it is called cut: another
/// process's checkpoint writes page 1 (with the new page count) before the pages that make the
/// file that long, so a file being checkpointed looks short for a moment. A cut file stays cut.
const CUT_LOOKS: u32 = 5;

/// What is wrong with the file as its header describes it, if anything.
pub fn problem(path: &Path) -> Option<crate::i18n::Text> {
    let mut found = look(path)?;
    for _ in 1..CUT_LOOKS {
        if found.key != "verify.cut_short" {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
        found = look(path)?;
    }
    Some(found)
}

/// What the header says is wrong, read once.
fn look(path: &Path) -> Option<crate::i18n::Text> {
    let mut header = [0u8; 100];
    let mut file = std::fs::File::open(path).ok()?;
    file.read_exact(&mut header).ok()?;
    if &header[..16] != b"SQLite format 3\0" {
        return None;
    }
    let (write_version, read_version) = (header[18], header[19]);
    if write_version > 2 || read_version > 2 {
        return Some(crate::text!(
            "verify.header_newer",
            file = path.display(),
            write = write_version,
            read = read_version
        ));
    }
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65_536u64,
        n => u64::from(n),
    };
    let pages = u64::from(u32::from_be_bytes(header[28..32].try_into().ok()?));
    let counter = &header[24..28];
    let valid_for = &header[92..96];
    let expected = page_size * pages;
    let actual = file.metadata().ok()?.len();
    let short = counter == valid_for && pages > 0 && actual < expected;
    (short && !wal_holds(path, page_size, pages)).then(|| {
        crate::text!(
            "verify.cut_short",
            file = path.display(),
            actual = actual,
            expected = expected,
            pages = pages,
            page_size = page_size
        )
    })
}

/// Whether the file's WAL holds a committed database of at least `pages` pages: a checkpoint
/// that was stopped (killed, the machine stopped) after writing page 1, with the page count
/// the WAL's last commit gave it, but before the pages after the file's end. Those pages are
/// still in the WAL, SQLite reads them from there, and the next write's checkpoint finishes
/// copying them: the file is whole, not cut. Only the frames of the WAL's current generation
/// (its salts) count.
fn wal_holds(path: &Path, page_size: u64, pages: u64) -> bool {
    use std::io::{Seek, SeekFrom};
    let mut wal_path = path.as_os_str().to_owned();
    wal_path.push("-wal");
    let Ok(mut wal) = std::fs::File::open(&wal_path) else {
        return false;
    };
    let mut header = [0u8; 32];
    if wal.read_exact(&mut header).is_err() {
        return false;
    }
    let be32 = |b: &[u8], at: usize| u32::from_be_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]);
    if !matches!(be32(&header, 0), 0x377f_0682 | 0x377f_0683)
        || u64::from(be32(&header, 8)) != page_size
    {
        return false;
    }
    // Each frame: 24 bytes (page number, pages after a commit, salts, checksums), then the page.
    let mut frame = [0u8; 24];
    let mut at = 32u64;
    while wal.seek(SeekFrom::Start(at)).is_ok() && wal.read_exact(&mut frame).is_ok() {
        if frame[8..16] == header[16..24] && u64::from(be32(&frame, 4)) >= pages {
            return true;
        }
        at += 24 + page_size;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::Connection;

    /// A file whose page 1 says it is longer than it is: cut short, unless its WAL holds the
    /// committed pages (a checkpoint stopped after writing page 1).
    #[test]
    fn a_short_file_is_cut_unless_its_wal_holds_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("y.db");
        let conn = Connection::open(&db).unwrap();
        conn.execute_batch(
            "PRAGMA page_size = 4096; PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0;
             CREATE TABLE t (x TEXT); INSERT INTO t VALUES ('a'); PRAGMA wal_checkpoint(TRUNCATE);
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)
             INSERT INTO t SELECT hex(randomblob(500)) FROM n;",
        )
        .unwrap();
        let grown: u32 = conn
            .query_row("PRAGMA page_count", [], |r| r.get(0))
            .unwrap();
        // Copy the file and its WAL as they are (the connection still holds them).
        let copy = dir.path().join("c.db");
        std::fs::copy(&db, &copy).unwrap();
        std::fs::copy(dir.path().join("y.db-wal"), dir.path().join("c.db-wal")).unwrap();
        drop(conn);
        // Page 1 as the checkpoint writes it: the grown page count.
        let mut bytes = std::fs::read(&copy).unwrap();
        assert!((bytes.len() as u64) < u64::from(grown) * 4096);
        bytes[28..32].copy_from_slice(&grown.to_be_bytes());
        std::fs::write(&copy, &bytes).unwrap();
        assert!(problem(&copy).is_none());
        // The WAL of another generation (other salts) holds nothing of this file.
        let wal = dir.path().join("c.db-wal");
        let mut log = std::fs::read(&wal).unwrap();
        log[16] ^= 0xff;
        std::fs::write(&wal, &log).unwrap();
        assert_eq!(problem(&copy).map(|t| t.key), Some("verify.cut_short"));
        // No WAL: cut.
        std::fs::remove_file(&wal).unwrap();
        assert_eq!(problem(&copy).map(|t| t.key), Some("verify.cut_short"));
    }
}
