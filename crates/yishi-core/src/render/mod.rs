//! Everything the secretary sees: tables, JSON, messages. Commands hand data to `Output`; only
//! this module writes to stdout and stderr.

pub mod calendar;
pub mod council;
pub mod csv;
pub mod doc;
pub mod docx;
pub mod escape;
pub mod gbt9704;
pub mod history;
pub mod ledger;
pub mod mask;
pub mod minutes;
pub mod minutes_docx;
pub mod notice;
pub mod phone;
pub mod qr;
pub mod remind;
pub mod reply;
pub mod report;
pub mod rollup;
pub mod rollup_xlsx;
pub mod signin;
pub mod status;
pub mod table;
pub mod words;
pub mod wrap;
pub mod xlsx;

use crate::error::Result;
use serde::Serialize;
use std::io::{IsTerminal, Write};

/// Where output goes and how it looks, decided once from the global options.
pub struct Output {
    pub json: bool,
    pub quiet: bool,
    pub color: bool,
    pub show_contacts: bool,
    /// stdout is a terminal: tables may wrap to its width.
    pub tty: bool,
    /// `--table`: box-drawn tables even when stdout is a pipe.
    pub boxed_tables: bool,
    /// --overwrite: files that exist may be replaced.
    pub overwrite: bool,
    /// The language of messages (not of documents, which follow the community's locale).
    pub lang: crate::domain::locale::Locale,
    /// The one masking rule for people's names (`domain::contact::Names`), set from the roster
    /// when the database is opened; until then every name is masked unless --show-contacts.
    pub names: crate::domain::contact::Names,
}

impl Output {
    pub fn new(json: bool, quiet: bool, no_color: bool, show_contacts: bool) -> Output {
        let tty = std::io::stdout().is_terminal();
        let dumb = std::env::var("TERM").is_ok_and(|t| t == "dumb");
        let no_color_env = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Output {
            json,
            quiet,
            color: tty && !no_color && !no_color_env && !dumb,
            show_contacts,
            tty,
            boxed_tables: false,
            overwrite: false,
            lang: crate::domain::locale::Locale::ZhCn,
            names: crate::domain::contact::Names::nobody(show_contacts),
        }
    }

    /// Write text to stdout as is (it ends with a newline if it should).
    pub fn print(&self, text: &str) -> Result<()> {
        let mut out = std::io::stdout().lock();
        out.write_all(text.as_bytes())?;
        out.flush()?;
        Ok(())
    }

    pub fn line(&self, text: &str) -> Result<()> {
        self.print(&format!("{text}\n"))
    }

    /// Write a document to `path` by the rules of [`crate::outfile`] (private, complete or
    /// absent, an existing file only with --overwrite, no symlinks), or to stdout without a path.
    pub fn save(&self, path: Option<&std::path::Path>, text: &str) -> Result<()> {
        match stdout_if_dash(path) {
            None => self.print(text),
            Some(p) => self.write_file(p, text.as_bytes()),
        }
    }

    /// Write a binary document (docx, xlsx) to `path`, or to stdout when it is not a terminal.
    pub fn save_bytes(&self, path: Option<&std::path::Path>, bytes: &[u8]) -> Result<()> {
        let Some(path) = stdout_if_dash(path) else {
            if self.tty {
                return Err(crate::error::Error::usage_text(crate::text!(
                    "output.binary_needs_file"
                )));
            }
            let mut out = std::io::stdout().lock();
            out.write_all(bytes)?;
            out.flush()?;
            return Ok(());
        };
        self.write_file(path, bytes)
    }

    /// Every document file goes through [`crate::outfile`]: private, complete or absent, an
    /// existing file only with --overwrite, no symlinks.
    fn write_file(&self, path: &std::path::Path, bytes: &[u8]) -> Result<()> {
        crate::outfile::write(path, bytes, self.overwrite)?;
        self.say(&crate::text!("file.wrote", path = path.display()));
        Ok(())
    }

    /// Write a rendered document: text as `save`, bytes as `save_bytes`.
    pub fn save_rendered(&self, path: Option<&std::path::Path>, doc: &doc::Rendered) -> Result<()> {
        match doc {
            doc::Rendered::Text(t) => self.save(path, t),
            doc::Rendered::Bytes(b) => self.save_bytes(path, b),
        }
    }

