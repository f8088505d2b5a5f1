//! CSV readers: encoding detection, delimiter sniffing, header mapping (Chinese and English
//! aliases, survey-style headers, a user mapping file) and row access with line numbers.
//!
//! Parsing knows nothing of the database; each entity (issues, members) describes its fields
//! and turns a [`Row`] into a validated record. Loading goes through `store` in one transaction.

mod bytes;
mod columns;
mod csv_records;
pub mod feedback;
pub mod feedback_row;
pub mod issues;
pub mod member_row;
pub mod members;
pub mod rejects;
mod sheet;
mod sheet_bounds;
pub mod survey;

use crate::error::{Error, Result};
use std::fmt;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// Input options shared by every import command (CSV and spreadsheets); the command line's
/// `CsvArgs` fills them.
#[derive(Debug, Clone)]
pub struct CsvOptions {
    /// Text encoding: auto, utf-8 or gb18030.
    pub encoding: String,
    /// Field separator [default: guessed from the header line].
    pub delimiter: Option<String>,
    /// A TOML file that maps other column headers to fields.
    pub map: Option<PathBuf>,
    /// Accept columns that match no field.
    pub ignore_unknown: bool,
    /// For a spreadsheet: the sheet to read, by name or number (1 = the first).
    pub sheet: Option<String>,
}

impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions {
            encoding: "auto".into(),
            delimiter: None,
            map: None,
            ignore_unknown: false,
            sheet: None,
        }
    }
}

/// A field that a record type reads, with the header names it is known by.
#[derive(Clone, Copy)]
pub struct FieldSpec {
    pub key: &'static str,
    pub aliases: &'static [&'static str],
    pub required: bool,
}

/// A problem with one row, printed as `file:line: column "日期": message`.
#[derive(Debug, Clone)]
pub struct RowError {
    pub line: u64,
    pub column: Option<String>,
    /// The problem in English (the rejects file, logs, and tests).
    pub message: String,
    /// The problem in Chinese, when the catalogue words it (else the English is shown).
    pub zh: Option<String>,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.column {
            Some(c) => write!(f, "{}: column \"{c}\": {}", self.line, self.message),
            None => write!(f, "{}: {}", self.line, self.message),
        }
    }
}

impl RowError {
    /// The line as a Chinese reader sees it: `3：“标题”列：为空……`.
    fn zh_line(&self) -> String {
        let message = self.zh.as_deref().unwrap_or(&self.message);
        let line = match &self.column {
            Some(c) => crate::text!(
                "import.row.at_column",
                line = self.line,
                column = c,
                message = message
            ),
            None => crate::text!("import.row.at_line", line = self.line, message = message),
        };
        line.render(crate::domain::locale::Locale::ZhCn)
    }

    /// The problem as a rejects file states it, in both languages: `line 3, column "标题": is
    /// empty`, `第 3 行，“标题”列：为空`.
    pub fn reason(&self) -> RowReason {
        let zh = self.zh.as_deref().unwrap_or(&self.message);
        let zh = match &self.column {
            Some(c) => crate::text!(
                "import.rejects.at_column",
                line = self.line,
                column = c,
                message = zh
            ),
            None => crate::text!("import.rejects.at_line", line = self.line, message = zh),
        };
        let en = match &self.column {
            Some(c) => format!("line {}, column \"{c}\": {}", self.line, self.message),
            None => format!("line {}: {}", self.line, self.message),
        };
        RowReason {
            zh: zh.render(crate::domain::locale::Locale::ZhCn),
            en,
        }
    }
}

/// Why a row was rejected, in both languages: the rejects file is written in the reader's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowReason {
    pub zh: String,
    pub en: String,
}

/// Strip what survey tools add around a question: `1、您的姓名：` → `姓名`, `Q1 您的姓名` → `姓名`.
pub fn normalize_header(h: &str) -> String {
    let h = h.trim().trim_start_matches('\u{feff}').trim();
    let h = survey::strip_question_number(h);
    let h = survey::strip_question_decoration(h).trim();
    // A question addressed to the resident: 您是否知道 → 是否知道, 您所在的楼栋 → 所在的楼栋.
    let h = ["您的", "你的", "请填写", "请输入", "请选择", "您", "你"]
        .iter()
        .find_map(|p| h.strip_prefix(p))
        .unwrap_or(h);
    h.trim().to_lowercase().replace([' ', '-'], "_")
}

