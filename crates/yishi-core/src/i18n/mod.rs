//! What yishi says, in both languages, from one catalogue (`locales/*.toml`: one file per area,
//! read as one table; a key may appear in only one of them; build.rs compiles it in).
//!
//! A message is a [`Text`]: a key of the catalogue and named arguments, worded only when it
//! is shown, in the language of the person reading it. Each entry has its `zh` and `en`
//! wording with the same placeholders (`{id}`), which a test checks for every entry, and
//! another test checks that every key the code uses exists. An argument whose words differ by
//! language (a status: 已受理 / accepted) is given as a pair.
//!
//! Why not Fluent or rust-i18n: messages here need no plural rules (Chinese has none and the
//! English ones say "issue(s)"), and a TOML table beside the code, checked by two tests, keeps
//! the build small; the catalogue's shape (key, language, placeholders) moves to Fluent
//! unchanged if plurals are ever needed.

pub mod toml_error;

use crate::domain::locale::Locale;
use std::fmt;

/// One entry: its wording in each language.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    pub zh: &'static str,
    pub en: &'static str,
}

/// The table build.rs makes of `locales/*.toml` (one file per area of the tool, so that work
/// on one area never edits the lines of another): `ENTRIES`, sorted by key.
mod compiled {
    include!(concat!(env!("OUT_DIR"), "/catalogue.rs"));
}

/// The catalogue, compiled in: looking a message up parses nothing.
pub struct Catalogue(&'static [(&'static str, &'static str, &'static str)]);

impl Catalogue {
    pub fn get(&self, key: &str) -> Option<Entry> {
        let at = self.0.binary_search_by(|(k, ..)| (*k).cmp(key)).ok()?;
        let (_, zh, en) = self.0[at];
        Some(Entry { zh, en })
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Every entry with its key, in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, Entry)> + '_ {
        self.0.iter().map(|&(key, zh, en)| (key, Entry { zh, en }))
    }
}

/// The catalogue.
pub fn catalogue() -> &'static Catalogue {
    static CATALOGUE: Catalogue = Catalogue(compiled::ENTRIES);
    &CATALOGUE
}

/// An argument's value: the same in both languages, or worded per language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Same(String),
    Pair { zh: String, en: String },
}

impl Value {
    fn in_(&self, locale: Locale) -> &str {
        match self {
            Value::Same(s) => s,
            Value::Pair { zh, en } => locale.pick(zh, en),
        }
    }
}

/// A message of the catalogue with its arguments, not yet worded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub key: &'static str,
    pub args: Vec<(&'static str, Value)>,
}

impl Text {
    pub fn new(key: &'static str) -> Text {
        Text {
            key,
            args: Vec::new(),
        }
    }

    /// An argument shown the same in both languages (an id, a name, a number).
    pub fn arg(mut self, name: &'static str, value: impl fmt::Display) -> Text {
        self.args.push((name, Value::Same(value.to_string())));
        self
    }

    /// An argument worded per language.
    pub fn pair(
        mut self,
        name: &'static str,
        zh: impl Into<String>,
        en: impl Into<String>,
    ) -> Text {
        self.args.push((
            name,
            Value::Pair {
                zh: zh.into(),
                en: en.into(),
            },
        ));
        self
    }

    /// An argument that is itself a message (e.g. a reason), worded in the same language.
    pub fn text(self, name: &'static str, inner: &Text) -> Text {
        let (zh, en) = (inner.render(Locale::ZhCn), inner.render(Locale::En));
        self.pair(name, zh, en)
    }

    /// An argument that is the system's error: the usual kinds (no such file, no permission,
    /// a folder, a full disk) in Chinese words, the system's own text in English and for the
    /// rest.
    pub fn os_error(self, name: &'static str, e: &std::io::Error) -> Text {
        use std::io::ErrorKind;
        let zh = match e.kind() {
            ErrorKind::NotFound => Text::new("os.not_found"),
            ErrorKind::PermissionDenied => Text::new("os.permission_denied"),
            ErrorKind::IsADirectory => Text::new("os.is_a_directory"),
            ErrorKind::StorageFull => Text::new("os.storage_full"),
            ErrorKind::AlreadyExists => Text::new("os.already_exists"),
            _ => return self.arg(name, e),
        };
        self.pair(name, zh.render(Locale::ZhCn), e.to_string())
    }

