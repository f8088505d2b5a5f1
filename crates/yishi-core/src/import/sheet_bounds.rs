//! A workbook's size, checked before calamine reads it (issue 27, problem 6).
//!
//! calamine allocates a sheet's whole range at once (rows × columns of the used area, and a
//! declared `<dimension>` as capacity) and reads shared strings whole: a 2 KB file with one cell
//! at XFD1048576 asked for 24 GB, a cell reference of 19 characters overflowed, a whitespace
//! zip bomb and a 200 KB cell took gigabytes. So every part of an .xlsx (or .ods) is first
//! streamed through a small tag scanner that keeps only the current tag: parts, text runs,
//! tags, rows, columns, the used area and the shared strings are capped, and a file beyond a
//! cap is bad input (exit 65) naming the sheet and cell. Memory stays at a few hundred KB
//! whatever the file holds; what calamine then allocates is bounded by [`MAX_CELLS`].

use crate::error::{Error, Result};
use crate::i18n::Text;
use crate::text;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};

/// Rows and columns a sheet may use (Excel's rows; far fewer columns than Excel's 16,384:
/// an import never needs more than a few dozen).
pub const MAX_ROWS: u64 = 1_048_576;
pub const MAX_COLS: u64 = 256;
/// Cells of the used area (rows × columns from the first used cell to the last): about 32
/// bytes each once calamine holds them.
pub const MAX_CELLS: u64 = 4_000_000;
/// Bytes of one run of text (a cell's value, or what lies between two tags): Excel's own
/// limit of 32,767 characters, at up to four bytes each.
pub const MAX_TEXT: u64 = 4 * 32_767;
/// Bytes of one part of the file once decompressed.
pub const MAX_PART: u64 = 256 << 20;
/// Shared strings: how many, and their bytes in all.
pub const MAX_SHARED: u64 = 2_000_000;
pub const MAX_SHARED_BYTES: u64 = 64 << 20;
const MAX_TAG: usize = 64 << 10;
const MAX_ENTRIES: usize = 10_000;

/// Check a zip workbook; `name` is the file's name for messages. Not a zip: nothing to check.
pub fn check(bytes: &[u8], name: &str) -> Result<()> {
    if !bytes.starts_with(b"PK\x03\x04") {
        return Ok(());
    }
    // `what`: the part and the bound it passes.
    let bad = |what: Text| {
        Error::data_text(text!("import.sheet_out_of_bounds", name = name).text("what", &what))
    };
    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return Ok(()); // calamine reports a file it cannot open
    };
    if zip.len() > MAX_ENTRIES {
        return Err(bad(text!(
            "import.bounds.parts",
            n = zip.len(),
            max = MAX_ENTRIES
        )));
    }
    let sheets = sheet_names(&mut zip);
    for i in 0..zip.len() {
        let Ok(file) = zip.by_index(i) else {
            continue;
        };
        let Ok(part) = file.name().map(|n| n.into_owned()) else {
            continue;
        };
        let kind = if part.starts_with("xl/worksheets/") && part.ends_with(".xml") {
            Kind::Sheet(sheets.get(&part).cloned().unwrap_or_else(|| part.clone()))
        } else if part == "xl/sharedStrings.xml" {
            Kind::Shared
        } else {
            Kind::Other
        };
        scan(file, &part, kind).map_err(bad)?;
    }
    Ok(())
}

enum Kind {
    Sheet(String),
    Shared,
    Other,
}