/// Which encoding to decode the input with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Gb18030,
    /// What Excel's "Unicode text" and some survey platforms write.
    Utf16Le,
    Utf16Be,
}

fn choose_encoding(opt: &str, head: &[u8]) -> Result<Encoding> {
    match opt.to_ascii_lowercase().as_str() {
        "utf-8" | "utf8" => Ok(Encoding::Utf8),
        "gb18030" | "gbk" | "gb2312" => Ok(Encoding::Gb18030),
        "utf-16le" | "utf16le" => Ok(Encoding::Utf16Le),
        "utf-16be" | "utf16be" => Ok(Encoding::Utf16Be),
        "utf-16" | "utf16" => Ok(match detect_encoding(head) {
            Encoding::Utf16Be => Encoding::Utf16Be,
            _ => Encoding::Utf16Le,
        }),
        "auto" => Ok(detect_encoding(head)),
        other => Err(Error::usage_text(crate::text!(
            "import.unknown_encoding",
            value = other
        ))),
    }
}

/// UTF-16 by its byte-order mark, or by the zero bytes beside its ASCII characters (commas,
/// digits, line ends); UTF-8 if the first block is valid UTF-8 (a character cut at the block's
/// end is fine); otherwise GB18030, which is what Excel on Chinese Windows writes.
pub fn detect_encoding(head: &[u8]) -> Encoding {
    if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Encoding::Utf8;
    }
    if head.starts_with(&[0xFF, 0xFE]) {
        return Encoding::Utf16Le;
    }
    if head.starts_with(&[0xFE, 0xFF]) {
        return Encoding::Utf16Be;
    }
    // Neither UTF-8 nor GB18030 text has zero bytes; UTF-16 has one in every ASCII character.
    let zeros_at = |parity: usize| {
        head.iter()
            .enumerate()
            .filter(|&(i, &b)| b == 0 && i % 2 == parity)
            .count()
    };
    let (even, odd) = (zeros_at(0), zeros_at(1));
    if head.len() >= 4 && (even + odd) * 8 >= head.len() {
        return if odd >= even {
            Encoding::Utf16Le
        } else {
            Encoding::Utf16Be
        };
    }
    match std::str::from_utf8(head) {
        Ok(_) => Encoding::Utf8,
        Err(e) if e.error_len().is_none() && head.len() - e.valid_up_to() < 4 => Encoding::Utf8,
        Err(_) => Encoding::Gb18030,
    }
}

fn choose_delimiter(opt: Option<&str>, head: &[u8]) -> Result<u8> {
    match opt {
        Some(",") => Ok(b','),
        Some(";") => Ok(b';'),
        Some("\\t") | Some("\t") | Some("tab") => Ok(b'\t'),
        Some(other) => Err(Error::usage_text(crate::text!(
            "import.unknown_delimiter",
            value = other
        ))),
        None => Ok(sniff_delimiter(head)),
    }
}

/// The most frequent of `,` `;` tab on the first line outside quotes; `,` on a tie. The first
/// line is the first with something on it, after a byte-order mark and blank lines (which the
/// reader skips too).
fn sniff_delimiter(head: &[u8]) -> u8 {
    let head = head.strip_prefix("\u{feff}".as_bytes()).unwrap_or(head);
    let first = head
        .iter()
        .position(|&b| b != b'\n' && b != b'\r')
        .unwrap_or(head.len());
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for &b in &head[first..] {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3)
        .max_by_key(|&i| (counts[i], usize::from(i == 0)))
        .unwrap_or(0);
    [b',', b';', b'\t'][best]
}

