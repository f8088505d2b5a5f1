//! The bytes under a CSV, checked before the CSV parser sees them: strict decoding (a malformed
//! or truncated GB18030 sequence is an error with its line and column, never a U+FFFD), line
//! ends made plain (CRLF and a lone CR become LF, so line numbers are right whatever wrote the
//! file), and a bound on line length (1 MiB), so that memory stays bounded on any input: a file
//! of NULs, a 64 MB header or `/dev/zero` ends with an error after the first MiB.

use std::io::{self, Read};

/// The longest line a file may have.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// Why the input cannot be read, and where (1-based line; column in characters).
#[derive(Debug)]
pub struct BadBytes {
    pub line: u64,
    pub column: Option<u64>,
    pub message: String,
}

impl std::fmt::Display for BadBytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.column {
            Some(c) => write!(f, "{}:{c}: {}", self.line, self.message),
            None => write!(f, "{}: {}", self.line, self.message),
        }
    }
}

impl std::error::Error for BadBytes {}

/// The [`BadBytes`] inside an I/O error, if that is what it is.
pub fn bad_bytes(e: &io::Error) -> Option<&BadBytes> {
    e.get_ref()
        .and_then(|inner| inner.downcast_ref::<BadBytes>())
}

fn too_long(line: u64) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        BadBytes {
            line,
            column: None,
            message: format!(
                "the line is longer than {} MiB: this is not a CSV file (or a line end is missing)",
                MAX_LINE_BYTES >> 20
            ),
        },
    )
}

/// The CSV quoting state: a quote opens a quoted value only at the start of a field; inside,
/// `""` is a quote character and a lone `"` closes it.
#[derive(Clone, Copy, PartialEq)]
enum Quote {
    FieldStart,
    Unquoted,
    Quoted,
    /// A `"` inside a quoted value: closing, unless another `"` follows.
    ClosingOrEscaped,
}

/// A reader of UTF-8 bytes (decoded from GB18030 when `decoder` is set) with plain line ends.
pub struct Checked<R> {
    inner: R,
    delimiter: u8,
    /// Where the CSV parser will be, so that a quoted value (which may span lines) is bounded
    /// too: a missing closing quote would otherwise swallow the rest of the file.
    quote: Quote,
    /// The line a quoted value began on, and its size so far.
    quote_line: u64,
    quoted_bytes: usize,
    decoder: Option<encoding_rs::Decoder>,
    encoding: &'static str,
    raw: Vec<u8>,
    /// GB18030 decoded to UTF-8, before its line ends are made plain.
    text: Vec<u8>,
    decoded: Vec<u8>,
    /// Output ready to hand out: `decoded[start..]`.
    start: usize,
    line: u64,
    column: u64,
    line_bytes: usize,
    after_cr: bool,
    done: bool,
}

impl<R: Read> Checked<R> {
    pub fn utf8(inner: R, delimiter: u8) -> Checked<R> {
        Checked::new(inner, None, "UTF-8", delimiter)
    }

    pub fn gb18030(inner: R, delimiter: u8) -> Checked<R> {
        Checked::new(
            inner,
            Some(encoding_rs::GB18030.new_decoder()),
            "GB18030",
            delimiter,
        )
    }

    fn new(
        inner: R,
        decoder: Option<encoding_rs::Decoder>,
        encoding: &'static str,
        delimiter: u8,
    ) -> Self {
        Checked {
            delimiter,
            quote: Quote::FieldStart,
            quote_line: 0,
            quoted_bytes: 0,
            inner,
            decoder,
            encoding,
            raw: vec![0; 1 << 16],
            text: Vec::new(),
            decoded: Vec::with_capacity(1 << 17),
            start: 0,
            line: 1,
            column: 0,
            line_bytes: 0,
            after_cr: false,
            done: false,
        }
    }

