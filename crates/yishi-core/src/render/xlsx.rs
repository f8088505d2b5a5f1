//! Excel workbooks (rust_xlsxwriter): one sheet per table, columns as wide as their Chinese
//! text (a CJK character is two columns wide), days and times as real Excel dates so that they
//! sort and filter as dates; numbers and dates keep a margin on their right, so that they never
//! touch the text of the next column.
//!
//! Every sheet prints as a street office files it: A4 (landscape when the columns are wide),
//! one page wide; on top a title row (unit and title) and a line with the period and the date
//! made; the header row frozen, filtered and repeated on every printed page; the unit and sheet
//! in the page header, 「第 1 页，共 3 页」 in the footer; long text wrapped in capped columns with
//! rows tall enough for every line.

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

/// What every sheet of a workbook says above its table and in its page header and footer.
pub struct Heading {
    /// The reporting unit: 汀塘社区居民委员会.
    pub unit: String,
    /// 2026年度居民议事台账.
    pub title: String,
    /// 统计期间：2026年1月1日至2026年12月31日 (already worded).
    pub period: Option<String>,
    /// The day the workbook was made (YYYY-MM-DD).
    pub made: String,
    /// The command's time, written as the file's creation time (so `YISHI_NOW` fixes it: the
    /// file does not carry the real moment it was made).
    pub created: chrono::DateTime<chrono::Utc>,
    pub zh: bool,
    /// A line under the first sheet's table for the unit's seal and signatures (a report sent
    /// to the street office is sealed); None: no such line.
    pub seal: Option<String>,
}

/// Rows above the table: the title and the period line.
const TOP: u32 = 2;
/// The widest a text column gets (Excel units, about one Latin character); longer text wraps.
const MAX_TEXT: f64 = 40.0;
/// Columns wider than this in total print across the page (landscape).
const PORTRAIT_MAX: f64 = 95.0;
/// What fits across A4 landscape at 100% (Excel units, default margins): wider sheets have
/// their widest text columns narrowed towards this (their text wraps), rather than the whole
/// sheet shrunk to fit the page.
const LANDSCAPE_MAX: f64 = 124.0;
/// The narrowest a text column is made for that (about eight Chinese characters a line).
const MIN_WRAPPED: f64 = 18.0;
/// A wrapped line's height in points (11 pt text): a Chinese font's line is taller than a Latin
/// one's (Noto Sans CJK's, which LibreOffice uses, about 16 pt), and a row cut short hides the
/// last line of a long answer.
const LINE_PT: f64 = 16.5;

/// Escape `&` for Excel's header and footer codes.
fn hf(s: &str) -> String {
    s.replace('&', "&&")
}

fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> Error {
    Error::internal(format!("cannot build the spreadsheet: {e}"))
}

pub fn write(sheets: &[Sheet], heading: &Heading) -> Result<Vec<u8>> {
    write_with_totals(sheets, heading, &[])
}

/// The formats of a table's cells: plain, or bold for a totals row (合计).
struct CellFormats {
    number: Format,
    decimal: Format,
    day: Format,
    time: Format,
    pct: Format,
    wrap: Format,
}

impl CellFormats {
    fn new(bold: bool) -> CellFormats {
        let weight = |f: Format| if bold { f.set_bold() } else { f };
        // Numbers and dates sit at the right of their cells; `_0_0` in the number format keeps
        // two digits' width free after them, off the text of the next column (which starts at
        // its left edge). A format's padding is honoured by Excel, WPS and LibreOffice alike;
        // an alignment indent was not (LibreOffice dropped it on all but the first row of some
        // columns).
        let padded = |format: &str| {
            // Top-aligned like the wrapped text beside them, on the first line of a tall row.
            weight(
                Format::new()
                    .set_align(FormatAlign::Right)
                    .set_align(FormatAlign::Top)
                    .set_num_format(format!("{format}{PAD}")),
            )
        };
        CellFormats {
            number: padded("0"),
            day: padded("yyyy-mm-dd"),
            time: padded("yyyy-mm-dd hh:mm"),
            pct: padded("0.0%"),
            decimal: padded("0.0"),
            wrap: weight(Format::new().set_text_wrap().set_align(FormatAlign::Top)),
        }
    }
}