/// An open input (CSV or spreadsheet) with its header mapped to fields.
pub struct Source {
    /// How the input is named in messages: the file name (with the sheet: `报名表.xlsx[Sheet1]`),
    /// or `stdin`.
    pub name: String,
    pub headers: Vec<String>,
    /// For each field, the file column it comes from.
    pub field_columns: Vec<Option<usize>>,
    /// Columns that match no field (reported; skipped with --ignore-unknown).
    pub unknown: Vec<String>,
    /// Survey metadata columns that are not imported (序号, 来自IP ...): named in the summary.
    pub ignored: Vec<String>,
    /// The survey platform the header comes from, when recognised (问卷星, 腾讯问卷 ...).
    pub platform: Option<&'static str>,
    /// A survey export (see `survey::is_survey`).
    pub survey: bool,
    /// Where a survey's intake metadata is.
    pub intake: survey::IntakeColumns,
    pub encoding_name: &'static str,
    /// Total bytes, when known (files), for a progress bar.
    pub size: Option<u64>,
    rows: Rows,
}

enum Rows {
    Csv(Box<csv_records::CsvRecords<Box<dyn Read + Send>>>),
    Sheet(sheet::SheetRows),
}

/// An input as it is opened: its name for messages, its bytes, and its size when known.
type Input = (String, Box<dyn Read + Send>, Option<u64>);

/// Open `path`, or all of stdin for `-` (into a temporary file: a slow pipe must not hold the
/// database's write lock for as long as it takes).
fn open_input(path: &Path) -> Result<Input> {
    if path == Path::new("-") {
        let f = bytes::spool(std::io::stdin().lock()).map_err(|e| read_error("stdin", &e))?;
        let size = f.metadata().ok().map(|m| m.len());
        return Ok(("stdin".into(), Box::new(f), size));
    }
    let f = std::fs::File::open(path).map_err(|e| {
        Error::data_text(
            crate::text!("file.cannot_open", file = path.display()).os_error("error", &e),
        )
    })?;
    let size = f.metadata().ok().map(|m| m.len());
    Ok((path.display().to_string(), Box::new(f), size))
}

/// The input decoded to UTF-8 (as `encoding` says), its bytes checked as they are read.
fn decoded(
    buffered: BufReader<Box<dyn Read + Send>>,
    encoding: Encoding,
    delimiter: u8,
) -> Box<dyn Read + Send> {
    match encoding {
        // UTF-8 is checked field by field (with its column's name); a BOM is dropped with
        // the header.
        Encoding::Utf8 => Box::new(bytes::Checked::utf8(buffered, delimiter)),
        Encoding::Gb18030 => Box::new(bytes::Checked::gb18030(buffered, delimiter)),
        Encoding::Utf16Le => Box::new(bytes::Checked::utf16(
            buffered,
            encoding_rs::UTF_16LE,
            delimiter,
        )),
        Encoding::Utf16Be => Box::new(bytes::Checked::utf16(
            buffered,
            encoding_rs::UTF_16BE,
            delimiter,
        )),
    }
}

impl Encoding {
    /// The encoding's name, as the import's summary gives it.
    fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Gb18030 => "GB18030",
            Encoding::Utf16Le => "UTF-16LE",
            Encoding::Utf16Be => "UTF-16BE",
        }
    }
}

/// The header line of a CSV: each name trimmed (and a BOM dropped), every one UTF-8, not all
/// empty.
fn csv_headers(
    reader: &mut csv_records::CsvRecords<Box<dyn Read + Send>>,
    name: &str,
) -> Result<Vec<String>> {
    let mut header_record = csv::ByteRecord::new();
    reader
        .read(&mut header_record)
        .map_err(|e| read_error(name, &e))?;
    let mut headers = Vec::with_capacity(header_record.len());
    for (i, h) in header_record.iter().enumerate() {
        let h = std::str::from_utf8(h).map_err(|_| {
            Error::data_text(crate::text!(
                "import.header_not_utf8",
                name = name,
                column = i + 1
            ))
        })?;
        headers.push(h.trim_start_matches('\u{feff}').trim().to_string());
    }
    if headers.iter().all(|h| h.is_empty()) {
        return Err(Error::data_text(crate::text!(
            "import.no_header",
            name = name
        )));
    }
    Ok(headers)
}