/// Sheet parts by path (`xl/worksheets/sheet1.xml`) → the sheet's name, from workbook.xml and
/// its relationships. Unreadable: no names (messages then name the part).
fn sheet_names<R: Read + std::io::Seek>(zip: &mut zip::ZipArchive<R>) -> HashMap<String, String> {
    let mut tags = |part: &str| {
        let mut out = Vec::new();
        if let Ok(f) = zip.by_name(part) {
            let _ = each_tag(f, |tag| {
                out.push(tag.to_vec());
                Ok(())
            });
        }
        out
    };
    let targets: HashMap<String, String> = tags("xl/_rels/workbook.xml.rels")
        .iter()
        .filter_map(|t| Some((attr(t, "Id")?, attr(t, "Target")?)))
        .map(|(id, target)| {
            let path = match target.strip_prefix('/') {
                Some(abs) => abs.to_string(),
                None => format!("xl/{target}"),
            };
            (id, path)
        })
        .collect();
    tags("xl/workbook.xml")
        .iter()
        .filter(|t| tag_name(t) == b"sheet")
        .filter_map(|t| Some((targets.get(&attr(t, "r:id")?)?.clone(), attr(t, "name")?)))
        .collect()
}

/// A bound passed, at its place: `[问卷] cell B2: …`.
fn at(place: Text, reason: Text) -> Text {
    text!("import.bounds.at")
        .text("place", &place)
        .text("reason", &reason)
}

/// Stream one part: its size, its text runs and tags capped; in a sheet every cell placed and
/// the used area measured; in the shared strings their count and bytes.
fn scan(file: impl Read, part: &str, kind: Kind) -> std::result::Result<(), Text> {
    let where_ = |cell: &str| match &kind {
        Kind::Sheet(s) if cell.is_empty() => text!("import.bounds.in_sheet", sheet = s),
        Kind::Sheet(s) => text!("import.bounds.in_cell", sheet = s, cell = cell),
        Kind::Shared => text!("import.bounds.in_shared_strings"),
        Kind::Other => text!("import.bounds.in_part", part = part),
    };
    let mut pos = Position::default();
    let mut strings = 0u64;
    let scanned = scan_runs(file, |event| match event {
        Event::Tag(tag) => match (&kind, tag_name(tag)) {
            (Kind::Sheet(_), b"dimension") => {
                let Some(r) = attr(tag, "ref") else {
                    return Ok(());
                };
                let last = r.rsplit(':').next().unwrap_or("");
                match cell_ref(last) {
                    Some((row, col)) if row <= MAX_ROWS && col <= MAX_COLS => Ok(()),
                    _ => Err(at(
                        where_(""),
                        text!(
                            "import.bounds.declared",
                            size = crate::render::clean(&r.chars().take(40).collect::<String>()),
                            rows = MAX_ROWS,
                            cols = MAX_COLS
                        ),
                    )),
                }
            }
            (Kind::Sheet(_), b"row") => pos.row(attr(tag, "r")).map_err(|e| at(where_(""), e)),
            (Kind::Sheet(_), b"c") => pos
                .cell(attr(tag, "r"))
                .map_err(|(cell, e)| at(where_(&cell), e)),
            (Kind::Shared, b"si") => {
                strings += 1;
                if strings > MAX_SHARED {
                    return Err(at(
                        where_(""),
                        text!("import.bounds.strings", max = MAX_SHARED),
                    ));
                }
                Ok(())
            }
            _ => Ok(()),
        },
        Event::TooLong(what) => Err(at(where_(&pos.last_cell()), what)),
        Event::Bytes(n) => {
            let cap = if matches!(kind, Kind::Shared) {
                MAX_SHARED_BYTES
            } else {
                MAX_PART
            };
            if n > cap {
                return Err(at(
                    where_(""),
                    text!("import.bounds.part_size", part = part, mib = cap >> 20),
                ));
            }
            Ok(())
        }
    });
    scanned?;
    if let Kind::Sheet(_) = kind {
        pos.area().map_err(|e| at(where_(&pos.far_cell()), e))?;
    }
    Ok(())
}

/// Where a sheet's scan is, and the used area so far.
#[derive(Default)]
struct Position {
    row: u64,
    col: u64,
    min: Option<(u64, u64)>,
    max: (u64, u64),
}

