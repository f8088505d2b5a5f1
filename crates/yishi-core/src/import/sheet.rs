//! Spreadsheets (.xlsx, .xls, .ods, as survey platforms and grid workers save them), read with
//! calamine and handed on row by row as the CSV reader's records, so that every import command
//! validates, reports and loads them exactly as it does CSV.

use crate::error::{Error, Result};
use calamine::{Data, Range, Reader, Sheets};
use std::io::Cursor;

/// A zip container (.xlsx, .ods) or an OLE compound file (.xls).
pub fn is_spreadsheet(head: &[u8]) -> bool {
    head.starts_with(b"PK\x03\x04") || head.starts_with(&OLE_MAGIC)
}

const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// The rows of one sheet after its header row.
pub struct SheetRows {
    pub sheet_name: String,
    pub headers: Vec<String>,
    range: Range<Data>,
    /// Index (within the range) of the next row to hand out.
    next: usize,
    /// The sheet's row number of the range's first row, minus one (rows count from 1).
    first_row: u64,
    date_columns: Vec<usize>,
    /// The file's size, spread over the rows for a progress bar measured in bytes.
    size: u64,
}

fn workbook(bytes: &[u8]) -> std::result::Result<Sheets<Cursor<&[u8]>>, String> {
    use calamine::{Ods, Xls, Xlsb, Xlsx, open_workbook_from_rs};
    let cursor = Cursor::new(bytes);
    if bytes.starts_with(&OLE_MAGIC) {
        return open_workbook_from_rs::<Xls<_>, _>(cursor)
            .map(Sheets::Xls)
            .map_err(|e| e.to_string());
    }
    match open_workbook_from_rs::<Xlsx<_>, _>(cursor.clone()) {
        Ok(w) => Ok(Sheets::Xlsx(w)),
        Err(xlsx) => open_workbook_from_rs::<Ods<_>, _>(cursor.clone())
            .map(Sheets::Ods)
            .or_else(|_| open_workbook_from_rs::<Xlsb<_>, _>(cursor).map(Sheets::Xlsb))
            .map_err(|_| xlsx.to_string()),
    }
}

/// An open workbook, with its sheets' names and the file's name for messages.
struct Book<'a> {
    sheets: Sheets<Cursor<&'a [u8]>>,
    names: Vec<String>,
    file: &'a str,
}

impl<'a> Book<'a> {
    fn open(bytes: &'a [u8], file: &'a str) -> Result<Book<'a>> {
        let sheets = workbook(bytes).map_err(|e| {
            Error::data_text(crate::text!(
                "import.sheet_unreadable",
                name = file,
                error = e
            ))
        })?;
        let names = sheets.sheet_names();
        Ok(Book {
            sheets,
            names,
            file,
        })
    }

    /// The sheets as messages list them: `1 "问卷", 2 "说明"`.
    fn listed(&self) -> String {
        self.names
            .iter()
            .enumerate()
            .map(|(i, n)| format!("{} \"{n}\"", i + 1))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn read(&mut self, sheet: &str) -> Result<Range<Data>> {
        self.sheets.worksheet_range(sheet).map_err(|e| {
            Error::data_text(crate::text!(
                "import.sheet_cannot_read",
                name = self.file,
                sheet = sheet,
                error = e
            ))
        })
    }

    /// The sheet named `wanted`, or numbered so (1 = the first).
    fn chosen(&mut self, wanted: &str) -> Result<(String, Range<Data>)> {
        let chosen = self
            .names
            .iter()
            .find(|n| n.as_str() == wanted)
            .or_else(|| {
                wanted
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| i.checked_sub(1))
                    .and_then(|i| self.names.get(i))
            })
            .cloned()
            .ok_or_else(|| {
                Error::usage_text(crate::text!(
                    "import.no_such_sheet",
                    value = wanted,
                    name = self.file,
                    sheets = self.listed()
                ))
            })?;
        let range = self.read(&chosen)?;
        Ok((chosen, range))
    }

    /// The first sheet with something in it.
    fn first_with_data(&mut self) -> Result<(String, Range<Data>)> {
        for n in self.names.clone() {
            let range = self.read(&n)?;
            if range.used_cells().any(|(_, _, c)| !cell_is_blank(c)) {
                return Ok((n, range));
            }
        }
        Err(Error::data_text(crate::text!(
            "import.no_sheet_with_data",
            name = self.file,
            sheets = self.listed()
        )))
    }
}

impl SheetRows {
    /// Open the chosen sheet (by name or 1-based number), or the first one with data.
    pub fn open(bytes: &[u8], name: &str, wanted: Option<&str>) -> Result<SheetRows> {
        // Within bounds before calamine allocates anything (issue 27).
        super::sheet_bounds::check(bytes, name)?;
        let mut book = Book::open(bytes, name)?;
        let (sheet_name, range) = match wanted {
            Some(w) => book.chosen(w)?,
            None => book.first_with_data()?,
        };
        let first_row = range.start().map_or(0, |(r, _)| u64::from(r));
        let rows = SheetRows {
            sheet_name,
            headers: Vec::new(),
            range,
            next: 0,
            first_row,
            date_columns: Vec::new(),
            size: 0,
        };
        rows.after_header(name)
    }

    /// The rows after the header, which is the first row with something in it (a title row
    /// above it is not uncommon, but its cells would not name fields; the mapping reports
    /// that). `name` is the file's, for the message of a sheet without one.
    fn after_header(mut self, name: &str) -> Result<SheetRows> {
        let height = self.range.height();
        while self.next < height {
            let i = self.next;
            self.next += 1;
            let cells = self.row_strings(i);
            if cells.iter().any(|c| !c.trim().is_empty()) {
                self.headers = cells.into_iter().map(|c| c.trim().to_string()).collect();
                return Ok(self);
            }
        }
        Err(Error::data_text(crate::text!(
            "import.sheet_no_header",
            name = name,
            sheet = &self.sheet_name
        )))
    }