impl Source {
    pub fn open(path: &Path, opts: &CsvOptions, fields: &[FieldSpec]) -> Result<Source> {
        let (name, raw, size) = open_input(path)?;
        let mut buffered = BufReader::with_capacity(1 << 16, raw);
        let head = buffered
            .fill_buf()
            .map_err(|e| {
                Error::data_text(
                    crate::text!("file.cannot_read", file = &name).os_error("error", &e),
                )
            })?
            .to_vec();
        // A spreadsheet is known by its content (zip or OLE container), whatever its name.
        if sheet::is_spreadsheet(&head) {
            return Source::spreadsheet((name, Box::new(buffered), size), opts, fields);
        }
        if opts.sheet.is_some() {
            return Err(Error::usage_text(crate::text!(
                "import.sheet_on_text",
                name = &name
            )));
        }
        let encoding = choose_encoding(&opts.encoding, &head)?;
        let delimiter = choose_delimiter(opts.delimiter.as_deref(), &head)?;
        let mut reader =
            csv_records::CsvRecords::new(decoded(buffered, encoding, delimiter), delimiter);
        let headers = csv_headers(&mut reader, &name)?;
        let columns = columns::map(&name, &headers, opts, fields)?;
        Ok(Source::mapped(
            (name, headers, columns),
            encoding.name(),
            size,
            Rows::Csv(Box::new(reader)),
        ))
    }

    /// A spreadsheet's chosen sheet, read whole (calamine needs all of it), its header mapped.
    fn spreadsheet(input: Input, opts: &CsvOptions, fields: &[FieldSpec]) -> Result<Source> {
        let (name, mut raw, size) = input;
        let mut bytes = Vec::with_capacity(size.unwrap_or(0) as usize);
        raw.read_to_end(&mut bytes).map_err(|e| {
            Error::data_text(crate::text!("file.cannot_read", file = &name).os_error("error", &e))
        })?;
        let mut rows = sheet::SheetRows::open(&bytes, &name, opts.sheet.as_deref())?;
        let name = format!("{name}[{}]", rows.sheet_name);
        let headers = rows.headers.clone();
        let columns = columns::map(&name, &headers, opts, fields)?;
        rows.set_date_columns(
            fields
                .iter()
                .zip(&columns.field_columns)
                .filter(|(f, _)| DATE_FIELDS.contains(&f.key))
                .filter_map(|(_, c)| *c),
        );
        let rows = Rows::Sheet(rows.with_size(size.unwrap_or(0)));
        Ok(Source::mapped(
            (name, headers, columns),
            "spreadsheet",
            size,
            rows,
        ))
    }

    /// A source from its mapped header and its rows.
    fn mapped(
        (name, headers, columns): (String, Vec<String>, columns::Columns),
        encoding_name: &'static str,
        size: Option<u64>,
        rows: Rows,
    ) -> Source {
        Source {
            name,
            headers,
            field_columns: columns.field_columns,
            unknown: columns.unknown,
            ignored: columns.ignored,
            platform: columns.platform,
            survey: columns.survey,
            intake: columns.intake,
            encoding_name,
            size,
            rows,
        }
    }

    /// Call `f` for each data row, in order. Stops early if `f` returns Err.
    pub fn for_each<E>(
        &mut self,
        mut f: impl FnMut(&Row) -> std::result::Result<(), E>,
    ) -> Result<std::result::Result<(), E>> {
        let mut record = csv::ByteRecord::new();
        loop {
            let more = match &mut self.rows {
                Rows::Csv(reader) => reader
                    .read(&mut record)
                    .map_err(|e| read_error(&self.name, &e))?,
                Rows::Sheet(rows) => rows.next_record(&mut record),
            };
            if !more {
                return Ok(Ok(()));
            }
            let line = record.position().map_or(0, |p| p.line());
            let row = Row {
                line,
                record: &record,
                text: simdutf8::basic::from_utf8(record.as_slice()).ok(),
                source: self,
            };
            if let Err(e) = f(&row) {
                return Ok(Err(e));
            }
        }
    }

    /// Bytes read so far, for a progress bar (for a spreadsheet, the share of rows read).
    pub fn position(&self) -> u64 {
        match &self.rows {
            Rows::Csv(reader) => reader.byte_position(),
            Rows::Sheet(rows) => rows.byte_position(),
        }
    }
}

