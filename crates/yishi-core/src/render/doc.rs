//! What documents share: the formats they come in, the template engine setup, and a small
//! block model (title, paragraphs, lists, tables, closing with seal, signature lines) that the
//! Word writer lays out. Templates make text, Markdown and HTML; Word is built from blocks.

use crate::error::{Error, Result};
use minijinja::{Environment, UndefinedBehavior, value::Serde};
use serde::Serialize;
use std::path::Path;

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
    /// Notices as one phone image (render/phone.rs).
    Png,
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
            "png" => Some(Format::Png),
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
            Format::Png => "png",
        }
    }

    /// Parse `--format`, naming the allowed values when it is not one of them.
    pub fn choose(given: &str, allowed: &[Format]) -> Result<Format> {
        match Format::parse(given) {
            Some(f) if allowed.contains(&f) => Ok(f),
            _ => {
                let names: Vec<&str> = allowed.iter().map(|f| f.name()).collect();
                Err(Error::usage_text(crate::text!(
                    "value.format_unsupported",
                    value = given,
                    allowed = names.join(", ")
                )))
            }
        }
    }

    /// Pick `--format` (if given) against `-o FILE`'s extension; see [`pick`].
    pub fn resolve(
        given: Option<&str>,
        output: Option<&Path>,
        default: Format,
        allowed: &[Format],
    ) -> Result<Format> {
        let given = match given {
            Some(g) => Some((g, Format::choose(g, allowed)?)),
            None => None,
        };
        let named: Vec<(&'static str, Format)> = allowed.iter().map(|f| (f.name(), *f)).collect();
        pick(given, output, default, &named)
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Markdown => "md",
            other => other.extension(),
        }
    }
}

/// The format a file's name asks for, by its extension (any case): `docx`, `html`, `md`,
/// `text`, `xlsx`, `ics`, `csv`, `json`; `None` for `-` (stdout), no extension or another one.
pub fn named_by(path: &Path) -> Option<&'static str> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    Some(match ext.as_str() {
        "docx" => "docx",
        "html" | "htm" => "html",
        "md" | "markdown" => "md",
        "txt" => "text",
        "xlsx" => "xlsx",
        "ics" => "ics",
        "csv" => "csv",
        "json" => "json",
        "png" => "png",
        _ => return None,
    })
}

/// Pick the format a command writes: `--format` when given, else what `-o FILE`'s extension
/// says, else `default` (stdout). A `--format` that contradicts the file's extension, an
/// extension this command cannot write, and a file name whose extension says nothing (without
/// `--format`) are usage errors: a file named .docx must never receive Markdown.
/// `names` turns each allowed value into its `--format` name (the commands' own enums).
pub fn pick<F: Copy + PartialEq>(
    given: Option<(&str, F)>,
    output: Option<&Path>,
    default: F,
    allowed: &[(&'static str, F)],
) -> Result<F> {
    let file = output.filter(|p| *p != Path::new("-"));
    let by_name = file.and_then(named_by);
    let names = || {
        allowed
            .iter()
            .map(|(n, _)| *n)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let name_of = |f: F| {
        allowed
            .iter()
            .find(|(_, g)| *g == f)
            .map(|(n, _)| *n)
            .unwrap_or("?")
    };
    match (given, file, by_name) {
        (Some((typed, f)), Some(p), Some(ext)) if name_of(f) != ext => {
            Err(Error::usage_text(crate::text!(
                "output.format_conflicts",
                typed = typed,
                path = p.display(),
                named = extension_of(p),
                holds = ext,
                want = ext_for(name_of(f))
            )))
        }
        (Some((_, f)), _, _) => Ok(f),
        (None, Some(p), Some(ext)) => allowed
            .iter()
            .find(|(n, _)| *n == ext)
            .map(|(_, f)| *f)
            .ok_or_else(|| {
                Error::usage_text(crate::text!(
                    "output.not_written_here",
                    path = p.display(),
                    ext = ext,
                    names = names()
                ))
            }),
        (None, Some(p), None) => Err(Error::usage_text(crate::text!(
            "output.format_unknown",
            path = p.display(),
            names = names(),
            ext = ext_for(names().split(", ").next().unwrap_or("txt"))
        ))),
        (None, None, _) => Ok(default),
    }
}

/// For a command that writes one format only (`ics`, `xlsx`): refuse a file whose extension
/// names another format; any other name is taken as given.
pub fn check_named(output: Option<&Path>, writes: &'static str) -> Result<()> {
    match output
        .filter(|p| *p != Path::new("-"))
        .map(|p| (p, named_by(p)))
    {
        Some((p, Some(ext))) if ext != writes => Err(Error::usage_text(crate::text!(
            "output.writes_only",
            path = p.display(),
            writes = writes,
            ext = ext,
            want = ext_for(writes)
        ))),
        _ => Ok(()),
    }
}

fn extension_of(p: &Path) -> String {
    p.extension()
        .map(|e| e.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The usual extension for a format's name.
fn ext_for(name: &str) -> &str {
    if name == "text" { "txt" } else { name }
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
    let (line_zh, line_en) = e
        .line()
        .map(|l| (format!(" 第 {l} 行"), format!(" line {l}")))
        .unwrap_or_default();
    let detail = e.detail().map(|d| format!(": {d}")).unwrap_or_default();
    Error::data_text(
        crate::text!(
            "template.error",
            name = name,
            kind = e.kind(),
            detail = detail
        )
        .pair("line", line_zh, line_en),
    )
}

/// Read a `--template` file.
pub fn read_template(path: Option<&std::path::Path>) -> Result<Option<(String, String)>> {
    let Some(p) = path else { return Ok(None) };
    let source = std::fs::read_to_string(p).map_err(|e| {
        Error::data_text(
            crate::text!("file.cannot_read_template", path = p.display()).os_error("error", &e),
        )
    })?;
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
    /// 记录校验码 #N · hash, printed small in the footer of every page.
    pub anchor: Option<String>,
    pub blocks: Vec<Block>,
}

pub enum Block {
    /// 各位居民： flush left, before the body.
    Salutation(String),
    /// A first-level heading (一、出席情况), 黑体.
    Heading(String),
    /// A second-level heading (（一）…), 楷体.
    Subheading(String),
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
    /// A picture (a PNG of `px` × `px` pixels) centred, `mm` wide, with lines centred under it:
    /// a result notice's QR code (扫码评议).
    Figure {
        png: Vec<u8>,
        px: u32,
        mm: u32,
        caption: Vec<String>,
    },
}

pub struct Table {
    pub header: Vec<String>,
    /// Relative column widths.
    pub widths: Vec<u32>,
    pub rows: Vec<Vec<String>>,
    /// Tall rows to write or sign in by hand.
    pub tall_rows: bool,
}
