//! What documents share: the formats they come in, the template engine setup, and a small
//! block model (title, paragraphs, lists, tables, closing with seal, signature lines) that the
//! Word writer lays out. Templates make text, Markdown and HTML; Word is built from blocks.

use crate::error::{Error, Result};
use minijinja::{Environment, UndefinedBehavior, value::Serde};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain text for a chat group: numbered lines, no Markdown symbols.
    Text,
    Markdown,
    Html,
    Json,
    Docx,
    /// Reports only.
    Csv,
    /// Reports only (the ledger's writer).
    Xlsx,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "text" | "txt" => Some(Format::Text),
            "md" | "markdown" => Some(Format::Markdown),
            "html" => Some(Format::Html),
            "json" => Some(Format::Json),
            "docx" | "word" => Some(Format::Docx),
            "csv" => Some(Format::Csv),
            "xlsx" | "excel" => Some(Format::Xlsx),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Text => "txt",
            Format::Markdown => "md",
            Format::Html => "html",
            Format::Json => "json",
            Format::Docx => "docx",
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
        }
    }

    /// Parse `--format`, naming the allowed values when it is not one of them.
    pub fn choose(given: &str, allowed: &[Format]) -> Result<Format> {
        match Format::parse(given) {
            Some(f) if allowed.contains(&f) => Ok(f),
            _ => {
                let names: Vec<&str> = allowed.iter().map(|f| f.name()).collect();
                Err(Error::usage(format!(
                    "--format \"{given}\" is not supported here (allowed: {})",
                    names.join(", ")
                )))
            }
        }
    }

    fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Markdown => "md",
            other => other.extension(),
        }
    }
}

/// A rendered document: text for stdout or a file, or the bytes of a binary file.
pub enum Rendered {
    Text(String),
    Bytes(Vec<u8>),
}

/// What a template writes, which decides how every value in it is escaped: HTML escapes
/// markup, Markdown and text go through [`super::escape`] so that user text cannot forge
/// structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Markup {
    Html,
    Markdown,
    Text,
}

impl Markup {
    pub fn of(format: Format) -> Markup {
        match format {
            Format::Html => Markup::Html,
            Format::Text => Markup::Text,
            _ => Markup::Markdown,
        }
    }
}

/// Render `data` through a built-in template or the user's own (`--template`). Every value is
/// escaped for `markup` (a name like `<script>` is text; a detail cannot start a heading).
/// Errors name the template and the line.
pub fn render_template<T: Serialize>(
    data: &T,
    builtin_name: &str,
    builtin: &str,
    markup: Markup,
    user_template: Option<(&str, String)>,
) -> Result<String> {
    use minijinja::AutoEscape;
    use minijinja::value::Value;
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(move |_| match markup {
        Markup::Html => AutoEscape::Html,
        Markup::Markdown => AutoEscape::Custom("markdown".into()),
        Markup::Text => AutoEscape::Custom("text".into()),
    });
    env.set_formatter(|out, state, value| {
        let custom = match state.auto_escape() {
            AutoEscape::Custom(name) => Some(name.clone()),
            _ => None,
        };
        match (custom.as_deref(), value.as_str()) {
            (Some(mode), Some(s)) if !value.is_safe() => {
                let escaped = if mode == "markdown" {
                    super::escape::markdown(s)
                } else {
                    super::escape::text(s)
                };
                out.write_str(&escaped).map_err(minijinja::Error::from)
            }
            (Some(_), _) => write!(out, "{value}").map_err(minijinja::Error::from),
            (None, _) => minijinja::escape_formatter(out, state, value),
        }
    });
    // `cell`: a value inside a Markdown table row, where | and line breaks would break the row.
    env.add_filter("cell", |state: &minijinja::State, v: String| {
        if matches!(state.auto_escape(), AutoEscape::Custom(m) if m == "markdown") {
            Value::from_safe_string(super::escape::markdown_cell(&v))
        } else {
            Value::from(super::escape::flat(&v).replace('|', "\\|"))
        }
    });
    // `flat`: one line of chat text; line breaks inside a value would break the numbering.
    env.add_filter("flat", |v: String| super::escape::flat(&v));
    // `day(lang)`: a stored day (2026-08-31) as people write it, 2026年8月31日.
    env.add_filter("day", |v: String, lang: String| {
        super::words::day(&v, lang == "zh-CN")
    });
    let (name, source) = match user_template {
        Some((name, source)) => (name.to_string(), source),
        None => (builtin_name.to_string(), builtin.to_string()),
    };
    env.add_template_owned(name.clone(), source)
        .map_err(|e| template_error(&name, &e))?;
    let tmpl = env
        .get_template(&name)
        .map_err(|e| template_error(&name, &e))?;
    let mut out = tmpl
        .render(Serde(data))
        .map_err(|e| template_error(&name, &e))?;
    // A text file ends with a line break (minijinja drops the template's last one).
    if markup != Markup::Html && !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    Ok(out)
}

fn template_error(name: &str, e: &minijinja::Error) -> Error {
    let line = e.line().map(|l| format!(" line {l}")).unwrap_or_default();
    let detail = e.detail().map(|d| format!(": {d}")).unwrap_or_default();
    Error::data(format!(
        "template {name}{line}: {}{detail} (a template sees the data that --format json prints)",
        e.kind()
    ))
}

/// Read a `--template` file.
pub fn read_template(path: Option<&std::path::Path>) -> Result<Option<(String, String)>> {
    let Some(p) = path else { return Ok(None) };
    let source = std::fs::read_to_string(p)
        .map_err(|e| Error::data(format!("cannot read the template {}: {e}", p.display())))?;
    Ok(Some((p.display().to_string(), source)))
}

/// A document for the Word writer.
pub struct Doc {
    pub lang_zh: bool,
    pub title: String,
    /// A line under the title (meeting and date).
    pub subtitle: Option<String>,
    /// Not final: a 草稿 / DRAFT line under the title.
    pub draft: bool,
    /// A notice for the board: larger title.
    pub poster: bool,
    /// 记录校验码 #N · hash, printed small in the footer of every page.
    pub anchor: Option<String>,
    pub blocks: Vec<Block>,
}

pub enum Block {
    /// 各位居民： flush left, before the body.
    Salutation(String),
    /// A section heading (一、出席情况).
    Heading(String),
    /// A body paragraph, first line indented two characters.
    Para(String),
    /// A label and its value on one line (时间：…).
    Field(String, String),
    /// A small-print remark (under a table).
    Note(String),
    /// Numbered lines 1. 2. 3.
    List(Vec<String>),
    Table(Table),
    /// Right-aligned signer and date, with room for the seal.
    Closing {
        lines: Vec<String>,
        seal: Option<String>,
    },
    /// Lines to sign on: 主持人（签名）：＿＿＿＿.
    Signatures(Vec<String>),
    PageBreak,
}

pub struct Table {
    pub header: Vec<String>,
    /// Relative column widths.
    pub widths: Vec<u32>,
    pub rows: Vec<Vec<String>>,
    /// Tall rows to write or sign in by hand.
    pub tall_rows: bool,
}