/// An input that cannot be read: bad bytes with their place, or the reader's own error.
fn read_error(name: &str, e: &std::io::Error) -> Error {
    match bytes::bad_bytes(e) {
        // The place and what is wrong there.
        Some(bad) => Error::data_text(
            crate::text!("import.bad_bytes", name = name, place = bad.place())
                .text("reason", &bad.reason.text()),
        ),
        None => Error::io_text(crate::text!("file.cannot_read", file = name).os_error("error", e)),
    }
}

/// Fields that hold a date: in a spreadsheet, a number in their column is an Excel serial date.
const DATE_FIELDS: &[&str] = &["date", "joined"];

/// One data row with its line number.
pub struct Row<'a> {
    pub line: u64,
    record: &'a csv::ByteRecord,
    /// The record's fields one after the other, when they are UTF-8 together: checked once
    /// for the row, with SIMD, where each field alone was a call too short for it (a tenth
    /// of an import's reading).
    text: Option<&'a str>,
    source: &'a Source,
}

impl Row<'_> {
    /// The trimmed value of field `i` (by the entity's field list); None when absent or empty.
    pub fn get(&self, i: usize) -> std::result::Result<Option<&str>, RowError> {
        let Some(col) = self.source.field_columns[i] else {
            return Ok(None);
        };
        let Some(range) = self.record.range(col) else {
            return Ok(None);
        };
        // A field of UTF-8 fields begins and ends on a character's boundary; otherwise (or if
        // the row is not UTF-8) it is checked alone.
        let s = match self.text.and_then(|text| text.get(range.clone())) {
            Some(s) => s,
            None => std::str::from_utf8(&self.record.as_slice()[range])
                .map_err(|_| self.error_text(i, crate::text!("import.row.not_utf8")))?,
        };
        let s = crate::domain::text::trim(s);
        // Survey platforms write (跳过) for a question the resident skipped: no answer.
        Ok(if s.is_empty() || survey::is_skipped(s) {
            None
        } else {
            Some(s)
        })
    }

    /// Whether the input has a column for field `i`.
    pub fn has_column(&self, i: usize) -> bool {
        self.source.field_columns[i].is_some()
    }

    /// The survey's intake metadata of this row (None for a file that is not a survey export).
    pub fn intake(&self) -> Option<survey::Intake> {
        if !self.source.survey {
            return None;
        }
        let cell = |col: usize| -> Option<&str> {
            let s = std::str::from_utf8(self.record.get(col)?).ok()?.trim();
            (!s.is_empty() && !survey::is_skipped(s)).then_some(s)
        };
        Some(self.source.intake.read(self.source.platform, cell))
    }

    /// A problem with field `i`, naming the column as it is written in the file.
    pub fn error(&self, i: usize, message: String) -> RowError {
        RowError {
            line: self.line,
            column: self.source.field_columns[i].map(|c| self.source.headers[c].clone()),
            message,
            zh: None,
        }
    }

    /// A problem with field `i` worded by the catalogue, in both languages.
    pub fn error_text(&self, i: usize, text: crate::i18n::Text) -> RowError {
        RowError {
            zh: Some(text.render(crate::domain::locale::Locale::ZhCn)),
            ..self.error(i, text.render(crate::domain::locale::Locale::En))
        }
    }

    /// A problem with field `i` found by a check of its own (a text or phone check): `en` as
    /// the importer words it, the Chinese from the error's catalogue entry with its field name
    /// left out (the column is named before it).
    pub fn error_from(&self, i: usize, en: String, e: &crate::error::Error) -> RowError {
        let zh = e.text.as_ref().map(|t| {
            let mut t = t.clone();
            for (name, value) in &mut t.args {
                if *name == "field" {
                    *value = crate::i18n::Value::Same(String::new());
                }
            }
            t.render(crate::domain::locale::Locale::ZhCn)
                .trim_start()
                .to_string()
        });
        RowError {
            zh,
            ..self.error(i, en)
        }
    }

    /// A problem with the row as a whole.
    pub fn row_error(&self, message: String) -> RowError {
        RowError {
            line: self.line,
            column: None,
            message,
            zh: None,
        }
    }

    /// A problem with the row as a whole, worded by the catalogue.
    pub fn row_error_text(&self, text: crate::i18n::Text) -> RowError {
        RowError {
            zh: Some(text.render(crate::domain::locale::Locale::ZhCn)),
            ..self.row_error(text.render(crate::domain::locale::Locale::En))
        }
    }

    /// Check that the row has as many fields as the header.
    pub fn check_width(&self) -> std::result::Result<(), RowError> {
        let n = self.record.len();
        let want = self.source.headers.len();
        if n != want && !(n == 1 && self.record.get(0).is_some_and(|f| f.is_empty())) {
            return Err(self.row_error_text(crate::text!("import.row.width", n = n, want = want)));
        }
        Ok(())
    }

    /// A row with nothing in it (a trailing line from a spreadsheet).
    pub fn is_blank(&self) -> bool {
        self.record
            .iter()
            .all(|f| f.iter().all(|b| b.is_ascii_whitespace()))
    }

    /// How far into the input this row ends, in bytes, for a progress bar.
    pub fn byte_position(&self) -> u64 {
        self.record.position().map_or(0, |p| p.byte())
    }

    /// The raw fields, decoded lossily, for a rejects file.
    pub fn raw_fields(&self) -> Vec<String> {
        self.record
            .iter()
            .map(|f| String::from_utf8_lossy(f).into_owned())
            .collect()
    }
}