impl Position {
    fn row(&mut self, r: Option<String>) -> std::result::Result<(), Text> {
        self.row = match r {
            Some(r) => r
                .parse::<u64>()
                .ok()
                .filter(|n| (1..=MAX_ROWS).contains(n))
                .ok_or_else(|| text!("import.bounds.row", value = short(&r), max = MAX_ROWS))?,
            None => self.row + 1,
        };
        self.col = 0;
        Ok(())
    }

    fn cell(&mut self, r: Option<String>) -> std::result::Result<(), (String, Text)> {
        let (row, col) = match r {
            Some(r) => {
                cell_ref(&r).ok_or_else(|| (short(&r), text!("import.bounds.not_a_cell")))?
            }
            None => (self.row.max(1), self.col + 1),
        };
        if row > MAX_ROWS || col > MAX_COLS {
            return Err((
                name_of(row, col),
                text!("import.bounds.beyond", rows = MAX_ROWS, cols = MAX_COLS),
            ));
        }
        (self.row, self.col) = (row, col);
        let (r0, c0) = self.min.unwrap_or((row, col));
        self.min = Some((r0.min(row), c0.min(col)));
        self.max = (self.max.0.max(row), self.max.1.max(col));
        self.area().map_err(|e| (name_of(row, col), e))
    }

    fn area(&self) -> std::result::Result<(), Text> {
        let Some((r0, c0)) = self.min else {
            return Ok(());
        };
        let cells = (self.max.0 - r0 + 1) * (self.max.1 - c0 + 1);
        if cells > MAX_CELLS {
            return Err(text!(
                "import.bounds.area",
                from = name_of(r0, c0),
                to = name_of(self.max.0, self.max.1),
                cells = cells,
                max = MAX_CELLS
            ));
        }
        Ok(())
    }

    fn last_cell(&self) -> String {
        if self.col == 0 {
            String::new()
        } else {
            name_of(self.row, self.col)
        }
    }

    fn far_cell(&self) -> String {
        name_of(self.max.0, self.max.1)
    }
}

fn short(s: &str) -> String {
    crate::render::clean(&s.chars().take(24).collect::<String>())
}

/// `B12` → (12, 2); None unless 1–3 letters and 1–7 digits (nothing can overflow).
fn cell_ref(r: &str) -> Option<(u64, u64)> {
    let letters = r.bytes().take_while(u8::is_ascii_alphabetic).count();
    let (col, row) = r.split_at(letters);
    if !(1..=3).contains(&letters)
        || !(1..=7).contains(&row.len())
        || !row.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let col = col.bytes().fold(0u64, |n, b| {
        n * 26 + u64::from(b.to_ascii_uppercase() - b'A' + 1)
    });
    let row: u64 = row.parse().ok().filter(|n| *n > 0)?;
    Some((row, col))
}

fn name_of(row: u64, col: u64) -> String {
    let mut letters = Vec::new();
    let mut c = col;
    while c > 0 {
        letters.push(b'A' + ((c - 1) % 26) as u8);
        c = (c - 1) / 26;
    }
    letters.reverse();
    format!("{}{row}", String::from_utf8_lossy(&letters))
}

enum Event<'a> {
    Tag(&'a [u8]),
    TooLong(Text),
    /// Bytes read so far.
    Bytes(u64),
}

fn each_tag(
    file: impl Read,
    mut f: impl FnMut(&[u8]) -> std::result::Result<(), Text>,
) -> std::result::Result<(), Text> {
    scan_runs(file, |e| match e {
        Event::Tag(t) => f(t),
        Event::TooLong(w) => Err(w),
        Event::Bytes(_) => Ok(()),
    })
}

