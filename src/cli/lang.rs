//! Which language yishi speaks to the person at the keyboard.
//!
//! In this order: `--lang`, `YISHI_LANG`, `locale` in yishi.toml, the locale of the shell
//! (`LC_ALL`, `LC_MESSAGES`, `LANG`: zh… is Chinese, another language English; `C` and `POSIX`
//! say nothing), else Chinese, the tool's home. The choice is made before clap parses the
//! command line, because clap prints help and usage errors while it parses.
//!
//! Documents (minutes, notices, reports) follow `--lang`, else the community's `locale`: a
//! secretary whose shell is English still posts Chinese notices.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use yishi_core::domain::locale::Locale;

/// A language name as `--lang` and `YISHI_LANG` take it (`zh-CN`, `en`, 中文, 英文, …; see
/// `values::languages`).
pub fn parse(value: &str) -> Option<Locale> {
    super::values::languages()
        .key_of(value)
        .and_then(Locale::parse)
}

/// `--lang`'s parser: the languages' keys and Chinese names, to a [`Locale`].
pub fn parser() -> impl clap::builder::TypedValueParser<Value = Locale> {
    use clap::builder::TypedValueParser;
    super::values::languages().map(|key| Locale::parse(&key).unwrap_or(Locale::ZhCn))
}

/// The language of messages and help for this command line, with the environment given
/// (`var`), so that tests can pass their own.
pub fn resolve(args: &[OsString], var: &dyn Fn(&str) -> Option<String>) -> Locale {
    if let Some(l) = flag_value(args, "--lang").and_then(|v| parse(&v)) {
        return l;
    }
    if let Some(l) = var("YISHI_LANG").and_then(|v| parse(&v)) {
        return l;
    }
    if let Some(l) = configured(args, var) {
        return l;
    }
    for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
        match var(name).as_deref().map(shell_locale) {
            Some(Some(l)) => return l,
            // Set, but C or POSIX: no language chosen; LC_ALL=C still overrides LANG.
            Some(None) if name == "LC_ALL" => break,
            _ => {}
        }
    }
    Locale::ZhCn
}

/// `zh_CN.UTF-8` → Chinese, `en_US.UTF-8` or `fr_FR` → English, `C`, `POSIX` or empty → none.
fn shell_locale(value: &str) -> Option<Locale> {
    let lang = value.split(['.', '@']).next().unwrap_or_default();
    match lang {
        "" | "C" | "POSIX" => None,
        l if l.starts_with("zh") => Some(Locale::ZhCn),
        _ => Some(Locale::En),
    }
}

/// The value of `--flag VALUE` or `--flag=VALUE`, the last one given (as clap takes it).
fn flag_value(args: &[OsString], flag: &str) -> Option<String> {
    let mut found = None;
    let mut it = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(a) = it.next() {
        if a == "--" {
            break;
        }
        if a == flag {
            found = it.next().map(|v| v.into_owned());
        } else if let Some(v) = a.strip_prefix(flag).and_then(|r| r.strip_prefix('=')) {
            found = Some(v.to_string());
        }
    }
    found
}

/// `locale` from the yishi.toml this command will read, if it says one; a file that is missing
/// or unreadable says nothing here (the command reports it in the chosen language later).
fn configured(args: &[OsString], var: &dyn Fn(&str) -> Option<String>) -> Option<Locale> {
    let path = flag_value(args, "--config")
        .or_else(|| var("YISHI_CONFIG"))
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let db = flag_value(args, "--db")
                .or_else(|| var("YISHI_DB"))
                .map_or_else(|| PathBuf::from("yishi.db"), PathBuf::from);
            db.parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."))
                .join("yishi.toml")
        });
    let text = std::fs::read_to_string(path).ok()?;
    let table: toml::Table = text.parse().ok()?;
    Locale::parse(table.get("locale")?.as_str()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve_with(args: &[&str], env: &[(&str, &str)]) -> Locale {
        let args: Vec<OsString> = std::iter::once("yishi")
            .chain(args.iter().copied())
            .map(OsString::from)
            .collect();
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        // No yishi.toml: point the configuration at a file that does not exist.
        let var = move |name: &str| {
            if name == "YISHI_CONFIG" {
                return Some("/nonexistent/yishi.toml".into());
            }
            env.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
        };
        resolve(&args, &var)
    }

    #[test]
    fn chinese_unless_something_says_otherwise() {
        assert_eq!(resolve_with(&["status"], &[]), Locale::ZhCn);
        assert_eq!(
            resolve_with(&["status"], &[("LANG", "C.UTF-8")]),
            Locale::ZhCn
        );
        assert_eq!(
            resolve_with(&["status"], &[("LANG", "zh_CN.UTF-8")]),
            Locale::ZhCn
        );
    }

    #[test]
    fn the_order_is_flag_env_config_shell() {
        let en_shell = [("LANG", "en_US.UTF-8")];
        assert_eq!(resolve_with(&["status"], &en_shell), Locale::En);
        assert_eq!(
            resolve_with(&["status", "--lang", "zh-CN"], &en_shell),
            Locale::ZhCn
        );
        assert_eq!(
            resolve_with(&["--lang=中文", "status"], &en_shell),
            Locale::ZhCn
        );
        assert_eq!(
            resolve_with(
                &["status"],
                &[("YISHI_LANG", "zh"), ("LANG", "en_US.UTF-8")]
            ),
            Locale::ZhCn
        );
        assert_eq!(
            resolve_with(&["status"], &[("LC_ALL", "zh_CN.UTF-8"), ("LANG", "en_US")]),
            Locale::ZhCn
        );
        // LC_ALL=C overrides an English LANG: no language chosen, so Chinese.
        assert_eq!(
            resolve_with(&["status"], &[("LC_ALL", "C"), ("LANG", "en_US")]),
            Locale::ZhCn
        );
        // A bad --lang is clap's error to report; resolution goes on to the next source.
        assert_eq!(resolve_with(&["--lang", "fr"], &en_shell), Locale::En);
        // After `--`, `--lang` is a value, not the flag.
        assert_eq!(
            resolve_with(&["issue", "add", "--", "--lang", "en"], &[]),
            Locale::ZhCn
        );
    }

    #[test]
    fn the_configured_locale_counts_before_the_shell() {
        let dir = tempfile::tempdir().unwrap();
        let toml = dir.path().join("yishi.toml");
        std::fs::write(&toml, "locale = \"en\"\n").unwrap();
        let args: Vec<OsString> = ["yishi", "--config", toml.to_str().unwrap(), "status"]
            .iter()
            .map(OsString::from)
            .collect();
        let zh_shell = |name: &str| (name == "LANG").then(|| "zh_CN.UTF-8".to_string());
        assert_eq!(resolve(&args, &zh_shell), Locale::En);
    }
}
