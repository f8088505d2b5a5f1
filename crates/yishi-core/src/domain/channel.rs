//! The community's own words for where an issue came from (网格, 意见箱, 12345热线, 问卷星 ...),
//! each belonging to one of the report's channel groups (offline, interview, online).
//!
//! An issue stores the word as the community wrote it; the group is looked up when reporting,
//! so `[channels]` in yishi.toml decides both what is accepted and how it is counted.

use super::issue::Channel;
use super::locale::Locale;

/// Words every community starts with; `[channels]` in yishi.toml adds to them or regroups them.
pub const DEFAULT_WORDS: &[(&str, Channel)] = &[
    ("线下", Channel::Offline),
    ("走访", Channel::Offline),
    ("入户", Channel::Offline),
    ("上门", Channel::Offline),
    ("网格", Channel::Offline),
    ("网格员", Channel::Offline),
    ("意见箱", Channel::Offline),
    ("信箱", Channel::Offline),
    ("来访", Channel::Offline),
    ("现场", Channel::Offline),
    ("板凳", Channel::Offline),
    ("电话", Channel::Offline),
    ("热线", Channel::Offline),
    ("12345热线", Channel::Offline),
    ("访谈", Channel::Interview),
    ("座谈", Channel::Interview),
    ("面谈", Channel::Interview),
    ("约谈", Channel::Interview),
    ("线上", Channel::Online),
    ("网上", Channel::Online),
    ("网络", Channel::Online),
    ("微信", Channel::Online),
    ("微信群", Channel::Online),
    ("群", Channel::Online),
    ("公众号", Channel::Online),
    ("小程序", Channel::Online),
    ("问卷", Channel::Online),
    ("问卷星", Channel::Online),
    ("腾讯问卷", Channel::Online),
    ("金数据", Channel::Online),
    ("手机提交", Channel::Online),
    ("电脑提交", Channel::Online),
    ("链接", Channel::Online),
    ("二维码", Channel::Online),
];

/// English names of the groups and a few synonyms, accepted everywhere.
const ENGLISH: &[(&str, Channel)] = &[
    ("offline", Channel::Offline),
    ("visit", Channel::Offline),
    ("door-to-door", Channel::Offline),
    ("box", Channel::Offline),
    ("suggestion-box", Channel::Offline),
    ("interview", Channel::Interview),
    ("meeting", Channel::Interview),
    ("online", Channel::Online),
    ("wechat", Channel::Online),
    ("web", Channel::Online),
    ("form", Channel::Online),
];

/// Shown as a map of word → group (as written in yishi.toml).
impl serde::Serialize for ChannelWords {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.words.len()))?;
        for (w, c) in &self.words {
            map.serialize_entry(w, c.key())?;
        }
        map.end()
    }
}

/// The configured words, in order (defaults first, then the community's own).
#[derive(Debug, Clone, PartialEq)]
pub struct ChannelWords {
    words: Vec<(String, Channel)>,
}

impl Default for ChannelWords {
    fn default() -> Self {
        ChannelWords {
            words: DEFAULT_WORDS
                .iter()
                .map(|(w, c)| (w.to_string(), *c))
                .collect(),
        }
    }
}

impl ChannelWords {
    /// Add a word or move it to another group.
    pub fn set(&mut self, word: &str, group: Channel) {
        match self.words.iter_mut().find(|(w, _)| w == word) {
            Some(entry) => entry.1 = group,
            None => self.words.push((word.to_string(), group)),
        }
    }

    /// The word to store and its group: an English group name (stored as the lowercase key), a
    /// configured word, or a phrase containing one (网格员走访 contains 网格员; the longest
    /// configured word found decides). None when nothing matches.
    pub fn resolve(&self, typed: &str) -> Option<(String, Channel)> {
        let s = typed.trim();
        if s.is_empty() {
            return None;
        }
        let lower = s.to_ascii_lowercase();
        if let Some((_, c)) = ENGLISH.iter().find(|(w, _)| *w == lower) {
            return Some((lower, *c));
        }
        if let Some((w, c)) = self.words.iter().find(|(w, _)| w == s) {
            return Some((w.clone(), *c));
        }
        self.words
            .iter()
            .filter(|(w, _)| s.contains(w.as_str()))
            .max_by_key(|(w, _)| w.chars().count())
            .map(|(_, c)| (s.to_string(), *c))
    }

    /// The group of a stored word; None for a word no longer configured.
    pub fn group(&self, stored: &str) -> Option<Channel> {
        self.resolve(stored).map(|(_, c)| c)
    }

