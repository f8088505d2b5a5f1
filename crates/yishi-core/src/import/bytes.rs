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
    pub reason: Reason,
}

/// What is wrong with the bytes; worded by the catalogue ([`Reason::text`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// A line longer than [`MAX_LINE_BYTES`].
    LineTooLong,
    /// A quoted value longer than [`MAX_LINE_BYTES`] (starting on the error's line).
    QuotedTooLong,
    /// Bytes that are not a character of `encoding`.
    NotACharacter {
        bytes: Vec<u8>,
        encoding: &'static str,
    },
    /// The input ends inside a character of `encoding`.
    EndsInACharacter { encoding: &'static str },
}

impl Reason {
    /// The reason in both languages.
    pub fn text(&self) -> crate::i18n::Text {
        let mib = MAX_LINE_BYTES >> 20;
        match self {
            Reason::LineTooLong => crate::text!("import.bytes.line_too_long", mib = mib),
            Reason::QuotedTooLong => crate::text!("import.bytes.quoted_too_long", mib = mib),
            Reason::NotACharacter { bytes, encoding } => {
                // In Chinese as 0xBA: a byte's hex digits are not read as an English word.
                let hex = |prefix: &str| -> String {
                    let shown: Vec<String> =
                        bytes.iter().map(|b| format!("{prefix}{b:02X}")).collect();
                    shown.join(" ")
                };
                crate::text!("import.bytes.not_a_character", encoding = encoding).pair(
                    "bytes",
                    hex("0x"),
                    hex(""),
                )
            }
            Reason::EndsInACharacter { encoding } => {
                crate::text!("import.bytes.ends_in_a_character", encoding = encoding)
            }
        }
    }
}

impl BadBytes {
    /// Where: `3:4` (line and column) or `3`.
    pub fn place(&self) -> String {
        match self.column {
            Some(c) => format!("{}:{c}", self.line),
            None => self.line.to_string(),
        }
    }
}

impl std::fmt::Display for BadBytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let reason = self.reason.text().render(crate::domain::locale::Locale::En);
        write!(f, "{}: {reason}", self.place())
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
            reason: Reason::LineTooLong,
        },
    )
}

/// The CSV quoting state: a quote opens a quoted value only at the start of a field (after a
/// delimiter or a line end, or at the start of the input); inside, `""` is a quote character
/// and a lone `"` closes it.
#[derive(Clone, Copy, PartialEq)]
enum Quote {
    Outside,
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
    /// The last byte read (a line end at the start): a quote after a delimiter or a line end
    /// opens a quoted value.
    previous: u8,
    /// The line a quoted value began on, and its size so far.
    quote_line: u64,
    quoted_bytes: usize,
    /// The longest line or quoted value allowed ([`MAX_LINE_BYTES`]; smaller in tests).
    limit: usize,
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

    /// UTF-16 (`encoding_rs::UTF_16LE` or `UTF_16BE`), decoded to UTF-8; its byte-order
    /// mark is dropped.
    pub fn utf16(inner: R, encoding: &'static encoding_rs::Encoding, delimiter: u8) -> Checked<R> {
        let name = if encoding == encoding_rs::UTF_16BE {
            "UTF-16BE"
        } else {
            "UTF-16LE"
        };
        Checked::new(inner, Some(encoding.new_decoder()), name, delimiter)
    }

