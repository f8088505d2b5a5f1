//! The records of a CSV, read from its checked bytes ([`super::bytes::Checked`]: UTF-8 or
//! decoded to it, every line end a plain LF).
//!
//! A line is split at its delimiters, found with `memchr`, when each of its values is either
//! unquoted with no quote in it, or quoted whole (`"a, b"`, `"say ""yes"""`); any other
//! record (a quote inside a value, a value over several lines, a blank line) goes through
//! `csv_core`, the parser of the `csv` crate, set as `csv::ReaderBuilder` sets it. Nearly every
//! line of a survey export is of the first kind, and `csv_core` reads a byte at a time: it was
//! a seventh of an import's reading.
//! Records are the `csv` crate's own (`the_same_records_as_the_csv_crate`), and so are their
//! positions, but that a record after blank lines is placed on its own line.

use csv::{ByteRecord, Position};
use std::io::{self, Read};

/// Bytes read from the input at a time, at first; a longer line grows the buffer (lines are
/// bounded by `Checked`).
const CHUNK: usize = 1 << 16;

pub struct CsvRecords<R> {
    input: R,
    /// Input read and not yet parsed: `buf[at..end]`.
    buf: Vec<u8>,
    at: usize,
    end: usize,
    /// The input has no more bytes.
    eof: bool,
    delimiter: u8,
    /// For the records that are not a plain line, and its output.
    core: csv_core::Reader,
    fields: Vec<u8>,
    ends: Vec<usize>,
    /// A quoted value with its doubled quotes made single ([`split_line`]).
    unquoted: Vec<u8>,
    /// A byte-order mark at the start has been looked for.
    started: bool,
    /// Where the next record starts, as the `csv` crate counts: bytes, lines (from 1), records.
    byte: u64,
    line: u64,
    records: u64,
}

impl<R: Read> CsvRecords<R> {
    pub fn new(input: R, delimiter: u8) -> Self {
        CsvRecords {
            input,
            buf: vec![0; CHUNK],
            at: 0,
            end: 0,
            eof: false,
            delimiter,
            // csv::ReaderBuilder's settings: a quote is `"`, `""` inside quotes is one, no
            // escape character, no comments, and CR, LF or CRLF ends a record.
            core: primed(csv_core::ReaderBuilder::new().delimiter(delimiter).build()),
            fields: vec![0; 1024],
            ends: vec![0; 64],
            unquoted: Vec::new(),
            started: false,
            byte: 0,
            line: 1,
            records: 0,
        }
    }

    /// Bytes of the input read up to the next record.
    pub fn byte_position(&self) -> u64 {
        self.byte
    }

    /// Read the next record into `record`, with its position; false at the end of the input.
    pub fn read(&mut self, record: &mut ByteRecord) -> io::Result<bool> {
        if !self.started {
            self.skip_byte_order_mark()?;
        }
        // Blank lines are skipped first, so that a record's position is its own first line
        // (the csv crate gives the first blank line's, and an error then named the wrong line).
        loop {
            if self.at == self.end {
                if self.eof {
                    break;
                }
                self.fill()?;
            } else if self.buf[self.at] == b'\n' {
                self.at += 1;
                self.byte += 1;
                self.line += 1;
            } else {
                break;
            }
        }
        let mut position = Position::new();
        position
            .set_byte(self.byte)
            .set_line(self.line)
            .set_record(self.records);
        loop {
            record.clear();
            record.set_position(Some(position.clone()));
            let rest = &self.buf[self.at..self.end];
            let line_end = memchr::memchr(b'\n', rest);
            let line = match line_end {
                Some(n) => &rest[..n],
                None if self.eof => rest,
                // Not a whole line yet: read on.
                None => {
                    self.fill()?;
                    continue;
                }
            };
            if line.is_empty() || !split_line(line, self.delimiter, record, &mut self.unquoted) {
                record.clear();
                record.set_position(Some(position));
                return self.read_with_core(record);
            }
            let consumed = line.len() + usize::from(line_end.is_some());
            self.at += consumed;
            self.byte += consumed as u64;
            self.line += u64::from(line_end.is_some());
            self.records += 1;
            return Ok(true);
        }
    }