    /// Every word of a group (and its English key), for filtering by group.
    pub fn words_of(&self, group: Channel) -> Vec<String> {
        let mut out: Vec<String> = ENGLISH
            .iter()
            .filter(|(_, c)| *c == group)
            .map(|(w, _)| w.to_string())
            .collect();
        out.extend(
            self.words
                .iter()
                .filter(|(_, c)| *c == group)
                .map(|(w, _)| w.clone()),
        );
        out
    }

    /// Counts by stored word regrouped by channel group key; a word no longer configured counts
    /// as "other".
    pub fn group_counts(
        &self,
        by_word: &std::collections::BTreeMap<String, u64>,
    ) -> std::collections::BTreeMap<String, u64> {
        let mut out = std::collections::BTreeMap::new();
        for (word, n) in by_word {
            let group = self.group(word).map_or("other", |c| c.key());
            *out.entry(group.to_string()).or_insert(0) += n;
        }
        out
    }

    /// The stored words a `--channel` filter matches: a group's words for a group name
    /// (offline / 线下 ...), else the one word.
    pub fn filter_words(&self, typed: &str) -> Option<Vec<String>> {
        let s = typed.trim();
        let group = match s.to_ascii_lowercase().as_str() {
            "offline" | "线下" => Some(Channel::Offline),
            "interview" | "访谈" => Some(Channel::Interview),
            "online" | "线上" => Some(Channel::Online),
            _ => None,
        };
        match group {
            Some(g) => Some(self.words_of(g)),
            None => self.resolve(s).map(|(w, _)| vec![w]),
        }
    }

    /// The words by group, for an error that lists what is accepted:
    /// `offline: 线下, 走访 …; interview: 访谈 …; online: 线上 …`.
    pub fn list(&self) -> String {
        [Channel::Offline, Channel::Interview, Channel::Online]
            .iter()
            .map(|g| {
                let words: Vec<&str> = self
                    .words
                    .iter()
                    .filter(|(_, c)| c == g)
                    .map(|(w, _)| w.as_str())
                    .collect();
                format!("{}: {}", g.key(), words.join(", "))
            })
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// The configured words per channel in Chinese: 线下：线下、走访；访谈：…
    fn list_zh(&self) -> String {
        [Channel::Offline, Channel::Interview, Channel::Online]
            .iter()
            .map(|g| {
                let words: Vec<&str> = self
                    .words
                    .iter()
                    .filter(|(_, c)| c == g)
                    .map(|(w, _)| w.as_str())
                    .collect();
                format!(
                    "{}（{}）：{}",
                    g.label(Locale::ZhCn),
                    g.key(),
                    words.join("、")
                )
            })
            .collect::<Vec<_>>()
            .join("；")
    }

    /// The message for a word that is not configured, in both languages.
    pub fn unknown_text(&self, typed: &str) -> crate::i18n::Text {
        crate::text!("channel.unknown", typed = typed).pair("words", self.list_zh(), self.list())
    }

    /// The message for a word that is not configured.
    pub fn unknown(&self, typed: &str) -> String {
        format!(
            "\"{typed}\" is not a channel. Configured words: {}. Add it to [channels] in yishi.toml, e.g. \"{typed}\" = \"offline\"",
            self.list()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_the_community_wording() {
        let w = ChannelWords::default();
        assert_eq!(w.resolve("网格"), Some(("网格".into(), Channel::Offline)));
        assert_eq!(
            w.resolve(" 网格员走访 "),
            Some(("网格员走访".into(), Channel::Offline))
        );
        assert_eq!(
            w.resolve("手机提交"),
            Some(("手机提交".into(), Channel::Online))
        );
        assert_eq!(
            w.resolve("Online"),
            Some(("online".into(), Channel::Online))
        );
        assert_eq!(
            w.resolve("座谈会"),
            Some(("座谈会".into(), Channel::Interview))
        );
        assert_eq!(w.resolve("飞鸽传书"), None);
        assert_eq!(w.resolve(""), None);
    }

    #[test]
    fn the_community_can_regroup_and_add() {
        let mut w = ChannelWords::default();
        w.set("走访", Channel::Interview);
        w.set("楼长", Channel::Offline);
        assert_eq!(w.group("走访"), Some(Channel::Interview));
        assert_eq!(w.group("楼长"), Some(Channel::Offline));
        assert!(w.unknown("飞鸽").contains("楼长"));
        assert!(w.words_of(Channel::Interview).contains(&"走访".to_string()));
        let counts = [("走访", 2), ("网格", 1), ("offline", 1), ("飞鸽", 1)]
            .into_iter()
            .map(|(w, n)| (w.to_string(), n))
            .collect();
        let groups = w.group_counts(&counts);
        assert_eq!(groups.get("interview"), Some(&2));
        assert_eq!(groups.get("offline"), Some(&2));
        assert_eq!(groups.get("other"), Some(&1));
    }
}