    fn new(
        inner: R,
        decoder: Option<encoding_rs::Decoder>,
        encoding: &'static str,
        delimiter: u8,
    ) -> Self {
        Checked {
            delimiter,
            quote: Quote::Outside,
            previous: b'\n',
            quote_line: 0,
            quoted_bytes: 0,
            limit: MAX_LINE_BYTES,
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
                            let encoding = self.encoding;
                            bad = Some(if begin == end {
                                Reason::EndsInACharacter { encoding }
                            } else {
                                Reason::NotACharacter {
                                    bytes: src[begin..end].to_vec(),
                                    encoding,
                                }
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
        if let Some(reason) = bad {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                BadBytes {
                    line: self.line,
                    column: Some(self.column + 1),
                    reason,
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
        self.decoded.reserve(text.len());
        let mut rest = text;
        // Bytes other than line ends and quotes only move the counts: found with memchr and
        // copied a run at a time (byte by byte this was the import's largest cost).
        while let Some(at) = memchr::memchr3(b'\n', b'\r', b'"', rest) {
            if at > 0 {
                self.plain_run(&rest[..at])?;
            }
            self.special_byte(rest[at])?;
            rest = &rest[at + 1..];
        }
        if !rest.is_empty() {
            self.plain_run(rest)?;
        }
        Ok(())
    }

    /// A run of bytes that are neither line ends nor quotes.
    fn plain_run(&mut self, run: &[u8]) -> io::Result<()> {
        if self.quote == Quote::ClosingOrEscaped {
            self.quote = Quote::Outside;
        }
        // Whichever limit the run crosses first, as if byte by byte (the quoted value's first
        // when the same byte crosses both).
        let line_room = self.limit - self.line_bytes;
        if self.quote == Quote::Quoted {
            let quoted_room = self.limit - self.quoted_bytes;
            if run.len() > quoted_room && quoted_room <= line_room {
                return Err(self.quoted_too_long());
            }
            self.quoted_bytes += run.len();
        }
        if run.len() > line_room {
            return Err(too_long(self.line));
        }
        self.after_cr = false;
        self.previous = run[run.len() - 1];
        self.decoded.extend_from_slice(run);
        self.line_bytes += run.len();
        // Columns are only named for a bad GB18030 sequence: UTF-8 is checked per field later.
        if self.decoder.is_some() {
            self.column += run.iter().filter(|&&b| b & 0xC0 != 0x80).count() as u64;
        }
        Ok(())
    }

    /// A line end or a quote: line ends become LF and are counted.
    fn special_byte(&mut self, b: u8) -> io::Result<()> {
        self.follow_quotes(b)?;
        self.previous = b;
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
        self.column += 1;
        if self.line_bytes > self.limit {
            return Err(too_long(self.line));
        }
        Ok(())
    }

    /// Track the quoting of the CSV at a line end or a quote, and refuse a quoted value over
    /// the limit.
    fn follow_quotes(&mut self, b: u8) -> io::Result<()> {
        let field_start =
            self.previous == self.delimiter || self.previous == b'\n' || self.previous == b'\r';
        self.quote = match (self.quote, b) {
            (Quote::Outside, b'"') if field_start => {
                self.quote_line = self.line;
                self.quoted_bytes = 0;
                Quote::Quoted
            }
            (Quote::Quoted, b'"') => Quote::ClosingOrEscaped,
            (Quote::ClosingOrEscaped, b'"') => Quote::Quoted,
            (Quote::Quoted, _) => Quote::Quoted,
            (_, _) => Quote::Outside,
        };
        if self.quote == Quote::Quoted {
            self.quoted_bytes += 1;
            if self.quoted_bytes > self.limit {
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
                reason: Reason::QuotedTooLong,
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
pub(super) mod tests {
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

    /// The byte checker as first written, one byte at a time, with the quoting state kept for
    /// every byte: the run-at-a-time reader must give the same text and the same errors.
    fn reference(input: &[u8], delimiter: u8, limit: usize) -> Result<Vec<u8>, String> {
        #[derive(Clone, Copy, PartialEq)]
        enum Q {
            FieldStart,
            Unquoted,
            Quoted,
            ClosingOrEscaped,
        }
        let (mut q, mut quote_line, mut quoted) = (Q::FieldStart, 0, 0);
        let (mut line, mut line_bytes, mut after_cr) = (1u64, 0, false);
        let mut out = Vec::new();
        for &b in input {
            let line_end = b == b'\n' || b == b'\r';
            q = match (q, b) {
                (Q::FieldStart, b'"') => {
                    quote_line = line;
                    quoted = 0;
                    Q::Quoted
                }
                (Q::Quoted, b'"') => Q::ClosingOrEscaped,
                (Q::ClosingOrEscaped, b'"') => Q::Quoted,
                (Q::Quoted, _) => Q::Quoted,
                (_, _) if b == delimiter || line_end => Q::FieldStart,
                (_, _) => Q::Unquoted,
            };
            if q == Q::Quoted {
                quoted += 1;
                if quoted > limit {
                    return Err(format!("{quote_line}: quoted"));
                }
            }
            if b == b'\n' && after_cr {
                after_cr = false;
                continue;
            }
            if line_end {
                out.push(b'\n');
                after_cr = b == b'\r';
                line += 1;
                line_bytes = 0;
                continue;
            }
            after_cr = false;
            out.push(b);
            line_bytes += 1;
            if line_bytes > limit {
                return Err(format!("{line}: line"));
            }
        }
        Ok(out)
    }

    /// A reader that hands out at most `step` bytes at a time.
    pub(in crate::import) struct Trickle<'a>(pub &'a [u8], pub usize);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.0.len().min(self.1).min(buf.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    proptest::proptest! {
        #[test]
        fn runs_at_a_time_read_as_bytes_one_at_a_time(
            input in proptest::collection::vec(proptest::sample::select(b"ab,;\"\n\r\xC3\xA9".to_vec()), 0..60),
            semicolon: bool,
            limit in 3usize..12,
            step in 1usize..8,
        ) {
            let delimiter = if semicolon { b';' } else { b',' };
            let mut checked = Checked::utf8(Trickle(&input, step), delimiter);
            checked.limit = limit;
            let mut out = Vec::new();
            let got = checked.read_to_end(&mut out).map(|_| out).map_err(|e| {
                let bad = bad_bytes(&e).expect("bad bytes");
                let kind = if bad.reason == Reason::QuotedTooLong { "quoted" } else { "line" };
                format!("{}: {kind}", bad.line)
            });
            proptest::prop_assert_eq!(got, reference(&input, delimiter, limit));
        }
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