    /// Read and decode the next block into `decoded`, line ends made plain.
    fn fill(&mut self) -> io::Result<()> {
        self.decoded.clear();
        self.start = 0;
        let n = loop {
            match self.inner.read(&mut self.raw) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        };
        let last = n == 0;
        // UTF-8 goes on as it was read (checked field by field later); GB18030 is decoded into
        // `text` first. Both buffers are kept for the next block.
        let raw = std::mem::take(&mut self.raw);
        let mut text = std::mem::take(&mut self.text);
        text.clear();
        let bad = match &mut self.decoder {
            None => None,
            Some(decoder) => {
                let mut src = &raw[..n];
                let mut bad = None;
                loop {
                    let room = decoder
                        .max_utf8_buffer_length_without_replacement(src.len())
                        .unwrap_or(src.len() * 3 + 16);
                    let at = text.len();
                    text.resize(at + room, 0);
                    let (result, read, written) =
                        decoder.decode_to_utf8_without_replacement(src, &mut text[at..], last);
                    text.truncate(at + written);
                    match result {
                        encoding_rs::DecoderResult::InputEmpty => break,
                        encoding_rs::DecoderResult::OutputFull => src = &src[read..],
                        encoding_rs::DecoderResult::Malformed(bad_len, extra) => {
                            let end = read.saturating_sub(usize::from(extra));
                            let begin = end.saturating_sub(usize::from(bad_len));
                            let shown: Vec<String> =
                                src[begin..end].iter().map(|b| format!("{b:02X}")).collect();
                            bad = Some(if shown.is_empty() {
                                "the file ends in the middle of a character".to_string()
                            } else {
                                format!("bytes {} are not a character", shown.join(" "))
                            });
                            break;
                        }
                    }
                }
                bad
            }
        };
        let plain = if self.decoder.is_some() {
            self.plain_line_ends(&text)
        } else {
            self.plain_line_ends(&raw[..n])
        };
        self.raw = raw;
        self.text = text;
        plain?;
        if let Some(what) = bad {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                BadBytes {
                    line: self.line,
                    column: Some(self.column + 1),
                    message: format!(
                        "{what} in {}: the file is damaged or in another encoding; save it again as UTF-8 (or give the right --encoding)",
                        self.encoding
                    ),
                },
            ));
        }
        if last {
            self.done = true;
        }
        Ok(())
    }

    /// Copy `text` to `decoded`, turning CRLF and lone CR into LF, counting lines and columns,
    /// and bounding lines and quoted values.
    fn plain_line_ends(&mut self, text: &[u8]) -> io::Result<()> {
        let mut rest = text;
        while !rest.is_empty() {
            // Bytes that are neither a line end, a quote nor the delimiter only move the counts:
            // copied a run at a time (byte by byte this was the import's largest cost).
            let run = rest
                .iter()
                .position(|&b| matches!(b, b'\n' | b'\r' | b'"') || b == self.delimiter)
                .unwrap_or(rest.len());
            if run > 0 {
                self.plain_run(&rest[..run])?;
                rest = &rest[run..];
                continue;
            }
            self.special_byte(rest[0])?;
            rest = &rest[1..];
        }
        Ok(())
    }

    /// A run of ordinary bytes: what [`Self::special_byte`] would do to each, at once.
    fn plain_run(&mut self, run: &[u8]) -> io::Result<()> {
        self.quote = match self.quote {
            Quote::Quoted => Quote::Quoted,
            _ => Quote::Unquoted,
        };
        if self.quote == Quote::Quoted {
            self.quoted_bytes += run.len();
            if self.quoted_bytes > MAX_LINE_BYTES {
                return Err(self.quoted_too_long());
            }
        }
        self.after_cr = false;
        self.decoded.extend_from_slice(run);
        self.line_bytes += run.len();
        // Columns are only named for a bad GB18030 sequence: UTF-8 is checked per field later.
        if self.decoder.is_some() {
            self.column += run.iter().filter(|&&b| b & 0xC0 != 0x80).count() as u64;
        }
        if self.line_bytes > MAX_LINE_BYTES {
            return Err(too_long(self.line));
        }
        Ok(())
    }

    /// A line end, a quote or the delimiter: line ends become LF and are counted.
    fn special_byte(&mut self, b: u8) -> io::Result<()> {
        self.follow_quotes(b)?;
        match b {
            b'\n' if self.after_cr => {
                // The LF of a CRLF: its line end was written at the CR.
                self.after_cr = false;
                return Ok(());
            }
            b'\n' | b'\r' => {
                self.decoded.push(b'\n');
                self.after_cr = b == b'\r';
                self.line += 1;
                self.column = 0;
                self.line_bytes = 0;
                return Ok(());
            }
            _ => {}
        }
        self.after_cr = false;
        self.decoded.push(b);
        self.line_bytes += 1;
        if b & 0xC0 != 0x80 {
            self.column += 1;
        }
        if self.line_bytes > MAX_LINE_BYTES {
            return Err(too_long(self.line));
        }
        Ok(())
    }

    /// Track the quoting of the CSV and refuse a quoted value over [`MAX_LINE_BYTES`].
    fn follow_quotes(&mut self, b: u8) -> io::Result<()> {
        let line_end = b == b'\n' || b == b'\r';
        self.quote = match (self.quote, b) {
            (Quote::FieldStart, b'"') => {
                self.quote_line = self.line;
                self.quoted_bytes = 0;
                Quote::Quoted
            }
            (Quote::Quoted, b'"') => Quote::ClosingOrEscaped,
            (Quote::ClosingOrEscaped, b'"') => Quote::Quoted,
            (Quote::Quoted, _) => Quote::Quoted,
            (_, _) if b == self.delimiter || line_end => Quote::FieldStart,
            (_, _) => Quote::Unquoted,
        };
        if self.quote == Quote::Quoted {
            self.quoted_bytes += 1;
            if self.quoted_bytes > MAX_LINE_BYTES {
                return Err(self.quoted_too_long());
            }
        }
        Ok(())
    }

    fn quoted_too_long(&self) -> io::Error {
        io::Error::new(
            io::ErrorKind::InvalidData,
            BadBytes {
                line: self.quote_line,
                column: None,
                message: format!(
                    "a quoted value that starts on this line runs for more than {} MiB: a closing quote (\") is probably missing",
                    MAX_LINE_BYTES >> 20
                ),
            },
        )
    }
}