    /// Pretty JSON on stdout, one document per command.
    pub fn json<T: Serialize + ?Sized>(&self, value: &T) -> Result<()> {
        let mut s = serde_json::to_string_pretty(value)?;
        s.push('\n');
        self.print(&s)
    }

    /// A listing: box-drawn on a terminal (or with `--table`), tab-separated plain text in a
    /// pipe, as gh does, so that `cut`, `sort` and spreadsheets read it.
    pub fn table(&self, mut table: comfy_table::Table) -> Result<()> {
        if self.tty || self.boxed_tables {
            table::settle(&mut table);
            self.print(&format!("{table}\n"))
        } else {
            self.print(&table::tsv(&table))
        }
    }

    /// A message about what happened, on stderr; silenced by --quiet.
    pub fn note(&self, text: &str) {
        if !self.quiet {
            eprintln!("{}", clean(text));
        }
    }

    /// A message of the catalogue about what happened, in the reader's language.
    pub fn say(&self, text: &crate::i18n::Text) {
        self.note(&text.render(self.lang));
    }

    /// A warning of the catalogue, in the reader's language.
    pub fn warn_text(&self, text: &crate::i18n::Text) {
        self.warn(&text.render(self.lang));
    }

    /// A warning on stderr; shown even with --quiet, because it asks for attention.
    pub fn warn(&self, text: &str) {
        let label = self.lang.pick("注意：", "warning: ");
        if self.color {
            eprintln!("\x1b[33m{label}\x1b[0m{}", clean(text));
        } else {
            eprintln!("{label}{}", clean(text));
        }
    }

    /// A phone number as it may be shown.
    pub fn phone(&self, phone: Option<&str>) -> String {
        match phone {
            None => String::new(),
            Some(p) if self.show_contacts => p.to_string(),
            Some(p) => crate::domain::contact::mask_phone(p),
        }
    }

    pub fn address(&self, address: Option<&str>) -> String {
        match address {
            None => String::new(),
            Some(a) if self.show_contacts => a.to_string(),
            Some(a) => crate::domain::contact::mask_address(a),
        }
    }

    /// A person's name as it may be shown, by the one masking rule: a resident's masked, a
    /// council member's, an observer's or an organisation's in full (`domain::contact::Names`).
    pub fn resident(&self, name: Option<&str>) -> String {
        name.map(|n| self.names.shown(n)).unwrap_or_default()
    }
}

/// Make stored text safe for a terminal: control characters and bidi overrides become visible
/// escapes, so a crafted name cannot move the cursor, clear the screen or reorder a line.
pub fn clean(text: &str) -> String {
    if !text.chars().any(|c| {
        (c.is_control() && c != '\n' && c != '\t') || crate::domain::text::is_bidi_control(c)
    }) {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if (c.is_control() && c != '\n' && c != '\t') || crate::domain::text::is_bidi_control(c)
            {
                format!("\\u{{{:x}}}", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Print an error on stderr as `error: ...`.
pub fn error(lang: crate::domain::locale::Locale, message: &str) {
    let color = std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::env::var("TERM").map_or(true, |t| t != "dumb");
    let label = lang.pick("错误：", "error: ");
    if color {
        eprintln!("\x1b[31m{label}\x1b[0m{}", clean(message));
    } else {
        eprintln!("{label}{}", clean(message));
    }
}

/// `-o -` means standard output, as with most tools (not a file named `-`).
fn stdout_if_dash(path: Option<&std::path::Path>) -> Option<&std::path::Path> {
    path.filter(|p| p.as_os_str() != "-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_escapes_terminal_controls() {
        assert_eq!(clean("林秀英"), "林秀英");
        assert_eq!(clean("a\x1b[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(clean("x\u{202e}y"), "x\\u{202e}y");
        assert_eq!(clean("line\nnext"), "line\nnext");
    }
}

/// 1234567 → "1,234,567": counts in summaries are read by people.
pub fn count(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod count_tests {
    #[test]
    fn thousands() {
        assert_eq!(super::count(0), "0");
        assert_eq!(super::count(999), "999");
        assert_eq!(super::count(1000), "1,000");
        assert_eq!(super::count(1234567), "1,234,567");
    }
}
