//! Values typed on the command line from a fixed set (formats, rules, statuses, encodings,
//! delimiters, languages) or from a set a community may extend in yishi.toml (seats, channels).
//!
//! A fixed set is a [`Words`] parser: each value has an English key (what scripts, JSON and
//! the database use) and the Chinese words read as it (what listings and documents show);
//! both are accepted, both are offered to shell completions, and a value outside the set is a
//! usage error (exit 2) that lists the Chinese words first in Chinese and the keys in English
//! (`cli::usage` chooses). The parsed value is the key, so the code behind it is unchanged.
//!
//! Seats and channels are [`Suggested`]: any text is accepted here and checked against
//! yishi.toml by the command (a usage error there too), while completions offer the built-in
//! words in both languages.

use clap::builder::{PossibleValue, TypedValueParser};
use clap::error::{ContextKind, ContextValue, ErrorKind};
use yishi_core::domain::channel::DEFAULT_WORDS;
use yishi_core::domain::issue::Status;
use yishi_core::domain::locale::Locale;
use yishi_core::domain::rules::MajorityRule;
use yishi_core::domain::seat::{default_seats, special_seats};

/// One value of a fixed set: its key, the Chinese words for it, other spellings of the key.
#[derive(Clone, Debug)]
struct Word {
    key: &'static str,
    zh: Vec<&'static str>,
    also: Vec<&'static str>,
}

impl Word {
    fn reads_as(&self, typed: &str) -> bool {
        let typed = halfwidth(typed);
        self.key.eq_ignore_ascii_case(&typed)
            || self.also.iter().any(|a| a.eq_ignore_ascii_case(&typed))
            || self.zh.iter().any(|z| halfwidth(z) == typed)
    }
}

/// Full-width brackets as typed with a Chinese input method read as ASCII ones.
fn halfwidth(s: &str) -> String {
    s.trim().replace('（', "(").replace('）', ")")
}

/// A fixed set of values, parsed to the key.
#[derive(Clone, Debug)]
pub struct Words {
    words: Vec<Word>,
}

fn word(key: &'static str, zh: &[&'static str], also: &[&'static str]) -> Word {
    Word {
        key,
        zh: zh.to_vec(),
        also: also.to_vec(),
    }
}

impl Words {
    /// Every value a person may type: the keys, then the Chinese words.
    fn listed(&self) -> Vec<String> {
        let keys = self.words.iter().map(|w| w.key.to_string());
        let zh = self
            .words
            .iter()
            .flat_map(|w| w.zh.iter().map(|z| z.to_string()));
        keys.chain(zh).collect()
    }

    /// The key `typed` stands for.
    pub fn key_of(&self, typed: &str) -> Option<&'static str> {
        self.words.iter().find(|w| w.reads_as(typed)).map(|w| w.key)
    }
}

impl TypedValueParser for Words {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        let typed = clap::builder::StringValueParser::new().parse_ref(cmd, arg, value)?;
        if let Some(key) = self.key_of(&typed) {
            return Ok(key.to_string());
        }
        let mut e = clap::Error::new(ErrorKind::InvalidValue).with_cmd(cmd);
        let arg = arg.map_or_else(|| "...".to_string(), ToString::to_string);
        e.insert(ContextKind::InvalidArg, ContextValue::String(arg));
        e.insert(ContextKind::InvalidValue, ContextValue::String(typed));
        e.insert(
            ContextKind::ValidValue,
            ContextValue::Strings(self.listed()),
        );
        Err(e)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        // Each Chinese word is a value of its own (not an alias), so that completions offer it.
        Some(Box::new(self.words.iter().flat_map(|w| {
            std::iter::once(
                PossibleValue::new(w.key)
                    .aliases(w.also.iter().copied())
                    .help(w.zh.first().copied().unwrap_or_default()),
            )
            .chain(w.zh.iter().map(|z| PossibleValue::new(*z).help(w.key)))
        })))
    }
}

/// The values of an invalid-value error in `lang`: in Chinese the Chinese words first, then
/// the keys; in English the keys only.
pub fn listed_for(valid: &[String], lang: Locale) -> Vec<String> {
    let (ascii, zh): (Vec<String>, Vec<String>) = valid.iter().cloned().partition(|v| v.is_ascii());
    match lang {
        Locale::ZhCn => zh.into_iter().chain(ascii).collect(),
        Locale::En if ascii.is_empty() => zh,
        Locale::En => ascii,
    }
}

/// Every format a document or listing may be written in; each command allows some of them.
fn all_formats() -> Vec<Word> {
    vec![
        word("text", &["文本"], &["txt"]),
        word("md", &[], &["markdown"]),
        word("html", &["网页"], &["htm"]),
        word("docx", &["Word文档"], &["word"]),
        word("xlsx", &["表格"], &["excel"]),
        word("csv", &[], &[]),
        word("png", &["图片"], &["image"]),
        word("json", &[], &[]),
    ]
}

/// `--format` for a command that writes the formats `allowed` (keys as in `render::doc::Format`).
pub fn formats(allowed: &[&str]) -> Words {
    Words {
        words: all_formats()
            .into_iter()
            .filter(|w| allowed.contains(&w.key))
            .collect(),
    }
}