/// Collects row errors: the first 50 in full, then a count.
#[derive(Default)]
pub struct ErrorList {
    pub shown: Vec<RowError>,
    pub total: usize,
}

pub const MAX_SHOWN_ERRORS: usize = 50;

impl ErrorList {
    pub fn push(&mut self, mut e: RowError) {
        self.total += 1;
        if self.shown.len() < MAX_SHOWN_ERRORS {
            e.message = cut_quoted(&e.message);
            e.zh = e.zh.map(|z| cut_quoted(&z));
            e.column = e.column.map(|c| cut(&c));
            self.shown.push(e);
        }
    }

    /// The report: one line per shown error, prefixed by the input's name, then a count.
    pub fn report(&self, name: &str) -> String {
        let mut s = String::new();
        for e in &self.shown {
            s.push_str(&format!("{name}:{e}\n"));
        }
        s.push_str(&self.more(crate::domain::locale::Locale::En));
        s
    }

    /// The report in Chinese: the same lines, each message as the catalogue words it.
    pub fn report_zh(&self, name: &str) -> String {
        let mut s = String::new();
        for e in &self.shown {
            s.push_str(&format!("{name}:{}\n", e.zh_line()));
        }
        s.push_str(&self.more(crate::domain::locale::Locale::ZhCn));
        s
    }

    /// The line that counts the bad rows not shown (nothing when all are).
    fn more(&self, locale: crate::domain::locale::Locale) -> String {
        if self.total <= self.shown.len() {
            return String::new();
        }
        let n = self.total - self.shown.len();
        format!(
            "{}\n",
            crate::text!("import.more_bad_rows", n = n).render(locale)
        )
    }
}

/// A cell that is not a date.
pub fn date_text(value: &str) -> crate::i18n::Text {
    crate::text!("import.row.not_a_date", value = value)
}

/// The most of a value an error message shows.
pub const MAX_SHOWN_CHARS: usize = 80;

/// `value`, cut to [`MAX_SHOWN_CHARS`] characters with an ellipsis.
pub fn cut(value: &str) -> String {
    match value.char_indices().nth(MAX_SHOWN_CHARS) {
        Some((at, _)) => format!("{}…", &value[..at]),
        None => value.to_string(),
    }
}

/// A message with every quoted value ("…") cut to [`MAX_SHOWN_CHARS`] characters: a 10 MB
/// cell makes a one-line error.
fn cut_quoted(message: &str) -> String {
    let mut out = String::with_capacity(message.len().min(1024));
    let mut parts = message.split('"');
    if let Some(first) = parts.next() {
        out.push_str(first);
    }
    for (i, part) in parts.enumerate() {
        out.push('"');
        // Odd pieces (i even here) are inside quotes.
        if i % 2 == 0 {
            out.push_str(&cut(part));
        } else {
            out.push_str(part);
        }
    }
    out
}