/// The scanner: hands out each tag (without `<` and `>`), reports a text run or tag longer
/// than its cap, and the bytes read after every buffer. Holds one tag at most.
fn scan_runs(
    file: impl Read,
    mut on: impl FnMut(Event) -> std::result::Result<(), Text>,
) -> std::result::Result<(), Text> {
    let mut reader = BufReader::with_capacity(64 << 10, file);
    let (mut tag, mut in_tag, mut quote) = (Vec::new(), false, 0u8);
    let (mut text, mut total) = (0u64, 0u64);
    loop {
        let buf = match reader.fill_buf() {
            Ok([]) => return Ok(()),
            Ok(b) => b,
            Err(e) => return Err(text!("import.bounds.damaged", error = e)),
        };
        let n = buf.len();
        for &b in buf {
            if in_tag {
                if quote != 0 {
                    if b == quote {
                        quote = 0;
                    }
                } else if b == b'"' || b == b'\'' {
                    quote = b;
                } else if b == b'>' {
                    in_tag = false;
                    on(Event::Tag(&tag))?;
                    tag.clear();
                    continue;
                }
                if tag.len() >= MAX_TAG {
                    return on(Event::TooLong(text!(
                        "import.bounds.tag",
                        kib = MAX_TAG >> 10
                    )));
                }
                tag.push(b);
            } else if b == b'<' {
                in_tag = true;
                text = 0;
            } else {
                text += 1;
                if text > MAX_TEXT {
                    return on(Event::TooLong(text!("import.bounds.text", max = MAX_TEXT)));
                }
            }
        }
        reader.consume(n);
        total += n as u64;
        on(Event::Bytes(total))?;
    }
}

/// A tag's name without its namespace prefix (`x:c` → `c`).
fn tag_name(tag: &[u8]) -> &[u8] {
    let end = tag
        .iter()
        .position(|b| b.is_ascii_whitespace() || *b == b'/')
        .unwrap_or(tag.len());
    let name = &tag[..end];
    name.iter()
        .rposition(|b| *b == b':')
        .map_or(name, |i| &name[i + 1..])
}

/// The value of attribute `key` (`r`, `r:id`), with XML's five entities decoded.
fn attr(tag: &[u8], key: &str) -> Option<String> {
    let key = key.as_bytes();
    let mut i = 0;
    while i + key.len() < tag.len() {
        let before_ok = i > 0 && tag[i - 1].is_ascii_whitespace();
        if before_ok && tag[i..].starts_with(key) {
            let rest = &tag[i + key.len()..];
            let rest = rest.trim_ascii_start();
            if let Some(rest) = rest.strip_prefix(b"=") {
                let rest = rest.trim_ascii_start();
                let q = *rest.first()?;
                if q == b'"' || q == b'\'' {
                    let body = &rest[1..];
                    let end = body.iter().position(|b| *b == q)?;
                    let v = String::from_utf8_lossy(&body[..end]);
                    return Some(
                        v.replace("&lt;", "<")
                            .replace("&gt;", ">")
                            .replace("&quot;", "\"")
                            .replace("&apos;", "'")
                            .replace("&amp;", "&"),
                    );
                }
            }
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references() {
        assert_eq!(cell_ref("A1"), Some((1, 1)));
        assert_eq!(cell_ref("IV7"), Some((7, 256)));
        assert_eq!(cell_ref("XFD1048576"), Some((1_048_576, 16_384)));
        assert_eq!(cell_ref("ZZZZZZZZ99999999999"), None);
        assert_eq!(cell_ref("A0"), None);
        assert_eq!(name_of(1_048_576, 16_384), "XFD1048576");
        assert_eq!(name_of(3, 27), "AA3");
    }

    #[test]
    fn attributes() {
        let t = b"sheet name=\"A&amp;B\" sheetId=\"1\" r:id=\"rId1\"/";
        assert_eq!(attr(t, "name").as_deref(), Some("A&B"));
        assert_eq!(attr(t, "r:id").as_deref(), Some("rId1"));
        assert_eq!(attr(t, "id"), None);
        assert_eq!(tag_name(b"x:c r=\"A1\""), b"c");
    }
}
