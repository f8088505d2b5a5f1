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
    (counter == valid_for && pages > 0 && actual < expected).then(|| {
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