/// Quote a cell for CSV output, and defuse cells a spreadsheet would run as a formula
/// (`=`, `+`, `-`, `@`, tab, carriage return at the start) with a leading apostrophe.
pub fn csv_cell(value: &str) -> String {
    let v = formula_guard(value);
    if v.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v.into_owned()
    }
}

/// The formula guard alone (a CSV writer that quotes for itself: the rejects file): a value
/// a spreadsheet would run as a formula gets a leading apostrophe.
pub fn formula_guard(value: &str) -> std::borrow::Cow<'_, str> {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}").into()
    } else {
        value.into()
    }
}

/// Undo `csv_cell`'s formula guard when reading back our own export.
pub fn strip_formula_guard(value: &str) -> &str {
    match value.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest,
        _ => value,
    }
}

/// Each non-blank row of `csv` (written to a temporary file) through `parse`: the importers'
/// tests, without a database.
#[cfg(test)]
pub(crate) fn test_rows<T>(
    csv: &str,
    fields: &[FieldSpec],
    mut parse: impl FnMut(&Row) -> std::result::Result<T, RowError>,
) -> Vec<std::result::Result<T, RowError>> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rows.csv");
    std::fs::write(&path, csv).unwrap();
    let mut source = Source::open(&path, &CsvOptions::default(), fields).unwrap();
    let mut out = Vec::new();
    source
        .for_each(|row| -> std::result::Result<(), ()> {
            if !row.is_blank() {
                out.push(parse(row));
            }
            Ok(())
        })
        .unwrap()
        .unwrap();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn survey_headers() {
        assert_eq!(normalize_header("1、您的姓名："), "姓名");
        assert_eq!(normalize_header("\u{feff}Title"), "title");
        assert_eq!(normalize_header(" 联系电话 "), "联系电话");
        assert_eq!(normalize_header("submitted by"), "submitted_by");
        assert_eq!(normalize_header("3. 反映的问题？"), "反映的问题");
    }

    #[test]
    fn encodings() {
        assert_eq!(detect_encoding("标题,日期".as_bytes()), Encoding::Utf8);
        let (gb, _, _) = encoding_rs::GB18030.encode("标题,日期");
        assert_eq!(detect_encoding(&gb), Encoding::Gb18030);
        // A UTF-8 character cut at the end of the first block is still UTF-8.
        let s = "标题".as_bytes();
        assert_eq!(detect_encoding(&s[..4]), Encoding::Utf8);
    }

    #[test]
    fn delimiters() {
        assert_eq!(sniff_delimiter(b"a,b,c\n1;2"), b',');
        assert_eq!(sniff_delimiter(b"a;b;c\n"), b';');
        assert_eq!(sniff_delimiter(b"a\tb\tc"), b'\t');
        assert_eq!(sniff_delimiter(b"\"a,b\";c;d"), b';');
        assert_eq!(sniff_delimiter(b"single"), b',');
        // The header after a byte-order mark and blank lines, as the reader finds it.
        assert_eq!(
            sniff_delimiter("\u{feff}\r\n\n标题;内容\n".as_bytes()),
            b';'
        );
        assert_eq!(sniff_delimiter(b"\n\na\tb\n"), b'\t');
    }

    #[test]
    fn long_values_are_cut_in_messages() {
        let long = "路".repeat(1000);
        let m = cut_quoted(&format!("\"{long}\" is not a date"));
        assert_eq!(m, format!("\"{}…\" is not a date", "路".repeat(80)));
        assert_eq!(cut_quoted("is empty"), "is empty");
    }

    #[test]
    fn formula_cells_are_defused() {
        assert_eq!(csv_cell("=1+1"), "'=1+1");
        assert_eq!(csv_cell("-5"), "'-5");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(strip_formula_guard("'=1+1"), "=1+1");
        assert_eq!(strip_formula_guard("'abc"), "'abc");
    }
}
