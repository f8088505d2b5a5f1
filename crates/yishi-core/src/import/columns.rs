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
    let mut field_columns = vec![None; fields.len()];
    let mut unknown = Vec::new();
    // Metadata columns wait until every question column has been placed: a survey's own
    // date question wins over the submission time.
    let mut metadata = Vec::new();
    for (col, (h, norm)) in headers.iter().zip(&normalized).enumerate() {
        if norm.is_empty() {
            continue;
        }
        let key = match mapping.get(norm) {
            Some(k) => Some(*k),
            None => {
                if let Some(target) = survey::metadata(norm, is_survey) {
                    metadata.push((col, target));
                    continue;
                }
                fields
                    .iter()
                    .find(|f| {
                        f.key == norm || f.aliases.iter().any(|a| normalize_header(a) == *norm)
                    })
                    .map(|f| f.key)
            }
        };
        match key.and_then(|k| fields.iter().position(|f| f.key == k)) {
            // Fields named with a leading underscore are known columns that are not read.
            Some(fi) if fields[fi].key.starts_with('_') => {}
            Some(fi) if field_columns[fi].is_none() => field_columns[fi] = Some(col),
            Some(fi) => {
                return Err(Error::data_text(crate::text!(
                    "import.columns_clash",
                    name = name,
                    first = &headers[field_columns[fi].unwrap_or(0)],
                    second = h,
                    field = fields[fi].key
                )));
            }
            None => unknown.push(h.clone()),
        }
    }
    let mut ignored = Vec::new();
    for (col, target) in metadata {
        let free = target
            .and_then(|k| fields.iter().position(|f| f.key == k))
            .filter(|&fi| field_columns[fi].is_none());
        match free {
            Some(fi) => field_columns[fi] = Some(col),
            None => ignored.push(headers[col].clone()),
        }
    }
    // Each missing field by its key and its first names: `title (标题/议题/问题)`, in Chinese
    // the names first and the key as code.
    let (missing_zh, missing): (Vec<String>, Vec<String>) = fields
        .iter()
        .zip(&field_columns)
        .filter(|(f, c)| f.required && c.is_none())
        .map(|(f, _)| {
            let names = f.aliases.iter().take(3).copied().collect::<Vec<_>>();
            (
                format!("{}（`{}`）", names.join("/"), f.key),
                format!("{} ({})", f.key, names.join("/")),
            )
        })
        .unzip();
    if !missing.is_empty() {
        return Err(Error::data_text(
            crate::text!(
                "import.no_column_for",
                name = name,
                headers = headers.join(", ")
            )
            .pair("missing", missing_zh.join("、"), missing.join(", ")),
        ));
    }
    if !unknown.is_empty() && !opts.ignore_unknown {
        let keys: Vec<&str> = fields
            .iter()
            .map(|f| f.key)
            .filter(|k| !k.starts_with('_'))
            .collect();
        return Err(Error::data_text(crate::text!(
            "import.unknown_columns_refused",
            name = name,
            columns = unknown
                .iter()
                .map(|u| format!("\"{u}\""))
                .collect::<Vec<_>>()
                .join(", "),
            fields = keys.join(", ")
        )));
    }
    let intake = if is_survey {
        survey::intake_columns(&normalized)
    } else {
        survey::IntakeColumns::default()
    };
    Ok(Columns {
        field_columns,
        unknown,
        ignored,
        platform,
        survey: is_survey,
        intake,
    })
}

/// Read a `--map` file: header → field key.
fn read_mapping(path: &Path, fields: &[FieldSpec]) -> Result<HashMap<String, &'static str>> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Error::data_text(crate::text!(
            "import.mapping_unreadable",
            file = path.display(),
            error = e
        ))
    })?;
    let table: toml::Table = toml::from_str(&text).map_err(|e| {
        Error::data_text(crate::text!(
            "import.mapping_invalid",
            file = path.display(),
            error = e.to_string().trim_end()
        ))
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
    /// For the end of an import's summary: `; survey columns not imported: 序号, 所用时间, 来自IP`,
    /// or nothing. (Unknown columns skipped with --ignore-unknown have their own warning.)
    pub fn not_imported_note(&self) -> String {
        self.note_of(self.ignored.iter())
    }

    /// [`Self::not_imported_note`] for an issue import, which keeps a survey's intake columns
    /// (序号, 来源, 来自IP ...) as the issue's intake metadata.
    pub fn issue_not_imported_note(&self) -> String {
        self.note_of(self.ignored.iter().filter(|h| {
            self.headers
                .iter()
                .position(|x| x == *h)
                .is_none_or(|col| !self.intake.uses(col))
        }))
    }

    fn note_of<'a>(&self, columns: impl Iterator<Item = &'a String>) -> String {
        let columns: Vec<&str> = columns.map(String::as_str).collect();
        if columns.is_empty() {
            String::new()
        } else {
            format!("; survey columns not imported: {}", columns.join(", "))
        }
    }
}