    /// The message in `locale`. A key missing from the catalogue is yishi's bug; it shows as
    /// the key and its arguments rather than hiding the message.
    pub fn render(&self, locale: Locale) -> String {
        let Some(entry) = catalogue().get(self.key) else {
            let args: Vec<String> = self
                .args
                .iter()
                .map(|(n, v)| format!("{n}={}", v.in_(locale)))
                .collect();
            return format!("{} ({})", self.key, args.join(", "));
        };
        fill(locale.pick(entry.zh, entry.en), |name| {
            self.args
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.in_(locale))
        })
    }
}

/// `template` with each `{name}` replaced by `value(name)` (left as is when there is none);
/// `{{` and `}}` are literal braces.
pub fn fill<'a>(template: &str, value: impl Fn(&str) -> Option<&'a str>) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(at) = rest.find(['{', '}']) {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            out.push_str(&tail[..1]);
            rest = &tail[2..];
            continue;
        }
        match (tail.starts_with('{'), tail.find('}')) {
            (true, Some(end)) => {
                let name = &tail[1..end];
                match value(name) {
                    Some(v) => out.push_str(v),
                    None => out.push_str(&tail[..=end]),
                }
                rest = &tail[end + 1..];
            }
            _ => {
                out.push_str(&tail[..1]);
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The placeholders of a template, in order of first appearance.
pub fn placeholders(template: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = template.replace("{{", "").replace("}}", "");
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let name = rest[open + 1..open + close].to_string();
        if !names.contains(&name) {
            names.push(name);
        }
        rest = rest[open + close + 1..].to_string();
    }
    names
}

/// A message of the catalogue: `text!("issue.merged", dup = 6, into = 1, title = &into.title)`.
#[macro_export]
macro_rules! text {
    ($key:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::i18n::Text::new($key)$(.arg(stringify!($name), $value))*
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every entry has both languages, neither empty, with the same placeholders; the
    /// Chinese is not the English copied.
    #[test]
    fn every_message_has_both_languages_with_the_same_placeholders() {
        let mut problems = Vec::new();
        for (key, entry) in catalogue().iter() {
            if entry.zh.trim().is_empty() || entry.en.trim().is_empty() {
                problems.push(format!("{key}: a language is empty"));
            }
            if entry.zh == entry.en {
                problems.push(format!("{key}: zh is the same as en"));
            }
            let (mut zh, mut en) = (placeholders(entry.zh), placeholders(entry.en));
            zh.sort();
            en.sort();
            if zh != en {
                problems.push(format!("{key}: placeholders differ: zh {zh:?}, en {en:?}"));
            }
            if entry.zh == key || entry.en == key {
                problems.push(format!("{key}: a wording is its key"));
            }
        }
        assert!(catalogue().len() > 10);
        problems.sort();
        assert!(
            problems.is_empty(),
            "locales/*.toml:\n{}",
            problems.join("\n")
        );
    }

    /// Each message renders in both languages with sample arguments, every placeholder filled.
    #[test]
    fn every_message_renders_with_sample_arguments() {
        for (key, entry) in catalogue().iter() {
            let names = placeholders(entry.en);
            for locale in [Locale::ZhCn, Locale::En] {
                let template = locale.pick(entry.zh, entry.en);
                let shown = fill(template, |_| Some("样例"));
                assert!(!shown.contains('{'), "{key}: {shown}");
                assert!(!shown.trim().is_empty(), "{key}");
                assert_eq!(names.len(), placeholders(template).len(), "{key}");
            }
        }
    }

    /// Every key that the code names with `text!("…"` or `Text::new("…"` is in the catalogue.
    #[test]
    fn every_key_the_code_uses_is_in_the_catalogue() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut missing = Vec::new();
        let mut used = 0;
        for dir in [root.join("src"), root.join("../../src")] {
            for path in rust_files(&dir) {
                let src = std::fs::read_to_string(&path).unwrap();
                for opener in ["text!(\"", "Text::new(\""] {
                    for part in src.split(opener).skip(1) {
                        let key = part.split('"').next().unwrap_or_default();
                        if key.is_empty() || key == "…" {
                            continue;
                        }
                        used += 1;
                        if !catalogue().contains_key(key) {
                            missing.push(format!("{}: {key}", path.display()));
                        }
                    }
                }
            }
        }
        assert!(used > 10, "found only {used} uses");
        assert!(
            missing.is_empty(),
            "not in locales/*.toml:\n{}",
            missing.join("\n")
        );
    }

    fn rust_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                out.extend(rust_files(&path));
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
        out
    }

    #[test]
    fn fill_replaces_names_and_keeps_braces() {
        let shown = fill("{a} 与 {b}，{{字面}}，{c}", |n| match n {
            "a" => Some("甲"),
            "b" => Some("乙"),
            _ => None,
        });
        assert_eq!(shown, "甲 与 乙，{字面}，{c}");
    }
}