/// `--rule`: the majority rules by key and by the words tables and minutes use.
pub fn rules() -> Words {
    let zh = |r: MajorityRule| r.label(Locale::ZhCn);
    Words {
        words: vec![
            word(
                MajorityRule::MajorityPresent.key(),
                &[zh(MajorityRule::MajorityPresent), "过半数", "到会过半数"],
                &[],
            ),
            word(
                MajorityRule::Simple.key(),
                &[zh(MajorityRule::Simple), "简单多数"],
                &[],
            ),
            word(
                MajorityRule::TwoThirds.key(),
                &[zh(MajorityRule::TwoThirds)],
                &[],
            ),
            word(
                MajorityRule::Absolute.key(),
                &[zh(MajorityRule::Absolute), "应到过半数", "绝对多数"],
                &[],
            ),
            word(
                MajorityRule::Consensus.key(),
                &[zh(MajorityRule::Consensus), "协商一致"],
                &[],
            ),
        ],
    }
}

/// `--status`: each issue status by key and by its Chinese label.
pub fn statuses() -> Words {
    Words {
        words: Status::ALL
            .iter()
            .map(|s| word(s.key(), &[s.label(Locale::ZhCn)], &[]))
            .collect(),
    }
}

/// `--encoding` of an imported file.
pub fn encodings() -> Words {
    Words {
        words: vec![
            word("auto", &["自动"], &[]),
            word("utf-8", &[], &["utf8"]),
            word("gb18030", &["国标"], &["gbk", "gb2312"]),
            word("utf-16", &[], &["utf16"]),
            word("utf-16le", &[], &["utf16le"]),
            word("utf-16be", &[], &["utf16be"]),
        ],
    }
}

/// `--delimiter` of an imported CSV file.
pub fn delimiters() -> Words {
    Words {
        words: vec![
            word(",", &["逗号"], &["，", "comma"]),
            word(";", &["分号"], &["；", "semicolon"]),
            word("tab", &["制表符"], &["\\t", "\t"]),
        ],
    }
}

/// `--lang`: the languages of messages and documents.
pub fn languages() -> Words {
    Words {
        words: vec![
            word("zh-CN", &["中文"], &["zh", "zh-cn"]),
            word("en", &["英文", "英语"], &["en-US", "english"]),
        ],
    }
}

/// A parser that takes any text and suggests `words` to completions.
#[derive(Clone)]
pub struct Suggested {
    words: Vec<String>,
}

impl TypedValueParser for Suggested {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        clap::builder::StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            self.words.iter().map(|w| PossibleValue::new(w.clone())),
        ))
    }
}

fn suggested(words: impl IntoIterator<Item = String>) -> Suggested {
    let mut all: Vec<String> = Vec::new();
    for w in words {
        if !all.contains(&w) {
            all.push(w);
        }
    }
    Suggested { words: all }
}

/// Seats: each key, its Chinese name and the name without 代表 (`居委会`), as `Config::seat`
/// accepts them.
pub fn seats() -> Suggested {
    suggested(
        default_seats()
            .into_iter()
            .chain(special_seats())
            .flat_map(|s| {
                let short = s.zh.trim_end_matches("代表").to_string();
                [s.key, s.zh, short]
            }),
    )
}

/// Channels: the built-in words (线下, 访谈, 线上 and their English keys).
pub fn channels() -> Suggested {
    suggested(
        ["offline", "interview", "online"]
            .into_iter()
            .map(String::from)
            .chain(DEFAULT_WORDS.iter().map(|(w, _)| w.to_string())),
    )
}

/// A seat or channel typed on the command line that yishi.toml does not know is a usage
/// error (exit 2), as a wrong value of a fixed set is; the same value in an imported file
/// stays a data error.
pub fn typed_by_hand(e: yishi_core::error::Error) -> yishi_core::error::Error {
    use yishi_core::error::Kind;
    if e.kind == Kind::Data {
        e.as_kind(Kind::Usage)
    } else {
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_chinese_words_and_spellings_read_as_the_key() {
        assert_eq!(rules().key_of("过半数（到会）"), Some("majority-present"));
        assert_eq!(rules().key_of("Two-Thirds"), Some("two-thirds"));
        assert_eq!(statuses().key_of("已受理"), Some("accepted"));
        assert_eq!(formats(&["xlsx", "text"]).key_of("表格"), Some("xlsx"));
        assert_eq!(formats(&["text"]).key_of("表格"), None);
        assert_eq!(delimiters().key_of("\\t"), Some("tab"));
        assert_eq!(encodings().key_of("GBK"), Some("gb18030"));
        assert_eq!(languages().key_of("中文"), Some("zh-CN"));
        assert_eq!(rules().key_of("most"), None);
    }

    #[test]
    fn chinese_lists_chinese_first_and_english_lists_keys() {
        let valid = statuses().listed();
        let zh = listed_for(&valid, Locale::ZhCn);
        assert_eq!(zh.first().map(String::as_str), Some("已收集"));
        assert_eq!(zh.last().map(String::as_str), Some("escalated"));
        let en = listed_for(&valid, Locale::En);
        assert!(en.iter().all(|v| v.is_ascii()), "{en:?}");
        assert_eq!(en.len(), Status::ALL.len());
    }
}