/// [`write`], the last row of each sheet named in `totals` (the street's 合计) in bold.
pub fn write_with_totals(sheets: &[Sheet], heading: &Heading, totals: &[&str]) -> Result<Vec<u8>> {
    let mut book = Workbook::new();
    let created = rust_xlsxwriter::ExcelDateTime::from_timestamp(heading.created.timestamp())
        .map_err(xlsx_error)?;
    book.set_properties(&rust_xlsxwriter::DocProperties::new().set_creation_datetime(&created));
    let title_fmt = Format::new()
        .set_bold()
        .set_font_size(16)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let period_fmt = Format::new().set_align(FormatAlign::Center);
    let header_fmt = Format::new()
        .set_bold()
        .set_background_color(0xE7E6E6)
        .set_align(FormatAlign::Center);
    let (plain, bold) = (CellFormats::new(false), CellFormats::new(true));
    for sheet in sheets {
        let ws = book.add_worksheet();
        ws.set_name(&sheet.name).map_err(xlsx_error)?;
        let mut widths: Vec<usize> = sheet.header.iter().map(|h| h.width()).collect();
        // Columns holding text, which may be narrowed and wrapped (not numbers or dates).
        let mut text = vec![false; widths.len()];
        for (c, h) in sheet.header.iter().enumerate() {
            ws.write_string_with_format(TOP, c as u16, h, &header_fmt)
                .map_err(xlsx_error)?;
        }
        let total_row = totals
            .contains(&sheet.name.as_str())
            .then(|| sheet.rows.len().saturating_sub(1));
        for (r, row) in sheet.rows.iter().enumerate() {
            let f = if Some(r) == total_row { &bold } else { &plain };
            let r = r as u32 + TOP + 1;
            for (c, cell) in row.iter().enumerate() {
                let col = c as u16;
                if let Some(w) = widths.get_mut(c) {
                    *w = (*w).max(cell.shown_width() + cell.indent());
                }
                if let (Some(t), Cell::Text(_)) = (text.get_mut(c), cell) {
                    *t = true;
                }
                write_cell(ws, r, col, cell, f)?;
            }
        }
        let mut columns = column_widths(&widths, heading);
        narrow_to_landscape(&mut columns, &text, &sheet.header);
        for (c, w) in columns.iter().enumerate() {
            ws.set_column_width(c as u16, *w).map_err(xlsx_error)?;
        }
        fit_row_heights(ws, sheet, &columns)?;
        heading_rows(ws, sheet, heading, &title_fmt, &period_fmt)?;
        if let (Some(seal), true) = (&heading.seal, sheet.name == sheets[0].name) {
            seal_row(ws, sheet, seal)?;
        }
        ws.set_freeze_panes(TOP + 1, 0).map_err(xlsx_error)?;
        page_setup(ws, sheet, heading, columns.iter().sum())?;
        // The sealed sheet prints on one page when it can, so that the seal line never sits
        // alone on a page of its own (GB/T 9704 7.3.5).
        if heading.seal.is_some() && sheet.name == sheets[0].name && sheet.rows.len() <= 40 {
            ws.set_print_fit_to_pages(1, 1);
        }
        if !sheet.rows.is_empty() && !sheet.header.is_empty() {
            ws.autofilter(
                TOP,
                0,
                TOP + sheet.rows.len() as u32,
                sheet.header.len() as u16 - 1,
            )
            .map_err(xlsx_error)?;
        }
    }
    book.save_to_buffer().map_err(xlsx_error)
}

/// One body cell with its format: numbers, dates and percentages as Excel values.
fn write_cell(
    ws: &mut rust_xlsxwriter::Worksheet,
    r: u32,
    col: u16,
    cell: &Cell,
    f: &CellFormats,
) -> Result<()> {
    match cell {
        // Every text cell wraps: a long one in its capped column, never cut off
        // or run into the next column when printed.
        Cell::Text(s) => ws.write_string_with_format(r, col, s, &f.wrap),
        Cell::Number(n) => ws.write_number_with_format(r, col, *n, &f.number),
        Cell::Decimal(n) => ws.write_number_with_format(r, col, *n, &f.decimal),
        Cell::Day(d) => match ExcelDateTime::parse_from_str(d) {
            Ok(dt) => ws.write_datetime_with_format(r, col, &dt, &f.day),
            Err(_) => ws.write_string(r, col, d),
        },
        Cell::DateTime(d) => match ExcelDateTime::parse_from_str(&format!("{d}:00")) {
            Ok(dt) => ws.write_datetime_with_format(r, col, &dt, &f.time),
            Err(_) => ws.write_string(r, col, d),
        },
        Cell::Percent(p) => ws.write_number_with_format(r, col, *p, &f.pct),
        Cell::Empty => return Ok(()),
    }
    .map_err(xlsx_error)?;
    Ok(())
}

