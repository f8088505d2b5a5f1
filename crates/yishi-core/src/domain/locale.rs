//! The languages yishi speaks. Each domain enum has a `label(Locale)`, the one place its words
//! are kept; views and messages ask it instead of keeping their own copies.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Locale {
    #[serde(rename = "zh-CN")]
    ZhCn,
    #[serde(rename = "en")]
    En,
}

impl Locale {
    pub const ALL: &'static [&'static str] = &["zh-CN", "en"];

    pub fn parse(s: &str) -> Option<Locale> {
        match s {
            "zh-CN" | "zh" | "zh-cn" => Some(Locale::ZhCn),
            "en" | "en-US" | "en-GB" => Some(Locale::En),
            _ => None,
        }
    }

    /// For views that still pass `zh: bool` around.
    pub fn from_zh(zh: bool) -> Locale {
        if zh { Locale::ZhCn } else { Locale::En }
    }

    /// The text of this language from a (Chinese, English) pair.
    pub fn pick<T>(self, zh: T, en: T) -> T {
        match self {
            Locale::ZhCn => zh,
            Locale::En => en,
        }
    }
}