    /// Read the next record with `csv_core`, as the `csv` crate does.
    fn read_with_core(&mut self, record: &mut ByteRecord) -> io::Result<bool> {
        use csv_core::ReadRecordResult;
        let (mut out, mut ended) = (0, 0);
        loop {
            if self.at == self.end && !self.eof {
                self.fill()?;
            }
            let input = &self.buf[self.at..self.end];
            let (result, read, wrote, ends) =
                self.core
                    .read_record(input, &mut self.fields[out..], &mut self.ends[ended..]);
            self.line += memchr::memchr_iter(b'\n', &input[..read]).count() as u64;
            self.at += read;
            self.byte += read as u64;
            out += wrote;
            ended += ends;
            match result {
                ReadRecordResult::InputEmpty => {}
                ReadRecordResult::OutputFull => self.fields.resize(self.fields.len() * 2, 0),
                ReadRecordResult::OutputEndsFull => self.ends.resize(self.ends.len() * 2, 0),
                ReadRecordResult::Record => {
                    let mut start = 0;
                    for &end in &self.ends[..ended] {
                        record.push_field(&self.fields[start..end]);
                        start = end;
                    }
                    self.records += 1;
                    return Ok(true);
                }
                ReadRecordResult::End => return Ok(false),
            }
        }
    }

    /// Drop a UTF-8 byte-order mark at the very start of the input, as the csv crate does
    /// (anywhere else it is a character of its value).
    fn skip_byte_order_mark(&mut self) -> io::Result<()> {
        const BOM: &[u8] = "\u{feff}".as_bytes();
        while self.end - self.at < BOM.len() && !self.eof {
            self.fill()?;
        }
        if self.buf[self.at..self.end].starts_with(BOM) {
            self.at += BOM.len();
            self.byte += BOM.len() as u64;
        }
        self.started = true;
        Ok(())
    }