/// The column widths from the widest cells, widened so the merged heading fits.
fn column_widths(widths: &[usize], heading: &Heading) -> Vec<f64> {
    // Excel's width unit is about one Latin character; leave a margin, cap long text.
    let mut columns: Vec<f64> = widths
        .iter()
        .map(|w| (*w as f64 + 2.0).clamp(6.0, MAX_TEXT))
        .collect();
    // The title (16 pt, about 1.5 times the body's width per character) and the period
    // line are merged across the table: a narrow table is widened to hold them, or they
    // are cut off in print.
    let needed = heading_width(heading);
    let total: f64 = columns.iter().sum();
    if let Some(last) = columns.last_mut()
        && total < needed
    {
        *last += needed - total;
    }
    columns
}

/// A sheet wider than A4 landscape: its widest text columns narrowed, all to the same width,
/// until it fits (or they reach [`MIN_WRAPPED`], or their header's width), so that it prints
/// at its normal size with long texts wrapped instead of shrunk as a whole (a street's
/// answers and reasons made the escalations sheet print at two thirds of its size).
fn narrow_to_landscape(columns: &mut [f64], text: &[bool], header: &[String]) {
    let floor = |c: usize| {
        let head = header.get(c).map_or(0, |h| h.width()) as f64 + 2.0;
        head.max(MIN_WRAPPED)
    };
    let excess = columns.iter().sum::<f64>() - LANDSCAPE_MAX;
    if excess <= 0.0 {
        return;
    }
    // The common width `cap` the wide text columns come down to: lowered step by step over
    // their widths (the widest first) until what they give up covers the excess.
    let given = |cap: f64| -> f64 {
        (0..columns.len())
            .filter(|&c| text.get(c).copied().unwrap_or(false))
            .map(|c| (columns[c] - cap.max(floor(c))).max(0.0))
            .sum()
    };
    let mut cap = columns.iter().copied().fold(0.0, f64::max);
    while cap > MIN_WRAPPED && given(cap) < excess {
        cap -= 1.0;
    }
    for (c, width) in columns.iter_mut().enumerate() {
        if text.get(c).copied().unwrap_or(false) {
            *width = width.min(cap.max(floor(c)));
        }
    }
}

/// Rows tall enough for the wrapped lines of their longest cell.
fn fit_row_heights(
    ws: &mut rust_xlsxwriter::Worksheet,
    sheet: &Sheet,
    columns: &[f64],
) -> Result<()> {
    for (r, row) in sheet.rows.iter().enumerate() {
        let lines = row
            .iter()
            .zip(columns)
            .map(|(cell, w)| match cell {
                Cell::Text(s) => s
                    .lines()
                    .map(|l| ((l.width() as f64) / (w - 1.0)).ceil().max(1.0))
                    .sum::<f64>(),
                _ => 1.0,
            })
            .fold(1.0, f64::max);
        if lines > 1.0 {
            ws.set_row_height(r as u32 + TOP + 1, lines * LINE_PT)
                .map_err(xlsx_error)?;
        }
    }
    Ok(())
}

/// Two rows below the table, across its width, tall enough to stamp a seal on.
fn seal_row(ws: &mut rust_xlsxwriter::Worksheet, sheet: &Sheet, seal: &str) -> Result<()> {
    let row = TOP + sheet.rows.len() as u32 + 2;
    let last = sheet.header.len().max(1) as u16 - 1;
    let seal_fmt = Format::new()
        .set_align(FormatAlign::Left)
        .set_align(FormatAlign::VerticalCenter);
    if last == 0 {
        ws.write_string_with_format(row, 0, seal, &seal_fmt)
            .map_err(xlsx_error)?;
    } else {
        ws.merge_range(row, 0, row, last, seal, &seal_fmt)
            .map_err(xlsx_error)?;
    }
    ws.set_row_height(row, 60).map_err(xlsx_error)?;
    Ok(())
}

