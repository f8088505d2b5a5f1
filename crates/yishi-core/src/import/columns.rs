//! Which column feeds which field: a `--map` file first, then the fields' own names and aliases
//! (after stripping survey numbering), then survey metadata for fields still without a column.

use super::{CsvOptions, FieldSpec, normalize_header, survey};
use crate::error::{Error, Result};
use std::collections::HashMap;
use std::path::Path;

pub struct Columns {
    pub field_columns: Vec<Option<usize>>,
    pub unknown: Vec<String>,
    pub ignored: Vec<String>,
    pub platform: Option<&'static str>,
    /// A survey export (a platform's metadata, or numbered questions): its rows came in online.
    pub survey: bool,
    /// Where a survey's intake metadata is (nothing for other files).
    pub intake: survey::IntakeColumns,
}

/// Map a header to fields; `name` is the input as messages call it.
pub fn map(
    name: &str,
    headers: &[String],
    opts: &CsvOptions,
    fields: &[FieldSpec],
) -> Result<Columns> {
    let mapping = match &opts.map {
        Some(p) => read_mapping(p, fields)?,
        None => HashMap::new(),
    };
    let normalized: Vec<String> = headers.iter().map(|h| normalize_header(h)).collect();
    let platform = survey::platform(&normalized);
    let is_survey = survey::is_survey(headers, platform);
    let header = Header {
        name,
        headers,
        normalized: &normalized,
        fields,
    };
    let placed = header.place_questions(&mapping, is_survey)?;
    let mut field_columns = placed.field_columns;
    let ignored = header.place_metadata(placed.metadata, &mut field_columns);
    header.check_required(&field_columns)?;
    if !opts.ignore_unknown {
        header.check_unknown(&placed.unknown)?;
    }
    let intake = if is_survey {
        survey::intake_columns(&normalized)
    } else {
        survey::IntakeColumns::default()
    };
    Ok(Columns {
        field_columns,
        unknown: placed.unknown,
        ignored,
        platform,
        survey: is_survey,
        intake,
    })
}

/// The header being mapped, with what mapping it needs.
struct Header<'a> {
    /// The input as messages call it.
    name: &'a str,
    headers: &'a [String],
    /// The headers without survey decoration (see [`normalize_header`]).
    normalized: &'a [String],
    fields: &'a [FieldSpec],
}

/// The question columns placed: each field's column, the columns that match no field, and
/// survey metadata columns (with the field each may feed) still to place.
struct Placed {
    field_columns: Vec<Option<usize>>,
    unknown: Vec<String>,
    metadata: Vec<(usize, Option<&'static str>)>,
}

impl Header<'_> {
    /// Place every column that is not survey metadata: by the `--map` file, else by a field's
    /// key or aliases. Two columns for one field are refused.
    fn place_questions(
        &self,
        mapping: &HashMap<String, &'static str>,
        is_survey: bool,
    ) -> Result<Placed> {
        let mut placed = Placed {
            field_columns: vec![None; self.fields.len()],
            unknown: Vec::new(),
            metadata: Vec::new(),
        };
        // Metadata columns wait until every question column has been placed: a survey's own
        // date question wins over the submission time.
        for (col, (h, norm)) in self.headers.iter().zip(self.normalized).enumerate() {
            if norm.is_empty() {
                continue;
            }
            let key = match mapping.get(norm) {
                Some(k) => Some(*k),
                None => {
                    if let Some(target) = survey::metadata(norm, is_survey) {
                        placed.metadata.push((col, target));
                        continue;
                    }
                    self.field_named(norm)
                }
            };
            match key.and_then(|k| self.position(k)) {
                // Fields named with a leading underscore are known columns that are not read.
                Some(fi) if self.fields[fi].key.starts_with('_') => {}
                Some(fi) => match placed.field_columns[fi] {
                    None => placed.field_columns[fi] = Some(col),
                    Some(first) => return Err(self.clash(first, col, fi)),
                },
                None => placed.unknown.push(h.clone()),
            }
        }
        Ok(placed)
    }