impl<R: Read> Read for Checked<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.start >= self.decoded.len() {
            if self.done {
                return Ok(0);
            }
            self.fill()?;
        }
        let n = buf.len().min(self.decoded.len() - self.start);
        buf[..n].copy_from_slice(&self.decoded[self.start..self.start + n]);
        self.start += n;
        Ok(n)
    }
}

/// Copy standard input to an unnamed temporary file before anything else happens, so that a
/// slow writer on the other end of the pipe does not keep the database locked; a line over
/// [`MAX_LINE_BYTES`] stops the copy (`/dev/zero` piped in ends at once).
pub fn spool(mut input: impl Read) -> io::Result<std::fs::File> {
    use std::io::{Seek, Write};
    let mut file = tempfile::tempfile()?;
    let mut buf = vec![0; 1 << 16];
    let (mut line, mut line_bytes, mut after_cr) = (1u64, 0usize, false);
    loop {
        let n = match input.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        for &b in &buf[..n] {
            match b {
                b'\n' if after_cr => after_cr = false,
                b'\n' | b'\r' => {
                    line += 1;
                    line_bytes = 0;
                    after_cr = b == b'\r';
                }
                _ => {
                    after_cr = false;
                    line_bytes += 1;
                    if line_bytes > MAX_LINE_BYTES {
                        return Err(too_long(line));
                    }
                }
            }
        }
        file.write_all(&buf[..n])?;
    }
    file.flush()?;
    file.rewind()?;
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(mut r: impl Read) -> Result<String, String> {
        let mut out = Vec::new();
        r.read_to_end(&mut out)
            .map_err(|e| bad_bytes(&e).map_or_else(|| e.to_string(), |b| b.to_string()))?;
        String::from_utf8(out).map_err(|e| e.to_string())
    }

    #[test]
    fn line_ends_become_plain() {
        let s = read_all(Checked::utf8(&b"a\r\nb\rc\nd"[..], b',')).unwrap();
        assert_eq!(s, "a\nb\nc\nd");
        // A CRLF split across reads still counts once.
        let s = read_all(Checked::utf8(&b"a\r\r\n\nb"[..], b',')).unwrap();
        assert_eq!(s, "a\n\n\nb");
    }

    #[test]
    fn malformed_gb18030_names_line_and_column() {
        let (gb, _, _) = encoding_rs::GB18030.encode("标题,日期\r\n路灯,2026\r\n");
        let mut bytes = gb.to_vec();
        // 路灯 → 路 + half of 灯 + ','
        let cut = bytes.len() - 10;
        bytes.remove(cut);
        let e = read_all(Checked::gb18030(&bytes[..], b',')).unwrap_err();
        assert!(e.starts_with("2:2: bytes "), "{e}");
        assert!(e.contains("not a character in GB18030"), "{e}");
        // Truncated at the end.
        let (gb2, _, _) = encoding_rs::GB18030.encode("标题\n路灯");
        let e = read_all(Checked::gb18030(&gb2[..gb2.len() - 1], b',')).unwrap_err();
        assert!(
            e.starts_with("2:2: the file ends in the middle of a character"),
            "{e}"
        );
        let ok = read_all(Checked::gb18030(&gb2[..], b',')).unwrap();
        assert_eq!(ok, "标题\n路灯");
    }

    #[test]
    fn a_missing_closing_quote_stops_after_a_mib() {
        // Quoted values with line ends and "" inside are fine, and a quote inside an unquoted
        // value is a character.
        let ok = "a,\"b\r\nc \"\"d\"\"\",e\"f\n\"g\"\n";
        assert_eq!(
            read_all(Checked::utf8(ok.as_bytes(), b',')).unwrap(),
            "a,\"b\nc \"\"d\"\"\",e\"f\n\"g\"\n"
        );
        let mut open = b"title\nok\n\"never closed\n".to_vec();
        open.extend(b"short line\n".repeat(200_000));
        let e = read_all(Checked::utf8(&open[..], b',')).unwrap_err();
        assert!(
            e.starts_with("3: a quoted value that starts on this line"),
            "{e}"
        );
        // The same text in an unquoted value is not a quoted value.
        let mut plain = b"title\nok\nnever \"closed\n".to_vec();
        plain.extend(b"short line\n".repeat(200_000));
        assert!(read_all(Checked::utf8(&plain[..], b',')).is_ok());
    }

    #[test]
    fn long_lines_stop_early() {
        let zeros = std::io::repeat(0).take(16 << 20);
        let e = read_all(Checked::utf8(zeros, b',')).unwrap_err();
        assert!(e.starts_with("1: the line is longer than 1 MiB"), "{e}");
        let e = spool(std::io::repeat(0)).unwrap_err();
        assert!(bad_bytes(&e).is_some_and(|b| b.line == 1), "{e}");
        let mut f = spool(&b"a\r\nb"[..]).unwrap();
        let mut s = String::new();
        f.read_to_string(&mut s).unwrap();
        assert_eq!(s, "a\r\nb");
    }
}