/// The width (Excel units) the title row and the period line need.
fn heading_width(heading: &Heading) -> f64 {
    let title = UnicodeWidthStr::width(heading.unit.as_str()) + heading.title.width() + 3;
    let line = heading.period.as_deref().map_or(0, |p| p.width()) + 30;
    (title as f64 * 1.5).max(line as f64) + 4.0
}

/// The title row (unit and title) and the period line, across the table's width.
fn heading_rows(
    ws: &mut rust_xlsxwriter::Worksheet,
    sheet: &Sheet,
    heading: &Heading,
    title_fmt: &Format,
    period_fmt: &Format,
) -> Result<()> {
    let last = sheet.header.len().max(1) as u16 - 1;
    let title = format!(
        "{}{}{}",
        heading.unit,
        if heading.zh { "" } else { " · " },
        heading.title
    );
    let made = if heading.zh {
        format!("制表日期：{}", super::words::day(&heading.made, true))
    } else {
        format!("Made on {}", super::words::day(&heading.made, false))
    };
    let line = match &heading.period {
        Some(p) => format!("{p}{}{made}", if heading.zh { "　　" } else { "  ·  " }),
        None => made,
    };
    let put = |ws: &mut rust_xlsxwriter::Worksheet, row: u32, text: &str, fmt: &Format| {
        if last == 0 {
            ws.write_string_with_format(row, 0, text, fmt).map(|_| ())
        } else {
            ws.merge_range(row, 0, row, last, text, fmt).map(|_| ())
        }
    };
    put(ws, 0, &title, title_fmt).map_err(xlsx_error)?;
    put(ws, 1, &line, period_fmt).map_err(xlsx_error)?;
    ws.set_row_height(0, 30).map_err(xlsx_error)?;
    Ok(())
}

/// A4, one page wide, landscape when the columns are too wide for portrait; the header row on
/// every page; unit and sheet in the page header, page numbers in the footer.
fn page_setup(
    ws: &mut rust_xlsxwriter::Worksheet,
    sheet: &Sheet,
    heading: &Heading,
    width: f64,
) -> Result<()> {
    ws.set_paper_size(9); // A4
    if width > PORTRAIT_MAX {
        ws.set_landscape();
    } else {
        ws.set_portrait();
    }
    ws.set_print_fit_to_pages(1, 0);
    ws.set_print_center_horizontally(true);
    ws.set_repeat_rows(TOP, TOP).map_err(xlsx_error)?;
    ws.set_header(format!("&L{}&R{}", hf(&heading.unit), hf(&sheet.name)));
    ws.set_footer(if heading.zh {
        "&C第 &P 页，共 &N 页"
    } else {
        "&CPage &P of &N"
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The street's 上报事项 sheet: its long reason and answer columns come down to one width
    /// so that the sheet fits landscape; numbers, dates and short text keep their widths.
    #[test]
    fn a_wide_sheet_narrows_its_widest_text_columns_to_fit_landscape() {
        let header: Vec<String> = [
            "社区",
            "议题",
            "标题",
            "上报理由",
            "上报日期",
            "等待天数",
            "答复日期",
            "答复",
        ]
        .iter()
        .map(|h| h.to_string())
        .collect();
        let mut columns = vec![10.0, 6.0, 20.0, 40.0, 16.0, 10.0, 16.0, 40.0];
        let text = [true, true, true, true, false, false, false, true];
        narrow_to_landscape(&mut columns, &text, &header);
        assert!(columns.iter().sum::<f64>() <= LANDSCAPE_MAX, "{columns:?}");
        assert_eq!(columns[3], columns[7], "{columns:?}");
        assert!(
            columns[3] >= MIN_WRAPPED && columns[3] < 40.0,
            "{columns:?}"
        );
        assert_eq!(
            [
                columns[0], columns[1], columns[2], columns[4], columns[5], columns[6]
            ],
            [10.0, 6.0, 20.0, 16.0, 10.0, 16.0]
        );
        // A sheet that fits is left as it is.
        let mut narrow = vec![10.0, 40.0, 16.0];
        narrow_to_landscape(&mut narrow, &[true, true, false], &header[..3]);
        assert_eq!(narrow, [10.0, 40.0, 16.0]);
    }
}