    /// The field whose key or alias is the (normalized) header `norm`.
    fn field_named(&self, norm: &str) -> Option<&'static str> {
        self.fields
            .iter()
            .find(|f| f.key == norm || f.aliases.iter().any(|a| normalize_header(a) == *norm))
            .map(|f| f.key)
    }

    fn position(&self, key: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.key == key)
    }

    /// Two columns (`first`, `second`) for field `fi`.
    fn clash(&self, first: usize, second: usize, fi: usize) -> Error {
        Error::data_text(crate::text!(
            "import.columns_clash",
            name = self.name,
            first = &self.headers[first],
            second = &self.headers[second],
            field = self.fields[fi].key
        ))
    }

    /// Survey metadata columns feed the fields still without a column; the others are
    /// ignored (returned, for the summary).
    fn place_metadata(
        &self,
        metadata: Vec<(usize, Option<&'static str>)>,
        field_columns: &mut [Option<usize>],
    ) -> Vec<String> {
        let mut ignored = Vec::new();
        for (col, target) in metadata {
            let free = target
                .and_then(|k| self.position(k))
                .filter(|&fi| field_columns[fi].is_none());
            match free {
                Some(fi) => field_columns[fi] = Some(col),
                None => ignored.push(self.headers[col].clone()),
            }
        }
        ignored
    }

    /// Every required field has a column. Each missing one is named by its key and its first
    /// names: `title (标题/议题/问题)`, in Chinese the names first and the key as code.
    fn check_required(&self, field_columns: &[Option<usize>]) -> Result<()> {
        let (missing_zh, missing): (Vec<String>, Vec<String>) = self
            .fields
            .iter()
            .zip(field_columns)
            .filter(|(f, c)| f.required && c.is_none())
            .map(|(f, _)| {
                let names = f.aliases.iter().take(3).copied().collect::<Vec<_>>();
                (
                    format!("{}（`{}`）", names.join("/"), f.key),
                    format!("{} ({})", f.key, names.join("/")),
                )
            })
            .unzip();
        if missing.is_empty() {
            return Ok(());
        }
        Err(Error::data_text(
            crate::text!(
                "import.no_column_for",
                name = self.name,
                headers = self.headers.join(", ")
            )
            .pair("missing", missing_zh.join("、"), missing.join(", ")),
        ))
    }

    /// Columns that match no field are refused (unless --ignore-unknown), naming the fields.
    fn check_unknown(&self, unknown: &[String]) -> Result<()> {
        if unknown.is_empty() {
            return Ok(());
        }
        let keys: Vec<&str> = self
            .fields
            .iter()
            .map(|f| f.key)
            .filter(|k| !k.starts_with('_'))
            .collect();
        let columns: Vec<String> = unknown.iter().map(|u| format!("\"{u}\"")).collect();
        Err(Error::data_text(crate::text!(
            "import.unknown_columns_refused",
            name = self.name,
            columns = columns.join(", "),
            fields = keys.join(", ")
        )))
    }
}

/// Read a `--map` file: header → field key.
fn read_mapping(path: &Path, fields: &[FieldSpec]) -> Result<HashMap<String, &'static str>> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Error::data_text(
            crate::text!("import.mapping_unreadable", file = path.display()).os_error("error", &e),
        )
    })?;
    let table: toml::Table = toml::from_str(&text).map_err(|e| {
        let (zh, en) = crate::i18n::toml_error::words(&text, &e);
        Error::data_text(
            crate::text!("import.mapping_invalid", file = path.display()).pair("error", zh, en),
        )
    })?;
    // Accept both a top-level table and a [columns] section.
    let table = match table.get("columns") {
        Some(toml::Value::Table(t)) => t.clone(),
        _ => table,
    };
    let mut map = HashMap::new();
    for (header, value) in table {
        let key = value.as_str().ok_or_else(|| {
            Error::data_text(crate::text!(
                "import.mapping_not_text",
                file = path.display(),
                header = &header
            ))
        })?;
        let field = fields.iter().find(|f| f.key == key).ok_or_else(|| {
            let keys: Vec<&str> = fields.iter().map(|f| f.key).collect();
            Error::data_text(crate::text!(
                "import.mapping_not_a_field",
                file = path.display(),
                header = &header,
                key = key,
                fields = keys.join(", ")
            ))
        })?;
        map.insert(normalize_header(&header), field.key);
    }
    Ok(map)
}

impl super::Source {
    /// For the end of an import's summary, in Chinese and English: `; survey columns not
    /// imported: 序号, 所用时间, 来自IP`, or nothing. (Unknown columns skipped with
    /// --ignore-unknown have their own warning.)
    pub fn not_imported_note(&self) -> (String, String) {
        self.note_of(self.ignored.iter())
    }

    /// [`Self::not_imported_note`] for an issue import, which keeps a survey's intake columns
    /// (序号, 来源, 来自IP ...) as the issue's intake metadata.
    pub fn issue_not_imported_note(&self) -> (String, String) {
        self.note_of(self.ignored.iter().filter(|h| {
            self.headers
                .iter()
                .position(|x| x == *h)
                .is_none_or(|col| !self.intake.uses(col))
        }))
    }

    fn note_of<'a>(&self, columns: impl Iterator<Item = &'a String>) -> (String, String) {
        use crate::domain::locale::Locale;
        let columns: Vec<&str> = columns.map(String::as_str).collect();
        if columns.is_empty() {
            return (String::new(), String::new());
        }
        let note = crate::text!("import.survey_columns_not_imported").pair(
            "columns",
            columns.join("、"),
            columns.join(", "),
        );
        (note.render(Locale::ZhCn), note.render(Locale::En))
    }
}