    /// Read more of the input after what is left, into a buffer grown if that is full.
    fn fill(&mut self) -> io::Result<()> {
        self.buf.copy_within(self.at..self.end, 0);
        self.end -= self.at;
        self.at = 0;
        if self.end == self.buf.len() {
            self.buf.resize(self.buf.len() * 2, 0);
        }
        let read = loop {
            match self.input.read(&mut self.buf[self.end..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        };
        self.end += read;
        self.eof = read == 0;
        Ok(())
    }
}

/// `core` as if it had read the start of a file: it drops a byte-order mark at the start of the
/// first input it is given, which here may be any record (a value starting with U+FEFF then
/// lost it; [`CsvRecords::skip_byte_order_mark`] drops the file's own). A line end at the start
/// of a record is a blank line, which it skips.
fn primed(mut core: csv_core::Reader) -> csv_core::Reader {
    let (mut out, mut ends) = ([0u8; 1], [0usize; 1]);
    core.read_record(b"\n", &mut out, &mut ends);
    core
}

/// Split a line (without its line end) into `record`'s fields, if each value is unquoted with
/// no quote, or quoted whole (a quote inside written `""`); false otherwise (`csv_core` reads
/// it then). `unquoted` holds a value whose doubled quotes are made single.
fn split_line(line: &[u8], delimiter: u8, record: &mut ByteRecord, unquoted: &mut Vec<u8>) -> bool {
    let mut rest = line;
    loop {
        let after = if let Some(quoted) = rest.strip_prefix(b"\"") {
            // Up to the closing quote: one not doubled.
            let mut from = 0;
            unquoted.clear();
            loop {
                let Some(at) = memchr::memchr(b'"', &quoted[from..]).map(|at| from + at) else {
                    return false;
                };
                if quoted.get(at + 1) == Some(&b'"') {
                    unquoted.extend_from_slice(&quoted[from..=at]);
                    from = at + 2;
                    continue;
                }
                if from == 0 {
                    record.push_field(&quoted[..at]);
                } else {
                    unquoted.extend_from_slice(&quoted[from..at]);
                    record.push_field(unquoted);
                }
                break &quoted[at + 1..];
            }
        } else {
            let (value, after) = match memchr::memchr2(delimiter, b'"', rest) {
                Some(at) if rest[at] == b'"' => return false,
                Some(at) => (&rest[..at], &rest[at..]),
                None => (rest, &rest[rest.len()..]),
            };
            record.push_field(value);
            after
        };
        match after.split_first() {
            None => return true,
            Some((&d, next)) if d == delimiter => rest = next,
            Some(_) => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every record as the `csv` crate reads it (flexible): fields, line and byte of its
    /// start, past any blank lines before it.
    fn by_csv(input: &[u8], delimiter: u8) -> Vec<(Vec<Vec<u8>>, u64, u64)> {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .has_headers(false)
            .buffer_capacity(7)
            .from_reader(input);
        let mut out = Vec::new();
        let mut record = ByteRecord::new();
        while reader.read_byte_record(&mut record).unwrap() {
            let p = record.position().unwrap();
            // A byte-order mark at the start is no record's.
            let start = match p.byte() {
                0 if input.starts_with("\u{feff}".as_bytes()) => 3,
                byte => byte,
            };
            let blank = input[start as usize..]
                .iter()
                .take_while(|&&b| b == b'\n')
                .count() as u64;
            out.push((
                record.iter().map(<[u8]>::to_vec).collect(),
                p.line() + blank,
                start + blank,
            ));
        }
        out
    }

    fn by_us(input: &[u8], delimiter: u8, chunks: usize) -> Vec<(Vec<Vec<u8>>, u64, u64)> {
        // The input handed over a few bytes at a time, so that lines and quoted values span
        // reads.
        use crate::import::bytes::tests::Trickle;
        let mut reader = CsvRecords::new(Trickle(input, chunks), delimiter);
        let mut out = Vec::new();
        let mut record = ByteRecord::new();
        while reader.read(&mut record).unwrap() {
            let p = record.position().unwrap();
            out.push((
                record.iter().map(<[u8]>::to_vec).collect(),
                p.line(),
                p.byte(),
            ));
        }
        out
    }

    proptest::proptest! {
        /// Quoted or not, blank lines, a last line with no line end, a quote inside a value,
        /// any delimiter: the records, lines and bytes of the `csv` crate.
        #[test]
        fn the_same_records_as_the_csv_crate(
            input in "\u{feff}?[a路,;\t\"\n \u{feff}]{0,60}",
            delimiter in proptest::sample::select(vec![b',', b';', b'\t']),
            chunks in 1usize..9,
        ) {
            proptest::prop_assert_eq!(
                by_us(input.as_bytes(), delimiter, chunks),
                by_csv(input.as_bytes(), delimiter)
            );
        }
    }

    /// The file's own byte-order mark goes, before a blank line too; one that starts a later
    /// value stays (and the text check refuses it), whichever way its line is read.
    #[test]
    fn a_byte_order_mark_is_dropped_only_at_the_start() {
        let input = "\u{feff}\n标题,内容\n\u{feff}路灯,a\"b\n\u{feff}\"x\",y\n";
        let got = by_us(input.as_bytes(), b',', 5);
        assert_eq!(got, by_csv(input.as_bytes(), b','));
        assert_eq!(got[0].0, ["标题".as_bytes(), "内容".as_bytes()]);
        assert_eq!((got[0].1, got[0].2), (2, 4));
        assert_eq!(got[1].0[0], "\u{feff}路灯".as_bytes());
        assert_eq!(got[2].0[0], "\u{feff}\"x\"".as_bytes());
    }

    #[test]
    fn plain_and_quoted_lines() {
        let input = "标题,内容\n路灯,坏了\n\n\"a,b\",\"c\"\"d\"\ne,\"多\n行\"\nlast,";
        assert_eq!(
            by_us(input.as_bytes(), b',', 3),
            by_csv(input.as_bytes(), b',')
        );
        let got = by_us(input.as_bytes(), b',', 64);
        let lines: Vec<u64> = got.iter().map(|r| r.1).collect();
        assert_eq!(lines, [1, 2, 4, 5, 7]);
        assert_eq!(got[2].0, [b"a,b".to_vec(), b"c\"d".to_vec()]);
        assert_eq!(got[4].0, [b"last".to_vec(), Vec::new()]);
    }
}
