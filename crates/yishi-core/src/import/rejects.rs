//! The rejects file of an import (`--skip-invalid --rejects FILE`): each bad row as it was
//! read, with a reason column. Owner-only (it holds residents' details), written through
//! [`crate::outfile`] (complete or absent; an existing file only when `force`), with the
//! formula guard of `issue list --csv`. Its reason column is in the reader's language.

use super::RowReason;
use crate::domain::locale::Locale;
use crate::error::{Error, Result};
use std::path::PathBuf;

pub struct Rejects {
    writer: csv::Writer<std::fs::File>,
    path: PathBuf,
    file: crate::outfile::Pending,
    /// The number of columns in the header: the reason always goes in the column after them.
    width: usize,
    /// The language of the reasons.
    locale: Locale,
}

impl Rejects {
    pub fn create(
        path: PathBuf,
        headers: &[String],
        force: bool,
        locale: Locale,
    ) -> Result<Rejects> {
        let pending = crate::outfile::Pending::new(&path, force)?;
        let mut writer = csv::WriterBuilder::new()
            .flexible(true)
            .from_writer(pending.handle()?);
        let reason = crate::text!("import.rejects.reason_column").render(locale);
        let mut header: Vec<&str> = headers.iter().map(String::as_str).collect();
        header.push(&reason);
        writer.write_record(&header).map_err(|e| {
            Error::io_text(crate::text!(
                "file.cannot_write",
                file = path.display(),
                error = e
            ))
        })?;
        Ok(Rejects {
            writer,
            path,
            file: pending,
            width: headers.len(),
            locale,
        })
    }

    /// A short row is padded so that its reason is under `reason`; a long row keeps its extra
    /// fields after the reason, so nothing the resident wrote is lost.
    pub fn write(&mut self, mut fields: Vec<String>, reason: RowReason) -> Result<()> {
        if fields.len() < self.width {
            fields.resize(self.width, String::new());
        }
        let reason = match self.locale {
            Locale::ZhCn => reason.zh,
            Locale::En => reason.en,
        };
        fields.insert(self.width, reason);
        // A spreadsheet must not run a resident's "=HYPERLINK(...)" as a formula.
        let fields: Vec<String> = fields
            .iter()
            .map(|f| super::formula_guard(f).into_owned())
            .collect();
        self.writer.write_record(&fields).map_err(|e| {
            Error::io_text(crate::text!(
                "file.cannot_write",
                file = self.path.display(),
                error = e
            ))
        })
    }

    /// Flush and put the file in place.
    pub fn finish(mut self) -> Result<()> {
        self.writer
            .flush()
            .map_err(|e| crate::outfile::io_error(&self.path, &e))?;
        self.file.commit()
    }
}