    pub fn with_size(mut self, size: u64) -> SheetRows {
        self.size = size;
        self
    }

    /// Columns whose numbers are Excel serial dates.
    pub fn set_date_columns(&mut self, cols: impl IntoIterator<Item = usize>) {
        self.date_columns = cols.into_iter().collect();
    }

    fn row_strings(&self, i: usize) -> Vec<String> {
        let width = self.range.width();
        (0..width)
            .map(|c| {
                let cell = self.range.get((i, c)).unwrap_or(&Data::Empty);
                cell_text(cell, self.date_columns.contains(&c))
            })
            .collect()
    }

    /// Fill `record` with the next row; false at the end. Its position carries the sheet's
    /// row number as the line, and a byte offset proportional to the rows read.
    pub fn next_record(&mut self, record: &mut csv::ByteRecord) -> bool {
        let height = self.range.height();
        if self.next >= height {
            return false;
        }
        let i = self.next;
        self.next += 1;
        record.clear();
        let width = self.range.width();
        let mut buf = String::new();
        for c in 0..width {
            let cell = self.range.get((i, c)).unwrap_or(&Data::Empty);
            buf.clear();
            write_cell(&mut buf, cell, self.date_columns.contains(&c));
            record.push_field(buf.as_bytes());
        }
        let mut pos = csv::Position::new();
        pos.set_line(self.first_row + i as u64 + 1);
        pos.set_byte(self.byte_position());
        pos.set_record(i as u64);
        record.set_position(Some(pos));
        true
    }

    pub fn byte_position(&self) -> u64 {
        let height = self.range.height().max(1) as u64;
        self.size.saturating_mul(self.next as u64) / height
    }
}

fn cell_is_blank(c: &Data) -> bool {
    match c {
        Data::Empty => true,
        Data::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

fn cell_text(cell: &Data, date_column: bool) -> String {
    let mut s = String::new();
    write_cell(&mut s, cell, date_column);
    s
}

/// A cell as the CSV export of the same sheet would show it: whole numbers without `.0` (phone
/// numbers stored as numbers), dates as YYYY-MM-DD (with the time when there is one), and in a
/// date column a plain number read as an Excel serial date.
fn write_cell(out: &mut String, cell: &Data, date_column: bool) {
    use std::fmt::Write;
    match cell {
        Data::Empty => {}
        Data::String(s) => out.push_str(s),
        Data::Int(i) if date_column => write_serial(out, *i as f64),
        Data::Float(f) if date_column => write_serial(out, *f),
        Data::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Data::Float(f) => write_number(out, *f),
        Data::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Data::DateTime(d) => write_serial(out, d.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => out.push_str(s),
        Data::Error(e) => {
            let _ = write!(out, "{e}");
        }
    }
}

fn write_number(out: &mut String, f: f64) {
    use std::fmt::Write;
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
        let _ = write!(out, "{}", f as i64);
    } else if f.abs() >= 1e15 {
        let _ = write!(out, "{f:e}");
    } else {
        let _ = write!(out, "{f}");
    }
}

/// An Excel serial date (days since 1899-12-30, the fraction being the time of day), as
/// `2026-11-03` or `2026-11-03 14:20:05`. Out of range, the number itself (then refused as a date).
fn write_serial(out: &mut String, serial: f64) {
    use std::fmt::Write;
    // 1 = 1900-01-01 … 2958465 = 9999-12-31; below 61, Excel's phantom 1900-02-29 shifts days.
    if !(61.0..2_958_466.0).contains(&serial) {
        write_number(out, serial);
        return;
    }
    let Some(epoch) = chrono::NaiveDate::from_ymd_opt(1899, 12, 30) else {
        return write_number(out, serial);
    };
    let days = serial.floor();
    let seconds = ((serial - days) * 86_400.0).round() as u32;
    let Some(date) = epoch.checked_add_days(chrono::Days::new(days as u64)) else {
        return write_number(out, serial);
    };
    if seconds == 0 || seconds >= 86_400 {
        let _ = write!(out, "{date}");
    } else {
        let _ = write!(
            out,
            "{date} {:02}:{:02}:{:02}",
            seconds / 3600,
            seconds / 60 % 60,
            seconds % 60
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serial_dates() {
        let s = |v: f64| {
            let mut o = String::new();
            write_serial(&mut o, v);
            o
        };
        assert_eq!(s(46329.0), "2026-11-03");
        assert_eq!(s(46329.5), "2026-11-03 12:00:00");
        assert_eq!(s(45000.25), "2023-03-15 06:00:00");
        assert_eq!(s(5.0), "5");
        assert_eq!(s(f64::NAN), "NaN");
        assert_eq!(s(1e300), "1e300");
    }

    #[test]
    fn numbers_as_written() {
        let c = |d: Data| cell_text(&d, false);
        assert_eq!(c(Data::Float(13800001234.0)), "13800001234");
        assert_eq!(c(Data::Float(4.5)), "4.5");
        assert_eq!(c(Data::Int(5)), "5");
        assert_eq!(cell_text(&Data::Int(46329), true), "2026-11-03");
    }

    #[test]
    fn garbage_is_refused_not_a_panic() {
        let mut bytes = b"PK\x03\x04".to_vec();
        bytes.extend_from_slice(&[0u8; 64]);
        assert!(SheetRows::open(&bytes, "x.xlsx", None).is_err());
        let mut ole = OLE_MAGIC.to_vec();
        ole.extend_from_slice(&[0u8; 600]);
        assert!(SheetRows::open(&ole, "x.xls", None).is_err());
    }
}
