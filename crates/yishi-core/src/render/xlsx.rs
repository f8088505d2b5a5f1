//! Excel workbooks (rust_xlsxwriter): one sheet per table, the header row frozen and filtered,
//! columns as wide as their Chinese text (a CJK character is two columns wide), days and times
//! as real Excel dates so that they sort and filter as dates; numbers and dates keep a margin on
//! their right, so that they never touch the text of the next column.

use crate::error::{Error, Result};
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, Workbook};
use unicode_width::UnicodeWidthStr;

pub enum Cell {
    Text(String),
    Number(f64),
    /// A measured value shown with one decimal (a mean score, median days).
    Decimal(f64),
    /// YYYY-MM-DD, written as an Excel date.
    Day(String),
    /// YYYY-MM-DD HH:MM, written as an Excel date and time.
    DateTime(String),
    /// 0.0–1.0, shown as a percentage.
    Percent(f64),
    Empty,
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }
    pub fn opt_day(s: Option<&str>) -> Cell {
        s.map_or(Cell::Empty, |d| Cell::Day(d.to_string()))
    }
    fn shown_width(&self) -> usize {
        match self {
            Cell::Text(s) => s.lines().map(UnicodeWidthStr::width).max().unwrap_or(0),
            Cell::Number(n) => n.to_string().len(),
            Cell::Decimal(n) => format!("{n:.1}").len(),
            Cell::Day(_) => 12,
            Cell::DateTime(_) => 16,
            Cell::Percent(_) => 7,
            Cell::Empty => 0,
        }
    }
    /// The columns a right-aligned value keeps free on its right ([`PAD`]).
    fn indent(&self) -> usize {
        match self {
            Cell::Text(_) | Cell::Empty => 0,
            _ => 2,
        }
    }
}

/// Appended to the number format of numbers and dates: the width of two digits left blank on the
/// right of the cell.
const PAD: &str = "_0_0";

pub struct Sheet {
    pub name: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> Error {
    Error::internal(format!("cannot build the spreadsheet: {e}"))
}

/// The workbook of `sheets`, created at `created` (the command's time, so `YISHI_NOW` fixes it:
/// the file does not carry the real moment it was made).
pub fn write(sheets: &[Sheet], created: chrono::DateTime<chrono::Utc>) -> Result<Vec<u8>> {
    let mut book = Workbook::new();
    let created =
        rust_xlsxwriter::ExcelDateTime::from_timestamp(created.timestamp()).map_err(xlsx_error)?;
    book.set_properties(&rust_xlsxwriter::DocProperties::new().set_creation_datetime(&created));
    let header_fmt = Format::new()
        .set_bold()
        .set_background_color(0xE7E6E6)
        .set_align(FormatAlign::Center);
    // Numbers and dates sit at the right of their cells; `_0_0` in the number format keeps two
    // digits' width free after them, off the text of the next column (which starts at its left
    // edge). A format's padding is honoured by Excel, WPS and LibreOffice alike; an alignment
    // indent was not (LibreOffice dropped it on all but the first row of some columns).
    let padded = |format: &str| {
        Format::new()
            .set_align(FormatAlign::Right)
            .set_num_format(format!("{format}{PAD}"))
    };
    let number_fmt = padded("0");
    let day_fmt = padded("yyyy-mm-dd");
    let time_fmt = padded("yyyy-mm-dd hh:mm");
    let pct_fmt = padded("0.0%");
    let decimal_fmt = padded("0.0");
    let wrap_fmt = Format::new().set_text_wrap();
    for sheet in sheets {
        let ws = book.add_worksheet();
        ws.set_name(&sheet.name).map_err(xlsx_error)?;
        let mut widths: Vec<usize> = sheet.header.iter().map(|h| h.width()).collect();
        for (c, h) in sheet.header.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, h, &header_fmt)
                .map_err(xlsx_error)?;
        }
        for (r, row) in sheet.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, cell) in row.iter().enumerate() {
                let col = c as u16;
                if let Some(w) = widths.get_mut(c) {
                    *w = (*w).max(cell.shown_width() + cell.indent());
                }
                match cell {
                    Cell::Text(s) if s.contains('\n') => {
                        ws.write_string_with_format(r, col, s, &wrap_fmt)
                    }
                    Cell::Text(s) => ws.write_string(r, col, s),
                    Cell::Number(n) => ws.write_number_with_format(r, col, *n, &number_fmt),
                    Cell::Decimal(n) => ws.write_number_with_format(r, col, *n, &decimal_fmt),
                    Cell::Day(d) => match ExcelDateTime::parse_from_str(d) {
                        Ok(dt) => ws.write_datetime_with_format(r, col, &dt, &day_fmt),
                        Err(_) => ws.write_string(r, col, d),
                    },
                    Cell::DateTime(d) => match ExcelDateTime::parse_from_str(&format!("{d}:00")) {
                        Ok(dt) => ws.write_datetime_with_format(r, col, &dt, &time_fmt),
                        Err(_) => ws.write_string(r, col, d),
                    },
                    Cell::Percent(p) => ws.write_number_with_format(r, col, *p, &pct_fmt),
                    Cell::Empty => continue,
                }
                .map_err(xlsx_error)?;
            }
        }
        for (c, w) in widths.iter().enumerate() {
            // Excel's width unit is about one Latin character; leave a margin, cap long text.
            ws.set_column_width(c as u16, (*w as f64 + 2.0).clamp(6.0, 60.0))
                .map_err(xlsx_error)?;
        }
        ws.set_freeze_panes(1, 0).map_err(xlsx_error)?;
        // Printed, each sheet is landscape, one page wide, the header on every page.
        ws.set_landscape();
        ws.set_print_fit_to_pages(1, 0);
        ws.set_repeat_rows(0, 0).map_err(xlsx_error)?;
        if !sheet.rows.is_empty() && !sheet.header.is_empty() {
            ws.autofilter(0, 0, sheet.rows.len() as u32, sheet.header.len() as u16 - 1)
                .map_err(xlsx_error)?;
        }
    }
    book.save_to_buffer().map_err(xlsx_error)
}
