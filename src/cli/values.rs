//! Values typed on the command line that a community may extend in yishi.toml (seats,
//! channels) or that yishi reads in Chinese and English (statuses): any text is accepted here
//! and checked by the operation (which names what exists), while completions offer the
//! built-in words in both languages.

use clap::builder::{PossibleValue, TypedValueParser};
use yishi_core::domain::channel::DEFAULT_WORDS;
use yishi_core::domain::issue::Status;
use yishi_core::domain::locale::Locale;
use yishi_core::domain::seat::{default_seats, special_seats};

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

/// Issue statuses: each key and its Chinese label.
pub fn statuses() -> Suggested {
    suggested(
        Status::ALL
            .iter()
            .flat_map(|s| [s.key().to_string(), s.label(Locale::ZhCn).to_string()]),
    )
}
